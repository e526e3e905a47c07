//! Publications over HTTP: the approval workflow, expiry, social text limits,
//! and what the publisher records back (receipts, deliveries).

use chrono::{Duration, SecondsFormat, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, json, problem, subject};
use crate::on_both_stores;

pub fn press_release(title: &str) -> Value {
    json!({
        "kind": "press_release",
        "author_name": "Newham Labour Group",
        "title": title,
        "summary": "The Cabinet drops the closure after the group's campaign.",
        "body_markdown": "The **library** stays open.\n\nCllr Patel said: \"We listened.\"",
        "tags": ["libraries", "Stratford"],
        "image": {"url": "/images/library.jpg", "alt": "Stratford library's front door"},
        "social_text": {
            "mastodon": "The library stays open! https://newhamlabour.org.uk/news/library-saved",
            "x": "The library stays open! 📚 https://newhamlabour.org.uk/news/library-saved"
        }
    })
}

/// A press release's content alone, as an edit sends it.
pub fn content_of(title: &str) -> Value {
    let mut content = press_release(title);
    let fields = content.as_object_mut().expect("object");
    fields.remove("kind");
    fields.remove("author_name");
    content
}

fn in_time(offset: Duration) -> String {
    (Utc::now() + offset).to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Drafts `body` with `token`; returns the publication's id.
pub async fn draft(app: &TestApp, token: &str, body: &Value) -> String {
    let created = json(app.post("/publications", token, body).await, StatusCode::CREATED).await;
    created["id"].as_str().expect("id").to_owned()
}

async fn step(app: &TestApp, id: &str, what: &str, token: &str, body: Value, expected: StatusCode) -> Value {
    let response = app.post(&format!("/publications/{id}/{what}"), token, &body).await;
    if expected.is_success() { json(response, expected).await } else { problem(response, expected).await }
}

/// Drafts, submits, approves (leader) and schedules a press release due a
/// minute ago, so it is live; returns its id.
pub async fn live_press_release(app: &TestApp, title: &str) -> String {
    scheduled_press_release(app, title, -Duration::minutes(1)).await
}

/// Drafts, submits, approves (leader) and schedules a press release to go
/// out `from_now`; returns its id.
async fn scheduled_press_release(app: &TestApp, title: &str, from_now: Duration) -> String {
    let assistant = app.token("assistant");
    let id = draft(app, &assistant, &press_release(title)).await;
    step(app, &id, "submission", &assistant, json!({}), StatusCode::OK).await;
    step(app, &id, "approval", &app.token("leader"), json!({}), StatusCode::OK).await;
    let when = json!({"publish_at": in_time(from_now)});
    step(app, &id, "schedule", &assistant, when, StatusCode::OK).await;
    id
}

fn social_post(network: &str, text: &str) -> Value {
    json!({
        "kind": "social_post",
        "author_name": "Newham Labour Group",
        "title": format!("Post for {network}"),
        "social_text": {network: text}
    })
}

on_both_stores! {
    async fn a_press_release_goes_from_draft_to_published_and_is_withdrawn(app: backend) {
        let assistant = app.token("assistant");
        let publisher = app.token("publisher");
        let id = draft(&app, &assistant, &press_release("Library saved")).await;
        let read = json(app.get(&format!("/publications/{id}"), &assistant).await, StatusCode::OK).await;
        assert_eq!(read["status"], "draft");
        assert_eq!(read["slug"], "library-saved");
        assert_eq!(read["classification"], "group");
        assert_eq!(read["live"], false);
        // The publisher never sees a draft.
        problem(app.get(&format!("/publications/{id}"), &publisher).await, StatusCode::NOT_FOUND).await;

        let submitted = step(&app, &id, "submission", &assistant, json!({}), StatusCode::OK).await;
        assert_eq!(submitted["status"], "submitted");
        let approved = step(&app, &id, "approval", &app.token("officer"), json!({}), StatusCode::OK).await;
        assert_eq!(approved["status"], "approved");
        assert_eq!(approved["approval"]["by"], subject("officer"));
        assert_eq!(approved["classification"], "group", "approved but unscheduled is not public");

        let when = in_time(-Duration::seconds(5));
        let scheduled = step(&app, &id, "schedule", &assistant, json!({"publish_at": when}), StatusCode::OK).await;
        assert_eq!(scheduled["status"], "scheduled");
        assert_eq!(scheduled["classification"], "public");
        assert_eq!(scheduled["live"], true);
        assert_eq!(scheduled["deliveries"]["x"]["state"], "pending");

        let page_url = "https://newhamlabour.org.uk/news/library-saved/";
        let receipt = json!({"channel": "website", "url": page_url, "at": in_time(Duration::zero())});
        let published = step(&app, &id, "receipts", &publisher, receipt.clone(), StatusCode::OK).await;
        assert_eq!(published["status"], "published");
        assert_eq!(published["receipts"][0]["channel"], "website");
        assert_eq!(published["receipts"][0]["url"], page_url);
        assert!(published["published_at"].is_string());

        let listed = json(app.get("/publications?status=published", &publisher).await, StatusCode::OK).await;
        assert_eq!(listed["items"].as_array().expect("items").len(), 1);

        let withdrawn = step(&app, &id, "withdrawal", &app.token("leader"), json!({"reason": "Superseded by the Cabinet's U-turn"}), StatusCode::OK).await;
        assert_eq!(withdrawn["status"], "withdrawn");
        assert_eq!(withdrawn["withdrawal"]["note"], "Superseded by the Cabinet's U-turn");
        assert_eq!(withdrawn["receipts"].as_array().expect("receipts").len(), 1, "the record of where it went stays");
        // Out of the publisher's sight, so the next build drops the page.
        problem(app.get(&format!("/publications/{id}"), &publisher).await, StatusCode::NOT_FOUND).await;
    }

    async fn the_author_may_not_approve_their_own_press_release(app: backend) {
        let leader = app.token("leader");
        let id = draft(&app, &leader, &press_release("Leader's column")).await;
        step(&app, &id, "submission", &leader, json!({}), StatusCode::OK).await;
        let refused = step(&app, &id, "approval", &leader, json!({}), StatusCode::FORBIDDEN).await;
        assert!(refused["detail"].as_str().expect("detail").contains("author"), "{refused}");
        let approved = step(&app, &id, "approval", &app.token("officer"), json!({}), StatusCode::OK).await;
        assert_eq!(approved["status"], "approved");
    }

    async fn councillors_draft_their_own_but_never_approve(app: backend) {
        let member = uuid::Uuid::new_v4().to_string();
        let councillor = app.token_as(&member, "councillor");
        let mut body = press_release("Ward news");
        body["author_member_id"] = json!(member);
        let own = draft(&app, &councillor, &body).await;
        step(&app, &own, "submission", &councillor, json!({}), StatusCode::OK).await;
        step(&app, &own, "approval", &councillor, json!({}), StatusCode::FORBIDDEN).await;
        let others = draft(&app, &app.token("assistant"), &press_release("Office draft")).await;
        let edit = app.client.put(app.api(&format!("/publications/{others}/content")))
            .bearer_auth(&councillor).json(&content_of("Hijacked")).send().await.expect("put");
        problem(edit, StatusCode::FORBIDDEN).await;
        // The publisher records receipts but may not approve or draft.
        step(&app, &own, "approval", &app.token("publisher"), json!({}), StatusCode::FORBIDDEN).await;
        problem(app.post("/publications", &app.token("publisher"), &press_release("x")).await, StatusCode::FORBIDDEN).await;
        let mine = json(app.get(&format!("/publications/{own}"), &councillor).await, StatusCode::OK).await;
        assert_eq!(mine["author"]["member_id"], member);
    }

    async fn a_submission_not_approved_by_its_time_expires(app: backend) {
        let assistant = app.token("assistant");
        let mut body = press_release("Budget response");
        body["publish_at"] = json!(in_time(Duration::seconds(4)));
        let id = draft(&app, &assistant, &body).await;
        step(&app, &id, "submission", &assistant, json!({}), StatusCode::OK).await;
        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        let read = json(app.get(&format!("/publications/{id}"), &assistant).await, StatusCode::OK).await;
        assert_eq!(read["status"], "expired");
        let expired = json(app.get("/publications?status=expired", &assistant).await, StatusCode::OK).await;
        assert_eq!(expired["items"][0]["id"], id);
        let submitted = json(app.get("/publications?status=submitted", &assistant).await, StatusCode::OK).await;
        assert_eq!(submitted["items"].as_array().expect("items").len(), 0);
        let refused = step(&app, &id, "approval", &app.token("leader"), json!({}), StatusCode::CONFLICT).await;
        assert!(refused["detail"].as_str().expect("detail").contains("expired"), "{refused}");
        // The way out: reject it, and the author revises it.
        let rejected = step(&app, &id, "rejection", &app.token("leader"), json!({"note": "Too late: re-date it"}), StatusCode::OK).await;
        assert_eq!(rejected["status"], "rejected");
    }

    async fn rejection_needs_a_note_and_an_edit_returns_it_to_draft(app: backend) {
        let assistant = app.token("assistant");
        let id = draft(&app, &assistant, &press_release("Housing")).await;
        step(&app, &id, "submission", &assistant, json!({}), StatusCode::OK).await;
        let blank = step(&app, &id, "rejection", &app.token("leader"), json!({"note": "  "}), StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(blank["errors"][0]["pointer"], "/note");
        step(&app, &id, "rejection", &app.token("leader"), json!({"note": "Add the Cabinet's figures"}), StatusCode::OK).await;
        let revised = content_of("Housing: the figures");
        let edit = app.client.put(app.api(&format!("/publications/{id}/content")))
            .bearer_auth(&assistant).json(&revised).send().await.expect("put");
        let edited = json(edit, StatusCode::OK).await;
        assert_eq!(edited["status"], "draft");
        assert_eq!(edited["title"], "Housing: the figures");
        assert_eq!(edited["rejection"]["note"], "Add the Cabinet's figures");
        // Submitted content is frozen.
        step(&app, &id, "submission", &assistant, json!({}), StatusCode::OK).await;
        let again = app.client.put(app.api(&format!("/publications/{id}/content")))
            .bearer_auth(&assistant).json(&revised).send().await.expect("put");
        problem(again, StatusCode::CONFLICT).await;
    }

    async fn each_networks_limit_is_checked_at_submission_and_the_422_says_by_how_much(app: backend) {
        let assistant = app.token("assistant");
        let cases = [
            // 270 CJK weighted characters + a space + a URL (23) = 294 on X.
            ("x", format!("{} https://newhamlabour.org.uk/news/2026/03/a-very-long-address-indeed", "字".repeat(135)), 14, "weighted characters"),
            ("bluesky", "👍🏽".repeat(301), 1, "grapheme"),
            ("mastodon", "a".repeat(502), 2, "characters"),
            ("linkedin", "é".repeat(3_003), 3, "characters"),
            ("facebook", "a".repeat(63_210), 4, "characters"),
        ];
        for (network, text, over, unit) in cases {
            let id = draft(&app, &assistant, &social_post(network, &text)).await;
            // The draft says its length as submission will count it, beside the limit.
            let read = json(app.get(&format!("/publications/{id}"), &assistant).await, StatusCode::OK).await;
            let counted = &read["social_lengths"][network];
            assert_eq!(counted["length"].as_u64().expect("length") - counted["max"].as_u64().expect("max"), over, "{network}: {counted}");
            let refused = step(&app, &id, "submission", &assistant, json!({}), StatusCode::UNPROCESSABLE_ENTITY).await;
            let detail = refused["detail"].as_str().expect("detail");
            assert!(detail.contains(&format!("the {network} text is {over} {unit}")), "{network}: {refused}");
            assert_eq!(refused["errors"][0]["pointer"], format!("/social_text/{network}"), "{refused}");
        }
        // At the limit is fine: 280 weighted on X with emoji and a URL.
        let fits = format!("{}{} https://newhamlabour.org.uk/a-long-path-that-counts-as-23", "a".repeat(252), "📚".repeat(2));
        let id = draft(&app, &assistant, &social_post("x", &fits)).await;
        step(&app, &id, "submission", &assistant, json!({}), StatusCode::OK).await;
    }

    async fn two_live_publications_may_not_share_a_slug(app: backend) {
        live_press_release(&app, "Library saved").await;
        let assistant = app.token("assistant");
        let id = draft(&app, &assistant, &press_release("Library saved")).await;
        step(&app, &id, "submission", &assistant, json!({}), StatusCode::OK).await;
        step(&app, &id, "approval", &app.token("leader"), json!({}), StatusCode::OK).await;
        let when = json!({"publish_at": in_time(Duration::hours(1))});
        let refused = step(&app, &id, "schedule", &assistant, when, StatusCode::CONFLICT).await;
        assert!(refused["detail"].as_str().expect("detail").contains("library-saved"), "{refused}");
    }

    async fn two_approvers_at_once_give_one_approval_and_one_409(app: backend) {
        let assistant = app.token("assistant");
        let id = draft(&app, &assistant, &press_release("Concurrent")).await;
        step(&app, &id, "submission", &assistant, json!({}), StatusCode::OK).await;
        let path = format!("/publications/{id}/approval");
        let (leader, officer) = (app.token("leader"), app.token("officer"));
        let empty = json!({});
        let (a, b) = tokio::join!(app.post(&path, &leader, &empty), app.post(&path, &officer, &empty));
        let mut statuses = [a.status(), b.status()];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    }

    async fn receipts_are_idempotent_per_channel_and_url(app: backend) {
        let id = live_press_release(&app, "Idempotent").await;
        let publisher = app.token("publisher");
        let receipt = json!({"channel": "website", "url": "https://newhamlabour.org.uk/news/idempotent/", "at": in_time(Duration::zero())});
        let first = step(&app, &id, "receipts", &publisher, receipt.clone(), StatusCode::OK).await;
        let second = step(&app, &id, "receipts", &publisher, receipt, StatusCode::OK).await;
        assert_eq!(first["version"], second["version"]);
        assert_eq!(second["receipts"].as_array().expect("receipts").len(), 1);
        let unknown = json!({"channel": "myspace", "url": "https://myspace.com/x", "at": in_time(Duration::zero())});
        step(&app, &id, "receipts", &publisher, unknown, StatusCode::UNPROCESSABLE_ENTITY).await;
        // Only the publisher records receipts.
        let by_staff = json!({"channel": "website", "url": "https://newhamlabour.org.uk/other/", "at": in_time(Duration::zero())});
        step(&app, &id, "receipts", &app.token("assistant"), by_staff, StatusCode::FORBIDDEN).await;
    }

    async fn a_delivery_is_claimed_once_and_its_outcome_is_a_receipt(app: backend) {
        let id = live_press_release(&app, "Delivered").await;
        let publisher = app.token("publisher");
        let queue = json(app.get("/social-queue?due=true", &publisher).await, StatusCode::OK).await;
        let networks: Vec<&str> = queue["items"].as_array().expect("items").iter().map(|i| i["network"].as_str().expect("network")).collect();
        assert_eq!(networks, ["mastodon", "x"]);

        let claim = format!("/publications/{id}/deliveries/x/claim");
        let claimed = json(app.post(&claim, &publisher, &json!({})).await, StatusCode::OK).await;
        assert_eq!(claimed["deliveries"]["x"]["state"], "in_flight");
        assert_eq!(claimed["deliveries"]["x"]["attempts"], 1);
        let twice = problem(app.post(&claim, &publisher, &json!({})).await, StatusCode::CONFLICT).await;
        assert!(twice["detail"].as_str().expect("detail").contains("in flight"), "{twice}");

        let outcome = format!("/publications/{id}/deliveries/x/outcome");
        let post_url = "https://x.com/newhamlabour/status/1890";
        let delivered = json(app.post(&outcome, &publisher, &json!({"attempt": 1, "external_id": "1890", "url": post_url})).await, StatusCode::OK).await;
        assert_eq!(delivered["deliveries"]["x"]["state"], "delivered");
        assert_eq!(delivered["receipts"][0]["channel"], "x");
        assert_eq!(delivered["receipts"][0]["url"], post_url);
        problem(app.post(&claim, &publisher, &json!({})).await, StatusCode::CONFLICT).await;

        // A failure waits for its retry time.
        let mastodon = format!("/publications/{id}/deliveries/mastodon/claim");
        json(app.post(&mastodon, &publisher, &json!({})).await, StatusCode::OK).await;
        let failed = json!({"error": "503 from the instance", "retry_at": in_time(Duration::hours(1))});
        let after = json(app.post(&format!("/publications/{id}/deliveries/mastodon/outcome"), &publisher, &failed).await, StatusCode::OK).await;
        assert_eq!(after["deliveries"]["mastodon"]["state"], "failed");
        problem(app.post(&mastodon, &publisher, &json!({})).await, StatusCode::CONFLICT).await;
        let queue = json(app.get("/social-queue", &app.token("assistant")).await, StatusCode::OK).await;
        assert_eq!(queue["items"].as_array().expect("items").len(), 1, "{queue}");
        assert_eq!(queue["items"][0]["network"], "mastodon");
        assert_eq!(queue["items"][0]["due"], false);
        let due = json(app.get("/social-queue?due=true", &publisher).await, StatusCode::OK).await;
        assert_eq!(due["items"].as_array().expect("items").len(), 0);
        // A network without text has nothing to deliver.
        problem(app.post(&format!("/publications/{id}/deliveries/bluesky/claim"), &publisher, &json!({})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    }

    async fn the_social_queue_lists_the_soonest_due_first_and_a_limit_reads_its_head(app: backend) {
        // Scheduled out of order, so the order they were made is not the queue's.
        let in_three_days = scheduled_press_release(&app, "Budget day", Duration::days(3)).await;
        let tomorrow = scheduled_press_release(&app, "Ward walk", Duration::days(1)).await;
        let live = live_press_release(&app, "Library saved").await;
        let assistant = app.token("assistant");
        let publications = |queue: &Value| -> Vec<String> {
            let mut ids: Vec<String> = Vec::new();
            for item in queue["items"].as_array().expect("items") {
                let id = item["publication_id"].as_str().expect("id").to_owned();
                if ids.last() != Some(&id) {
                    ids.push(id);
                }
            }
            ids
        };
        let whole = json(app.get("/social-queue", &assistant).await, StatusCode::OK).await;
        assert_eq!(publications(&whole), [live.clone(), tomorrow.clone(), in_three_days], "{whole}");
        assert_eq!(whole["items"].as_array().expect("items").len(), 6, "two networks each: {whole}");
        assert_eq!(whole["more"], false);

        let head = json(app.get("/social-queue?limit=2", &assistant).await, StatusCode::OK).await;
        assert_eq!(publications(&head), [live.clone(), tomorrow], "{head}");
        assert_eq!(head["more"], true, "the one in three days waits beyond: {head}");
        let all = json(app.get("/social-queue?limit=3", &assistant).await, StatusCode::OK).await;
        assert_eq!(all["more"], false, "{all}");

        // Only what a publisher may claim now: the live one, not those to come.
        let due = json(app.get("/social-queue?due=true", &app.token("publisher")).await, StatusCode::OK).await;
        assert_eq!(publications(&due), [live], "{due}");
        assert!(due["items"].as_array().expect("items").iter().all(|i| i["due"] == true), "{due}");

        for bad in ["0", "501"] {
            let refused = problem(app.get(&format!("/social-queue?limit={bad}"), &assistant).await, StatusCode::BAD_REQUEST).await;
            assert!(refused["detail"].as_str().expect("detail").contains("between 1 and 500"), "{bad}: {refused}");
        }
        let unreadable = problem(app.get("/social-queue?limit=many", &assistant).await, StatusCode::BAD_REQUEST).await;
        assert_eq!(unreadable["detail"], "malformed query parameter `limit`: invalid digit found in string", "{unreadable}");
        let unknown = problem(app.get("/social-queue?sort=due", &assistant).await, StatusCode::BAD_REQUEST).await;
        assert!(unknown["detail"].as_str().expect("detail").contains("unknown field `sort`"), "{unknown}");
    }

    async fn lists_filter_by_kind_and_status_and_page_fully(app: backend) {
        let assistant = app.token("assistant");
        for n in 0..3 {
            draft(&app, &assistant, &press_release(&format!("Release {n}"))).await;
            draft(&app, &assistant, &social_post("bluesky", &format!("Post {n}"))).await;
        }
        let first = json(app.get("/publications?kind=social_post&limit=2", &assistant).await, StatusCode::OK).await;
        assert_eq!(first["items"].as_array().expect("items").len(), 2);
        assert!(first["items"].as_array().expect("items").iter().all(|i| i["kind"] == "social_post"));
        let cursor = first["next_cursor"].as_str().expect("a next page");
        let second = json(app.get(&format!("/publications?kind=social_post&limit=2&cursor={cursor}"), &assistant).await, StatusCode::OK).await;
        assert_eq!(second["items"].as_array().expect("items").len(), 1);
        assert!(second["next_cursor"].is_null());
        let drafts = json(app.get("/publications?status=draft&kind=press_release", &assistant).await, StatusCode::OK).await;
        assert_eq!(drafts["items"].as_array().expect("items").len(), 3);
    }
}

#[tokio::test]
async fn the_sample_group_has_publications_the_publisher_sees_only_when_approved() {
    let app = crate::helpers::spawn_sample_app().await;
    let staff = json(
        app.get("/publications", &app.token_for(caucus_api::sample::GROUP, "assistant")).await,
        StatusCode::OK,
    )
    .await;
    let statuses: Vec<&str> = staff["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|p| p["status"].as_str().expect("status"))
        .collect();
    assert_eq!(
        statuses,
        ["published", "published", "published", "published", "scheduled", "draft", "rejected"]
    );
    let public = json(
        app.get("/publications", &app.token_for(caucus_api::sample::GROUP, "publisher")).await,
        StatusCode::OK,
    )
    .await;
    let public = public["items"].as_array().expect("items");
    assert_eq!(public.len(), 5);
    assert!(public.iter().all(|p| p["status"] != "draft" && p["status"] != "rejected"));
    let scheduled = public.iter().find(|p| p["status"] == "scheduled").expect("the social post");
    assert_eq!(scheduled["live"], false, "due tomorrow");
    assert!(
        public
            .iter()
            .filter(|p| p["status"] == "published")
            .all(|p| p["receipts"][0]["channel"] == "website")
    );
}

#[tokio::test]
async fn the_mastodon_limit_is_the_configured_instances() {
    use caucus_api::domain::publication::SocialLimits;
    let (store, _dir) = crate::helpers::fresh_store(crate::helpers::Backend::Sqlite).await;
    let server = caucus_api::startup::Application::build_with(
        &store,
        crate::helpers::auth_config(crate::helpers::SECRET),
        "127.0.0.1:0".parse().expect("addr"),
        Some(1),
        caucus_api::startup::Settings {
            social_limits: SocialLimits { mastodon_max_chars: 1_000 },
            ..Default::default()
        },
    )
    .await
    .expect("application builds");
    let base = format!("http://{}/api/v1", server.address());
    tokio::spawn(server.run_until_stopped());
    let issuer = caucus_api::auth::TokenIssuer::shared_secret(
        crate::helpers::SECRET,
        crate::helpers::ISSUER,
        crate::helpers::AUDIENCE,
    );
    let token = issuer.mint("assistant-1", crate::helpers::GROUP, &["assistant"], 600).expect("mint");
    let client = reqwest::Client::new();
    for (length, expected) in [(900, StatusCode::OK), (1_001, StatusCode::UNPROCESSABLE_ENTITY)] {
        let created = client
            .post(format!("{base}/publications"))
            .bearer_auth(&token)
            .json(&social_post("mastodon", &"a".repeat(length)))
            .send()
            .await
            .expect("post");
        let id = json(created, StatusCode::CREATED).await["id"].as_str().expect("id").to_owned();
        let submitted = client
            .post(format!("{base}/publications/{id}/submission"))
            .bearer_auth(&token)
            .json(&json!({}))
            .send()
            .await
            .expect("post");
        assert_eq!(submitted.status(), expected, "{length} characters");
    }
}
