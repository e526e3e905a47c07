//! End to end: the api (real, in process) has an approved, scheduled social
//! post; the dispatcher delivers it to fake Mastodon, Bluesky and webhook
//! servers once each, records the outcomes, and retries a failure after its
//! time.

use std::time::Duration;

use caucus_api::{
    auth::{AuthConfig, KeySource, TokenIssuer},
    domain::publication::Network,
    startup::Application,
    store::StoreConfig,
};
use caucus_publisher::social::{ApiClient, Dispatcher, Fate, Secret, SocialConfig};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use super::fake::{self, FakeServer};

const SECRET: &[u8] = b"social-end-to-end-secret";
const GROUP: &str = "newham-labour";

async fn fresh_postgres() -> StoreConfig {
    let admin = std::env::var("CAUCUS_TEST_POSTGRES_URL")
        .expect("CAUCUS_TEST_POSTGRES_URL is not set: run the suite with `bash .ci/test`");
    let name = format!("caucus_e2e_{}", uuid::Uuid::new_v4().simple());
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await.expect("connect");
    sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str()).await.expect("create");
    let (base, _) = admin.rsplit_once('/').expect("URL has a database");
    StoreConfig::Postgres { url: format!("{base}/{name}"), max_connections: 5 }
}

struct Api {
    root: String,
    client: reqwest::Client,
    issuer: TokenIssuer,
}

impl Api {
    async fn start(store: &StoreConfig) -> Self {
        let auth = AuthConfig {
            keys: KeySource::SharedSecret(SECRET.to_vec()),
            issuer: "e2e".into(),
            audience: "caucus-api".into(),
            leeway_seconds: 5,
        };
        let app = Application::build(store, auth, "127.0.0.1:0".parse().expect("addr"), Some(1))
            .await
            .expect("api starts");
        let root = format!("http://{}", app.address());
        tokio::spawn(app.run_until_stopped());
        Self {
            root,
            client: reqwest::Client::new(),
            issuer: TokenIssuer::shared_secret(SECRET, "e2e", "caucus-api"),
        }
    }

    fn token(&self, role: &str) -> String {
        self.issuer.mint(&format!("{role}-1"), GROUP, &[role], 600).expect("mint")
    }

    async fn post(&self, path: &str, role: &str, body: Value) -> Value {
        let response = self
            .client
            .post(format!("{}/api/v1{path}", self.root))
            .bearer_auth(self.token(role))
            .json(&body)
            .send()
            .await
            .expect("post");
        assert!(response.status().is_success(), "{path}: {}", response.status());
        response.json().await.expect("json")
    }

    async fn get(&self, path: &str) -> Value {
        let response = self
            .client
            .get(format!("{}/api/v1{path}", self.root))
            .bearer_auth(self.token("assistant"))
            .send()
            .await
            .expect("get");
        assert!(response.status().is_success(), "{path}: {}", response.status());
        response.json().await.expect("json")
    }

    /// Drafts, submits, approves and schedules (a minute ago) a social post.
    async fn live_social_post(&self, title: &str, texts: Value) -> String {
        let draft = json!({"kind": "social_post", "author_name": "Newham Labour Group", "title": title, "social_text": texts});
        let id = self.post("/publications", "assistant", draft).await["id"].as_str().expect("id").to_owned();
        self.post(&format!("/publications/{id}/submission"), "assistant", json!({})).await;
        self.post(&format!("/publications/{id}/approval"), "leader", json!({})).await;
        let when = (Utc::now() - chrono::Duration::minutes(1)).to_rfc3339_opts(SecondsFormat::Secs, true);
        let scheduled = self
            .post(&format!("/publications/{id}/schedule"), "assistant", json!({"publish_at": when}))
            .await;
        assert_eq!(scheduled["live"], true);
        id
    }
}

struct Networks {
    mastodon: FakeServer,
    bluesky: FakeServer,
    webhook: FakeServer,
}

impl Networks {
    async fn start() -> Self {
        let mastodon = FakeServer::start(|_| (500, json!({}))).await;
        mastodon.respond_with(fake::mastodon(&mastodon.url));
        Self {
            mastodon,
            bluesky: FakeServer::start(fake::bluesky("group.bsky.social", "bsky-app-password")).await,
            webhook: FakeServer::start(fake::webhook()).await,
        }
    }

