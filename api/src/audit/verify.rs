//! Verifying a group's chain: from the live store or from an export, one entry
//! at a time, so a log of millions of events needs no more memory than one.

use std::collections::BTreeMap;

use super::chain::{ChainedEvent, LinkHash};
use super::checkpoint::Checkpoint;

/// One position of the log as stored: the event (if it is still there) and
/// the link hash recorded for it.
#[derive(Debug, Clone)]
pub struct StoredLink {
    /// The position the chain row claims.
    pub position: u64,
    /// The event at that position; `None` if the chain names an event the log
    /// no longer has.
    pub event: Option<ChainedEvent>,
    /// The link hash stored for it.
    pub hash: Option<LinkHash>,
}

pub use caucus_wire::audit::{ChainProblem, VerifyReport};

/// Checks a log one stored link at a time, in position order.
#[derive(Debug)]
pub struct ChainVerifier {
    checkpoints: BTreeMap<u64, LinkHash>,
    heads: BTreeMap<u64, LinkHash>,
    previous: LinkHash,
    next_position: u64,
    problem: Option<ChainProblem>,
}

impl ChainVerifier {
    /// A verifier that will also hold the chain to `checkpoints` (already
    /// opened with the group's public key), and report `bad` checkpoints.
    pub fn new(checkpoints: &[Checkpoint], bad: Option<ChainProblem>) -> Self {
        Self {
            checkpoints: checkpoints.iter().map(|c| (c.size, c.head)).collect(),
            heads: BTreeMap::new(),
            previous: LinkHash::GENESIS,
            next_position: 1,
            problem: bad,
        }
    }

    /// Whether a problem has been found (later entries need not be read).
    pub fn failed(&self) -> bool {
        self.problem.is_some()
    }

    /// Checks the next stored link.
    pub fn check(&mut self, link: &StoredLink) {
        if self.failed() {
            return;
        }
        let position = self.next_position;
        if link.position != position {
            self.problem = Some(ChainProblem::Gap { position });
            return;
        }
        let Some(event) = &link.event else {
            self.problem = Some(ChainProblem::MissingEvent { position });
            return;
        };
        let computed = event.link(&self.previous);
        if event.position != position || link.hash != Some(computed) {
            self.problem = Some(ChainProblem::HashMismatch { position });
            return;
        }
        if self.checkpoints.contains_key(&position) {
            self.heads.insert(position, computed);
        }
        self.previous = computed;
        self.next_position += 1;
    }

    /// The verdict.
    pub fn finish(mut self) -> VerifyReport {
        let events = self.next_position - 1;
        let mut last_good = 0;
        if self.problem.is_none() {
            for (&size, head) in &self.checkpoints {
                let problem = match self.heads.get(&size) {
                    _ if size > events => {
                        Some(ChainProblem::Truncated { position: events + 1, checkpoint_size: size })
                    }
                    Some(reached) if reached == head => None,
                    _ => Some(ChainProblem::CheckpointMismatch {
                        position: last_good + 1,
                        checkpoint_size: size,
                    }),
                };
                if problem.is_some() {
                    self.problem = problem;
                    break;
                }
                last_good = size;
            }
        }
        VerifyReport {
            events,
            checkpoints: self.checkpoints.len() as u64,
            signed_size: self.checkpoints.keys().next_back().copied(),
            problem: self.problem,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn log(n: u64) -> Vec<StoredLink> {
        let mut previous = LinkHash::GENESIS;
        (1..=n)
            .map(|position| {
                let event = ChainedEvent {
                    position,
                    record_type: "Decision".into(),
                    record_id: format!("d{position}"),
                    sequence: 1,
                    event_type: "DecisionRecorded".into(),
                    event_version: "2".into(),
                    payload: json!({"title": format!("Decision {position}")}),
                    metadata: json!({"actor": "pa"}),
                };
                previous = event.link(&previous);
                StoredLink { position, event: Some(event), hash: Some(previous) }
            })
            .collect()
    }

    fn checkpoint(links: &[StoredLink], size: u64) -> Checkpoint {
        let head = links[size as usize - 1].hash.expect("hash");
        Checkpoint { origin: "caucus/g".into(), size, head }
    }

    fn verify(links: &[StoredLink], checkpoints: &[Checkpoint]) -> VerifyReport {
        let mut verifier = ChainVerifier::new(checkpoints, None);
        for link in links {
            verifier.check(link);
        }
        verifier.finish()
    }

    #[test]
    fn an_untouched_log_verifies_against_its_checkpoints() {
        let links = log(5);
        let report = verify(&links, &[checkpoint(&links, 3), checkpoint(&links, 5)]);
        assert_eq!(report, VerifyReport { events: 5, checkpoints: 2, signed_size: Some(5), problem: None });
    }

    #[test]
    fn an_altered_payload_is_found_at_its_position() {
        let mut links = log(5);
        links[2].event.as_mut().expect("event").payload = json!({"title": "Something else"});
        assert_eq!(verify(&links, &[]).problem, Some(ChainProblem::HashMismatch { position: 3 }));
    }

    #[test]
    fn a_deleted_event_or_chain_row_is_found_at_its_position() {
        let mut links = log(5);
        links[1].event = None;
        assert_eq!(verify(&links, &[]).problem, Some(ChainProblem::MissingEvent { position: 2 }));
        let mut links = log(5);
        links.remove(3);
        assert_eq!(verify(&links, &[]).problem, Some(ChainProblem::Gap { position: 4 }));
    }

    #[test]
    fn two_swapped_events_are_found_at_the_first() {
        let mut links = log(5);
        let (second, fourth) = (links[1].event.clone(), links[3].event.clone());
        links[1].event = fourth;
        links[3].event = second;
        assert_eq!(verify(&links, &[]).problem, Some(ChainProblem::HashMismatch { position: 2 }));
    }

    #[test]
    fn a_cut_tail_is_found_by_the_checkpoint_that_covered_it() {
        let full = log(5);
        let signed = [checkpoint(&full, 2), checkpoint(&full, 5)];
        let cut = &full[..3];
        assert_eq!(
            verify(cut, &signed).problem,
            Some(ChainProblem::Truncated { position: 4, checkpoint_size: 5 })
        );
    }

    #[test]
    fn a_rewritten_chain_is_found_by_the_checkpoints() {
        let full = log(5);
        let signed = [checkpoint(&full, 2), checkpoint(&full, 5)];
        // Rewrite position 4's content and recompute every hash from there:
        // the links agree with each other, not with what was signed.
        let mut forged = full.clone();
        forged[3].event.as_mut().expect("event").payload = json!({"title": "Forged"});
        let mut previous = forged[2].hash.expect("hash");
        for link in &mut forged[3..] {
            previous = link.event.as_ref().expect("event").link(&previous);
            link.hash = Some(previous);
        }
        assert_eq!(
            verify(&forged, &signed).problem,
            Some(ChainProblem::CheckpointMismatch { position: 3, checkpoint_size: 5 })
        );
    }
}
