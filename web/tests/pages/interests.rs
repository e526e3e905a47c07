//! Probity (issue 18): the registers of interests. The sample's registers
//! listed for the office, a councillor told in words they may not list
//! them; a councillor registers an interest on their own register through
//! its form (it is in the api afterwards) and is refused another's in
//! words; a refused entry shows its error summary; the office changes and
//! removes an entry; the review lists the sample's two omissions, one made
//! good through its "make the entry" link and one dismissed with a reason,
//! and downloads as Markdown; a councillor registers the hospitality it
//! asks of her in pounds (pence in the api, the event's task met); the
//! year-on-year changes show the entries added; My work links a 28-day
//! clock to the member's register.

use reqwest::StatusCode;
use serde_json::Value;

use crate::actions::{fields_of, form, html, select, send, with};
use crate::support::*;

const ASSISTANT: (&str, &str) = ("demo-assistant", "assistant");

async fn api(app: &Running, path: &str) -> Value {
    app.api_get(ASSISTANT.0, ASSISTANT.1, path).await
}

/// The id of the sample's member called `name`.
async fn member_named(app: &Running, name: &str) -> String {
    let members = api(app, "/members?limit=200").await;
    let member = members["items"].as_array().expect("items").iter().find(|m| m["name"] == name).expect(name);
    member["id"].as_str().expect("id").to_owned()
}

/// The descriptions of the entries on `member`'s register, as the api holds them.
async fn descriptions(app: &Running, member: &str) -> Vec<String> {
    let register = api(app, &format!("/registers/{member}")).await;
    register["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["description"].as_str().map(str::to_owned))
        .collect()
}

/// The review's items as the api lists them.
async fn review_items(app: &Running) -> Vec<Value> {
    api(app, "/interests-review").await["items"].as_array().expect("items").clone()
}

#[tokio::test]
async fn the_samples_registers_are_listed_for_the_office_and_refused_a_councillor_in_words() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let page = app.page("/registers").await;
    let held = api(&app, "/registers").await;
    let items = held["items"].as_array().expect("items");
    let links: Vec<String> = select(&page, "tbody a[href^='/registers/']")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .map(str::to_owned)
        .collect();
    let expected: Vec<String> =
        items.iter().map(|r| format!("/registers/{}", r["member_id"].as_str().expect("id"))).collect();
    assert_eq!(links, expected, "every current member's register, in the api's order");
    let amina = items.iter().find(|r| r["member_name"] == "Amina Begum").expect("the Leader's register");
    let row = select(&page, "tbody tr")
        .into_iter()
        .map(|r| r.text().collect::<String>())
        .find(|r| r.contains("Amina Begum"))
        .expect("her row");
    assert!(row.contains(&amina["entries"].to_string()), "{row}");
    assert!(!select(&page, "a[href='/interests-review']").is_empty(), "the review is linked");
    let navigation = text_of(&page, ".caucus-sections");
    assert!(navigation.contains("Interests"), "{navigation}");

    app.sign_in_as("councillor").await;
    let refused = app.get("/registers").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let refused = html(refused).await;
    assert!(text_of(&refused, "h1").contains("You cannot do that"));
    assert!(text_of(&refused, "main").contains("Your role does not allow it"));
    let home = app.page("/").await;
    assert!(select(&home, "a[href='/registers']").is_empty(), "no Interests link for a councillor");
}

