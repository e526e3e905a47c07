//! A council vote as Popolo's VoteEvent records it: the counts for each option
//! and, where the council records them, each member's vote; and who voted
//! against the group's whip.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::events::WhipPosition;

/// One way to vote.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum VoteOption {
    /// For.
    Yes,
    /// Against.
    No,
    /// Abstained.
    Abstain,
    /// Not there for the vote.
    Absent,
}

impl VoteOption {
    /// The stable word for it (its serde name too: both are the variant's name
    /// in snake case).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl WhipPosition {
    /// The vote the whip asks for; `None` on a free vote.
    pub fn expected_vote(self) -> Option<VoteOption> {
        match self {
            Self::For => Some(VoteOption::Yes),
            Self::Against => Some(VoteOption::No),
            Self::Abstain => Some(VoteOption::Abstain),
            Self::FreeVote => None,
        }
    }
}

/// The council's counts for each option.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteCounts {
    /// For.
    pub yes: u32,
    /// Against.
    pub no: u32,
    /// Abstained.
    pub abstain: u32,
    /// Absent.
    pub absent: u32,
}

impl VoteCounts {
    /// The count for one option.
    pub fn of(&self, option: VoteOption) -> u32 {
        match option {
            VoteOption::Yes => self.yes,
            VoteOption::No => self.no,
            VoteOption::Abstain => self.abstain,
            VoteOption::Absent => self.absent,
        }
    }
}

/// How one of the group's members voted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberVote {
    /// The member.
    pub member_id: Uuid,
    /// The vote.
    pub option: VoteOption,
}

/// A member whose recorded vote differed from the whip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WhipDeparture {
    /// The member.
    pub member_id: Uuid,
    /// How they voted.
    pub voted: VoteOption,
    /// What the whip asked for.
    pub whip: WhipPosition,
}

/// Why a set of votes cannot be what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VotesError {
    /// A member appears twice.
    MemberTwice(Uuid),
    /// More of the group's members voted one way than the council counted.
    MoreThanCounted {
        /// The option.
        option: VoteOption,
        /// The group's members recorded for it.
        recorded: u32,
        /// The council's count.
        counted: u32,
    },
}

/// Checks that each member votes once and, with counts, that no option has
/// more of the group's votes than the council counted for it (the group's
/// members are some of the council's).
pub fn check_votes(counts: Option<&VoteCounts>, votes: &[MemberVote]) -> Result<(), VotesError> {
    let mut seen = BTreeSet::new();
    let mut tally: BTreeMap<VoteOption, u32> = BTreeMap::new();
    for vote in votes {
        if !seen.insert(vote.member_id) {
            return Err(VotesError::MemberTwice(vote.member_id));
        }
        *tally.entry(vote.option).or_default() += 1;
    }
    if let Some(counts) = counts {
        for (option, recorded) in tally {
            if recorded > counts.of(option) {
                return Err(VotesError::MoreThanCounted { option, recorded, counted: counts.of(option) });
            }
        }
    }
    Ok(())
}

/// The members whose vote differed from `whip`: absence is not a departure
/// (members send apologies), and a free vote has none.
pub fn departures(whip: WhipPosition, votes: &[MemberVote]) -> Vec<WhipDeparture> {
    let Some(expected) = whip.expected_vote() else {
        return Vec::new();
    };
    votes
        .iter()
        .filter(|vote| vote.option != VoteOption::Absent && vote.option != expected)
        .map(|vote| WhipDeparture { member_id: vote.member_id, voted: vote.option, whip })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vote(n: u128, option: VoteOption) -> MemberVote {
        MemberVote { member_id: Uuid::from_u128(n), option }
    }

    #[test]
    fn a_member_voting_twice_is_refused() {
        let votes = [vote(1, VoteOption::Yes), vote(1, VoteOption::No)];
        assert_eq!(check_votes(None, &votes), Err(VotesError::MemberTwice(Uuid::from_u128(1))));
    }

    #[test]
    fn the_groups_votes_cannot_outnumber_the_councils_count() {
        let counts = VoteCounts { yes: 40, no: 1, abstain: 0, absent: 2 };
        let votes = [vote(1, VoteOption::No), vote(2, VoteOption::No)];
        assert_eq!(
            check_votes(Some(&counts), &votes),
            Err(VotesError::MoreThanCounted { option: VoteOption::No, recorded: 2, counted: 1 })
        );
        assert_eq!(check_votes(Some(&counts), &votes[..1]), Ok(()));
    }

    #[test]
    fn departures_are_votes_against_the_whip_but_not_absences() {
        let votes = [
            vote(1, VoteOption::Yes),
            vote(2, VoteOption::No),
            vote(3, VoteOption::Abstain),
            vote(4, VoteOption::Absent),
        ];
        let rebels: Vec<u128> =
            departures(WhipPosition::For, &votes).iter().map(|d| d.member_id.as_u128()).collect();
        assert_eq!(rebels, vec![2, 3]);
        assert!(departures(WhipPosition::FreeVote, &votes).is_empty());
    }
}
