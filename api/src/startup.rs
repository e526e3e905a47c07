//! Builds the application: store, projector, authenticator and HTTP server,
//! and the OpenAPI document from the very same route registration.

use std::net::{SocketAddr, TcpListener};

use actix_web::{App, HttpServer, dev::Server, guard, middleware, web};
use anyhow::Context;
use tracing_actix_web::TracingLogger;
use utoipa::OpenApi;
use utoipa_actix_web::{AppExt, service_config::ServiceConfig};
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::auth::{AuthConfig, Authenticator, SignInLinks};
use crate::domain::{
    WorkingDays, case::CaseCategories, motion::SubmissionDeadline, publication::SocialLimits,
};
use crate::http;
use crate::openapi::{BaseDoc, document_links, document_optional_headers, document_roles};
use crate::personal::{PersonalData, SecretKey};
use crate::routes::{self, AppState};
use crate::store::{
    Database, StoreConfig,
    chain::{Chainer, CheckpointPolicy},
    command_bus::CommandBus,
    projector::Projector,
};
use crate::telemetry::RequestSpan;

/// Registers every documented route.
fn register(config: &mut ServiceConfig) {
    routes::register(config, None);
}

/// The OpenAPI document, built from the same registration as the server.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let (_, mut doc) =
        App::new().into_utoipa_app().openapi(BaseDoc::openapi()).configure(register).split_for_parts();
    document_roles(&mut doc);
    document_optional_headers(&mut doc);
    document_links(&mut doc);
    doc
}

/// Every schema registered for the document under its component name, one
/// entry per registration (the document keeps one per name): the fixed
/// components of [`BaseDoc`] and each one a handler names.
pub fn schema_registrations() -> routes::SchemaRegistrations {
    let mut schemas: routes::SchemaRegistrations =
        BaseDoc::openapi().components.map(|c| c.schemas.into_iter().collect()).unwrap_or_default();
    drop(App::new().into_utoipa_app().configure(|config| routes::register(config, Some(&mut schemas))));
    schemas
}

/// What a deployment chooses beyond its store, keys and address.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// How checkpoints of each group's audit chain are signed (by default, not at all).
    pub checkpoints: CheckpointPolicy,
    /// The limits social texts are checked against (an instance's own Mastodon limit).
    pub social_limits: SocialLimits,
    /// The key wrapping each data subject's key in the store; without one,
    /// subject keys are stored unwrapped.
    pub master_key: Option<SecretKey>,
    /// The council's deadline for motions and questions.
    pub motion_deadline: SubmissionDeadline,
    /// The working days deadlines are counted in (by default, England and
    /// Wales's, with the bank holidays shipped with Caucus).
    pub working_days: WorkingDays,
    /// The categories cases are filed under.
    pub case_categories: CaseCategories,
    /// Months after closing a case's personal data is kept (by default
    /// `case::DEFAULT_RETENTION_MONTHS`, two years).
    pub case_retention_months: Option<u16>,
    /// The value per head, in pence, at or over which hospitality must be
    /// registered (by default `group_event::DEFAULT_HOSPITALITY_THRESHOLD_PENCE`).
    pub hospitality_threshold_pence: Option<u64>,
    /// The amount of spending, in pence, above which two different Group
    /// Officers must approve it (by default `budget::DEFAULT_SECOND_APPROVAL_ABOVE_PENCE`).
    pub spending_second_approval_above_pence: Option<u64>,
    /// Where the website's enquiry form sends the resident after (by default
    /// the api's own thank-you page).
    pub enquiry_thanks_url: Option<String>,
    /// How many enquiries one address may send in an hour (by default 10).
    pub enquiries_per_hour: Option<u32>,
    /// The reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// How long a request waits for SQLite's write lock or a pooled
    /// connection before it is answered 503 (default 30 seconds).
    pub store_wait: Option<std::time::Duration>,
    // Probity: donations (issue 18).
    /// A donor's year total, in pence, at or over which it must be reported
    /// (by default `donation::DEFAULT_REPORTING_THRESHOLD_PENCE`, £11,180).
    pub donation_reporting_threshold_pence: Option<u64>,
    /// A donation, in pence, over which its permissibility must be checked
    /// (by default `donation::DEFAULT_CHECK_THRESHOLD_PENCE`, £500).
    pub donation_check_threshold_pence: Option<u64>,
}

/// A running server.
pub struct Application {
    server: Server,
    address: SocketAddr,
    db: Database,
    bus: CommandBus,
    personal: PersonalData,
    chainer: Chainer,
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application").field("address", &self.address).finish_non_exhaustive()
    }
}

impl Application {
    /// Opens the store, brings its schema and read models up to date, and binds
    /// the server (not yet serving: call [`Application::run_until_stopped`]).
    /// The audit chain is kept, but no checkpoint is signed: see
    /// [`Application::build_with`] and [`Settings`].
    pub async fn build(
        store: &StoreConfig,
        auth: AuthConfig,
        bind: SocketAddr,
        workers: Option<usize>,
    ) -> anyhow::Result<Self> {
        Self::build_with(store, auth, bind, workers, Settings::default()).await
    }

