//! Names for ids: members' names by id, and who a token subject is.

use super::State;
use crate::session::Person;

/// Members' names by id, for a page naming members it holds only the ids
/// of; one no longer in the list is "A former member".
#[derive(Debug)]
pub(super) struct MemberNames(std::collections::HashMap<uuid::Uuid, String>);

impl MemberNames {
    pub(super) fn of(members: &[caucus_wire::members::MemberView]) -> Self {
        Self(members.iter().map(|m| (m.id, m.name.clone())).collect())
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
    /// The members' names, read only if `needed` (some subject is a member
    /// id), the person reading as `you`.
    pub(super) async fn read(state: &State, person: &Person, needed: bool, you: &'static str) -> Self {
        // Names are a nicety: a page that cannot have them shows the subject.
        let members = if needed {
            state
                .api
                .get::<caucus_wire::members::MemberPage>(&person.token, "/members?limit=200")
                .await
                .map(|page| page.items.into_iter().map(|m| (m.id.to_string(), m.name)).collect())
                .unwrap_or_default()
        } else {
            std::collections::BTreeMap::new()
        };
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
