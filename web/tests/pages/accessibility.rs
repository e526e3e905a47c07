//! Every kind of page through the Nu HTML Checker and axe-core.

use scraper::{Html, Selector};

use crate::support::*;

/// Saves what the signed-in browser gets at `path` as `dir/<file>`.
async fn snapshot(app: &Running, path: &str, dir: &std::path::Path, file: &str) -> String {
    let response = app.get(path).await;
    let body = response.text().await.expect("body");
    let target = dir.join(file);
    std::fs::create_dir_all(target.parent().expect("parent")).expect("dir");
    std::fs::write(&target, &body).expect("write");
    body
}

fn run(command: &mut std::process::Command, what: &str) {
    let output = command.output().unwrap_or_else(|e| panic!("{what} did not start: {e}"));
    let text =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{what} failed ({}):\n{text}", output.status);
    println!("{what}:\n{text}");
}

/// Every kind of page, the refused form's included, is valid HTML (the Nu
/// HTML Checker, `CAUCUS_VNU_JAR`) and has no axe-core violation, at 1280
/// and 320 CSS pixels, with full keyboard access (`tests/a11y/check.mjs` in
/// `CAUCUS_A11Y_CHROMIUM`), as `.ci/run` arranges. The pages are saved as
/// the signed-in browser got them and checked as static files.
#[tokio::test]
async fn every_kind_of_page_is_valid_html_and_accessible() {
    let (vnu, chromium) = (std::env::var_os("CAUCUS_VNU_JAR"), std::env::var_os("CAUCUS_A11Y_CHROMIUM"));
    if vnu.is_none() && chromium.is_none() {
        println!("skipped: set CAUCUS_VNU_JAR and CAUCUS_A11Y_CHROMIUM (as .ci/run does) to check the pages");
        return;
    }
    let app = start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path();
    app.sign_in_as("assistant").await;
    let list = snapshot(&app, "/cases", out, "cases/index.html").await;
    let id = case_links(&Html::parse_document(&list)).into_iter().next().expect("a case");
    let case = snapshot(&app, &format!("/cases/{id}"), out, "case/index.html").await;
    snapshot(&app, "/", out, "index.html").await;
    // Meetings: the list, the next meeting (its forms), last month's (late
    // and despatched papers, attendance, minutes), attendance and minutes.
    let meetings = Html::parse_document(&snapshot(&app, "/meetings", out, "meetings/index.html").await);
    let first_in = |table: usize| {
        let tables = Selector::parse("table").expect("selector");
        let link = Selector::parse("a[href^='/meetings/']").expect("selector");
        let table = meetings.select(&tables).nth(table).expect("table");
        table.select(&link).next().and_then(|a| a.value().attr("href")).expect("a meeting").to_owned()
    };
    let (next, last) = (first_in(0), first_in(1));
    snapshot(&app, &next, out, "meeting/index.html").await;
    snapshot(&app, &last, out, "held-meeting/index.html").await;
    snapshot(&app, &format!("{next}/attendance"), out, "attendance/index.html").await;
    snapshot(&app, &format!("{last}/minutes"), out, "minutes/index.html").await;
    // Communications: the list, a new draft's form, a draft's edit form, a
    // published one; and, signed in as the Leader, one waiting for approval
    // (approve and send back, used on a phone).
    snapshot(&app, "/publications", out, "publications/index.html").await;
    snapshot(&app, "/publications/new", out, "publication-new/index.html").await;
    let first =
        |found: serde_json::Value| found["items"][0]["id"].as_str().expect("a publication").to_owned();
    let draft = first(app.api_get("demo-assistant", "assistant", "/publications?status=draft").await);
    snapshot(&app, &format!("/publications/{draft}/edit"), out, "publication-edit/index.html").await;
    let published = first(app.api_get("demo-assistant", "assistant", "/publications?status=published").await);
    snapshot(&app, &format!("/publications/{published}"), out, "publication-published/index.html").await;
    let waiting = crate::publications::waiting_for_approval(&app, "Library saved").await;
    app.sign_in_as("leader").await;
    snapshot(&app, &format!("/publications/{waiting}"), out, "publication/index.html").await;
    app.sign_in_as("assistant").await;
    // The registers: actions and decisions, their pages with every office
    // form, and the forms to make one; then a councillor's own actions.
    let first_link = |html: &str, prefix: &str| {
        let page = Html::parse_document(html);
        let link = Selector::parse(&format!("table a[href^='{prefix}']")).expect("selector");
        page.select(&link).next().and_then(|a| a.value().attr("href")).expect("a link").to_owned()
    };
    let actions = snapshot(&app, "/actions", out, "actions/index.html").await;
    snapshot(&app, &first_link(&actions, "/actions/"), out, "action/index.html").await;
    snapshot(&app, "/actions/new", out, "action-new/index.html").await;
    let decisions = snapshot(&app, "/decisions?status=in_force", out, "decisions/index.html").await;
    snapshot(&app, &first_link(&decisions, "/decisions/"), out, "decision/index.html").await;
    snapshot(&app, "/decisions/new", out, "decision-new/index.html").await;
    // Members and audit: the directory, a member's page with the office's
    // forms (and as a councillor sees it), the audit page, a record's history
    // and the record as it stood after a change.
    let members = snapshot(&app, "/members", out, "members/index.html").await;
    let member = first_link(&members, "/members/");
    snapshot(&app, &member, out, "member/index.html").await;
    snapshot(&app, "/audit", out, "audit/index.html").await;
    let id = member.trim_start_matches("/members/");
    let history = snapshot(&app, &format!("/history/member/{id}"), out, "history/index.html").await;
    let then = {
        let page = Html::parse_document(&history);
        let link = Selector::parse("main ol a[href*='at=']").expect("selector");
        page.select(&link).next().and_then(|a| a.value().attr("href")).expect("a change").to_owned()
    };
    snapshot(&app, &then, out, "history-then/index.html").await;
    app.sign_in_as("councillor").await;
    let own = snapshot(&app, "/actions", out, "own-actions/index.html").await;
    snapshot(&app, &first_link(&own, "/actions/"), out, "own-action/index.html").await;
    snapshot(&app, &member, out, "member-to-a-councillor/index.html").await;
    app.sign_in_as("assistant").await;
    snapshot(&app, "/sign-in", out, "sign-in/index.html").await;
    snapshot(&app, &format!("/cases/{}", uuid::Uuid::nil()), out, "404.html").await;
    let form = Html::parse_document(&case);
    let form =
        form.select(&Selector::parse("form[action$='/notes']").expect("selector")).next().expect("form");
    let fields = [
        ("csrf", hidden(&form, "csrf")),
        ("idempotency_key", hidden(&form, "idempotency_key")),
        ("text", String::new()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
    // To the form's own case: `id` names a member by now.
    let action = form.value().attr("action").expect("action");
    let refused = app.post(action, &fields).await.text().await.expect("body");
    // Checked as it works without JavaScript: with it, GOV.UK Frontend moves
    // focus to the error summary on load (so it is announced), and the
    // keyboard walk starts from the top of the page.
    let script = refused.find("<script type=\"module\"").expect("the page loads its script");
    let end = script + refused[script..].find("</script>").expect("closed") + "</script>".len();
    let refused = format!("{}{}", &refused[..script], &refused[end..]);
    std::fs::create_dir_all(out.join("refused")).expect("dir");
    std::fs::write(out.join("refused/index.html"), refused).expect("write");
    // Casework steps: the new case form, and a case's page with a step's
    // form refused (a close without an outcome).
    snapshot(&app, "/cases/new", out, "case-new/index.html").await;
    let steps = Html::parse_document(&case);
    let close = Selector::parse("form[action$='/closure']").expect("selector");
    let close = steps.select(&close).next().expect("the close form");
    let fields = [("csrf", hidden(&close, "csrf")), ("idempotency_key", hidden(&close, "idempotency_key"))];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let action = close.value().attr("action").expect("action");
    let refused = app.post(action, &fields).await;
    assert_eq!(refused.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY, "the close is refused");
    let refused = refused.text().await.expect("body");
    std::fs::create_dir_all(out.join("case-step-refused")).expect("dir");
    std::fs::write(out.join("case-step-refused/index.html"), without_script(&refused)).expect("write");
    // The assets the pages name, and the script the start-up module imports.
    let mut assets: Vec<String> = Vec::new();
    let home = std::fs::read_to_string(out.join("index.html")).expect("home");
    for part in home.split("\"/assets/").skip(1) {
        assets.push(part.split('"').next().expect("name").to_owned());
    }
    std::fs::create_dir_all(out.join("assets")).expect("dir");
    let mut index = 0;
    while index < assets.len() {
        let name = assets[index].clone();
        let body = app.get(&format!("/assets/{name}")).await.bytes().await.expect("asset");
        if name.starts_with("init-") {
            let text = String::from_utf8_lossy(&body);
            if let Some(imported) = text.split("'./").nth(1).and_then(|rest| rest.split('\'').next()) {
                assets.push(imported.to_owned());
            }
        }
        std::fs::write(out.join("assets").join(&name), &body).expect("write");
        index += 1;
    }
    let pages = [
        "index.html",
        "meetings/index.html",
        "meeting/index.html",
        "held-meeting/index.html",
        "attendance/index.html",
        "minutes/index.html",
        "publications/index.html",
        "publication-new/index.html",
        "publication-edit/index.html",
        "publication-published/index.html",
        "publication/index.html",
        "actions/index.html",
        "action/index.html",
        "action-new/index.html",
        "decisions/index.html",
        "decision/index.html",
        "decision-new/index.html",
        "own-actions/index.html",
        "own-action/index.html",
        "members/index.html",
        "member/index.html",
        "member-to-a-councillor/index.html",
        "audit/index.html",
        "history/index.html",
        "history-then/index.html",
        "sign-in/index.html",
        "cases/index.html",
        "case/index.html",
        "refused/index.html",
        "404.html",
        "case-new/index.html",
        "case-step-refused/index.html",
    ];
    if let Some(jar) = vnu {
        let mut validate = std::process::Command::new("java");
        // Errors fail; GOV.UK Frontend's own markup draws an info warning
        // (a hidden menu button also aria-hidden), so warnings are shown only.
        validate.arg("-jar").arg(jar).args(["--format", "gnu"]);
        validate.args(pages.iter().map(|p| out.join(p)));
        run(&mut validate, "the Nu HTML Checker");
    }
    if let Some(chromium) = chromium {
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/a11y/check.mjs");
        let port =
            std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
        let mut check = std::process::Command::new("node");
        check.arg(script).arg("--site").arg(out).args(["--base", &format!("http://127.0.0.1:{port}")]);
        check.arg("--chromium").arg(chromium);
        check.args(["", "sign-in/", "cases/", "case/", "refused/", "404.html"]);
        check.args(["meetings/", "meeting/", "held-meeting/", "attendance/", "minutes/"]);
        check.args([
            "publications/",
            "publication-new/",
            "publication-edit/",
            "publication-published/",
            "publication/",
        ]);
        check.args([
            "actions/",
            "action/",
            "action-new/",
            "decisions/",
            "decision/",
            "decision-new/",
            "own-actions/",
            "own-action/",
        ]);
        check.args(["members/", "member/", "member-to-a-councillor/", "audit/", "history/", "history-then/"]);
        check.args(["case-new/", "case-step-refused/"]);
        run(&mut check, "axe-core and the keyboard in headless Chromium");
    }
}

/// A refused form's page as it works without JavaScript (casework's steps):
/// with it, GOV.UK Frontend moves focus to the error summary on load.
fn without_script(page: &str) -> String {
    match page.find("<script type=\"module\"") {
        Some(start) => {
            let end = page[start..].find("</script>").map_or(page.len(), |e| start + e + "</script>".len());
            format!("{}{}", &page[..start], &page[end..])
        }
        None => page.to_owned(),
    }
}