    fn posts(&self) -> [usize; 3] {
        [
            self.mastodon.seen_at("POST", "/api/v1/statuses").len(),
            self.bluesky.seen_at("POST", "/xrpc/com.atproto.repo.createRecord").len(),
            self.webhook.seen_at("POST", "/hook").len(),
        ]
    }

    fn dispatcher(&self, api: &Api) -> Dispatcher {
        let config: SocialConfig = toml::from_str(&format!(
            r#"
            [dispatch]
            timeout_seconds = 5
            retry_base_seconds = 1.0
            retry_cap_seconds = 2.0
            [mastodon]
            instance_url = "{}"
            [bluesky]
            service_url = "{}"
            handle = "group.bsky.social"
            [webhook]
            url = "{}/hook"
            networks = ["linkedin"]
            "#,
            self.mastodon.url, self.bluesky.url, self.webhook.url
        ))
        .expect("config");
        let secrets = |name: &str| {
            let value = match name {
                "CAUCUS_MASTODON_TOKEN" => "mastodon-token",
                "CAUCUS_BLUESKY_APP_PASSWORD" => "bsky-app-password",
                "CAUCUS_WEBHOOK_SECRET" => "hook-key",
                _ => return None,
            };
            Some(value.to_owned())
        };
        let connectors = config.connectors(secrets).expect("connectors");
        let client = ApiClient::new(&api.root, Secret::new(api.token("publisher")), Duration::from_secs(10))
            .expect("client");
        Dispatcher::new(client, connectors, config.backoff())
    }
}

fn fates(report: &caucus_publisher::social::DispatchReport) -> Vec<(Network, &Fate)> {
    report.items.iter().map(|(_, network, fate)| (*network, fate)).collect()
}

