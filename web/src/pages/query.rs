//! What pages read from their query strings: a list's `?status=` filter
//! and a record's `?done=` after a write, each read one way.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::present::wire_word;

/// A list page's query: the status its filter chose, and where the page
/// starts (the api's cursor).
#[derive(Debug, Deserialize)]
pub(super) struct ListQuery {
    status: Option<String>,
    cursor: Option<String>,
}

impl ListQuery {
    /// The status chosen, as the api spells `S`: `None` for all (or for a
    /// word we do not know).
    pub(super) fn status<S: serde::de::DeserializeOwned>(&self) -> Option<S> {
        let word = self.status.as_deref().filter(|s| !s.is_empty())?;
        serde_json::from_value(serde_json::Value::String(word.to_owned())).ok()
    }

    /// Where the page starts: the cursor of the page before.
    pub(super) fn cursor(&self) -> Option<&str> {
        self.cursor.as_deref()
    }
}

/// The api's list at `base` (`/decisions`), the latest recorded first, only
/// those in `status` if one is chosen.
pub(super) fn list_path<S: serde::Serialize>(base: &str, status: Option<S>) -> String {
    match status {
        Some(status) => format!("{base}?order=newest&status={}", wire_word(status)),
        None => format!("{base}?order=newest"),
    }
}

/// The web page listing `base` (`/decisions`) with `status` chosen: where
/// its pagination links go.
pub(super) fn here_path<S: serde::Serialize>(base: &str, status: Option<S>) -> String {
    match status {
        Some(status) => format!("{base}?status={}", wire_word(status)),
        None => base.to_owned(),
    }
}

/// A list's status filter, a GOV.UK select: all, then each of `all` as
/// `words` reads it, `wanted` chosen.
pub(super) fn status_filter<S: Copy + PartialEq + serde::Serialize>(
    all: &[S],
    words: fn(S) -> (&'static str, &'static str),
    wanted: Option<S>,
) -> Value {
    let mut items = vec![json!({"value": "", "text": "All", "selected": wanted.is_none()})];
    items.extend(
        all.iter()
            .map(|s| json!({"value": wire_word(*s), "text": words(*s).0, "selected": wanted == Some(*s)})),
    );
    json!({"name": "status", "id": "status", "label": {"text": "Status"}, "items": items})
}

/// How many a list page shows, in words; `more` when the list goes on
/// after this page.
pub(super) fn showing(count: usize, (one, many): (&str, &str), status: Option<&str>, more: bool) -> String {
    let noun = if count == 1 { one } else { many };
    let latest = if more { "The latest " } else { "" };
    let shown = match status {
        None => format!("{latest}{count} {noun}"),
        Some(status) => format!("{latest}{count} {noun}: {}", status.to_lowercase()),
    };
    if more { format!("{shown}; more on the next page.") } else { format!("{shown}.") }
}

/// A record page's query after a write: `?done=` names what was done.
#[derive(Debug, Deserialize)]
pub(super) struct DoneQuery {
    done: Option<String>,
}

impl DoneQuery {
    /// The banner saying what was done: `done`'s sentence in `said`, a
    /// page's `(word, sentence)` table; none for a word it does not hold.
    pub(super) fn banner(&self, said: &[(&str, &'static str)]) -> Option<&'static str> {
        let done = self.done.as_deref()?;
        said.iter().find(|(word, _)| *word == done).map(|(_, sentence)| *sentence)
    }
}
