//! Donations to the group's funds over HTTP (issue 18): the permissibility
//! check due 30 days after a donation over £500 and on My work until its
//! outcome is recorded; a returned donation leaving its donor's totals;
//! donors' calendar-year totals nearing and reaching the reporting
//! threshold; the register as JSON and CSV; councillors refused.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, json, problem};
use crate::on_both_stores;

fn today() -> NaiveDate {
    Utc::now().with_timezone(&chrono_tz::Europe::London).date_naive()
}

fn day(value: &Value) -> NaiveDate {
    value.as_str().expect("a day").parse().expect("day")
}

/// A cash donation from an individual.
pub fn donation(name: &str, pence: u64, received_on: NaiveDate) -> Value {
    json!({
        "received_on": received_on,
        "donor": {"kind": "individual", "name": name, "address": "1 High Street, London E15 1AA"},
        "amount_pence": pence,
        "kind": "cash"
    })
}

pub async fn record(app: &TestApp, body: &Value) -> Value {
    json(app.post("/donations", &app.token("officer"), body).await, StatusCode::CREATED).await
}

fn id(record: &Value) -> String {
    record["id"].as_str().expect("id").to_owned()
}

async fn checks_on_my_work(app: &TestApp, role: &str) -> Vec<Value> {
    let work = json(app.get("/my-work", &app.token(role)).await, StatusCode::OK).await;
    let items = work["items"].as_array().expect("items").clone();
    items.into_iter().filter(|i| i["kind"] == "permissibility_check").collect()
}

async fn check(app: &TestApp, donation: &str, body: &Value) -> reqwest::Response {
    app.post(&format!("/donations/{donation}/permissibility"), &app.token("assistant"), body).await
}

async fn register(app: &TestApp, year: i32) -> Value {
    json(app.get(&format!("/donations-register?year={year}"), &app.token("auditor")).await, StatusCode::OK)
        .await
}

