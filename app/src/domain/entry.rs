//! Entries: the append-only records a patient makes on the device. This module validates one
//! entry as sent by the outbox and turns it into its canonical stored form.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::check_in::CheckIn;
use super::preparation::{
    IntegrationReflection, Intention, ModuleRead, ReadinessTick, SessionQuestion,
};

/// How far ahead of the server clock a device clock may be, in milliseconds.
pub const MAX_CLOCK_SKEW_MS: i64 = 5 * 60 * 1000;
/// How old an entry may be when it first reaches the server (offline backfill window).
pub const MAX_BACKFILL_MS: i64 = 90 * 24 * 60 * 60 * 1000;
/// Entries received later than this after they were recorded are marked late.
pub const LATE_AFTER_MS: i64 = 24 * 60 * 60 * 1000;
/// Most entries one sync request may carry.
pub const MAX_BATCH: usize = 100;

/// The kinds of entry this server accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    CheckIn,
    ModuleRead,
    Intention,
    ReadinessTick,
    SessionQuestion,
    IntegrationReflection,
}

impl EntryKind {
    pub const ALL: [EntryKind; 6] = [
        EntryKind::CheckIn,
        EntryKind::ModuleRead,
        EntryKind::Intention,
        EntryKind::ReadinessTick,
        EntryKind::SessionQuestion,
        EntryKind::IntegrationReflection,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::CheckIn => "check_in",
            EntryKind::ModuleRead => "module_read",
            EntryKind::Intention => "intention",
            EntryKind::ReadinessTick => "readiness_tick",
            EntryKind::SessionQuestion => "session_question",
            EntryKind::IntegrationReflection => "integration_reflection",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        EntryKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The schema version the server understands for this kind.
    pub fn schema_version(self) -> i64 {
        1
    }

    /// Words for this kind, as a heading in lists.
    pub fn label(self) -> &'static str {
        match self {
            EntryKind::CheckIn => "Check-in",
            EntryKind::ModuleRead => "Read a preparation guide",
            EntryKind::Intention => "Intention",
            EntryKind::ReadinessTick => "Checklist",
            EntryKind::SessionQuestion => "Question for the therapist",
            EntryKind::IntegrationReflection => "Integration reflection",
        }
    }

    /// The session this kind of entry names, if it names one.
    pub fn session_id(self, payload: &serde_json::Value) -> Option<String> {
        match self {
            EntryKind::CheckIn | EntryKind::ModuleRead => None,
            _ => payload
                .get("session_id")
                .and_then(|v| v.as_str())
                .map(str::to_string),
        }
    }
}

/// One entry as the device sends it. Owner and derived fields never come from the client, so
/// unknown fields such as `patient_id` are refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryEnvelope {
    pub id: Uuid,
    pub kind: String,
    pub schema_version: i64,
    /// When the patient did it, by the device clock, in unix milliseconds.
    pub recorded_at: i64,
    pub payload: serde_json::Value,
}

/// Why an entry was refused, in words a patient can read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryRejection {
    /// The payload field at fault, when one is.
    pub field: Option<String>,
    pub reason: String,
}

impl EntryRejection {
    pub fn new(reason: impl Into<String>) -> Self {
        Self {
            field: None,
            reason: reason.into(),
        }
    }

    pub fn field(field: &str, reason: impl Into<String>) -> Self {
        Self {
            field: Some(field.to_string()),
            reason: reason.into(),
        }
    }
}

/// An entry that passed every check, with its payload in canonical JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidatedEntry {
    pub id: Uuid,
    pub kind: EntryKind,
    pub schema_version: i64,
    pub recorded_at: i64,
    pub payload: String,
}

/// Validates one entry against the server clock `now_ms` and the earliest time the patient
/// could have recorded anything (`not_before_ms`, e.g. when the account was created).
pub fn validate_entry(
    entry: &EntryEnvelope,
    now_ms: i64,
    not_before_ms: i64,
) -> Result<ValidatedEntry, EntryRejection> {
    if entry.id.get_version_num() != 7 {
        return Err(EntryRejection::field(
            "id",
            "The entry id must be a UUID version 7.",
        ));
    }
    let kind = EntryKind::parse(&entry.kind).ok_or_else(|| {
        EntryRejection::field(
            "kind",
            format!("Unknown entry kind \"{}\".", truncate(&entry.kind)),
        )
    })?;
    if entry.schema_version != kind.schema_version() {
        return Err(EntryRejection::field(
            "schema_version",
            "This app version is out of date for the server. Please reload the app.",
        ));
    }
    if entry.recorded_at > now_ms + MAX_CLOCK_SKEW_MS {
        return Err(EntryRejection::field(
            "recorded_at",
            "This entry is dated in the future. Please check the date and time on your phone.",
        ));
    }
    if entry.recorded_at < now_ms - MAX_BACKFILL_MS
        || entry.recorded_at < not_before_ms - MAX_CLOCK_SKEW_MS
    {
        return Err(EntryRejection::field(
            "recorded_at",
            "This entry is dated too far in the past to be accepted.",
        ));
    }
    let payload = match kind {
        EntryKind::CheckIn => canonical::<CheckIn>(entry, "check-in", |c| c.validate())?,
        EntryKind::ModuleRead => canonical::<ModuleRead>(entry, "entry", |m| m.validate())?,
        EntryKind::Intention => canonical::<Intention>(entry, "intention", |i| i.validate())?,
        EntryKind::ReadinessTick => {
            canonical::<ReadinessTick>(entry, "checklist entry", |t| t.validate())?
        }
        EntryKind::SessionQuestion => {
            canonical::<SessionQuestion>(entry, "question", |q| q.validate())?
        }
        EntryKind::IntegrationReflection => {
            canonical::<IntegrationReflection>(entry, "reflection", |r| r.validate())?
        }
    };
    Ok(ValidatedEntry {
        id: entry.id,
        kind,
        schema_version: entry.schema_version,
        recorded_at: entry.recorded_at,
        payload,
    })
}

