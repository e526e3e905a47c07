//! Verification keys and token checking. The algorithm always comes from the
//! configuration or the key, never from the token's header, so a token cannot
//! choose a weaker algorithm (or `none`).

use std::{path::PathBuf, sync::Arc};

use jsonwebtoken::{
    Algorithm, DecodingKey, EncodingKey, Header, Validation,
    jwk::{AlgorithmParameters, Jwk, JwkSet, KeyAlgorithm},
};

use super::claims::{Claims, TokenError};
use super::oidc::{self, OidcConfig, Provider};

/// Where verification keys come from.
#[derive(Clone)]
pub enum KeySource {
    /// A shared HS256 secret.
    SharedSecret(Vec<u8>),
    /// A JWKS file of public keys (EdDSA or RS256), chosen by the token's `kid`.
    Jwks(PathBuf),
    /// The api's own keys (`own`: its tokens carry [`AuthConfig::issuer`])
    /// and an OpenID Connect provider's (its tokens carry its issuer). A
    /// token's unverified `iss` chooses which must have signed it; each then
    /// checks the token in full.
    WithProvider {
        /// The api's own keys: a shared secret or a JWKS file.
        own: Box<KeySource>,
        /// The provider.
        provider: OidcConfig,
    },
}

impl std::fmt::Debug for KeySource {
    // Hand-written so a secret can never reach a log through `{:?}`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::SharedSecret(_) => f.write_str("SharedSecret(<redacted>)"),
            Self::Jwks(path) => f.debug_tuple("Jwks").field(path).finish(),
            Self::WithProvider { own, provider } => {
                f.debug_struct("WithProvider").field("own", own).field("provider", provider).finish()
            }
        }
    }
}

/// What a token must say to be accepted.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// The keys.
    pub keys: KeySource,
    /// The required `iss`.
    pub issuer: String,
    /// The required `aud`.
    pub audience: String,
    /// Seconds of clock skew allowed on `exp` and `nbf`.
    pub leeway_seconds: u64,
}

/// Why the authenticator could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The JWKS file could not be read.
    #[error("cannot read the JWKS file {path}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The JWKS file is not a JWKS, or holds an unusable key.
    #[error("the JWKS file {path} is not usable: {reason}")]
    Unusable {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The signing self-test failed.
    #[error("the token self-test failed: {0}")]
    SelfTest(String),
    /// The OpenID provider's settings cannot work.
    #[error("the OpenID Connect settings cannot work: {0}")]
    Provider(String),
}

struct VerificationKey {
    kid: Option<String>,
    key: DecodingKey,
    algorithm: Algorithm,
}

/// Checks bearer tokens.
#[derive(Clone)]
pub struct Authenticator {
    keys: Arc<Vec<VerificationKey>>,
    config: AuthConfig,
    provider: Option<Arc<Provider>>,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticator")
            .field("keys", &self.keys.len())
            .field("issuer", &self.config.issuer)
            .field("audience", &self.config.audience)
            .field("provider", &self.provider.as_ref().map(|p| p.issuer().to_owned()))
            .finish()
    }
}

fn algorithm_of(jwk: &Jwk) -> Option<Algorithm> {
    match (&jwk.algorithm, jwk.common.key_algorithm) {
        (AlgorithmParameters::OctetKeyPair(_), None | Some(KeyAlgorithm::EdDSA)) => Some(Algorithm::EdDSA),
        (AlgorithmParameters::RSA(_), None | Some(KeyAlgorithm::RS256)) => Some(Algorithm::RS256),
        _ => None,
    }
}

impl Authenticator {
    /// Loads the keys and runs a sign-and-verify self-test, so a server with a
    /// broken crypto setup fails at start rather than at its first request.
    /// An OpenID provider's keys are not awaited: a first fetch starts in the
    /// background (on the current tokio runtime, if any), so the api starts
    /// while the provider is out of reach.
    pub fn new(config: AuthConfig) -> Result<Self, KeyError> {
        let (own, provider) = match &config.keys {
            KeySource::WithProvider { own, provider } => (own.as_ref(), Some(provider)),
            own => (own, None),
        };
        let keys = match own {
            KeySource::SharedSecret(secret) => vec![VerificationKey {
                kid: None,
                key: DecodingKey::from_secret(secret),
                algorithm: Algorithm::HS256,
            }],
            KeySource::Jwks(path) => load_jwks(path)?,
            KeySource::WithProvider { .. } => {
                return Err(KeyError::Provider("only one OpenID provider can be configured".into()));
            }
        };
        let provider = match provider {
            Some(provider) => {
                if provider.issuer == config.issuer {
                    return Err(KeyError::Provider(format!(
                        "the provider's issuer {:?} is also the api's own token issuer: tokens could not be told apart",
                        provider.issuer
                    )));
                }
                let provider =
                    Arc::new(Provider::new(provider.clone()).map_err(|e| KeyError::Provider(e.to_string()))?);
                provider.refresh_in_background();
                Some(provider)
            }
            None => None,
        };
        self_test()?;
        Ok(Self { keys: Arc::new(keys), config, provider })
    }

