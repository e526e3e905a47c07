//! HTTP routes: one module per resource, every handler registered with
//! `.service(..)` so utoipa-actix-web puts it in the OpenAPI document.

mod actions;
mod appointments;
mod audit;
mod bodies;
mod briefings;
mod calendar;
mod classification;
mod command;
mod decisions;
mod elections;
mod files;
mod forward_plan;
mod health;
mod listing;
mod meetings;
mod members;
mod motions;
mod publications;
mod report_back;

pub use command::AppState;
pub use health::{healthz, readyz};

use utoipa_actix_web::{scope, service_config::ServiceConfig};

/// The versioned prefix of every API route.
pub const API_PREFIX: &str = "/api/v1";

/// Registers the versioned API.
pub fn configure_api(config: &mut ServiceConfig) {
    config.service(
        scope::scope(API_PREFIX)
            .configure(decisions::configure)
            .configure(actions::configure)
            .configure(members::configure)
            .configure(bodies::configure)
            .configure(appointments::configure)
            .configure(report_back::configure)
            .configure(audit::configure)
            .configure(publications::configure)
            .configure(meetings::configure)
            .configure(elections::configure)
            .configure(calendar::configure)
            .configure(forward_plan::configure)
            .configure(motions::configure)
            .configure(briefings::configure)
            .configure(files::configure),
    );
}
