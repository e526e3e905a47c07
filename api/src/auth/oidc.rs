//! Tokens from an OpenID Connect provider (Entra ID, Keycloak, Google
//! Workspace, ...): its signing keys found through its discovery document and
//! cached, and its claims mapped to Caucus's group and roles by configuration.
//!
//! Keys are fetched lazily (and once in the background at start), so the api
//! starts while the provider is out of reach; until a first fetch succeeds its
//! tokens are answered 503 with `Retry-After`. A token naming a key id the
//! cache lacks makes the api fetch the key set again, at most once per
//! [`OidcConfig::refetch_interval`] however many such tokens arrive, so a
//! rotation needs no restart and a flood of forged tokens cannot hammer the
//! provider. Keys older than [`KEYS_MAX_AGE`] are refetched in the background,
//! so a key the provider withdrew stops working.

use std::{
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

use jsonwebtoken::{
    Algorithm, DecodingKey, Validation,
    jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyAlgorithm, PublicKeyUse},
};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::claims::{Claims, TokenError};
use crate::domain::{GroupId, Role};

/// How long a fetched key set is trusted before it is fetched again in the
/// background (keeping the old one if that fails).
pub const KEYS_MAX_AGE: Duration = Duration::from_secs(3600);

/// How long one fetch of the discovery document or the key set may take.
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);

/// An OpenID Connect provider whose access tokens the api accepts.
#[derive(Debug, Clone)]
pub struct OidcConfig {
    /// The issuer, exactly as the provider spells it in its discovery
    /// document and its tokens' `iss` (e.g.
    /// `https://login.microsoftonline.com/<tenant>/v2.0`).
    pub issuer: String,
    /// The `aud` the provider's tokens must carry: the api's client id or
    /// application id URI at the provider.
    pub audience: String,
    /// How the provider's claims become a group and roles.
    pub mapping: ClaimMapping,
    /// Seconds of clock skew allowed on `exp` and `nbf`.
    pub leeway_seconds: u64,
    /// The least time between two fetches of the key set.
    pub refetch_interval: Duration,
}

/// Where a provider's token says which group the caller belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupSource {
    /// A claim naming the group (a dotted path into nested objects).
    Claim(String),
    /// One group for every token of the provider (Entra ID has no group
    /// claim: one deployment serves one group).
    Fixed(GroupId),
}

/// How a provider's claims become Caucus's group and roles.
#[derive(Debug, Clone)]
pub struct ClaimMapping {
    /// The claim holding the roles, a list or a single string; a dotted path
    /// reaches into nested objects (Keycloak's `realm_access.roles`).
    pub roles_claim: String,
    /// The provider's role names and the Caucus role each grants. When empty,
    /// the provider's role names are Caucus's own (`assistant`, ...).
    pub role_map: Vec<(String, Role)>,
    /// Where the group comes from.
    pub group: GroupSource,
}

impl ClaimMapping {
    /// The group and roles `claims` grant. Role names the mapping does not
    /// know are ignored (a provider lists every application's roles); a token
    /// left with no Caucus role, or without a well-formed group, is refused.
    pub fn grants(&self, claims: &Map<String, Value>) -> Result<(GroupId, Vec<Role>), TokenError> {
        let group = match &self.group {
            GroupSource::Fixed(group) => group.clone(),
            GroupSource::Claim(path) => {
                let name = match claim(claims, path) {
                    Some(Value::String(name)) => Some(name.as_str()),
                    // Some providers send a list even of one group.
                    Some(Value::Array(names)) if names.len() == 1 => names[0].as_str(),
                    _ => None,
                };
                name.and_then(|name| GroupId::parse(name).ok()).ok_or(TokenError::NoGroup)?
            }
        };
        let names: Vec<&str> = match claim(claims, &self.roles_claim) {
            Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
            Some(Value::String(name)) => vec![name.as_str()],
            _ => Vec::new(),
        };
        let mut roles: Vec<Role> = names.into_iter().flat_map(|name| self.roles_named(name)).collect();
        roles.sort_unstable();
        roles.dedup();
        if roles.is_empty() {
            return Err(TokenError::NoRole);
        }
        Ok((group, roles))
    }

