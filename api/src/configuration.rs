//! Settings, from command-line flags or `CAUCUS_*` environment variables.

use std::{net::SocketAddr, path::PathBuf, sync::Arc, time::Duration};

use anyhow::Context;
use clap::Args;

use crate::audit::checkpoint::CheckpointSigner;
use crate::auth::{AuthConfig, ClaimMapping, GroupSource, KeySource, OidcConfig};
use crate::domain::{GroupId, Nation, Role, WorkingDays, case::CaseCategories, publication::Slug};
use crate::personal::SecretKey;
use crate::store::{StoreConfig, chain::CheckpointPolicy};

/// Where the event store lives.
#[derive(Debug, Clone, Args)]
pub struct StoreSettings {
    /// PostgreSQL connection URL. Without it Caucus uses the embedded SQLite store
    /// in the data directory.
    #[arg(long, env = "CAUCUS_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// Folder for the embedded store and the development signing secret.
    #[arg(long, env = "CAUCUS_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// The most PostgreSQL connections this process opens.
    #[arg(long, env = "CAUCUS_DATABASE_MAX_CONNECTIONS", default_value_t = 32)]
    pub max_connections: u32,
}

impl StoreSettings {
    /// The store to open.
    pub fn store(&self) -> anyhow::Result<StoreConfig> {
        Ok(match &self.database_url {
            Some(url) => StoreConfig::Postgres { url: url.clone(), max_connections: self.max_connections },
            None => {
                std::fs::create_dir_all(&self.data_dir)
                    .with_context(|| format!("cannot create data directory {}", self.data_dir.display()))?;
                StoreConfig::Sqlite { path: self.data_dir.join("caucus.sqlite3") }
            }
        })
    }
}

/// How tokens are checked.
#[derive(Debug, Clone, Args)]
pub struct AuthSettings {
    /// A shared HS256 secret. Prefer a secret manager's environment variable to a flag.
    #[arg(long, env = "CAUCUS_JWT_SECRET", hide_env_values = true, conflicts_with = "jwks_file")]
    pub jwt_secret: Option<String>,

    /// A JWKS file of EdDSA or RS256 public keys, selected by the token's `kid`.
    #[arg(long, env = "CAUCUS_JWKS_FILE")]
    pub jwks_file: Option<PathBuf>,

    /// The required `iss` claim.
    #[arg(long, env = "CAUCUS_JWT_ISSUER", default_value = "caucus")]
    pub jwt_issuer: String,

    /// The required `aud` claim.
    #[arg(long, env = "CAUCUS_JWT_AUDIENCE", default_value = "caucus-api")]
    pub jwt_audience: String,

    /// An OpenID Connect provider whose access tokens the api accepts besides
    /// its own: its issuer, exactly as its discovery document and tokens spell
    /// it (https, or http on loopback only).
    #[arg(long, env = "CAUCUS_OIDC_ISSUER", requires = "oidc_audience")]
    pub oidc_issuer: Option<String>,

    /// The `aud` the provider's tokens must carry: the api's client id or
    /// application id URI at the provider.
    #[arg(long, env = "CAUCUS_OIDC_AUDIENCE", requires = "oidc_issuer")]
    pub oidc_audience: Option<String>,

    /// The claim of the provider's tokens holding the roles (a list or one
    /// string); a dotted path reaches into nested objects (Keycloak's
    /// `realm_access.roles`).
    #[arg(long, env = "CAUCUS_OIDC_ROLES_CLAIM", default_value = "roles")]
    pub oidc_roles_claim: String,

    /// The provider's role names and the Caucus role each grants, as
    /// comma-separated `theirs=ours` pairs (`Caucus.Leader=leader,...`).
    /// Without it, the provider's role names must be Caucus's own. Names
    /// mapped to nothing are ignored.
    #[arg(long, env = "CAUCUS_OIDC_ROLE_MAP", value_delimiter = ',', requires = "oidc_issuer")]
    pub oidc_role_map: Vec<String>,

    /// The claim of the provider's tokens naming the caller's group.
    #[arg(long, env = "CAUCUS_OIDC_GROUP_CLAIM", conflicts_with = "oidc_group", requires = "oidc_issuer")]
    pub oidc_group_claim: Option<String>,

    /// The one group every token of the provider belongs to, for providers
    /// with no group claim (Entra ID).
    #[arg(long, env = "CAUCUS_OIDC_GROUP", requires = "oidc_issuer")]
    pub oidc_group: Option<String>,

