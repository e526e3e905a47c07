//! `/forward-plan-items`: the council's forward plan of executive decisions as
//! the group tracks it: entered one by one or imported from the council's CSV,
//! with the group's position and briefing actions, and what is due soon.

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, patch, post, web};
use caucus_wire::{IdList, ListOrder, ReadOn};
use caucus_wire::{
    Input, ParseRequest,
    forward_plan::{
        AgreePositionRequest, EnterForwardPlanItemRequest, ForwardPlanFilters, ForwardPlanItemView,
        ForwardPlanPage, ImportParams, ImportReport, LinkBriefingActionRequest,
        PlanEntry as PlanEntryRequest,
    },
};
use chrono::{Days, NaiveDate};
use uuid::Uuid;

use super::{
    AppState, Routes,
    command::{self, RecordView, Write, record_command},
    listing::{self, PageParams},
};
use crate::app::references;
use crate::auth::{Caller, Operation};
use crate::domain::{
    Classification, Title,
    action::Action,
    forward_plan::{ForwardPlanCommand, ForwardPlanItem, ForwardPlanStatus, PlanEntry},
};
use crate::http::{
    ApiError, CommandErrors, FieldError, Fields, IdempotencyKey, Idempotent, IfMatch, JsonBody, ListErrors,
    Query, ReadErrors,
};
use crate::store::{
    command_bus::Expectation,
    records::{RecordFilter, StoredRecord},
};

impl RecordView for ForwardPlanItemView {
    type Record = ForwardPlanItem;
    const NAME: &'static str = "forward plan item";
    const COLLECTION: &'static str = "/forward-plan-items";

    fn from_stored(
        id: Uuid,
        record: ForwardPlanItem,
        stored: &StoredRecord,
        _on: ReadOn<'_>,
    ) -> Result<Self, ApiError> {
        ForwardPlanItemView::new(id, record, command::stored(stored)).map_err(ApiError::internal)
    }
}

/// The most rows one CSV import takes.
const MAX_IMPORT_ROWS: usize = 1_000;

pub fn configure(config: &mut Routes) {
    config
        .service(enter_forward_plan_item)
        .service(import_forward_plan)
        .service(list_forward_plan_items)
        .service(get_forward_plan_item)
        .service(update_forward_plan_item)
        .service(agree_group_position)
        .service(link_briefing_action);
}

