//! Which networks the dispatcher posts to, read from `social.toml` or from
//! the environment. The file names environment variables for the secrets and
//! never holds one: it can be committed next to the site's config.

use std::{collections::BTreeSet, fmt, path::Path, time::Duration};

use anyhow::{Context, bail};
use caucus_api::domain::publication::Network;
use serde::Deserialize;

use super::{
    backoff::Backoff,
    bluesky::Bluesky,
    connector::{Connector, Connectors},
    mastodon::Mastodon,
    webhook::Webhook,
};

/// A secret (token, password, signing key): its `Debug` never shows it, so
/// it cannot reach a log through a `{:?}`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// `social.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SocialConfig {
    /// Timeouts and retry backoff.
    #[serde(default)]
    pub dispatch: DispatchConfig,
    /// The group's Mastodon account.
    pub mastodon: Option<MastodonConfig>,
    /// The group's Bluesky account.
    pub bluesky: Option<BlueskyConfig>,
    /// A generic webhook taking the posts of some networks.
    pub webhook: Option<WebhookConfig>,
}

/// `[dispatch]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DispatchConfig {
    /// The whole of one request to a network, connection included.
    pub timeout_seconds: u64,
    /// The delay before the first retry of a failed delivery; it doubles each attempt.
    pub retry_base_seconds: f64,
    /// The longest delay between retries.
    pub retry_cap_seconds: f64,
}

impl Default for DispatchConfig {
    fn default() -> Self {
        // The cap stays under Mastodon's one-hour Idempotency-Key memory, so a
        // retry after a timeout that did post is still recognised.
        Self { timeout_seconds: 20, retry_base_seconds: 60.0, retry_cap_seconds: 30.0 * 60.0 }
    }
}

fn enabled() -> bool {
    true
}

/// `[mastodon]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MastodonConfig {
    /// Turn the connector off without deleting its section.
    #[serde(default = "enabled")]
    pub enabled: bool,
    /// The instance, e.g. `https://mastodon.social`.
    pub instance_url: String,
    /// The environment variable holding the account's access token (`write:statuses`).
    #[serde(default = "default_mastodon_token_env")]
    pub token_env: String,
}

fn default_mastodon_token_env() -> String {
    "CAUCUS_MASTODON_TOKEN".into()
}

/// `[bluesky]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlueskyConfig {
    /// Turn the connector off without deleting its section.
    #[serde(default = "enabled")]
    pub enabled: bool,
    /// The account's PDS (default `https://bsky.social`).
    #[serde(default = "default_bluesky_service")]
    pub service_url: String,
    /// The account's handle, e.g. `newhamlabour.bsky.social`.
    pub handle: String,
    /// The environment variable holding an app password for the account.
    #[serde(default = "default_bluesky_password_env")]
    pub password_env: String,
}

fn default_bluesky_service() -> String {
    "https://bsky.social".into()
}

fn default_bluesky_password_env() -> String {
    "CAUCUS_BLUESKY_APP_PASSWORD".into()
}

/// `[webhook]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookConfig {
    /// Turn the connector off without deleting its section.
    #[serde(default = "enabled")]
    pub enabled: bool,
    /// Where to POST.
    pub url: String,
    /// The networks whose posts go to the webhook (`x`, `facebook`, `linkedin`,
    /// or `mastodon`/`bluesky` instead of their own connectors).
    pub networks: Vec<String>,
    /// The environment variable holding the HMAC-SHA256 signing key.
    #[serde(default = "default_webhook_secret_env")]
    pub secret_env: String,
}

fn default_webhook_secret_env() -> String {
    "CAUCUS_WEBHOOK_SECRET".into()
}

