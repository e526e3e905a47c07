//! A record's page that carries forms (a decision's, a meeting's): how it
//! is shown again when the api refuses one of them, written once.

use actix_web::HttpResponse;
use uuid::Uuid;

use super::{FieldErrors, Page, PageError};
use crate::session::Person;

/// The forms of a record's page, as they are to be shown: each page's
/// forms type says how its record is read and how the page is rendered;
/// showing a refused form again is then the same for every page.
pub(super) trait RecordForms: Sized {
    /// Where a record's page is on this site: `{PATH}/{id}`.
    const PATH: &'static str;

    /// Where the api holds the records, if it names them otherwise: a form
    /// of the page writes to `POST /api/v1{API_PATH}/{id}/{step}`.
    const API_PATH: &'static str = Self::PATH;

    /// What the page reads from the api to be shown.
    type Loaded;

    /// The record `id` and whatever else its page shows, read as `person`.
    async fn load(page: Page<'_>, person: &Person, id: Uuid) -> Result<Self::Loaded, PageError>;

    /// The page of `loaded` with these forms, and `banner` saying what was
    /// just done.
    fn render(
        self,
        page: Page<'_>,
        person: &Person,
        loaded: &Self::Loaded,
        banner: Option<&str>,
    ) -> Result<HttpResponse, PageError>;

    /// The errors the forms are shown with.
    fn errors(&self) -> &FieldErrors;

    /// The record `id`'s page with these forms, and `banner` saying what
    /// was just done.
    async fn shown(
        self,
        page: Page<'_>,
        person: &Person,
        id: Uuid,
        banner: Option<&str>,
    ) -> Result<HttpResponse, PageError> {
        let loaded = Self::load(page, person, id).await?;
        self.render(page, person, &loaded, banner)
    }

    /// The record's page again with these forms as one was sent and
    /// refused, answered as [`FieldErrors::status`] says (422).
    async fn refused(self, page: Page<'_>, person: &Person, id: Uuid) -> Result<HttpResponse, PageError> {
        let status = self.errors().status();
        let mut response = self.shown(page, person, id, None).await?;
        *response.status_mut() = status;
        Ok(response)
    }

    /// One form of the page sent to the api as `POST
    /// /api/v1{API_PATH}/{id}/{step}`: back to the record's page saying `done`,
    /// or the page again with the form from `refused` and the api's errors
    /// at its `fields`, or the refusal in words.
    async fn send<B: serde::Serialize>(
        page: Page<'_>,
        person: &Person,
        (id, step, done): (Uuid, &str, &str),
        (body, key): (&B, &str),
        (fields, refused): (&[(&str, &str, &str)], impl FnOnce(FieldErrors) -> Self),
    ) -> Result<HttpResponse, PageError> {
        let path = format!("{}/{id}/{step}", Self::API_PATH);
        let to = |_: serde::de::IgnoredAny| format!("{}/{id}?done={done}", Self::PATH);
        let again = |errors| refused(errors).refused(page, person, id);
        super::send(page, person, (&path, body, key), to, (fields, again)).await
    }
}
