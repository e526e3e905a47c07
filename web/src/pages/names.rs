//! Names for ids: members' names by id, and who a token subject is.

use actix_session::Session;
use actix_web::HttpRequest;

use super::{PageError, State};
use crate::session::Person;

/// Members' names by id, for a page naming members it holds only the ids
/// of; one no longer in the list is "A former member".
#[derive(Debug)]
pub(super) struct MemberNames(std::collections::HashMap<uuid::Uuid, String>);

impl MemberNames {
    pub(super) fn of(members: &[caucus_wire::members::MemberView]) -> Self {
        Self(members.iter().map(|m| (m.id, m.name.clone())).collect())
    }

    /// The names of the members `ids`, and no others: what a page naming
    /// them reads, however many members the group has had.
    pub(super) async fn read(
        state: &State,
        (session, person, request): (&Session, &Person, &HttpRequest),
        ids: impl IntoIterator<Item = uuid::Uuid>,
    ) -> Result<Self, PageError> {
        let members: Vec<caucus_wire::members::MemberView> =
            state.read_by_ids(session, person, request, "/members", ids).await?;
        Ok(Self::of(&members))
    }

    pub(super) fn of_id(&self, id: uuid::Uuid) -> String {
        self.0.get(&id).cloned().unwrap_or_else(|| "A former member".to_owned())
    }
}

/// Who a token subject is, in words: the person themself, a member's name,
/// or the subject as it is.
#[derive(Debug)]
pub(super) struct SubjectNames {
    me: String,
    /// How the person reads themself ("You" heading a line, "you" within one).
    you: &'static str,
    members: std::collections::BTreeMap<String, String>,
}

impl SubjectNames {
    /// The names of the members among `subjects` (the ones that are member
    /// ids), the person reading as `you`.
    pub(super) async fn read<'s>(
        state: &State,
        person: &Person,
        subjects: impl IntoIterator<Item = &'s str>,
        you: &'static str,
    ) -> Self {
        let ids: std::collections::BTreeSet<uuid::Uuid> =
            subjects.into_iter().filter_map(|s| uuid::Uuid::parse_str(s).ok()).collect();
        let ids: Vec<uuid::Uuid> = ids.into_iter().collect();
        let mut members = std::collections::BTreeMap::new();
        for chunk in ids.chunks(caucus_wire::IdList::MAX) {
            let path = format!(
                "/members?limit={}&ids={}",
                caucus_wire::IdList::MAX,
                caucus_wire::IdList(chunk.to_vec())
            );
            // Names are a nicety: a page that cannot have them shows the subject.
            if let Ok(page) = state.api.get::<caucus_wire::members::MemberPage>(&person.token, &path).await {
                members.extend(page.items.into_iter().map(|m| (m.id.to_string(), m.name)));
            }
        }
        Self { me: person.subject.clone(), you, members }
    }

    pub(super) fn of_subject(&self, subject: &str) -> String {
        if subject == self.me {
            self.you.to_owned()
        } else {
            self.members.get(subject).cloned().unwrap_or_else(|| subject.to_owned())
        }
    }
}
