//! A rebuilt read model put in place: its rows are written into a bare copy of
//! `records`, the copy is indexed once it is full (one sort per index, not an
//! index update per row), and one short transaction drops the old table and
//! renames the copy, its indexes and constraint to the migrations' names.
//! Readers see the old rows until that commit; nothing is copied twice.
//!
//! The copy's columns and indexes are read from the live table's catalogue,
//! so the migrations stay the one place that defines them.

use std::time::Instant;

use sqlx::{PgPool, QueryBuilder, SqlitePool};

use super::{
    StoreError,
    projector::{
        PROJECTOR_LOCK, PROJECTOR_NAME, ProjectedRecord, SCHEMA_VERSION, begin_locked, write_checkpoint,
    },
    rebuild::{FoldedLog, FoldedRow},
};
use crate::domain::Fact;

/// How many rows one SQLite insert writes (SQLite allows 32,766 bound values: 14 per row).
const SQLITE_INSERT_ROWS: usize = 1_000;
/// How many bytes of `COPY` data go to PostgreSQL in one message.
const COPY_CHUNK_BYTES: usize = 1 << 20;

/// The tables a rebuild replaces, each from a fresh copy `<table>_next`.
const TABLES: [&str; 2] = ["records", "record_facts"];
const COLUMNS: &str = "record_type, record_id, group_id, version, classification, status, member_id, \
                       body_id, due_on, subject_id, tags, created_at, updated_at, state";
const FACT_COLUMNS: &str = "group_id, record_type, record_id, fact, day, value, since";

/// How many rows were put in place, and how long each step took.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Timings {
    /// Rows written.
    pub(crate) records: usize,
    /// Sorting, projecting and writing the rows into the bare copy.
    pub(crate) write_seconds: f64,
    /// Building its indexes.
    pub(crate) index_seconds: f64,
    /// The transaction that swaps it in.
    pub(crate) swap_seconds: f64,
}

/// Marks the end of each step.
struct Clock(Instant);

impl Clock {
    fn start() -> Self {
        Self(Instant::now())
    }

    fn lap(&mut self) -> f64 {
        let now = Instant::now();
        (now - std::mem::replace(&mut self.0, now)).as_secs_f64()
    }
}

