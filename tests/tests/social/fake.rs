//! A fake network: an actix-web server on a free loopback port that records
//! every request and answers with whatever the test's responder says.

use std::sync::{Arc, Mutex};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use serde_json::Value;

/// One request as the fake server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// What the responder answers: a status and a JSON body.
pub type Reply = (u16, Value);
type Responder = Box<dyn FnMut(&Seen) -> Reply + Send>;

struct State {
    seen: Mutex<Vec<Seen>>,
    responder: Mutex<Responder>,
}

pub struct FakeServer {
    pub url: String,
    state: Arc<State>,
}

impl FakeServer {
    pub async fn start(responder: impl FnMut(&Seen) -> Reply + Send + 'static) -> Self {
        let state = Arc::new(State { seen: Mutex::default(), responder: Mutex::new(Box::new(responder)) });
        let data = web::Data::from(state.clone());
        let server =
            HttpServer::new(move || App::new().app_data(data.clone()).default_service(web::to(answer)))
                .workers(1)
                .bind("127.0.0.1:0")
                .expect("bind");
        let url = format!("http://{}", server.addrs()[0]);
        tokio::spawn(server.run());
        Self { url, state }
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().expect("lock").clone()
    }

    /// The requests so far to `path`.
    pub fn seen_at(&self, method: &str, path: &str) -> Vec<Seen> {
        self.seen().into_iter().filter(|s| s.method == method && s.path == path).collect()
    }

    /// Answers from now on with `responder`.
    pub fn respond_with(&self, responder: impl FnMut(&Seen) -> Reply + Send + 'static) {
        *self.state.responder.lock().expect("lock") = Box::new(responder);
    }
}

async fn answer(state: web::Data<State>, request: HttpRequest, body: web::Bytes) -> HttpResponse {
    let seen = Seen {
        method: request.method().to_string(),
        path: request.path().to_owned(),
        query: request.query_string().to_owned(),
        headers: request
            .headers()
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or_default().to_owned()))
            .collect(),
        body: body.to_vec(),
    };
    let (status, reply) = (state.responder.lock().expect("lock"))(&seen);
    state.seen.lock().expect("lock").push(seen);
    let status = actix_web::http::StatusCode::from_u16(status).expect("status");
    HttpResponse::build(status).json(reply)
}

/// A fake Mastodon instance: statuses get ids from 1001, and a repeated
/// Idempotency-Key gets the status it made the first time, as Mastodon does.
pub fn mastodon(base: &str) -> impl FnMut(&Seen) -> Reply + Send + 'static {
    let base = base.to_owned();
    let mut made: Vec<(String, u64)> = Vec::new();
    move |seen| {
        if seen.method != "POST" || seen.path != "/api/v1/statuses" {
            return (404, serde_json::json!({"error": "Record not found"}));
        }
        let key = seen.header("Idempotency-Key").unwrap_or_default().to_owned();
        let id = match made.iter().find(|(k, _)| !key.is_empty() && *k == key) {
            Some((_, id)) => *id,
            None => {
                let id = 1001 + made.len() as u64;
                made.push((key, id));
                id
            }
        };
        let status = seen.json()["status"].clone();
        (
            200,
            serde_json::json!({
                "id": id.to_string(),
                "url": format!("{base}/@group/{id}"),
                "uri": format!("{base}/users/group/statuses/{id}"),
                "content": status,
            }),
        )
    }
}

pub const DID: &str = "did:plc:groupfake";
pub const ACCESS: &str = "access-jwt-1";

/// A fake Bluesky PDS: createSession for `handle`/`password`, getRecord and
/// createRecord over an in-memory repo (a taken record key is refused).
pub fn bluesky(handle: &str, password: &str) -> impl FnMut(&Seen) -> Reply + Send + 'static {
    let (handle, password) = (handle.to_owned(), password.to_owned());
    let mut records: Vec<(String, Value)> = Vec::new();
    move |seen| match (seen.method.as_str(), seen.path.as_str()) {
        ("POST", "/xrpc/com.atproto.server.createSession") => {
            let body = seen.json();
            if body["identifier"] == handle.as_str() && body["password"] == password.as_str() {
                (
                    200,
                    serde_json::json!({"accessJwt": ACCESS, "refreshJwt": "refresh", "handle": handle, "did": DID}),
                )
            } else {
                (
                    401,
                    serde_json::json!({"error": "AuthenticationRequired", "message": "Invalid identifier or password"}),
                )
            }
        }
        _ if seen.header("Authorization") != Some(format!("Bearer {ACCESS}").as_str()) => {
            (401, serde_json::json!({"error": "AuthMissing"}))
        }
        ("GET", "/xrpc/com.atproto.repo.getRecord") => {
            let rkey = seen.query.split('&').find_map(|p| p.strip_prefix("rkey=")).unwrap_or_default();
            match records.iter().find(|(k, _)| k == rkey) {
                Some((k, value)) => (
                    200,
                    serde_json::json!({
                        "uri": format!("at://{DID}/app.bsky.feed.post/{k}"), "cid": "bafyfake", "value": value
                    }),
                ),
                None => (
                    400,
                    serde_json::json!({"error": "RecordNotFound", "message": "Could not locate record"}),
                ),
            }
        }
        ("POST", "/xrpc/com.atproto.repo.createRecord") => {
            let body = seen.json();
            let rkey = body["rkey"].as_str().expect("rkey").to_owned();
            if records.iter().any(|(k, _)| *k == rkey) {
                return (
                    400,
                    serde_json::json!({"error": "InvalidRequest", "message": "Record already exists"}),
                );
            }
            records.push((rkey.clone(), body["record"].clone()));
            (
                200,
                serde_json::json!({"uri": format!("at://{DID}/app.bsky.feed.post/{rkey}"), "cid": "bafyfake"}),
            )
        }
        _ => (404, serde_json::json!({"error": "MethodNotImplemented"})),
    }
}

/// A fake webhook receiver answering `{id, url}` with ids from 1.
pub fn webhook() -> impl FnMut(&Seen) -> Reply + Send + 'static {
    let mut n = 0;
    move |_| {
        n += 1;
        (
            200,
            serde_json::json!({"id": n, "url": format!("https://www.linkedin.com/feed/update/urn:li:share:{n}")}),
        )
    }
}
