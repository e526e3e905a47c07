//! What every endpoint shares: probes, authentication, bad input.

use reqwest::StatusCode;
use serde_json::json;

use crate::decisions::decision;
use crate::helpers::{AUDIENCE, ISSUER, json, problem};
use crate::on_both_stores;
use caucus_api::auth::TokenIssuer;

on_both_stores! {
    async fn the_probes_answer_without_a_token(app: backend) {
        let health = app.client.get(app.url("/healthz")).send().await.expect("healthz");
        assert_eq!(json(health, StatusCode::OK).await["status"], "ok");
        let ready = app.client.get(app.url("/readyz")).send().await.expect("readyz");
        assert_eq!(json(ready, StatusCode::OK).await["status"], "ready");
    }

    async fn the_api_serves_its_openapi_document_and_docs(app: backend) {
        let doc = app.client.get(app.url("/openapi.json")).send().await.expect("spec");
        assert_eq!(doc.headers()["content-type"], "application/json");
        let doc = json(doc, StatusCode::OK).await;
        let committed: serde_json::Value =
            serde_json::from_str(include_str!("../../../openapi/openapi.json")).expect("committed document");
        assert!(doc == committed, "the served document is the committed openapi/openapi.json");
        let docs = app.client.get(app.url("/docs/")).send().await.expect("docs");
        assert_eq!(docs.status(), StatusCode::OK);
    }

    async fn requests_without_a_valid_token_are_401(app: backend) {
        let none = app.client.get(app.api("/decisions")).send().await.expect("send");
        assert_eq!(none.headers()["www-authenticate"], "Bearer");
        problem(none, StatusCode::UNAUTHORIZED).await;

        let garbage = app.get("/decisions", "not-a-token").await;
        problem(garbage, StatusCode::UNAUTHORIZED).await;

        let forged = TokenIssuer::shared_secret(b"wrong secret", ISSUER, AUDIENCE)
            .mint("mallory", "newham-labour", &["assistant"], 600).expect("mint");
        problem(app.get("/decisions", &forged).await, StatusCode::UNAUTHORIZED).await;

        let expired = app.issuer.mint("pa", "newham-labour", &["assistant"], 0).expect("mint");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        // Leeway is 5 s in tests; a token issued and expired long ago is refused.
        let old = {
            let claims = caucus_api::auth::Claims {
                sub: "pa".into(), iss: ISSUER.into(), aud: AUDIENCE.into(), exp: 1_000_000,
                iat: None, nbf: None, group: "newham-labour".into(), roles: vec!["assistant".into()],
            };
            jsonwebtoken::encode(&jsonwebtoken::Header::default(), &claims,
                &jsonwebtoken::EncodingKey::from_secret(b"test-secret-for-the-api-suite")).expect("encode")
        };
        problem(app.get("/decisions", &old).await, StatusCode::UNAUTHORIZED).await;
        drop(expired);

        let no_roles = app.issuer.mint("pa", "newham-labour", &["mayor"], 600).expect("mint");
        problem(app.get("/decisions", &no_roles).await, StatusCode::UNAUTHORIZED).await;
    }

    async fn malformed_json_is_a_400(app: backend) {
        let response = app.client.post(app.api("/decisions")).bearer_auth(app.token("assistant"))
            .header("content-type", "application/json").body("{\"title\": ").send().await.expect("send");
        problem(response, StatusCode::BAD_REQUEST).await;
    }

    async fn a_body_that_is_not_json_is_a_415(app: backend) {
        let response = app.client.post(app.api("/decisions")).bearer_auth(app.token("assistant"))
            .header("content-type", "text/plain").body("hello").send().await.expect("send");
        problem(response, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    }

    async fn wrong_types_and_unknown_fields_are_422_naming_the_field(app: backend) {
        let token = app.token("assistant");
        let mut wrong_type = decision("x", "group");
        wrong_type["votes"]["for"] = json!("many");
        let body = problem(app.post("/decisions", &token, &wrong_type).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(body["errors"][0]["pointer"], "/votes/for");

        let mut unknown = decision("x", "group");
        unknown["colour"] = json!("red");
        problem(app.post("/decisions", &token, &unknown).await, StatusCode::UNPROCESSABLE_ENTITY).await;

        let mut bad_class = decision("x", "group");
        bad_class["classification"] = json!("secret");
        let body = problem(app.post("/decisions", &token, &bad_class).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(body["errors"][0]["pointer"], "/classification");
    }

    async fn every_invalid_field_is_listed(app: backend) {
        let mut bad = decision("   ", "group");
        bad["text"] = json!("");
        bad["review_on"] = json!("2020-01-01");
        let body = problem(app.post("/decisions", &app.token("assistant"), &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        let pointers: Vec<&str> = body["errors"].as_array().expect("errors").iter().map(|e| e["pointer"].as_str().expect("p")).collect();
        assert_eq!(pointers, vec!["/title", "/text", "/review_on"]);
        let list = json(app.get("/decisions", &app.token("assistant")).await, StatusCode::OK).await;
        assert_eq!(list["items"].as_array().expect("items").len(), 0, "nothing was recorded");
    }

    async fn an_oversized_body_is_a_413(app: backend) {
        let mut huge = decision("Huge", "group");
        huge["text"] = json!("x".repeat(400 * 1024));
        problem(app.post("/decisions", &app.token("assistant"), &huge).await, StatusCode::PAYLOAD_TOO_LARGE).await;
    }

    async fn bad_ids_cursors_and_headers_are_400(app: backend) {
        let token = app.token("assistant");
        problem(app.get("/decisions/not-a-uuid", &token).await, StatusCode::BAD_REQUEST).await;
        problem(app.get("/decisions?cursor=garbage", &token).await, StatusCode::BAD_REQUEST).await;
        // Found by schemathesis: a NUL byte reached PostgreSQL and was a 500.
        problem(app.get("/decisions?cursor=L%00x~y", &token).await, StatusCode::BAD_REQUEST).await;
        problem(app.get("/audit/log?actor=a%00b", &token).await, StatusCode::BAD_REQUEST).await;
        problem(app.get("/decisions?limit=0", &token).await, StatusCode::BAD_REQUEST).await;
        problem(app.get("/decisions?status=lost", &token).await, StatusCode::BAD_REQUEST).await;
        let bad_if_match = app.client.post(app.api(&format!("/decisions/{}/rescission", uuid::Uuid::now_v7())))
            .bearer_auth(&token).header("If-Match", "yesterday").json(&json!({"reason": "x"})).send().await.expect("send");
        problem(bad_if_match, StatusCode::BAD_REQUEST).await;
    }

    async fn an_unknown_record_or_route_is_a_404_problem(app: backend) {
        let token = app.token("assistant");
        problem(app.get(&format!("/decisions/{}", uuid::Uuid::now_v7()), &token).await, StatusCode::NOT_FOUND).await;
        let unknown = problem(app.get("/nothing-here", &token).await, StatusCode::NOT_FOUND).await;
        assert_eq!(unknown["instance"], "/api/v1/nothing-here");
    }

    async fn a_known_path_with_an_undeclared_method_is_a_405_naming_the_allowed_ones(app: backend) {
        let token = app.token("assistant");
        let trace = app.client.request(reqwest::Method::TRACE, app.api("/decisions"))
            .bearer_auth(&token).send().await.expect("send");
        assert_eq!(trace.headers()["allow"], "GET, POST");
        let body = problem(trace, StatusCode::METHOD_NOT_ALLOWED).await;
        assert_eq!(body["instance"], "/api/v1/decisions");

        let delete = app.client.delete(app.api(&format!("/decisions/{}", uuid::Uuid::now_v7())))
            .bearer_auth(&token).send().await.expect("send");
        assert_eq!(delete.headers()["allow"], "GET");
        problem(delete, StatusCode::METHOD_NOT_ALLOWED).await;

        // Without a token too: the method is wrong whoever asks.
        let put = app.client.put(app.url("/healthz")).send().await.expect("send");
        problem(put, StatusCode::METHOD_NOT_ALLOWED).await;
    }
}
