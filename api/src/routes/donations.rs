//! `/donations` and `/donations-register`: donations to the group's own
//! funds, for those who keep them (Group Officers, the Leader and the
//! assistant) and auditors; councillors see nothing of donors, and nothing
//! here reaches the publisher.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use caucus_wire::{
    Input, ParseRequest, ReadOn,
    donations::{
        CorrectDonationRequest, DonationFilters, DonationPage, DonationView, DonationsRegisterFormat,
        DonationsRegisterParams, DonationsRegisterView, RecordDonationRequest, RecordPermissibilityRequest,
    },
};
use chrono::{Datelike, Utc};
use uuid::Uuid;

use super::{
    AppState, Routes,
    command::{self, RecordView, Write, record_command},
    listing::{self, PageParams},
};
use crate::app::donations;
use crate::auth::{Caller, Operation};
use crate::domain::{
    donation::{CheckOutcome, Correction, Donation, DonationCommand, DonationStatus, PermissibilityCheck},
    tag,
};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, Query, ReadErrors, csv_ok,
};
use crate::reports::donations_register;
use crate::store::records::{RecordFilter, StoredRecord};

impl RecordView for DonationView {
    type Record = Donation;
    const NAME: &'static str = "donation";
    const COLLECTION: &'static str = "/donations";

    fn from_stored(
        id: Uuid,
        record: Donation,
        stored: &StoredRecord,
        on: ReadOn<'_>,
    ) -> Result<Self, ApiError> {
        DonationView::new(id, &record, command::stored(stored), on.today).map_err(ApiError::internal)
    }
}

pub fn configure(config: &mut Routes) {
    config
        .service(record_donation)
        .service(list_donations)
        .service(get_donation)
        .service(correct_donation)
        .service(record_donation_permissibility)
        .service(get_donations_register);
}

/// Record a donation.
#[utoipa::path(
    tag = "donations",
    operation_id = "record_donation",
    summary = "Record a donation to the group's funds: donor, amount in pence, day received, cash or in kind; one over the check threshold (£500) needs its donor's permissibility checked within 30 days",
    request_body = RecordDonationRequest,
    params(("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")),
    responses((status = 201, description = "Recorded", body = DonationView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/donations")]
async fn record_donation(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    body: JsonBody<RecordDonationRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::RecordDonation)?;
    if let Some(replay) =
        command::replayed::<DonationView>(&state, &caller, &request, &key, &body.raw).await?
    {
        return Ok(replay);
    }
    let draft = body.value.parse()?;
    let write = Write::create(&state, &caller, &request, &key, &body.raw, ());
    let id = write.id;
    let scope = command::scope(&state, &caller);
    let rules = (state.donation_thresholds, state.read_on().today);
    command::execute_operation::<DonationView>(write, async |context| {
        donations::record(&scope, (&state.bus, context), (id, draft), rules).await
    })
    .await
}

/// List donations.
#[utoipa::path(
    tag = "donations",
    operation_id = "list_donations",
    summary = "The donations in the order recorded, by calendar year, donor, or whether their permissibility check is still to be made",
    params(DonationFilters),
    responses((status = 200, description = "A page of donations", body = DonationPage), ListErrors),
    security(("bearer" = []))
)]
#[get("/donations")]
async fn list_donations(
    state: web::Data<AppState>,
    caller: Caller,
    filters: Query<DonationFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListDonations)?;
    let paging = PageParams {
        cursor: filters.cursor.clone(),
        limit: filters.limit,
        as_of: filters.as_of,
        newest_first: false,
    };
    let mut tags = Vec::new();
    if let Some(year) = filters.year {
        let year = year.parse().map_err(|e| ApiError::BadRequest(format!("year {e}")))?;
        tags.push(tag("year", year));
    }
    if let Some(donor) = &filters.donor {
        if donor.chars().count() > 200 {
            return Err(ApiError::BadRequest("donor must be at most 200 characters".into()));
        }
        tags.push(tag("donor", donor));
    }
    let awaiting = [DonationStatus::AwaitingCheck.as_str()];
    let settled =
        [DonationStatus::Received, DonationStatus::Permissible, DonationStatus::Returned].map(|s| s.as_str());
    let statuses: &[&str] = match filters.needs_check {
        None => &[],
        Some(true) => &awaiting,
        Some(false) => &settled,
    };
    let filter = RecordFilter { statuses, tags: &tags, ..RecordFilter::default() };
    let (items, next_cursor) = listing::page_of::<DonationView>(&state, &caller, &paging, filter).await?;
    Ok(HttpResponse::Ok().json(DonationPage { items, next_cursor }))
}

