//! The group's members over HTTP.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ISSUER, RIVAL_GROUP, TestApp, json, problem};
use crate::on_both_stores;

pub fn member(name: &str, ward: &str) -> Value {
    json!({
        "name": name,
        "ward": ward,
        "email": "cllr.member@example.org",
        "phone": "020 7946 0123",
        "photo_url": "https://example.org/members/photo.jpg",
        "biography": "First elected in 2022."
    })
}

/// Adds a member as the assistant and returns their body.
pub async fn add(app: &TestApp, name: &str, ward: &str) -> Value {
    let response = app.post("/members", &app.token("assistant"), &member(name, ward)).await;
    json(response, StatusCode::CREATED).await
}

on_both_stores! {
    async fn a_member_linked_to_a_sign_in_identity_is_who_its_tokens_act_as(app: backend) {
        let amina = add(&app, "Amina Begum", "Canning Town North").await;
        let amina_id = amina["id"].as_str().expect("id").to_owned();
        let james_id = add(&app, "James Okafor", "Stratford").await["id"].as_str().expect("id").to_owned();
        let owned = crate::actions::action("Write to the housing director", &amina_id, 5);
        let action = json(app.post("/actions", &app.token("assistant"), &owned).await, StatusCode::CREATED).await;
        let action = action["id"].as_str().expect("id").to_owned();
        // A provider's subject is not a member id: unlinked, the token is nobody's.
        let provider_subject = "AAAAAAAAAAAAAAAAAAAAAJk9d4-entra-oid";
        let token = app.token_as(provider_subject, "councillor");
        let me = json(app.get("/me", &token).await, StatusCode::OK).await;
        assert_eq!((me["subject"].as_str(), &me["member_id"], &me["roles"]), (Some(provider_subject), &Value::Null, &json!(["councillor"])));
        let progress = json!({"on": crate::actions::days_from_today(0), "note": "Chased by phone"});
        problem(app.post(&format!("/actions/{action}/progress"), &token, &progress).await, StatusCode::FORBIDDEN).await;

        let link = json!({"issuer": ISSUER, "subject": provider_subject});
        let put = |id: &str, token: String| {
            app.client.put(app.api(&format!("/members/{id}/sign-in"))).bearer_auth(token).json(&link).send()
        };
        problem(put(&amina_id, app.token("councillor")).await.expect("put"), StatusCode::FORBIDDEN).await;
        let linked = json(put(&amina_id, app.token("assistant")).await.expect("put"), StatusCode::OK).await;
        assert_eq!(linked["sign_in_issuer"], ISSUER);
        assert!(!linked.to_string().contains(provider_subject), "the subject is personal data, never shown: {linked}");
        let me = json(app.get("/me", &token).await, StatusCode::OK).await;
        assert_eq!((me["subject"].as_str(), me["member_id"].as_str(), me["name"].as_str()), (Some(amina_id.as_str()), Some(amina_id.as_str()), Some("Amina Begum")));
        let reported = json(app.post(&format!("/actions/{action}/progress"), &token, &progress).await, StatusCode::OK).await;
        assert_eq!(reported["progress"][0]["note"], "Chased by phone", "their own action: {reported}");

        // One identity, one member: linking it to another is refused.
        let taken = problem(put(&james_id, app.token("assistant")).await.expect("put"), StatusCode::CONFLICT).await;
        assert!(taken["detail"].as_str().expect("detail").contains(&amina_id), "{taken}");
        let unlink = |id: &str| app.client.delete(app.api(&format!("/members/{id}/sign-in"))).bearer_auth(app.token("assistant")).send();
        let unlinked = json(unlink(&amina_id).await.expect("delete"), StatusCode::OK).await;
        assert_eq!(unlinked["sign_in_issuer"], Value::Null);
        problem(unlink(&amina_id).await.expect("delete"), StatusCode::CONFLICT).await;
        assert_eq!(json(app.get("/me", &token).await, StatusCode::OK).await["member_id"], Value::Null);

        // Erasing the member's personal data ends the link with the rest.
        json(put(&james_id, app.token("assistant")).await.expect("put"), StatusCode::OK).await;
        assert_eq!(json(app.get("/me", &token).await, StatusCode::OK).await["member_id"].as_str(), Some(james_id.as_str()));
        let erase = app.post(&format!("/members/{james_id}/erasure"), &app.token("assistant"), &json!({})).await;
        assert_eq!(erase.status(), StatusCode::OK);
        assert_eq!(json(app.get("/me", &token).await, StatusCode::OK).await["member_id"], Value::Null);
    }

    async fn an_added_member_can_be_read_back_with_their_version(app: backend) {
        let token = app.token("assistant");
        let response = app.post("/members", &token, &member("Amina Begum", "Canning Town North")).await;
        let location = response.headers()["location"].to_str().expect("location").to_owned();
        assert_eq!(response.headers()["etag"], "\"1\"");
        let created = json(response, StatusCode::CREATED).await;
        assert_eq!(created["status"], "member");
        assert_eq!(created["ward"], "Canning Town North");
        assert_eq!(created["email"], "cllr.member@example.org");
        assert_eq!(location, format!("/api/v1/members/{}", created["id"].as_str().expect("id")));

        let response = app.client.get(app.url(&location)).bearer_auth(&token).send().await.expect("get");
        assert_eq!(response.headers()["etag"], "\"1\"");
        assert_eq!(json(response, StatusCode::OK).await, created);

        let list = json(app.get("/members", &app.token("auditor")).await, StatusCode::OK).await;
        assert_eq!(list["items"].as_array().expect("items").len(), 1);
        assert_eq!(list["items"][0], created);
    }

    async fn updating_a_profile_changes_only_the_fields_given(app: backend) {
        let token = app.token("officer");
        let id = add(&app, "James Okafor", "Stratford").await["id"].as_str().expect("id").to_owned();
        let response = app.post(&format!("/members/{id}/profile"), &token, &json!({"ward": "Stratford Olympic Park", "phone": "020 7946 0999"})).await;
        assert_eq!(response.headers()["etag"], "\"2\"");
        let updated = json(response, StatusCode::OK).await;
        assert_eq!(updated["ward"], "Stratford Olympic Park");
        assert_eq!(updated["phone"], "020 7946 0999");
        assert_eq!(updated["name"], "James Okafor");
        assert_eq!(updated["email"], "cllr.member@example.org");

        let same = app.post(&format!("/members/{id}/profile"), &token, &json!({"ward": "Stratford Olympic Park"})).await;
        let body = problem(same, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(body["detail"].as_str().expect("detail").contains("changes nothing"), "{body}");
    }

    async fn a_member_who_has_left_is_listed_as_left_and_cannot_leave_again(app: backend) {
        let token = app.token("leader");
        let stays = add(&app, "Priya Sharma", "Forest Gate North").await;
        let id = add(&app, "Kamal Uddin", "Canning Town South").await["id"].as_str().expect("id").to_owned();
        let departure = json!({"on": "2026-05-01", "reason": "Resigned the whip"});
        let left = json(app.post(&format!("/members/{id}/departure"), &token, &departure).await, StatusCode::OK).await;
        assert_eq!(left["status"], "left");
        assert_eq!(left["left_on"], "2026-05-01");
        assert_eq!(left["left_reason"], "Resigned the whip");

        let again = app.post(&format!("/members/{id}/departure"), &token, &departure).await;
        let body = problem(again, StatusCode::CONFLICT).await;
        assert!(body["detail"].as_str().expect("detail").contains("already left"), "{body}");

        let current = json(app.get("/members?status=member", &token).await, StatusCode::OK).await;
        let names: Vec<&str> = current["items"].as_array().expect("items").iter().map(|m| m["name"].as_str().expect("name")).collect();
        assert_eq!(names, vec![stays["name"].as_str().expect("name")]);
        let former = json(app.get("/members?status=left", &token).await, StatusCode::OK).await;
        assert_eq!(former["items"].as_array().expect("items").len(), 1);
        assert_eq!(former["items"][0]["id"], id.as_str());
    }

    async fn members_named_by_id_are_listed_alone_and_only_from_the_callers_group(app: backend) {
        let token = app.token("assistant");
        let mut ids = Vec::new();
        for (name, ward) in [("Amina Begum", "Canning Town North"), ("James Okafor", "Stratford"), ("Priya Sharma", "Plaistow")] {
            ids.push(add(&app, name, ward).await["id"].as_str().expect("id").to_owned());
        }
        let rival = app.post("/members", &app.token_for(RIVAL_GROUP, "assistant"), &member("Rival Member", "Beckton")).await;
        let rival_id = json(rival, StatusCode::CREATED).await["id"].as_str().expect("id").to_owned();
        let after_joining = chrono::Utc::now();
        let named = |ids: &[&str]| format!("/members?limit=200&ids={}", ids.join(","));
        let names = |page: &Value| -> Vec<String> {
            page["items"].as_array().expect("items").iter().map(|m| m["name"].as_str().expect("name").to_owned()).collect()
        };

        let two = json(app.get(&named(&[&ids[2], &ids[0], &rival_id]), &token).await, StatusCode::OK).await;
        assert_eq!(names(&two), ["Amina Begum", "Priya Sharma"], "another group's member is never listed");
        assert_eq!(two["items"][0]["email"], "cllr.member@example.org", "the assistant sees contact details");

        let departure = json!({"on": "2026-05-01", "reason": "Resigned the whip"});
        json(app.post(&format!("/members/{}/departure", ids[0]), &token, &departure).await, StatusCode::OK).await;
        let current = json(app.get(&format!("{}&status=member", named(&[&ids[0], &ids[1]])), &token).await, StatusCode::OK).await;
        assert_eq!(names(&current), ["James Okafor"], "the filters narrow together");
        let as_of = format!("{}&as_of={}", named(&[&ids[0]]), after_joining.to_rfc3339_opts(chrono::SecondsFormat::Micros, true));
        let then = json(app.get(&as_of, &token).await, StatusCode::OK).await;
        assert_eq!(then["items"][0]["status"], "member", "as it stood, before leaving");

        let paged = json(app.get(&format!("/members?limit=1&ids={},{}", ids[0], ids[1]), &token).await, StatusCode::OK).await;
        assert_eq!(names(&paged), ["Amina Begum"]);
        assert!(paged["next_cursor"].is_string(), "a short page goes on");

        for bad in ["not-a-uuid", &format!("{},", ids[0]), &format!("{{{}}}", ids[0])] {
            let refused = app.get(&format!("/members?ids={bad}"), &token).await;
            problem(refused, StatusCode::BAD_REQUEST).await;
        }
        let too_many = vec![ids[0].as_str(); 201].join(",");
        problem(app.get(&format!("/members?ids={too_many}"), &token).await, StatusCode::BAD_REQUEST).await;
    }

    async fn a_councillor_sees_a_member_but_not_their_email_or_phone(app: backend) {
        let created = add(&app, "Fatima Hussain", "Custom House").await;
        let id = created["id"].as_str().expect("id");
        let councillor = app.token("councillor");
        let read = json(app.get(&format!("/members/{id}"), &councillor).await, StatusCode::OK).await;
        assert_eq!(read["name"], "Fatima Hussain");
        assert_eq!(read["photo_url"], "https://example.org/members/photo.jpg");
        assert!(read["email"].is_null() && read["phone"].is_null(), "{read}");
        let list = json(app.get("/members", &councillor).await, StatusCode::OK).await;
        let item = &list["items"][0];
        assert_eq!(item["name"], "Fatima Hussain");
        assert!(item["email"].is_null() && item["phone"].is_null(), "{item}");
        for role in ["assistant", "leader", "officer", "auditor"] {
            let token = app.token(role);
            let read = json(app.get(&format!("/members/{id}"), &token).await, StatusCode::OK).await;
            assert_eq!(read["email"], "cllr.member@example.org", "{role}");
            assert_eq!(read["phone"], "020 7946 0123", "{role}");
            let list = json(app.get("/members", &token).await, StatusCode::OK).await;
            assert_eq!(list["items"][0]["email"], "cllr.member@example.org", "{role}");
        }
        let publisher = app.token("publisher");
        problem(app.get(&format!("/members/{id}"), &publisher).await, StatusCode::NOT_FOUND).await;
    }

    async fn a_page_of_members_shows_each_ones_own_contact_details_and_none_of_the_erased(app: backend) {
        let office = app.token("assistant");
        let mut ids = Vec::new();
        for (n, name) in ["Cllr One", "Cllr Two", "Cllr Three"].iter().enumerate() {
            let body = json!({"name": name, "ward": "Boleyn", "email": format!("cllr.{n}@example.org"), "phone": format!("020 7946 010{n}")});
            ids.push(json(app.post("/members", &office, &body).await, StatusCode::CREATED).await["id"].as_str().expect("id").to_owned());
        }
        json(app.post(&format!("/members/{}/erasure", ids[1]), &office, &json!({})).await, StatusCode::OK).await;
        let list = json(app.get("/members", &app.token("leader")).await, StatusCode::OK).await;
        let contacts: Vec<(Value, Value)> =
            list["items"].as_array().expect("items").iter().map(|m| (m["email"].clone(), m["phone"].clone())).collect();
        assert_eq!(contacts, [
            (json!("cllr.0@example.org"), json!("020 7946 0100")),
            (Value::Null, Value::Null),
            (json!("cllr.2@example.org"), json!("020 7946 0102")),
        ]);
    }

    async fn a_councillor_may_not_add_change_or_remove_members(app: backend) {
        let id = add(&app, "Helen Whitmore", "Manor Park").await["id"].as_str().expect("id").to_owned();
        for role in ["councillor", "auditor", "publisher"] {
            let token = app.token(role);
            problem(app.post("/members", &token, &member("Someone", "Boleyn")).await, StatusCode::FORBIDDEN).await;
            let update = app.post(&format!("/members/{id}/profile"), &token, &json!({"ward": "Boleyn"})).await;
            problem(update, StatusCode::FORBIDDEN).await;
            let departure = json!({"on": "2026-05-01", "reason": "x"});
            problem(app.post(&format!("/members/{id}/departure"), &token, &departure).await, StatusCode::FORBIDDEN).await;
        }
    }

    async fn another_group_cannot_see_or_touch_a_groups_members(app: backend) {
        let ours = add(&app, "Grace Mensah", "West Ham").await;
        let id = ours["id"].as_str().expect("id");
        let rival = app.token_for(RIVAL_GROUP, "assistant");
        problem(app.get(&format!("/members/{id}"), &rival).await, StatusCode::NOT_FOUND).await;
        let list = json(app.get("/members", &rival).await, StatusCode::OK).await;
        assert_eq!(list["items"].as_array().expect("items").len(), 0);
        let attempt = app.post(&format!("/members/{id}/departure"), &rival, &json!({"on": "2026-05-01", "reason": "sabotage"})).await;
        problem(attempt, StatusCode::NOT_FOUND).await;
        let attempt = app.post(&format!("/members/{id}/profile"), &rival, &json!({"ward": "Beckton"})).await;
        problem(attempt, StatusCode::NOT_FOUND).await;
        let still = json(app.get(&format!("/members/{id}"), &app.token("assistant")).await, StatusCode::OK).await;
        assert_eq!(still["status"], "member");
        assert_eq!(still["ward"], "West Ham");
    }

    async fn an_invalid_email_or_photo_url_is_refused_naming_the_field(app: backend) {
        let token = app.token("assistant");
        let mut body = member("Rajesh Patel", "Little Ilford");
        body["email"] = json!("rajesh.example.org");
        body["photo_url"] = json!("http://example.org/photo.jpg");
        let refused = problem(app.post("/members", &token, &body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        let pointers: Vec<&str> = refused["errors"].as_array().expect("errors").iter().map(|e| e["pointer"].as_str().expect("pointer")).collect();
        assert_eq!(pointers, vec!["/email", "/photo_url"], "{refused}");

        let id = add(&app, "Rajesh Patel", "Little Ilford").await["id"].as_str().expect("id").to_owned();
        let refused = app.post(&format!("/members/{id}/profile"), &token, &json!({"email": "a@b@c"})).await;
        let refused = problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/email", "{refused}");
        let refused = app.post(&format!("/members/{id}/profile"), &token, &json!({"photo_url": "ftp://example.org/p.jpg"})).await;
        let refused = problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/photo_url", "{refused}");

        let list = json(app.get("/members", &token).await, StatusCode::OK).await;
        assert_eq!(list["items"].as_array().expect("items").len(), 1, "nothing invalid was added");
    }
}

#[tokio::test]
async fn the_sample_group_loads_members_bodies_decisions_and_actions() {
    let app = crate::helpers::spawn_sample_app().await;
    let token = app.token_for(caucus_api::sample::GROUP, "assistant");
    let members = json(app.get("/members?limit=200", &token).await, StatusCode::OK).await;
    let members = members["items"].as_array().expect("items");
    assert_eq!(members.len(), 20);
    let left: Vec<&Value> = members.iter().filter(|m| m["status"] == "left").collect();
    assert_eq!(left.len(), 1);
    assert!(members.iter().all(|m| m["email"].as_str().is_some_and(|e| e.ends_with("@example.org"))));
    let decisions = json(app.get("/decisions", &token).await, StatusCode::OK).await;
    let decisions = decisions["items"].as_array().expect("items");
    assert_eq!(decisions.len(), 13);
    // The decision recorded from last month's meeting names its item, and the
    // item links back to it, as the route would have made them.
    let from_item = decisions
        .iter()
        .find(|d| d["title"] == "Back a community-run Canning Town library")
        .expect("decision");
    let item = &from_item["taken_by"]["meeting_item"];
    let meeting = json(
        app.get(&format!("/meetings/{}", item["meeting_id"].as_str().expect("meeting")), &token).await,
        StatusCode::OK,
    )
    .await;
    let linked = meeting["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == item["item_id"])
        .expect("item");
    assert!(
        linked["links"]
            .as_array()
            .expect("links")
            .iter()
            .any(|l| l["kind"] == "decision" && l["id"] == from_item["id"]),
        "{linked}"
    );
    assert!(linked["links"].as_array().expect("links").iter().any(|l| l["kind"] == "action"), "{linked}");
    let overdue = json(app.get("/actions?overdue=true", &token).await, StatusCode::OK).await;
    assert!(overdue["items"].as_array().expect("items").len() >= 3, "the sample has overdue actions");
    let vacancies = json(app.get("/vacancies", &token).await, StatusCode::OK).await;
    assert!(
        !vacancies.to_string().is_empty() && vacancies.to_string().contains("Licensing Committee"),
        "{vacancies}"
    );
    let holders = json(app.get("/appointments?ending_within_days=30", &token).await, StatusCode::OK).await;
    assert!(!holders["items"].as_array().expect("items").is_empty(), "some terms end within 30 days");
}
