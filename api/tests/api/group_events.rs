//! The group's events over HTTP: places up to capacity, the waiting list and
//! its offers, councillors acting for themselves, invitations by body, the
//! register and the hospitality it leaves members to register.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{RIVAL_GROUP, TestApp, json, problem};
use crate::on_both_stores;

/// A seminar open to all members in the autumn, at `capacity`.
pub fn seminar(title: &str, capacity: Option<u32>) -> Value {
    json!({
        "kind": "seminar",
        "title": title,
        "description": "Council housing: the group's priorities for the budget",
        "starts_at": "2030-10-14T18:00:00Z",
        "ends_at": "2030-10-14T20:00:00Z",
        "place": "Committee Room 1, Newham Town Hall",
        "capacity": capacity,
        "invited": "all_members",
        "classification": "group"
    })
}

/// Plans an event as the assistant; its id.
pub async fn plan(app: &TestApp, body: &Value) -> String {
    let planned =
        json(app.post("/group-events", &app.token("assistant"), body).await, StatusCode::CREATED).await;
    planned["id"].as_str().expect("id").to_owned()
}

async fn member(app: &TestApp, name: &str) -> String {
    let body = json!({"name": name, "ward": "Plaistow North"});
    let created = json(app.post("/members", &app.token("assistant"), &body).await, StatusCode::CREATED).await;
    created["id"].as_str().expect("id").to_owned()
}

async fn step(app: &TestApp, event: &str, step: &str, token: &str, member: &str) -> reqwest::Response {
    app.post(&format!("/group-events/{event}/{step}"), token, &json!({"member_id": member})).await
}

fn members_of(list: &Value) -> Vec<&str> {
    list.as_array().expect("list").iter().map(|p| p["member_id"].as_str().expect("member")).collect()
}

