//! Reports composed from the read model: pure functions of records and a
//! period, rendered as JSON-ready structs and as Markdown.

pub mod casework;
pub mod report_back;
pub mod training_plan;
// The group's budget (issue 18).
pub mod budget_statement;
// The register of interests (issue 18).
pub mod interests_review;
// Probity: donations (issue 18).
pub mod donations_register;
