//! A report's period chosen on a GET form: two GOV.UK date inputs, `from`
//! and `to`, either left blank for the api's default. A day typed wrongly,
//! or a period the api refuses (422: it ends before it starts), is said at
//! the dates while the report for the api's default period is shown.

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{DateParts, FieldErrors, Page, PageError, SentForm};
use crate::api::ApiFailure;
use crate::session::Person;

/// The two date inputs: (field name, id, legend).
const FROM: (&str, &str, &str) = ("from", "from", "From");
const TO: (&str, &str, &str) = ("to", "to", "To");

/// A period as the form sent it, and what was wrong with it.
#[derive(Debug, Default)]
pub(super) struct Period {
    from: DateParts,
    to: DateParts,
    /// The days' errors, and the api's refusal of the period.
    pub(super) errors: FieldErrors,
}

impl Period {
    /// The period the page's query names: the date inputs' parts.
    pub(super) fn typed(query: &[(String, String)]) -> Self {
        let sent = SentForm(query.to_vec());
        Self { from: sent.date(FROM.0), to: sent.date(TO.0), errors: FieldErrors::default() }
    }

    /// The days typed (`None` where blank), noting at its first field what
    /// is wrong with either.
    fn days(&mut self) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let mut day = |parts: &DateParts, (_, id, called): (&str, &str, &str)| {
            if parts.is_blank() {
                return None;
            }
            let called = format!("The {} date", called.to_lowercase());
            parts.parse(&called).map_err(|m| self.errors.errors.push((format!("{id}-day"), m))).ok()
        };
        (day(&self.from, FROM), day(&self.to, TO))
    }

    /// The api's `base` path for `from`..`to` (each the api's default if
    /// absent), with `more` of the query after them.
    pub(super) fn path(
        base: &str,
        (from, to): (Option<NaiveDate>, Option<NaiveDate>),
        more: &[(&str, &str)],
    ) -> String {
        let mut query: Vec<(&str, String)> = Vec::new();
        query.extend(from.map(|d| ("from", d.to_string())));
        query.extend(to.map(|d| ("to", d.to_string())));
        query.extend(more.iter().map(|(k, v)| (*k, (*v).to_owned())));
        let query = serde_urlencoded::to_string(query).unwrap_or_default();
        if query.is_empty() { base.to_owned() } else { format!("{base}?{query}") }
    }

    /// The api's report at `base` for the period typed; for the api's
    /// default period if the days typed are wrong or the api refuses them
    /// (said in [`Period::errors`]).
    pub(super) async fn read<T: DeserializeOwned>(
        &mut self,
        (state, session, request): Page<'_>,
        person: &Person,
        base: &str,
    ) -> Result<T, PageError> {
        let days = self.days();
        let asked: Result<T, ApiFailure> = if self.errors.errors.is_empty() {
            state.api.get(&person.token, &Self::path(base, days, &[])).await
        } else {
            state.api.get(&person.token, base).await
        };
        match asked {
            Err(ApiFailure::Refused(problem)) if problem.status == 422 => {
                let said = problem.errors.first().map_or(&problem.detail, |e| &e.detail);
                self.errors.errors.push(("from-day".to_owned(), format!("Check the dates: {said}")));
                state.read(session, person, request, base).await
            }
            asked => asked.map_err(|failure| state.refusal(session, person, request, &failure)),
        }
    }

    /// The date inputs' parameters: what was typed if it was refused, else
    /// `shown` (the report's own period, where it says one).
    pub(super) fn inputs(
        &self,
        shown: Option<(NaiveDate, NaiveDate)>,
        hints: (&str, &str),
    ) -> (Value, Value) {
        let (from, to) = match shown {
            Some((from, to)) if self.errors.errors.is_empty() => (DateParts::of(from), DateParts::of(to)),
            _ => (self.from.clone(), self.to.clone()),
        };
        (
            from.input((FROM.0, FROM.1), FROM.2, Some(hints.0), &self.errors),
            to.input((TO.0, TO.1), TO.2, Some(hints.1), &self.errors),
        )
    }
}
