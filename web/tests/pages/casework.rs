//! Signing in and out, what each person sees of casework, a note added once
//! however often its form is sent, the error summary of a refused one, and
//! forms from anywhere else refused; a case opened through its form and
//! worked through every step, each landing in the api and its timeline; the
//! steps a case cannot take explained; a councillor's own case theirs alone;
//! an auditor offered nothing; a resident's next case opened from their
//! earlier one, without their details typed again; a closed case kept longer
//! with a reason, and the day its personal data goes shown.

use reqwest::StatusCode;
use scraper::{Html, Selector};

use crate::actions::select;
use crate::support::*;

#[tokio::test]
async fn a_councillor_signs_in_sees_only_the_cases_they_read_and_signs_out() {
    let app = start().await;
    let first = app.get("/").await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    assert_eq!(first.headers()["location"], "/sign-in?next=%2F", "nobody is signed in yet");

    let councillor = app.sign_in_as("councillor").await;
    // My work lists what the api's /my-work gives them, in its order.
    let home = app.page("/").await;
    let work = app.api_get(&councillor, "councillor", "/my-work").await;
    let expected_titles: Vec<&str> = work["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["title"].as_str().expect("title"))
        .collect();
    let shown_titles: Vec<String> = text_list(&home, ".govuk-task-list__name-and-hint > :first-child");
    assert!(!expected_titles.is_empty(), "the sample gives them work: {work}");
    assert_eq!(shown_titles, expected_titles, "{work}");
    let page = app.page("/cases").await;
    assert!(text_of(&page, "body").contains("Signed in as"), "the header says who");
    let shown = case_links(&page);
    let theirs = app.api_get(&councillor, "councillor", "/cases?limit=100").await;
    let mut expected: Vec<String> = theirs["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .collect();
    let mut shown_sorted = shown.clone();
    shown_sorted.sort();
    expected.sort();
    assert_eq!(shown_sorted, expected, "exactly the cases the api lets them read");
    assert!(!shown.is_empty(), "the sample gives them cases");

    // A case of someone else's reads as not found, as the api answers.
    let everyone = app.api_get("demo-assistant", "assistant", "/cases?limit=100").await;
    let other = everyone["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .find(|id| !expected.contains(id))
        .expect("a case that is not theirs");
    let refused = app.get(&format!("/cases/{other}")).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    assert!(refused.text().await.expect("body").contains("Page not found"));

    let csrf = hidden(
        &Selector::parse("form[action='/sign-out']")
            .ok()
            .and_then(|s| page.select(&s).next())
            .expect("sign-out form"),
        "csrf",
    );
    let out = app.post("/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get("/cases").await.status(), StatusCode::SEE_OTHER, "signed out");
}

#[tokio::test]
async fn a_note_is_added_once_however_often_its_form_is_sent_and_an_empty_one_is_explained() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let list = app.page("/cases").await;
    let id = case_links(&list).into_iter().next().expect("a case");
    let page = app.page(&format!("/cases/{id}")).await;
    let form = Selector::parse("form[action$='/notes']").expect("selector");
    let form = page.select(&form).next().expect("the note form");
    let (csrf, key) = (hidden(&form, "csrf"), hidden(&form, "idempotency_key"));
    let before = app.api_get("demo-assistant", "assistant", &format!("/cases/{id}")).await["notes"]
        .as_array()
        .expect("notes")
        .len();

    let note = "Rang the housing officer: a surveyor visits on Tuesday";
    for _ in 0..2 {
        let sent = app
            .post(
                &format!("/cases/{id}/notes"),
                &[("csrf", &csrf), ("idempotency_key", &key), ("text", note)],
            )
            .await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        assert_eq!(sent.headers()["location"], format!("/cases/{id}?done=notes").as_str());
    }
    let after = app.api_get("demo-assistant", "assistant", &format!("/cases/{id}")).await;
    assert_eq!(after["notes"].as_array().expect("notes").len(), before + 1, "a double submit records once");
    let shown = app.page(&format!("/cases/{id}?done=notes")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("Your note was added"));
    assert!(text_of(&shown, "main").contains(note));

    let fresh = app.page(&format!("/cases/{id}")).await;
    let form = Selector::parse("form[action$='/notes']").expect("selector");
    let key = hidden(&fresh.select(&form).next().expect("form"), "idempotency_key");
    let refused = app
        .post(&format!("/cases/{id}/notes"), &[("csrf", &csrf), ("idempotency_key", &key), ("text", "")])
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = Html::parse_document(&refused.text().await.expect("body"));
    let link = Selector::parse(".govuk-error-summary a[href='#text']").expect("selector");
    assert!(refused.select(&link).next().is_some(), "the summary links to the field");
    assert!(!text_of(&refused, "#text-error").is_empty(), "the field says what is wrong");

    let forged = app
        .post(&format!("/cases/{id}/notes"), &[("csrf", "not-ours"), ("idempotency_key", "k"), ("text", "x")])
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "a form from elsewhere is refused");
}

/// The case page's form posting to `/cases/{id}/{path}`, if offered.
fn step_form<'a>(page: &'a Html, path: &str) -> Option<scraper::ElementRef<'a>> {
    let selector = Selector::parse(&format!("form[action$='/{path}']")).expect("selector");
    page.select(&selector).next()
}

