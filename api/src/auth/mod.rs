//! Authentication (JSON Web Tokens) and authorisation (the role matrix).

mod caller;
mod claims;
mod keys;
pub mod policy;

pub use caller::Caller;
pub use claims::{Claims, TokenError};
pub use keys::{AuthConfig, Authenticator, KeySource, TokenIssuer};
pub use policy::Operation;
