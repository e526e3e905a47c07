//! Each connector against a fake network that checks the requests it gets.

use caucus_api::domain::publication::Network;
use caucus_publisher::social::{Bluesky, Mastodon, Post, Secret, Webhook, record_key, signature};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::fake::{self, FakeServer};

fn post(network: Network, text: &str) -> Post {
    Post { publication_id: Uuid::new_v4(), network, text: text.to_owned(), publish_at: Some(Utc::now()) }
}

#[tokio::test]
async fn mastodon_posts_a_public_status_with_the_token_and_a_stable_idempotency_key() {
    let server = FakeServer::start(|_| (500, serde_json::json!({}))).await;
    server.respond_with(fake::mastodon(&server.url));
    let mastodon =
        Mastodon::new(reqwest::Client::new(), &format!("{}/", server.url), Secret::new("mastodon-token"))
            .expect("connector");
    let post = post(Network::Mastodon, "The library stays open! https://example.org/news/library");

    let delivered = mastodon.deliver(&post).await.expect("delivered");
    assert_eq!(delivered.external_id, "1001");
    assert_eq!(delivered.url, format!("{}/@group/1001", server.url));
    let seen = server.seen_at("POST", "/api/v1/statuses");
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].header("Authorization"), Some("Bearer mastodon-token"));
    let key = format!("caucus-{}-mastodon", post.publication_id);
    assert_eq!(seen[0].header("Idempotency-Key"), Some(key.as_str()));
    assert_eq!(seen[0].json()["status"], post.text);
    assert_eq!(seen[0].json()["visibility"], "public");

    // A retry (after a lost answer or a crash) sends the same key, and the
    // instance answers with the status it already made.
    let again = mastodon.deliver(&post).await.expect("deduplicated");
    assert_eq!(again, delivered);
    assert_eq!(server.seen()[1].header("Idempotency-Key"), Some(key.as_str()));
}

#[tokio::test]
async fn a_mastodon_refusal_names_the_status_and_the_instance_error_but_not_the_token() {
    let server = FakeServer::start(|_| {
        (422, serde_json::json!({"error": "Validation failed: Text character limit of 500 exceeded"}))
    })
    .await;
    let mastodon =
        Mastodon::new(reqwest::Client::new(), &server.url, Secret::new("mastodon-token")).expect("connector");
    let error = mastodon.deliver(&post(Network::Mastodon, "x")).await.expect_err("refused");
    assert!(error.0.contains("422") && error.0.contains("character limit"), "{error}");
    assert!(!error.0.contains("mastodon-token"));

    let unreachable =
        Mastodon::new(reqwest::Client::new(), "http://127.0.0.1:9", Secret::new("t")).expect("connector");
    let error = unreachable.deliver(&post(Network::Mastodon, "x")).await.expect_err("no server");
    assert!(error.0.contains("could not connect"), "{error}");
}