impl SocialConfig {
    /// Reads and checks a `social.toml`.
    pub fn from_file(path: &Path) -> anyhow::Result<Self> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("{} is not a valid social config", path.display()))
    }

    /// The configuration the environment gives when there is no file:
    /// `CAUCUS_MASTODON_URL` enables Mastodon, `CAUCUS_BLUESKY_HANDLE` (and
    /// `CAUCUS_BLUESKY_SERVICE`) Bluesky, `CAUCUS_WEBHOOK_URL` with
    /// `CAUCUS_WEBHOOK_NETWORKS` (comma-separated) the webhook. Secrets come
    /// from the default variables named in each section.
    pub fn from_env(env: impl Fn(&str) -> Option<String>) -> Self {
        let mastodon = env("CAUCUS_MASTODON_URL").map(|instance_url| MastodonConfig {
            enabled: true,
            instance_url,
            token_env: default_mastodon_token_env(),
        });
        let bluesky = env("CAUCUS_BLUESKY_HANDLE").map(|handle| BlueskyConfig {
            enabled: true,
            service_url: env("CAUCUS_BLUESKY_SERVICE").unwrap_or_else(default_bluesky_service),
            handle,
            password_env: default_bluesky_password_env(),
        });
        let webhook = env("CAUCUS_WEBHOOK_URL").map(|url| WebhookConfig {
            enabled: true,
            url,
            networks: env("CAUCUS_WEBHOOK_NETWORKS")
                .unwrap_or_default()
                .split(',')
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty())
                .collect(),
            secret_env: default_webhook_secret_env(),
        });
        Self { dispatch: DispatchConfig::default(), mastodon, bluesky, webhook }
    }

    /// The retry schedule.
    pub fn backoff(&self) -> Backoff {
        Backoff {
            base: Duration::from_secs_f64(self.dispatch.retry_base_seconds.max(0.0)),
            cap: Duration::from_secs_f64(self.dispatch.retry_cap_seconds.max(0.0)),
        }
    }

    /// Builds the enabled connectors, reading each secret through `env` (a
    /// missing secret is an error: better to stop than to post nowhere).
    pub fn connectors(&self, env: impl Fn(&str) -> Option<String>) -> anyhow::Result<Connectors> {
        let secret = |name: &str, what: &str| {
            env(name).filter(|v| !v.is_empty()).map(Secret::new).with_context(|| {
                format!("{what} is enabled but the environment variable {name} (its secret) is not set")
            })
        };
        let http = reqwest::Client::builder()
            .use_rustls_tls()
            .timeout(Duration::from_secs(self.dispatch.timeout_seconds.max(1)))
            .connect_timeout(Duration::from_secs(self.dispatch.timeout_seconds.clamp(1, 10)))
            .user_agent(concat!("caucus-publisher/", env!("CARGO_PKG_VERSION")))
            .build()
            .context("cannot build the HTTP client")?;
        let mut connectors = Connectors::default();
        if let Some(m) = self.mastodon.as_ref().filter(|m| m.enabled) {
            let token = secret(&m.token_env, "[mastodon]")?;
            let mastodon = Mastodon::new(http.clone(), &m.instance_url, token)?;
            connectors.insert(Network::Mastodon, Connector::Mastodon(mastodon))?;
        }
        if let Some(b) = self.bluesky.as_ref().filter(|b| b.enabled) {
            let password = secret(&b.password_env, "[bluesky]")?;
            let bluesky = Bluesky::new(http.clone(), &b.service_url, &b.handle, password)?;
            connectors.insert(Network::Bluesky, Connector::Bluesky(bluesky))?;
        }
        if let Some(w) = self.webhook.as_ref().filter(|w| w.enabled) {
            let key = secret(&w.secret_env, "[webhook]")?;
            let mut networks = BTreeSet::new();
            for name in &w.networks {
                let Some(network) = Network::parse(name) else {
                    bail!(
                        "[webhook] networks: `{name}` is not one of mastodon, bluesky, x, facebook, linkedin"
                    );
                };
                networks.insert(network);
            }
            if networks.is_empty() {
                bail!("[webhook] networks is empty: name the networks whose posts go to the webhook");
            }
            let webhook = Webhook::new(http.clone(), &w.url, key)?;
            for network in networks {
                connectors.insert(network, Connector::Webhook(webhook.clone()))?;
            }
        }
        Ok(connectors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_names_secrets_and_the_environment_supplies_them() {
        let config: SocialConfig = toml::from_str(
            r#"
            [mastodon]
            instance_url = "https://mastodon.example"
            [bluesky]
            handle = "group.bsky.social"
            enabled = false
            [webhook]
            url = "https://hooks.example/caucus"
            networks = ["linkedin", "facebook"]
            secret_env = "HOOK_KEY"
            "#,
        )
        .expect("parses");
        let env = |name: &str| match name {
            "CAUCUS_MASTODON_TOKEN" => Some("t".to_owned()),
            "HOOK_KEY" => Some("k".to_owned()),
            _ => None,
        };
        let connectors = config.connectors(env).expect("connectors");
        let networks: Vec<Network> = connectors.networks().collect();
        assert_eq!(networks, [Network::Mastodon, Network::Facebook, Network::Linkedin]);

        let missing = config.connectors(|_| None).expect_err("no token");
        assert!(missing.to_string().contains("CAUCUS_MASTODON_TOKEN"), "{missing}");
    }

    #[test]
    fn a_secret_in_the_file_is_refused_and_a_secret_never_prints() {
        let refused = toml::from_str::<SocialConfig>(
            "[mastodon]\ninstance_url = \"https://m.example\"\ntoken = \"abc\"\n",
        );
        assert!(refused.is_err(), "unknown keys (a token) are refused");
        assert_eq!(format!("{:?}", Secret::new("hunter2")), "Secret(<redacted>)");
    }

    #[test]
    fn an_unknown_webhook_network_is_named() {
        let config = SocialConfig::from_env(|name| match name {
            "CAUCUS_WEBHOOK_URL" => Some("https://hooks.example/".to_owned()),
            "CAUCUS_WEBHOOK_NETWORKS" => Some("linkedin, myspace".to_owned()),
            "CAUCUS_WEBHOOK_SECRET" => Some("k".to_owned()),
            _ => None,
        });
        let error = config.connectors(|name| (name == "CAUCUS_WEBHOOK_SECRET").then(|| "k".to_owned()));
        assert!(error.expect_err("myspace").to_string().contains("myspace"));
    }
}
