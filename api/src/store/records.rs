//! Reading the `records` read model: one record, or a filtered page of a
//! register, always within one group and the caller's classifications.

use std::cmp::Ordering;

use chrono::NaiveDate;
use uuid::Uuid;

use super::{Database, StoreError, database::on_pool, projector::tag_pattern};
use crate::domain::{Classification, GroupId};

/// A record as the read model holds it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredRecord {
    /// The record's id.
    pub record_id: String,
    /// Its version: the sequence of its last event.
    pub version: i64,
    /// Its classification's stored name.
    pub classification: String,
    /// Its status word.
    pub status: String,
    /// When its first event was recorded (RFC 3339).
    pub created_at: String,
    /// When its last event was recorded (RFC 3339).
    pub updated_at: String,
    /// The aggregate's state as JSON.
    pub state: String,
}

/// A record with the columns registers filter on: what the read model's row
/// holds, for reads answered from records folded in memory (`as_of`).
#[derive(Debug, Clone)]
pub struct IndexedRecord {
    /// The record type.
    pub record_type: &'static str,
    /// The owning group.
    pub group_id: String,
    /// The member the record is about or owned by.
    pub member_id: Option<String>,
    /// The body the record concerns.
    pub body_id: Option<String>,
    /// The day it falls due or ends (`YYYY-MM-DD`).
    pub due_on: Option<String>,
    /// The record it is about.
    pub subject_id: Option<String>,
    /// Its labels as stored (` a b `).
    pub tags: Option<String>,
    /// The row itself.
    pub stored: StoredRecord,
}

/// Where a page of a register starts: after this record in (created, id) order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// The `created_at` of the record to continue after.
    pub created_at: String,
    /// Its id.
    pub record_id: String,
}

impl Cursor {
    /// The cursor that continues after `record`.
    pub fn after(record: &StoredRecord) -> Self {
        Self { created_at: record.created_at.clone(), record_id: record.record_id.clone() }
    }

    /// The cursor as an opaque token for a `cursor=` query parameter.
    pub fn encode(&self) -> String {
        format!("{}~{}", self.created_at, self.record_id)
    }
}

/// What a register read is narrowed to, beyond group and classification.
#[derive(Debug, Clone, Default)]
pub struct RecordFilter<'a> {
    /// Only records in one of these statuses, if any are given.
    pub statuses: &'a [&'a str],
    /// Only these records, if any are named.
    pub record_ids: &'a [String],
    /// Only records about this member.
    pub member_id: Option<Uuid>,
    /// Only records about this body.
    pub body_id: Option<Uuid>,
    /// Only records about this record (see `RecordIndex::subject_id`).
    pub subject_id: Option<Uuid>,
    /// Only records about one of these records, if any are named.
    pub subject_ids: &'a [String],
    /// Only records carrying every one of these labels (see `RecordIndex::tags`).
    pub tags: &'a [String],
    /// Only records due on or before this day.
    pub due_on_or_before: Option<NaiveDate>,
    /// Only records due on or after this day.
    pub due_on_or_after: Option<NaiveDate>,
}

/// A filtered, paginated read of one register.
#[derive(Debug, Clone)]
pub struct RecordQuery<'a> {
    /// The caller's group: the only group ever read.
    pub group_id: &'a GroupId,
    /// The record type (an aggregate's `TYPE`).
    pub record_type: &'a str,
    /// The classifications the caller may read.
    pub readable: &'a [Classification],
    /// What else to narrow to.
    pub filter: RecordFilter<'a>,
    /// Continue after this record.
    pub after: Option<Cursor>,
    /// At most this many records.
    pub limit: u32,
    /// Latest made first (and `after` continues towards older ones), rather
    /// than oldest first.
    pub newest_first: bool,
}

impl<'a> RecordQuery<'a> {
    /// The first page of every record of `record_type` in `group_id` whose
    /// classification is in `readable`.
    pub fn new(group_id: &'a GroupId, record_type: &'a str, readable: &'a [Classification]) -> Self {
        Self {
            group_id,
            record_type,
            readable,
            filter: RecordFilter::default(),
            after: None,
            limit: 50,
            newest_first: false,
        }
    }