    /// The least seconds between two fetches of the provider's keys, however
    /// many tokens naming an unknown key arrive.
    #[arg(long, env = "CAUCUS_OIDC_REFETCH_SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub oidc_refetch_seconds: u64,
}

/// The file holding the development secret when no key is configured.
const DEV_SECRET_FILE: &str = "dev-jwt-secret";

impl AuthSettings {
    /// The key source: the configured one, or a development secret kept in the
    /// data directory (created on first use) so tokens minted by `caucus token`
    /// work without any setup.
    pub fn auth_config(&self, data_dir: &std::path::Path) -> anyhow::Result<AuthConfig> {
        let keys = match (&self.jwt_secret, &self.jwks_file) {
            (Some(secret), _) => KeySource::SharedSecret(secret.as_bytes().to_vec()),
            (None, Some(path)) => KeySource::Jwks(path.clone()),
            (None, None) => KeySource::SharedSecret(dev_secret(data_dir)?),
        };
        let keys = match self.oidc()? {
            Some(provider) => KeySource::WithProvider { own: Box::new(keys), provider },
            None => keys,
        };
        Ok(AuthConfig {
            keys,
            issuer: self.jwt_issuer.clone(),
            audience: self.jwt_audience.clone(),
            leeway_seconds: 30,
        })
    }

    /// The OpenID Connect provider, if one is configured.
    pub fn oidc(&self) -> anyhow::Result<Option<OidcConfig>> {
        let Some(issuer) = &self.oidc_issuer else { return Ok(None) };
        check_issuer_url(issuer)?;
        let audience =
            self.oidc_audience.clone().context("set CAUCUS_OIDC_AUDIENCE with CAUCUS_OIDC_ISSUER")?;
        let group = match (&self.oidc_group_claim, &self.oidc_group) {
            (Some(claim), None) => GroupSource::Claim(claim.clone()),
            (None, Some(group)) => GroupSource::Fixed(
                GroupId::parse(group).with_context(|| format!("CAUCUS_OIDC_GROUP {group:?}"))?,
            ),
            _ => anyhow::bail!(
                "with CAUCUS_OIDC_ISSUER, set either CAUCUS_OIDC_GROUP_CLAIM (the claim naming the group) \
                 or CAUCUS_OIDC_GROUP (one group for every token)"
            ),
        };
        let role_map = self
            .oidc_role_map
            .iter()
            .map(|pair| {
                let (theirs, ours) = pair
                    .split_once('=')
                    .with_context(|| format!("CAUCUS_OIDC_ROLE_MAP: {pair:?} is not a `theirs=ours` pair"))?;
                let role = Role::parse(ours.trim()).with_context(|| {
                    format!(
                        "CAUCUS_OIDC_ROLE_MAP: {ours:?} is not a Caucus role (one of {})",
                        Role::ALL.map(Role::as_str).join(", ")
                    )
                })?;
                Ok((theirs.trim().to_owned(), role))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Some(OidcConfig {
            issuer: issuer.clone(),
            audience,
            mapping: ClaimMapping { roles_claim: self.oidc_roles_claim.clone(), role_map, group },
            leeway_seconds: 30,
            refetch_interval: Duration::from_secs(self.oidc_refetch_seconds),
        }))
    }

    /// The HS256 secret `caucus token` signs with.
    pub fn signing_secret(&self, data_dir: &std::path::Path) -> anyhow::Result<Vec<u8>> {
        match (&self.jwt_secret, &self.jwks_file) {
            (Some(secret), _) => Ok(secret.as_bytes().to_vec()),
            (None, Some(_)) => anyhow::bail!(
                "tokens for a JWKS deployment are issued by its identity provider, not by caucus"
            ),
            (None, None) => dev_secret(data_dir),
        }
    }
}

/// Keys fetched over plain http could be replaced on the way: only loopback
/// (a provider on the same machine, as in tests) may use it.
fn check_issuer_url(issuer: &str) -> anyhow::Result<()> {
    if issuer.starts_with("https://") {
        return Ok(());
    }
    let host = issuer.strip_prefix("http://").and_then(|rest| rest.split(['/', '?', '#']).next());
    let host = host.map(|authority| match authority.rsplit_once(':') {
        Some((host, _)) if !authority.ends_with(']') => host,
        _ => authority,
    });
    match host {
        Some("127.0.0.1" | "localhost" | "[::1]") => Ok(()),
        _ => anyhow::bail!("CAUCUS_OIDC_ISSUER {issuer:?} must be an https URL (http only on loopback)"),
    }
}

fn dev_secret(data_dir: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    let path = data_dir.join(DEV_SECRET_FILE);
    if let Ok(secret) = std::fs::read(&path) {
        return Ok(secret);
    }
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create data directory {}", data_dir.display()))?;
    let secret = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
    std::fs::write(&path, &secret).with_context(|| format!("cannot write {}", path.display()))?;
    tracing::warn!(path = %path.display(), "no JWT key configured: using a development secret");
    Ok(secret.into_bytes())
}

/// Where the HTTP server listens.
#[derive(Debug, Clone, Args)]
pub struct ServerSettings {
    /// Address and port to listen on (port 0 picks a free one).
    #[arg(long, env = "CAUCUS_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "CAUCUS_WORKERS")]
    pub workers: Option<usize>,

