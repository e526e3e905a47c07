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

/// Every `$ref` in `value`, with the JSON Pointer of where it is.
fn refs<'v>(value: &'v serde_json::Value, at: String, found: &mut Vec<(String, &'v str)>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("$ref", serde_json::Value::String(target)) => found.push((at.clone(), target)),
                    _ => refs(inner, format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")), found),
                }
            }
        }
        serde_json::Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                refs(inner, format!("{at}/{index}"), found);
            }
        }
        _ => {}
    }
}

#[test]
fn every_reference_in_the_document_resolves() {
    let doc: serde_json::Value = serde_json::from_str(COMMITTED).expect("parse");
    let mut found = Vec::new();
    refs(&doc, String::new(), &mut found);
    assert!(found.len() > 100, "the document refers to its components");
    let dangling: Vec<String> = found
        .into_iter()
        .filter(|(_, target)| target.strip_prefix('#').is_none_or(|pointer| doc.pointer(pointer).is_none()))
        .map(|(at, target)| format!("{at} -> {target}"))
        .collect();
    assert!(dangling.is_empty(), "references to nothing:\n{}", dangling.join("\n"));
}

#[test]
fn no_two_types_are_registered_under_one_component_name() {
    let mut by_name = std::collections::BTreeMap::<String, Vec<String>>::new();
    for (name, schema) in caucus_api::startup::schema_registrations() {
        let schema = serde_json::to_string(&schema).expect("serialise");
        let seen = by_name.entry(name).or_default();
        if !seen.contains(&schema) {
            seen.push(schema);
        }
    }
    assert!(by_name.contains_key("Problem") && by_name.contains_key("DecisionView"), "{by_name:?}");
    let collisions: Vec<String> = by_name
        .into_iter()
        .filter(|(_, schemas)| schemas.len() > 1)
        .map(|(name, schemas)| format!("{name}:\n  {}", schemas.join("\n  ")))
        .collect();
    assert!(collisions.is_empty(), "types sharing a component name:\n{}", collisions.join("\n"));
}

#[test]
fn every_error_answer_is_documented_as_the_problem_document() {
    let doc: serde_json::Value = serde_json::from_str(COMMITTED).expect("parse");
    let problem = &doc["components"]["schemas"]["Problem"];
    for field in ["type", "title", "status", "detail", "instance", "errors"] {
        assert!(problem["properties"][field].is_object(), "Problem has no {field}: {problem}");
    }
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("item") {
            for (code, response) in operation["responses"].as_object().expect("responses") {
                if code.starts_with('4') || code.starts_with('5') {
                    assert_eq!(
                        response.pointer("/content/application~1problem+json/schema/$ref"),
                        Some(&serde_json::json!("#/components/schemas/Problem")),
                        "{method} {path} {code}"
                    );
                }
            }
        }
    }
}

/// With `CAUCUS_OPENAPI_SPEC_VALIDATOR` set (CI sets it: PyPI's
/// openapi-spec-validator, in CI's venv), the committed document must pass it.
#[test]
fn the_document_passes_an_openapi_validator() {
    let Some(validator) = std::env::var_os("CAUCUS_OPENAPI_SPEC_VALIDATOR") else { return };
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    let output = std::process::Command::new(validator).arg(path).output().expect("run the validator");
    assert!(
        output.status.success(),
        "openapi-spec-validator refused the document:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
