//! A record's history: every event with its metadata, in order, and what each
//! one changed in the record, folded with the projector's own projection.

use cqrs_es::persist::SerializedEvent;
use serde_json::{Map, Value};

use super::command_bus::metadata_keys;
use super::records::StoredRecord;
use super::{Database, StoreError, database::on_pool, projector::apply_stored};

/// One field an event changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The field's name in the record.
    pub field: String,
    /// Its value before (`null` if it had none).
    pub before: Value,
    /// Its value after (`null` if it has none).
    pub after: Value,
}

/// One event of a record, with what it changed.
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    /// Its sequence within the record.
    pub sequence: i64,
    /// The event's type.
    pub event_type: String,
    /// The event's version as stored.
    pub event_version: String,
    /// The payload as stored.
    pub payload: Value,
    /// Who, when, in which roles and group, on which request.
    pub metadata: Value,
    /// Its position in the group's chained log, once chained.
    pub log_position: Option<i64>,
    /// Its link hash, once chained.
    pub hash: Option<String>,
    /// The record's fields the event changed, in field order.
    pub changes: Vec<Change>,
}

#[derive(sqlx::FromRow)]
struct Row {
    sequence: i64,
    event_type: String,
    event_version: String,
    payload: String,
    metadata: String,
    log_position: Option<i64>,
    hash: Option<String>,
}

/// Every event of record `record_id` of `record_type`, oldest first; empty if
/// there is no such record. The caller checks the reader may see the record.
pub async fn history(
    db: &Database,
    record_type: &str,
    record_id: &str,
) -> Result<Vec<HistoryEntry>, StoreError> {
    let sql = "SELECT e.sequence, e.event_type, e.event_version, CAST(e.payload AS TEXT) AS payload, \
               CAST(e.metadata AS TEXT) AS metadata, c.log_position, c.hash \
               FROM events e LEFT JOIN event_chain c ON c.aggregate_type = e.aggregate_type \
               AND c.aggregate_id = e.aggregate_id AND c.sequence = e.sequence \
               WHERE e.aggregate_type = $1 AND e.aggregate_id = $2 ORDER BY e.sequence";
    let rows: Vec<Row> =
        on_pool!(db, pool => sqlx::query_as(sql).bind(record_type).bind(record_id).fetch_all(pool).await)?;
    let mut state: Option<String> = None;
    let mut entries = Vec::with_capacity(rows.len());
    for row in rows {
        let payload: Value = serde_json::from_str(&row.payload)?;
        let metadata: Value = serde_json::from_str(&row.metadata)?;
        let event = SerializedEvent {
            aggregate_id: record_id.to_owned(),
            sequence: row.sequence as usize,
            aggregate_type: record_type.to_owned(),
            event_type: row.event_type.clone(),
            event_version: row.event_version.clone(),
            payload: payload.clone(),
            metadata: metadata.clone(),
        };
        let after = apply_stored(record_type, state.as_deref(), event)?.state;
        let changes = changes(state.as_deref(), &after)?;
        state = Some(after);
        entries.push(HistoryEntry {
            sequence: row.sequence,
            event_type: row.event_type,
            event_version: row.event_version,
            payload,
            metadata,
            log_position: row.log_position,
            hash: row.hash,
            changes,
        });
    }
    Ok(entries)
}

/// Record `record_id` of `record_type` as its events recorded at or before
/// `until` (RFC 3339, as events record it) built it, with its group; `None` if
/// it had no event by then.
pub async fn record_as_of(
    db: &Database,
    record_type: &str,
    record_id: &str,
    until: &str,
) -> Result<Option<(String, StoredRecord)>, StoreError> {
    let sql = "SELECT sequence, event_type, event_version, CAST(payload AS TEXT) AS payload, \
               CAST(metadata AS TEXT) AS metadata, NULL AS log_position, NULL AS hash \
               FROM events WHERE aggregate_type = $1 AND aggregate_id = $2 ORDER BY sequence";
    let rows: Vec<Row> =
        on_pool!(db, pool => sqlx::query_as(sql).bind(record_type).bind(record_id).fetch_all(pool).await)?;
    let mut built: Option<(String, StoredRecord)> = None;
    for row in rows {
        let metadata: Value = serde_json::from_str(&row.metadata)?;
        let recorded_at =
            metadata.get(metadata_keys::RECORDED_AT).and_then(Value::as_str).unwrap_or_default().to_owned();
        // A record's events are recorded in sequence order, so the first one
        // after the instant ends the fold.
        if recorded_at.as_str() > until {
            break;
        }
        let event = SerializedEvent {
            aggregate_id: record_id.to_owned(),
            sequence: row.sequence as usize,
            aggregate_type: record_type.to_owned(),
            event_type: row.event_type,
            event_version: row.event_version,
            payload: serde_json::from_str(&row.payload)?,
            metadata,
        };
        let state = built.as_ref().map(|(_, stored)| stored.state.as_str());
        let projected = apply_stored(record_type, state, event)?;
        let created_at = built.as_ref().map_or_else(|| recorded_at.clone(), |(_, s)| s.created_at.clone());
        built = Some((
            projected.group_id,
            StoredRecord {
                record_id: record_id.to_owned(),
                version: row.sequence,
                classification: projected.classification.to_owned(),
                status: projected.status.to_owned(),
                created_at,
                updated_at: recorded_at,
                state: projected.state,
            },
        ));
    }
    Ok(built)
}

/// The top-level fields that differ between two stored states.
fn changes(before: Option<&str>, after: &str) -> Result<Vec<Change>, StoreError> {
    let object = |json: Option<&str>| -> Result<Map<String, Value>, StoreError> {
        Ok(match json.map(serde_json::from_str::<Value>).transpose()? {
            Some(Value::Object(map)) => map,
            _ => Map::new(),
        })
    };
    let (before, after) = (object(before)?, object(Some(after))?);
    let mut fields: Vec<&String> =
        after.keys().chain(before.keys().filter(|k| !after.contains_key(*k))).collect();
    fields.dedup();
    Ok(fields
        .into_iter()
        .filter_map(|field| {
            let (old, new) =
                (before.get(field).unwrap_or(&Value::Null), after.get(field).unwrap_or(&Value::Null));
            (old != new).then(|| Change { field: field.clone(), before: old.clone(), after: new.clone() })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn changes_name_each_changed_field_with_its_old_and_new_value() {
        let before = json!({"title": "A", "text": "old", "due_on": "2026-01-01"}).to_string();
        let after = json!({"title": "A", "text": "new", "reason": "typo"}).to_string();
        let mut found = changes(Some(&before), &after).expect("diff");
        // The order is the record's own field order, which depends on serde_json's map.
        found.sort_by(|a, b| a.field.cmp(&b.field));
        assert_eq!(
            found,
            vec![
                Change { field: "due_on".into(), before: json!("2026-01-01"), after: Value::Null },
                Change { field: "reason".into(), before: Value::Null, after: json!("typo") },
                Change { field: "text".into(), before: json!("old"), after: json!("new") },
            ]
        );
        assert!(changes(Some(&after), &after).expect("diff").is_empty());
    }
}