    fn roles_named(&self, name: &str) -> Vec<Role> {
        if self.role_map.is_empty() {
            Role::parse(name).into_iter().collect()
        } else {
            self.role_map.iter().filter(|(theirs, _)| theirs == name).map(|(_, role)| *role).collect()
        }
    }
}

/// The claim at a dotted `path`.
fn claim<'a>(claims: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    // A claim whose own name holds a dot (some providers' URIs) wins.
    if let Some(value) = claims.get(path) {
        return Some(value);
    }
    let mut parts = path.split('.');
    let first = claims.get(parts.next()?)?;
    parts.try_fold(first, |value, part| value.as_object()?.get(part))
}

/// A verification key and the one algorithm it verifies.
struct ProviderKey {
    kid: Option<String>,
    key: DecodingKey,
    algorithm: Algorithm,
}

struct KeySet {
    keys: Vec<ProviderKey>,
    fetched_at: Instant,
}

/// Why the provider's keys could not be fetched.
#[derive(Debug, thiserror::Error)]
enum FetchError {
    #[error("cannot fetch {url}: {source}")]
    Http { url: String, source: reqwest::Error },
    #[error("the discovery document names the issuer {found:?}, not the configured {configured:?}")]
    IssuerMismatch { found: String, configured: String },
    #[error("the key set at {url} holds no usable signing key")]
    NoUsableKey { url: String },
}

#[derive(Deserialize)]
struct Discovery {
    issuer: String,
    jwks_uri: String,
}

#[derive(Deserialize)]
struct RawKeySet {
    keys: Vec<Value>,
}

/// The algorithm a provider's key verifies: its `alg`, or else the one its
/// type and curve imply. Never the token's header's.
fn algorithm_of(jwk: &Jwk) -> Option<Algorithm> {
    let family = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => "RSA",
        AlgorithmParameters::EllipticCurve(params) => match params.curve {
            EllipticCurve::P256 => "P-256",
            EllipticCurve::P384 => "P-384",
            _ => return None,
        },
        AlgorithmParameters::OctetKeyPair(_) => "OKP",
        _ => return None,
    };
    match (family, jwk.common.key_algorithm) {
        ("RSA", None | Some(KeyAlgorithm::RS256)) => Some(Algorithm::RS256),
        ("RSA", Some(KeyAlgorithm::RS384)) => Some(Algorithm::RS384),
        ("RSA", Some(KeyAlgorithm::RS512)) => Some(Algorithm::RS512),
        ("RSA", Some(KeyAlgorithm::PS256)) => Some(Algorithm::PS256),
        ("RSA", Some(KeyAlgorithm::PS384)) => Some(Algorithm::PS384),
        ("RSA", Some(KeyAlgorithm::PS512)) => Some(Algorithm::PS512),
        ("P-256", None | Some(KeyAlgorithm::ES256)) => Some(Algorithm::ES256),
        ("P-384", None | Some(KeyAlgorithm::ES384)) => Some(Algorithm::ES384),
        ("OKP", None | Some(KeyAlgorithm::EdDSA)) => Some(Algorithm::EdDSA),
        _ => None,
    }
}

/// The signing keys of `set`; keys for encryption, of unknown types or that
/// do not parse are skipped, since a provider may publish keys for others.
fn signing_keys(set: RawKeySet) -> Vec<ProviderKey> {
    set.keys
        .into_iter()
        .filter_map(|value| serde_json::from_value::<Jwk>(value).ok())
        .filter(|jwk| matches!(jwk.common.public_key_use, None | Some(PublicKeyUse::Signature)))
        .filter_map(|jwk| {
            let algorithm = algorithm_of(&jwk)?;
            let key = DecodingKey::from_jwk(&jwk).ok()?;
            Some(ProviderKey { kid: jwk.common.key_id, key, algorithm })
        })
        .collect()
}