    /// The same query narrowed by `filter`.
    pub fn filtered(self, filter: RecordFilter<'a>) -> Self {
        Self { filter, ..self }
    }
}

/// A page of records and the cursor for the next page, if there is one.
#[derive(Debug, Clone)]
pub struct Page {
    /// The records, oldest first.
    pub records: Vec<StoredRecord>,
    /// Where the next page starts.
    pub next: Option<Cursor>,
}

const COLUMNS: &str = "record_id, version, classification, status, created_at, updated_at, state";

/// Reads one record of the caller's group, if it exists and they may read it.
pub async fn find(
    db: &Database,
    group_id: &GroupId,
    record_type: &str,
    record_id: &str,
    readable: &[Classification],
) -> Result<Option<StoredRecord>, StoreError> {
    let sql =
        format!("SELECT {COLUMNS} FROM records WHERE record_type = $1 AND record_id = $2 AND group_id = $3");
    let found: Option<StoredRecord> = on_pool!(db, pool => {
        sqlx::query_as(&sql).bind(record_type).bind(record_id).bind(group_id.as_str())
            .fetch_optional(pool).await
    })?;
    Ok(found.filter(|r| Classification::parse(&r.classification).is_some_and(|c| readable.contains(&c))))
}

/// Reads the records `record_ids` of the caller's group that exist and they
/// may read, in no particular order: one query for a page's worth of
/// references.
pub async fn find_many(
    db: &Database,
    group_id: &GroupId,
    record_type: &str,
    record_ids: &[String],
    readable: &[Classification],
) -> Result<Vec<StoredRecord>, StoreError> {
    if record_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (0..record_ids.len()).map(|i| format!("${}", i + 3)).collect();
    let sql = format!(
        "SELECT {COLUMNS} FROM records WHERE record_type = $1 AND group_id = $2 AND record_id IN ({})",
        placeholders.join(", ")
    );
    let found: Vec<StoredRecord> = on_pool!(db, pool => {
        let mut query = sqlx::query_as(&sql).bind(record_type).bind(group_id.as_str());
        for id in record_ids {
            query = query.bind(id);
        }
        query.fetch_all(pool).await
    })?;
    Ok(found
        .into_iter()
        .filter(|r| Classification::parse(&r.classification).is_some_and(|c| readable.contains(&c)))
        .collect())
}

/// The query selecting `query`'s records (its filter, not its cursor, order
/// or limit), and the values bound to its placeholders.
fn matching(db: &Database, query: &RecordQuery<'_>) -> (String, Vec<String>) {
    // Placeholders are numbered in the order they are written, which both
    // backends need; every value is bound, never spliced into the SQL.
    let mut sql = format!("SELECT {COLUMNS} FROM records WHERE group_id = $1 AND record_type = $2");
    let mut binds: Vec<String> = vec![query.group_id.to_string(), query.record_type.to_owned()];
    let mut push_in = |sql: &mut String, column: &str, values: Vec<String>| {
        let placeholders: Vec<String> =
            (0..values.len()).map(|i| format!("${}", binds.len() + i + 1)).collect();
        sql.push_str(&format!(" AND {column} IN ({})", placeholders.join(", ")));
        binds.extend(values);
    };
    let readable = query.readable.iter().map(|c| c.as_str().to_owned()).collect();
    push_in(&mut sql, "classification", readable);
    if !query.filter.statuses.is_empty() {
        push_in(&mut sql, "status", query.filter.statuses.iter().map(|s| (*s).to_owned()).collect());
    }
    if !query.filter.record_ids.is_empty() {
        push_in(&mut sql, "record_id", query.filter.record_ids.to_vec());
    }
    if !query.filter.subject_ids.is_empty() {
        push_in(&mut sql, "subject_id", query.filter.subject_ids.to_vec());
    }
    let mut push_cmp = |sql: &mut String, clause: &str, value: String| {
        binds.push(value);
        sql.push_str(&format!(" AND {clause} ${}", binds.len()));
    };
    if let Some(member) = query.filter.member_id {
        push_cmp(&mut sql, "member_id =", member.to_string());
    }
    if let Some(body) = query.filter.body_id {
        push_cmp(&mut sql, "body_id =", body.to_string());
    }
    if let Some(subject) = query.filter.subject_id {
        push_cmp(&mut sql, "subject_id =", subject.to_string());
    }
    for tag in query.filter.tags {
        match db {
            // The inverted index over the labels (migration 0009) answers this.
            Database::Postgres(_) => {
                push_cmp(&mut sql, "string_to_array(btrim(tags), ' ') @> ARRAY[", tag.clone());
                sql.push(']');
            }
            Database::Sqlite(_) => push_cmp(&mut sql, "tags LIKE", tag_pattern(tag)),
        }
    }
    if let Some(day) = query.filter.due_on_or_before {
        push_cmp(&mut sql, "due_on <=", day.to_string());
    }
    if let Some(day) = query.filter.due_on_or_after {
        push_cmp(&mut sql, "due_on >=", day.to_string());
    }
    (sql, binds)
}