#[tokio::test]
async fn a_councillor_registers_an_interest_on_their_own_register_and_is_refused_anothers() {
    let app = start().await;
    let own = app.sign_in_as("councillor").await;
    let profile = app.page(&format!("/members/{own}")).await;
    assert!(
        !select(&profile, &format!("a[href='/registers/{own}']")).is_empty(),
        "their member page links it"
    );
    let page = app.page(&format!("/registers/{own}")).await;
    assert!(text_of(&page, "main").contains("Governor, Godwin Primary School"), "her sample entry");
    let action = format!("/registers/{own}/entries");
    let fields = fields_of(&form(&page, &action));
    let typed =
        with(with(fields, "category", "charity"), "description", "Trustee, Forest Gate Community Garden");
    let sent = send(&app, &action, &typed).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let location = sent.headers()["location"].to_str().expect("location").to_owned();
    assert_eq!(location, format!("/registers/{own}?done=registered"));
    assert!(descriptions(&app, &own).await.contains(&"Trustee, Forest Gate Community Garden".to_owned()));
    let shown = app.page(&location).await;
    assert!(text_of(&shown, ".govuk-notification-banner").contains("The interest was registered"));
    assert!(text_of(&shown, "main").contains("Trustee, Forest Gate Community Garden"));
    // Sent again (a double click): recorded once.
    let again = send(&app, &action, &typed).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    let count = descriptions(&app, &own).await.iter().filter(|d| d.contains("Forest Gate Community")).count();
    assert_eq!(count, 1);

    // Another member's register: refused in words, and so is writing to it.
    let other = member_named(&app, "Amina Begum").await;
    let refused = app.get(&format!("/registers/{other}")).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(text_of(&html(refused).await, "main").contains("Your role does not allow it"));
    let written = send(&app, &format!("/registers/{other}/entries"), &typed).await;
    assert_eq!(written.status(), StatusCode::FORBIDDEN);
    let other_profile = app.page(&format!("/members/{other}")).await;
    assert!(
        select(&other_profile, &format!("a[href='/registers/{other}']")).is_empty(),
        "no link to another's"
    );
}

#[tokio::test]
async fn a_refused_entry_shows_an_error_summary_linking_its_fields() {
    let app = start().await;
    let own = app.sign_in_as("councillor").await;
    let page = app.page(&format!("/registers/{own}")).await;
    let action = format!("/registers/{own}/entries");
    let fields = fields_of(&form(&page, &action));

    // No description: the api's 422, at the field.
    let refused = send(&app, &action, &with(fields.clone(), "category", "land")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, ".govuk-error-summary a[href='#description']").is_empty());
    assert!(!select(&refused, "#description-error").is_empty());
    assert!(!select(&refused, "input[name='category'][value='land'][checked]").is_empty(), "as it was sent");

    // A gift without its value, giver or day: said at each.
    let gift = with(with(fields, "category", "gifts_hospitality"), "description", "Dinner");
    let refused = html(send(&app, &action, &gift).await).await;
    for id in ["gift-value", "gift-giver", "gift-received-on-day"] {
        assert!(!select(&refused, &format!(".govuk-error-summary a[href='#{id}']")).is_empty(), "{id}");
    }

    // Nothing to declare without a category.
    let nothing = fields_of(&select(&page, &format!("form[action='{action}']"))[1]);
    let refused = send(&app, &action, &nothing).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = html(refused).await;
    assert!(!select(&refused, ".govuk-error-summary a[href='#nothing-category']").is_empty());
}

#[tokio::test]
async fn the_office_registers_nothing_to_declare_changes_and_removes_an_entry_and_confirms_a_register() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let member = member_named(&app, "Helen Whitmore").await;
    let page = app.page(&format!("/registers/{member}")).await;
    let action = format!("/registers/{member}/entries");
    let nothing = fields_of(&select(&page, &format!("form[action='{action}']"))[1]);
    let sent = send(&app, &action, &with(nothing, "category", "sponsorship")).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let register = api(&app, &format!("/registers/{member}")).await;
    let entries = register["entries"].as_array().expect("entries");
    assert!(
        entries.iter().any(|e| e["category"] == "sponsorship" && e["declaration"] == "nothing_to_declare")
    );

    let entry = entries.iter().find(|e| e["category"] == "securities").expect("her shares");
    let id = entry["id"].as_str().expect("id");
    let page = app.page(&format!("/registers/{member}")).await;
    let link = format!("/registers/{member}/entries/{id}");
    assert!(!select(&page, &format!("a[href='{link}']")).is_empty(), "each entry links its page");
    let entry_page = app.page(&link).await;
    let changed =
        with(fields_of(&form(&entry_page, &link)), "description", "Shares over £25,000 in Whitmore & Co Ltd");
    let sent = send(&app, &link, &changed).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(sent.headers()["location"], format!("/registers/{member}?done=changed").as_str());
    assert!(
        descriptions(&app, &member).await.contains(&"Shares over £25,000 in Whitmore & Co Ltd".to_owned())
    );

    // Sent with the version it was shown at, now stale: refused in words.
    let stale = send(&app, &link, &with(changed, "idempotency_key", "another-key-0001")).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);

    let removal = format!("{link}/removal");
    let entry_page = app.page(&link).await;
    let fields = fields_of(&form(&entry_page, &removal));
    let refused = send(&app, &removal, &fields).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!select(&html(refused).await, ".govuk-error-summary a[href='#reason']").is_empty());
    let sent = send(&app, &removal, &with(fields, "reason", "Sold in November")).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let register = api(&app, &format!("/registers/{member}")).await;
    let removed = register["removed"].as_array().expect("removed");
    assert!(removed.iter().any(|e| e["id"] == id && e["removal_reason"] == "Sold in November"), "{register}");
    let page = app.page(&format!("/registers/{member}?done=removed")).await;
    assert!(text_of(&page, "main").contains("Sold in November"), "the removed entries show why");

    let confirmation = format!("/registers/{member}/confirmation");
    let sent = send(&app, &confirmation, &fields_of(&form(&page, &confirmation))).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let register = api(&app, &format!("/registers/{member}")).await;
    assert!(register["confirmed_on"].is_string(), "{register}");
    let history = app.page(&format!("/history/register/{member}")).await;
    assert!(text_of(&history, "h1").contains("Register of interests"), "the register's history");
}

