//! Councillor training over HTTP: the catalogue, completions from an event's
//! register and from certificates, validity in calendar months, and the
//! courses lapsed or lapsing.

use chrono::{Duration, Months, NaiveDate, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{RIVAL_GROUP, TestApp, json, problem};
use crate::on_both_stores;

/// Adds a course as the assistant; its id.
pub async fn add(app: &TestApp, title: &str, valid_for_months: Option<u16>, required_for: &[&str]) -> String {
    let body = json!({"title": title, "valid_for_months": valid_for_months, "required_for": required_for});
    let added = json(app.post("/courses", &app.token("assistant"), &body).await, StatusCode::CREATED).await;
    added["id"].as_str().expect("id").to_owned()
}

async fn member(app: &TestApp, name: &str) -> String {
    let body = json!({"name": name, "ward": "Stratford"});
    let created = json(app.post("/members", &app.token("assistant"), &body).await, StatusCode::CREATED).await;
    created["id"].as_str().expect("id").to_owned()
}

fn today() -> NaiveDate {
    Utc::now().with_timezone(&chrono_tz::Europe::London).date_naive()
}

async fn certificate(
    app: &TestApp,
    member: &str,
    course: &str,
    on: NaiveDate,
    token: &str,
) -> reqwest::Response {
    let file = crate::files::upload(
        app,
        "certificate.pdf",
        format!("%PDF-1.4 {member} {course} {on}").as_bytes(),
        "group",
    )
    .await;
    let body = json!({"course_id": course, "completed_on": on, "certificate_file_id": file["id"]});
    app.post(&format!("/training-records/{member}/completions"), token, &body).await
}

/// Nominates `member` to `body` from a fortnight today; the nomination as answered.
async fn nominate(app: &TestApp, body: &str, member: &str) -> Value {
    let body = json!({"body_id": body, "member_id": member, "term_starts_on": today() + Duration::days(14), "classification": "group"});
    json(app.post("/appointments", &app.token("assistant"), &body).await, StatusCode::CREATED).await
}

on_both_stores! {
    async fn the_catalogue_names_each_courses_validity_and_the_bodies_that_require_it(app: backend) {
        let committee = crate::bodies::establish(&app, "Licensing Committee", 15).await;
        let licensing = add(&app, "Licensing hearings", Some(12), &[&committee]).await;
        add(&app, "Chairing meetings", None, &[]).await;
        let office = app.token("assistant");
        let never = problem(app.post("/courses", &office, &json!({"title": "Never valid", "valid_for_months": 0})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(never["errors"][0]["pointer"], "/valid_for_months");
        let stranger = uuid::Uuid::new_v4();
        let nowhere = problem(app.post("/courses", &office, &json!({"title": "Nowhere", "required_for": [stranger]})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(nowhere["errors"][0]["pointer"], "/required_for/0");

        let required = json(app.get(&format!("/courses?required_for={committee}"), &app.token("councillor")).await, StatusCode::OK).await;
        let titles: Vec<&str> = required["items"].as_array().expect("items").iter().map(|c| c["title"].as_str().expect("title")).collect();
        assert_eq!(titles, ["Licensing hearings"]);
        let retired = json(app.post(&format!("/courses/{licensing}/retirement"), &office, &json!({"reason": "Replaced by the LGA module"})).await, StatusCode::OK).await;
        assert_eq!(retired["status"], "retired");
        problem(app.post(&format!("/courses/{licensing}/retirement"), &office, &json!({"reason": "again"})).await, StatusCode::CONFLICT).await;
        problem(app.post("/courses", &app.token("councillor"), &json!({"title": "Mine"})).await, StatusCode::FORBIDDEN).await;
        problem(app.get(&format!("/courses/{licensing}"), &app.token_for(RIVAL_GROUP, "assistant")).await, StatusCode::NOT_FOUND).await;
    }

    async fn attending_a_training_event_completes_its_courses_for_those_present(app: backend) {
        let planning = add(&app, "Planning: probity", Some(12), &[]).await;
        let [came, absent] = [member(&app, "Cllr Came").await, member(&app, "Cllr Absent").await];
        let mut training = crate::group_events::seminar("Planning training", None);
        training["kind"] = json!("training");
        training["course_ids"] = json!([planning]);
        let started = Utc::now() - Duration::days(2);
        training["starts_at"] = json!(started);
        training["ends_at"] = json!(started + Duration::hours(2));
        let event = crate::group_events::plan(&app, &training).await;
        let office = app.token("assistant");
        let register = json!({"entries": [{"member_id": came, "attendance": "present"}, {"member_id": absent, "attendance": "absent"}]});
        json(app.post(&format!("/group-events/{event}/attendance"), &office, &register).await, StatusCode::OK).await;
        // The register corrected: still one completion.
        json(app.post(&format!("/group-events/{event}/attendance"), &office, &register).await, StatusCode::OK).await;

        let record = json(app.get(&format!("/training-records/{came}"), &app.token("councillor")).await, StatusCode::OK).await;
        let held_on = started.with_timezone(&chrono_tz::Europe::London).date_naive();
        let valid_until = held_on.checked_add_months(Months::new(12)).expect("day");
        assert_eq!(record["completions"].as_array().expect("completions").len(), 1);
        assert_eq!(record["held"][0]["course_id"], planning.as_str());
        assert_eq!(record["held"][0]["completed_on"], held_on.to_string());
        assert_eq!(record["held"][0]["valid_until"], valid_until.to_string());
        assert_eq!(record["held"][0]["valid"], true);
        assert_eq!(record["held"][0]["evidence"], "register");
        assert_eq!(record["held"][0]["event_id"], event.as_str());
        let none = json(app.get(&format!("/training-records/{absent}"), &office).await, StatusCode::OK).await;
        assert_eq!(none["completions"], json!([]));
        assert_eq!(none["version"], 0);

        let mut unknown = crate::group_events::seminar("Unknown course", None);
        unknown["course_ids"] = json!([uuid::Uuid::new_v4()]);
        let refused = problem(app.post("/group-events", &office, &unknown).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/course_ids/0");
    }

    async fn certificates_are_recorded_by_the_member_or_the_office_and_lapses_are_listed(app: backend) {
        let conduct = add(&app, "Code of conduct", Some(12), &[]).await;
        let chairing = add(&app, "Chairing", None, &[]).await;
        let [mine, theirs] = [member(&app, "Cllr Mine").await, member(&app, "Cllr Theirs").await];
        let own = app.token_as(&mine, "councillor");

        let long_ago = today() - Duration::days(400);
        json(certificate(&app, &mine, &conduct, long_ago, &own).await, StatusCode::OK).await;
        let soon = today() - Duration::days(340);
        json(certificate(&app, &theirs, &conduct, soon, &app.token("officer")).await, StatusCode::OK).await;
        let before_chairing = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        json(certificate(&app, &theirs, &chairing, soon, &app.token("officer")).await, StatusCode::OK).await;
        let then = json(app.get(&format!("/training-records/{theirs}?as_of={before_chairing}"), &own).await, StatusCode::OK).await;
        assert_eq!(then["completions"].as_array().expect("completions").len(), 1, "as it stood before chairing: {then}");
        let courses_then = json(app.get("/courses?as_of=2000-01-01T00:00:00Z", &own).await, StatusCode::OK).await;
        assert_eq!(courses_then["items"], json!([]), "no catalogue before it was kept");
        problem(certificate(&app, &theirs, &conduct, today(), &own).await, StatusCode::FORBIDDEN).await;
        let future = problem(certificate(&app, &mine, &conduct, today() + Duration::days(1), &own).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(future["errors"][0]["pointer"], "/completed_on");
        let body = json!({"course_id": conduct, "completed_on": today(), "certificate_file_id": "0".repeat(64)});
        let missing = problem(app.post(&format!("/training-records/{mine}/completions"), &own, &body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(missing["errors"][0]["pointer"], "/certificate_file_id");

        let lapses = json(app.get("/training-expiries", &app.token("assistant")).await, StatusCode::OK).await;
        let listed: Vec<(&str, bool)> = lapses["items"].as_array().expect("items").iter()
            .map(|i| (i["member_id"].as_str().expect("member"), i["expired"].as_bool().expect("expired")))
            .collect();
        assert_eq!(listed, [(mine.as_str(), true), (theirs.as_str(), false)], "lapsed first; chairing never lapses");
        let record = json(app.get(&format!("/training-records/{mine}"), &own).await, StatusCode::OK).await;
        assert_eq!(record["held"][0]["valid"], false);
        assert_eq!(record["held"][0]["evidence"], "certificate");
        let nearer = json(app.get("/training-expiries?within_days=10", &app.token("assistant")).await, StatusCode::OK).await;
        assert_eq!(nearer["items"].as_array().expect("items").len(), 1, "only the lapsed one: {nearer}");
        problem(app.get("/training-expiries?within_days=4000", &app.token("assistant")).await, StatusCode::BAD_REQUEST).await;

        problem(app.get(&format!("/training-records/{}", uuid::Uuid::new_v4()), &own).await, StatusCode::NOT_FOUND).await;
        problem(app.get(&format!("/training-records/{mine}"), &app.token_for(RIVAL_GROUP, "assistant")).await, StatusCode::NOT_FOUND).await;
        let strange: Value = json!({"course_id": uuid::Uuid::new_v4(), "completed_on": today(), "certificate_file_id": "0".repeat(64)});
        problem(app.post(&format!("/training-records/{mine}/completions"), &app.token("publisher"), &strange).await, StatusCode::FORBIDDEN).await;
    }

    async fn a_seat_on_a_body_that_requires_training_shows_what_its_member_lacks(app: backend) {
        let committee = crate::bodies::establish(&app, "Strategic Development Committee", 9).await;
        let planning = add(&app, "Planning: probity", Some(12), &[&committee]).await;
        add(&app, "Chairing", None, &[]).await;
        let [trained, untrained, lapsed] =
            [member(&app, "Cllr Trained").await, member(&app, "Cllr Untrained").await, member(&app, "Cllr Lapsed").await];
        let office = app.token("assistant");
        json(certificate(&app, &trained, &planning, today() - Duration::days(30), &office).await, StatusCode::OK).await;
        let long_ago = today() - Duration::days(500);
        json(certificate(&app, &lapsed, &planning, long_ago, &office).await, StatusCode::OK).await;

        assert_eq!(nominate(&app, &committee, &trained).await["training_gaps"], json!([]));
        let gap = nominate(&app, &committee, &untrained).await;
        assert_eq!(gap["training_gaps"], json!([{"course_id": planning, "course_title": "Planning: probity", "lapsed_on": null}]));
        let lapsed_on = long_ago.checked_add_months(Months::new(12)).expect("day");
        let stale = nominate(&app, &committee, &lapsed).await;
        assert_eq!(stale["training_gaps"][0]["lapsed_on"], lapsed_on.to_string());
        let read = json(app.get(&format!("/appointments/{}", gap["id"].as_str().expect("id")), &app.token("councillor")).await, StatusCode::OK).await;
        assert_eq!(read["training_gaps"], gap["training_gaps"]);

        let training = |work: Value| -> Vec<String> {
            work["items"].as_array().expect("items").iter().filter(|i| i["kind"] == "training")
                .map(|i| i["title"].as_str().expect("title").to_owned()).collect()
        };
        let theirs = json(app.get("/my-work", &app.token_as(&untrained, "councillor")).await, StatusCode::OK).await;
        assert_eq!(training(theirs), ["You must complete Planning: probity to sit on Strategic Development Committee"]);
        let all = json(app.get("/my-work", &office).await, StatusCode::OK).await;
        assert_eq!(training(all), [
            "Cllr Lapsed must complete Planning: probity to sit on Strategic Development Committee",
            "Cllr Untrained must complete Planning: probity to sit on Strategic Development Committee",
        ], "lapsed first (overdue), then by the term's start");

        // Completing the course closes the gap.
        json(certificate(&app, &untrained, &planning, today(), &office).await, StatusCode::OK).await;
        let read = json(app.get(&format!("/appointments/{}", gap["id"].as_str().expect("id")), &office).await, StatusCode::OK).await;
        assert_eq!(read["training_gaps"], json!([]));
    }

    async fn a_body_set_to_refuse_takes_no_seat_for_a_member_without_its_training(app: backend) {
        let office = app.token("assistant");
        let body = json!({"name": "Licensing Committee", "kind": "council_committee", "seats": 5,
            "classification": "public", "training_gate": "refuse"});
        let committee = json(app.post("/bodies", &office, &body).await, StatusCode::CREATED).await;
        assert_eq!(committee["training_gate"], "refuse");
        let committee = committee["id"].as_str().expect("id").to_owned();
        let licensing = add(&app, "Licensing hearings", Some(12), &[&committee]).await;
        let [untrained, lapsed, trained] =
            [member(&app, "Cllr Untrained").await, member(&app, "Cllr Lapsed").await, member(&app, "Cllr Trained").await];
        let long_ago = today() - Duration::days(500);
        json(certificate(&app, &lapsed, &licensing, long_ago, &office).await, StatusCode::OK).await;
        json(certificate(&app, &trained, &licensing, today(), &office).await, StatusCode::OK).await;
        let nomination = |member: &str| json!({"body_id": committee, "member_id": member,
            "term_starts_on": today() + Duration::days(14), "classification": "group"});

        let never = problem(app.post("/appointments", &office, &nomination(&untrained)).await, StatusCode::CONFLICT).await;
        assert!(never["detail"].as_str().expect("detail").contains("Licensing hearings (never completed)"), "{never}");
        let lapsed_on = long_ago.checked_add_months(Months::new(12)).expect("day");
        let stale = problem(app.post("/appointments", &office, &nomination(&lapsed)).await, StatusCode::CONFLICT).await;
        let said = format!("Licensing hearings (lapsed on {})", lapsed_on.format("%-d %B %Y"));
        assert!(stale["detail"].as_str().expect("detail").contains(&said), "{stale}");
        let seated = json(app.post("/appointments", &office, &nomination(&trained)).await, StatusCode::CREATED).await;
        assert_eq!(seated["training_gaps"], json!([]));
        let seats = json(app.get(&format!("/bodies/{committee}/holders"), &office).await, StatusCode::OK).await;
        assert_eq!(seats["vacant"], 4, "the refused nominations took no seat");

        // A body switched to refusing after a nomination refuses its confirmation.
        let warned = crate::bodies::establish(&app, "Strategic Development Committee", 5).await;
        let planning = add(&app, "Planning: probity", Some(12), &[&warned]).await;
        json(certificate(&app, &trained, &planning, today(), &office).await, StatusCode::OK).await;
        let gap = nominate(&app, &warned, &untrained).await;
        assert_eq!(gap["training_gaps"][0]["course_title"], "Planning: probity");
        let switch = app.client.patch(app.api(&format!("/bodies/{warned}"))).bearer_auth(&office)
            .json(&json!({"training_gate": "refuse"})).send().await.expect("patch");
        assert_eq!(json(switch, StatusCode::OK).await["training_gate"], "refuse");
        let confirm = format!("/appointments/{}/confirmation", gap["id"].as_str().expect("id"));
        let refused = problem(app.post(&confirm, &office, &json!({"on": today()})).await, StatusCode::CONFLICT).await;
        assert!(refused["detail"].as_str().expect("detail").contains("Planning: probity (never completed)"), "{refused}");
        json(certificate(&app, &untrained, &planning, today(), &office).await, StatusCode::OK).await;
        let confirmed = json(app.post(&confirm, &office, &json!({"on": today()})).await, StatusCode::OK).await;
        assert_eq!(confirmed["status"], "current");
        let trained_seat = nominate(&app, &warned, &trained).await;
        assert_eq!(trained_seat["training_gaps"], json!([]));
    }

    async fn members_record_their_own_needs_the_office_anyones_and_a_completion_meets_them(app: backend) {
        let planning = add(&app, "Planning: probity", Some(12), &[]).await;
        let committee = crate::bodies::establish(&app, "Strategic Development Committee", 9).await;
        let [own, other] = [member(&app, "Cllr Own").await, member(&app, "Cllr Other").await];
        let theirs = app.token_as(&own, "councillor");
        let needs = |member: &str| format!("/training-records/{member}/needs");
        let asked = json!({"course_id": planning, "priority": "medium", "reason": "own_request"});
        let record = json(app.post(&needs(&own), &theirs, &asked).await, StatusCode::OK).await;
        assert_eq!(record["needs"][0]["status"], "open");
        assert_eq!(record["needs"][0]["reason"], "own_request");
        problem(app.post(&needs(&other), &theirs, &asked).await, StatusCode::FORBIDDEN).await;

        let office = app.token("assistant");
        let nothing = json!({"priority": "low", "reason": "annual_review"});
        let refused = problem(app.post(&needs(&other), &office, &nothing).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/description");
        let seatless = json!({"course_id": planning, "priority": "high", "reason": "new_seat"});
        let refused = problem(app.post(&needs(&other), &office, &seatless).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/body_id");
        let unknown = json!({"course_id": uuid::Uuid::now_v7(), "priority": "high", "reason": "new_seat", "body_id": committee});
        let refused = problem(app.post(&needs(&other), &office, &unknown).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/course_id");
        let seat = json!({"course_id": planning, "priority": "high", "reason": "new_seat", "body_id": committee});
        json(app.post(&needs(&other), &office, &seat).await, StatusCode::OK).await;
        let media = json!({"description": "Media interviews", "priority": "low", "reason": "annual_review"});
        let record = json(app.post(&needs(&other), &office, &media).await, StatusCode::OK).await;
        let media_need = record["needs"][1]["id"].as_str().expect("id").to_owned();

        // Completing the course meets the need that names it, and only that one.
        let record = json(certificate(&app, &other, &planning, today(), &office).await, StatusCode::OK).await;
        let statuses: Vec<&str> = record["needs"].as_array().expect("needs").iter().map(|n| n["status"].as_str().expect("status")).collect();
        assert_eq!(statuses, ["met", "open"]);
        assert_eq!(record["needs"][0]["closed_on"], today().to_string());

        let withdraw = format!("/training-records/{other}/needs/{media_need}/withdrawal");
        problem(app.post(&withdraw, &theirs, &json!({"reason": "Not mine"})).await, StatusCode::FORBIDDEN).await;
        let record = json(app.post(&withdraw, &office, &json!({"reason": "Covered by the LGA's media day"})).await, StatusCode::OK).await;
        assert_eq!(record["needs"][1]["status"], "withdrawn");
        assert_eq!(record["needs"][1]["withdrawal_reason"], "Covered by the LGA's media day");
        problem(app.post(&withdraw, &office, &json!({"reason": "Again"})).await, StatusCode::CONFLICT).await;
        let missing = format!("/training-records/{other}/needs/{}/withdrawal", uuid::Uuid::now_v7());
        problem(app.post(&missing, &office, &json!({"reason": "No such"})).await, StatusCode::NOT_FOUND).await;
    }

    async fn the_draft_plan_names_each_course_who_needs_it_why_and_the_sessions_that_teach_it(app: backend) {
        let office = app.token("assistant");
        let committee = crate::bodies::establish(&app, "Strategic Development Committee", 9).await;
        let planning = add(&app, "Planning: probity", Some(12), &[&committee]).await;
        let data = add(&app, "Data protection", Some(24), &[]).await;
        let [seated, lapsing, asking] =
            [member(&app, "Cllr Seated").await, member(&app, "Cllr Lapsing").await, member(&app, "Cllr Asking").await];
        nominate(&app, &committee, &seated).await;
        let lapses_on = today() - Duration::days(300);
        json(certificate(&app, &lapsing, &data, lapses_on - Months::new(24), &office).await, StatusCode::OK).await;
        let lapses_on = (lapses_on - Months::new(24)).checked_add_months(Months::new(24)).expect("day");
        let asked = json!({"course_id": data, "priority": "low", "reason": "own_request"});
        json(app.post(&format!("/training-records/{asking}/needs"), &office, &asked).await, StatusCode::OK).await;
        let other = json!({"description": "Chairing a public meeting", "priority": "medium", "reason": "annual_review"});
        json(app.post(&format!("/training-records/{asking}/needs"), &office, &other).await, StatusCode::OK).await;
        let mut session = crate::group_events::seminar("Planning training", Some(12));
        session["kind"] = json!("training");
        session["course_ids"] = json!([planning]);
        session["starts_at"] = json!(format!("{}T17:30:00Z", today() + Duration::days(30)));
        session["ends_at"] = json!(format!("{}T19:00:00Z", today() + Duration::days(30)));
        let event = crate::group_events::plan(&app, &session).await;

        let plan = json(app.get("/training-plan", &app.token("councillor")).await, StatusCode::OK).await;
        assert_eq!(plan["from"], today().to_string());
        assert_eq!(plan["places"], 3, "{plan}");
        let planning_entry = &plan["courses"][0];
        assert_eq!(planning_entry["title"], "Planning: probity", "the course with high-priority places first");
        assert_eq!(planning_entry["trainees"][0]["name"], "Cllr Seated");
        assert_eq!(planning_entry["trainees"][0]["priority"], "high");
        assert_eq!(planning_entry["trainees"][0]["reasons"][0]["kind"], "seat");
        assert_eq!(planning_entry["trainees"][0]["reasons"][0]["body_name"], "Strategic Development Committee");
        assert_eq!(planning_entry["sessions"][0]["event_id"], event);
        assert_eq!(planning_entry["sessions"][0]["places_left"], 12);
        let data_entry = &plan["courses"][1];
        let names: Vec<&str> = data_entry["trainees"].as_array().expect("trainees").iter().map(|t| t["name"].as_str().expect("name")).collect();
        assert_eq!(names, ["Cllr Lapsing", "Cllr Asking"], "a lapsed renewal (medium) before a low request");
        assert_eq!(data_entry["trainees"][0]["reasons"][0]["kind"], "renewal");
        assert_eq!(data_entry["trainees"][0]["reasons"][0]["lapses_on"], lapses_on.to_string());
        assert_eq!(data_entry["sessions"], json!([]));
        assert_eq!(plan["other_needs"][0]["description"], "Chairing a public meeting");

        let markdown = app.get("/training-plan?format=markdown", &office).await;
        assert_eq!(markdown.status(), StatusCode::OK);
        assert!(markdown.headers()["content-type"].to_str().expect("type").starts_with("text/markdown"));
        let markdown = markdown.text().await.expect("text");
        assert!(markdown.contains("## Planning: probity (1 places)"), "{markdown}");
        assert!(markdown.contains("| Cllr Seated | high | Strategic Development Committee requires it; never completed |"), "{markdown}");
        assert!(markdown.contains("No session in the diary: arrange one for 2 places."), "{markdown}");
        assert!(markdown.contains("- Cllr Asking (medium): Chairing a public meeting"), "{markdown}");

        // A period ending before the lapse leaves the renewal out; a backwards period is a 400.
        let before = today() - Duration::days(1);
        let from = today() - Duration::days(400);
        let early = json(app.get(&format!("/training-plan?from={from}&to={before}"), &office).await, StatusCode::OK).await;
        assert_eq!(early["places"], 3, "lapsed before the period's end: still a renewal; {early}");
        let backwards = problem(app.get(&format!("/training-plan?from={}&to={before}", today()), &office).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(backwards["errors"][0]["pointer"], "/to");
        // A period given only its end is the year up to it.
        let to_only = json(app.get(&format!("/training-plan?to={before}"), &office).await, StatusCode::OK).await;
        let year_before = before.checked_sub_months(Months::new(12)).expect("day") + Duration::days(1);
        assert_eq!((to_only["from"].as_str(), to_only["to"].as_str()), (Some(year_before.to_string().as_str()), Some(before.to_string().as_str())));
    }

    async fn my_work_finds_a_training_gap_behind_more_than_a_page_of_other_seats(app: backend) {
        let outside = crate::bodies::establish(&app, "Lee Valley Regional Park Authority", 60).await;
        let busy = member(&app, "Cllr Busy").await;
        for _ in 0..51 {
            nominate(&app, &outside, &busy).await;
        }
        let committee = crate::bodies::establish(&app, "Licensing Committee", 9).await;
        add(&app, "Licensing hearings", Some(12), &[&committee]).await;
        let untrained = member(&app, "Cllr Untrained").await;
        nominate(&app, &committee, &untrained).await;
        let work = json(app.get("/my-work", &app.token("assistant")).await, StatusCode::OK).await;
        let training: Vec<&str> = work["items"].as_array().expect("items").iter()
            .filter(|i| i["kind"] == "training").map(|i| i["title"].as_str().expect("title")).collect();
        assert_eq!(training, ["Cllr Untrained must complete Licensing hearings to sit on Licensing Committee"]);
        assert!(!work["more"].as_array().expect("more").contains(&json!("training")), "{}", work["more"]);
    }
}
