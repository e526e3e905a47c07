//! HTTP tests of the api, each run against the embedded SQLite store and a
//! fresh PostgreSQL database.

mod appointments;
mod auth;
mod bodies;
mod crash;
mod decisions;
mod helpers;
mod openapi;
mod platform;
mod projection;
mod roles;
