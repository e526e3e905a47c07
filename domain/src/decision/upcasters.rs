//! Old event versions, brought up to date as they are read.

use cqrs_es::persist::{EventUpcaster, SemanticVersionEventUpcaster};
use serde_json::{Value, json};

/// The upcasters for decision events, oldest first.
pub fn upcasters() -> Vec<Box<dyn EventUpcaster>> {
    vec![Box::new(SemanticVersionEventUpcaster::new(
        "DecisionProgressReported",
        "2.0.0",
        Box::new(progress_report_v1_to_v2),
    ))]
}

/// Version 1 of `DecisionProgressReported` had no `percent_complete`: a report
/// then said only how things stood, so the best reading is "none done yet".
fn progress_report_v1_to_v2(mut payload: Value) -> Value {
    if let Some(body) = payload.get_mut("DecisionProgressReported").and_then(Value::as_object_mut) {
        body.entry("percent_complete").or_insert(json!(0));
    }
    payload
}

#[cfg(test)]
mod tests {
    use cqrs_es::persist::SerializedEvent;

    use super::*;
    use crate::decision::DecisionEvent;

    /// A `DecisionProgressReported` exactly as version 1 stored it.
    const STORED_V1: &str = include_str!("fixtures/progress_reported_v1.json");

    #[test]
    fn a_stored_version_1_progress_report_loads_as_version_2() {
        let stored = SerializedEvent {
            aggregate_id: "d1".into(),
            sequence: 2,
            aggregate_type: "Decision".into(),
            event_type: "DecisionProgressReported".into(),
            event_version: "1.0".into(),
            payload: serde_json::from_str(STORED_V1).expect("fixture is JSON"),
            metadata: json!({}),
        };
        let upcaster = upcasters().into_iter().next().expect("one upcaster");
        assert!(upcaster.can_upcast(&stored.event_type, &stored.event_version));
        let upcast = upcaster.upcast(stored);
        assert_eq!(upcast.event_version, "2.0.0");
        let event: DecisionEvent = serde_json::from_value(upcast.payload).expect("loads as v2");
        let DecisionEvent::DecisionProgressReported { percent_complete, .. } = event else {
            panic!("wrong event: {event:?}");
        };
        assert_eq!(percent_complete, 0);
    }
}
