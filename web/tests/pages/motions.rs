//! Motions and questions: the list as the api holds it; the assistant drafts,
//! revises and submits a motion through the forms (a refused draft explained
//! at its field, a submission after the deadline refused in a sentence); the
//! outcome recorded with members' votes lands and the whip report names who
//! voted against the whip; the whip set, and a stale whip form refused; a
//! councillor drafts their own and sees none of the office's forms.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::actions::{fields_of, form, html, select, send, with};
use crate::support::*;

const ASSISTANT: (&str, &str) = ("demo-assistant", "assistant");

async fn motion(app: &Running, id: &str) -> Value {
    app.api_get(ASSISTANT.0, ASSISTANT.1, &format!("/motions/{id}")).await
}

/// The id of the sample motion titled `title`.
async fn motion_titled(app: &Running, title: &str) -> String {
    let all = app.api_get(ASSISTANT.0, ASSISTANT.1, "/motions?limit=200").await;
    all["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|m| m["title"] == title)
        .and_then(|m| m["id"].as_str())
        .unwrap_or_else(|| panic!("no motion {title}"))
        .to_owned()
}

/// A Full Council two months ahead: its deadline weeks away.
async fn council_in_two_months(app: &Running) -> String {
    let starts_at = chrono::Utc::now() + chrono::Duration::days(60);
    let body = json!({
        "kind": "full_council",
        "title": "Full Council (budget)",
        "starts_at": starts_at.to_rfc3339(),
        "place": "Council Chamber, Old Town Hall, Stratford",
        "classification": "public",
    });
    let (status, made) = app.api_send(ASSISTANT, Method::POST, "/meetings", &body, None).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    made["id"].as_str().expect("id").to_owned()
}

/// The id a redirect to `/motions/{id}?done=..` names.
fn redirected_id(response: &reqwest::Response) -> String {
    let location = response.headers()["location"].to_str().expect("location");
    location.trim_start_matches("/motions/").split('?').next().expect("id").to_owned()
}

#[tokio::test]
async fn the_list_shows_every_motion_and_question_the_api_holds_with_its_status() {
    let app = start().await;
    app.sign_in_as("leader").await;
    let list = app.page("/motions").await;
    let mut shown: Vec<String> = select(&list, "table a[href^='/motions/']")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .map(|h| h.trim_start_matches("/motions/").to_owned())
        .collect();
    let all = app.api_get(ASSISTANT.0, ASSISTANT.1, "/motions?limit=200").await;
    let mut held: Vec<String> = all["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|m| m["id"].as_str().expect("id").to_owned())
        .collect();
    shown.sort_unstable();
    held.sort_unstable();
    assert_eq!(shown, held, "every motion the api holds");
    let text = text_of(&list, "main");
    for status in ["Carried", "Tabled", "Submitted"] {
        assert!(text.contains(status), "{status}: {text}");
    }
    assert!(text.contains("Question"), "{text}");
    assert!(!select(&list, "a[href='/motions/whip-report']").is_empty(), "the Leader reads the whip report");
    assert!(!select(&list, "a[href='/motions/new']").is_empty());
    assert!(!select(&list, ".govuk-service-navigation a[href='/motions']").is_empty(), "in the navigation");

    // Filtered by status without JavaScript.
    let tabled = app.page("/motions?status=tabled").await;
    let count = all["items"].as_array().expect("items").iter().filter(|m| m["status"] == "tabled").count();
    assert_eq!(select(&tabled, "tbody tr").len(), count);
    assert!(text_of(&tabled, "main").contains(&format!("{count} motions and questions: tabled.")));
}

#[tokio::test]
async fn the_assistant_drafts_revises_and_submits_a_motion_and_the_api_agrees() {
    let app = start().await;
    let meeting = council_in_two_months(&app).await;
    app.sign_in_as("assistant").await;
    let page = app.page("/motions/new").await;
    assert!(
        !select(&page, &format!("select[name='meeting'] option[value='{meeting}']")).is_empty(),
        "the coming council meetings are offered"
    );
    let proposer = select(&page, "select[name='proposer'] option")
        .iter()
        .filter_map(|o| o.value().attr("value"))
        .find(|v| !v.is_empty())
        .expect("a member")
        .to_owned();
    let fields = fields_of(&form(&page, "/motions"));
    let fields = with(with(fields, "meeting", &meeting), "proposer", &proposer);
    let fields =
        with(fields, "text", "This council resolves to fund free school meals.\n\nFor every primary pupil.");

    // No title: the api refuses, and the summary leads to the field.
    let refused = send(&app, "/motions", &fields).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, ".govuk-error-summary a[href='#title']").is_empty());
    assert!(!select(&refused, "#title-error").is_empty(), "the message at the field");
    let kept = fields_of(&form(&refused, "/motions"));
    assert!(kept.contains(&("meeting".to_owned(), meeting.clone())), "what was chosen is kept");

    let sent = send(&app, "/motions", &with(kept, "title", "Free school meals for all")).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    let id = redirected_id(&sent);
    let drafted = motion(&app, &id).await;
    assert_eq!(drafted["status"], "drafted", "{drafted}");
    assert_eq!(drafted["title"], "Free school meals for all");
    assert_eq!(drafted["origin"]["proposer_id"], proposer.as_str());
    assert_eq!(drafted["meeting_id"], meeting.as_str());
    let shown = app.page(&format!("/motions/{id}?done=drafted")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("The draft was saved"));
    let text = text_of(&shown, "main");
    assert!(text.contains("Submission deadline") && text.contains("Drafted"), "{text}");
    assert!(text.contains("For every primary pupil."), "{text}");
    let list = text_of(&app.page("/motions?status=drafted").await, "main");
    assert!(list.contains("Free school meals for all") && list.contains("submit by"), "{list}");

    // Revised: the earlier text kept.
    let path = format!("/motions/{id}/revisions");
    let fields =
        with(fields_of(&form(&shown, &path)), "text", "This council resolves to fund free school meals.");
    let sent = send(&app, &path, &with(fields, "reason", "Shorter")).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let revised = motion(&app, &id).await;
    assert_eq!(revised["text"], "This council resolves to fund free school meals.");
    assert_eq!(revised["earlier_texts"][0]["replaced_because"], "Shorter", "{revised}");

    // Submitted before the deadline.
    let shown = app.page(&format!("/motions/{id}?done=revised")).await;
    assert!(text_of(&shown, "main").contains("Earlier versions"));
    let path = format!("/motions/{id}/submission");
    let sent = send(&app, &path, &fields_of(&form(&shown, &path))).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let submitted = motion(&app, &id).await;
    assert_eq!(submitted["status"], "submitted", "{submitted}");
    assert!(submitted["submitted_at"].is_string());
    let shown = app.page(&format!("/motions/{id}?done=submitted")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("submitted to the council"));
    assert!(
        select(&shown, &format!("form[action='/motions/{id}/revisions']")).is_empty(),
        "no longer revised"
    );
    assert!(!select(&shown, &format!("form[action='/motions/{id}/tabling']")).is_empty());
}