/// Reads one page of a register.
pub async fn list(db: &Database, query: &RecordQuery<'_>) -> Result<Page, StoreError> {
    let (mut sql, mut binds) = matching(db, query);
    let (beyond, order) = if query.newest_first { ("<", " DESC") } else { (">", "") };
    if let Some(after) = &query.after {
        let n = binds.len();
        sql.push_str(&format!(
            " AND (created_at {beyond} ${} OR (created_at = ${} AND record_id {beyond} ${}))",
            n + 1,
            n + 1,
            n + 2
        ));
        binds.push(after.created_at.clone());
        binds.push(after.record_id.clone());
    }
    // One more than asked for tells whether there is a next page.
    sql.push_str(&format!(" ORDER BY created_at{order}, record_id{order} LIMIT {}", query.limit + 1));
    let mut records = fetch(db, &sql, &binds).await?;
    let next = if records.len() > query.limit as usize {
        records.truncate(query.limit as usize);
        records.last().map(Cursor::after)
    } else {
        None
    };
    Ok(Page { records, next })
}

/// The first `query.limit` records `query` selects, soonest due first (by
/// day, then id; records with no day last), and whether more are beyond
/// them: the head of a queue, which is read again from the start once its
/// head is dealt with, so it takes no cursor.
pub async fn soonest_due(
    db: &Database,
    query: &RecordQuery<'_>,
) -> Result<(Vec<StoredRecord>, bool), StoreError> {
    let (mut sql, binds) = matching(db, query);
    // `due_on IS NULL` sorts false before true on both stores: undated last.
    sql.push_str(&format!(" ORDER BY due_on IS NULL, due_on, record_id LIMIT {}", query.limit + 1));
    let mut records = fetch(db, &sql, &binds).await?;
    let more = records.len() > query.limit as usize;
    records.truncate(query.limit as usize);
    Ok((records, more))
}

/// Runs a select of [`COLUMNS`] with every placeholder bound to text.
async fn fetch(db: &Database, sql: &str, binds: &[String]) -> Result<Vec<StoredRecord>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut q = sqlx::query_as(sql);
        for value in binds {
            q = q.bind(value);
        }
        q.fetch_all(pool).await
    })?)
}

