//! HTTP tests of the api, each run against the embedded SQLite store and a
//! fresh PostgreSQL database.

mod actions;
mod appointments;
mod audit;
mod auth;
mod bodies;
mod concurrency;
mod crash;
mod decisions;
mod helpers;
mod logs;
mod members;
mod openapi;
mod personal_data;
mod platform;
mod projection;
mod publications;
mod report_back;
mod roles;
