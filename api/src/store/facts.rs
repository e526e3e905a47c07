//! Reading what records state for reports (`record_facts`, domain `Fact`):
//! counted over a period by the database, so a report over a hundred thousand
//! records reads a few index entries per day of its period and parses no
//! record's state.

use chrono::NaiveDate;

use super::{Database, StoreError, database::on_pool};
use crate::domain::GroupId;

/// The facts of one record type of one group.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    /// The group: the only group ever read.
    pub group_id: &'a GroupId,
    /// The record type (an aggregate's `TYPE`).
    pub record_type: &'a str,
}

/// How many records state `fact` with `value`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Count {
    /// The fact's name.
    pub fact: String,
    /// Its value.
    pub value: String,
    /// How many.
    pub count: i64,
}

/// How many records state a fact with `value`, and of those how many fall
/// due before a day.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DueCount {
    /// The value.
    pub value: String,
    /// How many.
    pub count: i64,
    /// Of those, how many fall due before the day asked about.
    pub past_due: i64,
}

/// One stated fact.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredFact {
    /// The record stating it.
    pub record_id: String,
    /// Its day, as `YYYY-MM-DD`.
    pub day: Option<String>,
    /// Its value.
    pub value: String,
    /// The day its duration began, as `YYYY-MM-DD`.
    pub since: Option<String>,
}

/// One stated fact, without the record stating it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DatedFact {
    /// Its day, as `YYYY-MM-DD`.
    pub day: Option<String>,
    /// Its value.
    pub value: String,
    /// The day its duration began, as `YYYY-MM-DD`.
    pub since: Option<String>,
}

impl Facts<'_> {
    /// How many records state each of `facts` with each value, on a day from
    /// `from` to `to` inclusive.
    pub async fn count_between(
        &self,
        db: &Database,
        facts: &[&str],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Count>, StoreError> {
        let named: Vec<String> = (0..facts.len()).map(|i| format!("${}", i + 5)).collect();
        let sql = format!(
            "SELECT fact, value, count(*) AS count FROM record_facts \
             WHERE group_id = $1 AND record_type = $2 AND day >= $3 AND day <= $4 AND fact IN ({}) \
             GROUP BY fact, value ORDER BY fact, value",
            named.join(", ")
        );
        let (from, to) = (from.to_string(), to.to_string());
        Ok(on_pool!(db, pool => {
            let mut query = sqlx::query_as(&sql)
                .bind(self.group_id.as_str())
                .bind(self.record_type)
                .bind(&from)
                .bind(&to);
            for fact in facts {
                query = query.bind(*fact);
            }
            query.fetch_all(pool).await
        })?)
    }

    /// How many records state `fact` with each value, whatever its day, and
    /// how many of those fall due before `day`.
    pub async fn count_due(
        &self,
        db: &Database,
        fact: &str,
        day: NaiveDate,
    ) -> Result<Vec<DueCount>, StoreError> {
        let sql = "SELECT value, count(*) AS count, \
                   CAST(sum(CASE WHEN day < $4 THEN 1 ELSE 0 END) AS bigint) AS past_due \
                   FROM record_facts WHERE group_id = $1 AND record_type = $2 AND fact = $3 \
                   GROUP BY value ORDER BY value";
        let day = day.to_string();
        Ok(on_pool!(db, pool => {
            sqlx::query_as(sql)
                .bind(self.group_id.as_str())
                .bind(self.record_type)
                .bind(fact)
                .bind(&day)
                .fetch_all(pool)
                .await
        })?)
    }

    /// Every statement of `fact` on a day from `from` to `to` inclusive,
    /// without the records stating them: read from the index alone.
    pub async fn between(
        &self,
        db: &Database,
        fact: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<DatedFact>, StoreError> {
        let sql = "SELECT day, value, since FROM record_facts \
                   WHERE group_id = $1 AND record_type = $2 AND fact = $3 AND day >= $4 AND day <= $5";
        let (from, to) = (from.to_string(), to.to_string());
        Ok(on_pool!(db, pool => {
            sqlx::query_as(sql)
                .bind(self.group_id.as_str())
                .bind(self.record_type)
                .bind(fact)
                .bind(&from)
                .bind(&to)
                .fetch_all(pool)
                .await
        })?)
    }

    /// The `limit` statements of `fact` due longest before `day`, the
    /// earliest first.
    pub async fn earliest_before(
        &self,
        db: &Database,
        fact: &str,
        day: NaiveDate,
        limit: u32,
    ) -> Result<Vec<StoredFact>, StoreError> {
        let sql = "SELECT record_id, day, value, since FROM record_facts \
                   WHERE group_id = $1 AND record_type = $2 AND fact = $3 AND day < $4 \
                   ORDER BY day, record_id LIMIT $5";
        let day = day.to_string();
        Ok(on_pool!(db, pool => {
            sqlx::query_as(sql)
                .bind(self.group_id.as_str())
                .bind(self.record_type)
                .bind(fact)
                .bind(&day)
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await
        })?)
    }
}