on_both_stores! {
    async fn past_capacity_members_wait_and_a_freed_place_is_offered_to_the_first_in_line(app: backend) {
        let event = plan(&app, &seminar("Housing seminar", Some(2))).await;
        let office = app.token("assistant");
        let [a, b, c, d] = [member(&app, "Cllr A").await, member(&app, "Cllr B").await, member(&app, "Cllr C").await, member(&app, "Cllr D").await];
        for who in [&a, &b, &c, &d] {
            json(step(&app, &event, "registrations", &office, who).await, StatusCode::OK).await;
        }
        let full = json(app.get(&format!("/group-events/{event}"), &office).await, StatusCode::OK).await;
        assert_eq!(members_of(&full["registered"]), [a.as_str(), b.as_str()]);
        assert_eq!(members_of(&full["waiting"]), [c.as_str(), d.as_str()]);
        assert_eq!(full["places_left"], 0);
        let again = problem(step(&app, &event, "registrations", &office, &c).await, StatusCode::CONFLICT).await;
        assert!(again["detail"].as_str().expect("detail").contains("already registered"), "{again}");

        // B gives up their place: C, first in line, is offered it for 48 hours.
        let freed = json(step(&app, &event, "withdrawals", &office, &b).await, StatusCode::OK).await;
        assert_eq!(members_of(&freed["offers"]), [c.as_str()]);
        let offered_at: chrono::DateTime<chrono::Utc> = freed["offers"][0]["offered_at"].as_str().expect("at").parse().expect("time");
        let until: chrono::DateTime<chrono::Utc> = freed["offers"][0]["until"].as_str().expect("until").parse().expect("time");
        assert_eq!(until - offered_at, chrono::Duration::hours(48));
        assert_eq!(members_of(&freed["waiting"]), [d.as_str()]);
        problem(step(&app, &event, "acceptances", &office, &d).await, StatusCode::CONFLICT).await;

        let work = json(app.get("/my-work", &app.token_as(&c, "councillor")).await, StatusCode::OK).await;
        let offered = &work["items"][0];
        assert_eq!(offered["kind"], "place_offered");
        assert_eq!(offered["title"], "Take up your place at Housing seminar");
        assert_eq!(offered["due_on"], until.with_timezone(&chrono_tz::Europe::London).date_naive().to_string());
        assert_eq!(offered["url"], format!("/api/v1/group-events/{event}"));

        // C takes it up as themselves; D declines their place on the list.
        let taken = json(step(&app, &event, "acceptances", &app.token_as(&c, "councillor"), &c).await, StatusCode::OK).await;
        assert_eq!(members_of(&taken["registered"]), [a.as_str(), c.as_str()]);
        let left = json(step(&app, &event, "withdrawals", &office, &d).await, StatusCode::OK).await;
        assert!(members_of(&left["waiting"]).is_empty());

        let history = json(app.get(&format!("/history/groupevent/{event}"), &office).await, StatusCode::OK).await;
        let kinds: Vec<&str> = history["events"].as_array().expect("events").iter().map(|e| e["event_type"].as_str().expect("type")).collect();
        assert_eq!(kinds, ["EventPlanned", "MemberRegistered", "MemberRegistered", "JoinedWaitingList", "JoinedWaitingList",
            "RegistrationWithdrawn", "PlaceOffered", "OfferAccepted", "LeftWaitingList"]);
    }

    async fn fewer_places_send_the_last_registered_to_the_head_of_the_list_and_more_offer_places_back(app: backend) {
        let event = plan(&app, &seminar("Away day", Some(3))).await;
        let office = app.token("officer");
        let [a, b, c] = [member(&app, "Cllr A").await, member(&app, "Cllr B").await, member(&app, "Cllr C").await];
        for who in [&a, &b, &c] {
            json(step(&app, &event, "registrations", &office, who).await, StatusCode::OK).await;
        }
        let path = format!("/group-events/{event}/capacity");
        let fewer = json(app.post(&path, &office, &json!({"capacity": 2})).await, StatusCode::OK).await;
        assert_eq!(members_of(&fewer["registered"]), [a.as_str(), b.as_str()]);
        assert_eq!(members_of(&fewer["waiting"]), [c.as_str()]);

        let none = problem(app.post(&path, &office, &json!({"capacity": 0})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(none["errors"][0]["pointer"], "/capacity");
        let unlimited = json(app.post(&path, &office, &json!({"capacity": null})).await, StatusCode::OK).await;
        assert_eq!(members_of(&unlimited["offers"]), [c.as_str()]);
        assert_eq!(unlimited["places_left"], Value::Null);
    }

    async fn councillors_register_themselves_only_and_only_where_invited(app: backend) {
        let committee = crate::bodies::establish(&app, "Planning Committee", 9).await;
        let seated = member(&app, "Cllr Seated").await;
        let nomination = json!({"body_id": committee, "member_id": seated, "term_starts_on": "2026-05-20", "classification": "group"});
        json(app.post("/appointments", &app.token("assistant"), &nomination).await, StatusCode::CREATED).await;
        let other = member(&app, "Cllr Other").await;

        let mut training = seminar("Planning training", None);
        training["kind"] = json!("training");
        training["invited"] = json!("bodies");
        training["invited_ids"] = json!([committee]);
        let event = plan(&app, &training).await;

        let refused = step(&app, &event, "registrations", &app.token_as(&other, "councillor"), &seated).await;
        problem(refused, StatusCode::FORBIDDEN).await;
        let uninvited = step(&app, &event, "registrations", &app.token_as(&other, "councillor"), &other).await;
        let uninvited = problem(uninvited, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(uninvited["errors"][0]["pointer"], "/member_id");
        assert!(uninvited["detail"].as_str().expect("detail").contains("not invited"), "{uninvited}");
        let mine = json(step(&app, &event, "registrations", &app.token_as(&seated, "councillor"), &seated).await, StatusCode::OK).await;
        assert_eq!(members_of(&mine["registered"]), [seated.as_str()]);

        let listed = json(app.get(&format!("/group-events?member_id={seated}&kind=training"), &app.token_as(&seated, "councillor")).await, StatusCode::OK).await;
        assert_eq!(listed["items"].as_array().expect("items").len(), 1);
        let none = json(app.get(&format!("/group-events?member_id={other}"), &app.token("assistant")).await, StatusCode::OK).await;
        assert_eq!(none["items"], json!([]));

        problem(app.post("/group-events", &app.token_as(&seated, "councillor"), &seminar("Mine", None)).await, StatusCode::FORBIDDEN).await;
        problem(app.get(&format!("/group-events/{event}"), &app.token_for(RIVAL_GROUP, "assistant")).await, StatusCode::NOT_FOUND).await;
        let mut bad = seminar("Nowhere", Some(5));
        bad["invited"] = json!("members");
        bad["place"] = Value::Null;
        let bad = problem(app.post("/group-events", &app.token("assistant"), &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        let pointers: Vec<&str> = bad["errors"].as_array().expect("errors").iter().map(|e| e["pointer"].as_str().expect("p")).collect();
        assert_eq!(pointers, ["/place", "/invited_ids"]);
    }

    async fn the_register_is_kept_once_it_starts_and_sponsored_hospitality_is_to_be_registered(app: backend) {
        let [came, absent] = [member(&app, "Cllr Came").await, member(&app, "Cllr Absent").await];
        let office = app.token("assistant");
        let upcoming = plan(&app, &seminar("Upcoming", None)).await;
        let entries = json!({"entries": [{"member_id": came, "attendance": "present"}]});
        let early = problem(app.post(&format!("/group-events/{upcoming}/attendance"), &office, &entries).await, StatusCode::CONFLICT).await;
        assert!(early["detail"].as_str().expect("detail").contains("once the event has started"), "{early}");

        let mut conference = seminar("Housing conference", None);
        conference["kind"] = json!("conference");
        // Held last week: its hospitality is to be registered within 28 days of its last day.
        let started = chrono::Utc::now() - chrono::Duration::days(8);
        let ended = started + chrono::Duration::days(1);
        let register_by = (ended.with_timezone(&chrono_tz::Europe::London).date_naive() + chrono::Duration::days(28)).to_string();
        conference["starts_at"] = json!(started);
        conference["ends_at"] = json!(ended);
        conference["host"] = json!({"name": "Housing Association Forum", "value_per_head_pence": 12_000});
        let held = plan(&app, &conference).await;
        let entries = json!({"entries": [{"member_id": came, "attendance": "present"}, {"member_id": absent, "attendance": "apologies"}]});
        let recorded = json(app.post(&format!("/group-events/{held}/attendance"), &office, &entries).await, StatusCode::OK).await;
        assert_eq!(recorded["status"], "held");
        assert_eq!(recorded["hospitality"], json!({"member_ids": [came], "register_by": register_by}));
        problem(step(&app, &held, "registrations", &office, &absent).await, StatusCode::CONFLICT).await;
        let hospitality = |work: Value| -> Vec<String> {
            work["items"].as_array().expect("items").iter()
                .filter(|i| i["kind"] == "hospitality")
                .map(|i| format!("{} by {}", i["title"].as_str().expect("title"), i["due_on"].as_str().expect("due")))
                .collect()
        };
        let theirs = json(app.get("/my-work", &app.token_as(&came, "councillor")).await, StatusCode::OK).await;
        assert_eq!(hospitality(theirs), [format!("You must register the hospitality from Housing Association Forum at Housing conference by {register_by}")]);
        let not_theirs = json(app.get("/my-work", &app.token_as(&absent, "councillor")).await, StatusCode::OK).await;
        assert!(hospitality(not_theirs).is_empty());
        let the_office = json(app.get("/my-work", &office).await, StatusCode::OK).await;
        assert_eq!(hospitality(the_office), [format!("1 who came must register the hospitality from Housing Association Forum at Housing conference by {register_by}")]);

        let cancelled = json(app.post(&format!("/group-events/{upcoming}/cancellation"), &office, &json!({"reason": "Clashes with Full Council"})).await, StatusCode::OK).await;
        assert_eq!(cancelled["status"], "cancelled");
        assert_eq!(cancelled["cancellation_reason"], "Clashes with Full Council");
    }
}

#[tokio::test]
async fn the_sample_group_has_a_full_seminar_with_a_place_offered_training_and_a_sponsored_conference() {
    let app = crate::helpers::spawn_sample_app().await;
    let events = json(app.get("/group-events", &app.token("assistant")).await, StatusCode::OK).await;
    let events = events["items"].as_array().expect("items");
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().expect("kind")).collect();
    assert_eq!(kinds, ["training", "training", "seminar", "training", "social", "conference"]);
    assert_eq!(events[4]["classification"], "public", "the open evening is for the website");
    let seminar = &events[2];
    assert_eq!(seminar["registered"].as_array().expect("registered").len(), 9);
    assert_eq!(seminar["places_left"], 0, "the freed place is offered, not free");
    assert_eq!(seminar["waiting"].as_array().expect("waiting").len(), 1);

    // The demo councillor (the third member) is offered the freed place, and
    // has the conference's hospitality to register.
    let councillor = caucus_api::sample::sample_member_id(3).to_string();
    let work =
        json(app.get("/my-work", &app.token_as(&councillor, "councillor")).await, StatusCode::OK).await;
    let kinds: Vec<&str> =
        work["items"].as_array().expect("items").iter().map(|i| i["kind"].as_str().expect("kind")).collect();
    assert!(kinds.contains(&"place_offered") && kinds.contains(&"hospitality"), "{work}");
    let conference = &events[5];
    assert_eq!(conference["status"], "held");
    assert_eq!(conference["hospitality"]["member_ids"].as_array().expect("members").len(), 2);

    // Last year's planning training completed its course for those who came:
    // it lapses this month. The year before's has lapsed.
    let lapses =
        json(app.get("/training-expiries?within_days=31", &app.token("assistant")).await, StatusCode::OK)
            .await;
    let expired: Vec<bool> = lapses["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["expired"].as_bool().expect("expired"))
        .collect();
    assert_eq!(
        expired,
        [true, false, false, false],
        "one lapsed last month, three lapse this month: {lapses}"
    );
    let courses = json(app.get("/courses", &app.token("councillor")).await, StatusCode::OK).await;
    assert_eq!(courses["items"].as_array().expect("items").len(), 5);

    // A member whose planning training lapsed a month ago is nominated to the committee.
    let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, b"newham-labour/appointment/planning");
    let nominated =
        json(app.get(&format!("/appointments/{id}"), &app.token("assistant")).await, StatusCode::OK).await;
    assert_eq!(nominated["member_id"], caucus_api::sample::sample_member_id(19).to_string());
    let gaps = &nominated["training_gaps"];
    assert_eq!(gaps[0]["course_title"], "Planning: probity and the planning code", "{nominated}");
    let lapsed_on: chrono::NaiveDate = gaps[0]["lapsed_on"].as_str().expect("lapsed").parse().expect("day");
    assert!(lapsed_on < chrono::Utc::now().date_naive(), "lapsed already: {lapsed_on}");

    // The draft training plan puts her first for planning, for her seat and her recorded need.
    let plan = json(app.get("/training-plan", &app.token("assistant")).await, StatusCode::OK).await;
    let planning = plan["courses"]
        .as_array()
        .expect("courses")
        .iter()
        .find(|c| c["title"] == "Planning: probity and the planning code")
        .expect("planning in the plan");
    assert_eq!(
        planning["sessions"][0]["title"], "Planning training: probity and the planning code",
        "{plan}"
    );
    let lucy = planning["trainees"]
        .as_array()
        .expect("trainees")
        .iter()
        .find(|t| t["name"] == "Lucy Adebayo")
        .expect("in the plan");
    let reasons: Vec<&str> = lucy["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|r| r["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!((lucy["priority"].as_str(), reasons), (Some("high"), vec!["seat", "new_seat"]));
    assert_eq!(plan["other_needs"][0]["description"], "Handling broadcast interviews and the local press");
}