/// An OpenID provider's keys, cached, and the checks on its tokens.
pub(super) struct Provider {
    config: OidcConfig,
    http: reqwest::Client,
    keys: RwLock<Option<Arc<KeySet>>>,
    /// When a fetch was last attempted; held while fetching, so concurrent
    /// requests for an unknown key wait for one fetch instead of each making
    /// their own.
    last_attempt: tokio::sync::Mutex<Option<Instant>>,
}

/// What the cache holds for a key id.
enum Lookup {
    Found(Arc<KeySet>, usize),
    Unknown,
    NoKeys,
}

impl Provider {
    pub(super) fn new(config: OidcConfig) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .timeout(FETCH_TIMEOUT)
            // Fetches are rare and may come from any worker's runtime: a
            // pooled connection would belong to the runtime that opened it.
            .pool_max_idle_per_host(0)
            .build()?;
        Ok(Self { config, http, keys: RwLock::new(None), last_attempt: tokio::sync::Mutex::new(None) })
    }

    pub(super) fn issuer(&self) -> &str {
        &self.config.issuer
    }

    /// Verifies `token` with the keys in the cache, never fetching: for
    /// callers that cannot wait.
    pub(super) fn verify_cached(&self, token: &str) -> Result<Claims, TokenError> {
        let kid = kid_of(token)?;
        match self.lookup(kid.as_deref()) {
            Lookup::Found(set, index) => self.check(token, &set.keys[index]),
            Lookup::Unknown => Err(TokenError::UnknownKey),
            Lookup::NoKeys => Err(TokenError::ProviderUnavailable { retry_after_seconds: 1 }),
        }
    }

    /// Verifies `token`, fetching the key set if it names a key the cache
    /// lacks (rate-limited).
    pub(super) async fn verify(self: &Arc<Self>, token: &str) -> Result<Claims, TokenError> {
        let kid = kid_of(token)?;
        if let Lookup::Found(set, index) = self.lookup(kid.as_deref()) {
            if set.fetched_at.elapsed() > KEYS_MAX_AGE {
                self.refresh_in_background();
            }
            return self.check(token, &set.keys[index]);
        }
        let wait = self.refresh().await;
        match self.lookup(kid.as_deref()) {
            Lookup::Found(set, index) => self.check(token, &set.keys[index]),
            Lookup::Unknown => Err(TokenError::UnknownKey),
            Lookup::NoKeys => {
                Err(TokenError::ProviderUnavailable { retry_after_seconds: wait.as_secs().max(1) })
            }
        }
    }

    fn lookup(&self, kid: Option<&str>) -> Lookup {
        let Some(set) = self.keys.read().ok().and_then(|keys| keys.clone()) else { return Lookup::NoKeys };
        let index = match kid {
            Some(kid) => set.keys.iter().position(|key| key.kid.as_deref() == Some(kid)),
            // A token without a kid is accepted only where the choice is unambiguous.
            None if set.keys.len() == 1 => Some(0),
            None => None,
        };
        match index {
            Some(index) => Lookup::Found(set, index),
            None => Lookup::Unknown,
        }
    }

    fn check(&self, token: &str, key: &ProviderKey) -> Result<Claims, TokenError> {
        let mut validation = Validation::new(key.algorithm);
        validation.set_required_spec_claims(&["sub", "exp", "iss", "aud"]);
        validation.set_issuer(&[&self.config.issuer]);
        validation.set_audience(&[&self.config.audience]);
        validation.leeway = self.config.leeway_seconds;
        validation.validate_nbf = true;
        let claims = jsonwebtoken::decode::<Map<String, Value>>(token, &key.key, &validation)
            .map_err(|e| TokenError::Invalid(e.to_string()))?
            .claims;
        let (group, roles) = self.config.mapping.grants(&claims)?;
        let number = |name: &str| claims.get(name).and_then(Value::as_u64);
        Ok(Claims {
            sub: claims
                .get("sub")
                .and_then(Value::as_str)
                .ok_or_else(|| TokenError::Invalid("the subject is not a string".into()))?
                .to_owned(),
            iss: self.config.issuer.clone(),
            aud: self.config.audience.clone(),
            exp: number("exp").unwrap_or_default(),
            iat: number("iat"),
            nbf: number("nbf"),
            group: group.as_str().to_owned(),
            roles: roles.iter().map(|role| role.as_str().to_owned()).collect(),
        })
    }

    /// Fetches the key set unless a fetch was attempted within the refetch
    /// interval; returns how long until the next fetch may be attempted.
    pub(super) async fn refresh(&self) -> Duration {
        let mut last = self.last_attempt.lock().await;
        if let Some(at) = *last {
            let since = at.elapsed();
            if since < self.config.refetch_interval {
                return self.config.refetch_interval - since;
            }
        }
        *last = Some(Instant::now());
        match self.fetch().await {
            Ok(keys) => {
                tracing::info!(issuer = %self.config.issuer, keys = keys.len(), "fetched the OpenID provider's keys");
                let set = Arc::new(KeySet { keys, fetched_at: Instant::now() });
                if let Ok(mut cache) = self.keys.write() {
                    *cache = Some(set);
                }
            }
            Err(error) => {
                tracing::warn!(issuer = %self.config.issuer, error = %error, "cannot fetch the OpenID provider's keys");
            }
        }
        self.config.refetch_interval
    }

    /// Starts a refresh on the current runtime, if there is one and no other
    /// refresh is under way.
    pub(super) fn refresh_in_background(self: &Arc<Self>) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        let provider = Arc::clone(self);
        runtime.spawn(async move {
            // Another request already refreshing is enough.
            if provider.last_attempt.try_lock().is_ok() {
                provider.refresh().await;
            }
        });
    }

    async fn fetch(&self) -> Result<Vec<ProviderKey>, FetchError> {
        let url = format!("{}/.well-known/openid-configuration", self.config.issuer.trim_end_matches('/'));
        let discovery: Discovery = self.get_json(&url).await?;
        if discovery.issuer != self.config.issuer {
            return Err(FetchError::IssuerMismatch {
                found: discovery.issuer,
                configured: self.config.issuer.clone(),
            });
        }
        let set: RawKeySet = self.get_json(&discovery.jwks_uri).await?;
        let keys = signing_keys(set);
        if keys.is_empty() {
            return Err(FetchError::NoUsableKey { url: discovery.jwks_uri });
        }
        Ok(keys)
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, FetchError> {
        let http = |source| FetchError::Http { url: url.to_owned(), source };
        self.http
            .get(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(http)?
            .json()
            .await
            .map_err(http)
    }
}

fn kid_of(token: &str) -> Result<Option<String>, TokenError> {
    jsonwebtoken::decode_header(token)
        .map(|header| header.kid)
        .map_err(|e| TokenError::Invalid(e.to_string()))
}

/// The `iss` a token claims, unverified: only to choose who must have signed it.
pub(super) fn claimed_issuer(token: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Issuer {
        iss: Option<String>,
    }
    jsonwebtoken::dangerous::insecure_decode_claims::<Issuer>(token).ok()?.iss
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn claims(value: Value) -> Map<String, Value> {
        value.as_object().expect("object").clone()
    }

    fn mapping(role_map: &[(&str, Role)], group: GroupSource) -> ClaimMapping {
        ClaimMapping {
            roles_claim: "roles".into(),
            role_map: role_map.iter().map(|(theirs, role)| ((*theirs).to_owned(), *role)).collect(),
            group,
        }
    }

    fn group(name: &str) -> GroupId {
        GroupId::parse(name).expect("group")
    }

    #[test]
    fn mapped_role_names_grant_their_caucus_roles_and_others_are_ignored() {
        let mapping = mapping(
            &[("Caucus.Leader", Role::Leader), ("Caucus.Whip", Role::Officer)],
            GroupSource::Claim("group".into()),
        );
        let token = claims(
            json!({"group": "newham-labour", "roles": ["Payroll.Reader", "Caucus.Whip", "Caucus.Leader"]}),
        );
        assert_eq!(mapping.grants(&token), Ok((group("newham-labour"), vec![Role::Leader, Role::Officer])));
        // With a map, Caucus's own names mean nothing unless mapped.
        let own_names = claims(json!({"group": "newham-labour", "roles": ["assistant"]}));
        assert_eq!(mapping.grants(&own_names), Err(TokenError::NoRole));
    }

    #[test]
    fn without_a_map_the_providers_role_names_are_caucuss_own() {
        let mapping = mapping(&[], GroupSource::Fixed(group("newham-labour")));
        let token = claims(json!({"roles": "auditor"}));
        assert_eq!(mapping.grants(&token), Ok((group("newham-labour"), vec![Role::Auditor])));
        assert_eq!(mapping.grants(&claims(json!({"roles": ["Auditor"]}))), Err(TokenError::NoRole));
        assert_eq!(mapping.grants(&claims(json!({}))), Err(TokenError::NoRole));
    }

    #[test]
    fn a_dotted_claim_reaches_into_nested_objects() {
        let mut mapping = mapping(&[], GroupSource::Claim("caucus.group".into()));
        mapping.roles_claim = "realm_access.roles".into();
        let token = claims(json!({
            "realm_access": {"roles": ["offline_access", "councillor"]},
            "caucus": {"group": ["newham-labour"]},
        }));
        assert_eq!(mapping.grants(&token), Ok((group("newham-labour"), vec![Role::Councillor])));
    }

    #[test]
    fn a_missing_or_malformed_group_is_refused() {
        let mapping = mapping(&[], GroupSource::Claim("group".into()));
        for token in [
            json!({"roles": ["assistant"]}),
            json!({"roles": ["assistant"], "group": "Newham Labour"}),
            json!({"roles": ["assistant"], "group": ["a", "b"]}),
        ] {
            assert_eq!(mapping.grants(&claims(token.clone())), Err(TokenError::NoGroup), "{token}");
        }
    }

    #[test]
    fn keys_take_their_algorithm_from_their_type_or_alg_and_encryption_keys_are_skipped() {
        let rsa = json!({"kty": "RSA", "kid": "r", "use": "sig", "n": "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw", "e": "AQAB"});
        let ec = json!({"kty": "EC", "kid": "e", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"});
        let enc = json!({"kty": "RSA", "kid": "x", "use": "enc", "n": rsa["n"], "e": "AQAB"});
        let ps = json!({"kty": "RSA", "kid": "p", "alg": "PS256", "n": rsa["n"], "e": "AQAB"});
        let unknown = json!({"kty": "oct", "kid": "h", "k": "c2VjcmV0"});
        let keys = signing_keys(RawKeySet { keys: vec![rsa, ec, enc, ps, unknown] });
        let found: Vec<(Option<&str>, Algorithm)> =
            keys.iter().map(|key| (key.kid.as_deref(), key.algorithm)).collect();
        assert_eq!(
            found,
            [(Some("r"), Algorithm::RS256), (Some("e"), Algorithm::ES256), (Some("p"), Algorithm::PS256)]
        );
    }

    #[test]
    fn the_claimed_issuer_is_read_without_verifying() {
        let token = jsonwebtoken::encode(
            &jsonwebtoken::Header::new(Algorithm::HS256),
            &json!({"iss": "https://id.example", "sub": "x"}),
            &jsonwebtoken::EncodingKey::from_secret(b"anything"),
        )
        .expect("encode");
        assert_eq!(claimed_issuer(&token).as_deref(), Some("https://id.example"));
        assert_eq!(claimed_issuer("not a token"), None);
    }
}