    /// The provider that must have signed `token`, if it claims to be one's.
    fn provider_of(&self, token: &str) -> Option<&Arc<Provider>> {
        let provider = self.provider.as_ref()?;
        (oidc::claimed_issuer(token).as_deref() == Some(provider.issuer())).then_some(provider)
    }

    /// Verifies `token` and returns its claims, fetching an OpenID provider's
    /// keys if the token names one the cache lacks. A provider's token comes
    /// back with its group and roles already mapped to Caucus's.
    pub async fn authenticate(&self, token: &str) -> Result<Claims, TokenError> {
        match self.provider_of(token) {
            Some(provider) => provider.verify(token).await,
            None => self.verify_own(token),
        }
    }

    /// Verifies `token` and returns its claims, without waiting: an OpenID
    /// provider's token is checked only against the keys already fetched.
    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        match self.provider_of(token) {
            Some(provider) => provider.verify_cached(token),
            None => self.verify_own(token),
        }
    }

    fn verify_own(&self, token: &str) -> Result<Claims, TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|e| TokenError::Invalid(e.to_string()))?;
        let key = match (&header.kid, self.keys.as_slice()) {
            (Some(kid), keys) => keys
                .iter()
                .find(|k| k.kid.as_deref() == Some(kid))
                .or_else(|| keys.iter().find(|k| k.kid.is_none()))
                .ok_or(TokenError::UnknownKey)?,
            (None, [only]) => only,
            (None, _) => return Err(TokenError::UnknownKey),
        };
        let mut validation = Validation::new(key.algorithm);
        validation.set_required_spec_claims(&["sub", "exp", "iss", "aud"]);
        validation.set_issuer(&[&self.config.issuer]);
        validation.set_audience(&[&self.config.audience]);
        validation.leeway = self.config.leeway_seconds;
        validation.validate_nbf = true;
        jsonwebtoken::decode::<Claims>(token, &key.key, &validation)
            .map(|data| data.claims)
            .map_err(|e| TokenError::Invalid(e.to_string()))
    }
}

fn load_jwks(path: &PathBuf) -> Result<Vec<VerificationKey>, KeyError> {
    let unusable = |reason: String| KeyError::Unusable { path: path.clone(), reason };
    let text =
        std::fs::read_to_string(path).map_err(|source| KeyError::Read { path: path.clone(), source })?;
    let set: JwkSet = serde_json::from_str(&text).map_err(|e| unusable(e.to_string()))?;
    if set.keys.is_empty() {
        return Err(unusable("it holds no keys".into()));
    }
    set.keys
        .iter()
        .map(|jwk| {
            let algorithm =
                algorithm_of(jwk).ok_or_else(|| unusable("only EdDSA and RS256 keys are accepted".into()))?;
            let key = DecodingKey::from_jwk(jwk).map_err(|e| unusable(e.to_string()))?;
            Ok(VerificationKey { kid: jwk.common.key_id.clone(), key, algorithm })
        })
        .collect()
}

/// Signs and verifies one throwaway token. jsonwebtoken compiles without a
/// crypto backend and then panics on first use; this turns that into an error.
fn self_test() -> Result<(), KeyError> {
    let secret = uuid::Uuid::new_v4();
    let claims = Claims {
        sub: "self-test".into(),
        iss: "self-test".into(),
        aud: "self-test".into(),
        exp: jsonwebtoken::get_current_timestamp() + 60,
        iat: None,
        nbf: None,
        group: "self-test".into(),
        roles: vec!["auditor".into()],
    };
    let token = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .map_err(|e| KeyError::SelfTest(e.to_string()))?;
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_audience(&["self-test"]);
    jsonwebtoken::decode::<Claims>(&token, &DecodingKey::from_secret(secret.as_bytes()), &validation)
        .map(|_| ())
        .map_err(|e| KeyError::SelfTest(e.to_string()))
}

