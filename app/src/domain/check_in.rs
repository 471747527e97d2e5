//! The daily check-in: how anxious, how your mood is, how long you slept, and a note.

use serde::{Deserialize, Serialize};

use super::entry::EntryRejection;

/// Longest note we keep, in characters.
pub const NOTE_MAX_CHARS: usize = 2000;

/// Mood choices, from 1 (very low) to 5 (very good), with the words the form shows.
pub const MOOD_LABELS: [&str; 5] = ["Very low", "Low", "Okay", "Good", "Very good"];

/// A daily check-in as the patient gave it (schema version 1).
///
/// Numbers are read as wide integers and then checked, so `anxiety: -1` gets a readable
/// "between 0 and 10" rather than a parser message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckIn {
    /// 0 (calm) to 10 (the most anxious you can imagine).
    pub anxiety: i64,
    /// 1 (very low) to 5 (very good).
    pub mood: i64,
    /// Hours slept last night, 0 to 24, in half hours.
    pub sleep_hours: f64,
    /// Optional free text, stored as written and always shown escaped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl CheckIn {
    /// Checks every value and returns a copy in canonical form (trimmed note, `None` if empty).
    pub fn validate(&self) -> Result<CheckIn, EntryRejection> {
        if !(0..=10).contains(&self.anxiety) {
            return Err(EntryRejection::field(
                "anxiety",
                "Anxiety must be a whole number from 0 to 10.",
            ));
        }
        if !(1..=5).contains(&self.mood) {
            return Err(EntryRejection::field(
                "mood",
                "Mood must be one of the five choices (1 to 5).",
            ));
        }
        if !self.sleep_hours.is_finite() || !(0.0..=24.0).contains(&self.sleep_hours) {
            return Err(EntryRejection::field(
                "sleep_hours",
                "Hours slept must be between 0 and 24.",
            ));
        }
        if (self.sleep_hours * 2.0).fract() != 0.0 {
            return Err(EntryRejection::field(
                "sleep_hours",
                "Hours slept must be in half hours, like 6 or 6.5.",
            ));
        }
        let note = match self.note.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => {
                if text.chars().count() > NOTE_MAX_CHARS {
                    return Err(EntryRejection::field(
                        "note",
                        format!(
                            "The note is too long; please keep it under {NOTE_MAX_CHARS} characters."
                        ),
                    ));
                }
                if text.contains('\0') {
                    return Err(EntryRejection::field(
                        "note",
                        "The note contains a character we cannot store.",
                    ));
                }
                Some(text.to_string())
            }
        };
        Ok(CheckIn {
            note,
            ..self.clone()
        })
    }

    /// The word for this mood value, if it is in range.
    pub fn mood_label(&self) -> &'static str {
        usize::try_from(self.mood - 1)
            .ok()
            .and_then(|i| MOOD_LABELS.get(i))
            .copied()
            .unwrap_or("Unknown")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> CheckIn {
        CheckIn {
            anxiety: 4,
            mood: 3,
            sleep_hours: 7.5,
            note: Some("  slept badly  ".into()),
        }
    }

    #[test]
    fn a_valid_check_in_is_accepted_and_its_note_trimmed() {
        let checked = valid().validate().unwrap();
        assert_eq!(checked.note.as_deref(), Some("slept badly"));
    }

    #[test]
    fn anxiety_outside_zero_to_ten_is_rejected_naming_the_field() {
        for bad in [-1, 11] {
            let err = CheckIn {
                anxiety: bad,
                ..valid()
            }
            .validate()
            .unwrap_err();
            assert_eq!(err.field.as_deref(), Some("anxiety"), "value {bad}");
        }
        assert!(
            CheckIn {
                anxiety: 0,
                ..valid()
            }
            .validate()
            .is_ok()
        );
        assert!(
            CheckIn {
                anxiety: 10,
                ..valid()
            }
            .validate()
            .is_ok()
        );
    }

    #[test]
    fn mood_and_sleep_ranges_are_enforced() {
        assert_eq!(
            CheckIn { mood: 0, ..valid() }
                .validate()
                .unwrap_err()
                .field
                .as_deref(),
            Some("mood")
        );
        assert_eq!(
            CheckIn { mood: 6, ..valid() }
                .validate()
                .unwrap_err()
                .field
                .as_deref(),
            Some("mood")
        );
        assert_eq!(
            CheckIn {
                sleep_hours: 24.5,
                ..valid()
            }
            .validate()
            .unwrap_err()
            .field
            .as_deref(),
            Some("sleep_hours")
        );
        assert_eq!(
            CheckIn {
                sleep_hours: 6.3,
                ..valid()
            }
            .validate()
            .unwrap_err()
            .field
            .as_deref(),
            Some("sleep_hours")
        );
        assert_eq!(
            CheckIn {
                sleep_hours: f64::NAN,
                ..valid()
            }
            .validate()
            .unwrap_err()
            .field
            .as_deref(),
            Some("sleep_hours")
        );
    }

    #[test]
    fn empty_notes_become_none_and_long_or_nul_notes_are_rejected() {
        assert_eq!(
            CheckIn {
                note: Some("   ".into()),
                ..valid()
            }
            .validate()
            .unwrap()
            .note,
            None
        );
        let long = "a".repeat(NOTE_MAX_CHARS + 1);
        assert!(
            CheckIn {
                note: Some(long),
                ..valid()
            }
            .validate()
            .is_err()
        );
        assert!(
            CheckIn {
                note: Some("a\0b".into()),
                ..valid()
            }
            .validate()
            .is_err()
        );
    }

    #[test]
    fn unknown_fields_in_a_check_in_are_refused() {
        let parsed: Result<CheckIn, _> =
            serde_json::from_str(r#"{"anxiety":1,"mood":2,"sleep_hours":7,"score_total":9}"#);
        assert!(parsed.is_err());
    }
}
