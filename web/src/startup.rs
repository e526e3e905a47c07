//! The web client's server: sessions, security headers, compression, assets
//! and pages.

use std::net::{SocketAddr, TcpListener};

use actix_session::{SessionMiddleware, storage::CookieSessionStore};
use actix_web::{
    App, HttpResponse, HttpServer,
    cookie::{Key, SameSite},
    dev::Server,
    get,
    middleware::{Compress, DefaultHeaders},
    web,
};
use anyhow::Context as _;

use crate::api::Api;
use crate::assets::Assets;
use crate::config::WebSettings;
use crate::oidc::OidcSignIn;
use crate::pages::{self, DevSignIn, State};

/// What a browser may load and send: our own files only, no inline script,
/// no framing by another site, forms only to us, and (`sign_out_at`, the
/// identity provider's origin) to the provider: the sign-out form is
/// redirected there to end its session too, and browsers hold a form's
/// redirects to `form-action` as well.
fn content_security_policy(sign_out_at: Option<&str>) -> String {
    let forms = sign_out_at.map_or_else(|| "'self'".to_owned(), |origin| format!("'self' {origin}"));
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         frame-ancestors 'none'; form-action {forms}; base-uri 'none'"
    )
}

/// The largest form accepted.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// A web client bound to its address, ready to run.
pub struct WebApp {
    server: Server,
    address: SocketAddr,
}

impl std::fmt::Debug for WebApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebApp").field("address", &self.address).finish_non_exhaustive()
    }
}

impl WebApp {
    /// Binds the server `settings` describe.
    pub fn build(settings: &WebSettings) -> anyhow::Result<Self> {
        let key = match &settings.session_key {
            Some(hex_key) => {
                let bytes = hex::decode(hex_key.trim()).context("CAUCUS_WEB_SESSION_KEY is not hex")?;
                anyhow::ensure!(
                    bytes.len() >= 64,
                    "CAUCUS_WEB_SESSION_KEY must be at least 64 bytes (128 hex digits)"
                );
                Key::from(&bytes)
            }
            None => {
                tracing::warn!("no CAUCUS_WEB_SESSION_KEY: sessions end when the web client restarts");
                Key::generate()
            }
        };
        let dev = settings.dev_secret.as_deref().map(|secret| {
            DevSignIn::new(secret, &settings.dev_issuer, &settings.dev_audience, &settings.dev_group)
        });
        let state = web::Data::new(State {
            api: Api::new(&settings.api_url),
            tera: crate::render::templates().context("the templates do not compile")?,
            assets: Assets::default(),
            group_name: settings.group_name.clone(),
            dev,
            oidc: OidcSignIn::new(&settings.oidc)
                .context("cannot set up sign-in through the identity provider")?,
        });
        let policy = content_security_policy(state.oidc.as_ref().map(OidcSignIn::origin).as_deref());
        let secure = settings.secure_cookies;
        let listener = TcpListener::bind(settings.bind)
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        let address = listener.local_addr()?;
        let server = HttpServer::new(move || {
            let sessions = SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
                .cookie_name("caucus_session".into())
                .cookie_secure(secure)
                .cookie_http_only(true)
                .cookie_same_site(SameSite::Lax)
                .build();
            let headers = DefaultHeaders::new()
                .add(("Content-Security-Policy", policy.clone()))
                .add(("X-Content-Type-Options", "nosniff"))
                .add(("Referrer-Policy", "same-origin"));
            App::new()
                .wrap(sessions)
                .wrap(headers)
                .wrap(Compress::default())
                .app_data(state.clone())
                .app_data(web::FormConfig::default().limit(MAX_FORM_BYTES))
                .service(asset)
                .configure(pages::configure)
        })
        // Pages go out compressed, in more than one write: with Nagle's
        // algorithm on, the last write waited for the browser's delayed
        // acknowledgement of the first, 40 ms on Linux (bench/README.md, web).
        .tcp_nodelay(true)
        .listen(listener)?
        .run();
        Ok(Self { server, address })
    }

    /// Where it listens.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Serves until stopped.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        Ok(self.server.await?)
    }
}

/// An asset under its hashed name: cached for a year, as its name changes
/// with its content.
#[get("/assets/{name}")]
async fn asset(state: web::Data<State>, name: web::Path<String>) -> HttpResponse {
    match state.assets.named(&name) {
        Some((media_type, content)) => HttpResponse::Ok()
            .content_type(media_type)
            .insert_header(("Cache-Control", "public, max-age=31536000, immutable"))
            .body(content),
        None => HttpResponse::NotFound().content_type("text/plain; charset=utf-8").body("no such file"),
    }
}