/// Mints tokens: for development (the `token` command, the demo) and tests.
#[derive(Clone)]
pub struct TokenIssuer {
    key: EncodingKey,
    header: Header,
    issuer: String,
    audience: String,
}

impl std::fmt::Debug for TokenIssuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenIssuer").field("issuer", &self.issuer).finish_non_exhaustive()
    }
}

impl TokenIssuer {
    /// An issuer signing HS256 with a shared secret.
    pub fn shared_secret(secret: &[u8], issuer: &str, audience: &str) -> Self {
        Self {
            key: EncodingKey::from_secret(secret),
            header: Header::new(Algorithm::HS256),
            issuer: issuer.into(),
            audience: audience.into(),
        }
    }

    /// An issuer signing RS256 with a PEM private key, naming `kid`.
    pub fn rsa_pem(
        pem: &[u8],
        kid: &str,
        issuer: &str,
        audience: &str,
    ) -> Result<Self, jsonwebtoken::errors::Error> {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(kid.into());
        Ok(Self {
            key: EncodingKey::from_rsa_pem(pem)?,
            header,
            issuer: issuer.into(),
            audience: audience.into(),
        })
    }

    /// An issuer signing EdDSA with a PKCS#8 PEM private key, naming `kid`.
    pub fn ed25519_pem(
        pem: &[u8],
        kid: &str,
        issuer: &str,
        audience: &str,
    ) -> Result<Self, jsonwebtoken::errors::Error> {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(kid.into());
        Ok(Self {
            key: EncodingKey::from_ed_pem(pem)?,
            header,
            issuer: issuer.into(),
            audience: audience.into(),
        })
    }

    /// A token for `subject` in `group` with `roles`, valid for `ttl_seconds`.
    pub fn mint(
        &self,
        subject: &str,
        group: &str,
        roles: &[&str],
        ttl_seconds: u64,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let now = jsonwebtoken::get_current_timestamp();
        let claims = Claims {
            sub: subject.into(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            exp: now + ttl_seconds,
            iat: Some(now),
            nbf: Some(now),
            group: group.into(),
            roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        };
        jsonwebtoken::encode(&self.header, &claims, &self.key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISSUER: &str = "caucus-test";
    const AUDIENCE: &str = "caucus";

    fn authenticator(secret: &[u8]) -> Authenticator {
        Authenticator::new(AuthConfig {
            keys: KeySource::SharedSecret(secret.to_vec()),
            issuer: ISSUER.into(),
            audience: AUDIENCE.into(),
            leeway_seconds: 5,
        })
        .expect("authenticator")
    }

    #[test]
    fn a_token_signed_with_the_shared_secret_is_accepted() {
        let issuer = TokenIssuer::shared_secret(b"s3cret", ISSUER, AUDIENCE);
        let token = issuer.mint("pa-1", "newham-labour", &["assistant"], 60).expect("mint");
        let claims = authenticator(b"s3cret").verify(&token).expect("valid");
        assert_eq!(claims.sub, "pa-1");
        assert_eq!(claims.group, "newham-labour");
    }

    #[test]
    fn a_token_signed_with_another_secret_is_refused() {
        let issuer = TokenIssuer::shared_secret(b"other", ISSUER, AUDIENCE);
        let token = issuer.mint("pa-1", "newham-labour", &["assistant"], 60).expect("mint");
        assert!(matches!(authenticator(b"s3cret").verify(&token), Err(TokenError::Invalid(_))));
    }

    #[test]
    fn a_token_for_another_audience_or_issuer_is_refused() {
        for (iss, aud) in [("someone-else", AUDIENCE), (ISSUER, "another-api")] {
            let token = TokenIssuer::shared_secret(b"s3cret", iss, aud)
                .mint("pa-1", "g", &["assistant"], 60)
                .expect("mint");
            assert!(authenticator(b"s3cret").verify(&token).is_err(), "{iss} {aud}");
        }
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let shown = format!("{:?}", KeySource::SharedSecret(b"hunter2".to_vec()));
        assert!(!shown.contains("hunter2"));
    }
}