#[tokio::test]
async fn bluesky_logs_in_once_and_creates_a_post_record_with_link_facets_under_a_stable_key() {
    let server = FakeServer::start(fake::bluesky("group.bsky.social", "app-pass-1234")).await;
    let bluesky =
        Bluesky::new(reqwest::Client::new(), &server.url, "@group.bsky.social", Secret::new("app-pass-1234"))
            .expect("connector");
    let text = "Café reopens 📚 https://example.org/news/cafe";
    let post = post(Network::Bluesky, text);
    let rkey = record_key(&post);

    let delivered = bluesky.deliver(&post).await.expect("delivered");
    assert_eq!(delivered.url, format!("https://bsky.app/profile/group.bsky.social/post/{rkey}"));
    assert_eq!(delivered.external_id, format!("at://{}/app.bsky.feed.post/{rkey}", fake::DID));

    let session = server.seen_at("POST", "/xrpc/com.atproto.server.createSession");
    assert_eq!(session.len(), 1);
    assert_eq!(session[0].json()["identifier"], "group.bsky.social");
    assert_eq!(session[0].json()["password"], "app-pass-1234");
    let lookups = server.seen_at("GET", "/xrpc/com.atproto.repo.getRecord");
    assert_eq!(lookups.len(), 1);
    assert!(lookups[0].query.contains(&format!("rkey={rkey}")), "{}", lookups[0].query);
    let created = server.seen_at("POST", "/xrpc/com.atproto.repo.createRecord");
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].header("Authorization"), Some(format!("Bearer {}", fake::ACCESS).as_str()));
    let body = created[0].json();
    assert_eq!(body["repo"], fake::DID);
    assert_eq!(body["collection"], "app.bsky.feed.post");
    assert_eq!(body["rkey"], rkey.as_str());
    assert_eq!(body["record"]["$type"], "app.bsky.feed.post");
    assert_eq!(body["record"]["text"], text);
    let created_at = body["record"]["createdAt"].as_str().expect("createdAt");
    assert!(DateTime::parse_from_rfc3339(created_at).is_ok(), "{created_at}");
    let start = text.find("https").expect("link");
    let facet = &body["record"]["facets"][0];
    assert_eq!(facet["index"]["byteStart"], start);
    assert_eq!(facet["index"]["byteEnd"], text.len());
    assert_eq!(facet["features"][0]["$type"], "app.bsky.richtext.facet#link");
    assert_eq!(facet["features"][0]["uri"], "https://example.org/news/cafe");

    // Trying again finds the record under its key: nothing is posted twice,
    // and the session is reused.
    let again = bluesky.deliver(&post).await.expect("found");
    assert_eq!(again, delivered);
    assert_eq!(server.seen_at("POST", "/xrpc/com.atproto.repo.createRecord").len(), 1);
    assert_eq!(server.seen_at("POST", "/xrpc/com.atproto.server.createSession").len(), 1);
}

#[tokio::test]
async fn bluesky_with_a_wrong_password_fails_without_posting() {
    let server = FakeServer::start(fake::bluesky("group.bsky.social", "right")).await;
    let bluesky =
        Bluesky::new(reqwest::Client::new(), &server.url, "group.bsky.social", Secret::new("wrong"))
            .expect("connector");
    let error = bluesky.deliver(&post(Network::Bluesky, "x")).await.expect_err("refused");
    assert!(error.0.contains("401") && error.0.contains("AuthenticationRequired"), "{error}");
    assert!(!error.0.contains("wrong"));
    assert!(server.seen_at("POST", "/xrpc/com.atproto.repo.createRecord").is_empty());
}

#[tokio::test]
async fn the_webhook_gets_the_post_signed_over_its_exact_body() {
    let server = FakeServer::start(fake::webhook()).await;
    let url = format!("{}/hooks/caucus", server.url);
    let webhook = Webhook::new(reqwest::Client::new(), &url, Secret::new("hook-key")).expect("connector");
    let post = post(Network::Linkedin, "Our group's report back for November");

    let delivered = webhook.deliver(&post).await.expect("delivered");
    assert_eq!(delivered.external_id, "1");
    assert_eq!(delivered.url, "https://www.linkedin.com/feed/update/urn:li:share:1");
    let seen = server.seen_at("POST", "/hooks/caucus");
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].header("Content-Type"), Some("application/json"));
    assert_eq!(seen[0].header("X-Caucus-Signature"), Some(signature(b"hook-key", &seen[0].body).as_str()));
    assert_ne!(seen[0].header("X-Caucus-Signature"), Some(signature(b"other-key", &seen[0].body).as_str()));
    let key = format!("caucus-{}-linkedin", post.publication_id);
    assert_eq!(seen[0].header("Idempotency-Key"), Some(key.as_str()));
    let body = seen[0].json();
    assert_eq!(body["publication_id"], post.publication_id.to_string());
    assert_eq!(body["network"], "linkedin");
    assert_eq!(body["text"], post.text);
    assert_eq!(body["idempotency_key"], key);
    assert!(body["sent_at"].is_string());
    assert!(!String::from_utf8_lossy(&seen[0].body).contains("hook-key"));

    server.respond_with(|_| (200, serde_json::json!({"ok": true})));
    let error = webhook.deliver(&post).await.expect_err("no id or url");
    assert!(error.0.contains("`id` and `url`"), "{error}");
    server.respond_with(|_| (503, serde_json::json!({})));
    let error = webhook.deliver(&post).await.expect_err("503");
    assert!(error.0.contains("503"), "{error}");
}
