//! Structured logs. Request logs carry a request id; the root span records
//! method, route and status only: no headers (tokens), no bodies (personal data).

use tracing_subscriber::{
    EnvFilter, fmt, fmt::format::FmtSpan, layer::SubscriberExt, util::SubscriberInitExt,
};

/// Installs the global subscriber; each request is logged once, when its span
/// closes, with its duration: JSON lines when `json` is set (production),
/// readable lines otherwise. `RUST_LOG` overrides the default filter.
pub fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,actix_server=warn"));
    let registry = tracing_subscriber::registry().with(filter);
    let result = if json {
        registry
            .with(fmt::layer().json().with_span_events(FmtSpan::CLOSE).with_writer(std::io::stderr))
            .try_init()
    } else {
        registry.with(fmt::layer().with_span_events(FmtSpan::CLOSE).with_writer(std::io::stderr)).try_init()
    };
    // Tests start several apps in one process; only the first subscriber counts.
    drop(result);
}

/// The span of one HTTP request. Unlike tracing-actix-web's default it records
/// no client IP, user agent, query string or error text: those can be personal
/// data (an error message may quote the value a client sent). It keeps what an
/// operator needs: method, route template, status and the request id that
/// events carry in their metadata.
#[derive(Debug)]
pub struct RequestSpan;

impl tracing_actix_web::RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &actix_web::dev::ServiceRequest) -> tracing::Span {
        use actix_web::HttpMessage;
        let request_id = request
            .extensions()
            .get::<tracing_actix_web::RequestId>()
            .map(ToString::to_string)
            .unwrap_or_default();
        tracing::info_span!(
            "request",
            method = %request.method(),
            route = request.match_pattern().unwrap_or_else(|| "unmatched".to_owned()),
            request_id = %request_id,
            status = tracing::field::Empty,
        )
    }

    fn on_request_end<B: actix_web::body::MessageBody>(
        span: tracing::Span,
        outcome: &Result<actix_web::dev::ServiceResponse<B>, actix_web::Error>,
    ) {
        let status = match outcome {
            Ok(response) => response.status(),
            Err(error) => error.as_response_error().status_code(),
        };
        span.record("status", status.as_u16());
    }
}
