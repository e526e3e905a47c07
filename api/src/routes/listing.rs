//! Pagination of registers: a stable cursor over (created, id), so records
//! added while a client pages never shift or repeat a page.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use cqrs_es::Aggregate as _;

use super::{
    AppState,
    command::{self, RecordView},
};
use crate::auth::Caller;
use crate::domain::Classification;
use crate::http::ApiError;
use crate::store::{
    rebuild::records_as_of,
    records::{self, Cursor, RecordFilter, RecordQuery},
};

/// Paging parameters shared by every register.
#[derive(Debug, Clone, Default)]
pub struct PageParams {
    /// Continue from the `next_cursor` of the previous page.
    pub cursor: Option<caucus_wire::Cursor>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<caucus_wire::PageLimit>,
    /// The register as it stood at this instant, rebuilt from the events
    /// recorded by then, instead of the read model.
    pub as_of: Option<DateTime<Utc>>,
    /// Latest made first, rather than oldest first.
    pub newest_first: bool,
}

impl PageParams {
    /// The checked cursor and limit.
    pub fn parse(&self) -> Result<(Option<Cursor>, u32), ApiError> {
        let cursor = match &self.cursor {
            None => None,
            Some(token) => {
                let (created_at, record_id) = token.parts().ok_or_else(|| {
                    ApiError::BadRequest("a cursor is a `next_cursor` this API returned".into())
                })?;
                Some(Cursor { created_at: created_at.to_owned(), record_id: record_id.to_owned() })
            }
        };
        let limit = caucus_wire::PageLimit::get(self.limit).map_err(ApiError::BadRequest)?;
        Ok((cursor, limit))
    }
}

/// How many ids one read names: well inside both stores' limits on bound
/// values.
pub const IDS_PER_READ: usize = 500;

/// The records of `V`'s register with these `ids` that the caller may read,
/// as they see them (an id of none left out), one read per
/// [`IDS_PER_READ`]: for a report naming many records.
pub async fn all_named<V: RecordView>(
    state: &AppState,
    caller: &Caller,
    ids: &[Uuid],
) -> Result<Vec<V>, ApiError> {
    let ids: Vec<String> = ids.iter().map(Uuid::to_string).collect();
    let mut views = Vec::new();
    for chunk in ids.chunks(IDS_PER_READ) {
        views.extend(
            all_where::<V>(state, caller, RecordFilter { record_ids: chunk, ..RecordFilter::default() })
                .await?,
        );
    }
    Ok(views)
}

/// Every record of `V`'s register the caller may read that `filter` keeps,
/// as they see it: for reports over a part of a register (a period's).
pub async fn all_where<V: RecordView>(
    state: &AppState,
    caller: &Caller,
    filter: RecordFilter<'_>,
) -> Result<Vec<V>, ApiError> {
    let readable = Classification::readable_set(&caller.roles);
    let query = RecordQuery::new(&caller.group_id, V::Record::TYPE, &readable).filtered(filter);
    let mut views = Vec::new();
    for record in records::list_all(&state.db, &query).await? {
        let mut view = command::view_of::<V>(&record, state.read_on())?;
        view.redact(&readable);
        views.push(view);
    }
    V::reveal_all(views, state, caller).await
}

/// One page of `V`'s register as the caller may see it, narrowed by `filter`:
/// the views and the cursor of the next page.
pub async fn page_of<V: RecordView>(
    state: &AppState,
    caller: &Caller,
    paging: &PageParams,
    filter: RecordFilter<'_>,
) -> Result<(Vec<V>, Option<String>), ApiError> {
    let readable = Classification::readable_set(&caller.roles);
    page_of_classifications(state, caller, paging, &readable, filter).await
}

/// Like [`page_of`], but of records of the `classifications` given, which the
/// filter must narrow to records the caller may read (a councillor's own
/// cases, by the `reader:` label); a record the caller may not read is left
/// out all the same.
pub async fn page_of_classifications<V: RecordView>(
    state: &AppState,
    caller: &Caller,
    paging: &PageParams,
    classifications: &[Classification],
    filter: RecordFilter<'_>,
) -> Result<(Vec<V>, Option<String>), ApiError> {
    let (after, limit) = paging.parse()?;
    let readable = Classification::readable_set(&caller.roles);
    let query = RecordQuery {
        after,
        limit,
        newest_first: paging.newest_first,
        ..RecordQuery::new(&caller.group_id, V::Record::TYPE, classifications)
    }
    .filtered(filter);
    let page = match paging.as_of {
        None => records::list(&state.db, &query).await?,
        Some(as_of) => {
            records::list_in_memory(&records_as_of(&state.db, &caller.group_id, as_of).await?, &query)
        }
    };
    let mut items = Vec::with_capacity(page.records.len());
    for record in &page.records {
        let Some(mut view) = command::visible_view_of::<V>(record, caller, state.read_on())? else {
            continue;
        };
        view.redact(&readable);
        items.push(view);
    }
    Ok((V::reveal_all(items, state, caller).await?, page.next.map(|c| c.encode())))
}
