//! The register of interests over HTTP: entries kept by the member and the
//! office, another's register refused to a councillor, sensitive entries,
//! the 28-day clocks on My work, the review's omissions with their evidence
//! (gone once the entry is made or the item dismissed), the year-on-year
//! diff, and the sample's two omissions.

use chrono::{Duration, NaiveDate, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, json, problem};
use crate::on_both_stores;

fn today() -> NaiveDate {
    Utc::now().with_timezone(&chrono_tz::Europe::London).date_naive()
}

async fn join(app: &TestApp, name: &str) -> String {
    let body = json!({"name": name, "ward": "Stratford"});
    let created = json(app.post("/members", &app.token("assistant"), &body).await, StatusCode::CREATED).await;
    created["id"].as_str().expect("id").to_owned()
}

async fn body_of_kind(app: &TestApp, name: &str, kind: &str) -> String {
    let body =
        json!({"name": name, "kind": kind, "seats": 2, "description": "A body.", "classification": "group"});
    let created = json(app.post("/bodies", &app.token("assistant"), &body).await, StatusCode::CREATED).await;
    created["id"].as_str().expect("id").to_owned()
}

/// Appoints `member` to `body` from `starts_on`, confirmed that day; returns the appointment's id.
async fn appoint(app: &TestApp, body: &str, member: &str, starts_on: NaiveDate) -> String {
    let office = app.token("assistant");
    let request =
        json!({"body_id": body, "member_id": member, "term_starts_on": starts_on, "classification": "group"});
    let created = json(app.post("/appointments", &office, &request).await, StatusCode::CREATED).await;
    let id = created["id"].as_str().expect("id").to_owned();
    let confirmed =
        app.post(&format!("/appointments/{id}/confirmation"), &office, &json!({"on": starts_on})).await;
    json(confirmed, StatusCode::OK).await;
    id
}

async fn enter(app: &TestApp, member: &str, token: &str, entry: &Value) -> reqwest::Response {
    app.post(&format!("/registers/{member}/entries"), token, entry).await
}

async fn review(app: &TestApp) -> Value {
    json(app.get("/interests-review", &app.token("assistant")).await, StatusCode::OK).await
}

fn items_of<'a>(review: &'a Value, member: &str) -> Vec<&'a Value> {
    review["items"].as_array().expect("items").iter().filter(|i| i["member_id"] == member).collect()
}

fn register_work(work: &Value) -> Vec<&Value> {
    work["items"].as_array().expect("items").iter().filter(|i| i["kind"] == "register_of_interests").collect()
}