#[tokio::test]
async fn a_draft_past_its_deadline_is_flagged_and_its_submission_refused_in_a_sentence() {
    let app = start().await;
    // Last month's Full Council: its deadline long passed.
    let living_wage = motion_titled(&app, "A real living wage for council contractors").await;
    let past = motion(&app, &living_wage).await["meeting_id"].as_str().expect("meeting").to_owned();
    let body = json!({
        "kind": "motion",
        "title": "Too late",
        "text": "This council resolves to be on time.",
        "origin": {"proposer_id": motion(&app, &living_wage).await["origin"]["proposer_id"]},
        "meeting_id": past,
        "classification": "group",
    });
    let (status, made) = app.api_send(ASSISTANT, Method::POST, "/motions", &body, None).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let id = made["id"].as_str().expect("id").to_owned();
    app.sign_in_as("assistant").await;
    let list = app.page("/motions?status=drafted").await;
    assert!(text_of(&list, "main").contains("Deadline passed"));
    let page = app.page(&format!("/motions/{id}")).await;
    assert!(text_of(&page, "main").contains("The council's deadline for this meeting has passed"));
    let path = format!("/motions/{id}/submission");
    assert!(select(&page, &format!("form[action='{path}']")).is_empty(), "no submit button once too late");

    // Sent anyway (an old tab): the api refuses and the page says why.
    let revise = fields_of(&form(&page, &format!("/motions/{id}/revisions")));
    let csrf = revise.iter().find(|(n, _)| n == "csrf").expect("csrf").clone();
    let refused = send(&app, &path, &[csrf, ("idempotency_key".into(), "late-one".into())]).await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    let refused = html(refused).await;
    let summary = text_of(&refused, ".govuk-error-summary");
    assert!(
        summary.contains("It was not submitted: the council's deadline for this meeting passed"),
        "{summary}"
    );
    assert_eq!(motion(&app, &id).await["status"], "drafted");
}