    /// The group's Mastodon instance's maximum status length: social texts for
    /// Mastodon are checked against it at submission.
    #[arg(long, env = "CAUCUS_MASTODON_MAX_CHARS", default_value_t = crate::domain::publication::social_text::MASTODON_DEFAULT_MAX)]
    pub mastodon_max_chars: usize,

    /// The council's deadline for motions and questions: this many clear
    /// working days before the meeting ...
    #[arg(long, env = "CAUCUS_MOTION_DEADLINE_DAYS", default_value_t = 7)]
    pub motion_deadline_days: u8,

    /// ... at this time of day (HH:MM) ...
    #[arg(long, env = "CAUCUS_MOTION_DEADLINE_TIME", default_value = "12:00")]
    pub motion_deadline_time: chrono::NaiveTime,

    /// ... in the council's time zone (an IANA name).
    #[arg(long, env = "CAUCUS_TIME_ZONE", default_value = "Europe/London")]
    pub time_zone: chrono_tz::Tz,

    /// Whose bank holidays are not working days: `england-and-wales`,
    /// `scotland` or `northern-ireland`.
    #[arg(long, env = "CAUCUS_BANK_HOLIDAYS", default_value = "england-and-wales")]
    pub bank_holidays: Nation,

    /// A file in the format of GOV.UK's `bank-holidays.json` that corrects
    /// the years it lists and adds others to those shipped (2020 to 2030).
    #[arg(long, env = "CAUCUS_BANK_HOLIDAYS_FILE")]
    pub bank_holidays_file: Option<PathBuf>,

    /// The categories cases are filed under, comma-separated (lowercase
    /// letters, digits and single hyphens). By default: housing, repairs,
    /// highways, waste, parking, planning, council tax and benefits,
    /// anti-social behaviour, social care, schools, environment, other.
    #[arg(long, env = "CAUCUS_CASE_CATEGORIES", value_delimiter = ',')]
    pub case_categories: Vec<String>,

