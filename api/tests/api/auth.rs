//! Tokens signed with EdDSA keys from a JWKS file, chosen by `kid`.

use caucus_api::auth::{AuthConfig, KeySource, TokenIssuer};
use reqwest::StatusCode;

use crate::helpers::{AUDIENCE, Backend, GROUP, ISSUER, SECRET, json, problem, spawn_app_with};

const KEY_A: &[u8] = include_bytes!("../fixtures/ed25519-a.pem");
const KEY_B: &[u8] = include_bytes!("../fixtures/ed25519-b.pem");

fn jwks_config() -> AuthConfig {
    AuthConfig {
        keys: KeySource::Jwks(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/jwks.json").into()),
        issuer: ISSUER.into(),
        audience: AUDIENCE.into(),
        leeway_seconds: 5,
    }
}

fn signer(pem: &[u8], kid: &str) -> TokenIssuer {
    TokenIssuer::ed25519_pem(pem, kid, ISSUER, AUDIENCE).expect("test key")
}

#[tokio::test]
async fn tokens_signed_by_any_key_in_the_jwks_are_accepted_by_kid() {
    let app = spawn_app_with(Backend::Sqlite, jwks_config(), signer(KEY_A, "2026-a")).await;
    for (pem, kid) in [(KEY_A, "2026-a"), (KEY_B, "2026-b")] {
        let token = signer(pem, kid).mint("pa", GROUP, &["assistant"], 600).expect("mint");
        json(app.get("/decisions", &token).await, StatusCode::OK).await;
    }
}

#[tokio::test]
async fn an_rs256_token_is_accepted_by_its_kid_and_refused_under_another() {
    const RSA_KEY: &[u8] = include_bytes!("../fixtures/rsa-c.pem");
    let app = spawn_app_with(Backend::Sqlite, jwks_config(), signer(KEY_A, "2026-a")).await;
    let rsa = |kid: &str| TokenIssuer::rsa_pem(RSA_KEY, kid, ISSUER, AUDIENCE).expect("test key");
    let token = rsa("2026-rsa").mint("pa", GROUP, &["assistant"], 600).expect("mint");
    json(app.get("/decisions", &token).await, StatusCode::OK).await;
    // An RS256 signature presented under an EdDSA key's kid is refused.
    let confused = rsa("2026-a").mint("pa", GROUP, &["assistant"], 600).expect("mint");
    problem(app.get("/decisions", &confused).await, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn a_token_naming_the_wrong_or_an_unknown_kid_is_refused() {
    let app = spawn_app_with(Backend::Sqlite, jwks_config(), signer(KEY_A, "2026-a")).await;
    let wrong_kid = signer(KEY_A, "2026-b").mint("pa", GROUP, &["assistant"], 600).expect("mint");
    problem(app.get("/decisions", &wrong_kid).await, StatusCode::UNAUTHORIZED).await;
    let unknown = signer(KEY_A, "2025-retired").mint("pa", GROUP, &["assistant"], 600).expect("mint");
    problem(app.get("/decisions", &unknown).await, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn an_hs256_token_cannot_pass_as_a_jwks_token() {
    // The algorithm comes from the key, never from the token header: a token
    // "signed" with HS256 is refused even if it names a known kid.
    let app = spawn_app_with(Backend::Sqlite, jwks_config(), signer(KEY_A, "2026-a")).await;
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    header.kid = Some("2026-a".into());
    let claims = caucus_api::auth::Claims {
        sub: "mallory".into(),
        iss: ISSUER.into(),
        aud: AUDIENCE.into(),
        exp: jsonwebtoken::get_current_timestamp() + 600,
        iat: None,
        nbf: None,
        group: GROUP.into(),
        roles: vec!["assistant".into()],
    };
    let token = jsonwebtoken::encode(&header, &claims, &jsonwebtoken::EncodingKey::from_secret(SECRET))
        .expect("encode");
    problem(app.get("/decisions", &token).await, StatusCode::UNAUTHORIZED).await;
}
