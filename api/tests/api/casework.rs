//! Casework through the api: who may read a case (its owner, the councillors
//! it is shared with, the office; auditors its metadata only; nobody else),
//! its personal data sealed in every stored row, and a referral's due dates
//! counted in working days with the days they skipped.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, json, problem};
use crate::on_both_stores;

const RESIDENT: &str = "Adaeze Okonkwo-Smith";
const ADDRESS: &str = "Flat 4, 19 Freemasons Road, London E16 3NA";
const SUMMARY: &str = "Black mould in the bedroom of her asthmatic son since October";
const NOTE: &str = "Spoke to Adaeze: the landlord visited but did nothing";

/// Registers an organisation with the default targets; its id.
pub async fn register(app: &TestApp, name: &str) -> String {
    let body = json!({"name": name, "kind": "council_service", "contact": "members.enquiries@newham.gov.uk"});
    let created =
        json(app.post("/organisations", &app.token("assistant"), &body).await, StatusCode::CREATED).await;
    created["id"].as_str().expect("id").to_owned()
}

/// A new case for a new resident, owned by `owner`.
pub fn new_case(owner: &str, summary: &str) -> Value {
    json!({
        "resident": {"name": RESIDENT, "address": ADDRESS, "phone": "07700 900123", "preferred_contact": "phone"},
        "ward": "Canning Town North",
        "category": "repairs",
        "channel": "surgery",
        "summary": summary,
        "owner_id": owner,
        "received_on": "2026-03-30"
    })
}

/// Opens a case as `token`; the case as answered.
pub async fn open(app: &TestApp, token: &str, body: &Value) -> Value {
    json(app.post("/cases", token, body).await, StatusCode::CREATED).await
}

async fn add_member(app: &TestApp, name: &str) -> String {
    let body = json!({"name": name, "ward": "Canning Town North"});
    let created = json(app.post("/members", &app.token("assistant"), &body).await, StatusCode::CREATED).await;
    created["id"].as_str().expect("id").to_owned()
}

fn ids(page: &Value) -> Vec<&str> {
    page["items"].as_array().expect("items").iter().map(|c| c["id"].as_str().expect("id")).collect()
}