/// Reads one page of a register from records held in memory (a register as it
/// stood at an instant), with exactly the semantics of [`list`].
pub fn list_in_memory(records: &[IndexedRecord], query: &RecordQuery<'_>) -> Page {
    let readable: Vec<&str> = query.readable.iter().map(|c| c.as_str()).collect();
    let filter = &query.filter;
    let text = |value: Option<Uuid>| value.map(|v| v.to_string());
    let (member, body, subject) = (text(filter.member_id), text(filter.body_id), text(filter.subject_id));
    let day = |value: Option<NaiveDate>| value.map(|d| d.to_string());
    let (before, after) = (day(filter.due_on_or_before), day(filter.due_on_or_after));
    let mut matching: Vec<&StoredRecord> = records
        .iter()
        .filter(|r| r.group_id == query.group_id.as_str() && r.record_type == query.record_type)
        .filter(|r| readable.contains(&r.stored.classification.as_str()))
        .filter(|r| filter.statuses.is_empty() || filter.statuses.contains(&r.stored.status.as_str()))
        .filter(|r| filter.record_ids.is_empty() || filter.record_ids.contains(&r.stored.record_id))
        .filter(|r| member.is_none() || r.member_id == member)
        .filter(|r| body.is_none() || r.body_id == body)
        .filter(|r| subject.is_none() || r.subject_id == subject)
        .filter(|r| {
            filter.subject_ids.is_empty()
                || r.subject_id.as_ref().is_some_and(|s| filter.subject_ids.contains(s))
        })
        .filter(|r| {
            filter
                .tags
                .iter()
                .all(|tag| r.tags.as_deref().is_some_and(|tags| tags.contains(&format!(" {tag} "))))
        })
        .filter(|r| before.as_ref().is_none_or(|b| r.due_on.as_ref().is_some_and(|d| d <= b)))
        .filter(|r| after.as_ref().is_none_or(|a| r.due_on.as_ref().is_some_and(|d| d >= a)))
        .map(|r| &r.stored)
        .filter(|r| {
            query.after.as_ref().is_none_or(|c| {
                let place = (&r.created_at, &r.record_id).cmp(&(&c.created_at, &c.record_id));
                place == if query.newest_first { Ordering::Less } else { Ordering::Greater }
            })
        })
        .collect();
    matching.sort_by(|a, b| (&a.created_at, &a.record_id).cmp(&(&b.created_at, &b.record_id)));
    if query.newest_first {
        matching.reverse();
    }
    let more = matching.len() > query.limit as usize;
    let records: Vec<StoredRecord> = matching.into_iter().take(query.limit as usize).cloned().collect();
    let next = if more { records.last().map(Cursor::after) } else { None };
    Page { records, next }
}

/// The largest page [`list_all`] reads at once. Every page filters and
/// sorts what the query matches again, so a large one keeps a report over
/// thousands of records to a few queries; they are all held in memory at the
/// end anyway.
const LIST_ALL_PAGE: u32 = 1000;

/// Reads every record the query matches, page by page; `query.after` and
/// `query.limit` are ignored. For registers small enough to hold in memory (a
/// group's bodies and appointments number a few hundred at most).
pub async fn list_all(db: &Database, query: &RecordQuery<'_>) -> Result<Vec<StoredRecord>, StoreError> {
    let mut query = RecordQuery { after: None, limit: LIST_ALL_PAGE, newest_first: false, ..query.clone() };
    let mut all = Vec::new();
    loop {
        let page = list(db, &query).await?;
        all.extend(page.records);
        match page.next {
            Some(next) => query.after = Some(next),
            None => return Ok(all),
        }
    }
}

/// Every record of `record_type` in `status`, in every group, with its
/// group: for sweeps across the store (casework's retention), never for an
/// answer to a caller.
pub async fn in_every_group(
    db: &Database,
    record_type: &str,
    status: &str,
) -> Result<Vec<(String, StoredRecord)>, StoreError> {
    let sql = format!(
        "SELECT group_id, {COLUMNS} FROM records WHERE record_type = $1 AND status = $2 \
         ORDER BY group_id, created_at, record_id"
    );
    let rows: Vec<GroupedRecord> = on_pool!(db, pool => {
        sqlx::query_as(&sql).bind(record_type).bind(status).fetch_all(pool).await
    })?;
    Ok(rows.into_iter().map(|row| (row.group_id, row.record)).collect())
}

/// A record read with its group.
#[derive(sqlx::FromRow)]
struct GroupedRecord {
    group_id: String,
    #[sqlx(flatten)]
    record: StoredRecord,
}

/// How many public records of each type the read model holds, by type name.
pub async fn count_public_by_type(db: &Database) -> Result<Vec<(String, i64)>, StoreError> {
    let sql = "SELECT record_type, count(*) FROM records WHERE classification = 'public' \
               GROUP BY record_type ORDER BY record_type";
    Ok(on_pool!(db, pool => sqlx::query_as(sql).fetch_all(pool).await)?)
}

/// How many events the log holds.
pub async fn count_events(db: &Database) -> Result<i64, StoreError> {
    Ok(on_pool!(db, pool => sqlx::query_scalar("SELECT count(*) FROM events").fetch_one(pool).await)?)
}
