//! Who is signed in, held in the session cookie (encrypted and signed by
//! actix-session's cookie store, HttpOnly, SameSite=Lax), and the token every
//! form carries against cross-site request forgery.

use actix_session::Session;
use rand::RngCore as _;
use serde::{Deserialize, Serialize};

const PERSON: &str = "person";
const CSRF: &str = "csrf";
const THROUGH_PROVIDER: &str = "through_provider";
const SIGN_OUT_STATE: &str = "sign_out_state";

/// The signed-in person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Their name, for the header.
    pub name: String,
    /// Their token's subject (a member's id for a councillor).
    pub subject: String,
    /// Their roles, as the token grants them.
    pub roles: Vec<String>,
    /// Their api token.
    pub token: String,
    /// When it expires, in seconds since the epoch.
    pub expires_at: i64,
}

impl Person {
    /// Whether their token has expired (or will within a minute).
    pub fn expired(&self) -> bool {
        chrono::Utc::now().timestamp() + 60 >= self.expires_at
    }
}

/// The signed-in person, if there is one whose token has not expired.
pub fn person(session: &Session) -> Option<Person> {
    session.get::<Person>(PERSON).ok().flatten().filter(|p| !p.expired())
}

/// Signs `person` in: a fresh session, so nothing from before survives.
/// `through_provider`: they signed in at the identity provider, so signing
/// out asks it to end its session too. (Not its ID token, which would name
/// them there: with the api token beside it, an Entra ID session would pass
/// the 4KB a browser keeps of a cookie.)
pub fn sign_in(session: &Session, person: &Person, through_provider: bool) -> Result<(), actix_web::Error> {
    session.renew();
    session.insert(PERSON, person)?;
    if through_provider {
        session.insert(THROUGH_PROVIDER, true)?;
    }
    Ok(())
}

/// Whether they signed in through the identity provider (kept after their
/// api token lapses, so they can still sign out there).
pub fn through_provider(session: &Session) -> bool {
    session.get::<bool>(THROUGH_PROVIDER).ok().flatten().unwrap_or(false)
}

/// Ends the session. `provider_state`, when the provider is asked to end its
/// session too, is all a fresh session keeps: the provider sends it back to
/// the signed-out page, which can then say the provider signed them out.
pub fn sign_out(session: &Session, provider_state: Option<&str>) -> Result<(), actix_web::Error> {
    let Some(state) = provider_state else {
        session.purge();
        return Ok(());
    };
    session.clear();
    session.renew();
    session.insert(SIGN_OUT_STATE, state)?;
    Ok(())
}

/// The state a sign-out at the provider was sent with, once.
pub fn take_sign_out_state(session: &Session) -> Option<String> {
    session.remove_as::<String>(SIGN_OUT_STATE).and_then(Result::ok)
}

/// The session's anti-forgery token, made on first use.
pub fn csrf_token(session: &Session) -> Result<String, actix_web::Error> {
    if let Some(token) = session.get::<String>(CSRF)? {
        return Ok(token);
    }
    let token = random_hex();
    session.insert(CSRF, &token)?;
    Ok(token)
}

/// Whether `sent` is the session's anti-forgery token.
pub fn csrf_matches(session: &Session, sent: &str) -> bool {
    session.get::<String>(CSRF).ok().flatten().is_some_and(|token| !sent.is_empty() && token == sent)
}

/// 32 random bytes as hex: an anti-forgery token or an idempotency key.
pub fn random_hex() -> String {
    let mut bytes = [0_u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}
