//! The landing page: what the signed-in person must see to first.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, web};
use caucus_wire::casework::CasePage;
use serde_json::json;

use super::{PageError, State, cases::cases_table, signed_in};
use crate::render::Section;

#[get("/")]
pub(super) async fn home(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    // Cases past due come first; a role that reads no cases sees none.
    let overdue: CasePage = match state.api.get(&person.token, "/cases?overdue=true&limit=20").await {
        Ok(page) => page,
        Err(failure) if failure.status() == 401 => return Err(PageError::SignIn("/".into())),
        Err(failure) => return Ok(state.problem_page(&session, Some(&person), &failure)),
    };
    let frame = state.frame(&session, Some(&person), Section::Home, "My work")?;
    state.page(
        &frame,
        "home.html",
        json!({
            "name": person.name,
            "overdue": cases_table(&overdue.items),
            "overdue_count": overdue.items.len(),
        }),
    )
}
