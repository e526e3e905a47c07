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
    /// Signing in through the council's identity provider.
    #[command(flatten)]
    pub oidc: OidcSettings,
}

/// Which of the provider's tokens the web client sends to the api.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ApiToken {
    /// The access token issued for the api (Entra ID, Keycloak: a JWT whose
    /// audience is the api).
    #[default]
    Access,
    /// The ID token (providers whose access tokens are not JWTs, such as
    /// Google: the api's audience is then the web client's client id).
    Id,
}

/// Signing in through the council's OpenID Connect provider (the
/// authorization code flow with PKCE). Off unless an issuer is given.
#[derive(Debug, Clone, Default, Args)]
pub struct OidcSettings {
    /// The provider's issuer URL (its discovery document is
    /// `<issuer>/.well-known/openid-configuration`).
    #[arg(long = "oidc-issuer", env = "CAUCUS_WEB_OIDC_ISSUER")]
    pub issuer: Option<String>,
    /// The web client's client id at the provider.
    #[arg(long = "oidc-client-id", env = "CAUCUS_WEB_OIDC_CLIENT_ID")]
    pub client_id: Option<String>,
    /// Its client secret, if the provider gave it one (a public client
    /// relies on PKCE alone).
    #[arg(long = "oidc-client-secret", env = "CAUCUS_WEB_OIDC_CLIENT_SECRET", hide_env_values = true)]
    pub client_secret: Option<String>,
    /// The scopes asked for, space-separated (add the api's scope where the
    /// provider needs one, such as Entra's `api://<app id>/Caucus.Use`).
    #[arg(long = "oidc-scopes", env = "CAUCUS_WEB_OIDC_SCOPES", default_value = "openid profile email")]
    pub scopes: String,
    /// An RFC 8707 resource indicator for the api, for providers that issue
    /// access tokens per resource.
    #[arg(long = "oidc-resource", env = "CAUCUS_WEB_OIDC_RESOURCE")]
    pub resource: Option<String>,
    /// Which token the api is given.
    #[arg(long = "oidc-api-token", env = "CAUCUS_WEB_OIDC_API_TOKEN", value_enum, default_value_t)]
    pub api_token: ApiToken,
    /// The address people reach the web client at (behind the reverse
    /// proxy): the provider sends them back to `<it>/sign-in/callback`.
    #[arg(long = "public-url", env = "CAUCUS_WEB_PUBLIC_URL", default_value = "http://127.0.0.1:8081")]
    pub public_url: String,
    /// What the sign-in button calls the provider.
    #[arg(long = "oidc-name", env = "CAUCUS_WEB_OIDC_NAME", default_value = "your council account")]
    pub provider_name: String,
}