/// Reads a payload as `T`, validates it and returns its canonical JSON.
fn canonical<T>(
    entry: &EntryEnvelope,
    what: &str,
    validate: impl Fn(&T) -> Result<T, EntryRejection>,
) -> Result<String, EntryRejection>
where
    T: Serialize + for<'de> Deserialize<'de>,
{
    let value: T = serde_json::from_value(entry.payload.clone()).map_err(|e| {
        EntryRejection::new(format!(
            "The {what} could not be read: {}",
            payload_error(&e)
        ))
    })?;
    let valid = validate(&value)?;
    serde_json::to_string(&valid)
        .map_err(|_| EntryRejection::new(format!("The {what} could not be stored.")))
}

/// Whether an entry received at `received_at` counts as late.
pub fn is_late(recorded_at: i64, received_at: i64) -> bool {
    received_at - recorded_at > LATE_AFTER_MS
}

/// A serde error as a short sentence, without echoing the patient's values.
fn payload_error(err: &serde_json::Error) -> String {
    let text = err.to_string();
    // serde's messages name the field ("unknown field `x`", "missing field `x`"); values only
    // appear after "invalid value", which we replace with a fixed phrase.
    let head = text.split(" at line").next().unwrap_or(&text);
    if head.starts_with("invalid type") || head.starts_with("invalid value") {
        "a value has the wrong type.".to_string()
    } else {
        format!("{}.", truncate(head))
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_800_000_000_000;

    fn envelope(payload: serde_json::Value) -> EntryEnvelope {
        EntryEnvelope {
            id: Uuid::now_v7(),
            kind: "check_in".into(),
            schema_version: 1,
            recorded_at: NOW - 1000,
            payload,
        }
    }

    #[test]
    fn a_valid_check_in_entry_has_a_canonical_payload() {
        let e = envelope(json!({"note": null, "sleep_hours": 7, "mood": 3, "anxiety": 2}));
        let v = validate_entry(&e, NOW, 0).unwrap();
        assert_eq!(v.payload, r#"{"anxiety":2,"mood":3,"sleep_hours":7.0}"#);
    }

    #[test]
    fn non_v7_ids_unknown_kinds_and_versions_are_rejected() {
        let mut e = envelope(json!({"anxiety":2,"mood":3,"sleep_hours":7}));
        e.id = Uuid::new_v4();
        assert_eq!(
            validate_entry(&e, NOW, 0).unwrap_err().field.as_deref(),
            Some("id")
        );
        let mut e = envelope(json!({"anxiety":2,"mood":3,"sleep_hours":7}));
        e.kind = "gad_seven".into();
        assert_eq!(
            validate_entry(&e, NOW, 0).unwrap_err().field.as_deref(),
            Some("kind")
        );
        let mut e = envelope(json!({"anxiety":2,"mood":3,"sleep_hours":7}));
        e.schema_version = 2;
        assert_eq!(
            validate_entry(&e, NOW, 0).unwrap_err().field.as_deref(),
            Some("schema_version")
        );
    }

    #[test]
    fn future_and_ancient_timestamps_are_rejected_but_recent_backfill_is_fine() {
        let mut e = envelope(json!({"anxiety":2,"mood":3,"sleep_hours":7}));
        e.recorded_at = NOW + MAX_CLOCK_SKEW_MS + 1;
        assert!(validate_entry(&e, NOW, 0).is_err());
        e.recorded_at = NOW - MAX_BACKFILL_MS - 1;
        assert!(validate_entry(&e, NOW, 0).is_err());
        e.recorded_at = NOW - 3 * 24 * 3600 * 1000;
        assert!(validate_entry(&e, NOW, 0).is_ok());
        assert!(
            validate_entry(&e, NOW, NOW - 1000).is_err(),
            "before the account existed"
        );
        assert!(is_late(e.recorded_at, NOW));
        assert!(!is_late(NOW - 1000, NOW));
    }

    #[test]
    fn unknown_payload_fields_are_rejected_without_echoing_values() {
        let e = envelope(json!({"anxiety":2,"mood":3,"sleep_hours":7,"score_total":99}));
        let err = validate_entry(&e, NOW, 0).unwrap_err();
        assert!(err.reason.contains("score_total"), "{}", err.reason);
        let e = envelope(json!({"anxiety":"secret words","mood":3,"sleep_hours":7}));
        let err = validate_entry(&e, NOW, 0).unwrap_err();
        assert!(!err.reason.contains("secret"), "{}", err.reason);
    }

    #[test]
    fn patient_id_in_the_envelope_is_refused() {
        let raw = json!({"id": Uuid::now_v7(), "kind":"check_in","schema_version":1,"recorded_at":NOW,
            "payload":{"anxiety":1,"mood":1,"sleep_hours":1},"patient_id":"someone-else"});
        assert!(serde_json::from_value::<EntryEnvelope>(raw).is_err());
    }
}