/// Sends the case page's `path` form with `fields`, as the browser would.
async fn take_step(app: &Running, id: &str, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let page = app.page(&format!("/cases/{id}")).await;
    let form = step_form(&page, path).unwrap_or_else(|| panic!("the {path} form is offered"));
    let (csrf, key) = (hidden(&form, "csrf"), hidden(&form, "idempotency_key"));
    let mut sent = vec![("csrf", csrf.as_str()), ("idempotency_key", key.as_str())];
    sent.extend_from_slice(fields);
    app.post(&format!("/cases/{id}/{path}"), &sent).await
}

/// The values a select named `name` offers, without its empty first item.
fn options(page: &Html, name: &str) -> Vec<(String, String)> {
    let selector = Selector::parse(&format!("select[name='{name}'] option")).expect("selector");
    page.select(&selector)
        .filter_map(|o| {
            let value = o.value().attr("value")?.to_owned();
            (!value.is_empty()).then(|| (value, o.text().collect::<String>().trim().to_owned()))
        })
        .collect()
}

/// The councillor a share or handover option offers: "Name, councillor
/// for Ward" for the case's ward's councillors, else "Name".
fn named(option: &str) -> &str {
    option.split(", councillor for ").next().unwrap_or(option)
}

/// Opens a case through the new-case form as whoever is signed in, for a
/// new resident; its id.
async fn open_case(app: &Running, owner: Option<&str>) -> String {
    let form_page = app.page("/cases/new").await;
    let form = Selector::parse("form[action='/cases']").expect("selector");
    let form = form_page.select(&form).next().expect("the new case form");
    let (csrf, key) = (hidden(&form, "csrf"), hidden(&form, "idempotency_key"));
    let category = options(&form_page, "category").into_iter().next().expect("a category").0;
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("idempotency_key", key.as_str()),
        ("name", "Amara Osei"),
        ("address", "7 Plaistow Road, London E13 0AA"),
        ("phone", "07700 900555"),
        ("preferred_contact", "phone"),
        ("consent_to_share", "yes"),
        ("ward", "Plaistow North"),
        ("category", category.as_str()),
        ("channel", "surgery"),
        ("summary", "Broken streetlight on Plaistow Road for three weeks"),
    ];
    if let Some(owner) = owner {
        fields.push(("owner_id", owner));
    }
    let opened = app.post("/cases", &fields).await;
    assert_eq!(opened.status(), StatusCode::SEE_OTHER, "{}", opened.text().await.unwrap_or_default());
    let location = opened.headers()["location"].to_str().expect("location").to_owned();
    assert!(location.ends_with("?done=opened"), "{location}");
    location.trim_start_matches("/cases/").trim_end_matches("?done=opened").to_owned()
}