/// Replaces every row of `records` with the rows of `log`, and every row of
/// `record_facts` with their facts, and moves the projector's checkpoint to
/// the last event it folded, in one transaction under the projector's lock.
pub(crate) async fn replace_on_postgres(pool: &PgPool, log: FoldedLog) -> Result<Timings, StoreError> {
    let mut clock = Clock::start();
    let reached = log.reached;
    for table in TABLES {
        sqlx::query(&format!("DROP TABLE IF EXISTS {table}_next")).execute(pool).await?;
        // LIKE copies the columns, their types and NOT NULLs, but no index.
        let create =
            format!("CREATE TABLE {table}_next (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
        sqlx::query(&create).execute(pool).await?;
    }
    let (records, log) = copy_rows(pool, log).await?;
    copy_facts(pool, &log).await?;
    let write_seconds = clock.lap();

    let mut indexes = Vec::new();
    for table in TABLES {
        let of_table: Vec<(String, String, bool)> = sqlx::query_as(
            "SELECT c.relname::text, pg_get_indexdef(i.indexrelid), i.indisprimary \
             FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
             WHERE i.indrelid = $1::regclass ORDER BY c.relname",
        )
        .bind(table)
        .fetch_all(pool)
        .await?;
        indexes.extend(
            of_table.into_iter().map(|(name, definition, primary)| (table, name, definition, primary)),
        );
    }
    // Each build on its own connection: one waits on the disk while another sorts.
    let builds = indexes
        .iter()
        .map(|(table, name, definition, _)| definition_on_next(table, name, definition))
        .collect::<Result<Vec<_>, _>>()?;
    futures::future::try_join_all(builds.iter().map(|build| sqlx::query(build).execute(pool))).await?;
    let index_seconds = clock.lap();

    let Some(mut tx) = begin_locked!(Postgres, pool, true, PROJECTOR_LOCK) else {
        return Err(StoreError::Inconsistent("projector lock refused".into()));
    };
    for table in TABLES {
        sqlx::query(&format!("DROP TABLE {table}")).execute(&mut *tx).await?;
        sqlx::query(&format!("ALTER TABLE {table}_next RENAME TO {table}")).execute(&mut *tx).await?;
    }
    for (table, name, _, primary) in &indexes {
        let next = next_name(name);
        let rename = if *primary {
            format!("ALTER TABLE {table} ADD CONSTRAINT {name} PRIMARY KEY USING INDEX {next}")
        } else {
            format!("ALTER INDEX {next} RENAME TO {name}")
        };
        sqlx::query(&rename).execute(&mut *tx).await?;
    }
    write_checkpoint!(&mut *tx, PROJECTOR_NAME, SCHEMA_VERSION, reached);
    tx.commit().await?;
    let swap_seconds = clock.lap();
    free_later(log);
    Ok(Timings { records, write_seconds, index_seconds, swap_seconds })
}

/// As [`replace_on_postgres`]. SQLite cannot rename an index, so the indexes
/// are built inside the swapping transaction, under their own names, once the
/// old table (and its indexes) is gone; SQLite has one writer at a time
/// anyway.
pub(crate) async fn replace_on_sqlite(pool: &SqlitePool, log: FoldedLog) -> Result<Timings, StoreError> {
    let mut clock = Clock::start();
    let mut indexes: Vec<String> = Vec::new();
    for table in TABLES {
        let definition: String =
            sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = $1")
                .bind(table)
                .fetch_one(pool)
                .await?;
        // Automatic indexes (the primary key's) have no SQL: the table makes them.
        indexes.extend(
            sqlx::query_scalar::<_, String>(
                "SELECT sql FROM sqlite_master \
                 WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL ORDER BY name",
            )
            .bind(table)
            .fetch_all(pool)
            .await?,
        );
        sqlx::query(&format!("DROP TABLE IF EXISTS {table}_next")).execute(pool).await?;
        sqlx::query(&table_on_next(table, &definition)?).execute(pool).await?;
    }
    let reached = log.reached;
    let rows = log.sorted_rows()?;
    for chunk in rows.chunks(SQLITE_INSERT_ROWS) {
        let projected = chunk.iter().map(FoldedRow::project).collect::<Result<Vec<_>, _>>()?;
        let mut insert: QueryBuilder<'_, sqlx::Sqlite> =
            QueryBuilder::new(format!("INSERT INTO records_next ({COLUMNS}) "));
        insert.push_values(chunk.iter().zip(&projected), |mut values, (row, projected)| {
            values
                .push_bind(row.record_type)
                .push_bind(row.record_id)
                .push_bind(&projected.group_id)
                .push_bind(row.version)
                .push_bind(projected.classification)
                .push_bind(projected.status)
                .push_bind(&projected.member_id)
                .push_bind(&projected.body_id)
                .push_bind(&projected.due_on)
                .push_bind(&projected.subject_id)
                .push_bind(&projected.tags)
                .push_bind(row.created_at)
                .push_bind(row.updated_at)
                .push_bind(&projected.state);
        });
        insert.build().execute(pool).await?;
    }
    let facts = fact_rows(&rows);
    for chunk in facts.chunks(SQLITE_INSERT_ROWS) {
        let mut insert: QueryBuilder<'_, sqlx::Sqlite> =
            QueryBuilder::new(format!("INSERT INTO record_facts_next ({FACT_COLUMNS}) "));
        insert.push_values(chunk, |mut values, (row, fact)| {
            values
                .push_bind(row.group_id)
                .push_bind(row.record_type)
                .push_bind(row.record_id)
                .push_bind(fact.name)
                .push_bind(fact.day.map(|d| d.to_string()))
                .push_bind(&fact.value)
                .push_bind(fact.since.map(|d| d.to_string()));
        });
        insert.build().execute(pool).await?;
    }
    let records = rows.len();
    drop(facts);
    drop(rows);
    let write_seconds = clock.lap();

    let Some(mut tx) = begin_locked!(Sqlite, pool, true, PROJECTOR_LOCK) else {
        return Err(StoreError::Inconsistent("projector lock refused".into()));
    };
    for table in TABLES {
        sqlx::query(&format!("DROP TABLE {table}")).execute(&mut *tx).await?;
        sqlx::query(&format!("ALTER TABLE {table}_next RENAME TO {table}")).execute(&mut *tx).await?;
    }
    let swapped = Instant::now();
    for index in &indexes {
        sqlx::query(index).execute(&mut *tx).await?;
    }
    let index_seconds = swapped.elapsed().as_secs_f64();
    write_checkpoint!(&mut *tx, PROJECTOR_NAME, SCHEMA_VERSION, reached);
    tx.commit().await?;
    let swap_seconds = clock.lap() - index_seconds;
    free_later(log);
    Ok(Timings { records, write_seconds, index_seconds, swap_seconds })
}

/// Every fact of `rows`' records, with the row that states it.
fn fact_rows<'r, 'a>(rows: &'r [FoldedRow<'a>]) -> Vec<(&'r FoldedRow<'a>, Fact)> {
    rows.iter().flat_map(|row| row.facts().into_iter().map(move |fact| (row, fact))).collect()
}