on_both_stores! {
    async fn a_case_is_read_by_its_owner_those_it_is_shared_with_and_the_office_and_nobody_else(app: backend) {
        let owner = add_member(&app, "Cllr Owner").await;
        let colleague = add_member(&app, "Cllr Colleague").await;
        let other = add_member(&app, "Cllr Other").await;
        let leader = add_member(&app, "Cllr Leader").await;
        let mut body = new_case(&owner, SUMMARY);
        body["shared_with"] = json!([colleague]);
        let case = open(&app, &app.token("assistant"), &body).await;
        let id = case["id"].as_str().expect("id");
        assert_eq!(case["status"], "received");
        assert_eq!(case["personal_data"], "shown");
        assert_eq!(case["summary"], SUMMARY, "the office reads what it wrote");
        assert_eq!(case["resident"]["name"], RESIDENT);
        assert_eq!(case["resident"]["address"], ADDRESS);

        for (who, token) in [
            ("owner", app.token_as(&owner, "councillor")),
            ("colleague", app.token_as(&colleague, "councillor")),
        ] {
            let read = json(app.get(&format!("/cases/{id}"), &token).await, StatusCode::OK).await;
            assert_eq!(read["summary"], SUMMARY, "{who}");
            assert_eq!(read["resident"]["name"], RESIDENT, "{who}");
            let mine = json(app.get("/cases", &token).await, StatusCode::OK).await;
            assert_eq!(ids(&mine), [id], "{who}'s list");
        }
        for (who, token) in [
            ("another councillor", app.token_as(&other, "councillor")),
            ("the Leader", app.token_as(&leader, "leader")),
            ("a Group Officer", app.token("officer")),
            ("another group's assistant", app.token_for("tower-hamlets-labour", "assistant")),
        ] {
            problem(app.get(&format!("/cases/{id}"), &token).await, StatusCode::NOT_FOUND).await;
            let listed = json(app.get("/cases", &token).await, StatusCode::OK).await;
            assert!(ids(&listed).is_empty(), "{who} lists no case");
            let note = json!({"text": "not mine"});
            problem(app.post(&format!("/cases/{id}/notes"), &token, &note).await, StatusCode::NOT_FOUND).await;
            let history = app.get(&format!("/history/case/{id}"), &token).await;
            assert_ne!(history.status(), StatusCode::OK, "{who} reads no history of it");
        }

        let audited = json(app.get(&format!("/cases/{id}"), &app.token("auditor")).await, StatusCode::OK).await;
        assert_eq!(audited["personal_data"], "withheld");
        assert_eq!(audited["summary"], Value::Null);
        assert_eq!(audited["resident"], Value::Null);
        assert_eq!(audited["category"], "repairs", "an auditor sees the metadata");
        assert_eq!(audited["ward"], "Canning Town North");
        let listed = json(app.get("/cases", &app.token("auditor")).await, StatusCode::OK).await;
        assert_eq!(listed["items"][0]["summary"], Value::Null);
        let history = app.get(&format!("/history/case/{id}"), &app.token("auditor")).await.text().await.expect("history");
        assert!(!history.contains("Okonkwo") && !history.contains("mould"), "{history}");
        problem(app.get(&format!("/residents/{}", case["resident_id"].as_str().expect("resident")), &app.token("auditor")).await, StatusCode::FORBIDDEN).await;

        // Shared: the colleague works it; handed over: the old owner reads it no more.
        let noted = json(app.post(&format!("/cases/{id}/notes"), &app.token_as(&colleague, "councillor"), &json!({"text": NOTE})).await, StatusCode::OK).await;
        assert_eq!(noted["notes"][0]["text"], NOTE);
        let handover = json!({"to": other, "note": "Cllr Owner stood down"});
        let handed = json(app.post(&format!("/cases/{id}/handover"), &app.token("assistant"), &handover).await, StatusCode::OK).await;
        assert_eq!(handed["owner_id"], other.as_str());
        problem(app.get(&format!("/cases/{id}"), &app.token_as(&owner, "councillor")).await, StatusCode::NOT_FOUND).await;
        json(app.get(&format!("/cases/{id}"), &app.token_as(&other, "councillor")).await, StatusCode::OK).await;
    }

    async fn a_councillor_who_hands_over_or_unshares_their_own_case_is_told_it_is_done(app: backend) {
        let owner = add_member(&app, "Cllr Owner").await;
        let colleague = add_member(&app, "Cllr Colleague").await;
        let mut body = new_case(&owner, SUMMARY);
        body["shared_with"] = json!([colleague]);
        let case = open(&app, &app.token("assistant"), &body).await;
        let id = case["id"].as_str().expect("id");

        // The colleague stops sharing it with themselves: done, and theirs to read no more.
        let theirs = app.token_as(&colleague, "councillor");
        let unshared = app.post(&format!("/cases/{id}/unsharing"), &theirs, &json!({"member_id": colleague})).await;
        assert_eq!(unshared.status(), StatusCode::NO_CONTENT);
        assert_eq!(unshared.text().await.expect("body"), "");
        problem(app.get(&format!("/cases/{id}"), &theirs).await, StatusCode::NOT_FOUND).await;

        // The owner hands it to the colleague; a retry under the same key answers the same.
        let mine = app.token_as(&owner, "councillor");
        let hand_over = || {
            app.client
                .post(app.api(&format!("/cases/{id}/handover")))
                .bearer_auth(&mine)
                .header("Idempotency-Key", "hand-over-1")
                .json(&json!({"to": colleague, "note": "Cllr Colleague lives on the estate"}))
                .send()
        };
        let handed = hand_over().await.expect("send");
        assert_eq!(handed.status(), StatusCode::NO_CONTENT);
        let again = hand_over().await.expect("send");
        assert_eq!(again.status(), StatusCode::NO_CONTENT);
        assert_eq!(again.headers()["Idempotent-Replayed"], "true");
        problem(app.get(&format!("/cases/{id}"), &mine).await, StatusCode::NOT_FOUND).await;
        let now = json(app.get(&format!("/cases/{id}"), &theirs).await, StatusCode::OK).await;
        assert_eq!(now["owner_id"], colleague.as_str());
        assert_eq!(now["shared_with"], json!([]));
        let history = json(app.get(&format!("/history/case/{id}"), &app.token("assistant")).await, StatusCode::OK).await;
        let recorded: Vec<&str> =
            history["events"].as_array().expect("events").iter().map(|e| e["event_type"].as_str().expect("type")).collect();
        assert_eq!(recorded.iter().filter(|t| **t == "CaseUnshared").count(), 1, "{recorded:?}");
        assert_eq!(recorded.iter().filter(|t| **t == "CaseHandedOver").count(), 1, "handed over once: {recorded:?}");
    }

    async fn a_residents_details_and_a_cases_texts_are_sealed_in_every_stored_row(app: backend) {
        let owner = add_member(&app, "Cllr Owner").await;
        let councillor = app.token_as(&owner, "councillor");
        // Under an Idempotency-Key, the answer kept for a replay is stored too.
        let once = |path: &str, body: &Value, key: &str| {
            app.client.post(app.api(path)).bearer_auth(&councillor).header("Idempotency-Key", key).json(body).send()
        };
        let case = json(once("/cases", &new_case(&owner, SUMMARY), "open-1").await.expect("send"), StatusCode::CREATED).await;
        let id = case["id"].as_str().expect("id");
        assert_eq!(case["resident"]["name"], RESIDENT);
        let noted = json(once(&format!("/cases/{id}/notes"), &json!({"text": NOTE}), "note-1").await.expect("send"), StatusCode::OK).await;
        assert_eq!(noted["notes"][0]["text"], NOTE);
        let replayed = once(&format!("/cases/{id}/notes"), &json!({"text": NOTE}), "note-1").await.expect("send");
        assert_eq!(replayed.headers()["Idempotent-Replayed"], "true");
        let replayed = json(replayed, StatusCode::OK).await;
        assert_eq!(replayed["notes"][0]["text"], NOTE, "a replay is revealed as the first answer was");
        assert_eq!(replayed["resident"]["name"], RESIDENT);
        let raw = crate::personal_data::raw_tables(&app).await;
        for secret in [RESIDENT, "Okonkwo", ADDRESS, "Freemasons", "07700 900123", SUMMARY, "mould", NOTE, "landlord"] {
            assert!(!raw.contains(secret), "{secret:?} is readable in the store");
        }
        assert!(raw.contains("sealed:v1:"), "the sealed values are there");
    }

    async fn a_referral_falls_due_in_working_days_and_says_which_days_it_skipped(app: backend) {
        let owner = add_member(&app, "Cllr Owner").await;
        let repairs = register(&app, "Housing Repairs").await;
        let case = open(&app, &app.token("assistant"), &new_case(&owner, SUMMARY)).await;
        let id = case["id"].as_str().expect("id");
        let assistant = app.token("assistant");
        json(app.post(&format!("/cases/{id}/acknowledgement"), &assistant, &json!({"on": "2026-03-31"})).await, StatusCode::OK).await;

        // Without the resident's consent their details cannot go with it.
        let sharing = json!({"organisation_id": repairs, "share_details": true, "on": "2026-04-02"});
        let refused = problem(app.post(&format!("/cases/{id}/referrals"), &assistant, &sharing).await, StatusCode::CONFLICT).await;
        assert!(refused["detail"].as_str().expect("detail").contains("consented"), "{refused}");

        // Referred on the Thursday before Easter: acknowledgement in one working
        // day is the Tuesday after Easter Monday; the reply in ten, 20 April.
        let referral = json!({"organisation_id": repairs, "on": "2026-04-02"});
        let referred = json(app.post(&format!("/cases/{id}/referrals"), &assistant, &referral).await, StatusCode::OK).await;
        assert_eq!(referred["status"], "referred");
        let made = &referred["referrals"][0];
        assert_eq!(made["organisation"], "Housing Repairs");
        assert_eq!(made["acknowledge_by"]["on"], "2026-04-07");
        let skipped: Vec<(&str, &str)> = made["acknowledge_by"]["skipped"]
            .as_array()
            .expect("skipped")
            .iter()
            .map(|d| (d["on"].as_str().expect("on"), d["why"].as_str().expect("why")))
            .collect();
        assert_eq!(
            skipped,
            [("2026-04-03", "Good Friday"), ("2026-04-04", "Saturday"), ("2026-04-05", "Sunday"), ("2026-04-06", "Easter Monday")]
        );
        assert_eq!(made["reply_by"]["on"], "2026-04-20");
        assert_eq!(made["reply_by"]["working_days"], 10);
        assert_eq!(referred["overdue"], true, "long past, as the case is read today");
        assert_eq!(made["late"], json!(["acknowledgement", "reply"]));

        let overdue = json(app.get("/cases?overdue=true", &assistant).await, StatusCode::OK).await;
        assert_eq!(ids(&overdue), [id]);
        let by_organisation = json(app.get(&format!("/cases?organisation_id={repairs}&category=repairs&ward=canning%20town%20NORTH"), &assistant).await, StatusCode::OK).await;
        assert_eq!(ids(&by_organisation), [id]);
        let other_category = json(app.get("/cases?category=parking", &assistant).await, StatusCode::OK).await;
        assert!(ids(&other_category).is_empty());

        let acknowledged = json!({"on": "2026-04-07", "their_reference": "HR/2026/0412"});
        let awaiting = json(app.post(&format!("/cases/{id}/referral-acknowledgement"), &assistant, &acknowledged).await, StatusCode::OK).await;
        assert_eq!(awaiting["status"], "awaiting_response");
        assert_eq!(awaiting["referrals"][0]["their_reference"], "HR/2026/0412");
        let chased = json(app.post(&format!("/cases/{id}/chases"), &assistant, &json!({"on": "2026-04-21", "note": "Phoned the repairs team"})).await, StatusCode::OK).await;
        assert_eq!(chased["referrals"][0]["chases"][0]["next_by"]["on"], "2026-04-28", "five working days on");
        assert_eq!(chased["referrals"][0]["chases"][0]["note"], "Phoned the repairs team");
        let second = json!({"organisation_id": repairs});
        let refused = problem(app.post(&format!("/cases/{id}/referrals"), &assistant, &second).await, StatusCode::CONFLICT).await;
        assert!(refused["detail"].as_str().expect("detail").contains("Housing Repairs"), "{refused}");

        let answered = json(app.post(&format!("/cases/{id}/response"), &assistant, &json!({"on": "2026-04-24", "summary": "A contractor will treat the mould on 30 April"})).await, StatusCode::OK).await;
        assert_eq!(answered["status"], "responded");
        assert_eq!(answered["overdue"], false);
        assert_eq!(answered["next_due_on"], Value::Null);
        let closed = json(app.post(&format!("/cases/{id}/closure"), &assistant, &json!({"on": "2026-05-01", "outcome": "resolved"})).await, StatusCode::OK).await;
        assert_eq!(closed["status"], "closed");
        let reopened = json(app.post(&format!("/cases/{id}/reopening"), &assistant, &json!({"on": "2026-06-01", "reason": "The mould came back"})).await, StatusCode::OK).await;
        assert_eq!(reopened["status"], "responded");
        assert_eq!(reopened["reopenings"][0]["reason"], "The mould came back");
        assert_eq!(reopened["reopenings"][0]["closed"]["outcome"], "resolved");
    }

    async fn a_case_is_refused_what_it_cannot_hold(app: backend) {
        let owner = add_member(&app, "Cllr Owner").await;
        let other = add_member(&app, "Cllr Other").await;
        let mut body = new_case(&owner, SUMMARY);
        body["category"] = json!("immigration");
        body["special_category"] = json!({"kinds": [], "condition": "elected_representative_responding"});
        let refused = problem(app.post("/cases", &app.token("assistant"), &body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        let pointers: Vec<&str> = refused["errors"].as_array().expect("errors").iter().map(|e| e["pointer"].as_str().expect("pointer")).collect();
        assert!(pointers.contains(&"/special_category/kinds"), "{refused}");
        body["special_category"] = json!({"kinds": ["health"], "condition": "elected_representative_responding"});
        let refused = problem(app.post("/cases", &app.token("assistant"), &body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/category", "{refused}");
        assert!(refused["errors"][0]["detail"].as_str().expect("detail").contains("repairs"), "{refused}");

        // A councillor opens only cases they can read afterwards.
        let refused = problem(app.post("/cases", &app.token_as(&other, "councillor"), &new_case(&owner, SUMMARY)).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/owner_id", "{refused}");

        let mut flagged = new_case(&owner, SUMMARY);
        flagged["special_category"] = json!({"kinds": ["health", "health"], "condition": "elected_representative_responding"});
        let case = open(&app, &app.token_as(&owner, "councillor"), &flagged).await;
        assert_eq!(case["special_category"]["kinds"], json!(["health"]));
        let categories = json(app.get("/case-categories", &app.token("councillor")).await, StatusCode::OK).await;
        assert_eq!(categories["categories"].as_array().expect("categories").len(), 12);
    }
}

#[tokio::test]
async fn the_sample_group_has_a_dozen_cases_some_overdue_one_special_category() {
    let app = crate::helpers::spawn_sample_app().await;
    let assistant = app.token("assistant");
    let all = json(app.get("/cases?limit=200", &assistant).await, StatusCode::OK).await;
    let cases = all["items"].as_array().expect("items");
    assert_eq!(cases.len(), 12);
    let wards: std::collections::BTreeSet<&str> =
        cases.iter().map(|c| c["ward"].as_str().expect("ward")).collect();
    assert!(wards.len() >= 10, "{wards:?}");
    assert_eq!(cases.iter().filter(|c| !c["special_category"].is_null()).count(), 1);
    assert!(cases.iter().all(|c| c["personal_data"] == "shown" && c["resident"]["name"].is_string()));
    let overdue = json(app.get("/cases?overdue=true", &assistant).await, StatusCode::OK).await;
    assert!(overdue["items"].as_array().expect("items").len() >= 3, "{overdue}");
    let organisations = json(app.get("/organisations", &assistant).await, StatusCode::OK).await;
    assert_eq!(organisations["items"].as_array().expect("items").len(), 6);
    // The Leader owns one case and sees only that one.
    let leader = caucus_api::sample::sample_member_id(1).to_string();
    let own = json(app.get("/cases", &app.token_as(&leader, "leader")).await, StatusCode::OK).await;
    assert_eq!(own["items"].as_array().expect("items").len(), 1);
}

/// Runs `caucus casework retention` against the test app's store; its output.
fn retention(app: &TestApp, dry_run: bool) -> String {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_caucus"));
    command.args(["casework", "retention"]);
    if dry_run {
        command.arg("--dry-run");
    }
    match &app.store {
        caucus_api::store::StoreConfig::Sqlite { path } => {
            command.arg("--data-dir").arg(path.parent().expect("data dir"));
        }
        caucus_api::store::StoreConfig::Postgres { url, .. } => {
            command.args(["--database-url", url]);
        }
    }
    let output = command.env_remove("CAUCUS_DATABASE_URL").output().expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    stdout
}

on_both_stores! {
    async fn a_closed_case_is_erased_when_its_retention_runs_out_and_its_resident_with_their_last(app: backend) {
        let assistant = app.token("assistant");
        let owner = add_member(&app, "Cllr Owner").await;
        let mut old = new_case(&owner, SUMMARY);
        old["received_on"] = json!("2023-01-02");
        let first = open(&app, &assistant, &old).await;
        let first_id = first["id"].as_str().expect("id").to_owned();
        let resident = first["resident_id"].as_str().expect("resident").to_owned();
        json(app.post(&format!("/cases/{first_id}/closure"), &assistant, &json!({"on": "2023-02-01", "outcome": "resolved"})).await, StatusCode::OK).await;
        // A second case of the same resident, still open, keeps their details.
        let mut again = new_case(&owner, "Mould again in the same bedroom");
        again.as_object_mut().expect("object").remove("resident");
        again["resident_id"] = json!(resident);
        again["received_on"] = json!("2024-01-02");
        let second = open(&app, &assistant, &again).await;
        let second_id = second["id"].as_str().expect("id").to_owned();
        // A third, kept longer with a reason, is not touched.
        let kept = open(&app, &assistant, &old).await;
        let kept_id = kept["id"].as_str().expect("id").to_owned();
        json(app.post(&format!("/cases/{kept_id}/closure"), &assistant, &json!({"on": "2023-02-01", "outcome": "not_resolved"})).await, StatusCode::OK).await;
        let too_short = json!({"months": 12, "reason": "Ombudsman complaint"});
        let refused = problem(app.post(&format!("/cases/{kept_id}/retention"), &assistant, &too_short).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/months");
        let closed = json(app.get(&format!("/cases/{kept_id}"), &assistant).await, StatusCode::OK).await;
        assert_eq!((closed["retention"].clone(), closed["erase_on"].clone()), (Value::Null, json!("2025-02-01")), "the deployment's 24 months: {closed}");
        let kept = json(app.post(&format!("/cases/{kept_id}/retention"), &assistant, &json!({"months": 72, "reason": "Ombudsman complaint"})).await, StatusCode::OK).await;
        assert_eq!(kept["retention"], json!({"months": 72, "reason": "Ombudsman complaint"}));
        assert_eq!(kept["erase_on"], "2029-02-01", "six years after closing");

        let listed = retention(&app, true);
        assert!(listed.contains(&first_id) && listed.contains("1 case(s) due for erasure"), "{listed}");
        let unchanged = json(app.get(&format!("/cases/{first_id}"), &assistant).await, StatusCode::OK).await;
        assert_eq!(unchanged["summary"], SUMMARY, "a dry run erases nothing");

        let erased = retention(&app, false);
        assert!(erased.contains(&first_id) && erased.contains("1 case(s) erased"), "{erased}");
        assert!(!erased.contains("resident's details"), "the resident has a live case: {erased}");
        let first = json(app.get(&format!("/cases/{first_id}"), &assistant).await, StatusCode::OK).await;
        assert_eq!(first["personal_data"], "erased");
        assert_eq!(first["summary"], Value::Null);
        assert_eq!(first["erase_on"], Value::Null, "nothing left to erase");
        assert_eq!(first["category"], "repairs", "what keeps the statistics stays");
        assert_eq!(first["closure"]["outcome"], "resolved");
        let second = json(app.get(&format!("/cases/{second_id}"), &assistant).await, StatusCode::OK).await;
        assert_eq!(second["resident"]["name"], RESIDENT);
        let again = retention(&app, true);
        assert!(again.contains("0 case(s) due for erasure"), "nothing is due twice: {again}");

        // The second case closes long ago too: it goes, and the resident with it.
        json(app.post(&format!("/cases/{second_id}/closure"), &assistant, &json!({"on": "2024-06-03", "outcome": "withdrawn"})).await, StatusCode::OK).await;
        let erased = retention(&app, false);
        assert!(erased.contains(&second_id) && erased.contains("and its resident's details"), "{erased}");
        let resident = json(app.get(&format!("/residents/{resident}"), &assistant).await, StatusCode::OK).await;
        assert_eq!(resident["status"], "erased");
        assert_eq!(resident["name"], Value::Null);
        let kept = json(app.get(&format!("/cases/{kept_id}"), &assistant).await, StatusCode::OK).await;
        assert_eq!(kept["summary"], SUMMARY, "kept for its own period");
        assert_eq!(kept["resident"]["name"], RESIDENT, "its own resident was another person");
    }

    async fn a_resident_gets_everything_held_about_them_and_is_erased_on_request(app: backend) {
        let assistant = app.token("assistant");
        let owner = add_member(&app, "Cllr Owner").await;
        let case = open(&app, &assistant, &new_case(&owner, SUMMARY)).await;
        let id = case["id"].as_str().expect("id");
        let resident = case["resident_id"].as_str().expect("resident");
        json(app.post(&format!("/cases/{id}/notes"), &assistant, &json!({"text": NOTE})).await, StatusCode::OK).await;

        let export = json(app.get(&format!("/residents/{resident}/subject-access"), &assistant).await, StatusCode::OK).await;
        assert_eq!(export["resident"]["name"], RESIDENT);
        assert_eq!(export["cases"][0]["summary"], SUMMARY);
        let text = export.to_string();
        assert!(text.contains(NOTE) && text.contains(ADDRESS), "the events are opened: {text}");
        let events: Vec<&str> = export["events"].as_array().expect("events").iter().map(|e| e["event_type"].as_str().expect("type")).collect();
        assert!(events.contains(&"ResidentRecorded") && events.contains(&"CaseNoteAdded"), "{events:?}");
        for role in ["officer", "leader", "auditor", "councillor"] {
            problem(app.get(&format!("/residents/{resident}/subject-access"), &app.token(role)).await, StatusCode::FORBIDDEN).await;
        }
        // The councillor's own subject access names the case but opens nothing of it.
        let member = json(app.get(&format!("/members/{owner}/subject-access"), &assistant).await, StatusCode::OK).await;
        let member = member.to_string();
        assert!(member.contains(id) && !member.contains("mould") && !member.contains("Okonkwo"), "{member}");

        // The office keeps the resident's record: new details, consent given.
        let moved = json!({"name": RESIDENT, "address": "2 New Street, London E16 2AA", "phone": "07700 900555", "preferred_contact": "phone"});
        let changed = json(app.post(&format!("/residents/{resident}/details"), &assistant, &moved).await, StatusCode::OK).await;
        assert_eq!(changed["address"], "2 New Street, London E16 2AA");
        assert_eq!(changed["email"], Value::Null, "every field is replaced");
        let consented = json(app.post(&format!("/residents/{resident}/consent"), &assistant, &json!({"consent_to_share": true})).await, StatusCode::OK).await;
        assert_eq!(consented["consent_to_share"], true);
        let on_case = json(app.get(&format!("/cases/{id}"), &app.token_as(&owner, "councillor")).await, StatusCode::OK).await;
        assert_eq!(on_case["resident"]["phone"], "07700 900555", "the councillor sees it on the case");
        problem(app.post(&format!("/residents/{resident}/consent"), &app.token_as(&owner, "councillor"), &json!({"consent_to_share": false})).await, StatusCode::FORBIDDEN).await;

        let erased = json(app.post(&format!("/residents/{resident}/erasure"), &assistant, &json!({})).await, StatusCode::OK).await;
        assert_eq!(erased["status"], "erased");
        assert_eq!(erased["personal_data"], "erased");
        assert_eq!(erased["name"], Value::Null);
        let case = json(app.get(&format!("/cases/{id}"), &assistant).await, StatusCode::OK).await;
        assert_eq!(case["personal_data"], "erased");
        assert_eq!(case["notes"][0]["text"], Value::Null);
        let export = json(app.get(&format!("/residents/{resident}/subject-access"), &assistant).await, StatusCode::OK).await;
        let text = export.to_string();
        assert!(!text.contains(NOTE) && !text.contains("Okonkwo") && !text.contains("mould") && !text.contains("New Street"), "{text}");
        let refused = problem(app.post(&format!("/cases/{id}/notes"), &assistant, &json!({"text": "more"})).await, StatusCode::CONFLICT).await;
        assert!(refused["detail"].as_str().expect("detail").contains("erased"), "{refused}");
    }
}

on_both_stores! {
    async fn a_councillor_who_leaves_leaves_their_open_cases_waiting_for_a_new_owner(app: backend) {
        let assistant = app.token("assistant");
        let leaving = add_member(&app, "Cllr Leaving").await;
        let staying = add_member(&app, "Cllr Staying").await;
        let open_case = open(&app, &assistant, &new_case(&leaving, SUMMARY)).await;
        let open_id = open_case["id"].as_str().expect("id");
        let closed = open(&app, &assistant, &new_case(&leaving, "An answered enquiry")).await;
        let closed_id = closed["id"].as_str().expect("id");
        json(app.post(&format!("/cases/{closed_id}/closure"), &assistant, &json!({"outcome": "resolved"})).await, StatusCode::OK).await;
        let none = json(app.get("/case-handovers", &assistant).await, StatusCode::OK).await;
        assert_eq!(none["items"], json!([]));

        let departure = json!({"on": "2026-05-07", "reason": "Stood down at the election"});
        json(app.post(&format!("/members/{leaving}/departure"), &assistant, &departure).await, StatusCode::OK).await;
        let waiting = json(app.get("/case-handovers", &assistant).await, StatusCode::OK).await;
        assert_eq!(waiting["items"][0]["member_id"], leaving.as_str());
        assert_eq!(waiting["items"][0]["name"], "Cllr Leaving");
        let cases: Vec<&str> = waiting["items"][0]["cases"].as_array().expect("cases").iter().map(|c| c["id"].as_str().expect("id")).collect();
        assert_eq!(cases, [open_id], "only the open case waits");
        let audited = json(app.get("/case-handovers", &app.token("auditor")).await, StatusCode::OK).await;
        assert_eq!(audited["items"][0]["cases"][0]["summary"], Value::Null, "auditors see the metadata only");
        problem(app.get("/case-handovers", &app.token("leader")).await, StatusCode::FORBIDDEN).await;

        // Nobody who has left can be handed a case; a current member can.
        let refused = problem(app.post(&format!("/cases/{open_id}/handover"), &assistant, &json!({"to": leaving})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/to");
        let handover = json!({"to": staying, "note": "Ward colleague takes it on"});
        json(app.post(&format!("/cases/{open_id}/handover"), &assistant, &handover).await, StatusCode::OK).await;
        let done = json(app.get("/case-handovers", &assistant).await, StatusCode::OK).await;
        assert_eq!(done["items"], json!([]), "no open case is left without a current owner");
    }
}

on_both_stores! {
    async fn the_casework_report_counts_and_names_nobody_and_joins_the_report_back(app: backend) {
        let assistant = app.token("assistant");
        let owner = add_member(&app, "Cllr Owner").await;
        let repairs = register(&app, "Housing Repairs").await;
        let answered = open(&app, &assistant, &new_case(&owner, SUMMARY)).await;
        let answered = answered["id"].as_str().expect("id");
        json(app.post(&format!("/cases/{answered}/referrals"), &assistant, &json!({"organisation_id": repairs, "on": "2026-04-02"})).await, StatusCode::OK).await;
        json(app.post(&format!("/cases/{answered}/response"), &assistant, &json!({"on": "2026-04-20", "summary": "Fixed"})).await, StatusCode::OK).await;
        json(app.post(&format!("/cases/{answered}/closure"), &assistant, &json!({"on": "2026-04-21", "outcome": "resolved"})).await, StatusCode::OK).await;
        let mut late = new_case(&owner, "Street light out for a month");
        late["category"] = json!("highways");
        let late = open(&app, &assistant, &late).await;
        let late = late["id"].as_str().expect("id");
        json(app.post(&format!("/cases/{late}/referrals"), &assistant, &json!({"organisation_id": repairs, "on": "2026-04-13"})).await, StatusCode::OK).await;

        // Any member may read it: it is counts only.
        let response = app.get("/casework-report?from=2026-03-01&to=2026-04-30", &app.token("councillor")).await;
        let text = response.text().await.expect("body");
        assert!(!text.contains("Okonkwo") && !text.contains("mould") && !text.contains("Street light"), "{text}");
        let report: Value = serde_json::from_str(&text).expect("json");
        assert_eq!((report["opened"].as_u64(), report["closed"].as_u64()), (Some(2), Some(1)));
        assert_eq!(report["open"], 1);
        assert_eq!(report["overdue"], 1, "as read today, long after its due dates");
        assert_eq!(report["closed_by_outcome"], json!([{"name": "resolved", "count": 1}]));
        assert_eq!(report["opened_by_category"], json!([{"name": "highways", "count": 1}, {"name": "repairs", "count": 1}]));
        let organisation = &report["organisations"][0];
        assert_eq!(organisation["organisation"], "Housing Repairs");
        assert_eq!((organisation["open"].as_u64(), organisation["overdue"].as_u64()), (Some(1), Some(1)));
        assert_eq!(organisation["median_working_days_to_answer"], 10.0, "2 to 20 April: ten working days over Easter");
        assert_eq!(report["longest_overdue"][0]["case_id"], late);
        assert_eq!(report["longest_overdue"][0]["category"], "highways");
        problem(app.get("/casework-report?from=2026-05-01&to=2026-04-01", &assistant).await, StatusCode::UNPROCESSABLE_ENTITY).await;

        // The facts it counts are part of the read model: a replay of the log makes the same report.
        let db = caucus_api::store::Database::connect(&app.store).await.expect("connect");
        caucus_api::store::projector::Projector::rebuild(db.clone()).await.expect("replay");
        db.close().await;
        let replayed = json(app.get("/casework-report?from=2026-03-01&to=2026-04-30", &assistant).await, StatusCode::OK).await;
        assert_eq!(replayed, report, "the replayed facts count as the written ones");

        let digest = json(app.get("/report-back?from=2026-04-01&to=2026-04-30", &app.token("councillor")).await, StatusCode::OK).await;
        assert_eq!(digest["casework"], json!({"opened": 0, "closed": 1, "open": 1, "overdue": 1}), "received 30 March, so opened before April");
        let markdown = app.get("/report-back?from=2026-04-01&to=2026-04-30&format=markdown", &assistant).await.text().await.expect("markdown");
        assert!(markdown.contains("## Casework\n\n0 opened, 1 closed; 1 open at the end of the period, 1 of them overdue."), "{markdown}");
    }
}

on_both_stores! {
    async fn overdue_cases_with_one_organisation_become_a_draft_council_question_naming_no_one(app: backend) {
        let assistant = app.token("assistant");
        let owner = add_member(&app, "Cllr Owner").await;
        let repairs = register(&app, "Housing Repairs").await;
        let waste = register(&app, "Waste and Recycling").await;
        let meeting = crate::motions::council_meeting(&app, 60).await;
        let mut overdue = Vec::new();
        for on in ["2026-04-02", "2026-04-13"] {
            let case = open(&app, &assistant, &new_case(&owner, SUMMARY)).await;
            let id = case["id"].as_str().expect("id").to_owned();
            json(app.post(&format!("/cases/{id}/referrals"), &assistant, &json!({"organisation_id": repairs, "on": on})).await, StatusCode::OK).await;
            overdue.push(id);
        }
        let elsewhere = open(&app, &assistant, &new_case(&owner, SUMMARY)).await;
        let elsewhere = elsewhere["id"].as_str().expect("id");
        json(app.post(&format!("/cases/{elsewhere}/referrals"), &assistant, &json!({"organisation_id": waste})).await, StatusCode::OK).await;

        let ask = json!({"meeting_id": meeting, "proposer_id": owner, "directed_to": "Cabinet Member for Housing"});
        let response = app.post(&format!("/organisations/{repairs}/council-questions"), &assistant, &ask).await;
        let location = response.headers()["location"].to_str().expect("location").to_owned();
        let question = json(response, StatusCode::CREATED).await;
        assert!(location.ends_with(&format!("/motions/{}", question["id"].as_str().expect("id"))), "{location}");
        assert_eq!(question["kind"], "question");
        assert_eq!(question["status"], "drafted");
        assert_eq!(question["directed_to"], "Cabinet Member for Housing");
        let mut linked: Vec<&str> = question["case_ids"].as_array().expect("cases").iter().map(|c| c.as_str().expect("id")).collect();
        linked.sort_unstable();
        let mut expected: Vec<&str> = overdue.iter().map(String::as_str).collect();
        expected.sort_unstable();
        assert_eq!(linked, expected, "the waste case is not in it");
        let text = question["text"].as_str().expect("text");
        assert!(text.contains("2 enquiries") && text.contains("Housing Repairs") && text.contains("between 2026-04-02 and 2026-04-13"), "{text}");
        assert!(!question.to_string().contains("Okonkwo") && !question.to_string().contains("mould"), "{question}");
        let group_can_read = app.get(&format!("/motions/{}", question["id"].as_str().expect("id")), &app.token("councillor")).await;
        assert_eq!(group_can_read.status(), StatusCode::OK, "a question names no one, so the group reads it");

        let mut not_overdue = ask.clone();
        not_overdue["case_ids"] = json!([elsewhere]);
        let refused = problem(app.post(&format!("/organisations/{repairs}/council-questions"), &assistant, &not_overdue).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/case_ids/0");
        let other = add_member(&app, "Cllr Other").await;
        let as_other = problem(app.post(&format!("/organisations/{repairs}/council-questions"), &app.token_as(&other, "councillor"), &ask).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(as_other["errors"][0]["pointer"], "/proposer_id", "a councillor asks only as themselves");
        let mut own = ask.clone();
        own["proposer_id"] = json!(other);
        let nothing = problem(app.post(&format!("/organisations/{repairs}/council-questions"), &app.token_as(&other, "councillor"), &own).await, StatusCode::CONFLICT).await;
        assert!(nothing["detail"].as_str().expect("detail").contains("no case is overdue"), "they read none of the cases: {nothing}");
    }
}

/// A client that shows redirects instead of following them.
fn browser() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

fn enquiry(ward: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", RESIDENT.to_owned()),
        ("email", "adaeze@example.org".to_owned()),
        ("phone", String::new()),
        ("address", ADDRESS.to_owned()),
        ("ward", ward.to_owned()),
        ("problem", SUMMARY.to_owned()),
        ("consent", "yes".to_owned()),
        ("website", String::new()),
    ]
}

async fn send(app: &TestApp, form: &[(&str, String)]) -> reqwest::Response {
    let url = app.url(&format!("/forms/{}/enquiries", crate::helpers::GROUP));
    browser().post(url).form(form).send().await.expect("send")
}

on_both_stores! {
    async fn the_websites_form_opens_a_case_for_the_wards_councillors_and_never_echoes_it(app: backend) {
        let assistant = app.token("assistant");
        let second = add_member(&app, "Cllr Zainab Second").await;
        let first = add_member(&app, "Cllr Alan First").await;
        let sent = send(&app, &enquiry("canning town north")).await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        assert_eq!(sent.headers()["location"], "/forms/enquiry-received");
        assert!(sent.text().await.expect("body").is_empty(), "nothing is echoed");
        let cases = json(app.get("/cases", &assistant).await, StatusCode::OK).await;
        let case = &cases["items"][0];
        assert_eq!(case["status"], "received");
        assert_eq!(case["channel"], "web_form");
        assert_eq!(case["category"], "other");
        assert_eq!(case["owner_id"], first.as_str(), "the first of the ward's councillors by name");
        assert_eq!(case["shared_with"], json!([second]));
        assert_eq!(case["summary"], SUMMARY);
        assert_eq!(case["resident"]["email"], "adaeze@example.org");
        assert_eq!(case["resident"]["consent_to_share"], true);
        let thanks = app.client.get(app.url("/forms/enquiry-received")).send().await.expect("thanks");
        assert_eq!(thanks.status(), StatusCode::OK);
        assert!(thanks.text().await.expect("page").contains("<h1>Thank you</h1>"));

        // A robot that fills the hidden field is thanked, and nothing is recorded.
        let mut robot = enquiry("Canning Town North");
        robot[7].1 = "https://spam.example".to_owned();
        assert_eq!(send(&app, &robot).await.status(), StatusCode::SEE_OTHER);
        // Bad input is refused by field, without repeating it.
        let mut bad = enquiry("Canning Town North");
        bad[1].1 = "adaeze-at-example".to_owned();
        let refused = problem(send(&app, &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/email");
        assert!(!refused.to_string().contains("adaeze-at-example") && !refused.to_string().contains("Okonkwo"), "{refused}");
        let refused = problem(send(&app, &enquiry("Nowhere Ward")).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/ward");
        let mut silent = enquiry("Canning Town North");
        for field in [1, 2, 3] {
            silent[field].1 = String::new();
        }
        problem(send(&app, &silent).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        let json_body = browser().post(app.url("/forms/newham-labour/enquiries")).json(&json!({"name": "x"})).send().await.expect("send");
        problem(json_body, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
        let mut huge = enquiry("Canning Town North");
        huge[5].1 = "x".repeat(20_000);
        problem(send(&app, &huge).await, StatusCode::PAYLOAD_TOO_LARGE).await;
        let cases = json(app.get("/cases", &assistant).await, StatusCode::OK).await;
        assert_eq!(cases["items"].as_array().expect("items").len(), 1, "only the one good enquiry is recorded");
    }
}

#[tokio::test]
async fn the_websites_form_takes_a_few_enquiries_an_hour_from_one_address() {
    let (store, _dir) = crate::helpers::fresh_store(crate::helpers::Backend::Sqlite).await;
    let settings = caucus_api::startup::Settings {
        enquiries_per_hour: Some(2),
        enquiry_thanks_url: Some("https://newhamlabour.example/thank-you/".into()),
        ..Default::default()
    };
    let app = crate::helpers::spawn_app_on_with(
        store,
        crate::helpers::auth_config(crate::helpers::SECRET),
        settings,
    )
    .await;
    add_member(&app, "Cllr Only").await;
    for _ in 0..2 {
        let sent = send(&app, &enquiry("Canning Town North")).await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        assert_eq!(sent.headers()["location"], "https://newhamlabour.example/thank-you/");
    }
    let refused = send(&app, &enquiry("Canning Town North")).await;
    let retry_after: u64 =
        refused.headers()["retry-after"].to_str().expect("header").parse().expect("seconds");
    assert!((1..=3600).contains(&retry_after), "{retry_after}");
    problem(refused, StatusCode::TOO_MANY_REQUESTS).await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_resident_has_their_own_allowance_and_nobody_else_can_claim_one() {
    for trusted in [true, false] {
        let (store, _dir) = crate::helpers::fresh_store(crate::helpers::Backend::Sqlite).await;
        let settings = caucus_api::startup::Settings {
            enquiries_per_hour: Some(1),
            trusted_proxies: if trusted { vec!["127.0.0.1".parse().expect("address")] } else { Vec::new() },
            ..Default::default()
        };
        let auth = crate::helpers::auth_config(crate::helpers::SECRET);
        let app = crate::helpers::spawn_app_on_with(store, auth, settings).await;
        add_member(&app, "Cllr Only").await;
        let url = app.url(&format!("/forms/{}/enquiries", crate::helpers::GROUP));
        let from = |address: &str| {
            browser()
                .post(&url)
                .header("X-Forwarded-For", format!("198.51.100.9, {address}"))
                .form(&enquiry("Canning Town North"))
                .send()
        };
        assert_eq!(from("203.0.113.5").await.expect("send").status(), StatusCode::SEE_OTHER);
        assert_eq!(from("203.0.113.5").await.expect("send").status(), StatusCode::TOO_MANY_REQUESTS);
        let another = from("203.0.113.6").await.expect("send").status();
        if trusted {
            assert_eq!(another, StatusCode::SEE_OTHER, "another resident behind the proxy");
        } else {
            assert_eq!(another, StatusCode::TOO_MANY_REQUESTS, "an untrusted X-Forwarded-For is ignored");
        }
    }
}

/// Attaches `content` to case `id` as `token`, named `name`.
async fn attach(app: &TestApp, token: &str, id: &str, name: &str, content: &[u8]) -> reqwest::Response {
    app.client
        .post(app.api(&format!("/cases/{id}/files?name={name}")))
        .bearer_auth(token)
        .header("content-type", "application/pdf")
        .body(content.to_vec())
        .send()
        .await
        .expect("attach")
}

/// Downloads a case's file as `token`.
async fn download(app: &TestApp, token: &str, url: &str) -> reqwest::Response {
    app.client.get(app.url(url)).bearer_auth(token).send().await.expect("download")
}

on_both_stores! {
    async fn a_cases_files_are_sealed_under_its_key_read_by_its_readers_and_erased_with_it(app: backend) {
        const LETTER: &[u8] = b"%PDF-1.4 Letter from Adaeze Okonkwo-Smith: the mould is back";
        let assistant = app.token("assistant");
        let owner = add_member(&app, "Cllr Owner").await;
        let colleague = add_member(&app, "Cllr Colleague").await;
        let other = add_member(&app, "Cllr Other").await;
        let mut body = new_case(&owner, SUMMARY);
        body["shared_with"] = json!([colleague]);
        let case = open(&app, &assistant, &body).await;
        let id = case["id"].as_str().expect("id");
        let owner_token = app.token_as(&owner, "councillor");

        let attached = json(attach(&app, &owner_token, id, "okonkwo-letter.pdf", LETTER).await, StatusCode::OK).await;
        let file = &attached["files"][0];
        assert_eq!(file["name"], "okonkwo-letter.pdf");
        assert_eq!((file["size"].as_u64(), file["media_type"].as_str()), (Some(LETTER.len() as u64), Some("application/pdf")));
        let url = file["url"].as_str().expect("url").to_owned();
        problem(attach(&app, &owner_token, id, "again.pdf", LETTER).await, StatusCode::CONFLICT).await;

        for token in [owner_token.clone(), app.token_as(&colleague, "councillor"), assistant.clone()] {
            let response = download(&app, &token, &url).await;
            assert_eq!(response.status(), StatusCode::OK);
            let disposition = response.headers()["content-disposition"].to_str().expect("header").to_owned();
            assert!(disposition.contains("okonkwo-letter.pdf"), "{disposition}");
            assert_eq!(response.bytes().await.expect("bytes").as_ref(), LETTER);
        }
        // Nobody else learns the file exists; auditors see that there is one, never what it is.
        problem(download(&app, &app.token_as(&other, "councillor"), &url).await, StatusCode::NOT_FOUND).await;
        problem(download(&app, &app.token("leader"), &url).await, StatusCode::NOT_FOUND).await;
        problem(download(&app, &app.token("auditor"), &url).await, StatusCode::FORBIDDEN).await;
        let audited = json(app.get(&format!("/cases/{id}"), &app.token("auditor")).await, StatusCode::OK).await;
        assert_eq!(audited["files"][0]["name"], Value::Null, "{audited}");
        problem(attach(&app, &app.token_as(&other, "councillor"), id, "x.pdf", b"%PDF other").await, StatusCode::NOT_FOUND).await;
        // A file is not reachable as one of the group's shared files.
        let sha = url.rsplit('/').next().expect("sha");
        problem(app.get(&format!("/files/{sha}"), &assistant).await, StatusCode::NOT_FOUND).await;

        let raw = crate::personal_data::raw_tables(&app).await;
        assert!(!raw.contains("okonkwo-letter") && !raw.contains("Okonkwo"), "the name is sealed: {raw}");
        let stored = stored_case_files(&app).await;
        assert_eq!(stored.len(), 1);
        assert!(!stored[0].windows(LETTER.len()).any(|w| w == LETTER), "the bytes are sealed");

        let resident = case["resident_id"].as_str().expect("resident");
        json(app.post(&format!("/residents/{resident}/erasure"), &assistant, &json!({})).await, StatusCode::OK).await;
        problem(download(&app, &assistant, &url).await, StatusCode::NOT_FOUND).await;
        assert!(stored_case_files(&app).await.is_empty(), "an erased case's files are gone");
    }
}

/// Every stored case file's content, as stored.
async fn stored_case_files(app: &TestApp) -> Vec<Vec<u8>> {
    use caucus_api::store::Database;
    let db = Database::connect(&app.store).await.expect("connect");
    let sql = "SELECT content FROM case_files";
    let rows: Vec<Vec<u8>> = match &db {
        Database::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.expect("read"),
        Database::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.expect("read"),
    };
    db.close().await;
    rows
}

on_both_stores! {
    async fn what_the_resident_is_told_is_recorded_sealed_with_how_they_were_told(app: backend) {
        const TOLD: &str = "Rang Adaeze: Clarion will send a surveyor on Tuesday";
        let owner = add_member(&app, "Cllr Owner").await;
        let case = open(&app, &app.token("assistant"), &new_case(&owner, SUMMARY)).await;
        let id = case["id"].as_str().expect("id");
        let owner_token = app.token_as(&owner, "councillor");
        let body = json!({"on": "2026-04-02", "how": "phone", "note": TOLD});
        let told = json(app.post(&format!("/cases/{id}/resident-updates"), &owner_token, &body).await, StatusCode::OK).await;
        assert_eq!(told["resident_updates"], json!([{"on": "2026-04-02", "how": "phone", "note": TOLD}]));
        let audited = json(app.get(&format!("/cases/{id}"), &app.token("auditor")).await, StatusCode::OK).await;
        assert_eq!(audited["resident_updates"][0]["how"], "phone", "auditors see that and how the resident was told");
        assert_eq!(audited["resident_updates"][0]["note"], Value::Null, "never what");
        assert!(!crate::personal_data::raw_tables(&app).await.contains("surveyor"), "the note is sealed");

        let before = json!({"on": "2026-03-01", "how": "phone", "note": TOLD});
        let refused = problem(app.post(&format!("/cases/{id}/resident-updates"), &owner_token, &before).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/on", "{refused}");
        let unknown = json!({"how": "pigeon", "note": TOLD});
        let refused = problem(app.post(&format!("/cases/{id}/resident-updates"), &owner_token, &unknown).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/how", "{refused}");
    }
}
