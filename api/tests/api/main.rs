//! HTTP tests of the api, each run against the embedded SQLite store and a
//! fresh PostgreSQL database.

mod decisions;
mod helpers;
mod members;
mod openapi;
mod platform;
mod projection;
