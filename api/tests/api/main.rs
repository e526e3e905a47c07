//! HTTP tests of the api, each run against the embedded SQLite store and a
//! fresh PostgreSQL database.

mod actions;
mod appointments;
mod as_of;
mod audit;
mod auth;
mod bodies;
mod calendar;
mod casework;
mod concurrency;
mod crash;
mod decisions;
// Probity: donations (issue 18).
mod donations;
mod elections;
mod files;
mod forward_plan;
mod group_events;
mod helpers;
mod induction;
mod layers;
mod logs;
mod meeting_scenario;
mod meetings;
mod members;
mod motions;
mod my_work;
mod oidc;
mod openapi;
mod personal_data;
mod platform;
mod projection;
mod publications;
mod report_back;
mod roles;
mod store_loss;
mod training;
// The group's budget (issue 18).
mod budget;
// The register of interests (issue 18).
mod interests;
