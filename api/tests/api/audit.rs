//! Audit over HTTP: a record's history, the audit log, the export, and a hash
//! chain that catches every kind of tampering in the database.

use caucus_api::{
    audit::{export::verify_export, verify::ChainProblem},
    domain::GroupId,
    store::{Database, replay::GroupReplay},
};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::decisions::record;
use crate::helpers::{RIVAL_GROUP, TestApp, checkpoint_signer, json, problem, subject};
use crate::on_both_stores;

/// Records `n` decisions titled `Decision 1` ... and returns their ids.
async fn decisions(app: &TestApp, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 1..=n {
        ids.push(record(app, &format!("Decision {i}"), "group").await["id"].as_str().expect("id").to_owned());
    }
    ids
}

async fn verification(app: &TestApp) -> Value {
    json(app.get("/audit/verification", &app.token("auditor")).await, StatusCode::OK).await
}

/// Starts a verification in the background as the auditor: its address and
/// the answer.
async fn start_verification(app: &TestApp) -> (String, Value) {
    let response = app
        .client
        .post(app.api("/audit/verifications"))
        .bearer_auth(app.token("auditor"))
        .send()
        .await
        .expect("send");
    let location =
        response.headers().get("location").and_then(|v| v.to_str().ok()).expect("a Location").to_owned();
    (location, json(response, StatusCode::ACCEPTED).await)
}

