//! A register's list a page at a time: the api's page and cursor, and the
//! GOV.UK pagination that goes on to the next page or back to the first.
//! A list page reads one api page, however large the register has grown.

use actix_session::Session;
use actix_web::HttpRequest;
use serde_json::{Value, json};

use super::{PageError, State};
use crate::session::Person;

/// How many records a list page shows.
pub(super) const PAGE_SIZE: u32 = 100;

/// One page of a list and where the next one starts.
#[derive(Debug)]
pub(super) struct Listed<T> {
    pub(super) items: Vec<T>,
    /// The api's `next_cursor`: there is more after this page.
    next: Option<String>,
    /// Whether this is a page after the first.
    later: bool,
}

impl<T> Listed<T> {
    /// Whether the list goes on after this page.
    pub(super) fn has_more(&self) -> bool {
        self.next.is_some()
    }

    /// The pagination component for the web page at `here` (its path and
    /// query, without a cursor): "Next page" carrying the cursor, and "First
    /// page" on a later page; nothing when the list is one page.
    pub(super) fn pagination(&self, here: &str) -> Option<Value> {
        let join = if here.contains('?') { '&' } else { '?' };
        let next = self.next.as_ref().map(|cursor| {
            let cursor = serde_urlencoded::to_string([("cursor", cursor)]).unwrap_or_default();
            json!({"href": format!("{here}{join}{cursor}"), "text": "Next page"})
        });
        let first = self.later.then(|| json!({"href": here, "text": "First page"}));
        (next.is_some() || first.is_some()).then(|| json!({"previous": first, "next": next}))
    }
}

impl State {
    /// One page of [`PAGE_SIZE`] records of the api's list at `path` (a path
    /// with a query), from `cursor` (a `next_cursor` the api gave, carried in
    /// the web page's own query) or from the start.
    pub(super) async fn read_listed<T: serde::de::DeserializeOwned>(
        &self,
        (session, person, request): (&Session, &Person, &HttpRequest),
        path: &str,
        cursor: Option<&str>,
    ) -> Result<Listed<T>, PageError> {
        #[derive(serde::Deserialize)]
        struct Page<T> {
            items: Vec<T>,
            next_cursor: Option<String>,
        }
        let mut query = vec![("limit", PAGE_SIZE.to_string())];
        // A cursor the api would refuse starts the list again rather than
        // showing an error for a link someone edited.
        let cursor = cursor.filter(|c| caucus_wire::Cursor(c.to_string()).parts().is_some());
        if let Some(cursor) = cursor {
            query.push(("cursor", cursor.to_owned()));
        }
        let join = if path.contains('?') { '&' } else { '?' };
        let query = serde_urlencoded::to_string(&query).unwrap_or_default();
        let page: Page<T> = self.read(session, person, request, &format!("{path}{join}{query}")).await?;
        Ok(Listed { items: page.items, next: page.next_cursor, later: cursor.is_some() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(next: Option<&str>, later: bool) -> Listed<()> {
        Listed { items: Vec::new(), next: next.map(str::to_owned), later }
    }

    #[test]
    fn a_one_page_list_has_no_pagination() {
        assert_eq!(listed(None, false).pagination("/actions"), None);
    }

    #[test]
    fn the_next_page_carries_the_cursor_and_a_later_page_links_the_first() {
        let first = listed(Some("2026-01-01T00:00:00Z~abc"), false).pagination("/actions?status=open");
        assert_eq!(
            first,
            Some(json!({"previous": null, "next": {
                "href": "/actions?status=open&cursor=2026-01-01T00%3A00%3A00Z%7Eabc", "text": "Next page"}}))
        );
        let last = listed(None, true).pagination("/meetings");
        assert_eq!(
            last,
            Some(json!({"previous": {"href": "/meetings", "text": "First page"}, "next": null}))
        );
    }
}