#[tokio::test]
async fn the_review_lists_the_samples_two_omissions_made_good_or_dismissed_through_its_forms() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let page = app.page("/interests-review").await;
    let text = text_of(&page, "main");
    for said in
        ["Daniel Kowalski", "Lee Valley Regional Park Authority", "Priya Sharma", "London Housing Conference"]
    {
        assert!(text.contains(said), "{said}: {text}");
    }
    let items = review_items(&app).await;
    assert_eq!(items.len(), 2, "{items:?}");
    let item_of = |name: &str| items.iter().find(|i| i["member_name"] == name).expect(name).clone();
    let (seat, hospitality) = (item_of("Daniel Kowalski"), item_of("Priya Sharma"));

    // Dismissing the hospitality: a reason is needed, then it no longer shows.
    let id = hospitality["id"].as_str().expect("id");
    let action = format!("/interests-review/{id}/dismissal");
    let fields = fields_of(&form(&page, &action));
    let refused = send(&app, &action, &fields).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        !select(&html(refused).await, &format!(".govuk-error-summary a[href='#reason-{id}']")).is_empty()
    );
    let sent = send(&app, &action, &with(fields, "reason", "She paid for her own lunch")).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(sent.headers()["location"], "/interests-review?done=dismissed");
    assert!(review_items(&app).await.iter().all(|i| i["id"] != id), "dismissed");
    let shown = app.page("/interests-review?done=dismissed").await;
    assert!(!text_of(&shown, "main").contains("London Housing Conference"));
    assert!(text_of(&shown, ".govuk-notification-banner").contains("dismissed"));

    // The seat: its link opens the member's form with the body chosen.
    let daniel = seat["member_id"].as_str().expect("member");
    let make = select(&shown, &format!("a[href^='/registers/{daniel}?']"))
        .first()
        .and_then(|a| a.value().attr("href"))
        .expect("make the entry")
        .to_owned();
    let register = app.page(make.split('#').next().expect("path")).await;
    let action = format!("/registers/{daniel}/entries");
    let fields = fields_of(&form(&register, &action));
    assert!(fields.contains(&("category".to_owned(), "appointed_body".to_owned())), "{fields:?}");
    let body = fields.iter().find(|(n, _)| n == "body_id").map(|(_, v)| v.clone()).unwrap_or_default();
    assert!(!body.is_empty(), "the seat's body chosen: {fields:?}");
    let sent =
        send(&app, &action, &with(fields, "description", "Member, Lee Valley Regional Park Authority")).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert!(review_items(&app).await.is_empty(), "the entry made, no omission is left");

    // The review as Markdown, with the person's token.
    let markdown = app.get("/interests-review.md").await;
    assert_eq!(markdown.status(), StatusCode::OK);
    let disposition = markdown.headers()["content-disposition"].to_str().expect("disposition").to_owned();
    assert!(disposition.contains("interests-review-") && disposition.contains(".md"), "{disposition}");
    assert!(markdown.text().await.expect("body").contains('#'), "Markdown");
}

