//! Verifications of a group's hash chain run in the background, shared by
//! every api process through the database: one process runs a verification
//! and records how far it has got; any of them answers how it stands.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::{Database, StoreError, database::on_pool, projector::now};
use crate::audit::verify::VerifyReport;
use caucus_wire::audit::{VerificationState, VerificationView};

/// How long a running verification may go without checking another page of
/// the log before it is taken to have stopped (a page takes well under a
/// second; a process that died leaves its row behind).
const STALLED_AFTER: Duration = Duration::minutes(2);

#[derive(sqlx::FromRow)]
struct Row {
    verification_id: String,
    started_by: String,
    started_at: String,
    updated_at: String,
    checked: i64,
    events: i64,
    finished_at: Option<String>,
    report: Option<String>,
}

const COLUMNS: &str =
    "verification_id, started_by, started_at, updated_at, checked, events, finished_at, report";

impl Row {
    fn view(self, at: DateTime<Utc>) -> Result<VerificationView, StoreError> {
        let instant = |text: &str| {
            DateTime::parse_from_rfc3339(text)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|e| StoreError::Inconsistent(format!("a verification's time {text:?}: {e}")))
        };
        let report: Option<VerifyReport> = self.report.as_deref().map(serde_json::from_str).transpose()?;
        let state = match (&report, &self.finished_at) {
            (Some(_), _) => VerificationState::Done,
            (None, Some(_)) => VerificationState::Stopped,
            (None, None) if at - instant(&self.updated_at)? > STALLED_AFTER => VerificationState::Stopped,
            (None, None) => VerificationState::Running,
        };
        Ok(VerificationView {
            id: Uuid::parse_str(&self.verification_id)
                .map_err(|e| StoreError::Inconsistent(format!("a verification's id: {e}")))?,
            state,
            started_by: self.started_by,
            started_at: instant(&self.started_at)?,
            events: u64::try_from(self.events).unwrap_or_default(),
            checked: u64::try_from(self.checked).unwrap_or_default(),
            finished_at: self.finished_at.as_deref().map(instant).transpose()?,
            report,
        })
    }
}

/// Records that `by` started verifying `group`'s first `events` events.
pub async fn start(
    db: &Database,
    group: &str,
    by: &str,
    events: i64,
) -> Result<VerificationView, StoreError> {
    let id = Uuid::new_v4().to_string();
    let at = now();
    let sql = "INSERT INTO chain_verifications \
               (verification_id, group_id, started_by, started_at, updated_at, checked, events) \
               VALUES ($1, $2, $3, $4, $4, 0, $5)";
    on_pool!(db, pool => {
        sqlx::query(sql).bind(&id).bind(group).bind(by).bind(&at).bind(events).execute(pool).await.map(drop)
    })?;
    find(db, group, &id).await?.ok_or_else(|| StoreError::Inconsistent("a verification just started".into()))
}

/// `group`'s verification `id`, if it has one.
pub async fn find(db: &Database, group: &str, id: &str) -> Result<Option<VerificationView>, StoreError> {
    let sql =
        format!("SELECT {COLUMNS} FROM chain_verifications WHERE verification_id = $1 AND group_id = $2");
    let row: Option<Row> =
        on_pool!(db, pool => sqlx::query_as(&sql).bind(id).bind(group).fetch_optional(pool).await)?;
    row.map(|row| row.view(Utc::now())).transpose()
}

/// `group`'s latest verification, if one is still running.
pub async fn running(db: &Database, group: &str) -> Result<Option<VerificationView>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM chain_verifications WHERE group_id = $1 AND finished_at IS NULL \
         ORDER BY started_at DESC LIMIT 1"
    );
    let row: Option<Row> = on_pool!(db, pool => sqlx::query_as(&sql).bind(group).fetch_optional(pool).await)?;
    let view = row.map(|row| row.view(Utc::now())).transpose()?;
    Ok(view.filter(|v| v.state == VerificationState::Running))
}

/// Records that verification `id` has checked `checked` events.
pub async fn checked(db: &Database, id: &str, checked: i64) -> Result<(), StoreError> {
    let sql = "UPDATE chain_verifications SET checked = $1, updated_at = $2 WHERE verification_id = $3";
    on_pool!(db, pool => sqlx::query(sql).bind(checked).bind(now()).bind(id).execute(pool).await.map(drop))?;
    Ok(())
}

/// Records that verification `id` finished with `report`, or broke off
/// without one.
pub async fn finish(db: &Database, id: &str, report: Option<&VerifyReport>) -> Result<(), StoreError> {
    let report = report.map(serde_json::to_string).transpose()?;
    let at = now();
    let sql = "UPDATE chain_verifications SET finished_at = $1, updated_at = $1, report = $2 WHERE verification_id = $3";
    on_pool!(db, pool => sqlx::query(sql).bind(&at).bind(report).bind(id).execute(pool).await.map(drop))?;
    Ok(())
}
