//! Signing in through a real OpenID Connect provider (`oidc-provider`, npm,
//! OpenID-certified, run by `tests/oidc/provider.mjs` on loopback): the
//! authorization code flow with PKCE through the provider's own login and
//! consent pages, the api accepting its access tokens, a member linked to
//! their identity acting as themselves, an account Caucus grants nothing
//! refused in words, a lapsed token sending the person to sign in again
//! and back to where they were (or, for a form, to the form's page), and
//! signing out ending the provider's session too (RP-Initiated Logout), so
//! the next sign-in asks who is there.
//!
//! They run when `CAUCUS_OIDC_PROVIDER_DIR` names `tests/oidc` after `npm ci`
//! there (as `.ci/run` does), and otherwise say why they skip.

use std::{path::PathBuf, process::Stdio, time::Duration};

use caucus_api::{
    auth::{ClaimMapping, GroupSource, KeySource, OidcConfig},
    domain::Role,
};
use caucus_web::config::{ApiToken, OidcSettings};
use reqwest::{StatusCode, Url};
use scraper::{Html, Selector};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::support::*;

/// The audience of the provider's tokens for the api (a resource indicator).
const API: &str = "urn:caucus:api";

pub(crate) fn provider_dir() -> Option<PathBuf> {
    let Some(dir) = std::env::var_os("CAUCUS_OIDC_PROVIDER_DIR").map(PathBuf::from) else {
        eprintln!(
            "skipping: set CAUCUS_OIDC_PROVIDER_DIR to tests/oidc after `npm ci` there (as .ci/run does)"
        );
        return None;
    };
    if !dir.join("node_modules/oidc-provider/package.json").is_file() {
        eprintln!(
            "WARNING: skipping: {} has no node_modules/oidc-provider (run `npm ci` there)",
            dir.display()
        );
        return None;
    }
    Some(dir)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("address").port()
}

/// The provider, with the web client `caucus-web` registered to return to
/// `redirect` after sign-in and `signed_out` after sign-out (offering an
/// end-session endpoint if `end_session`); stopped when dropped.
async fn provider(
    dir: &std::path::Path,
    redirect: &str,
    signed_out: &str,
    end_session: bool,
) -> (tokio::process::Child, String, tempfile::TempDir) {
    let keys = tempfile::tempdir().expect("keys dir");
    let port = free_port();
    let mut command = tokio::process::Command::new("node");
    command
        .arg("provider.mjs")
        .current_dir(dir)
        .env("OIDC_PORT", port.to_string())
        .env("OIDC_KEYS_FILE", keys.path().join("keys.json"))
        .env("OIDC_WEB_REDIRECT_URI", redirect)
        .env("OIDC_WEB_POST_LOGOUT_REDIRECT_URI", signed_out);
    if !end_session {
        command.env("OIDC_NO_END_SESSION", "1");
    }
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("start node");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(line) = lines.next_line().await.expect("provider output") {
            if line.starts_with("ready ") {
                return;
            }
        }
        panic!("the provider exited before it was ready");
    })
    .await
    .expect("the provider starts within 30 s");
    // It keeps writing (its development pages log a notice): read on, or a
    // closed pipe would stop it.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (child, format!("http://127.0.0.1:{port}"), keys)
}

/// The provider, and an api (on `store`) and web client signing people in
/// through it; the provider stops when this is dropped.
pub(crate) struct WithProvider {
    pub(crate) app: Running,
    pub(crate) issuer: String,
    _provider: tokio::process::Child,
    _keys: tempfile::TempDir,
}

/// Starts the provider in `dir` (from [`provider_dir`]) and an api and web
/// client on `store` that sign people in through it.
pub(crate) async fn start_with_provider(dir: &std::path::Path, store: Store) -> WithProvider {
    start_provided(dir, store, true).await
}

async fn start_provided(dir: &std::path::Path, store: Store, end_session: bool) -> WithProvider {
    // The provider must know the web client's callback before it starts.
    let port = free_port();
    let public_url = format!("http://127.0.0.1:{port}");
    let (provider, issuer, keys_dir) = provider(
        dir,
        &format!("{public_url}/sign-in/callback"),
        &format!("{public_url}/signed-out"),
        end_session,
    )
    .await;
    let app =
        start_on(store, keys(&issuer), &format!("127.0.0.1:{port}"), settings(&issuer, &public_url)).await;
    WithProvider { app, issuer, _provider: provider, _keys: keys_dir }
}

