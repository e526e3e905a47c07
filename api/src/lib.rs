//! Caucus api: an event-sourced REST API for a council political group's office.

pub mod app;
pub mod audit;
pub mod audit_cli;
pub mod auth;
pub mod cli;
pub mod commands;
pub mod configuration;
pub mod http;
pub mod openapi;
pub mod personal;
pub mod reports;
pub mod routes;
pub mod sample;
pub mod startup;
pub mod store;
pub mod telemetry;

/// The domain, a crate of its own so that it cannot import the server.
pub use caucus_domain as domain;