/// Enter an item.
#[utoipa::path(
    tag = "forward-plan",
    operation_id = "enter_forward_plan_item",
    summary = "Enter an item of the council's forward plan",
    request_body = EnterForwardPlanItemRequest,
    params(("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")),
    responses((status = 201, description = "Entered", body = ForwardPlanItemView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/forward-plan-items")]
async fn enter_forward_plan_item(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    body: JsonBody<EnterForwardPlanItemRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::EnterForwardPlanItem)?;
    let mut fields = Fields::new();
    let entered = fields.enter("/entry");
    let entry = body.value.entry.parse_fields(&mut fields);
    fields.leave(entered);
    let entry = fields.finish(|| entry)?;
    let command = ForwardPlanCommand::EnterForwardPlanItem {
        group_id: caller.group_id.clone(),
        entry: Box::new(entry),
        classification: body.value.classification.into(),
    };
    command::execute::<ForwardPlanItemView>(Write::create(
        &state, &caller, &request, &key, &body.raw, command,
    ))
    .await
}

/// The columns of an import, by header name.
const COLUMNS: &str = "title,decision_maker,expected_on,key_decision,wards,portfolio,reference";

/// Parses a CSV forward plan: a header row naming the columns, then one item a
/// row; `wards` separated by `;`, `key_decision` `yes`/`no` (or true/false).
/// Every bad cell is reported by line and column.
fn parse_csv(text: &[u8]) -> Result<Vec<PlanEntry>, ApiError> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text);
    let headers =
        reader.headers().map_err(|e| ApiError::BadRequest(format!("the CSV cannot be read: {e}")))?.clone();
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let mut errors = Vec::new();
    let required = ["title", "decision_maker", "expected_on", "key_decision"];
    for name in required {
        if column(name).is_none() {
            errors.push(FieldError {
                pointer: format!("line 1, column {name}"),
                detail: "missing from the header".into(),
            });
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Unprocessable {
            detail: format!("the header must name the columns {COLUMNS}"),
            errors,
        });
    }
    let mut entries = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let line = n + 2;
        let record = record.map_err(|e| ApiError::Unprocessable {
            detail: format!("line {line} cannot be read: {e}"),
            errors: vec![FieldError { pointer: format!("line {line}"), detail: e.to_string() }],
        })?;
        if entries.len() >= MAX_IMPORT_ROWS {
            return Err(ApiError::BadRequest(format!("an import takes at most {MAX_IMPORT_ROWS} rows")));
        }
        let cell = |name: &str| column(name).and_then(|i| record.get(i)).unwrap_or_default().to_owned();
        let mut fields = Fields::new();
        let at = |name: &str| format!("line {line}, column {name}");
        let expected_on = match cell("expected_on").parse::<NaiveDate>() {
            Ok(day) => Some(day),
            Err(_) => {
                fields.reject(&at("expected_on"), "must be a date like 2026-04-14");
                None
            }
        };
        let key_decision = match cell("key_decision").to_ascii_lowercase().as_str() {
            "yes" | "y" | "true" => Some(true),
            "no" | "n" | "false" => Some(false),
            _ => {
                fields.reject(&at("key_decision"), "must be yes or no");
                None
            }
        };
        let title = fields.text(&at("title"), &cell("title"));
        let decision_maker = fields.text(&at("decision_maker"), &cell("decision_maker"));
        let wards: Vec<Option<Title>> = cell("wards")
            .split(';')
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(|ward| fields.text(&at("wards"), ward))
            .collect();
        let optional = |fields: &mut Fields, name: &str| {
            let value = cell(name);
            fields.optional_text(&at(name), (!value.is_empty()).then_some(value.as_str()))
        };
        let portfolio = optional(&mut fields, "portfolio");
        let reference = optional(&mut fields, "reference");
        match fields.finish(|| {
            Some(PlanEntry {
                title: title?,
                decision_maker: decision_maker?,
                expected_on: expected_on?,
                key_decision: key_decision?,
                wards: wards.into_iter().collect::<Option<_>>()?,
                portfolio: portfolio?,
                reference: reference?,
            })
        }) {
            Ok(entry) => entries.push(entry),
            Err(invalid) => errors.extend(invalid.errors),
        }
    }
    if let Some(first) = errors.first() {
        let detail = format!("{}: {}; nothing was imported", first.pointer, first.detail);
        return Err(ApiError::Unprocessable { detail, errors });
    }
    Ok(entries)
}

/// Import the forward plan from CSV.
#[utoipa::path(
    tag = "forward-plan",
    operation_id = "import_forward_plan",
    summary = "Import forward plan items from the council's CSV (header: title,decision_maker,expected_on,key_decision,wards,portfolio,reference); a bad row is a 422 naming its line and column, and then nothing is imported",
    request_body(content = String, content_type = "text/csv"),
    params(
        ImportParams,
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key imports nothing again")
    ),
    responses((status = 201, description = "Imported", body = ImportReport), CommandErrors),
    security(("bearer" = []))
)]
#[post("/forward-plan-imports")]
async fn import_forward_plan(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    query: Query<ImportParams>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ImportForwardPlan)?;
    let content_type =
        request.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !content_type.starts_with("text/csv") {
        return Err(ApiError::BadRequest("the body must be text/csv".into()));
    }
    let entries = parse_csv(&body)?;
    let classification = query.classification.map_or(Classification::Public, Into::into);
    let context = command::context_of(&caller, &request, None);
    // A repeat under the same key (a form sent twice) answers as the first
    // did and enters nothing again; the report names no personal data.
    Idempotent::run(&state.db, &caller, &key, (&request, &body), async |report| Ok(report), async {
        let mut entered = Vec::with_capacity(entries.len());
        for entry in entries {
            let id = Uuid::now_v7();
            let command = ForwardPlanCommand::EnterForwardPlanItem {
                group_id: caller.group_id.clone(),
                entry: Box::new(entry),
                classification,
            };
            state
                .bus
                .execute::<ForwardPlanItem>(&id.to_string(), command, &context, Expectation::New)
                .await
                .map_err(|e| ApiError::from_command("forward plan item", e))?;
            entered.push(id);
        }
        Idempotent::new(StatusCode::CREATED, &ImportReport { entered })
    })
    .await
}