#[tokio::test]
async fn the_changes_page_shows_the_entries_added_over_the_year() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let member = member_named(&app, "Amina Begum").await;
    let register = app.page(&format!("/registers/{member}")).await;
    let link = format!("/registers/{member}/changes");
    assert!(!select(&register, &format!("a[href='{link}']")).is_empty(), "the register links its changes");
    let page = app.page(&link).await;
    let added = select(&page, "table")
        .into_iter()
        .find(|t| t.text().collect::<String>().contains("Added"))
        .map(|t| t.text().collect::<String>())
        .expect("the added table");
    assert!(added.contains("Housing consultant (self-employed), two days a week"), "{added}");
    assert!(
        !select(&page, "select[name='from']").is_empty() && !select(&page, "select[name='to']").is_empty()
    );

    // The later day before the earlier: said at the form.
    let refused = app.get(&format!("{link}?from=2026-01-01&to=2025-01-01")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!select(&html(refused).await, ".govuk-error-summary a[href='#to']").is_empty());
}

#[tokio::test]
async fn my_work_links_a_register_clock_to_the_members_register() {
    let app = start().await;
    app.sign_in_as("assistant").await;
    let work = api(&app, "/my-work").await;
    let clocks: Vec<&Value> = work["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["kind"] == "register_of_interests")
        .collect();
    assert!(!clocks.is_empty(), "the sample's seat on the Lee Valley Regional Park Authority: {work}");
    let home = app.page("/").await;
    for clock in clocks {
        let member = clock["url"].as_str().expect("url").rsplit('/').next().expect("id");
        let href = format!("/registers/{member}");
        assert!(!select(&home, &format!("a[href='{href}']")).is_empty(), "{href}");
        app.page(&href).await;
    }
}

#[tokio::test]
async fn a_councillor_registers_the_hospitality_asked_for_in_pounds_and_it_meets_the_events_task() {
    let app = start().await;
    let own = app.sign_in_as("councillor").await;
    let items = review_items(&app).await;
    let hospitality = items.iter().find(|i| i["member_id"] == own.as_str()).expect("her hospitality item");
    let event = hospitality["evidence"]["record_id"].as_str().expect("the event");
    let on: chrono::NaiveDate = hospitality["evidence"]["on"].as_str().expect("day").parse().expect("a day");
    let page = app.page(&format!("/registers/{own}?category=gifts_hospitality&record={event}")).await;
    let action = format!("/registers/{own}/entries");
    let fields = fields_of(&form(&page, &action));
    assert!(fields.contains(&("event_id".to_owned(), event.to_owned())), "the event named: {fields:?}");
    assert!(fields.contains(&("category".to_owned(), "gifts_hospitality".to_owned())), "{fields:?}");
    let typed = [
        ("description", "Lunch at the London Housing Conference"),
        ("gift_value", "£85.50"),
        ("gift_giver", "London Housing Associations Forum"),
    ]
    .into_iter()
    .fold(fields, |fields, (name, value)| with(fields, name, value));
    let dated = [
        ("gift_received_on-day", on.format("%-d").to_string()),
        ("gift_received_on-month", on.format("%-m").to_string()),
        ("gift_received_on-year", on.format("%Y").to_string()),
    ]
    .into_iter()
    .fold(typed, |fields, (name, value)| with(fields, name, &value));
    let sent = send(&app, &action, &dated).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let register = api(&app, &format!("/registers/{own}")).await;
    let gift = register["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .find_map(|e| e["gift"].as_object().cloned())
        .expect("the gift");
    assert_eq!(gift["value_pence"], 8_550, "pounds read exactly into pence");
    assert_eq!(gift["event_id"], event);
    assert!(
        review_items(&app).await.iter().all(|i| i["member_id"] != own.as_str()),
        "her omission is made good"
    );
    let shown = app.page(&format!("/registers/{own}")).await;
    assert!(text_of(&shown, "main").contains("£85.50 from London Housing Associations Forum"));
}