/// Streams the facts of `log`'s records into `record_facts_next` with a
/// binary `COPY`, as [`copy_rows`] does the rows (every field is text).
async fn copy_facts(pool: &PgPool, log: &FoldedLog) -> Result<(), StoreError> {
    let rows = log.sorted_rows()?;
    let mut connection = pool.acquire().await?;
    let mut copy = connection
        .copy_in_raw(&format!("COPY record_facts_next ({FACT_COLUMNS}) FROM STDIN WITH (FORMAT binary)"))
        .await?;
    let mut chunk = Vec::with_capacity(COPY_CHUNK_BYTES * 2);
    chunk.extend_from_slice(COPY_BINARY_HEADER);
    for (row, fact) in fact_rows(&rows) {
        let (day, since) = (fact.day.map(|d| d.to_string()), fact.since.map(|d| d.to_string()));
        let fields = [
            Some(row.group_id),
            Some(row.record_type),
            Some(row.record_id),
            Some(fact.name),
            day.as_deref(),
            Some(fact.value.as_str()),
            since.as_deref(),
        ];
        chunk.extend_from_slice(&(fields.len() as i16).to_be_bytes());
        for field in fields {
            push_copy_field(&mut chunk, field)?;
        }
        if chunk.len() >= COPY_CHUNK_BYTES {
            copy.send(chunk.as_slice()).await?;
            chunk.clear();
        }
    }
    chunk.extend_from_slice(&COPY_BINARY_TRAILER.to_be_bytes());
    copy.send(chunk.as_slice()).await?;
    copy.finish().await?;
    Ok(())
}

/// Streams the rows of `log` into `records_next` with `COPY ... FROM STDIN`
/// in the binary format: fields go as they are, length-prefixed, so neither
/// side escapes or scans them (PostgreSQL takes a third less time over it
/// than over the text format). The rows are sorted, projected (each record's
/// state serialised) and encoded on a blocking thread while the previous
/// chunk is on its way, so PostgreSQL takes in one chunk while the next is
/// being made: projecting half a million records takes about as long as
/// PostgreSQL's side of the copy, and no longer precedes it. Returns how many
/// rows were written, and the log, to be freed once they are in place.
async fn copy_rows(pool: &PgPool, log: FoldedLog) -> Result<(usize, FoldedLog), StoreError> {
    let (chunks, mut written) = tokio::sync::mpsc::channel::<Result<Vec<u8>, StoreError>>(2);
    // Sent chunks come back to be filled again: a fresh megabyte for each
    // would be a fresh mapping, page-faulted in tuple by tuple.
    let (spent, recycled) = std::sync::mpsc::channel::<Vec<u8>>();
    let writer = tokio::task::spawn_blocking(move || {
        let encoded = encode_rows(
            &log,
            |chunk| chunks.blocking_send(Ok(chunk)).is_ok(),
            || recycled.try_recv().unwrap_or_else(|_| Vec::with_capacity(COPY_CHUNK_BYTES * 2)),
        );
        let records = match encoded {
            Ok(records) => Some(records),
            Err(error) => {
                // To the copy, which aborts on it and reports it.
                let _ = chunks.blocking_send(Err(error));
                None
            }
        };
        (records, log)
    });
    let mut connection = pool.acquire().await?;
    let mut copy = connection
        .copy_in_raw(&format!("COPY records_next ({COLUMNS}) FROM STDIN WITH (FORMAT binary)"))
        .await?;
    while let Some(chunk) = written.recv().await {
        let mut chunk = match chunk {
            Ok(chunk) => chunk,
            Err(error) => {
                // The row's error is the one worth reporting, not the abort's.
                let _ = copy.abort("a row could not be written").await;
                return Err(error);
            }
        };
        copy.send(chunk.as_slice()).await?;
        chunk.clear();
        let _ = spent.send(chunk);
    }
    let (records, log) = writer
        .await
        .map_err(|error| StoreError::Inconsistent(format!("writing the rows failed: {error}")))?;
    let records = records.ok_or_else(|| StoreError::Inconsistent("writing the rows failed".into()))?;
    copy.finish().await?;
    Ok((records, log))
}

