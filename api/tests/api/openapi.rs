//! The committed OpenAPI document is the one the code generates.

use caucus_api::{auth::Operation, startup::openapi_document};

const COMMITTED: &str = include_str!("../../../openapi/openapi.json");

#[test]
fn the_committed_openapi_document_matches_the_code() {
    let generated = openapi_document().to_pretty_json().expect("serialise") + "\n";
    if std::env::var_os("CAUCUS_UPDATE_OPENAPI").is_some() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
        std::fs::write(path, &generated).expect("write openapi.json");
        return;
    }
    assert!(
        generated == COMMITTED,
        "openapi/openapi.json is stale: regenerate it with \
         `CAUCUS_UPDATE_OPENAPI=1 cargo test -p caucus-api --test api openapi::` and commit it"
    );
}

const COMMITTED_ROLES: &str = include_str!("../../../openapi/roles.md");

#[test]
fn the_committed_role_matrix_matches_the_code() {
    let generated = caucus_api::auth::policy::matrix_markdown();
    if std::env::var_os("CAUCUS_UPDATE_OPENAPI").is_some() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/roles.md");
        std::fs::write(path, &generated).expect("write roles.md");
        return;
    }
    assert!(
        generated == COMMITTED_ROLES,
        "openapi/roles.md is stale: regenerate it with \
         `CAUCUS_UPDATE_OPENAPI=1 cargo test -p caucus-api --test api openapi::` and commit it"
    );
}

#[test]
fn every_operation_is_documented_with_its_roles_summary_and_errors() {
    let doc: serde_json::Value =
        serde_json::from_str(&openapi_document().to_json().expect("json")).expect("parse");
    let mut seen = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("item") {
            let id = operation["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            let verb_resource =
                id.split_once('_').is_some_and(|(verb, resource)| !verb.is_empty() && !resource.is_empty());
            assert!(verb_resource && id.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{id}");
            assert!(operation["summary"].is_string(), "{id} has no summary");
            if path.starts_with("/api/") {
                let op = Operation::by_id(id).unwrap_or_else(|| panic!("{id} is not in the role matrix"));
                let roles: Vec<&str> = op.roles().iter().map(|r| r.as_str()).collect();
                assert_eq!(operation["x-roles"], serde_json::json!(roles), "{id}");
                let responses = operation["responses"].as_object().expect("responses");
                for code in ["401", "403"] {
                    assert!(responses.contains_key(code), "{id} does not document {code}");
                }
                seen.push(op);
            }
        }
    }
    for op in Operation::ALL {
        assert!(seen.contains(op), "{} is in the role matrix but not in the API", op.id());
    }
}
