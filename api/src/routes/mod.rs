//! HTTP routes: one module per resource, every handler registered with
//! `.service(..)` so utoipa-actix-web puts it in the OpenAPI document.

mod actions;
mod appointments;
mod audit;
mod bodies;
mod briefings;
mod budget;
mod calendar;
mod cases;
mod casework_report;
mod command;
mod decisions;
// Probity: donations (issue 18).
mod donations;
mod elections;
mod files;
mod forms;
mod forward_plan;
mod group_events;
mod health;
mod induction;
mod listing;
mod meetings;
mod members;
mod motions;
mod my_work;
mod organisations;
mod publications;
mod report_back;
mod residents;
mod training;
// The register of interests (issue 18).
mod interests;

pub use command::AppState;
pub use forms::{DEFAULT_ENQUIRIES_PER_HOUR, ENQUIRY_RECEIVED_PATH, EnquiryDesk};

use actix_web::dev::HttpServiceFactory;
use utoipa::openapi::{RefOr, schema::Schema};
use utoipa_actix_web::{OpenApiFactory, scope, service_config::ServiceConfig};

/// The versioned prefix of every API route.
pub const API_PREFIX: &str = "/api/v1";

/// Every schema a handler names, under its component name, before
/// utoipa-actix-web merges them by name into the document (where a second
/// type of the same name silently replaces the first).
pub type SchemaRegistrations = Vec<(String, RefOr<Schema>)>;

/// Where each route module registers its handlers: utoipa-actix-web's
/// registration, keeping every schema a handler names as it goes when asked
/// to (the collision check does; a server's workers do not, since the copies
/// would cost each worker megabytes).
pub struct Routes<'c, 's> {
    config: &'c mut ServiceConfig<'s>,
    schemas: Option<&'c mut SchemaRegistrations>,
}

impl std::fmt::Debug for Routes<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Routes")
            .field("schemas", &self.schemas.as_ref().map(|s| s.len()))
            .finish_non_exhaustive()
    }
}

impl Routes<'_, '_> {
    /// Registers a handler (so utoipa-actix-web documents it).
    pub fn service<F: HttpServiceFactory + OpenApiFactory + 'static>(&mut self, handler: F) -> &mut Self {
        if let Some(schemas) = self.schemas.as_deref_mut() {
            handler.schemas(schemas);
        }
        self.config.service(handler);
        self
    }
}

/// Registers every documented route: the health probes and the versioned
/// API; the schemas their handlers name are added to `schemas` if given.
pub fn register(config: &mut ServiceConfig, mut schemas: Option<&mut SchemaRegistrations>) {
    Routes { config, schemas: schemas.as_deref_mut() }
        .service(health::healthz)
        .service(health::readyz)
        .service(forms::submit_enquiry)
        .service(forms::enquiry_received);
    config.service(scope::scope(API_PREFIX).configure(|config| {
        let mut routes = Routes { config, schemas };
        for configure in [
            decisions::configure,
            actions::configure,
            members::configure,
            bodies::configure,
            appointments::configure,
            report_back::configure,
            audit::configure,
            publications::configure,
            meetings::configure,
            elections::configure,
            group_events::configure,
            training::configure,
            induction::configure,
            calendar::configure,
            forward_plan::configure,
            motions::configure,
            briefings::configure,
            files::configure,
            organisations::configure,
            cases::configure,
            residents::configure,
            casework_report::configure,
            my_work::configure,
            // The group's budget (issue 18).
            budget::configure,
            // The register of interests (issue 18).
            interests::configure,
            // Probity: donations (issue 18).
            donations::configure,
        ] {
            configure(&mut routes);
        }
    }));
}
