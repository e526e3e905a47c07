//! The layers stay apart: the contract and the domain pull in no server, and
//! a route module imports no other route module (what several need lives in
//! `app`, the contract, or the routes' shared `command` and `listing`).

use std::path::Path;

/// The names under a manifest's `[dependencies]`.
fn dependencies(manifest: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(manifest).expect("manifest");
    let manifest: toml::Table = text.parse().expect("a Cargo manifest");
    manifest["dependencies"].as_table().expect("dependencies").keys().cloned().collect()
}

#[test]
fn the_contract_and_the_domain_depend_on_no_server_or_store() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for krate in ["wire", "domain"] {
        let deps = dependencies(&root.join(krate).join("Cargo.toml"));
        assert!(deps.contains(&"serde".to_owned()), "{krate}: {deps:?}");
        for server in ["actix-web", "sqlx", "tokio", "caucus-api", "utoipa-actix-web", "jsonwebtoken"] {
            assert!(!deps.iter().any(|d| d == server), "{krate} depends on {server}");
        }
    }
}

#[test]
fn no_route_module_imports_another() {
    let routes = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/routes");
    let shared = ["AppState", "Routes", "command", "listing", "super", "link_text"];
    let mut modules: Vec<String> = std::fs::read_dir(&routes)
        .expect("routes")
        .filter_map(|e| e.ok())
        .map(|e| e.path().file_stem().expect("name").to_string_lossy().into_owned())
        .filter(|name| name != "mod")
        .collect();
    modules.sort();
    assert!(modules.contains(&"decisions".to_owned()) && modules.contains(&"meetings".to_owned()));
    let mut files = vec![];
    for entry in walk(&routes) {
        files.push(entry);
    }
    for file in files.iter().filter(|f| !f.ends_with("routes/mod.rs")) {
        let text = std::fs::read_to_string(file).expect("source");
        for module in &modules {
            for import in
                [format!("super::{module}"), format!("routes::{module}"), format!("super::super::{module}")]
            {
                let hit = text.match_indices(&import).any(|(at, _)| {
                    let next = text[at + import.len()..].chars().next();
                    !next.is_some_and(|c| c.is_alphanumeric() || c == '_')
                });
                assert!(
                    !hit || shared.contains(&module.as_str()),
                    "{} imports the route module {module}",
                    file.display()
                );
            }
        }
        // `use super::{ ..., decisions, ... }` lists too.
        if let Some(start) = text.find("use super::{") {
            let list = &text[start..start + text[start..].find("};").unwrap_or(0)];
            for module in &modules {
                let named =
                    list.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|word| word == module);
                assert!(!named || shared.contains(&module.as_str()), "{} imports {module}", file.display());
            }
        }
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir").filter_map(|e| e.ok()) {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
    found
}

#[test]
fn every_record_type_the_store_keeps_is_named_in_the_contract() {
    use strum::VariantArray;
    let mut named: Vec<&str> = caucus_wire::audit::RecordType::VARIANTS.iter().map(|t| t.as_str()).collect();
    let mut stored: Vec<String> =
        caucus_api::store::projector::record_types().map(str::to_lowercase).collect();
    named.sort_unstable();
    stored.sort_unstable();
    assert_eq!(named, stored);
}