#[tokio::test]
async fn an_outcome_recorded_with_votes_lands_and_the_whip_report_names_who_voted_against() {
    let app = start().await;
    let id = motion_titled(&app, "Keep Canning Town library open").await;
    app.sign_in_as("assistant").await;
    let page = app.page(&format!("/motions/{id}")).await;
    assert!(!select(&page, &format!("a[href='/motions/{id}/outcome']")).is_empty());
    let path = format!("/motions/{id}/outcome");
    let page = app.page(&path).await;
    let radios: Vec<String> = select(&page, "input[type='radio'][name^='vote-']")
        .iter()
        .filter_map(|r| r.value().attr("name"))
        .map(str::to_owned)
        .collect();
    let (rebel, loyal) =
        (radios[0].clone(), radios.iter().find(|n| **n != radios[0]).expect("two members").clone());
    let fields = fields_of(&form(&page, &path));
    let fields = with(with(fields, &rebel, "no"), &loyal, "yes");

    // No outcome chosen: explained at its field.
    let refused = send(&app, &path, &fields).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, ".govuk-error-summary a[href='#outcome']").is_empty());

    // More of the group against than the council counted: the api refuses at the votes.
    let fields = with(fields_of(&form(&refused, &path)), "outcome", "carried");
    let fields = with(with(with(fields, "counts_yes", "40"), "counts_no", "0"), "counts_abstain", "1");
    let refused = send(&app, &path, &with(fields.clone(), "counts_absent", "2")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(
        !select(&refused, &format!(".govuk-error-summary a[href='#{rebel}']")).is_empty(),
        "{}",
        text_of(&refused, ".govuk-error-summary")
    );

    let sent = send(&app, &path, &with(with(fields, "counts_no", "12"), "counts_absent", "2")).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    let recorded = motion(&app, &id).await;
    assert_eq!(recorded["status"], "carried", "{recorded}");
    assert_eq!(recorded["counts"]["no"], 12);
    assert_eq!(recorded["votes"].as_array().expect("votes").len(), 2);
    let rebel_id = rebel.trim_start_matches("vote-");
    assert_eq!(recorded["departures_from_whip"][0]["member_id"], rebel_id, "{recorded}");
    let shown = app.page(&format!("/motions/{id}?done=outcome")).await;
    let text = text_of(&shown, "main");
    assert!(text.contains("Against the whip") && text.contains("40 for, 12 against"), "{text}");
    assert!(select(&shown, "main form").is_empty(), "a decided motion takes no more writes");

    let members = app.api_get(ASSISTANT.0, ASSISTANT.1, "/members?limit=200").await;
    let name = members["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|m| m["id"] == rebel_id)
        .and_then(|m| m["name"].as_str())
        .expect("the rebel's name")
        .to_owned();
    let report = app.page("/motions/whip-report").await;
    let row = select(&report, "tbody tr")
        .into_iter()
        .map(|r| r.text().collect::<String>())
        .find(|r| r.contains("Keep Canning Town library open"))
        .expect("the motion in the report");
    assert!(row.contains(&format!("{name} (against)")), "{row}");

    // A period before any vote shows none; one that ends before it starts is said at its dates.
    let before = app
        .page("/motions/whip-report?from-day=&from-month=&from-year=&to-day=1&to-month=1&to-year=2020")
        .await;
    assert!(select(&before, "tbody tr").is_empty(), "no vote before 2020");
    assert!(text_of(&before, "main").contains("No whipped motion has recorded votes in this period"));
    let backwards = app
        .get("/motions/whip-report?from-day=1&from-month=2&from-year=2026&to-day=1&to-month=1&to-year=2026")
        .await;
    assert_eq!(backwards.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let backwards = scraper::Html::parse_document(&backwards.text().await.expect("body"));
    let summary = text_of(&backwards, ".govuk-error-summary");
    assert!(summary.contains("Check the dates: must not be before from"), "{summary}");
    assert_eq!(select(&backwards, ".govuk-error-summary a[href='#from-day']").len(), 1);
    let unreal = app.get("/motions/whip-report?from-day=31&from-month=2&from-year=2026").await;
    assert_eq!(unreal.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let unreal = scraper::Html::parse_document(&unreal.text().await.expect("body"));
    assert!(text_of(&unreal, ".govuk-error-summary").contains("The from date must be a real date"));
}

#[tokio::test]
async fn the_whip_is_set_and_a_stale_whip_form_says_someone_changed_it() {
    let app = start().await;
    let id = motion_titled(&app, "Scrap the low traffic neighbourhoods").await;
    app.sign_in_as("assistant").await;
    let page = app.page(&format!("/motions/{id}")).await;
    let path = format!("/motions/{id}/whip");
    let stale = fields_of(&form(&page, &path));
    let fields = with(with(stale.clone(), "position", "free_vote"), "note", "A matter of conscience");
    let sent = send(&app, &path, &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let set = motion(&app, &id).await;
    assert_eq!(set["whip"]["position"], "free_vote", "{set}");
    assert_eq!(set["whip"]["note"], "A matter of conscience");
    assert_eq!(set["earlier_whips"][0]["position"], "against");

    // The same form from a tab opened before: refused, said in a sentence.
    let fields = with(with(stale, "position", "abstain"), "idempotency_key", "another-try");
    let refused = send(&app, &path, &fields).await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    let summary = text_of(&html(refused).await, ".govuk-error-summary");
    assert!(summary.contains("someone else changed this motion"), "{summary}");
    assert_eq!(motion(&app, &id).await["whip"]["position"], "free_vote");
}

#[tokio::test]
async fn a_councillor_drafts_their_own_and_sees_none_of_the_offices_forms() {
    let app = start().await;
    let me = app.sign_in_as("councillor").await;
    let list = app.page("/motions").await;
    assert!(select(&list, "a[href='/motions/whip-report']").is_empty(), "the whip report is the office's");
    let id = motion_titled(&app, "Keep Canning Town library open").await;
    let page = app.page(&format!("/motions/{id}")).await;
    assert!(select(&page, "main form").is_empty(), "{}", text_of(&page, "main"));
    assert!(select(&page, &format!("a[href='/motions/{id}/outcome']")).is_empty());
    let outcome = app.get(&format!("/motions/{id}/outcome")).await;
    assert_eq!(outcome.status(), StatusCode::FORBIDDEN, "nor the outcome form by its address");

    let meeting = council_in_two_months(&app).await;
    let page = app.page("/motions/new").await;
    assert!(select(&page, "select[name='proposer']").is_empty(), "a councillor moves their own");
    let fields = fields_of(&form(&page, "/motions"));
    let fields = with(with(fields, "meeting", &meeting), "kind", "question");
    let fields =
        with(with(fields, "title", "Potholes on Barking Road"), "directed_to", "Cabinet Member for Highways");
    let sent = send(&app, "/motions", &with(fields, "text", "When will the potholes be filled?")).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    let id = redirected_id(&sent);
    let drafted = motion(&app, &id).await;
    assert_eq!(drafted["origin"]["proposer_id"], me.as_str(), "{drafted}");
    assert_eq!(drafted["kind"], "question");
    let page = app.page(&format!("/motions/{id}")).await;
    assert!(
        !select(&page, &format!("form[action='/motions/{id}/revisions']")).is_empty(),
        "their own to revise"
    );
    assert!(
        select(&page, &format!("form[action='/motions/{id}/submission']")).is_empty(),
        "the office submits"
    );
    assert_eq!(app.get("/motions/whip-report").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_draft_due_soon_is_flagged_and_my_work_leads_to_it() {
    let app = start().await;
    // The coming Full Council, a fortnight away: its deadline within days.
    let libraries = motion(&app, &motion_titled(&app, "Keep Canning Town library open").await).await;
    let body = json!({
        "kind": "motion",
        "title": "Warm spaces this winter",
        "text": "This council resolves to open every library as a warm space.",
        "origin": {"proposer_id": libraries["origin"]["proposer_id"]},
        "meeting_id": libraries["meeting_id"],
        "classification": "group",
    });
    let (status, made) = app.api_send(ASSISTANT, Method::POST, "/motions", &body, None).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let id = made["id"].as_str().expect("id");
    app.sign_in_as("assistant").await;
    let list = app.page("/motions?status=drafted").await;
    let row = select(&list, "tbody tr")
        .into_iter()
        .map(|r| r.text().collect::<String>())
        .find(|r| r.contains("Warm spaces this winter"))
        .expect("the draft listed");
    assert!(row.contains("Deadline soon") && row.contains("submit by"), "{row}");
    let home = app.page("/").await;
    assert!(!select(&home, &format!("a[href='/motions/{id}']")).is_empty(), "{}", text_of(&home, "main"));
}

#[tokio::test]
async fn the_office_records_another_groups_motion_as_tabled_with_its_mover_by_name() {
    let app = start().await;
    let meeting = council_in_two_months(&app).await;
    app.sign_in_as("assistant").await;
    let page = app.page("/motions/new").await;
    assert_eq!(select(&page, "input[name='origin'][value='other']").len(), 1, "the office may record theirs");
    let fields = fields_of(&form(&page, "/motions"));
    let fields = with(with(fields, "meeting", &meeting), "origin", "other");
    let fields =
        with(with(fields, "title", "Reinstate weekly bin collections"), "text", "This council resolves to.");

    // No mover named: said at the field.
    let refused = send(&app, "/motions", &fields).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert_eq!(select(&refused, ".govuk-error-summary a[href='#mover']").len(), 1);
    assert!(text_of(&refused, "#mover-error").contains("Enter who moves it"));

    let sent = send(&app, "/motions", &with(fields, "mover", "Cllr Jane Doe (Green)")).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    let id = redirected_id(&sent);
    let tabled = motion(&app, &id).await;
    assert_eq!(tabled["status"], "tabled", "{tabled}");
    assert_eq!(tabled["origin"]["mover"], "Cllr Jane Doe (Green)");
    assert_eq!(tabled["origin"]["proposer_id"], Value::Null);
    let shown = app.page(&format!("/motions/{id}?done=tabled")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("It was recorded as tabled"));
    assert!(text_of(&shown, "main").contains("Cllr Jane Doe (Green)"));

    // A councillor drafts only their own: no choice of origin.
    app.sign_in_as("councillor").await;
    let page = app.page("/motions/new").await;
    assert!(select(&page, "input[name='origin']").is_empty());
}

#[tokio::test]
async fn a_whip_report_of_many_votes_lists_the_latest_hundred_and_counts_them_all() {
    let app = start().await;
    let meeting = council_in_two_months(&app).await;
    let members = app.api_get(ASSISTANT.0, ASSISTANT.1, "/members?limit=2").await;
    let member = |n: usize| members["items"][n]["id"].as_str().expect("a member").to_owned();
    let (proposer, rebel) = (member(0), member(1));
    let api = async |method: Method, path: String, body: serde_json::Value| {
        let (status, answer) = app.api_send(ASSISTANT, method, &path, &body, None).await;
        assert!(status.is_success(), "{path}: {status} {answer}");
        answer
    };
    // A hundred and one whipped votes, each with the same member against.
    for n in 1..=101 {
        let body = json!({
            "kind": "motion",
            "title": format!("Ward budget motion {n:03}"),
            "text": "This council resolves to fund the ward budgets.",
            "origin": {"proposer_id": proposer},
            "meeting_id": meeting,
            "classification": "group",
        });
        let id = api(Method::POST, "/motions".to_owned(), body).await["id"].as_str().expect("id").to_owned();
        api(Method::POST, format!("/motions/{id}/submission"), json!({})).await;
        api(Method::POST, format!("/motions/{id}/tabling"), json!({})).await;
        api(Method::PUT, format!("/motions/{id}/whip"), json!({"position": "for"})).await;
        let outcome = json!({
            "outcome": "carried",
            "counts": {"yes": 40, "no": 12, "abstain": 0, "absent": 8},
            "votes": [{"member_id": proposer, "option": "yes"}, {"member_id": rebel, "option": "no"}],
        });
        api(Method::POST, format!("/motions/{id}/outcome"), outcome).await;
    }
    app.sign_in_as("leader").await;
    let report = app.page("/motions/whip-report").await;
    let text = text_of(&report, "main");
    assert!(text.contains("The latest 100 of "), "{text}");
    let listed = select(&report, "tbody tr")
        .into_iter()
        .filter(|r| r.text().collect::<String>().contains("Ward budget motion"))
        .count();
    assert_eq!(listed, 100, "a page of the latest");
    let totals = app.api_get(ASSISTANT.0, ASSISTANT.1, "/motions/whip-report").await;
    let theirs = totals["members"]
        .as_array()
        .expect("members")
        .iter()
        .find(|m| m["member_id"] == rebel.as_str())
        .and_then(|m| m["departures"].as_u64())
        .expect("the rebel's total");
    assert!(theirs >= 101, "every vote counted: {theirs}");
    let cell = scraper::Selector::parse("td").expect("selector");
    let counted = select(&report, "tbody tr").into_iter().any(|r| {
        r.html().contains(&format!("/members/{rebel}"))
            && r.select(&cell).any(|c| c.text().collect::<String>().trim() == theirs.to_string())
    });
    assert!(counted, "the page's totals count every vote, not only those listed");
}
