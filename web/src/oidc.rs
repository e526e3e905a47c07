//! Signing in through the council's OpenID Connect provider: the
//! authorization code flow with PKCE (`openidconnect`). The provider's
//! discovery document is read at each sign-in, so its key rotation or a
//! change of endpoints needs no restart; sign-ins are rare enough for that.
//! Signing out ends the session at the provider too where it offers an
//! `end_session_endpoint` (OpenID Connect RP-Initiated Logout 1.0): on a
//! shared office computer the next person must not go straight through as
//! the last.

use openidconnect::{
    AuthenticationFlow, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, LogoutRequest,
    Nonce, OAuth2TokenResponse as _, PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl,
    ProviderMetadataWithLogout, RedirectUrl, Scope, TokenResponse as _,
    core::{CoreClient, CoreResponseType},
};
use serde::{Deserialize, Serialize};

use crate::config::{ApiToken, OidcSettings};

/// The path the provider sends people back to.
pub const CALLBACK_PATH: &str = "/sign-in/callback";

/// The path the provider sends people back to once signed out there.
pub const SIGNED_OUT_PATH: &str = "/signed-out";

/// Why signing in through the provider did not work.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The provider could not be reached or answered badly.
    #[error("the identity provider could not be used: {0}")]
    Provider(String),
    /// The answer it sent back does not match the sign-in begun here (an old
    /// tab, a forged link, or a sign-in refused at the provider).
    #[error("the sign-in could not be completed: {0}")]
    Refused(String),
}

/// A sign-in begun: what the callback must match, kept in the session.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    state: String,
    nonce: String,
    verifier: String,
    /// Where to go once signed in.
    pub next: String,
}

/// A completed sign-in.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The token the api is given.
    pub token: String,
    /// When it expires, in seconds since the epoch.
    pub expires_at: i64,
    /// Their name as the provider gives it, if it does.
    pub name: Option<String>,
}

/// Sign-in through one provider.
#[derive(Debug)]
pub struct OidcSignIn {
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: Option<String>,
    scopes: Vec<String>,
    resource: Option<String>,
    api_token: ApiToken,
    redirect: RedirectUrl,
    signed_out: PostLogoutRedirectUrl,
    /// What the sign-in button calls the provider.
    pub name: String,
    http: reqwest::Client,
}

impl OidcSignIn {
    /// Sign-in as `settings` describe, if they name an issuer.
    pub fn new(settings: &OidcSettings) -> anyhow::Result<Option<Self>> {
        let Some(issuer) = &settings.issuer else { return Ok(None) };
        let client_id = settings
            .client_id
            .clone()
            .ok_or_else(|| anyhow::anyhow!("CAUCUS_WEB_OIDC_ISSUER needs CAUCUS_WEB_OIDC_CLIENT_ID"))?;
        let public_url = settings.public_url.trim_end_matches('/');
        let redirect = format!("{public_url}{CALLBACK_PATH}");
        let signed_out = format!("{public_url}{SIGNED_OUT_PATH}");
        // The provider's answers are never followed elsewhere: a redirect
        // there would send the code or the token to another host.
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
        Ok(Some(Self {
            issuer: IssuerUrl::new(issuer.clone())?,
            client_id: ClientId::new(client_id),
            client_secret: settings.client_secret.clone(),
            scopes: settings.scopes.split_whitespace().map(str::to_owned).collect(),
            resource: settings.resource.clone(),
            api_token: settings.api_token,
            redirect: RedirectUrl::new(redirect)?,
            signed_out: PostLogoutRedirectUrl::new(signed_out)?,
            name: settings.provider_name.clone(),
            http,
        }))
    }

    /// The provider's origin: its end-session endpoint is expected there
    /// (as at Entra ID, Keycloak and Okta), for the security policy to let
    /// the sign-out form go on to it.
    pub fn origin(&self) -> String {
        self.issuer.url().origin().ascii_serialization()
    }

    /// The provider's discovery document, with its end-session endpoint if
    /// it has one.
    async fn metadata(&self) -> Result<ProviderMetadataWithLogout, OidcError> {
        ProviderMetadataWithLogout::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| OidcError::Provider(e.to_string()))
    }

    async fn client(
        &self,
    ) -> Result<
        CoreClient<
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointMaybeSet,
            openidconnect::EndpointMaybeSet,
        >,
        OidcError,
    > {
        let metadata = self.metadata().await?;
        Ok(CoreClient::from_provider_metadata(
            metadata,
            self.client_id.clone(),
            self.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(self.redirect.clone()))
    }

    /// Where to send the person to sign in, and what their return must match.
    pub async fn start(&self, next: String) -> Result<(String, Pending), OidcError> {
        let client = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for scope in self.scopes.iter().filter(|s| *s != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        if let Some(resource) = &self.resource {
            request = request.add_extra_param("resource", resource.clone());
        }
        let (url, state, nonce) = request.url();
        let pending = Pending {
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            verifier: verifier.secret().clone(),
            next,
        };
        Ok((url.to_string(), pending))
    }

    /// Completes the sign-in `pending` began with the provider's `code`,
    /// after checking its `state`.
    pub async fn finish(&self, pending: &Pending, code: &str, state: &str) -> Result<SignedIn, OidcError> {
        if state.is_empty() || state != pending.state {
            return Err(OidcError::Refused("it does not match the sign-in begun here".into()));
        }
        let client = self.client().await?;
        let mut request = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| OidcError::Provider(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier.clone()));
        if let Some(resource) = &self.resource {
            request = request.add_extra_param("resource", resource.clone());
        }
        let tokens =
            request.request_async(&self.http).await.map_err(|e| OidcError::Refused(e.to_string()))?;
        let id_token =
            tokens.id_token().ok_or_else(|| OidcError::Refused("the provider sent no ID token".into()))?;
        let claims = id_token
            .claims(&client.id_token_verifier(), &Nonce::new(pending.nonce.clone()))
            .map_err(|e| OidcError::Refused(e.to_string()))?;
        let name = claims
            .name()
            .and_then(|names| names.get(None))
            .map(|n| n.as_str().to_owned())
            .or_else(|| claims.preferred_username().map(|u| u.as_str().to_owned()))
            .or_else(|| claims.email().map(|e| e.as_str().to_owned()));
        let (token, expires_at) = match self.api_token {
            ApiToken::Access => {
                let lifetime = tokens.expires_in().map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
                let expires = if lifetime > 0 {
                    chrono::Utc::now().timestamp() + lifetime
                } else {
                    claims.expiration().timestamp()
                };
                (tokens.access_token().secret().clone(), expires)
            }
            ApiToken::Id => (id_token.to_string(), claims.expiration().timestamp()),
        };
        Ok(SignedIn { token, expires_at, name })
    }

    /// Where to send someone signing out so the provider ends its session
    /// too, coming back to the signed-out page with `state`; `None` when the
    /// provider offers no end-session endpoint. No `id_token_hint`: the
    /// client id names who asks (RP-Initiated Logout 1.0, section 2), and the
    /// provider asks the person to confirm.
    pub async fn sign_out_url(&self, state: &str) -> Result<Option<String>, OidcError> {
        let metadata = self.metadata().await?;
        let Some(endpoint) = metadata.additional_metadata().end_session_endpoint.clone() else {
            return Ok(None);
        };
        let request = LogoutRequest::from(endpoint)
            .set_client_id(self.client_id.clone())
            .set_post_logout_redirect_uri(self.signed_out.clone())
            .set_state(CsrfToken::new(state.to_owned()));
        Ok(Some(request.http_get_url().to_string()))
    }
}