on_both_stores! {
    async fn donation_over_500_pounds_needs_its_check_within_30_days_on_my_work_until_recorded(app: backend) {
        let received = today() - Duration::days(5);
        let large = record(&app, &donation("Jane Smith", 75_000, received)).await;
        assert_eq!(large["status"], "awaiting_check");
        assert_eq!(day(&large["check_due_on"]), received + Duration::days(30));
        assert_eq!(large["check_overdue"], false);
        assert_eq!(large["donor"]["key"], "donor:jane-smith");
        let small = record(&app, &donation("Bob Jones", 50_000, received)).await;
        assert_eq!((small["status"].as_str(), small["check_due_on"].as_str()), (Some("received"), None), "£500 exactly needs no check");

        for role in ["assistant", "officer", "leader"] {
            let items = checks_on_my_work(&app, role).await;
            assert_eq!(items.len(), 1, "{role}: {items:?}");
            assert_eq!(items[0]["url"], format!("/api/v1/donations/{}", id(&large)));
            assert_eq!(items[0]["title"], "Check the permissibility of Jane Smith's donation of £750.00");
            assert_eq!(day(&items[0]["due_on"]), received + Duration::days(30));
        }
        let waiting = json(app.get("/donations?needs_check=true", &app.token("officer")).await, StatusCode::OK).await;
        assert_eq!(waiting["items"].as_array().expect("items").len(), 1);

        let before = Utc::now();
        let outcome = json!({"outcome": "permissible", "checked_on": today(), "note": "On the electoral register"});
        let checked = json(check(&app, &id(&large), &outcome).await, StatusCode::OK).await;
        assert_eq!(checked["status"], "permissible");
        assert_eq!(checked["check"]["by"], crate::helpers::subject("assistant"));
        assert!(checks_on_my_work(&app, "assistant").await.is_empty(), "the check is made");
        let again = problem(check(&app, &id(&large), &outcome).await, StatusCode::CONFLICT).await;
        assert!(again["detail"].as_str().expect("detail").contains("recorded already"), "{again}");
        let waiting = json(app.get("/donations?needs_check=true", &app.token("officer")).await, StatusCode::OK).await;
        assert!(waiting["items"].as_array().expect("items").is_empty());

        let path = format!("/donations/{}", id(&large));
        let response = app.get(&path, &app.token("auditor")).await;
        assert_eq!(response.headers().get("etag").and_then(|v| v.to_str().ok()), Some("\"2\""));
        let then = json(app.get(&format!("{path}?as_of={}", before.to_rfc3339_opts(chrono::SecondsFormat::Micros, true).replace('+', "%2B")), &app.token("auditor")).await, StatusCode::OK).await;
        assert_eq!(then["status"], "awaiting_check", "as it stood before the check");
        let history = json(app.get(&format!("/history/donation/{}", id(&large)), &app.token("auditor")).await, StatusCode::OK).await;
        assert!(history.to_string().contains("PermissibilityChecked"), "{history}");
    }

    async fn donation_returned_after_its_check_leaves_its_donor_s_totals(app: backend) {
        let received = today() - Duration::days(3);
        let returned = record(&app, &donation("Acme Holdings", 200_000, received)).await;
        record(&app, &donation("Acme Holdings", 10_000, received)).await;
        let early = json!({"outcome": "returned", "checked_on": received - Duration::days(1), "returned_on": received});
        let refused = problem(check(&app, &id(&returned), &early).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/checked_on", "{refused}");
        let missing = json!({"outcome": "returned", "checked_on": received});
        let refused = problem(check(&app, &id(&returned), &missing).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/returned_on", "{refused}");
        let outcome = json!({"outcome": "returned", "checked_on": received, "returned_on": today(), "note": "Not a UK company"});
        let checked = json(check(&app, &id(&returned), &outcome).await, StatusCode::OK).await;
        assert_eq!((checked["status"].as_str(), checked["counts_in_totals"].as_bool()), (Some("returned"), Some(false)));
        assert_eq!(day(&checked["check"]["returned_on"]), today());

        let register = register(&app, received.year()).await;
        assert_eq!(register["donations"].as_array().expect("donations").len(), 2, "the returned one is listed");
        let donors = register["donors"].as_array().expect("donors");
        assert_eq!(donors.len(), 1);
        assert_eq!((donors[0]["total_pence"].as_u64(), donors[0]["donations"].as_u64()), (Some(10_000), Some(1)));
    }

    async fn donor_year_totals_split_at_new_year_warn_near_the_threshold_and_are_reportable_at_it(app: backend) {
        let year = today().year() - 1;
        let on = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d).expect("day");
        record(&app, &donation("Jane Smith", 600_000, on(1, 1))).await;
        record(&app, &donation("jane  SMITH.", 294_400, on(12, 31))).await;
        record(&app, &donation("Jane Smith", 500_000, NaiveDate::from_ymd_opt(year + 1, 1, 1).expect("day"))).await;
        let union = json!({
            "received_on": on(6, 1),
            "donor": {"kind": "trade_union", "name": "Unite the Union"},
            "amount_pence": 1_118_000,
            "kind": "cash"
        });
        record(&app, &union).await;
        let in_kind = json!({
            "received_on": on(3, 1),
            "donor": {"kind": "company", "name": "Stratford Print Works Ltd"},
            "amount_pence": 25_000,
            "kind": "in_kind",
            "description": "Printing 2,000 leaflets"
        });
        record(&app, &in_kind).await;

        let register = register(&app, year).await;
        assert_eq!((register["reporting_threshold_pence"].as_u64(), register["warning_from_pence"].as_u64()), (Some(1_118_000), Some(894_400)));
        let donors: Vec<(String, u64, String)> = register["donors"].as_array().expect("donors").iter().map(|d| {
            (d["donor_key"].as_str().expect("key").to_owned(), d["total_pence"].as_u64().expect("total"), d["standing"].as_str().expect("standing").to_owned())
        }).collect();
        assert_eq!(donors, [
            ("donor:unite-the-union".to_owned(), 1_118_000, "reportable".to_owned()),
            ("donor:jane-smith".to_owned(), 894_400, "nearing".to_owned()),
            ("donor:stratford-print-works-ltd".to_owned(), 25_000, "below".to_owned()),
        ]);
        assert_eq!(register["total_pence"], 2_037_400);
        let next = self::register(&app, year + 1).await;
        assert_eq!(next["donors"][0]["total_pence"], 500_000, "the new year starts again");
        assert_eq!(next["donors"][0]["standing"], "below");

        let listed = json(app.get(&format!("/donations?year={year}&donor=Jane%20Smith"), &app.token("leader")).await, StatusCode::OK).await;
        let long = "x".repeat(201);
        problem(app.get(&format!("/donations?donor={long}"), &app.token("leader")).await, StatusCode::BAD_REQUEST).await;
        assert_eq!(listed["items"].as_array().expect("items").len(), 2);

        let csv = app.get(&format!("/donations-register?year={year}&format=csv"), &app.token("assistant")).await;
        assert_eq!(csv.status(), StatusCode::OK);
        let content_type = csv.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        assert!(content_type.starts_with("text/csv"), "{content_type}");
        let text = csv.text().await.expect("csv");
        let mut rows = csv::Reader::from_reader(text.as_bytes());
        let headers = rows.headers().expect("headers").clone();
        assert_eq!(&headers[0], "id");
        let rows: Vec<csv::StringRecord> = rows.records().map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), 4, "{text}");
        let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
        let jane = rows.iter().find(|r| &r[column("donor_name")] == "jane  SMITH.").expect("jane's row");
        assert_eq!(&jane[column("amount")], "£2,944.00");
        assert_eq!(&jane[column("donor_year_total")], "£8,944.00");
        assert_eq!(&jane[column("donor_standing")], "nearing");
        let leaflets = rows.iter().find(|r| &r[column("kind")] == "in_kind").expect("in kind");
        assert_eq!(&leaflets[column("description")], "Printing 2,000 leaflets");
    }

    async fn donation_is_checked_field_by_field_and_corrected_with_its_reason(app: backend) {
        let office = app.token("officer");
        let mut in_kind = donation("Jane Smith", 20_000, today());
        in_kind["kind"] = json!("in_kind");
        let refused = problem(app.post("/donations", &office, &in_kind).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/description", "{refused}");
        let future = donation("Jane Smith", 20_000, today() + Duration::days(1));
        let refused = problem(app.post("/donations", &office, &future).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/received_on", "{refused}");
        let mut nothing = donation("", 0, today());
        nothing["donor"]["organisation_id"] = json!(uuid::Uuid::new_v4());
        let refused = problem(app.post("/donations", &office, &nothing).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        let pointers: Vec<&str> = refused["errors"].as_array().expect("errors").iter().map(|e| e["pointer"].as_str().expect("pointer")).collect();
        assert_eq!(pointers, ["/donor/name", "/amount_pence"], "{refused}");

        let small = record(&app, &donation("Jane Smith", 40_000, today() - Duration::days(2))).await;
        let mut corrected = donation("Jane Smith", 60_000, today() - Duration::days(2));
        corrected["reason"] = json!("The cheque was for £600");
        let path = app.api(&format!("/donations/{}", id(&small)));
        let stale = app.client.put(&path).bearer_auth(&office).header("If-Match", "\"7\"").json(&corrected).send().await.expect("put");
        problem(stale, StatusCode::CONFLICT).await;
        let put = app.client.put(&path).bearer_auth(&office).header("If-Match", "\"1\"").json(&corrected).send().await.expect("put");
        let now = json(put, StatusCode::OK).await;
        assert_eq!((now["status"].as_str(), now["amount_pence"].as_u64()), (Some("awaiting_check"), Some(60_000)));
        assert_eq!(now["corrections"][0]["reason"], "The cheque was for £600");
        assert_eq!(checks_on_my_work(&app, "assistant").await.len(), 1, "now over the threshold");
    }

    async fn register_as_of_an_instant_is_the_register_as_it_stood_replayed_from_the_events(app: backend) {
        let received = today() - Duration::days(4);
        let large = record(&app, &donation("Jane Smith", 75_000, received)).await;
        let after_first = Utc::now();
        let small = record(&app, &donation("Bob Jones", 40_000, received)).await;
        let outcome = json!({"outcome": "permissible", "checked_on": today()});
        json(check(&app, &id(&large), &outcome).await, StatusCode::OK).await;
        let mut corrected = donation("Bob Jones", 45_000, received);
        corrected["reason"] = json!("The cheque was for £450");
        let path = app.api(&format!("/donations/{}", id(&small)));
        let put = app.client.put(&path).bearer_auth(app.token("officer")).header("If-Match", "\"1\"").json(&corrected).send().await.expect("put");
        json(put, StatusCode::OK).await;

        let at = |instant: chrono::DateTime<Utc>| instant.to_rfc3339_opts(chrono::SecondsFormat::Micros, true).replace('+', "%2B");
        let year = received.year();
        let then = json(app.get(&format!("/donations-register?year={year}&as_of={}", at(after_first)), &app.token("auditor")).await, StatusCode::OK).await;
        let lines = then["donations"].as_array().expect("donations");
        assert_eq!(lines.len(), 1, "only the first was recorded by then: {then}");
        assert_eq!((lines[0]["id"].as_str(), lines[0]["status"].as_str()), (Some(id(&large).as_str()), Some("awaiting_check")));
        assert!(then["as_of"].is_string(), "says the instant: {then}");
        let now = register(&app, year).await;
        assert_eq!(now["as_of"], Value::Null, "as it stands");
        let statuses: Vec<&str> = now["donations"].as_array().expect("donations").iter().map(|d| d["status"].as_str().expect("status")).collect();
        assert_eq!(statuses.len(), 2);
        assert!(statuses.contains(&"permissible"), "{now}");
        let bob = now["donors"].as_array().expect("donors").iter().find(|d| d["donor_name"] == "Bob Jones").expect("bob");
        assert_eq!(bob["total_pence"], 45_000, "corrected");

        // With no year, the instant's; before anything was recorded, nothing; as CSV too.
        let before = after_first - Duration::days(400);
        let empty = json(app.get(&format!("/donations-register?as_of={}", at(before)), &app.token("assistant")).await, StatusCode::OK).await;
        assert_eq!((empty["year"].as_i64(), empty["donations"].as_array().map(Vec::len)), (Some(i64::from(before.year())), Some(0)));
        let csv = app.get(&format!("/donations-register?year={year}&format=csv&as_of={}", at(after_first)), &app.token("assistant")).await;
        assert_eq!(csv.status(), StatusCode::OK);
        let text = csv.text().await.expect("csv");
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(text.contains("Jane Smith") && !text.contains("Bob Jones"), "{text}");
        problem(app.get("/donations-register?as_of=yesterday", &app.token("assistant")).await, StatusCode::BAD_REQUEST).await;
        problem(app.get(&format!("/donations-register?as_of={}", at(after_first)), &app.token("councillor")).await, StatusCode::FORBIDDEN).await;
    }

    async fn donations_of_500_pounds_or_less_stay_in_the_register_and_count_towards_no_reportable_total(app: backend) {
        let year = today().year() - 1;
        let on = |m: u32| NaiveDate::from_ymd_opt(year, m, 1).expect("day");
        record(&app, &donation("Jane Smith", 1_000_000, on(1))).await;
        for month in [2, 3, 4] {
            record(&app, &donation("Jane Smith", 50_000, on(month))).await;
        }
        let register = register(&app, year).await;
        let lines = register["donations"].as_array().expect("donations");
        let counting: Vec<bool> = lines.iter().map(|d| d["counts_towards_reporting"].as_bool().expect("flag")).collect();
        assert_eq!(counting, [true, false, false, false], "each £500 donation is listed, not counted: {register}");
        assert!(lines.iter().all(|d| d["counts_in_totals"] == true));
        let jane = &register["donors"][0];
        assert_eq!((jane["total_pence"].as_u64(), jane["reportable_pence"].as_u64()), (Some(1_150_000), Some(1_000_000)));
        assert_eq!(jane["standing"], "nearing", "£11,500 given, but only £10,000 of relevant donations: {jane}");
        assert_eq!(register["check_threshold_pence"], 50_000);

        let csv = app.get(&format!("/donations-register?year={year}&format=csv"), &app.token("assistant")).await;
        let text = csv.text().await.expect("csv");
        let mut rows = csv::Reader::from_reader(text.as_bytes());
        let headers = rows.headers().expect("headers").clone();
        let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
        let rows: Vec<csv::StringRecord> = rows.records().map(|r| r.expect("row")).collect();
        let flags: Vec<&str> = rows.iter().map(|r| &r[column("counts_towards_reporting")]).collect();
        assert_eq!(flags, ["true", "false", "false", "false"], "{text}");
        assert_eq!(&rows[1][column("donor_reportable")], "£10,000.00");
        assert_eq!(&rows[1][column("donor_year_total")], "£11,500.00");
    }

    async fn donations_are_refused_to_councillors_and_the_publisher(app: backend) {
        let given = record(&app, &donation("Jane Smith", 75_000, today())).await;
        for role in ["councillor", "publisher"] {
            let token = app.token(role);
            problem(app.get("/donations", &token).await, StatusCode::FORBIDDEN).await;
            problem(app.get(&format!("/donations/{}", id(&given)), &token).await, StatusCode::FORBIDDEN).await;
            problem(app.get("/donations-register", &token).await, StatusCode::FORBIDDEN).await;
            problem(app.post("/donations", &token, &donation("Jane Smith", 1, today())).await, StatusCode::FORBIDDEN).await;
        }
        assert!(checks_on_my_work(&app, "councillor").await.is_empty());
        let auditor = app.token("auditor");
        problem(app.post("/donations", &auditor, &donation("Jane Smith", 1, today())).await, StatusCode::FORBIDDEN).await;
        assert!(checks_on_my_work(&app, "auditor").await.is_empty(), "auditors read, never check");
        json(app.get(&format!("/donations/{}", id(&given)), &auditor).await, StatusCode::OK).await;
    }
}

#[tokio::test]
async fn donations_of_the_sample_group_are_two_this_year_one_awaiting_its_check() {
    let app = crate::helpers::spawn_sample_app().await;
    let listed = json(app.get("/donations", &app.token("assistant")).await, StatusCode::OK).await;
    let items = listed["items"].as_array().expect("items");
    assert_eq!(items.len(), 2, "{listed}");
    assert!(items.iter().all(|d| d["year"] == today().year()), "{listed}");
    let waiting: Vec<&Value> = items.iter().filter(|d| d["status"] == "awaiting_check").collect();
    assert_eq!(waiting.len(), 1);
    assert!(day(&waiting[0]["check_due_on"]) > today(), "due in some days");
    let work = checks_on_my_work(&app, "assistant").await;
    assert_eq!((work.len(), work[0]["overdue"].as_bool()), (1, Some(false)), "{work:?}");
}
