//! Authentication (JSON Web Tokens: the api's own, and an OpenID Connect
//! provider's) and authorisation (the role matrix).

mod caller;
mod claims;
mod keys;
pub mod links;
mod oidc;
pub mod policy;

pub use caller::Caller;
pub(crate) use caller::header_token;
pub use claims::{Claims, TokenError};
pub use keys::{AuthConfig, Authenticator, KeyError, KeySource, TokenIssuer};
pub use links::SignInLinks;
pub use oidc::{ClaimMapping, GroupSource, KEYS_MAX_AGE, OidcConfig};
pub use policy::Operation;