#[tokio::test]
async fn a_case_opened_through_the_form_is_worked_step_by_step_and_each_step_shows_in_its_timeline() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let new_form = app.page("/cases/new").await;
    let members = options(&new_form, "owner_id");
    let (owner, _) = members[0].clone();
    let id = open_case(&app, Some(&owner)).await;
    let path = format!("/cases/{id}");
    let case = async || app.api_get("demo-assistant", "assistant", &path).await;
    let opened = case().await;
    assert_eq!(opened["status"], "received");
    assert_eq!(opened["owner_id"], owner.as_str());
    assert_eq!(opened["resident"]["name"], "Amara Osei", "the resident is recorded with it");
    let shown = app.page(&format!("/cases/{id}?done=opened")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("The case was opened"));
    // A new case offers what a received case can take, and nothing it cannot.
    for offered in ["acknowledgement", "referrals", "closure", "notes", "files"] {
        assert!(step_form(&shown, offered).is_some(), "{offered} is offered");
    }
    for withheld in ["chases", "response", "referral-acknowledgement", "reopening", "unsharing"] {
        assert!(step_form(&shown, withheld).is_none(), "{withheld} is not offered on a received case");
    }

    let timeline = |page: &Html| text_of(page, "#timeline");
    let expect_done = |sent: &reqwest::Response, path: &str| {
        assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(sent.headers()["location"], format!("/cases/{id}?done={path}").as_str(), "{path}");
    };

    let sent = take_step(&app, &id, "acknowledgement", &[]).await;
    expect_done(&sent, "acknowledgement");
    assert!(case().await["acknowledged_on"].is_string());
    let page = app.page(&format!("/cases/{id}?done=acknowledgement")).await;
    assert!(text_of(&page, ".govuk-notification-banner").contains("The acknowledgement was recorded"));
    assert!(timeline(&page).contains("The resident was told it is being dealt with"));
    assert!(step_form(&page, "acknowledgement").is_none(), "acknowledged once");

    let (organisation, organisation_name) =
        options(&page, "organisation_id").into_iter().next().expect("an organisation to refer to");
    let sent = take_step(
        &app,
        &id,
        "referrals",
        &[("organisation_id", &organisation), ("share_details", "yes"), ("their_reference", "")],
    )
    .await;
    expect_done(&sent, "referrals");
    let referred = case().await;
    assert_eq!(referred["status"], "referred");
    assert_eq!(referred["referrals"][0]["organisation_id"], organisation.as_str());
    assert_eq!(referred["referrals"][0]["details_shared"], true);
    let page = app.page(&format!("/cases/{id}")).await;
    assert!(
        timeline(&page).contains(&format!("Referred to {organisation_name}, with the resident's details"))
    );
    assert!(step_form(&page, "referrals").is_none(), "one open referral at a time");

    let sent = take_step(&app, &id, "referral-acknowledgement", &[("their_reference", "SL-4471")]).await;
    expect_done(&sent, "referral-acknowledgement");
    let acknowledged = case().await;
    assert_eq!(acknowledged["status"], "awaiting_response");
    assert_eq!(acknowledged["referrals"][0]["their_reference"], "SL-4471");
    assert!(timeline(&app.page(&format!("/cases/{id}")).await).contains("(their reference SL-4471)"));

    let sent = take_step(&app, &id, "chases", &[("note", "Rang the lighting team: no date yet")]).await;
    expect_done(&sent, "chases");
    assert_eq!(case().await["referrals"][0]["chases"].as_array().expect("chases").len(), 1);
    let page = app.page(&format!("/cases/{id}")).await;
    assert!(timeline(&page).contains(&format!("Chased {organisation_name}")));
    assert!(timeline(&page).contains("Rang the lighting team: no date yet"));

    // An answer dated before the case came in is refused at its day.
    let refused = take_step(
        &app,
        &id,
        "response",
        &[
            ("summary", "A new lamp goes in on Friday"),
            ("on-day", "1"),
            ("on-month", "1"),
            ("on-year", "2020"),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = Html::parse_document(&refused.text().await.expect("body"));
    let link = Selector::parse(".govuk-error-summary a[href='#response-on-day']").expect("selector");
    assert!(page.select(&link).next().is_some(), "the summary links to the day");
    let sent = take_step(&app, &id, "response", &[("summary", "A new lamp goes in on Friday")]).await;
    expect_done(&sent, "response");
    assert_eq!(case().await["status"], "responded");
    assert!(timeline(&app.page(&format!("/cases/{id}")).await).contains("A new lamp goes in on Friday"));

    let sent = take_step(
        &app,
        &id,
        "resident-updates",
        &[("how", "phone"), ("note", "Told her it is fixed on Friday")],
    )
    .await;
    expect_done(&sent, "resident-updates");
    assert_eq!(case().await["resident_updates"][0]["how"], "phone");
    assert!(timeline(&app.page(&format!("/cases/{id}")).await).contains("The resident was told, by phone"));

    let (colleague, colleague_name) = options(&app.page(&format!("/cases/{id}")).await, "member_id")
        .into_iter()
        .next()
        .expect("a councillor to share with");
    let sent = take_step(&app, &id, "sharing", &[("member_id", &colleague)]).await;
    expect_done(&sent, "sharing");
    assert_eq!(case().await["shared_with"][0], colleague.as_str());
    let page = app.page(&format!("/cases/{id}")).await;
    let name = named(&colleague_name);
    assert!(text_of(&page, ".govuk-summary-list").contains(name), "the page says who shares it");
    let sent = take_step(&app, &id, "unsharing", &[("member_id", &colleague)]).await;
    expect_done(&sent, "unsharing");
    assert_eq!(case().await["shared_with"].as_array().expect("shared").len(), 0);

    let sent =
        take_step(&app, &id, "special-category", &[("kinds", "health"), ("condition", "explicit_consent")])
            .await;
    expect_done(&sent, "special-category");
    assert_eq!(case().await["special_category"]["kinds"][0], "health");
    let page = app.page(&format!("/cases/{id}")).await;
    assert!(text_of(&page, ".govuk-summary-list").contains("Health"));
    let held = Selector::parse("input[name='kinds'][value='health'][checked]").expect("selector");
    assert!(page.select(&held).next().is_some(), "the form shows what the case holds");

    let content = b"Dear Councillor, the lamp column is replaced on Friday.\n".to_vec();
    let page = app.page(&format!("/cases/{id}")).await;
    let form = step_form(&page, "files").expect("the file form");
    let file = reqwest::multipart::Part::bytes(content.clone())
        .file_name("letter-from-lighting.txt")
        .mime_str("text/plain")
        .expect("part");
    let form = reqwest::multipart::Form::new()
        .text("csrf", hidden(&form, "csrf"))
        .text("idempotency_key", hidden(&form, "idempotency_key"))
        .part("file", file);
    let sent =
        app.browser.post(format!("{}/cases/{id}/files", app.web)).multipart(form).send().await.expect("post");
    expect_done(&sent, "files");
    let with_file = case().await;
    assert_eq!(with_file["files"][0]["name"], "letter-from-lighting.txt");
    let page = app.page(&format!("/cases/{id}")).await;
    assert!(timeline(&page).contains("File attached: letter-from-lighting.txt"));
    let file = with_file["files"][0]["id"].as_str().expect("file id");
    let downloaded = app.get(&format!("/cases/{id}/files/{file}")).await;
    assert_eq!(downloaded.bytes().await.expect("bytes").to_vec(), content, "it downloads as sent");

    let sent = take_step(&app, &id, "closure", &[("outcome", "resolved"), ("note", "Lamp fixed")]).await;
    expect_done(&sent, "closure");
    assert_eq!(case().await["closure"]["outcome"], "resolved");
    let page = app.page(&format!("/cases/{id}")).await;
    assert!(timeline(&page).contains("Closed: resolved"));
    assert!(step_form(&page, "closure").is_none() && step_form(&page, "chases").is_none(), "closed");

    let sent = take_step(&app, &id, "reopening", &[("reason", "The lamp failed again")]).await;
    expect_done(&sent, "reopening");
    assert_eq!(case().await["status"], "responded", "reopened where its facts put it");
    assert!(timeline(&app.page(&format!("/cases/{id}")).await).contains("The lamp failed again"));

    let (new_owner, new_owner_name) = options(&app.page(&format!("/cases/{id}")).await, "to")
        .into_iter()
        .find(|(m, _)| *m != owner)
        .expect("another councillor");
    let sent = take_step(&app, &id, "handover", &[("to", &new_owner), ("note", "Ward swap")]).await;
    expect_done(&sent, "handover");
    assert_eq!(case().await["owner_id"], new_owner.as_str());
    let page = app.page(&format!("/cases/{id}")).await;
    let handed = format!("to {}: Ward swap", named(&new_owner_name));
    assert!(text_of(&page, ".govuk-summary-list").contains(&handed));
}

#[tokio::test]
async fn refused_steps_show_the_error_summary_and_steps_the_case_cannot_take_are_explained() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let new_form = app.page("/cases/new").await;
    let owner = options(&new_form, "owner_id").into_iter().next().expect("a member").0;
    let id = open_case(&app, Some(&owner)).await;

    // Closing without saying how it ended.
    let refused = take_step(&app, &id, "closure", &[("note", "Done")]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = Html::parse_document(&refused.text().await.expect("body"));
    let link = Selector::parse(".govuk-error-summary a[href='#close-outcome']").expect("selector");
    assert!(page.select(&link).next().is_some(), "the summary links to the outcome");
    assert!(text_of(&page, "#close-outcome-error").contains("Select how the case ended"));
    assert!(text_of(&page, "#close-note").contains("Done"), "what was typed is kept");
    let closed = app.api_get("demo-assistant", "assistant", &format!("/cases/{id}")).await;
    assert_eq!(closed["status"], "received", "nothing was recorded");

    // A day that does not exist.
    let refused = take_step(
        &app,
        &id,
        "closure",
        &[("outcome", "resolved"), ("on-day", "31"), ("on-month", "2"), ("on-year", "2026")],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = Html::parse_document(&refused.text().await.expect("body"));
    assert!(text_of(&page, "#close-on-error").contains("The day must be a real date"));

    // Chasing a case that was never referred (a form from an older page).
    let page = app.page(&format!("/cases/{id}")).await;
    let form = step_form(&page, "notes").expect("a form");
    let (csrf, key) = (hidden(&form, "csrf"), hidden(&form, "idempotency_key"));
    let refused = app
        .post(&format!("/cases/{id}/chases"), &[("csrf", &csrf), ("idempotency_key", &key), ("note", "")])
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = Html::parse_document(&refused.text().await.expect("body"));
    assert!(text_of(&page, ".govuk-error-summary").contains("no referral awaiting an answer"));

    // The api's own refusal of a field: a reopening without a reason.
    take_step(&app, &id, "closure", &[("outcome", "withdrawn")]).await;
    let refused = take_step(&app, &id, "reopening", &[("reason", "")]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = Html::parse_document(&refused.text().await.expect("body"));
    let link = Selector::parse(".govuk-error-summary a[href='#reopen-reason']").expect("selector");
    assert!(page.select(&link).next().is_some(), "the summary links to the reason");

    // A new case without the resident's name or how it came in.
    let form = Selector::parse("form[action='/cases']").expect("selector");
    let form = new_form.select(&form).next().expect("form");
    let (csrf, key) = (hidden(&form, "csrf"), hidden(&form, "idempotency_key"));
    let refused = app
        .post("/cases", &[("csrf", &csrf), ("idempotency_key", &key), ("name", ""), ("owner_id", &owner)])
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = Html::parse_document(&refused.text().await.expect("body"));
    let link = Selector::parse(".govuk-error-summary a[href='#channel']").expect("selector");
    assert!(page.select(&link).next().is_some(), "the summary links to how it came in");
}

#[tokio::test]
async fn a_councillor_works_their_own_case_but_not_another_councillors_and_an_auditor_sees_no_forms() {
    let app = start().await;
    let councillor = app.sign_in_as("councillor").await;
    // A councillor opens a case as their own: the form asks no owner.
    let new_form = app.page("/cases/new").await;
    assert!(options(&new_form, "owner_id").is_empty(), "a councillor's case is their own");
    let id = open_case(&app, None).await;
    let opened = app.api_get("demo-assistant", "assistant", &format!("/cases/{id}")).await;
    assert_eq!(opened["owner_id"], councillor.as_str());
    let sent = take_step(&app, &id, "acknowledgement", &[]).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    // Handing it to a colleague leaves it theirs alone: back to the list.
    let to =
        options(&app.page(&format!("/cases/{id}")).await, "to").into_iter().next().expect("a colleague").0;
    let sent = take_step(&app, &id, "handover", &[("to", &to)]).await;
    let (status, headers) = (sent.status(), sent.headers().clone());
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    assert_eq!(headers["location"], "/cases?done=handover");
    let list = app.page("/cases?done=handover").await;
    assert!(text_of(&list, ".govuk-notification-banner").contains("The case was handed over"));
    assert!(!case_links(&list).contains(&id), "no longer theirs to read");
    assert_eq!(app.get(&format!("/cases/{id}")).await.status(), StatusCode::NOT_FOUND);
    let handed = app.api_get("demo-assistant", "assistant", &format!("/cases/{id}")).await;
    assert_eq!(handed["owner_id"], to.as_str(), "the api holds the new owner");

    // Another councillor's case: not found, however it is asked for.
    let everyone = app.api_get("demo-assistant", "assistant", "/cases?limit=100").await;
    let other = everyone["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|c| c["owner_id"] != councillor.as_str() && !c["shared_with"].to_string().contains(&councillor))
        .and_then(|c| c["id"].as_str())
        .expect("another councillor's case")
        .to_owned();
    let page = app.page("/cases/new").await;
    let form = Selector::parse("form[action='/cases']").expect("selector");
    let form = page.select(&form).next().expect("a form");
    let (csrf, key) = (hidden(&form, "csrf"), hidden(&form, "idempotency_key"));
    let refused = app
        .post(
            &format!("/cases/{other}/closure"),
            &[("csrf", &csrf), ("idempotency_key", &key), ("outcome", "resolved")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    let refused = Html::parse_document(&refused.text().await.expect("body"));
    assert!(text_of(&refused, "main").contains("It does not exist, or it is not yours to see."));
    let untouched = app.api_get("demo-assistant", "assistant", &format!("/cases/{other}")).await;
    assert_ne!(untouched["status"], "closed");

    // An auditor reads the case's metadata and is offered nothing to do.
    app.sign_in_as("auditor").await;
    let page = app.page(&format!("/cases/{id}")).await;
    let forms = Selector::parse("main form").expect("selector");
    assert_eq!(page.select(&forms).count(), 0, "no forms for an auditor");
    assert!(!text_of(&app.page("/cases").await, "main").contains("Open a case"));
    assert_eq!(app.get("/cases/new").await.status(), StatusCode::FORBIDDEN, "nor a case to open");
}

#[tokio::test]
async fn a_residents_next_case_is_opened_from_their_earlier_one_without_typing_their_details_again() {
    let app = start().await;
    let councillor = app.sign_in_as("councillor").await;
    let first = open_case(&app, None).await;
    let page = app.page(&format!("/cases/{first}")).await;
    let link = format!("/cases/new?from_case={first}");
    let found = Selector::parse(&format!("a[href='{link}']")).expect("selector");
    assert!(page.select(&found).next().is_some(), "offered from the earlier case");

    let form_page = app.page(&link).await;
    assert!(text_of(&form_page, "form").contains("Amara Osei"), "the resident named");
    assert!(form_page.select(&Selector::parse("input[name='name']").expect("selector")).next().is_none());
    let form = Selector::parse("form[action='/cases']").expect("selector");
    let form = form_page.select(&form).next().expect("the new case form");
    let ward = form_page.select(&Selector::parse("input[name='ward']").expect("selector")).next();
    assert_eq!(ward.and_then(|w| w.value().attr("value")), Some("Plaistow North"), "the ward as before");
    let category = options(&form_page, "category").into_iter().next().expect("a category").0;
    let hidden_fields: Vec<(String, String)> = ["csrf", "idempotency_key", "resident_id", "from_case"]
        .iter()
        .map(|name| ((*name).to_owned(), hidden(&form, name)))
        .collect();
    let mut fields: Vec<(&str, &str)> = hidden_fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    fields.extend([("ward", "Plaistow North"), ("category", category.as_str())]);
    fields.push(("summary", "The streetlight outside number 9 is out too"));

    // Without how it came in: explained, and still for the same resident.
    let refused = app.post("/cases", &fields).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = Html::parse_document(&refused.text().await.expect("body"));
    assert!(text_of(&refused, ".govuk-error-summary").contains("Select how it came in"));
    assert!(text_of(&refused, "form").contains("Amara Osei"));

    fields.push(("channel", "email"));
    let opened = app.post("/cases", &fields).await;
    assert_eq!(opened.status(), StatusCode::SEE_OTHER, "{}", opened.text().await.unwrap_or_default());
    let location = opened.headers()["location"].to_str().expect("location").to_owned();
    let second = location.trim_start_matches("/cases/").trim_end_matches("?done=opened");
    let first = app.api_get(&councillor, "councillor", &format!("/cases/{first}")).await;
    let second = app.api_get(&councillor, "councillor", &format!("/cases/{second}")).await;
    assert_ne!(first["id"], second["id"]);
    assert_eq!(first["resident_id"], second["resident_id"], "the same resident: {second}");
    assert_eq!(second["resident"]["name"], "Amara Osei");
}

#[tokio::test]
async fn a_closed_case_is_kept_longer_with_a_reason_and_shows_the_day_its_personal_data_goes() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let new_form = app.page("/cases/new").await;
    let owner = options(&new_form, "owner_id").into_iter().next().expect("a member").0;
    let id = open_case(&app, Some(&owner)).await;
    let sent = take_step(&app, &id, "closure", &[("outcome", "not_resolved")]).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let path = format!("/cases/{id}");
    let closed = app.api_get("demo-assistant", "assistant", &path).await;
    let erase_on = closed["erase_on"].as_str().expect("a closed case's erasure day").to_owned();
    assert!(text_of(&app.page(&path).await, "main").contains("Personal data erased on"));

    // Not a number, then not longer than the group's period: each explained at the field.
    let refused =
        take_step(&app, &id, "retention", &[("months", "six years"), ("reason", "Ombudsman")]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = Html::parse_document(&refused.text().await.expect("body"));
    assert!(text_of(&page, "#retention-months-error").contains("whole number"));
    let refused = take_step(&app, &id, "retention", &[("months", "12"), ("reason", "Ombudsman")]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = Html::parse_document(&refused.text().await.expect("body"));
    assert!(text_of(&page, "#retention-months-error").contains("longer than"), "{}", text_of(&page, "main"));

    let reason = "A complaint to the Local Government Ombudsman";
    let sent = take_step(&app, &id, "retention", &[("months", "72"), ("reason", reason)]).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap_or_default());
    let kept = app.api_get("demo-assistant", "assistant", &path).await;
    assert_eq!(kept["retention"]["months"], 72, "{kept}");
    assert_eq!(kept["retention"]["reason"], reason);
    assert!(kept["erase_on"].as_str().expect("day") > erase_on.as_str(), "later than before");
    let shown = app.page(&format!("{path}?done=retention")).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("kept longer"));
    let summary = text_of(&shown, ".govuk-summary-list");
    assert!(summary.contains("kept 72 months after closing") && summary.contains(reason), "{summary}");
}

#[tokio::test]
async fn a_leaving_councillors_open_case_waits_on_the_handover_page_until_it_is_handed_over() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let new_form = app.page("/cases/new").await;
    let (owner, name) = options(&new_form, "owner_id").into_iter().next().expect("a councillor to own it");
    let id = open_case(&app, Some(&owner)).await;
    let home = app.page("/cases").await;
    assert_eq!(select(&home, "nav a[href='/case-handovers']").len(), 1, "the office's Cases section");
    assert!(!case_links(&app.page("/case-handovers").await).contains(&id), "its owner is still here");

    let departure = serde_json::json!({"on": "2026-05-07", "reason": "Stood down at the election"});
    let path = format!("/members/{owner}/departure");
    let (status, _) =
        app.api_send(("demo-assistant", "assistant"), reqwest::Method::POST, &path, &departure, None).await;
    assert_eq!(status, StatusCode::OK);
    let waiting = app.page("/case-handovers").await;
    assert!(case_links(&waiting).contains(&id), "the case waits for a new owner");
    let text = text_of(&waiting, "main");
    assert!(text.contains(&name) && text.contains("Left the group on 7 May 2026"), "{text}");

    let offered = options(&app.page(&format!("/cases/{id}")).await, "to");
    let of_ward: Vec<bool> =
        offered.iter().map(|(_, text)| text.ends_with(", councillor for Plaistow North")).collect();
    assert!(of_ward.first() == Some(&true), "the case's ward's councillors come first: {offered:?}");
    assert!(of_ward.windows(2).all(|w| w[0] || !w[1]), "then the others: {offered:?}");
    let to = offered[0].0.clone();
    assert!(offered.iter().all(|(id, _)| *id != owner), "nobody who has left is offered");
    let sent = take_step(&app, &id, "handover", &[("to", &to)]).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert!(!case_links(&app.page("/case-handovers").await).contains(&id), "handed over, it waits no more");

    app.sign_in_as("councillor").await;
    assert!(select(&app.page("/cases").await, "nav a[href='/case-handovers']").is_empty());
    assert_eq!(app.get("/case-handovers").await.status(), StatusCode::FORBIDDEN);
}