/// List forward plan items.
#[utoipa::path(
    tag = "forward-plan",
    operation_id = "list_forward_plan_items",
    summary = "Forward plan items, filtered by status or those expected in the next N days",
    params(ForwardPlanFilters),
    responses((status = 200, description = "A page of items", body = ForwardPlanPage), ListErrors),
    security(("bearer" = []))
)]
#[get("/forward-plan-items")]
async fn list_forward_plan_items(
    state: web::Data<AppState>,
    caller: Caller,
    filters: Query<ForwardPlanFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListForwardPlanItems)?;
    let paging = PageParams {
        cursor: filters.cursor.clone(),
        limit: filters.limit,
        as_of: None,
        newest_first: ListOrder::newest_first(filters.order),
    };
    let statuses: Vec<&str> = filters.status.iter().map(|s| ForwardPlanStatus::from(*s).as_str()).collect();
    let (mut from, mut to) = (None, None);
    if let Some(days) = filters.due_within_days {
        let days = days.parse().map_err(|e| ApiError::BadRequest(format!("due_within_days {e}")))?;
        let today = state.read_on().today;
        from = Some(today);
        to = today.checked_add_days(Days::new(u64::from(days)));
    }
    let record_ids = IdList::record_ids(filters.ids.as_ref());
    let (items, next_cursor) = listing::page_of::<ForwardPlanItemView>(
        &state,
        &caller,
        &paging,
        RecordFilter {
            statuses: &statuses,
            due_on_or_after: from,
            record_ids: &record_ids,
            due_on_or_before: to,
            ..RecordFilter::default()
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(ForwardPlanPage { items, next_cursor }))
}

/// Read one item.
#[utoipa::path(
    tag = "forward-plan",
    operation_id = "get_forward_plan_item",
    summary = "One forward plan item with the group's position and briefing actions; the ETag is its version",
    params(("id" = Uuid, Path, description = "The item's id"), command::AsOf),
    responses((status = 200, description = "The item", body = ForwardPlanItemView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/forward-plan-items/{id}")]
async fn get_forward_plan_item(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    at: Query<command::AsOf>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetForwardPlanItem)?;
    command::read_one::<ForwardPlanItemView>(&state, &caller, *id, &at).await
}

record_command!(
    ForwardPlanItemView,
    ForwardPlanCommand,
    "forward-plan",
    update_forward_plan_item,
    UpdateForwardPlanItem,
    patch,
    "/forward-plan-items/{id}",
    "Record the council's change to a forward plan item (the whole entry); the previous entry stays in its history",
    PlanEntryRequest,
    |caller, state, value, id| {
        value.parse().map(|entry| ForwardPlanCommand::UpdateForwardPlanItem { entry: Box::new(entry) })
    }
);

record_command!(
    ForwardPlanItemView,
    ForwardPlanCommand,
    "forward-plan",
    agree_group_position,
    AgreeGroupPosition,
    post,
    "/forward-plan-items/{id}/position",
    "Record the group's agreed position on a forward plan item",
    AgreePositionRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let position = fields.check("/position", &value.position);
        fields.finish(|| Some(ForwardPlanCommand::AgreeGroupPosition { position: position? }))
    }
);

record_command!(
    ForwardPlanItemView,
    ForwardPlanCommand,
    "forward-plan",
    link_briefing_action,
    LinkBriefingAction,
    post,
    "/forward-plan-items/{id}/briefing-actions",
    "Link a briefing action (an action of the group) to a forward plan item",
    LinkBriefingActionRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let scope = command::scope(&state, &caller);
        references::check_exists::<Action>(&scope, value.action_id, "/action_id", "action", &mut fields)
            .await?;
        fields.finish(|| Some(ForwardPlanCommand::LinkBriefingAction { action_id: value.action_id }))
    }
);