/// Read one donation.
#[utoipa::path(
    tag = "donations",
    operation_id = "get_donation",
    summary = "One donation, with its permissibility check and corrections; the ETag is its version",
    params(("id" = Uuid, Path, description = "The donation's id"), command::AsOf),
    responses((status = 200, description = "The donation", body = DonationView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/donations/{id}")]
async fn get_donation(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    at: Query<command::AsOf>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetDonation)?;
    command::read_one::<DonationView>(&state, &caller, *id, &at).await
}

record_command!(
    DonationView,
    DonationCommand,
    "donations",
    correct_donation,
    CorrectDonation,
    put,
    "/donations/{id}",
    "Correct a donation: the whole donation as it should read, and why; its check falls due (or is no longer needed) by the corrected amount, and a check made stands",
    CorrectDonationRequest,
    |caller, state, value, id| {
        let (draft, reason) = value.parse()?;
        let today = state.read_on().today;
        let mut fields = Fields::new();
        donations::check_draft(&command::scope(&state, &caller), &draft, today, &mut fields).await?;
        fields.finish(|| {
            Some(DonationCommand::CorrectDonation {
                draft: Box::new(draft),
                correction: Correction { on: today, reason },
                check_threshold_pence: state.donation_thresholds.check_pence,
            })
        })
    }
);

record_command!(
    DonationView,
    DonationCommand,
    "donations",
    record_donation_permissibility,
    RecordDonationPermissibility,
    post,
    "/donations/{id}/permissibility",
    "Record a donation's permissibility check: permissible, or impermissible and returned (a returned donation counts in no total); once",
    RecordPermissibilityRequest,
    |caller, state, value, id| {
        let (outcome, checked_on, note) = value.parse()?;
        let today = state.read_on().today;
        let mut fields = Fields::new();
        if checked_on > today {
            fields.reject("/checked_on", "must not be after today");
        }
        if let CheckOutcome::ImpermissibleReturned { returned_on } = outcome
            && returned_on > today
        {
            fields.reject("/returned_on", "must not be after today");
        }
        let by = caller.subject.clone();
        fields.finish(|| {
            Some(DonationCommand::RecordPermissibility {
                check: PermissibilityCheck { outcome, checked_on, by, note },
            })
        })
    }
);

/// The donations register of a year.
#[utoipa::path(
    tag = "donations",
    operation_id = "get_donations_register",
    summary = "The donations register of a calendar year (default: this year): every donation, returned ones marked and those of the check threshold (£500) or less marked as not counting towards reporting, and each donor's year total and reportable total, nearing the reporting threshold from 80% of it and reportable at it; `as_of` gives the register as it stood at an instant, from the events; JSON, or CSV with `format=csv`",
    params(DonationsRegisterParams),
    responses(
        (status = 200, description = "The register: JSON, or CSV with `format=csv`", content(
            (DonationsRegisterView = "application/json"),
            (String = "text/csv")
        )),
        ListErrors
    ),
    security(("bearer" = []))
)]
#[get("/donations-register")]
async fn get_donations_register(
    state: web::Data<AppState>,
    caller: Caller,
    params: Query<DonationsRegisterParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetDonationsRegister)?;
    let year = match (params.year, params.as_of) {
        (Some(year), _) => year.parse().map_err(|e| ApiError::BadRequest(format!("year {e}")))?,
        (None, Some(as_of)) => as_of.with_timezone(&state.motion_deadline.zone).year(),
        (None, None) => state.read_on().today.year(),
    };
    let found = donations::of_year(&command::scope(&state, &caller), year, params.as_of).await?;
    // An instant still to come is shown as now: the register cannot know more.
    let as_of = params.as_of.map(|at| at.min(Utc::now()));
    let register = donations_register::build(&found, (year, as_of), state.donation_thresholds);
    Ok(match params.format.unwrap_or_default() {
        DonationsRegisterFormat::Json => HttpResponse::Ok().json(register),
        DonationsRegisterFormat::Csv => csv_ok()
            .insert_header(("Content-Disposition", format!("attachment; filename=\"donations-{year}.csv\"")))
            .body(donations_register::to_csv(&register).map_err(ApiError::internal)?),
    })
}