/// Frees `log` on a blocking thread, once the new rows are in place: half a
/// million folded records take a while to free, and the index builds before
/// the swap need both cores.
fn free_later(log: FoldedLog) {
    tokio::task::spawn_blocking(move || drop(log));
}

/// Encodes the rows of `log` as a binary `COPY` stream in chunks of about
/// [`COPY_CHUNK_BYTES`], handing each full one to `send` (which says whether
/// to go on) and taking empty ones from `fresh`. Returns how many rows it
/// encoded.
fn encode_rows(
    log: &FoldedLog,
    mut send: impl FnMut(Vec<u8>) -> bool,
    fresh: impl Fn() -> Vec<u8>,
) -> Result<usize, StoreError> {
    let rows = log.sorted_rows()?;
    let mut chunk = fresh();
    chunk.extend_from_slice(COPY_BINARY_HEADER);
    for row in &rows {
        push_copy_tuple(&mut chunk, row, &row.project()?)?;
        if chunk.len() >= COPY_CHUNK_BYTES && !send(std::mem::replace(&mut chunk, fresh())) {
            return Ok(rows.len()); // the copy failed; its error is the one reported
        }
    }
    chunk.extend_from_slice(&COPY_BINARY_TRAILER.to_be_bytes());
    send(chunk);
    Ok(rows.len())
}

/// What a binary `COPY` stream starts with: the signature, no flags, no header extension.
const COPY_BINARY_HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";
/// What it ends with: a tuple of -1 fields.
const COPY_BINARY_TRAILER: i16 = -1;

/// Appends `row` as one tuple of `COPY`'s binary format, its fields in
/// [`COLUMNS`]' order: their count, then each field's length and bytes (a
/// length of -1 for NULL). Text goes as its UTF-8 bytes, `version` as a
/// big-endian `bigint`.
fn push_copy_tuple(
    tuple: &mut Vec<u8>,
    row: &FoldedRow<'_>,
    projected: &ProjectedRecord,
) -> Result<(), StoreError> {
    let before_version = [Some(row.record_type), Some(row.record_id), Some(projected.group_id.as_str())];
    let after_version = [
        Some(projected.classification),
        Some(projected.status),
        projected.member_id.as_deref(),
        projected.body_id.as_deref(),
        projected.due_on.as_deref(),
        projected.subject_id.as_deref(),
        projected.tags.as_deref(),
        Some(row.created_at),
        Some(row.updated_at),
        Some(projected.state.as_str()),
    ];
    let fields = before_version.len() + 1 + after_version.len();
    tuple.extend_from_slice(&(fields as i16).to_be_bytes());
    for field in before_version {
        push_copy_field(tuple, field)?;
    }
    tuple.extend_from_slice(&8_i32.to_be_bytes());
    tuple.extend_from_slice(&row.version.to_be_bytes());
    for field in after_version {
        push_copy_field(tuple, field)?;
    }
    Ok(())
}

/// Appends one text field of `COPY`'s binary format: -1 for NULL, otherwise
/// the text's length in bytes and the bytes.
fn push_copy_field(tuple: &mut Vec<u8>, field: Option<&str>) -> Result<(), StoreError> {
    let Some(text) = field else {
        tuple.extend_from_slice(&(-1_i32).to_be_bytes());
        return Ok(());
    };
    let length = i32::try_from(text.len()).map_err(|_| {
        StoreError::Inconsistent(format!("a field of {} bytes is too long to store", text.len()))
    })?;
    tuple.extend_from_slice(&length.to_be_bytes());
    tuple.extend_from_slice(text.as_bytes());
    Ok(())
}

