//! The web client's settings: flags or `CAUCUS_WEB_*` variables.

use std::net::SocketAddr;

use clap::Args;

/// Where the web client listens, which api it is a client of, and how it
/// signs people in.
#[derive(Debug, Clone, Args)]
pub struct WebSettings {
    /// The address to listen on.
    #[arg(long, env = "CAUCUS_WEB_BIND", default_value = "127.0.0.1:8081")]
    pub bind: SocketAddr,
    /// The api's root URL (every read and write goes there, with the
    /// signed-in person's own token).
    #[arg(long, env = "CAUCUS_WEB_API_URL", default_value = "http://127.0.0.1:8080")]
    pub api_url: String,
    /// The group's name, shown in every page's header.
    #[arg(long, env = "CAUCUS_WEB_GROUP_NAME", default_value = "Caucus")]
    pub group_name: String,
    /// The key sessions are encrypted and signed with: 64 bytes or more, as
    /// hex. Without one a random key is made at start, so signing in again is
    /// needed after each restart.
    #[arg(long, env = "CAUCUS_WEB_SESSION_KEY", hide_env_values = true)]
    pub session_key: Option<String>,
    /// Mark the session cookie `Secure` (set it when served over https, as in
    /// production behind a reverse proxy).
    #[arg(long, env = "CAUCUS_WEB_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Development only: the api's HS256 development secret, which lets the
    /// sign-in page offer the sample group's people. Never set in production.
    #[arg(long, env = "CAUCUS_WEB_DEV_SECRET", hide_env_values = true)]
    pub dev_secret: Option<String>,
    /// The issuer the api expects of development tokens.
    #[arg(long, env = "CAUCUS_WEB_DEV_ISSUER", default_value = "caucus")]
    pub dev_issuer: String,
    /// The audience the api expects of development tokens.
    #[arg(long, env = "CAUCUS_WEB_DEV_AUDIENCE", default_value = "caucus-api")]
    pub dev_audience: String,
    /// The group development sign-in is for.
    #[arg(long, env = "CAUCUS_WEB_DEV_GROUP", default_value = "newham-labour")]
    pub dev_group: String,
}
