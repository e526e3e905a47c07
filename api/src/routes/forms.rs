//! `/forms`: what the group's website posts to, without a token. A resident's
//! enquiry arrives as a plain HTML form (no script), becomes a `received`
//! case for their ward's councillors, and is answered with a redirect to a
//! thank-you page. It never echoes what was sent; it refuses large bodies and
//! more than a few enquiries an hour from one address; a form whose hidden
//! robot trap is filled in is thanked and dropped.

use std::net::{IpAddr, Ipv4Addr};
use std::num::NonZeroU32;
use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse, get, http::header, post, web};
use caucus_wire::{
    ParseRequest,
    casework::{ENQUIRY_MAX_BYTES, EnquiryForm},
};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter, clock::Clock as _};
use uuid::Uuid;

use super::{AppState, command};
use crate::app::casework;
use crate::domain::GroupId;
use crate::http::{ApiError, FormErrors};

/// Where the enquiry form's thank-you page is served when the deployment
/// names none of its own.
pub const ENQUIRY_RECEIVED_PATH: &str = "/forms/enquiry-received";

/// How many enquiries one client address may send in an hour, by default.
pub const DEFAULT_ENQUIRIES_PER_HOUR: u32 = 10;

/// Past this many client addresses remembered, those with their whole
/// allowance back are forgotten, so many addresses cannot grow the limiter
/// without bound.
const FORGET_ADDRESSES_OVER: usize = 10_000;

/// The enquiry form's settings: where to send the resident after, and how
/// many enquiries an address may send.
#[derive(Clone)]
pub struct EnquiryDesk {
    /// The thank-you page (the group's site's own, or [`ENQUIRY_RECEIVED_PATH`]).
    pub thanks_url: String,
    limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    /// The reverse proxies in front of the api, whose `X-Forwarded-For` is
    /// believed; anyone else's is ignored (a client could write any address).
    trusted_proxies: Arc<[IpAddr]>,
}

impl std::fmt::Debug for EnquiryDesk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnquiryDesk").field("thanks_url", &self.thanks_url).finish_non_exhaustive()
    }
}

impl EnquiryDesk {
    /// At most `per_hour` enquiries an hour from one address (at least one),
    /// the resident sent to `thanks_url` after.
    /// Behind `trusted_proxies`, the client is the last address in
    /// `X-Forwarded-For` that is not one of them.
    pub fn new(thanks_url: Option<String>, per_hour: Option<u32>, trusted_proxies: Vec<IpAddr>) -> Self {
        let per_hour =
            NonZeroU32::new(per_hour.unwrap_or(DEFAULT_ENQUIRIES_PER_HOUR)).unwrap_or(NonZeroU32::MIN);
        Self {
            thanks_url: thanks_url.unwrap_or_else(|| ENQUIRY_RECEIVED_PATH.to_owned()),
            limiter: Arc::new(RateLimiter::keyed(Quota::per_hour(per_hour))),
            trusted_proxies: trusted_proxies.into(),
        }
    }

    /// The client's address: the peer's, or, when the peer is a trusted
    /// proxy, the last address `X-Forwarded-For` names that is not one.
    fn client_of(&self, request: &HttpRequest) -> IpAddr {
        let peer = request.peer_addr().map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |peer| peer.ip());
        if !self.trusted_proxies.contains(&peer) {
            return peer;
        }
        let forwarded = request.headers().get_all("x-forwarded-for").filter_map(|v| v.to_str().ok());
        let hops: Vec<IpAddr> =
            forwarded.flat_map(|v| v.split(',')).filter_map(|hop| hop.trim().parse().ok()).collect();
        hops.into_iter().rev().find(|hop| !self.trusted_proxies.contains(hop)).unwrap_or(peer)
    }

    /// Takes one enquiry from `address`'s allowance, or says how many seconds
    /// until it has one again.
    fn admit(&self, address: IpAddr) -> Result<(), u64> {
        if self.limiter.len() > FORGET_ADDRESSES_OVER {
            // Addresses whose allowance is whole again need no memory.
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&address).map_err(|not_until| {
            not_until.wait_time_from(governor::clock::DefaultClock::default().now()).as_secs().max(1)
        })
    }
}

/// Send an enquiry from the website.
#[utoipa::path(
    tag = "casework",
    operation_id = "submit_enquiry",
    summary = "A resident's enquiry from the group's website, as a plain HTML form without a token: a received case for the ward's councillors, answered with a redirect to the thank-you page",
    params(("group" = String, Path, description = "The group's id, e.g. `newham-labour`")),
    request_body(content = EnquiryForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Received: go to the thank-you page", headers(("Location" = String, description = "The thank-you page"))),
        FormErrors
    ),
    security(())
)]
#[post("/forms/{group}/enquiries")]
pub async fn submit_enquiry(
    state: web::Data<AppState>,
    desk: web::Data<EnquiryDesk>,
    request: HttpRequest,
    group: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let form_type =
        request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| {
            v.trim_start().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded")
        });
    if !form_type {
        return Err(ApiError::UnsupportedMediaType);
    }
    if body.len() > ENQUIRY_MAX_BYTES {
        return Err(ApiError::PayloadTooLarge(ENQUIRY_MAX_BYTES));
    }
    desk.admit(desk.client_of(&request)).map_err(ApiError::TooManyRequests)?;
    let form: EnquiryForm = serde_urlencoded::from_bytes(&body)
        .map_err(|_| ApiError::BadRequest("the body is not a form's fields".into()))?;
    let group = GroupId::parse(&group).map_err(|_| ApiError::NotFound("group"))?;
    let thanks = HttpResponse::SeeOther().insert_header((header::LOCATION, desk.thanks_url.clone())).finish();
    if form.is_from_a_robot() {
        return Ok(thanks);
    }
    let enquiry = form.parse()?;
    casework::receive_enquiry(&state.db, command::desk(&state), &group, Uuid::now_v7(), enquiry).await?;
    Ok(thanks)
}

/// The page a resident sees after sending an enquiry, when the group's site
/// has no thank-you page of its own.
#[utoipa::path(
    tag = "casework",
    operation_id = "enquiry_received",
    summary = "The thank-you page after an enquiry (when the site names none of its own)",
    responses((status = 200, description = "The page", content((String = "text/html")))),
    security(())
)]
#[get("/forms/enquiry-received")]
pub async fn enquiry_received() -> HttpResponse {
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Thank you: your enquiry was received</title>\n</head>\n<body>\n<main>\n\
         <h1>Thank you</h1>\n<p>Your enquiry has reached your councillors' office. They will be in \
         touch in the way you asked, usually within two working days.</p>\n</main>\n</body>\n</html>\n",
    )
}