/// The api accepting its own development tokens and the provider's, whose
/// `Caucus.*` roles and `office_group` claim it maps.
fn keys(issuer: &str) -> KeySource {
    KeySource::WithProvider {
        own: Box::new(KeySource::SharedSecret(SECRET.as_bytes().to_vec())),
        provider: OidcConfig {
            issuer: issuer.to_owned(),
            audience: API.into(),
            mapping: ClaimMapping {
                roles_claim: "roles".into(),
                role_map: vec![
                    ("Caucus.Assistant".into(), Role::Assistant),
                    ("Caucus.Councillor".into(), Role::Councillor),
                ],
                group: GroupSource::Claim("office_group".into()),
            },
            leeway_seconds: 0,
            refetch_interval: Duration::from_secs(30),
        },
    }
}

fn settings(issuer: &str, public_url: &str) -> OidcSettings {
    OidcSettings {
        issuer: Some(issuer.to_owned()),
        client_id: Some("caucus-web".into()),
        client_secret: Some("caucus-web-secret".into()),
        scopes: "openid profile api".into(),
        resource: Some(API.into()),
        api_token: ApiToken::Access,
        public_url: public_url.to_owned(),
        provider_name: "the council's test provider".into(),
    }
}

/// The form on a provider's page: its action, resolved, and its hidden fields.
fn provider_form(url: &Url, html: &str) -> (Url, Vec<(String, String)>) {
    let page = Html::parse_document(html);
    let form = page.select(&Selector::parse("form").expect("selector")).next().expect("a form");
    let action = url.join(form.value().attr("action").expect("action")).expect("action URL");
    let hidden = Selector::parse("input[type=hidden]").expect("selector");
    let fields = form
        .select(&hidden)
        .map(|i| {
            (
                i.value().attr("name").unwrap_or_default().to_owned(),
                i.value().attr("value").unwrap_or_default().to_owned(),
            )
        })
        .collect();
    (action, fields)
}

/// Follows redirects from `response` (at `url`) as a browser would, until a
/// page, or the web client's answer to the provider's callback.
async fn follow(app: &Running, mut url: Url, mut response: reqwest::Response) -> (Url, reqwest::Response) {
    while response.status().is_redirection() && url.path() != "/sign-in/callback" {
        let location = response.headers()["location"].to_str().expect("location").to_owned();
        url = url.join(&location).expect("redirect URL");
        response = app.browser.get(url.clone()).send().await.expect("redirect");
    }
    (url, response)
}

/// Presses the sign-in page's button for the provider: the provider's login
/// page, or the web client's answer to the callback if the provider still
/// knows who this is.
async fn press_sign_in(app: &Running, next: &str) -> (Url, reqwest::Response) {
    let query = serde_urlencoded::to_string([("next", next)]).expect("query");
    let page = app.page(&format!("/sign-in?{query}")).await;
    let button = Selector::parse("a.govuk-button--start").expect("selector");
    let href =
        page.select(&button).next().and_then(|a| a.value().attr("href")).expect("the provider's button");
    let start = Url::parse(&app.web).expect("web URL").join(href).expect("URL");
    let first = app.browser.get(start.clone()).send().await.expect("start");
    follow(app, start, first).await
}

/// Signs in at the provider as `login` from the sign-in page's button,
/// through its login and consent pages; the web client's answer to the
/// callback.
async fn sign_in_at_provider(app: &Running, login: &str, next: &str) -> reqwest::Response {
    let (url, login_page) = press_sign_in(app, next).await;
    if url.path() == "/sign-in/callback" {
        return login_page; // still signed in at the provider
    }
    assert_eq!(login_page.status(), StatusCode::OK, "the provider's login page at {url}");
    let (action, mut fields) = provider_form(&url, &login_page.text().await.expect("body"));
    fields.extend([("login".into(), login.into()), ("password".into(), "any".into())]);
    let sent = app.browser.post(action.clone()).form(&fields).send().await.expect("login");
    let (url, consent_page) = follow(app, action, sent).await;
    if url.path() == "/sign-in/callback" {
        return consent_page;
    }
    let (action, fields) = provider_form(&url, &consent_page.text().await.expect("body"));
    let sent = app.browser.post(action.clone()).form(&fields).send().await.expect("consent");
    let (url, answer) = follow(app, action, sent).await;
    assert_eq!(url.path(), "/sign-in/callback", "back at the web client");
    answer
}

