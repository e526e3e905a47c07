//! The report back over HTTP, as JSON and as Markdown.

use chrono::{Days, Utc};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{json, problem};
use crate::on_both_stores;

fn day(offset: i64) -> String {
    let today = Utc::now().date_naive();
    let d = if offset >= 0 {
        today.checked_add_days(Days::new(offset as u64))
    } else {
        today.checked_sub_days(Days::new(offset.unsigned_abs()))
    };
    d.expect("date").to_string()
}

on_both_stores! {
    async fn the_report_back_lists_the_periods_work_as_the_reader_may_see_it(app: backend) {
        let token = app.token("assistant");
        let mut group = crate::decisions::decision("Library campaign", "group");
        group["decided_on"] = json!(day(-5));
        group["review_on"] = json!(day(30));
        let group = json(app.post("/decisions", &token, &group).await, StatusCode::CREATED).await;
        let mut officers = crate::decisions::decision("Whipping arrangements", "officers");
        officers["decided_on"] = json!(day(-4));
        officers["review_on"] = json!(day(30));
        json(app.post("/decisions", &token, &officers).await, StatusCode::CREATED).await;
        let id = group["id"].as_str().expect("id");
        let progress = json!({"on": day(-2), "note": "Letter sent", "status": "on_track", "percent_complete": 30});
        json(app.post(&format!("/decisions/{id}/progress"), &token, &progress).await, StatusCode::OK).await;
        let owner = crate::members::add(&app, "Cllr Amina Begum", "Canning Town North").await["id"].clone();
        let late = json!({"title": "Chase the Cabinet Member", "owner_id": owner, "due_on": day(-1), "classification": "group"});
        json(app.post("/actions", &token, &late).await, StatusCode::CREATED).await;

        let body = crate::bodies::establish(&app, "Licensing Committee", 10).await;
        let nominated = crate::appointments::nominate(&app, &body, &day(-3), None).await;
        let appointment = json(nominated, StatusCode::CREATED).await;
        let confirm = json!({"on": day(-3)});
        let id = appointment["id"].as_str().expect("id");
        json(app.post(&format!("/appointments/{id}/confirmation"), &token, &confirm).await, StatusCode::OK).await;

        let path = format!("/report-back?from={}&to={}", day(-30), day(0));
        let councillor = json(app.get(&path, &app.token("councillor")).await, StatusCode::OK).await;
        let titles: Vec<&str> = councillor["decisions_taken"].as_array().expect("d").iter().map(|d| d["title"].as_str().expect("t")).collect();
        assert_eq!(titles, vec!["Library campaign"], "a councillor's report leaves out officers' business");
        assert_eq!(councillor["progress_reported"][0]["note"], "Letter sent");
        assert_eq!(councillor["overdue"][0]["title"], "Chase the Cabinet Member");
        assert_eq!(councillor["overdue"][0]["owner"], "Cllr Amina Begum");

        assert_eq!(councillor["appointments_changed"][0]["body"], "Licensing Committee");
        assert_eq!(councillor["appointments_changed"][0]["change"], "confirmed");
        let leader = json(app.get(&path, &app.token("leader")).await, StatusCode::OK).await;
        assert_eq!(leader["decisions_taken"].as_array().expect("d").len(), 2);

        let markdown = app.get(&format!("{path}&format=markdown"), &token).await;
        assert_eq!(markdown.status(), StatusCode::OK);
        assert!(markdown.headers()["content-type"].to_str().expect("ct").starts_with("text/markdown"));
        let text = markdown.text().await.expect("text");
        assert!(text.starts_with("# Report back"), "{text}");
        assert!(text.contains("**Library campaign**"), "{text}");
        assert!(text.contains("**Cllr Amina Begum**\n\n- Chase the Cabinet Member (due "), "{text}");
        assert!(text.contains("## Appointments changed (1)"), "{text}");
    }

    async fn a_period_that_ends_before_it_starts_is_422_and_an_unknown_format_400(app: backend) {
        let path = format!("/report-back?from={}&to={}", day(0), day(-10));
        let refused = problem(app.get(&path, &app.token("assistant")).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["errors"][0]["pointer"], "/to");
        let long = format!("/report-back?from=2020-01-01&to={}", day(0));
        problem(app.get(&long, &app.token("assistant")).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        problem(app.get("/report-back?format=pdf", &app.token("assistant")).await, StatusCode::BAD_REQUEST).await;
    }
}