on_both_stores! {
    async fn a_member_and_the_office_keep_a_register_and_another_councillor_is_refused_it(app: backend) {
        let member = join(&app, "Cllr Kept").await;
        let other = join(&app, "Cllr Other").await;
        let own = app.token_as(&member, "councillor");
        let charity = json!({"category": "charity", "declaration": "interest", "description": "Trustee, Newham Foodbank"});
        let register = json(enter(&app, &member, &own, &charity).await, StatusCode::OK).await;
        assert_eq!(register["entries"][0]["category"], "charity");
        assert_eq!(register["entries"][0]["registered_on"], json!(today()));
        let nothing = json!({"category": "land", "declaration": "nothing_to_declare"});
        let register = json(enter(&app, &member, &app.token("assistant"), &nothing).await, StatusCode::OK).await;
        assert_eq!(register["entries"].as_array().expect("entries").len(), 2);
        let again = problem(enter(&app, &member, &own, &nothing).await, StatusCode::CONFLICT).await;
        assert!(again["detail"].as_str().expect("detail").contains("nothing to declare"), "{again}");

        // A land interest supersedes the land "nothing to declare".
        let land = json!({"category": "land", "declaration": "interest", "description": "A flat in Stratford",
            "monitoring_officer_agreement": "Agreed by the Monitoring Officer: a risk of intimidation"});
        let register = json(enter(&app, &member, &own, &land).await, StatusCode::OK).await;
        let sensitive = register["entries"].as_array().expect("entries").iter().find(|e| e["category"] == "land").expect("land");
        assert_eq!((sensitive["sensitive"].clone(), sensitive["declaration"].clone()), (json!(true), json!("interest")));
        assert_eq!(register["removed"][0]["declaration"], "nothing_to_declare");
        assert_eq!(register["removed"][0]["superseded_by"], sensitive["id"]);

        let refused = problem(enter(&app, &member, &own, &json!({"category": "charity", "whose": "partner", "declaration": "interest", "description": "x"})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/whose", "{refused}");
        let refused = problem(enter(&app, &member, &own, &json!({"category": "charity", "declaration": "interest"})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/description", "{refused}");
        let stranger = uuid::Uuid::new_v4();
        let refused = problem(enter(&app, &member, &own, &json!({"category": "appointed_body", "declaration": "interest", "description": "x", "body_id": stranger})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/body_id", "{refused}");

        let theirs = app.token_as(&other, "councillor");
        problem(app.get(&format!("/registers/{member}"), &theirs).await, StatusCode::FORBIDDEN).await;
        problem(enter(&app, &member, &theirs, &charity).await, StatusCode::FORBIDDEN).await;
        problem(app.get(&format!("/registers/{member}"), &app.token("publisher")).await, StatusCode::FORBIDDEN).await;
        problem(app.get("/registers", &own).await, StatusCode::FORBIDDEN).await;
        let read = json(app.get(&format!("/registers/{member}"), &app.token("auditor")).await, StatusCode::OK).await;
        assert_eq!(read["entries"].as_array().expect("entries").len(), 2);
        let mine = app.get(&format!("/registers/{member}"), &own).await;
        let etag = mine.headers()["etag"].to_str().expect("etag").to_owned();
        let mine = json(mine, StatusCode::OK).await;

        // An update with a stale ETag is refused; with the current one it stands.
        let entry = mine["entries"][0]["id"].as_str().expect("id").to_owned();
        let changed = json!({"category": "charity", "declaration": "interest", "description": "Chair of trustees, Newham Foodbank"});
        let path = app.api(&format!("/registers/{member}/entries/{entry}"));
        let stale = app.client.put(&path).bearer_auth(&own).header("If-Match", "\"1\"").json(&changed).send().await.expect("put");
        problem(stale, StatusCode::CONFLICT).await;
        let fresh = app.client.put(&path).bearer_auth(&own).header("If-Match", etag).json(&changed).send().await.expect("put");
        let updated = json(fresh, StatusCode::OK).await;
        assert_eq!(updated["entries"][0]["description"], "Chair of trustees, Newham Foodbank");

        let removal = app.post(&format!("/registers/{member}/entries/{entry}/removal"), &own, &json!({"reason": "Stood down as a trustee"})).await;
        let removed = json(removal, StatusCode::OK).await;
        assert!(removed["removed"].as_array().expect("removed").iter().any(|e| e["id"] == entry.as_str() && e["removal_reason"] == "Stood down as a trustee"));
        let confirmed = json(app.post(&format!("/registers/{member}/confirmation"), &own, &json!({})).await, StatusCode::OK).await;
        assert_eq!(confirmed["confirmed_on"], json!(today()));
        let history = json(app.get(&format!("/history/register/{}", uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, format!("caucus/register-of-interests/{member}").as_bytes())), &app.token("auditor")).await, StatusCode::OK).await;
        assert!(history.to_string().contains("RegisterConfirmed"), "{history}");

        let partner = json!({"category": "employment_office_trade_profession", "whose": "partner", "declaration": "interest", "description": "Teacher"});
        let register = json(enter(&app, &member, &own, &partner).await, StatusCode::OK).await;
        assert!(register["entries"].as_array().expect("entries").iter().any(|e| e["whose"] == "partner"));
        let list = json(app.get("/registers", &app.token("officer")).await, StatusCode::OK).await;
        let row = list["items"].as_array().expect("items").iter().find(|r| r["member_id"] == member.as_str()).expect("listed");
        assert_eq!((row["entries"].clone(), row["sensitive"].clone()), (json!(2), json!(1)));
    }

    async fn the_28_day_clocks_from_joining_and_from_an_appointment_reach_my_work(app: backend) {
        let member = join(&app, "Cllr Clock").await;
        let own = app.token_as(&member, "councillor");
        let work = json(app.get("/my-work", &own).await, StatusCode::OK).await;
        let clocks = register_work(&work);
        assert_eq!(clocks.len(), 1, "{work}");
        assert_eq!(clocks[0]["due_on"], json!(today() + Duration::days(28)));
        assert_eq!(clocks[0]["overdue"], false);

        let trust = body_of_kind(&app, "Newham Leisure Trust", "outside_body").await;
        appoint(&app, &trust, &member, today() - Duration::days(40)).await;
        let work = json(app.get("/my-work", &own).await, StatusCode::OK).await;
        let seat = register_work(&work).into_iter().find(|i| i["title"].as_str().expect("title").contains("Newham Leisure Trust")).cloned().expect("the seat's clock");
        assert_eq!((seat["due_on"].clone(), seat["overdue"].clone()), (json!(today() - Duration::days(12)), json!(true)));
        let office = json(app.get("/my-work", &app.token("assistant")).await, StatusCode::OK).await;
        assert!(register_work(&office).iter().any(|i| i["title"].as_str().expect("title").contains("Cllr Clock")), "{office}");

        let entry = json!({"category": "appointed_body", "declaration": "interest", "description": "Board member", "body_id": trust});
        json(enter(&app, &member, &own, &entry).await, StatusCode::OK).await;
        let work = json(app.get("/my-work", &own).await, StatusCode::OK).await;
        assert!(register_work(&work).is_empty(), "the entry stops both clocks: {work}");
    }

    async fn the_review_finds_omissions_with_their_evidence_until_the_entry_is_made_or_the_item_dismissed(app: backend) {
        let sitting = join(&app, "Cllr Sitting").await;
        let whip = join(&app, "Cllr Whip").await;
        for member in [&sitting, &whip] {
            let nothing = json!({"category": "securities", "declaration": "nothing_to_declare"});
            json(enter(&app, member, &app.token("assistant"), &nothing).await, StatusCode::OK).await;
        }
        let trust = body_of_kind(&app, "Newham Leisure Trust", "outside_body").await;
        let starts_on = today() - Duration::days(10);
        let appointment = appoint(&app, &trust, &sitting, starts_on).await;
        let post = body_of_kind(&app, "Chief Whip", "group_post").await;
        appoint(&app, &post, &whip, starts_on).await;

        let found = review(&app).await;
        let items = items_of(&found, &sitting);
        assert_eq!(items.len(), 1, "{found}");
        assert_eq!(items[0]["kind"], "outside_body_not_registered");
        assert_eq!(items[0]["expected"], "appointed_body");
        assert_eq!(items[0]["evidence"]["record_id"], appointment.as_str());
        assert_eq!(items[0]["evidence"]["on"], json!(starts_on));
        assert_eq!((items[0]["due_on"].clone(), items[0]["overdue"].clone()), (json!(starts_on + Duration::days(28)), json!(false)));
        let whips = items_of(&found, &whip);
        assert_eq!(whips.iter().map(|i| i["kind"].as_str().expect("kind")).collect::<Vec<_>>(), ["group_post_not_registered"]);
        let markdown = app.get("/interests-review?format=markdown", &app.token("officer")).await.text().await.expect("text");
        assert!(markdown.contains("| Cllr Sitting | Outside body not on the register | Appointed to Newham Leisure Trust"), "{markdown}");
        problem(app.get("/interests-review", &app.token_as(&sitting, "councillor")).await, StatusCode::FORBIDDEN).await;

        // The entry made: the item goes by itself.
        let entry = json!({"category": "appointed_body", "declaration": "interest", "description": "Board member", "body_id": trust});
        json(enter(&app, &sitting, &app.token("assistant"), &entry).await, StatusCode::OK).await;
        assert!(items_of(&review(&app).await, &sitting).is_empty());

        // Dismissed with a reason: recorded on the register, and gone.
        let item = whips[0]["id"].as_str().expect("id").to_owned();
        let missing = problem(app.post("/interests-review/00000000-0000-0000-0000-000000000000/dismissal", &app.token("assistant"), &json!({"reason": "x"})).await, StatusCode::NOT_FOUND).await;
        assert!(missing["detail"].as_str().is_some());
        let no_reason = app.post(&format!("/interests-review/{item}/dismissal"), &app.token("assistant"), &json!({"reason": ""})).await;
        problem(no_reason, StatusCode::UNPROCESSABLE_ENTITY).await;
        let reason = "Party membership is on the council's register under another heading";
        let dismissed = app.post(&format!("/interests-review/{item}/dismissal"), &app.token("leader"), &json!({"reason": reason})).await;
        let register = json(dismissed, StatusCode::OK).await;
        assert_eq!(register["dismissals"][0]["reason"], reason);
        let after = review(&app).await;
        assert!(items_of(&after, &whip).is_empty(), "{after}");
        assert_eq!(after["dismissed"], 1);
    }

    async fn the_changes_between_two_days_are_read_from_the_registers_history(app: backend) {
        let member = join(&app, "Cllr Diff").await;
        let office = app.token("assistant");
        let first = json!({"category": "charity", "declaration": "interest", "description": "Trustee"});
        let register = json(enter(&app, &member, &office, &first).await, StatusCode::OK).await;
        let yesterday = today() - Duration::days(1);
        let changes = json(app.get(&format!("/registers/{member}/changes?from={yesterday}"), &office).await, StatusCode::OK).await;
        assert_eq!(changes["added"][0]["id"], register["entries"][0]["id"]);
        assert_eq!((changes["from"].clone(), changes["to"].clone()), (json!(yesterday), json!(today())));
        let nothing = json(app.get(&format!("/registers/{member}/changes?from={}&to={}", today(), today()), &office).await, StatusCode::OK).await;
        assert!(nothing["added"].as_array().expect("added").is_empty() && nothing["removed"].as_array().expect("removed").is_empty());
        let backwards = problem(app.get(&format!("/registers/{member}/changes?from={}&to={yesterday}", today()), &office).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(backwards["errors"][0]["pointer"], "/to");
        let other = join(&app, "Cllr Nosy").await;
        problem(app.get(&format!("/registers/{member}/changes"), &app.token_as(&other, "councillor")).await, StatusCode::FORBIDDEN).await;
        let nobody = uuid::Uuid::now_v7();
        problem(app.get(&format!("/registers/{nobody}/changes"), &office).await, StatusCode::NOT_FOUND).await;
    }
}

/// The sample's registers hold real-looking entries and two omissions the
/// review finds from the sample's own records: a seat on an outside body
/// with no entry, and the sponsored conference's hospitality unregistered.
#[tokio::test]
async fn the_review_finds_the_samples_two_omissions_with_their_evidence() {
    let app = crate::helpers::spawn_sample_app().await;
    let found = review(&app).await;
    let items = found["items"].as_array().expect("items");
    let found_words: Vec<(&str, &str)> = items
        .iter()
        .map(|i| (i["member_name"].as_str().expect("name"), i["kind"].as_str().expect("kind")))
        .collect();
    assert_eq!(
        found_words,
        [("Daniel Kowalski", "outside_body_not_registered"), ("Priya Sharma", "hospitality_not_registered")],
        "{found}"
    );
    assert!(
        items[0]["evidence"]["summary"]
            .as_str()
            .expect("summary")
            .contains("Lee Valley Regional Park Authority")
    );
    assert!(items[1]["evidence"]["summary"].as_str().expect("summary").contains("London Housing Conference"));
    let list = json(app.get("/registers", &app.token("assistant")).await, StatusCode::OK).await;
    let kept =
        list["items"].as_array().expect("items").iter().filter(|r| r["entries"].as_u64() > Some(0)).count();
    assert!(kept >= 10, "{list}");
}