    /// Like [`Application::build`], with `settings`.
    pub async fn build_with(
        store: &StoreConfig,
        auth: AuthConfig,
        bind: SocketAddr,
        workers: Option<usize>,
        settings: Settings,
    ) -> anyhow::Result<Self> {
        let authenticator = web::Data::new(Authenticator::new(auth)?);
        let wait = settings.store_wait.unwrap_or(crate::store::DEFAULT_STORE_WAIT);
        let db = Database::connect_waiting(store, wait).await.context("cannot open the store")?;
        db.migrate().await.context("cannot migrate the store")?;
        Projector::start(db.clone()).await.context("cannot start the projector")?;
        let bus = CommandBus::new(db.clone());
        let sign_in_links = web::Data::new(SignInLinks::new(db.clone()));
        let Settings {
            checkpoints,
            social_limits,
            master_key,
            motion_deadline,
            working_days,
            case_categories,
            case_retention_months,
            hospitality_threshold_pence,
            spending_second_approval_above_pence,
            enquiry_thanks_url,
            enquiries_per_hour,
            trusted_proxies,
            store_wait: _,
            donation_reporting_threshold_pence,
            donation_check_threshold_pence,
        } = settings;
        let enquiry_desk =
            web::Data::new(routes::EnquiryDesk::new(enquiry_thanks_url, enquiries_per_hour, trusted_proxies));
        let case_retention_months =
            case_retention_months.unwrap_or(crate::domain::case::DEFAULT_RETENTION_MONTHS);
        let personal = PersonalData::new(db.clone(), master_key);
        let verifier_key = checkpoints.signer.as_ref().map(|signer| signer.verifier_key().to_owned());
        let chainer =
            Chainer::start(db.clone(), checkpoints).await.context("cannot start the audit chain")?;
        let state = web::Data::new(AppState {
            db: db.clone(),
            bus: bus.clone(),
            chainer: chainer.clone(),
            verifier_key,
            social_limits,
            motion_deadline,
            working_days,
            case_categories,
            case_retention_months,
            hospitality_threshold_pence: hospitality_threshold_pence
                .unwrap_or(crate::domain::group_event::DEFAULT_HOSPITALITY_THRESHOLD_PENCE),
            spending_second_approval_above_pence: spending_second_approval_above_pence
                .unwrap_or(crate::domain::budget::DEFAULT_SECOND_APPROVAL_ABOVE_PENCE),
            personal: personal.clone(),
            donation_thresholds: crate::domain::donation::Thresholds {
                reporting_pence: donation_reporting_threshold_pence
                    .unwrap_or(crate::domain::donation::DEFAULT_REPORTING_THRESHOLD_PENCE),
                check_pence: donation_check_threshold_pence
                    .unwrap_or(crate::domain::donation::DEFAULT_CHECK_THRESHOLD_PENCE),
            },
        });
        crate::app::case_erasure::sweep_daily(
            db.clone(),
            bus.clone(),
            personal.clone(),
            motion_deadline.zone,
            case_retention_months,
        );
        let listener = TcpListener::bind(bind).with_context(|| format!("cannot listen on {bind}"))?;
        let address = listener.local_addr()?;
        let doc = openapi_document();
        let known_paths = web::Data::new(http::KnownPaths::of(&doc));
        let document = web::Data::new(http::Document::of(&doc).context("cannot write the OpenAPI document")?);

        let mut server = HttpServer::new(move || {
            // The worker's own document is not kept: the one built above is served.
            let (app, _) = App::new()
                .into_utoipa_app()
                .app_data(state.clone())
                .app_data(enquiry_desk.clone())
                .app_data(authenticator.clone())
                .app_data(sign_in_links.clone())
                .app_data(known_paths.clone())
                .app_data(web::PayloadConfig::new(http::MAX_BODY_BYTES))
                .app_data(http::json_config())
                .app_data(http::path_config())
                .app_data(http::query_config())
                .configure(register)
                .split_for_parts();
            app.service(SwaggerUi::new("/docs/{_:.*}").config(Config::from(http::DOCUMENT_PATH)))
                .service(
                    web::resource(http::DOCUMENT_PATH)
                        .guard(guard::Get())
                        .app_data(document.clone())
                        .to(http::serve_document),
                )
                .default_service(web::to(http::unrouted))
                .wrap(middleware::from_fn(http::problem_instance))
                .wrap(middleware::Compress::default())
                .wrap(TracingLogger::<RequestSpan>::new())
        })
        .listen(listener)?
        .shutdown_timeout(10);
        if let Some(workers) = workers {
            server = server.workers(workers);
        }
        Ok(Self { server: server.run(), address, db, bus, personal, chainer })
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The store the server uses.
    pub fn database(&self) -> &Database {
        &self.db
    }

    /// The command bus the server uses (for loading sample data in process).
    pub fn command_bus(&self) -> &CommandBus {
        &self.bus
    }

    /// Keeps each group's hash chain and signs its checkpoints.
    pub fn audit_chain(&self) -> &Chainer {
        &self.chainer
    }

    /// Seals and opens personal data with this server's keys (for loading
    /// sample data in process).
    pub fn personal_data(&self) -> &PersonalData {
        &self.personal
    }

    /// Serves until the process is asked to stop (SIGINT or SIGTERM), finishing
    /// requests in flight, then closes the store.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.server.await?;
        self.db.close().await;
        Ok(())
    }
}