/// Links the sample group's councillor at `index` (from 0, in the api's
/// order) to `login` at `issuer`, returning their id and name.
pub(crate) async fn link_member(app: &Running, issuer: &str, login: &str, index: usize) -> (String, String) {
    let members = app
        .api_get("demo-assistant", "assistant", &format!("/members?status=member&limit={}", index + 1))
        .await;
    let member = &members["items"][index];
    let id = member["id"].as_str().expect("id").to_owned();
    let link = json!({"issuer": issuer, "subject": login});
    let (status, _) = app
        .api_send(
            ("demo-assistant", "assistant"),
            reqwest::Method::PUT,
            &format!("/members/{id}/sign-in"),
            &link,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    (id, member["name"].as_str().expect("name").to_owned())
}

fn signed_in_as(page: &Html) -> String {
    text_of(page, "form[action='/sign-out'] p").split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn people_sign_in_at_the_councils_provider_and_act_as_the_member_they_are_linked_to() {
    let Some(dir) = provider_dir() else { return };
    let WithProvider { app, issuer, .. } = &start_with_provider(&dir, Store::Sqlite).await;
    // Not the sample's first councillor, who shares the provider's name for
    // `cllr.begum` (Amina Begum): the name shown must be the member's.
    let (member_id, member_name) = link_member(app, issuer, "cllr.begum", 1).await;
    assert_ne!(member_name, "Amina Begum");

    // Nobody signed in: to the sign-in page, and back to the cases after.
    let first = app.get("/cases").await;
    assert_eq!(first.headers()["location"], "/sign-in?next=%2Fcases");
    let answer = sign_in_at_provider(app, "cllr.begum", "/cases").await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(answer.headers()["location"], "/cases", "back to where they were going");
    let cases = app.page("/cases").await;
    assert_eq!(
        signed_in_as(&cases),
        format!("Signed in as {member_name} (councillor) Sign out"),
        "the linked member, not the provider's name"
    );
    // Their own cases: exactly what the api gives the member they are linked to.
    let theirs = app.api_get(&member_id, "councillor", "/cases?limit=100").await;
    let expected: Vec<&str> =
        theirs["items"].as_array().expect("items").iter().map(|c| c["id"].as_str().expect("id")).collect();
    let shown = text_list(&cases, "table tbody tr");
    assert_eq!(shown.len(), expected.len(), "{shown:?}");
    assert!(!expected.is_empty(), "the sample gives the councillor cases of their own");

    // Signing out sends them on to the provider to end its session too,
    // naming them and the way back; the pages' security policy lets the
    // sign-out form go on there (browsers hold its redirect to form-action).
    let policy =
        app.get("/cases").await.headers()["content-security-policy"].to_str().expect("CSP").to_owned();
    assert!(policy.contains(&format!("form-action 'self' {issuer};")), "{policy}");
    let csrf = hidden(
        &cases.select(&Selector::parse("form[action='/sign-out']").expect("selector")).next().expect("form"),
        "csrf",
    );
    let out = app.post("/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let end_session = Url::parse(out.headers()["location"].to_str().expect("location")).expect("URL");
    assert!(end_session.as_str().starts_with(issuer.as_str()), "to the provider: {end_session}");
    let asked: std::collections::HashMap<_, _> = end_session.query_pairs().into_owned().collect();
    assert_eq!(asked["client_id"], "caucus-web");
    assert_eq!(asked["post_logout_redirect_uri"], format!("{}/signed-out", app.web));
    assert!(asked.contains_key("state") && !asked.contains_key("id_token_hint"), "{asked:?}");
    assert_eq!(app.get("/cases").await.status(), StatusCode::SEE_OTHER, "signed out here already");
    // The provider asks whether to sign out there; yes, and back.
    let first = app.browser.get(end_session.clone()).send().await.expect("end session");
    let (url, confirm) = follow(app, end_session, first).await;
    assert_eq!(confirm.status(), StatusCode::OK, "the provider's sign-out page at {url}");
    let (action, mut fields) = provider_form(&url, &confirm.text().await.expect("body"));
    fields.push(("logout".into(), "yes".into()));
    let sent = app.browser.post(action.clone()).form(&fields).send().await.expect("sign out there");
    let (url, signed_out) = follow(app, action, sent).await;
    assert_eq!(url.path(), "/signed-out", "back at the web client");
    assert_eq!(signed_out.status(), StatusCode::OK);
    let page = Html::parse_document(&signed_out.text().await.expect("body"));
    assert_eq!(text_of(&page, "h1").trim(), "You have signed out");
    assert!(
        text_of(&page, "main").contains("You have signed out of Caucus and of the council's test provider."),
        "{}",
        text_of(&page, "main")
    );
    // The next person to press "Sign in" is asked who they are.
    let (url, login_page) = press_sign_in(app, "/").await;
    assert_ne!(url.path(), "/sign-in/callback", "not straight through as the last person");
    let login = Html::parse_document(&login_page.text().await.expect("body"));
    assert!(login.select(&Selector::parse("input[name=login]").expect("selector")).next().is_some());
}

#[tokio::test]
async fn an_account_without_a_role_is_told_so_a_forged_return_is_refused_and_a_lapsed_token_signs_in_again() {
    let Some(dir) = provider_dir() else { return };
    let mut provided = start_with_provider(&dir, Store::Sqlite).await;
    let app = &mut provided.app;

    let refused = sign_in_at_provider(app, "payroll.clerk", "/").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let page = Html::parse_document(&refused.text().await.expect("body"));
    assert_eq!(text_of(&page, "h1").trim(), "Your account cannot use Caucus");
    assert_eq!(app.get("/").await.status(), StatusCode::SEE_OTHER, "still not signed in");

    // Someone else, in their own browser.
    app.browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("browser");
    let forged = app.get("/sign-in/callback?code=stolen&state=guessed").await;
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);

    // A token the web client counts as lapsed two seconds after sign-in.
    let answer = sign_in_at_provider(app, "short.lived", "/cases").await;
    assert_eq!(answer.headers()["location"], "/cases");
    let page = app.page("/cases").await;
    assert_eq!(
        signed_in_as(&page),
        "Signed in as Sam Short (assistant) Sign out",
        "the provider's name: no member is linked"
    );
    let csrf = hidden(
        &page.select(&Selector::parse("form[action='/sign-out']").expect("selector")).next().expect("form"),
        "csrf",
    );
    tokio::time::sleep(Duration::from_secs(3)).await;
    // A form sent once lapsed goes back to the page it was on, not to its
    // own path (no page), told to send it again: where the browser says it
    // was, else the record the form is for.
    let action = "/actions/0191f0e2-7c3a-7d40-9a52-3b1c2d4e5f60";
    let progress = format!("{}{action}/progress", app.web);
    let fields = [("csrf", csrf.as_str()), ("note", "Chased the council.")];
    let from_page = app
        .browser
        .post(&progress)
        .header("Referer", format!("{}{action}?view=all", app.web))
        .form(&fields)
        .send()
        .await
        .expect("post");
    assert_eq!(from_page.status(), StatusCode::SEE_OTHER);
    let expected = serde_urlencoded::to_string([("next", format!("{action}?view=all"))]).expect("query");
    assert_eq!(from_page.headers()["location"], format!("/sign-in?{expected}&resend=yes"));
    let elsewhere = app
        .browser
        .post(&progress)
        .header("Referer", "https://elsewhere.example/x")
        .form(&fields)
        .send()
        .await;
    let expected = serde_urlencoded::to_string([("next", action)]).expect("query");
    assert_eq!(
        elsewhere.expect("post").headers()["location"],
        format!("/sign-in?{expected}&resend=yes"),
        "another site's page is not theirs: the action's page"
    );
    let sign_in = app.page(&format!("/sign-in?{expected}&resend=yes")).await;
    assert!(
        text_of(&sign_in, ".govuk-notification-banner").contains("send it again"),
        "{}",
        text_of(&sign_in, ".govuk-notification-banner")
    );
    let lapsed = app.get("/cases?overdue=true").await;
    assert_eq!(lapsed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        lapsed.headers()["location"],
        "/sign-in?next=%2Fcases%3Foverdue%3Dtrue",
        "and back to where they were"
    );
    // Still signed in at the provider, so straight back.
    let again = sign_in_at_provider(app, "short.lived", "/cases?overdue=true").await;
    assert_eq!(again.headers()["location"], "/cases?overdue=true");
}

#[tokio::test]
async fn a_provider_without_an_end_session_endpoint_leaves_them_signed_in_there_and_says_so() {
    let Some(dir) = provider_dir() else { return };
    let WithProvider { app, issuer, .. } = &start_provided(&dir, Store::Sqlite, false).await;
    let discovery: serde_json::Value = reqwest::get(format!("{issuer}/.well-known/openid-configuration"))
        .await
        .expect("discovery")
        .json()
        .await
        .expect("JSON");
    assert!(discovery.get("end_session_endpoint").is_none(), "{discovery}");
    let answer = sign_in_at_provider(app, "pa.jones", "/").await;
    assert_eq!(answer.headers()["location"], "/");
    let home = app.page("/").await;
    let csrf = hidden(
        &home.select(&Selector::parse("form[action='/sign-out']").expect("selector")).next().expect("form"),
        "csrf",
    );
    let out = app.post("/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(out.headers()["location"], "/signed-out", "signed out here only");
    assert_eq!(app.get("/").await.status(), StatusCode::SEE_OTHER, "no longer signed in here");
    let page = app.page("/signed-out").await;
    assert_eq!(text_of(&page, "h1").trim(), "You have signed out");
    assert!(
        text_of(&page, "main").contains("You may still be signed in to the council's test provider."),
        "{}",
        text_of(&page, "main")
    );
    // As the page warns: the provider still knows them.
    let (url, _) = press_sign_in(app, "/").await;
    assert_eq!(url.path(), "/sign-in/callback", "straight through at the provider");
}