    /// How many months after a case closes its personal data is erased (a
    /// case may keep its own longer period, with a reason).
    #[arg(long, env = "CAUCUS_CASE_RETENTION_MONTHS", default_value_t = crate::domain::case::DEFAULT_RETENTION_MONTHS,
          value_parser = clap::value_parser!(u16).range(1..=i64::from(crate::domain::case::MAX_RETENTION_MONTHS)))]
    pub case_retention_months: u16,

    /// The value of hospitality per head, in pence, at or over which members
    /// who received it must register it (default 5000: £50).
    #[arg(long, env = "CAUCUS_HOSPITALITY_THRESHOLD_PENCE",
          default_value_t = crate::domain::group_event::DEFAULT_HOSPITALITY_THRESHOLD_PENCE)]
    pub hospitality_threshold_pence: u64,

    /// The amount of spending, in pence, above which two different Group
    /// Officers must approve it (default 50000: £500).
    #[arg(long, env = "CAUCUS_SPENDING_SECOND_APPROVAL_ABOVE_PENCE",
          default_value_t = crate::domain::budget::DEFAULT_SECOND_APPROVAL_ABOVE_PENCE)]
    pub spending_second_approval_above_pence: u64,

    /// The page the website's enquiry form sends a resident to after (the
    /// group's site's own thank-you page); by default the api's own.
    #[arg(long, env = "CAUCUS_ENQUIRY_THANKS_URL")]
    pub enquiry_thanks_url: Option<String>,

    /// How many enquiries one client address may send through the form in an hour.
    #[arg(long, env = "CAUCUS_ENQUIRIES_PER_HOUR", default_value_t = crate::routes::DEFAULT_ENQUIRIES_PER_HOUR,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub enquiries_per_hour: u32,

    /// The reverse proxies in front of the api (IP addresses, comma-separated):
    /// the client of a request one of them forwards is the address it names in
    /// `X-Forwarded-For`. Anyone else's `X-Forwarded-For` is ignored.
    #[arg(long, env = "CAUCUS_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,

    // Probity: donations (issue 18).
    /// A donor's calendar-year total, in pence, at or over which a members
    /// association must report it (default 1118000: £11,180, from 2024; it is
    /// uprated, so set it when it is).
    #[arg(long, env = "CAUCUS_DONATION_REPORTING_THRESHOLD_PENCE",
          default_value_t = crate::domain::donation::DEFAULT_REPORTING_THRESHOLD_PENCE)]
    pub donation_reporting_threshold_pence: u64,

    /// The amount of a donation, in pence, over which its donor's
    /// permissibility must be checked within 30 days (default 50000: £500).
    #[arg(long, env = "CAUCUS_DONATION_CHECK_THRESHOLD_PENCE",
          default_value_t = crate::domain::donation::DEFAULT_CHECK_THRESHOLD_PENCE)]
    pub donation_check_threshold_pence: u64,
}

impl ServerSettings {
    /// The council's deadline for motions and questions.
    pub fn motion_deadline(&self) -> crate::domain::motion::SubmissionDeadline {
        crate::domain::motion::SubmissionDeadline {
            clear_working_days: self.motion_deadline_days,
            at: self.motion_deadline_time,
            zone: self.time_zone,
        }
    }

    /// The working days the papers, motions and casework rules count in.
    pub fn working_days(&self) -> anyhow::Result<WorkingDays> {
        let shipped = WorkingDays::shipped(self.bank_holidays);
        let Some(path) = &self.bank_holidays_file else { return Ok(shipped) };
        let file = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the bank holidays file {}", path.display()))?;
        shipped.with_file(&file).with_context(|| format!("the bank holidays file {}", path.display()))
    }

    /// Today in the council's time zone.
    pub fn today(&self) -> chrono::NaiveDate {
        chrono::Utc::now().with_timezone(&self.time_zone).date_naive()
    }