/// The name an index of a table has on its fresh copy until the swap.
fn next_name(name: &str) -> String {
    format!("{name}_next")
}

/// `definition` (as `pg_get_indexdef` gives it: `CREATE [UNIQUE] INDEX name ON
/// schema.table USING ...`) made to build the same index on `<table>_next`.
fn definition_on_next(table: &str, name: &str, definition: &str) -> Result<String, StoreError> {
    let unexpected = || StoreError::Inconsistent(format!("unexpected index definition: {definition}"));
    let (head, tail) = definition.split_once(" ON ").ok_or_else(unexpected)?;
    let create = head.strip_suffix(name).ok_or_else(unexpected)?;
    let (_, method) = tail.split_once(" USING ").ok_or_else(unexpected)?;
    Ok(format!("{create}{} ON {table}_next USING {method}", next_name(name)))
}

/// `CREATE TABLE <table> ...` (as SQLite keeps it: as the migration wrote it,
/// or with the name quoted once a rebuild has renamed a table to it) made to
/// create `<table>_next`.
fn table_on_next(table: &str, definition: &str) -> Result<String, StoreError> {
    let unexpected = || StoreError::Inconsistent(format!("unexpected table definition: {definition}"));
    let columns = [format!("CREATE TABLE {table}"), format!("CREATE TABLE \"{table}\"")]
        .iter()
        .find_map(|prefix| definition.strip_prefix(prefix.as_str()))
        .ok_or_else(unexpected)?;
    if !columns.trim_start().starts_with('(') {
        return Err(unexpected());
    }
    Ok(format!("CREATE TABLE {table}_next{columns}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_fields_are_length_prefixed_and_null_is_minus_one() {
        let mut tuple = Vec::new();
        push_copy_field(&mut tuple, Some("a\\b\tc\nd \u{e9}")).expect("fits");
        push_copy_field(&mut tuple, None).expect("fits");
        push_copy_field(&mut tuple, Some("")).expect("fits");
        let mut expected = vec![0, 0, 0, 10];
        expected.extend_from_slice("a\\b\tc\nd \u{e9}".as_bytes());
        expected.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
        assert_eq!(tuple, expected);
        assert_eq!(COPY_BINARY_HEADER.len(), 19, "11-byte signature, flags, extension length");
    }

    #[test]
    fn an_index_definition_moves_to_the_fresh_table_under_a_temporary_name() {
        let moved = definition_on_next(
            "records",
            "records_by_group",
            "CREATE INDEX records_by_group ON public.records USING btree (group_id, record_type)",
        )
        .expect("moves");
        assert_eq!(
            moved,
            "CREATE INDEX records_by_group_next ON records_next USING btree (group_id, record_type)"
        );
        let primary = definition_on_next(
            "records",
            "records_pkey",
            "CREATE UNIQUE INDEX records_pkey ON public.records USING btree (record_type, record_id)",
        )
        .expect("moves");
        assert_eq!(
            primary,
            "CREATE UNIQUE INDEX records_pkey_next ON records_next USING btree (record_type, record_id)"
        );
        assert!(
            definition_on_next(
                "records",
                "other",
                "CREATE INDEX records_by_group ON records USING btree (x)"
            )
            .is_err()
        );
    }

    #[test]
    fn the_table_definition_moves_to_the_fresh_table() {
        assert_eq!(
            table_on_next("records", "CREATE TABLE records\n(\n  a text\n) STRICT").expect("moves"),
            "CREATE TABLE records_next\n(\n  a text\n) STRICT"
        );
        assert_eq!(
            table_on_next("records", "CREATE TABLE \"records\"(a text)").expect("moves"),
            "CREATE TABLE records_next(a text)"
        );
        assert!(table_on_next("records", "CREATE TABLE records_old (a text)").is_err());
        assert_eq!(
            table_on_next("record_facts", "CREATE TABLE record_facts (a text)").expect("moves"),
            "CREATE TABLE record_facts_next (a text)"
        );
    }
}