/// The verification at `location` once it is no longer running.
async fn when_finished(app: &TestApp, location: &str) -> Value {
    for _ in 0..400 {
        let response =
            app.client.get(app.url(location)).bearer_auth(app.token("auditor")).send().await.expect("send");
        let view = json(response, StatusCode::OK).await;
        if view["state"] != "running" {
            return view;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the verification at {location} never finished");
}

/// Runs `sql` on the app's store, as someone with database access would.
async fn tamper(app: &TestApp, postgres: &str, sqlite: &str) {
    let db = Database::connect(&app.store).await.expect("connect");
    match &db {
        Database::Postgres(pool) => {
            sqlx::raw_sql(postgres).execute(pool).await.expect("tamper");
        }
        Database::Sqlite(pool) => {
            sqlx::raw_sql(sqlite).execute(pool).await.expect("tamper");
        }
    }
    db.close().await;
}

/// The group's log exported straight from the store.
async fn export_from_store(app: &TestApp) -> String {
    use futures::TryStreamExt as _;
    let db = Database::connect(&app.store).await.expect("connect");
    let lines: Vec<_> = caucus_api::store::chain::export(db.clone(), "newham-labour".to_owned())
        .try_collect()
        .await
        .expect("export");
    db.close().await;
    lines.into_iter().map(|line| line.into_string()).collect()
}

/// The `WHERE` clause picking the event at `position` of the group's log.
fn event_at(position: u64) -> String {
    format!(
        "(aggregate_type, aggregate_id, sequence) IN (SELECT aggregate_type, aggregate_id, sequence \
         FROM event_chain WHERE group_id = 'newham-labour' AND log_position = {position})"
    )
}

on_both_stores! {
    async fn a_replay_that_fails_part_way_resumes_without_folding_an_event_twice(app: backend) {
        let token = app.token("assistant");
        let mut ids = decisions(&app, 1).await;
        let progress = json!({"on": "2026-03-10", "note": "Letter sent", "status": "on_track", "percent_complete": 40});
        json(app.post(&format!("/decisions/{}/progress", ids[0]), &token, &progress).await, StatusCode::OK).await;
        ids.push(record(&app, "Decision 2", "group").await["id"].as_str().expect("id").to_owned());
        // The second decision's event no longer decodes; the first decision's
        // two events come before it in the log.
        let corrupt = format!("UPDATE events SET payload = '{{\"Nonsense\":{{}}}}' WHERE aggregate_id = '{}'", ids[1]);
        tamper(&app, &corrupt, &corrupt).await;

        let db = Database::connect_read_only(&app.store).await.expect("connect");
        let mut replay = GroupReplay::new(GroupId::parse("newham-labour").expect("group"));
        assert!(replay.catch_up(&db).await.is_err(), "the bad event stops the pass");
        assert!(replay.catch_up(&db).await.is_err(), "and the next one");
        let first = uuid::Uuid::parse_str(&ids[0]).expect("uuid");
        let folded = &replay.records().decisions[&first];
        assert_eq!(folded.record.progress.len(), 1, "the first decision's events were folded once");
        db.close().await;
    }

    async fn a_records_history_shows_who_changed_what_and_when(app: backend) {
        let id = record(&app, "Oppose the closure", "group").await["id"].as_str().expect("id").to_owned();
        let amend = json!({"text": "Oppose the closure and call in the decision", "reason": "Group meeting"});
        json(app.post(&format!("/decisions/{id}/amendments"), &app.token("leader"), &amend).await, StatusCode::OK).await;

        let history = json(app.get(&format!("/history/decision/{id}"), &app.token("auditor")).await, StatusCode::OK).await;
        let events = history["events"].as_array().expect("events");
        assert_eq!(events.len(), 2);
        assert_eq!(events[0]["event_type"], "DecisionRecorded");
        assert_eq!(events[0]["actor"], subject("assistant"));
        assert_eq!(events[1]["event_type"], "DecisionAmended");
        assert_eq!(events[1]["actor"], subject("leader"));
        assert_eq!(events[1]["roles"], "leader");
        assert!(events[1]["request_id"].as_str().is_some_and(|r| !r.is_empty()));
        assert!(events[1]["recorded_at"].as_str().is_some_and(|at| at.ends_with('Z')));
        let text = events[1]["changes"].as_array().expect("changes").iter().find(|c| c["field"] == "text").expect("text changed");
        assert_eq!(text["before"], "The group will oppose the closure at Cabinet and Full Council.");
        assert_eq!(text["after"], "Oppose the closure and call in the decision");
    }

    async fn history_is_for_the_groups_officers_and_auditors_only(app: backend) {
        let id = record(&app, "Ours", "group").await["id"].as_str().expect("id").to_owned();
        problem(app.get(&format!("/history/decision/{id}"), &app.token("councillor")).await, StatusCode::FORBIDDEN).await;
        problem(app.get(&format!("/history/decision/{id}"), &app.token_for(RIVAL_GROUP, "auditor")).await, StatusCode::NOT_FOUND).await;
        problem(app.get(&format!("/history/nonsense/{id}"), &app.token("auditor")).await, StatusCode::NOT_FOUND).await;
    }

    async fn the_audit_log_pages_the_groups_events_in_commit_order_with_filters(app: backend) {
        let ids = decisions(&app, 3).await;
        let amend = json!({"text": "Changed", "reason": "Typo"});
        json(app.post(&format!("/decisions/{}/amendments", ids[1]), &app.token("leader"), &amend).await, StatusCode::OK).await;
        let token = app.token("auditor");

        let first = json(app.get("/audit/log?limit=3", &token).await, StatusCode::OK).await;
        let entries = first["entries"].as_array().expect("entries");
        let positions: Vec<i64> = entries.iter().map(|e| e["position"].as_i64().expect("position")).collect();
        assert_eq!(positions, [1, 2, 3]);
        assert_eq!(entries[0]["record_id"], ids[0].as_str());
        assert_eq!(entries[0]["payload"]["DecisionRecorded"]["title"], "Decision 1");
        assert_eq!(first["next_after"], 3);
        let rest = json(app.get("/audit/log?after=3", &token).await, StatusCode::OK).await;
        assert_eq!(rest["entries"][0]["event_type"], "DecisionAmended");
        assert_eq!(rest["next_after"], Value::Null);

        let by_leader = json(app.get(&format!("/audit/log?actor={}", subject("leader")), &token).await, StatusCode::OK).await;
        assert_eq!(by_leader["entries"].as_array().expect("entries").len(), 1);
        let one_record = json(app.get(&format!("/audit/log?record_type=decision&record_id={}", ids[1]), &token).await, StatusCode::OK).await;
        assert_eq!(one_record["entries"].as_array().expect("entries").len(), 2);
        let future = json(app.get("/audit/log?from=2999-01-01T00:00:00Z", &token).await, StatusCode::OK).await;
        assert!(future["entries"].as_array().expect("entries").is_empty());

        // Another group's log is its own, and councillors do not read the log.
        let rival = json(app.get("/audit/log", &app.token_for(RIVAL_GROUP, "auditor")).await, StatusCode::OK).await;
        assert!(rival["entries"].as_array().expect("entries").is_empty());
        problem(app.get("/audit/log", &app.token("councillor")).await, StatusCode::FORBIDDEN).await;
        problem(app.get("/audit/log?limit=0", &token).await, StatusCode::BAD_REQUEST).await;
        problem(app.get("/audit/log?record_type=nonsense", &token).await, StatusCode::BAD_REQUEST).await;
    }

    async fn an_untouched_log_verifies_with_its_signed_checkpoint(app: backend) {
        decisions(&app, 4).await;
        let report = verification(&app).await;
        assert_eq!(report["problem"], Value::Null);
        assert_eq!(report["events"], 4);
        assert_eq!(report["signed_size"], 4);
        let response = app.get("/audit/checkpoint", &app.token("publisher")).await;
        let key = response.headers()["caucus-verifier-key"].to_str().expect("key").to_owned();
        assert_eq!(key, checkpoint_signer().verifier_key());
        let note = response.text().await.expect("note");
        let checkpoint = caucus_api::audit::checkpoint::open(&note, &key).expect("signed");
        assert_eq!((checkpoint.origin.as_str(), checkpoint.size), ("caucus-test/newham-labour", 4));
    }

    async fn a_verification_in_the_background_says_how_far_it_has_got_and_what_it_found(app: backend) {
        decisions(&app, 5).await;
        let (location, started) = start_verification(&app).await;
        assert_eq!(location, format!("/api/v1/audit/verifications/{}", started["id"].as_str().expect("id")));
        assert_eq!(started["events"], 5, "{started}");
        assert_eq!(started["started_by"], subject("auditor"));
        let done = when_finished(&app, &location).await;
        assert_eq!(done["state"], "done", "{done}");
        assert_eq!(done["checked"], 5, "{done}");
        assert_eq!(done["report"]["events"], 5, "{done}");
        assert_eq!(done["report"]["problem"], Value::Null, "{done}");
        assert!(done["finished_at"].is_string(), "{done}");

        // Tampered with since: another verification finds it.
        let change = format!("UPDATE events SET payload = '{{\"DecisionRecorded\":{{\"title\":\"Forged\"}}}}' WHERE {}", event_at(3));
        tamper(&app, &change, &change).await;
        let (again, restarted) = start_verification(&app).await;
        assert_ne!(restarted["id"], started["id"], "a finished one is not the answer");
        let found = when_finished(&app, &again).await;
        assert_eq!(found["report"]["problem"], json!({"kind": "hash_mismatch", "position": 3}), "{found}");

        // Another group's auditor, and an id never given, find nothing.
        let rival = app.client.get(app.url(&location)).bearer_auth(app.token_for(RIVAL_GROUP, "auditor")).send().await.expect("send");
        problem(rival, StatusCode::NOT_FOUND).await;
        let unknown = format!("/audit/verifications/{}", uuid::Uuid::new_v4());
        problem(app.get(&unknown, &app.token("auditor")).await, StatusCode::NOT_FOUND).await;
        problem(app.get("/audit/verifications/not-an-id", &app.token("auditor")).await, StatusCode::BAD_REQUEST).await;
    }

    async fn a_running_verification_is_the_answer_until_it_stalls(app: backend) {
        decisions(&app, 2).await;
        // One running in another api process: it checked a page just now.
        let recently = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let running = format!(
            "INSERT INTO chain_verifications (verification_id, group_id, started_by, started_at, updated_at, checked, events) \
             VALUES ('{id}', 'newham-labour', 'someone', '{recently}', '{recently}', 0, 2)",
            id = uuid::Uuid::new_v4()
        );
        tamper(&app, &running, &running).await;
        let (_, answer) = start_verification(&app).await;
        assert_eq!((&answer["state"], &answer["started_by"]), (&json!("running"), &json!("someone")), "{answer}");
        // The process died: with no page checked for minutes, it has stopped,
        // and asking again starts a verification that finishes.
        let long_ago = (chrono::Utc::now() - chrono::Duration::minutes(10)).to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let stall = format!("UPDATE chain_verifications SET updated_at = '{long_ago}'");
        tamper(&app, &stall, &stall).await;
        let stalled = format!("/audit/verifications/{}", answer["id"].as_str().expect("id"));
        assert_eq!(json(app.get(&stalled, &app.token("auditor")).await, StatusCode::OK).await["state"], "stopped");
        let (location, fresh) = start_verification(&app).await;
        assert_ne!(fresh["id"], answer["id"], "{fresh}");
        assert_eq!(when_finished(&app, &location).await["state"], "done");
    }

    async fn an_altered_payload_is_caught_at_its_position(app: backend) {
        decisions(&app, 5).await;
        verification(&app).await;
        let change = format!(
            "UPDATE events SET payload = '{{\"DecisionRecorded\":{{\"title\":\"Forged\"}}}}' WHERE {}",
            event_at(3)
        );
        tamper(&app, &change, &change).await;
        assert_eq!(verification(&app).await["problem"], json!({"kind": "hash_mismatch", "position": 3}));
    }

    async fn a_deleted_event_is_caught_at_its_position(app: backend) {
        decisions(&app, 5).await;
        verification(&app).await;
        let delete = format!("DELETE FROM events WHERE {}", event_at(2));
        tamper(&app, &delete, &delete).await;
        assert_eq!(verification(&app).await["problem"], json!({"kind": "missing_event", "position": 2}));
    }

    async fn two_swapped_events_are_caught_at_the_first(app: backend) {
        decisions(&app, 5).await;
        verification(&app).await;
        let swap = |cast: &str| {
            format!(
                "CREATE TEMPORARY TABLE swap AS SELECT (SELECT CAST(payload AS TEXT) FROM events WHERE {two}) AS two, \
                 (SELECT CAST(payload AS TEXT) FROM events WHERE {four}) AS four; \
                 UPDATE events SET payload = (SELECT four FROM swap){cast} WHERE {two}; \
                 UPDATE events SET payload = (SELECT two FROM swap){cast} WHERE {four};",
                two = event_at(2),
                four = event_at(4),
            )
        };
        tamper(&app, &swap("::json"), &swap("")).await;
        assert_eq!(verification(&app).await["problem"], json!({"kind": "hash_mismatch", "position": 2}));
    }

    async fn a_cut_tail_is_caught_by_the_signed_checkpoint(app: backend) {
        decisions(&app, 5).await;
        verification(&app).await;
        let cut = format!(
            "DELETE FROM events WHERE {} OR {}; DELETE FROM event_chain WHERE log_position >= 4;",
            event_at(4),
            event_at(5)
        );
        tamper(&app, &cut, &cut).await;
        let problem = verification(&app).await["problem"].clone();
        assert_eq!((&problem["kind"], &problem["position"]), (&json!("truncated"), &json!(4)), "{problem}");
        // Which signed checkpoint proves it depends on how the follower batched
        // the five events (one after the fourth, one after the fifth, or both):
        // any that covers a cut event will do.
        let size = problem["checkpoint_size"].as_u64().expect("size");
        assert!((4..=5).contains(&size), "{problem}");
    }

    async fn an_export_verifies_offline_and_a_changed_export_does_not(app: backend) {
        decisions(&app, 3).await;
        let response = app.get("/audit/export", &app.token("auditor")).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "application/x-ndjson");
        let export = response.text().await.expect("export");
        let key = checkpoint_signer().verifier_key().to_owned();
        let report = verify_export(export.as_bytes(), &key).expect("reads");
        assert!(report.is_intact(), "{report:?}");
        assert_eq!((report.events, report.signed_size), (3, Some(3)));

        let forged = export.replacen("Decision 2", "Decision Two", 1);
        let report = verify_export(forged.as_bytes(), &key).expect("reads");
        assert_eq!(report.problem, Some(ChainProblem::HashMismatch { position: 2 }));
        let (other, _) = caucus_api::audit::checkpoint::CheckpointSigner::generate("caucus-test").expect("key");
        let report = verify_export(export.as_bytes(), other.verifier_key()).expect("reads");
        assert!(matches!(report.problem, Some(ChainProblem::BadCheckpoint { .. })), "{report:?}");
        problem(app.get("/audit/export", &app.token("leader")).await, StatusCode::FORBIDDEN).await;
    }

    async fn an_export_is_the_same_whatever_order_the_log_holds_the_events_in(app: backend) {
        decisions(&app, 5).await;
        verification(&app).await;
        let before = export_from_store(&app).await;
        // On PostgreSQL the export walks the chain and the log side by side; an
        // event moved out of the chain's order (to the end of the log) sends it
        // to the keyed read. SQLite always reads by key.
        let postgres = format!("UPDATE events SET transaction_id = pg_current_xact_id() WHERE {}", event_at(2));
        let sqlite =
            format!("UPDATE events SET position = (SELECT max(position) + 1 FROM events) WHERE {}", event_at(2));
        tamper(&app, &postgres, &sqlite).await;
        let after = export_from_store(&app).await;
        assert_eq!(after, before);
        let report = verify_export(after.as_bytes(), checkpoint_signer().verifier_key()).expect("reads");
        assert!(report.is_intact() && report.events == 5, "{report:?}");

        // The chain follower meets the moved event again and leaves it where
        // it is linked: the api's export and verification are unchanged.
        let served = app.get("/audit/export", &app.token("auditor")).await;
        assert_eq!(served.status(), StatusCode::OK);
        assert_eq!(served.text().await.expect("export"), before);
        let report = verification(&app).await;
        assert_eq!((&report["problem"], &report["events"]), (&Value::Null, &json!(5)), "{report}");
    }
}

/// Runs the `caucus` binary on the app's store and returns its exit status and output.
async fn caucus(app: &TestApp, args: &[&str]) -> (bool, String) {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_caucus"));
    command.args(args).env_remove("CAUCUS_DATABASE_URL").env("RUST_LOG", "warn");
    match &app.store {
        caucus_api::store::StoreConfig::Postgres { url, .. } => command.env("CAUCUS_DATABASE_URL", url),
        caucus_api::store::StoreConfig::Sqlite { path } => {
            command.env("CAUCUS_DATA_DIR", path.parent().expect("data dir"))
        }
    };
    let output = command.output().await.expect("run caucus");
    (output.status.success(), String::from_utf8_lossy(&output.stdout).into_owned())
}

on_both_stores! {
    async fn the_command_line_exports_a_log_and_verifies_it_offline_and_in_the_store(app: backend) {
        decisions(&app, 3).await;
        verification(&app).await;
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("log.jsonl");
        let file = file.to_str().expect("path");
        let key = checkpoint_signer().verifier_key().to_owned();

        let (exported, _) = caucus(&app, &["export", "--group", "newham-labour", "--out", file]).await;
        assert!(exported);
        let (intact, said) = caucus(&app, &["verify", "--export", file, "--key", &key]).await;
        assert!(intact, "{said}");
        assert!(said.starts_with("intact: 3 events, "), "{said}");
        let (intact, said) = caucus(&app, &["verify", "--group", "newham-labour", "--key", &key]).await;
        assert!(intact, "{said}");

        let text = std::fs::read_to_string(file).expect("read");
        std::fs::write(file, text.replacen("Decision 2", "Decision Two", 1)).expect("write");
        let (intact, said) = caucus(&app, &["verify", "--export", file, "--key", &key]).await;
        assert!(!intact);
        assert!(said.starts_with("NOT INTACT at position 2:"), "{said}");
    }
}