async fn each_post_goes_out_once_and_a_failure_is_retried_after_its_time(store: StoreConfig) {
    let api = Api::start(&store).await;
    let networks = Networks::start().await;
    let dispatcher = networks.dispatcher(&api);
    let id = api
        .live_social_post(
            "Library saved",
            json!({
                "mastodon": "The library stays open! https://newhamlabour.org.uk/news/library-saved",
                "bluesky": "The library stays open! https://newhamlabour.org.uk/news/library-saved",
                "linkedin": "Stratford library stays open after the group's campaign.",
                "x": "The library stays open!"
            }),
        )
        .await;

    let report = dispatcher.run_once().await.expect("a pass");
    assert_eq!(report.delivered(), 3, "{report}");
    let x = fates(&report).into_iter().find(|(n, _)| *n == Network::X).expect("x is reported");
    assert_eq!(x.1, &Fate::NoConnector);
    assert_eq!(networks.posts(), [1, 1, 1], "each network got exactly one post");
    let hook = &networks.webhook.seen()[0];
    assert_eq!(
        hook.header("X-Caucus-Signature"),
        Some(caucus_publisher::social::signature(b"hook-key", &hook.body).as_str())
    );
    assert_eq!(networks.mastodon.seen()[0].header("Authorization"), Some("Bearer mastodon-token"));

    let publication = api.get(&format!("/publications/{id}")).await;
    let deliveries = &publication["deliveries"];
    let mastodon_url = format!("{}/@group/1001", networks.mastodon.url);
    assert_eq!(deliveries["mastodon"]["state"], "delivered");
    assert_eq!(deliveries["mastodon"]["external_id"], "1001");
    assert_eq!(deliveries["mastodon"]["url"], mastodon_url.as_str());
    assert_eq!(deliveries["bluesky"]["state"], "delivered");
    let bluesky_url = deliveries["bluesky"]["url"].as_str().expect("bluesky url");
    assert!(bluesky_url.starts_with("https://bsky.app/profile/group.bsky.social/post/"), "{bluesky_url}");
    assert_eq!(deliveries["linkedin"]["state"], "delivered");
    assert_eq!(deliveries["linkedin"]["url"], "https://www.linkedin.com/feed/update/urn:li:share:1");
    assert_eq!(deliveries["x"]["state"], "pending", "no connector: not claimed");
    assert_eq!(deliveries["x"]["attempts"], 0);
    let receipts: Vec<(&str, &str)> = publication["receipts"]
        .as_array()
        .expect("receipts")
        .iter()
        .map(|r| (r["channel"].as_str().expect("channel"), r["url"].as_str().expect("url")))
        .collect();
    assert!(receipts.contains(&("mastodon", mastodon_url.as_str())), "{receipts:?}");
    assert!(receipts.contains(&("bluesky", bluesky_url)), "{receipts:?}");
    assert!(
        receipts.contains(&("linkedin", "https://www.linkedin.com/feed/update/urn:li:share:1")),
        "{receipts:?}"
    );

    // A second pass delivers nothing: only X is left, and it has no connector.
    let again = dispatcher.run_once().await.expect("a pass");
    assert_eq!(again.delivered(), 0, "{again}");
    assert_eq!(fates(&again), [(Network::X, &Fate::NoConnector)]);
    assert_eq!(networks.posts(), [1, 1, 1]);

    // The instance fails: the failure is recorded with a retry time.
    networks.mastodon.respond_with(|_| (500, json!({"error": "Internal server error"})));
    let second = api.live_social_post("Budget", json!({"mastodon": "Our budget amendment passed."})).await;
    let before = Utc::now();
    let failing = dispatcher.run_once().await.expect("a pass");
    let mastodon: Vec<_> = failing.items.iter().filter(|(p, _, _)| p.to_string() == second).collect();
    assert!(matches!(mastodon[..], [(_, Network::Mastodon, Fate::Failed(..))]), "{failing}");
    let failed = api.get(&format!("/publications/{second}")).await;
    assert_eq!(failed["deliveries"]["mastodon"]["state"], "failed");
    assert!(
        failed["deliveries"]["mastodon"]["last_error"].as_str().expect("error").contains("500"),
        "{failed}"
    );
    let retry_at: DateTime<Utc> =
        failed["deliveries"]["mastodon"]["retry_at"].as_str().expect("retry_at").parse().expect("time");
    // The first retry waits between half and all of the 1 s base.
    assert!(retry_at >= before + chrono::Duration::milliseconds(500), "{retry_at} vs {before}");
    assert_eq!(networks.posts()[0], 2);

    // Before its time it is not tried; after it, it goes out once.
    networks.mastodon.respond_with(fake::mastodon(&networks.mastodon.url));
    let early = dispatcher.run_once().await.expect("a pass");
    if Utc::now() < retry_at {
        assert_eq!(early.delivered(), 0, "{early}");
        assert_eq!(networks.posts()[0], 2);
        let wait = (retry_at - Utc::now()).to_std().unwrap_or_default() + Duration::from_millis(50);
        tokio::time::sleep(wait).await;
    }
    let retried = dispatcher.run_once().await.expect("a pass");
    let later = dispatcher.run_once().await.expect("a pass");
    assert_eq!(retried.delivered() + early.delivered(), 1, "{early}{retried}");
    assert_eq!(later.delivered(), 0, "{later}");
    assert_eq!(networks.posts()[0], 3, "one failed request, one delivery");
    let delivered = api.get(&format!("/publications/{second}")).await;
    assert_eq!(delivered["deliveries"]["mastodon"]["state"], "delivered");
    assert_eq!(delivered["deliveries"]["mastodon"]["attempts"], 2);
    assert!(delivered["receipts"][0]["url"].as_str().expect("url").starts_with(&networks.mastodon.url));
}

#[tokio::test]
async fn each_post_goes_out_once_and_a_failure_is_retried_after_its_time_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    each_post_goes_out_once_and_a_failure_is_retried_after_its_time(StoreConfig::Sqlite {
        path: dir.path().join("caucus.sqlite3"),
    })
    .await;
}

#[tokio::test]
async fn each_post_goes_out_once_and_a_failure_is_retried_after_its_time_on_postgres() {
    each_post_goes_out_once_and_a_failure_is_retried_after_its_time(fresh_postgres().await).await;
}

#[tokio::test]
async fn the_dispatcher_needs_the_publisher_role() {
    let dir = tempfile::tempdir().expect("temp dir");
    let api = Api::start(&StoreConfig::Sqlite { path: dir.path().join("caucus.sqlite3") }).await;
    let client = ApiClient::new(
        &format!("{}/api/v1", api.root),
        Secret::new(api.token("councillor")),
        Duration::from_secs(5),
    )
    .expect("client");
    let error = client.due_queue().await.expect_err("a councillor may not read the queue");
    assert!(error.to_string().contains("403"), "{error}");
}