    /// The categories cases are filed under.
    pub fn case_categories(&self) -> anyhow::Result<CaseCategories> {
        if self.case_categories.is_empty() {
            return Ok(CaseCategories::default());
        }
        let names = self
            .case_categories
            .iter()
            .map(|name| {
                Slug::parse(name.trim()).map_err(|_| {
                    anyhow::anyhow!(
                        "case category {name:?}: use lowercase letters, digits and single hyphens"
                    )
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        CaseCategories::new(names).context("name at least one case category")
    }

    /// The limits social texts are checked against.
    pub fn social_limits(&self) -> crate::domain::publication::SocialLimits {
        crate::domain::publication::SocialLimits { mastodon_max_chars: self.mastodon_max_chars }
    }
}

/// How the audit chain's checkpoints are signed.
#[derive(Debug, Clone, Args)]
pub struct AuditSettings {
    /// The Ed25519 key checkpoints are signed with, as a signed-note private key
    /// (`PRIVATE+KEY+name+id+key`; `caucus audit-key --generate` writes one).
    /// Without it, a development key is kept in the data directory.
    #[arg(long, env = "CAUCUS_AUDIT_KEY_FILE")]
    pub audit_key_file: Option<PathBuf>,

    /// The least time between two signed checkpoints of a group's log.
    #[arg(long, env = "CAUCUS_CHECKPOINT_INTERVAL_SECONDS", default_value_t = 60)]
    pub checkpoint_interval_seconds: u64,

    /// A file holding the master key (32 bytes in base64url) that wraps each data
    /// subject's key, so a database dump alone reveals no personal data. Without
    /// it, a development key is kept in the data directory.
    #[arg(long, env = "CAUCUS_MASTER_KEY_FILE")]
    pub master_key_file: Option<PathBuf>,
}

/// The file holding the development master key when none is configured.
const DEV_MASTER_KEY_FILE: &str = "dev-master-key";

/// The file holding the development checkpoint key when none is configured.
const DEV_AUDIT_KEY_FILE: &str = "dev-audit-key";

/// The public verifier key of the development checkpoint key in `data_dir`,
/// if a server there made one; never creates it (the publisher, a read-only
/// reader of the same data directory, checks the checkpoints it publishes
/// with it).
pub fn development_verifier_key(data_dir: &std::path::Path) -> anyhow::Result<Option<String>> {
    let path = data_dir.join(DEV_AUDIT_KEY_FILE);
    if !path.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let signer = CheckpointSigner::from_key_text(&text)
        .with_context(|| format!("{} holds no usable key", path.display()))?;
    Ok(Some(signer.verifier_key().to_owned()))
}

impl AuditSettings {
    /// The signer: the configured key, or a development key kept in the data
    /// directory (created on first use).
    pub fn signer(&self, data_dir: &std::path::Path) -> anyhow::Result<CheckpointSigner> {
        let path = match &self.audit_key_file {
            Some(path) => path.clone(),
            None => {
                let path = data_dir.join(DEV_AUDIT_KEY_FILE);
                if !path.exists() {
                    std::fs::create_dir_all(data_dir)
                        .with_context(|| format!("cannot create data directory {}", data_dir.display()))?;
                    let (_, text) = CheckpointSigner::generate("caucus")?;
                    std::fs::write(&path, text)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    tracing::warn!(path = %path.display(), "no audit key configured: using a development key");
                }
                path
            }
        };
        let text =
            std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        CheckpointSigner::from_key_text(&text)
            .with_context(|| format!("{} holds no usable key", path.display()))
    }

    /// The master key: the configured one, or a development key kept in the data
    /// directory (created on first use).
    pub fn master_key(&self, data_dir: &std::path::Path) -> anyhow::Result<SecretKey> {
        let path = match &self.master_key_file {
            Some(path) => path.clone(),
            None => {
                let path = data_dir.join(DEV_MASTER_KEY_FILE);
                if !path.exists() {
                    std::fs::create_dir_all(data_dir)
                        .with_context(|| format!("cannot create data directory {}", data_dir.display()))?;
                    std::fs::write(&path, SecretKey::generate().encode())
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    tracing::warn!(path = %path.display(), "no master key configured: using a development key");
                }
                path
            }
        };
        let text =
            std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        SecretKey::decode(&text)
            .with_context(|| format!("{} holds no master key (32 bytes in base64url)", path.display()))
    }

    /// How checkpoints are signed.
    pub fn policy(&self, data_dir: &std::path::Path) -> anyhow::Result<CheckpointPolicy> {
        Ok(CheckpointPolicy {
            signer: Some(Arc::new(self.signer(data_dir)?)),
            interval: Duration::from_secs(self.checkpoint_interval_seconds),
        })
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        server: ServerSettings,
    }

    #[derive(Parser)]
    struct AuthCli {
        #[command(flatten)]
        auth: AuthSettings,
    }

    fn oidc(args: &[&str]) -> anyhow::Result<Option<OidcConfig>> {
        let args = std::iter::once("caucus").chain(args.iter().copied());
        AuthCli::try_parse_from(args)?.auth.oidc()
    }

    #[test]
    fn an_openid_provider_is_configured_with_its_audience_group_and_role_names() {
        assert!(oidc(&[]).expect("none").is_none());
        let entra = oidc(&[
            "--oidc-issuer",
            "https://login.microsoftonline.com/tenant/v2.0",
            "--oidc-audience",
            "api://caucus",
            "--oidc-group",
            "newham-labour",
            "--oidc-role-map",
            "Caucus.Assistant=assistant, Caucus.Leader=leader",
        ])
        .expect("valid")
        .expect("configured");
        assert_eq!(entra.mapping.roles_claim, "roles");
        assert_eq!(
            entra.mapping.role_map,
            [("Caucus.Assistant".to_owned(), Role::Assistant), ("Caucus.Leader".to_owned(), Role::Leader)]
        );
        assert_eq!(entra.mapping.group, GroupSource::Fixed(GroupId::parse("newham-labour").expect("group")));
        assert_eq!(entra.refetch_interval, Duration::from_secs(30));

        let keycloak = oidc(&[
            "--oidc-issuer",
            "http://127.0.0.1:8081/realms/council",
            "--oidc-audience",
            "caucus",
            "--oidc-group-claim",
            "caucus_group",
            "--oidc-roles-claim",
            "realm_access.roles",
        ])
        .expect("valid")
        .expect("configured");
        assert_eq!(keycloak.mapping.group, GroupSource::Claim("caucus_group".into()));
        assert!(keycloak.mapping.role_map.is_empty());
    }

    #[test]
    fn openid_settings_that_cannot_work_are_refused_at_start() {
        let base = ["--oidc-issuer", "https://id.example", "--oidc-audience", "caucus"];
        let with = |extra: &[&str]| oidc(&[&base[..], extra].concat());
        let no_group = with(&[]).expect_err("no group");
        assert!(no_group.to_string().contains("CAUCUS_OIDC_GROUP"), "{no_group}");
        assert!(with(&["--oidc-group", "g", "--oidc-group-claim", "group"]).is_err(), "both");
        assert!(with(&["--oidc-group", "Newham Labour"]).is_err(), "not a group id");
        let bad_role = with(&["--oidc-group", "g", "--oidc-role-map", "Caucus.Boss=boss"]).expect_err("role");
        assert!(format!("{bad_role:#}").contains("assistant, leader"), "{bad_role:#}");
        assert!(oidc(&["--oidc-issuer", "https://id.example"]).is_err(), "no audience");
        assert!(oidc(&["--oidc-group", "g"]).is_err(), "no issuer");
        for insecure in ["http://id.example", "http://127.0.0.1.example.com", "id.example"] {
            let args = ["--oidc-issuer", insecure, "--oidc-audience", "a", "--oidc-group", "g"];
            assert!(oidc(&args).is_err(), "{insecure}");
        }
        for loopback in ["http://127.0.0.1:4000", "http://localhost/realms/x", "http://[::1]:4000"] {
            let args = ["--oidc-issuer", loopback, "--oidc-audience", "a", "--oidc-group", "g"];
            assert!(oidc(&args).is_ok(), "{loopback}");
        }
    }

    fn date(s: &str) -> chrono::NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn case_categories_are_the_defaults_or_the_configured_ones() {
        let defaults = Cli::parse_from(["caucus"]).server.case_categories().expect("defaults");
        assert_eq!(defaults.as_slice().len(), 12);
        let own = Cli::parse_from(["caucus", "--case-categories", "housing,immigration, transport"])
            .server
            .case_categories()
            .expect("own");
        let names: Vec<&str> = own.as_slice().iter().map(|c| c.as_str()).collect();
        assert_eq!(names, ["housing", "immigration", "transport"]);
        let bad = Cli::parse_from(["caucus", "--case-categories", "Council Tax"]).server.case_categories();
        assert!(bad.expect_err("not a slug").to_string().contains("Council Tax"));
    }

    #[test]
    fn working_days_keep_the_configured_nations_bank_holidays_and_a_file_corrects_them() {
        let england = Cli::parse_from(["caucus"]).server.working_days().expect("shipped");
        assert_eq!(england.nation(), Nation::EnglandAndWales);
        assert!(england.is_working_day(date("2026-01-02")));

        let scotland = Cli::parse_from(["caucus", "--bank-holidays", "scotland"])
            .server
            .working_days()
            .expect("shipped");
        assert!(!scotland.is_working_day(date("2026-01-02")), "Scotland keeps 2 January");

        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("bank-holidays.json");
        let extra = r#"{"scotland": {"division": "scotland", "events": [
            {"title": "Royal funeral", "date": "2031-09-19", "notes": "", "bunting": false}]}}"#;
        std::fs::write(&file, extra).expect("write");
        let path = file.to_str().expect("path");
        let cli = Cli::parse_from(["caucus", "--bank-holidays", "scotland", "--bank-holidays-file", path]);
        let corrected = cli.server.working_days().expect("file");
        assert_eq!(corrected.holiday(date("2031-09-19")), Some("Royal funeral"));
        assert!(!corrected.is_working_day(date("2026-01-02")), "the shipped years stay");

        let wrong_nation = Cli::parse_from(["caucus", "--bank-holidays-file", path]).server.working_days();
        let message = format!("{:#}", wrong_nation.expect_err("no england-and-wales division"));
        assert!(message.contains("england-and-wales"), "{message}");
        assert!(Cli::try_parse_from(["caucus", "--bank-holidays", "wales"]).is_err());
    }
}
