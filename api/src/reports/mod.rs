//! Reports composed from the read model: pure functions of records and a
//! period, rendered as JSON-ready structs and as Markdown.

pub mod casework;
pub mod report_back;
pub mod training_plan;
// Probity: donations (issue 18).
pub mod donations_register;
