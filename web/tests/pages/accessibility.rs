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

/// The checkers `.ci/run` arranges: the Nu HTML Checker's jar
/// (`CAUCUS_VNU_JAR`) and the Chromium axe-core runs in
/// (`CAUCUS_A11Y_CHROMIUM`); `None`, and the test is skipped, if neither is set.
fn checkers() -> Option<(Option<std::ffi::OsString>, Option<std::ffi::OsString>)> {
    let (vnu, chromium) = (std::env::var_os("CAUCUS_VNU_JAR"), std::env::var_os("CAUCUS_A11Y_CHROMIUM"));
    if vnu.is_none() && chromium.is_none() {
        println!("skipped: set CAUCUS_VNU_JAR and CAUCUS_A11Y_CHROMIUM (as .ci/run does) to check the pages");
        return None;
    }
    Some((vnu, chromium))
}

/// Saves the assets the saved page `named_by` names, and the script the
/// start-up module imports, beside the `pages` saved under `out`; then
/// checks each page with the Nu HTML Checker and with axe-core and the
/// keyboard in headless Chromium, as static files.
async fn check_saved(
    app: &Running,
    out: &std::path::Path,
    (vnu, chromium): (Option<std::ffi::OsString>, Option<std::ffi::OsString>),
    named_by: &str,
    pages: &[&str],
) {
    let page = std::fs::read_to_string(out.join(named_by)).expect("a saved page");
    let mut assets: Vec<String> = page
        .split("\"/assets/")
        .skip(1)
        .map(|part| part.split('"').next().expect("name").to_owned())
        .collect();
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
        // Each page by its address, as the static server serves it.
        check.args(pages.iter().map(|p| p.trim_end_matches("index.html")));
        run(&mut check, "axe-core and the keyboard in headless Chromium");
    }
}

