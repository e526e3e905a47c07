//! The role matrix, enforced: every operation in the OpenAPI document is called
//! with a token of every role, and answers 403 exactly when the matrix says so.

use caucus_api::{auth::Operation, domain::Role, startup::openapi_document};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::decisions::{decision, record};
use crate::helpers::TestApp;
use crate::on_both_stores;

/// A valid body for each operation that takes one; `None` for reads.
fn sample_body(operation: Operation, other_decision: &str, owner: &str) -> Option<Value> {
    use Operation::*;
    Some(match operation {
        RecordDecision => decision("Role matrix", "group"),
        AmendDecision => json!({"text": format!("Amended {}", uuid::Uuid::new_v4()), "reason": "matrix"}),
        ReportDecisionProgress => {
            json!({"on": "2026-03-10", "note": "progress", "status": "on_track", "percent_complete": 10})
        }
        MarkDecisionImplemented => json!({"on": "2026-04-01"}),
        RescindDecision => json!({"reason": "matrix"}),
        SupersedeDecision => json!({"by": other_decision, "reason": "matrix"}),
        CreateAction => {
            json!({"title": "Matrix action", "owner_id": owner, "due_on": "2026-05-01", "classification": "group"})
        }
        ReassignAction => json!({"owner_id": uuid::Uuid::new_v4()}),
        RescheduleAction => json!({"due_on": format!("2027-01-{:02}", rand_day()), "reason": "matrix"}),
        ReportActionProgress => json!({"on": "2026-03-10", "note": "progress"}),
        CompleteAction => json!({"on": "2026-03-12"}),
        CancelAction => json!({"reason": "matrix"}),
        AddMember => json!({"name": "Cllr Matrix", "ward": "Stratford"}),
        UpdateMemberProfile => json!({"ward": format!("Ward {}", uuid::Uuid::new_v4())}),
        RemoveMember => json!({"on": "2026-05-01", "reason": "matrix"}),
        ListDecisions | GetDecision | ListActions | GetAction | GetReportBack | ListMembers | GetMember => {
            return None;
        }
    })
}

/// A different day each call, so a reschedule is never a no-op.
fn rand_day() -> u32 {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 28 + 1
}

async fn call(app: &TestApp, method: &str, path: &str, token: &str, body: Option<Value>) -> StatusCode {
    let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
    let mut request = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.expect("send").status()
}

on_both_stores! {
    async fn every_operation_answers_403_exactly_to_the_roles_the_matrix_excludes(app: backend) {
        let target = record(&app, "Target", "group").await["id"].as_str().expect("id").to_owned();
        let other = record(&app, "Replacement", "group").await["id"].as_str().expect("id").to_owned();
        // The councillor is a member who owns the target action, so may update it.
        let member = json!({"name": "Cllr Target", "ward": "Beckton"});
        let member = crate::helpers::json(app.post("/members", &app.token("assistant"), &member).await, StatusCode::CREATED).await;
        let owner = member["id"].as_str().expect("id").to_owned();
        let action = json!({"title": "Target action", "owner_id": owner, "due_on": "2026-05-01", "classification": "group"});
        let action = crate::helpers::json(app.post("/actions", &app.token("assistant"), &action).await, StatusCode::CREATED).await;
        let targets = [
            ("/api/v1/decisions/", target),
            ("/api/v1/actions/", action["id"].as_str().expect("id").to_owned()),
            ("/api/v1/members/", member["id"].as_str().expect("id").to_owned()),
        ];
        let doc: Value = serde_json::from_str(&openapi_document().to_json().expect("json")).expect("parse");
        let mut checked = 0;
        for (path, item) in doc["paths"].as_object().expect("paths") {
            if !path.starts_with("/api/") {
                continue;
            }
            for (method, spec) in item.as_object().expect("item") {
                let id = spec["operationId"].as_str().expect("operationId");
                let operation = Operation::by_id(id).expect("in matrix");
                let path = targets
                    .iter()
                    .find(|(prefix, _)| path.starts_with(prefix))
                    .map_or_else(|| path.clone(), |(_, id)| path.replace("{id}", id));
                for role in Role::ALL {
                    let token = if role == Role::Councillor {
                        app.token_as(&owner, role.as_str())
                    } else {
                        app.token(role.as_str())
                    };
                    let status = call(&app, method, &path, &token, sample_body(operation, &other, &owner)).await;
                    let allowed = operation.permits(&[role]);
                    if allowed {
                        assert!(
                            status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED,
                            "{id} as {role:?} should be allowed, got {status}"
                        );
                    } else {
                        assert_eq!(status, StatusCode::FORBIDDEN, "{id} as {role:?} should be forbidden");
                    }
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, Operation::ALL.len() * Role::ALL.len());
    }
}