/// Every kind of page, the refused form's included, is valid HTML (the Nu
/// HTML Checker, `CAUCUS_VNU_JAR`) and has no axe-core violation, at 1280
/// and 320 CSS pixels, with full keyboard access (`tests/a11y/check.mjs` in
/// `CAUCUS_A11Y_CHROMIUM`), as `.ci/run` arranges. The pages are saved as
/// the signed-in browser got them and checked as static files.
#[tokio::test]
async fn every_kind_of_page_is_valid_html_and_accessible() {
    let Some(checkers) = checkers() else { return };
    let app = start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path();
    app.sign_in_as("assistant").await;
    let list = snapshot(&app, "/cases", out, "cases/index.html").await;
    snapshot(&app, "/case-handovers", out, "case-handovers/index.html").await;
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
    let audit = snapshot(&app, "/audit", out, "audit/index.html").await;
    let verified = crate::audit::verified(&app, &Html::parse_document(&audit)).await;
    snapshot(&app, &verified, out, "audit-verified/index.html").await;
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
    // Elections and briefings: the lists, an open election with every
    // office form, the form to call one, a note with its versions and
    // forms, an earlier version, the form to write one, and a refused
    // cancellation (its confirmation unticked).
    app.sign_in_as("assistant").await;
    let elections = snapshot(&app, "/elections", out, "elections/index.html").await;
    let election = first_link(&elections, "/elections/");
    let election_page = snapshot(&app, &election, out, "election/index.html").await;
    snapshot(&app, "/elections/new", out, "election-new/index.html").await;
    let briefings = snapshot(&app, "/briefings", out, "briefings/index.html").await;
    let briefing = first_link(&briefings, "/briefings/");
    snapshot(&app, &briefing, out, "briefing/index.html").await;
    snapshot(&app, &format!("{briefing}/versions/1"), out, "briefing-version/index.html").await;
    snapshot(&app, "/briefings/new", out, "briefing-new/index.html").await;
    let cancel = {
        let page = Html::parse_document(&election_page);
        let form = Selector::parse("form[action$='/cancellation']").expect("selector");
        let form = page.select(&form).next().expect("the cancellation form");
        [("csrf", hidden(&form, "csrf")), ("idempotency_key", hidden(&form, "idempotency_key"))]
    };
    let fields: Vec<(&str, &str)> = cancel.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let refused = app.post(&format!("{election}/cancellation"), &fields).await.text().await.expect("body");
    save_refused(out, "election-refused", &refused);
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
    save_refused(out, "refused", &refused);
    // Casework steps: the new case form, and a case's page with a step's
    // form refused (a close without an outcome).
    snapshot(&app, "/cases/new", out, "case-new/index.html").await;
    snapshot(&app, &format!("/cases/new?from_case={id}"), out, "case-next/index.html").await;
    let steps = Html::parse_document(&case);
    let close = Selector::parse("form[action$='/closure']").expect("selector");
    let close = steps.select(&close).next().expect("the close form");
    let fields = [("csrf", hidden(&close, "csrf")), ("idempotency_key", hidden(&close, "idempotency_key"))];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let action = close.value().attr("action").expect("action");
    let refused = app.post(action, &fields).await;
    assert_eq!(refused.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY, "the close is refused");
    let refused = refused.text().await.expect("body");
    save_refused(out, "case-step-refused", &refused);
    // Bodies and appointments: the register, the vacancies, a body with a
    // vacant seat (the nomination form and the office's links), the forms to
    // establish, change and dissolve one, a nomination (confirm, withdraw)
    // and a current appointment (end), an end refused at its date; then a
    // body as a councillor sees it.
    let bodies = snapshot(&app, "/bodies", out, "bodies/index.html").await;
    let licensing = {
        let page = Html::parse_document(&bodies);
        let link = Selector::parse("table a[href^='/bodies/']").expect("selector");
        page.select(&link)
            .find(|a| a.text().collect::<String>() == "Licensing Committee")
            .and_then(|a| a.value().attr("href"))
            .expect("the Licensing Committee")
            .to_owned()
    };
    snapshot(&app, "/vacancies", out, "vacancies/index.html").await;
    snapshot(&app, &licensing, out, "body/index.html").await;
    snapshot(&app, "/bodies/new", out, "body-new/index.html").await;
    snapshot(&app, &format!("{licensing}/edit"), out, "body-edit/index.html").await;
    snapshot(&app, &format!("{licensing}/dissolve"), out, "body-dissolve/index.html").await;
    let first_with = |status: &str| {
        let status = status.to_owned();
        let app = &app;
        async move {
            let found =
                app.api_get("demo-assistant", "assistant", &format!("/appointments?status={status}")).await;
            format!("/appointments/{}", found["items"][0]["id"].as_str().expect("an appointment"))
        }
    };
    let nominated = first_with("nominated").await;
    snapshot(&app, &nominated, out, "appointment-nominated/index.html").await;
    let current = first_with("current").await;
    let held = snapshot(&app, &current, out, "appointment/index.html").await;
    let form = Html::parse_document(&held);
    let form = form.select(&Selector::parse("form[action$='/end']").expect("selector")).next().expect("form");
    let fields = [
        ("csrf", hidden(&form, "csrf")),
        ("idempotency_key", hidden(&form, "idempotency_key")),
        ("on-day", "1".to_owned()),
        ("on-month", "1".to_owned()),
        ("on-year", "2001".to_owned()),
        ("reason", "resigned".to_owned()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let refused = app.post(&format!("{current}/end"), &fields).await.text().await.expect("body");
    save_refused(out, "appointment-refused", &refused);
    app.sign_in_as("councillor").await;
    snapshot(&app, &licensing, out, "body-to-a-councillor/index.html").await;
    app.sign_in_as("assistant").await;
    // Forward plan, social queue and scheduling: the list, an item with the
    // office's forms, the forms to enter, correct and import items, an import
    // refused by line and column; the queue, an approved publication's
    // scheduling form.
    let plan = snapshot(&app, "/forward-plan", out, "forward-plan/index.html").await;
    let item = first_link(&plan, "/forward-plan/");
    snapshot(&app, &item, out, "forward-plan-item/index.html").await;
    snapshot(&app, &format!("{item}/edit"), out, "forward-plan-edit/index.html").await;
    snapshot(&app, "/forward-plan/new", out, "forward-plan-new/index.html").await;
    let import = snapshot(&app, "/forward-plan/import", out, "forward-plan-import/index.html").await;
    let bad = "title,decision_maker,expected_on,key_decision\nParks strategy,Cabinet,soon,yes\n";
    let refused = crate::forward_plan::import(&app, &Html::parse_document(&import), bad).await;
    assert_eq!(refused.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    save_refused(out, "forward-plan-refused", &refused.text().await.expect("body"));
    snapshot(&app, "/social-queue", out, "social-queue/index.html").await;
    let approved = crate::social::approved(&app).await;
    snapshot(&app, &format!("/publications/{approved}"), out, "publication-approved/index.html").await;
    // Motions and questions: the list, a tabled motion with the office's
    // forms, a draft (revise, submit), the form to draft one, the outcome
    // form with each member's votes and it refused, and the whip report.
    let motions = snapshot(&app, "/motions?status=tabled", out, "motions/index.html").await;
    let tabled = first_link(&motions, "/motions/");
    snapshot(&app, &tabled, out, "motion/index.html").await;
    // A draft for the same meeting, moved by the same member.
    let held = app.api_get("demo-assistant", "assistant", &tabled).await;
    let draft = serde_json::json!({
        "kind": "motion", "title": "Free school meals for all", "text": "This council resolves to fund them.",
        "origin": {"proposer_id": held["origin"]["proposer_id"]},
        "meeting_id": held["meeting_id"], "classification": "group",
    });
    let (_, made) =
        app.api_send(("demo-assistant", "assistant"), reqwest::Method::POST, "/motions", &draft, None).await;
    let drafted = format!("/motions/{}", made["id"].as_str().expect("a draft"));
    snapshot(&app, &drafted, out, "motion-draft/index.html").await;
    snapshot(&app, "/motions/new", out, "motion-new/index.html").await;
    let outcome = snapshot(&app, &format!("{tabled}/outcome"), out, "motion-outcome/index.html").await;
    snapshot(&app, "/motions/whip-report", out, "whip-report/index.html").await;
    let outcome = Html::parse_document(&outcome);
    let form = outcome
        .select(&Selector::parse("form[action$='/outcome']").expect("selector"))
        .next()
        .expect("the outcome form");
    let fields = [("csrf", hidden(&form, "csrf")), ("idempotency_key", hidden(&form, "idempotency_key"))];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let refused = app.post(&format!("{tabled}/outcome"), &fields).await.text().await.expect("body");
    save_refused(out, "motion-refused", &refused);
    // Signing out: the sign-in page telling them to send a form again after
    // their sign-in lapsed, and, once signed out, the signed-out page.
    snapshot(&app, "/sign-in?next=%2Factions&resend=yes", out, "sign-in-resend/index.html").await;
    let home = Html::parse_document(&std::fs::read_to_string(out.join("index.html")).expect("home"));
    let sign_out = home.select(&Selector::parse("form[action='/sign-out']").expect("selector")).next();
    let csrf = hidden(&sign_out.expect("the sign-out form"), "csrf");
    app.post("/sign-out", &[("csrf", &csrf)]).await;
    snapshot(&app, "/signed-out", out, "signed-out/index.html").await;
    // Signed in again, for whatever is added after.
    app.sign_in_as("assistant").await;
    // Group events: the list, the full seminar and last week's conference
    // with the office's forms (the register, hospitality), the form to plan
    // one and it refused, and the seminar as the councillor offered a place
    // sees it.
    snapshot(&app, "/group-events", out, "group-events/index.html").await;
    let listed = app.api_get("demo-assistant", "assistant", "/group-events?limit=200").await;
    let titled = |title: &str| {
        let items = listed["items"].as_array().expect("items");
        let found = items.iter().find(|e| e["title"] == title).expect("a sample event");
        format!("/group-events/{}", found["id"].as_str().expect("id"))
    };
    let seminar = titled("Housing and regeneration: the group's priorities");
    snapshot(&app, &seminar, out, "group-event/index.html").await;
    snapshot(&app, &titled("London Housing Conference"), out, "group-event-held/index.html").await;
    let plan =
        Html::parse_document(&snapshot(&app, "/group-events/new", out, "group-event-new/index.html").await);
    let form = plan.select(&Selector::parse("form[action='/group-events']").expect("selector")).next();
    let form = form.expect("the plan form");
    let fields = [("csrf", hidden(&form, "csrf")), ("idempotency_key", hidden(&form, "idempotency_key"))];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let refused = app.post("/group-events", &fields).await.text().await.expect("body");
    save_refused(out, "group-event-refused", &refused);
    app.sign_in_as("councillor").await;
    snapshot(&app, &seminar, out, "group-event-offered/index.html").await;
    app.sign_in_as("assistant").await;
    // Training: the catalogue, a course with the retirement form, the form
    // to add one and it refused, a member's record with lapsing training and
    // the completion form, the lapses, and a committee seat's training gap.
    let courses = snapshot(&app, "/courses", out, "courses/index.html").await;
    snapshot(&app, &first_link(&courses, "/courses/"), out, "course/index.html").await;
    let new_course = snapshot(&app, "/courses/new", out, "course-new/index.html").await;
    let new_course = Html::parse_document(&new_course);
    let form = new_course
        .select(&Selector::parse("form[action='/courses']").expect("selector"))
        .next()
        .expect("the course form");
    let fields = [
        ("csrf", hidden(&form, "csrf")),
        ("idempotency_key", hidden(&form, "idempotency_key")),
        ("validity", "months".to_owned()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let refused = app.post("/courses", &fields).await.text().await.expect("body");
    save_refused(out, "course-refused", &refused);
    let expiries = snapshot(&app, "/training-expiries", out, "training-expiries/index.html").await;
    snapshot(&app, &first_link(&expiries, "/members/"), out, "training-record/index.html").await;
    let committee =
        app.api_get("demo-assistant", "assistant", "/appointments?status=current&limit=200").await;
    let gap = committee["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|a| a["training_gaps"].as_array().is_some_and(|g| !g.is_empty()))
        .expect("a seat with a training gap");
    let gap = format!("/appointments/{}", gap["id"].as_str().expect("id"));
    snapshot(&app, &gap, out, "appointment-training-gap/index.html").await;
    // Training needs and the draft plan: a record with needs and their
    // forms, the need form refused, the plan, and a period it refuses.
    let plan = app.api_get("demo-assistant", "assistant", "/training-plan").await;
    let needy = plan["other_needs"][0]["member_id"].as_str().expect("a member with a need").to_owned();
    let needs = format!("/members/{needy}/training");
    let record = snapshot(&app, &needs, out, "training-needs/index.html").await;
    let record = Html::parse_document(&record);
    let form = record
        .select(&Selector::parse(&format!("form[action='{needs}/needs']")).expect("selector"))
        .next()
        .expect("the need form");
    let fields = [("csrf", hidden(&form, "csrf")), ("idempotency_key", hidden(&form, "idempotency_key"))];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let refused = app.post(&format!("{needs}/needs"), &fields).await.text().await.expect("body");
    save_refused(out, "training-need-refused", &refused);
    snapshot(&app, "/training-plan", out, "training-plan/index.html").await;
    let period = "from-day=1&from-month=6&from-year=2027&to-day=1&to-month=1&to-year=2027";
    let refused = app.get(&format!("/training-plan?{period}")).await.text().await.expect("body");
    save_refused(out, "training-plan-refused", &refused);
    // Induction: the list, a checklist with its tick forms, a tick refused,
    // and a member without one with the start form.
    let inductions = snapshot(&app, "/inductions", out, "inductions/index.html").await;
    let checklist = first_link(&inductions, "/inductions/");
    let page = Html::parse_document(&snapshot(&app, &checklist, out, "induction/index.html").await);
    let tick = page
        .select(&Selector::parse("form[action$='/done']").expect("selector"))
        .next()
        .expect("a tick form");
    let action = tick.value().attr("action").expect("action").to_owned();
    let long = "x".repeat(2_001);
    let fields = [
        ("csrf", hidden(&tick, "csrf")),
        ("idempotency_key", hidden(&tick, "idempotency_key")),
        ("note", long),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let refused = app.post(&action, &fields).await.text().await.expect("body");
    save_refused(out, "induction-refused", &refused);
    let members = app.api_get("demo-assistant", "assistant", "/members?limit=200").await;
    for member in members["items"].as_array().expect("items") {
        let id = member["id"].as_str().expect("id");
        let found = app.api_get("demo-assistant", "assistant", &format!("/inductions/{id}")).await;
        if found["status"] == 404 {
            snapshot(&app, &format!("/inductions/{id}"), out, "induction-none/index.html").await;
            break;
        }
    }
    // The group's induction steps, a step's change form, and one refused.
    snapshot(&app, "/induction-steps", out, "induction-steps/index.html").await;
    let edit = snapshot(&app, "/induction-steps/1/edit", out, "induction-step/index.html").await;
    let edit = Html::parse_document(&edit);
    let step = edit.select(&Selector::parse("form[action='/induction-steps/1']").expect("selector")).next();
    let step = step.expect("the step's form");
    let fields = [
        ("csrf", hidden(&step, "csrf")),
        ("idempotency_key", hidden(&step, "idempotency_key")),
        ("version", hidden(&step, "version")),
        ("title", String::new()),
        ("due_after_days", "soon".to_owned()),
        ("owner", "new_member".to_owned()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let refused = app.post("/induction-steps/1", &fields).await.text().await.expect("body");
    save_refused(out, "induction-step-refused", &refused);
    // Probity: donations (issue 18): the year's register and a donation.
    let donations = snapshot(&app, "/donations", out, "donations/index.html").await;
    let donation = first_link(&donations, "/donations/");
    snapshot(&app, &donation, out, "donation/index.html").await;
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
        // Bodies and appointments.
        "bodies/index.html",
        "vacancies/index.html",
        "body/index.html",
        "body-new/index.html",
        "body-edit/index.html",
        "body-dissolve/index.html",
        "appointment-nominated/index.html",
        "appointment/index.html",
        "appointment-refused/index.html",
        "body-to-a-councillor/index.html",
        // The forward plan, the social queue and scheduling.
        "forward-plan/index.html",
        "forward-plan-item/index.html",
        "forward-plan-edit/index.html",
        "forward-plan-new/index.html",
        "forward-plan-import/index.html",
        "forward-plan-refused/index.html",
        "social-queue/index.html",
        "publication-approved/index.html",
        // Motions and questions.
        "motions/index.html",
        "motion/index.html",
        "motion-draft/index.html",
        "motion-new/index.html",
        "motion-outcome/index.html",
        "motion-refused/index.html",
        "whip-report/index.html",
        // Elections and briefings.
        "elections/index.html",
        "election/index.html",
        "election-new/index.html",
        "election-refused/index.html",
        "briefings/index.html",
        "briefing/index.html",
        "briefing-version/index.html",
        "briefing-new/index.html",
        "case-new/index.html",
        "case-next/index.html",
        "case-step-refused/index.html",
        // Signing out, and a form sent after sign-in lapsed.
        "sign-in-resend/index.html",
        "signed-out/index.html",
        // Group events.
        "group-events/index.html",
        "group-event/index.html",
        "group-event-held/index.html",
        "group-event-new/index.html",
        "group-event-refused/index.html",
        "group-event-offered/index.html",
        // Training.
        "courses/index.html",
        "course/index.html",
        "course-new/index.html",
        "course-refused/index.html",
        "training-expiries/index.html",
        "training-record/index.html",
        "appointment-training-gap/index.html",
        // Training needs and the draft plan.
        "training-needs/index.html",
        "training-need-refused/index.html",
        "training-plan/index.html",
        "training-plan-refused/index.html",
        // Induction.
        "inductions/index.html",
        "induction/index.html",
        "induction-refused/index.html",
        "induction-none/index.html",
        "induction-steps/index.html",
        "induction-step/index.html",
        "induction-step-refused/index.html",
        // Probity: donations (issue 18).
        "donations/index.html",
        "donation/index.html",
    ];
    check_saved(&app, out, checkers, "index.html", &pages).await;
}

/// Saves a refused form's page as `dir/<name>/index.html`, as it works
/// without JavaScript: with it, GOV.UK Frontend moves focus to the error
/// summary on load (so it is announced), and the keyboard walk starts from
/// the top of the page.
fn save_refused(dir: &std::path::Path, name: &str, page: &str) {
    let script = page.find("<script type=\"module\"").expect("the page loads its script");
    let end = script + page[script..].find("</script>").expect("closed") + "</script>".len();
    std::fs::create_dir_all(dir.join(name)).expect("dir");
    std::fs::write(dir.join(name).join("index.html"), format!("{}{}", &page[..script], &page[end..]))
        .expect("write");
}

/// The group's budget (issue 18): the budgets, a budget, each of its forms
/// (a refused one too), a piece of spending with a Group Officer's forms and
/// one with the office's payment form, and the statement, as officers and as
/// a councillor read it; checked as the test above checks every page.
#[tokio::test]
async fn the_budget_pages_are_valid_html_and_accessible() {
    let Some(checkers) = checkers() else { return };
    let app = start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path();
    app.sign_in_as("assistant").await;
    let budgets = app.api_get("demo-assistant", "assistant", "/budgets?ledger=council").await;
    let id = budgets["items"][0]["id"].as_str().expect("a budget").to_owned();
    let budget = format!("/budgets/{id}");
    snapshot(&app, "/budgets", out, "budgets/index.html").await;
    snapshot(&app, &budget, out, "budget/index.html").await;
    snapshot(&app, "/budgets/new", out, "budget-new/index.html").await;
    snapshot(&app, &format!("{budget}/lines/new"), out, "budget-line/index.html").await;
    snapshot(&app, &format!("{budget}/allocations/new"), out, "budget-allocation/index.html").await;
    snapshot(&app, &format!("{budget}/transfers/new"), out, "budget-transfer/index.html").await;
    let propose = snapshot(&app, &format!("{budget}/spending/new"), out, "budget-propose/index.html").await;
    snapshot(&app, &format!("{budget}/spending/3"), out, "budget-spending-approved/index.html").await;
    let form = Html::parse_document(&propose);
    let form = form
        .select(&Selector::parse("form[enctype='multipart/form-data']").expect("selector"))
        .next()
        .expect("the spending form");
    let sent = reqwest::multipart::Form::new()
        .text("csrf", hidden(&form, "csrf"))
        .text("idempotency_key", hidden(&form, "idempotency_key"))
        .text("line", "it")
        .text("amount", "1.234")
        .text("payee", "")
        .text("purpose", "");
    let refused = app
        .browser
        .post(format!("{}{budget}/spending", app.web))
        .multipart(sent)
        .send()
        .await
        .expect("post")
        .text()
        .await
        .expect("body");
    save_refused(out, "budget-propose-refused", &refused);
    app.sign_in_as("officer").await;
    snapshot(&app, &format!("{budget}/spending/2"), out, "budget-spending/index.html").await;
    snapshot(&app, "/budget-statement", out, "budget-statement/index.html").await;
    app.sign_in_as("councillor").await;
    snapshot(&app, "/budget-statement", out, "budget-statement-councillor/index.html").await;
    snapshot(&app, &format!("/budgets/{}", uuid::Uuid::nil()), out, "404.html").await;
    let pages = [
        "budgets/index.html",
        "budget/index.html",
        "budget-new/index.html",
        "budget-line/index.html",
        "budget-allocation/index.html",
        "budget-transfer/index.html",
        "budget-propose/index.html",
        "budget-propose-refused/index.html",
        "budget-spending/index.html",
        "budget-spending-approved/index.html",
        "budget-statement/index.html",
        "budget-statement-councillor/index.html",
    ];
    check_saved(&app, out, checkers, "budgets/index.html", &pages).await;
}

/// Probity (issue 18): the registers of interests' pages (the list, a
/// register with its forms and with a refused one, an entry's page, the
/// year-on-year changes, the review and its refused dismissal) are valid
/// HTML with no axe-core violation, as the function above checks the rest.
#[tokio::test]
async fn the_registers_of_interests_pages_are_valid_html_and_accessible() {
    use crate::actions::{fields_of, form, send};
    let Some(checkers) = checkers() else { return };
    let app = start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path();
    app.sign_in_as("assistant").await;
    snapshot(&app, "/registers", out, "registers/index.html").await;
    let registers = app.api_get("demo-assistant", "assistant", "/registers").await;
    let leader = registers["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|r| r["member_name"] == "Amina Begum")
        .and_then(|r| r["member_id"].as_str())
        .expect("the Leader's register")
        .to_owned();
    let path = format!("/registers/{leader}");
    let register = snapshot(&app, &path, out, "register/index.html").await;
    let action = format!("{path}/entries");
    let fields = fields_of(&form(&Html::parse_document(&register), &action));
    let refused = send(&app, &action, &fields).await.text().await.expect("body");
    save_refused(out, "register-refused", &refused);
    let held = app.api_get("demo-assistant", "assistant", &path).await;
    let entry = held["entries"][0]["id"].as_str().expect("an entry").to_owned();
    snapshot(&app, &format!("{path}/entries/{entry}"), out, "register-entry/index.html").await;
    snapshot(&app, &format!("{path}/changes"), out, "register-changes/index.html").await;
    let review = snapshot(&app, "/interests-review", out, "interests-review/index.html").await;
    let item = app.api_get("demo-assistant", "assistant", "/interests-review").await["items"][0]["id"]
        .as_str()
        .expect("an item")
        .to_owned();
    let action = format!("/interests-review/{item}/dismissal");
    let fields = fields_of(&form(&Html::parse_document(&review), &action));
    let refused = send(&app, &action, &fields).await.text().await.expect("body");
    save_refused(out, "interests-review-refused", &refused);
    // The static server's 404 page.
    snapshot(&app, &format!("/registers/{}", uuid::Uuid::nil()), out, "404.html").await;
    let pages = [
        "404.html",
        "registers/index.html",
        "register/index.html",
        "register-refused/index.html",
        "register-entry/index.html",
        "register-changes/index.html",
        "interests-review/index.html",
        "interests-review-refused/index.html",
    ];
    check_saved(&app, out, checkers, "registers/index.html", &pages).await;
}

/// The donation forms (issue 18) are valid HTML and accessible as the rest
/// are: recording one (and refused, a wrong amount at its field), correcting
/// one, a donation's page with its permissibility check form (and refused),
/// and the register as it stood on a day (and a date refused).
#[tokio::test]
async fn donation_forms_are_valid_html_and_accessible() {
    let Some(checkers) = checkers() else { return };
    let app = start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path();
    app.sign_in_as("assistant").await;
    let new = snapshot(&app, "/donations/new", out, "donation-new/index.html").await;
    let form = Selector::parse("form[action='/donations']").expect("selector");
    let new = Html::parse_document(&new);
    let new = new.select(&form).next().expect("the form");
    let fields = [
        ("csrf", hidden(&new, "csrf")),
        ("idempotency_key", hidden(&new, "idempotency_key")),
        ("donor_kind", "individual".to_owned()),
        ("kind", "in_kind".to_owned()),
        ("amount", "1.234".to_owned()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let refused = app.post("/donations", &fields).await;
    assert_eq!(refused.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    save_refused(out, "donation-new-refused", &refused.text().await.expect("body"));
    let held = app.api_get("demo-assistant", "assistant", "/donations?needs_check=true").await;
    let awaiting =
        held["items"][0]["id"].as_str().expect("the sample's donation awaiting its check").to_owned();
    snapshot(&app, &format!("/donations/{awaiting}/edit"), out, "donation-edit/index.html").await;
    let page = snapshot(&app, &format!("/donations/{awaiting}"), out, "donation-check/index.html").await;
    let action = format!("/donations/{awaiting}/permissibility");
    let check = Selector::parse(&format!("form[action='{action}']")).expect("selector");
    let page = Html::parse_document(&page);
    let check = page.select(&check).next().expect("the check form");
    let fields = [
        ("csrf", hidden(&check, "csrf")),
        ("idempotency_key", hidden(&check, "idempotency_key")),
        ("outcome", "returned".to_owned()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let refused = app.post(&action, &fields).await;
    assert_eq!(refused.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    save_refused(out, "donation-check-refused", &refused.text().await.expect("body"));
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::London).date_naive();
    let as_of = format!(
        "as_of-day={}&as_of-month={}&as_of-year={}",
        today.format("%d"),
        today.format("%m"),
        today.format("%Y")
    );
    snapshot(&app, &format!("/donations?{as_of}"), out, "donations-as-of/index.html").await;
    let refused = app.get("/donations?as_of-day=31&as_of-month=2&as_of-year=2026").await;
    assert_eq!(refused.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    save_refused(out, "donations-as-of-refused", &refused.text().await.expect("body"));
    // What the checker serves besides: the page for anything missing.
    snapshot(&app, &format!("/donations/{}", uuid::Uuid::nil()), out, "404.html").await;
    let pages = [
        "donation-new/index.html",
        "donation-new-refused/index.html",
        "donation-edit/index.html",
        "donation-check/index.html",
        "donation-check-refused/index.html",
        "donations-as-of/index.html",
        "donations-as-of-refused/index.html",
    ];
    check_saved(&app, out, checkers, "donation-new/index.html", &pages).await;
}
