//! Preparation and integration around a dosing session: routes, the entries a patient makes
//! (module read, intention, readiness ticks, questions, integration reflections), and the
//! readiness computation. Pure: the server computes readiness for the care team, the phone
//! computes the same from what the server knows plus what still waits in the outbox.

use serde::{Deserialize, Serialize};

use super::entry::EntryRejection;

/// Longest intention, question or reflection we keep, in characters.
pub const SHORT_TEXT_MAX: usize = 500;
pub const REFLECTION_MAX: usize = 2000;

/// How the medicine is given in a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    Lozenge,
    Intramuscular,
    Intravenous,
}

impl Route {
    pub const ALL: [Route; 3] = [Route::Lozenge, Route::Intramuscular, Route::Intravenous];

    pub fn as_str(self) -> &'static str {
        match self {
            Route::Lozenge => "lozenge",
            Route::Intramuscular => "intramuscular",
            Route::Intravenous => "intravenous",
        }
    }

    pub fn parse(s: &str) -> Option<Route> {
        Route::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    /// The words a patient reads.
    pub fn label(self) -> &'static str {
        match self {
            Route::Lozenge => "Lozenge (under the tongue)",
            Route::Intramuscular => "Injection (into a muscle)",
            Route::Intravenous => "Drip (into a vein)",
        }
    }
}

/// The ticks a patient can set on a session's checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TickItem {
    /// Someone will take me home; I will not drive until tomorrow.
    RideArranged,
    /// On the day: I read the fasting reminder and follow my clinic's advice.
    FastingAcknowledged,
    /// I wrote down my questions, or I have none.
    QuestionsReady,
}

/// The integration prompts after a session: about one day, three days and a week later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromptKey {
    Day1,
    Day3,
    Day7,
}

impl PromptKey {
    pub const ALL: [PromptKey; 3] = [PromptKey::Day1, PromptKey::Day3, PromptKey::Day7];

    /// Calendar days after the session, at the same clock time.
    pub fn days(self) -> u32 {
        match self {
            PromptKey::Day1 => 1,
            PromptKey::Day3 => 3,
            PromptKey::Day7 => 7,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            PromptKey::Day1 => "One day after your session",
            PromptKey::Day3 => "Three days after your session",
            PromptKey::Day7 => "One week after your session",
        }
    }

    /// The question the patient answers.
    pub fn question(self) -> &'static str {
        match self {
            PromptKey::Day1 => {
                "How are you feeling today? What do you remember most from your session?"
            }
            PromptKey::Day3 => {
                "What has stayed with you since your session? Have you noticed any change in how you think or feel?"
            }
            PromptKey::Day7 => {
                "Looking back on the week, what is one small step you want to take from here?"
            }
        }
    }
}

/// `module_read`: the patient finished reading a module (schema version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleRead {
    pub slug: String,
    pub version: i64,
}

/// `intention`: what the patient wants to bring to a session (schema version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intention {
    pub session_id: String,
    pub text: String,
}

/// `readiness_tick`: a checklist item set or cleared (schema version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadinessTick {
    pub session_id: String,
    pub item: TickItem,
    pub done: bool,
}

/// `session_question`: a question for the therapist before a session (schema version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionQuestion {
    pub session_id: String,
    pub text: String,
}

/// `integration_reflection`: an answer to an integration prompt (schema version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntegrationReflection {
    pub session_id: String,
    pub prompt: PromptKey,
    pub text: String,
}

fn check_session_id(id: &str) -> Result<(), EntryRejection> {
    if uuid::Uuid::parse_str(id).is_err() {
        return Err(EntryRejection::field(
            "session_id",
            "This entry does not name a session the app knows.",
        ));
    }
    Ok(())
}

/// Trims `text` and checks it is present, not too long and storable.
pub fn check_text(
    field: &str,
    text: &str,
    max: usize,
    what: &str,
) -> Result<String, EntryRejection> {
    let text = text.trim();
    if text.is_empty() {
        return Err(EntryRejection::field(
            field,
            format!("Please write your {what} first."),
        ));
    }
    if text.chars().count() > max {
        return Err(EntryRejection::field(
            field,
            format!("Your {what} is too long; please keep it under {max} characters."),
        ));
    }
    if text.contains('\0') {
        return Err(EntryRejection::field(
            field,
            format!("Your {what} contains a character we cannot store."),
        ));
    }
    Ok(text.to_string())
}

impl ModuleRead {
    pub fn validate(&self) -> Result<ModuleRead, EntryRejection> {
        let slug_ok = !self.slug.is_empty()
            && self.slug.len() <= 80
            && self
                .slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !slug_ok {
            return Err(EntryRejection::field("slug", "This module is not known."));
        }
        if self.version < 1 {
            return Err(EntryRejection::field(
                "version",
                "The module version must be 1 or more.",
            ));
        }
        Ok(self.clone())
    }
}

impl Intention {
    pub fn validate(&self) -> Result<Intention, EntryRejection> {
        check_session_id(&self.session_id)?;
        Ok(Intention {
            session_id: self.session_id.clone(),
            text: check_text("text", &self.text, SHORT_TEXT_MAX, "intention")?,
        })
    }
}

impl ReadinessTick {
    pub fn validate(&self) -> Result<ReadinessTick, EntryRejection> {
        check_session_id(&self.session_id)?;
        Ok(self.clone())
    }
}

impl SessionQuestion {
    pub fn validate(&self) -> Result<SessionQuestion, EntryRejection> {
        check_session_id(&self.session_id)?;
        Ok(SessionQuestion {
            session_id: self.session_id.clone(),
            text: check_text("text", &self.text, SHORT_TEXT_MAX, "question")?,
        })
    }
}

impl IntegrationReflection {
    pub fn validate(&self) -> Result<IntegrationReflection, EntryRejection> {
        check_session_id(&self.session_id)?;
        Ok(IntegrationReflection {
            session_id: self.session_id.clone(),
            prompt: self.prompt,
            text: check_text("text", &self.text, REFLECTION_MAX, "answer")?,
        })
    }
}

/// What the patient did, as readiness needs it: one per preparation entry, from the server's
/// log or from the outbox on the phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PrepFact {
    ModuleRead {
        id: String,
        at: i64,
        slug: String,
        version: i64,
    },
    Intention {
        id: String,
        at: i64,
        session_id: String,
        text: String,
    },
    Tick {
        id: String,
        at: i64,
        session_id: String,
        item: TickItem,
        done: bool,
    },
    Question {
        id: String,
        at: i64,
        session_id: String,
        text: String,
    },
    Reflection {
        id: String,
        at: i64,
        session_id: String,
        prompt: PromptKey,
        text: String,
    },
}

impl PrepFact {
    /// The fact an entry records, if it is a preparation entry with a readable payload.
    pub fn from_entry(
        id: &str,
        kind: &str,
        at: i64,
        payload: &serde_json::Value,
    ) -> Option<PrepFact> {
        let id = id.to_string();
        let p = payload.clone();
        Some(match kind {
            "module_read" => {
                let m: ModuleRead = serde_json::from_value(p).ok()?;
                PrepFact::ModuleRead {
                    id,
                    at,
                    slug: m.slug,
                    version: m.version,
                }
            }
            "intention" => {
                let i: Intention = serde_json::from_value(p).ok()?;
                PrepFact::Intention {
                    id,
                    at,
                    session_id: i.session_id,
                    text: i.text,
                }
            }
            "readiness_tick" => {
                let t: ReadinessTick = serde_json::from_value(p).ok()?;
                PrepFact::Tick {
                    id,
                    at,
                    session_id: t.session_id,
                    item: t.item,
                    done: t.done,
                }
            }
            "session_question" => {
                let q: SessionQuestion = serde_json::from_value(p).ok()?;
                PrepFact::Question {
                    id,
                    at,
                    session_id: q.session_id,
                    text: q.text,
                }
            }
            "integration_reflection" => {
                let r: IntegrationReflection = serde_json::from_value(p).ok()?;
                PrepFact::Reflection {
                    id,
                    at,
                    session_id: r.session_id,
                    prompt: r.prompt,
                    text: r.text,
                }
            }
            _ => return None,
        })
    }

    pub fn id(&self) -> &str {
        match self {
            PrepFact::ModuleRead { id, .. }
            | PrepFact::Intention { id, .. }
            | PrepFact::Tick { id, .. }
            | PrepFact::Question { id, .. }
            | PrepFact::Reflection { id, .. } => id,
        }
    }

    pub fn at(&self) -> i64 {
        match self {
            PrepFact::ModuleRead { at, .. }
            | PrepFact::Intention { at, .. }
            | PrepFact::Tick { at, .. }
            | PrepFact::Question { at, .. }
            | PrepFact::Reflection { at, .. } => *at,
        }
    }
}

/// Merges fact lists, dropping repeats of the same entry id, oldest first.
pub fn merge_facts(lists: &[&[PrepFact]]) -> Vec<PrepFact> {
    let mut all: Vec<PrepFact> = Vec::new();
    for list in lists {
        for fact in *list {
            if !all.iter().any(|f| f.id() == fact.id()) {
                all.push(fact.clone());
            }
        }
    }
    all.sort_by(|a, b| a.at().cmp(&b.at()).then_with(|| a.id().cmp(b.id())));
    all
}

/// A module as readiness sees it: its slug, current version and title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleVersion {
    pub slug: String,
    pub title: String,
    pub version: i64,
    pub routes: Vec<Route>,
}

/// When a session is, as the server worked it out in the session's time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionTimes {
    pub session_id: String,
    pub route: Route,
    pub starts_at: i64,
    /// The start and end of the session's calendar day in its time zone.
    pub day_start: i64,
    pub day_end: i64,
}

/// Where one checklist item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    Done,
    ToDo,
    /// Can only be done on the day of the session (the fasting reminder).
    OnTheDay,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKey {
    Modules,
    Intention,
    Ride,
    Fasting,
    Questions,
}

impl ItemKey {
    pub fn label(self) -> &'static str {
        match self {
            ItemKey::Modules => "Read the preparation guides",
            ItemKey::Intention => "Set your intention",
            ItemKey::Ride => "Arrange a ride home",
            ItemKey::Fasting => "Read the fasting reminder on the day",
            ItemKey::Questions => "Note your questions for your therapist",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadinessItem {
    pub key: ItemKey,
    pub state: ItemState,
}

/// Readiness for one session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Readiness {
    pub items: Vec<ReadinessItem>,
    /// Modules for this route read in their current version.
    pub modules_read: usize,
    pub modules_total: usize,
    /// Slugs read in an older version than the current one.
    pub modules_updated: Vec<String>,
    /// Slugs for this route not read in their current version.
    pub modules_to_read: Vec<String>,
    pub intention: Option<String>,
    pub questions: Vec<String>,
    /// Every item that can be done now is done.
    pub ready: bool,
}

impl Readiness {
    pub fn done_count(&self) -> usize {
        self.items
            .iter()
            .filter(|i| i.state == ItemState::Done)
            .count()
    }

    pub fn state_of(&self, key: ItemKey) -> ItemState {
        self.items
            .iter()
            .find(|i| i.key == key)
            .map(|i| i.state)
            .unwrap_or(ItemState::ToDo)
    }
}

/// The latest value of a tick for a session (facts are oldest first).
fn tick(facts: &[PrepFact], session_id: &str, wanted: TickItem) -> Option<(bool, i64)> {
    facts.iter().rev().find_map(|f| match f {
        PrepFact::Tick {
            session_id: s,
            item,
            done,
            at,
            ..
        } if s == session_id && *item == wanted => Some((*done, *at)),
        _ => None,
    })
}

/// Readiness for `session` at time `now`, from the patient's facts (any order) and the
/// current module catalogue.
pub fn compute_readiness(
    session: &SessionTimes,
    modules: &[ModuleVersion],
    facts: &[PrepFact],
    now: i64,
) -> Readiness {
    let facts = merge_facts(&[facts]);
    let applicable: Vec<&ModuleVersion> = modules
        .iter()
        .filter(|m| m.routes.contains(&session.route))
        .collect();
    let best_read = |slug: &str| {
        facts
            .iter()
            .filter_map(|f| match f {
                PrepFact::ModuleRead {
                    slug: s, version, ..
                } if s == slug => Some(*version),
                _ => None,
            })
            .max()
    };
    let mut modules_read = 0;
    let mut modules_updated = Vec::new();
    let mut modules_to_read = Vec::new();
    for m in &applicable {
        match best_read(&m.slug) {
            Some(v) if v >= m.version => modules_read += 1,
            Some(_) => {
                modules_updated.push(m.slug.clone());
                modules_to_read.push(m.slug.clone());
            }
            None => modules_to_read.push(m.slug.clone()),
        }
    }
    let intention = facts.iter().rev().find_map(|f| match f {
        PrepFact::Intention {
            session_id, text, ..
        } if *session_id == session.session_id => Some(text.clone()),
        _ => None,
    });
    let questions: Vec<String> = facts
        .iter()
        .filter_map(|f| match f {
            PrepFact::Question {
                session_id, text, ..
            } if *session_id == session.session_id => Some(text.clone()),
            _ => None,
        })
        .collect();
    let done = |yes: bool| {
        if yes {
            ItemState::Done
        } else {
            ItemState::ToDo
        }
    };
    let ride = tick(&facts, &session.session_id, TickItem::RideArranged).is_some_and(|(d, _)| d);
    let questions_ready = !questions.is_empty()
        || tick(&facts, &session.session_id, TickItem::QuestionsReady).is_some_and(|(d, _)| d);
    // The fasting reminder counts only when acknowledged on the session's own day.
    let fasting = match tick(&facts, &session.session_id, TickItem::FastingAcknowledged) {
        Some((true, at)) if at >= session.day_start && at < session.day_end => ItemState::Done,
        _ if now < session.day_start => ItemState::OnTheDay,
        _ => ItemState::ToDo,
    };
    let items = vec![
        ReadinessItem {
            key: ItemKey::Modules,
            state: done(modules_to_read.is_empty()),
        },
        ReadinessItem {
            key: ItemKey::Intention,
            state: done(intention.is_some()),
        },
        ReadinessItem {
            key: ItemKey::Ride,
            state: done(ride),
        },
        ReadinessItem {
            key: ItemKey::Fasting,
            state: fasting,
        },
        ReadinessItem {
            key: ItemKey::Questions,
            state: done(questions_ready),
        },
    ];
    let ready = items.iter().all(|i| i.state != ItemState::ToDo);
    Readiness {
        items,
        modules_read,
        modules_total: applicable.len(),
        modules_updated,
        modules_to_read,
        intention,
        questions,
        ready,
    }
}

/// Whether the patient answered `prompt` for `session_id`.
pub fn prompt_answered(facts: &[PrepFact], session_id: &str, prompt: PromptKey) -> bool {
    facts.iter().any(|f| {
        matches!(f, PrepFact::Reflection { session_id: s, prompt: p, .. } if s == session_id && *p == prompt)
    })
}

/// How long a prompt stays on Today after it falls due, if unanswered.
pub const PROMPT_SHOWN_FOR_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// "in 3 days", "in 5 hours", "in 20 minutes", "now": the time until `at`.
pub fn countdown(at: i64, now: i64) -> String {
    let minutes = (at - now).div_euclid(60_000);
    if minutes < 1 {
        return "starting now".into();
    }
    let hours = minutes / 60;
    let days = hours / 24;
    let plural = |n: i64, one: &str, many: &str| {
        if n == 1 {
            format!("in 1 {one}")
        } else {
            format!("in {n} {many}")
        }
    };
    if days >= 2 {
        plural(days, "day", "days")
    } else if hours >= 2 {
        plural(hours, "hour", "hours")
    } else if hours == 1 {
        let rest = minutes - 60;
        if rest == 0 {
            "in 1 hour".into()
        } else {
            format!("in 1 hour {rest} min")
        }
    } else {
        plural(minutes, "minute", "minutes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000;
    const DAY: i64 = 24 * HOUR;
    const SESSION: &str = "01900000-0000-7000-8000-00000000000a";

    fn times() -> SessionTimes {
        SessionTimes {
            session_id: SESSION.into(),
            route: Route::Intravenous,
            starts_at: 10 * DAY + 9 * HOUR,
            day_start: 10 * DAY,
            day_end: 11 * DAY,
        }
    }

    fn modules() -> Vec<ModuleVersion> {
        vec![
            ModuleVersion {
                slug: "a".into(),
                title: "A".into(),
                version: 2,
                routes: Route::ALL.to_vec(),
            },
            ModuleVersion {
                slug: "b".into(),
                title: "B".into(),
                version: 1,
                routes: Route::ALL.to_vec(),
            },
            ModuleVersion {
                slug: "needles".into(),
                title: "N".into(),
                version: 1,
                routes: vec![Route::Intramuscular, Route::Intravenous],
            },
        ]
    }

    fn read(id: &str, slug: &str, version: i64) -> PrepFact {
        PrepFact::ModuleRead {
            id: id.into(),
            at: DAY,
            slug: slug.into(),
            version,
        }
    }

    fn tick_at(id: &str, item: TickItem, done: bool, at: i64) -> PrepFact {
        PrepFact::Tick {
            id: id.into(),
            at,
            session_id: SESSION.into(),
            item,
            done,
        }
    }

    fn everything_but_fasting() -> Vec<PrepFact> {
        vec![
            read("1", "a", 2),
            read("2", "b", 1),
            read("3", "needles", 1),
            PrepFact::Intention {
                id: "4".into(),
                at: DAY,
                session_id: SESSION.into(),
                text: "Be kind to myself".into(),
            },
            tick_at("5", TickItem::RideArranged, true, DAY),
            tick_at("6", TickItem::QuestionsReady, true, DAY),
        ]
    }

    #[test]
    fn nothing_done_is_not_ready_and_lists_every_module() {
        let r = compute_readiness(&times(), &modules(), &[], 2 * DAY);
        assert!(!r.ready);
        assert_eq!(r.done_count(), 0);
        assert_eq!(r.modules_total, 3);
        assert_eq!(r.modules_to_read, vec!["a", "b", "needles"]);
        assert_eq!(r.state_of(ItemKey::Fasting), ItemState::OnTheDay);
    }

    #[test]
    fn before_the_day_everything_but_fasting_makes_ready() {
        let r = compute_readiness(&times(), &modules(), &everything_but_fasting(), 2 * DAY);
        assert!(r.ready, "{r:?}");
        assert_eq!(r.done_count(), 4);
        assert_eq!(r.intention.as_deref(), Some("Be kind to myself"));
    }

    #[test]
    fn on_the_day_the_fasting_reminder_must_be_acknowledged_that_day() {
        let morning = 10 * DAY + 7 * HOUR;
        let mut facts = everything_but_fasting();
        // Acknowledged the evening before: does not count.
        facts.push(tick_at(
            "7",
            TickItem::FastingAcknowledged,
            true,
            10 * DAY - HOUR,
        ));
        let r = compute_readiness(&times(), &modules(), &facts, morning);
        assert_eq!(r.state_of(ItemKey::Fasting), ItemState::ToDo);
        assert!(!r.ready);
        facts.push(tick_at("8", TickItem::FastingAcknowledged, true, morning));
        let r = compute_readiness(&times(), &modules(), &facts, morning);
        assert_eq!(r.state_of(ItemKey::Fasting), ItemState::Done);
        assert!(r.ready);
        assert_eq!(r.done_count(), 5);
    }

    #[test]
    fn an_updated_module_must_be_read_again() {
        let mut facts = everything_but_fasting();
        facts[0] = read("1", "a", 1);
        let r = compute_readiness(&times(), &modules(), &facts, 2 * DAY);
        assert_eq!(r.modules_updated, vec!["a"]);
        assert_eq!(r.modules_read, 2);
        assert_eq!(r.state_of(ItemKey::Modules), ItemState::ToDo);
        assert!(!r.ready);
    }

    #[test]
    fn modules_for_other_routes_do_not_count() {
        let session = SessionTimes {
            route: Route::Lozenge,
            ..times()
        };
        let facts = vec![read("1", "a", 2), read("2", "b", 1)];
        let r = compute_readiness(&session, &modules(), &facts, 2 * DAY);
        assert_eq!((r.modules_read, r.modules_total), (2, 2));
        assert_eq!(r.state_of(ItemKey::Modules), ItemState::Done);
    }

    #[test]
    fn the_latest_tick_wins_and_a_question_counts_as_questions_ready() {
        let facts = vec![
            tick_at("1", TickItem::RideArranged, true, DAY),
            tick_at("2", TickItem::RideArranged, false, 2 * DAY),
            PrepFact::Question {
                id: "3".into(),
                at: DAY,
                session_id: SESSION.into(),
                text: "Can I bring music?".into(),
            },
        ];
        let r = compute_readiness(&times(), &modules(), &facts, 3 * DAY);
        assert_eq!(r.state_of(ItemKey::Ride), ItemState::ToDo);
        assert_eq!(r.state_of(ItemKey::Questions), ItemState::Done);
        assert_eq!(r.questions, vec!["Can I bring music?"]);
    }

    #[test]
    fn facts_for_another_session_do_not_count() {
        let other = "01900000-0000-7000-8000-00000000000b";
        let facts = vec![PrepFact::Intention {
            id: "1".into(),
            at: DAY,
            session_id: other.into(),
            text: "x".into(),
        }];
        let r = compute_readiness(&times(), &modules(), &facts, 2 * DAY);
        assert_eq!(r.intention, None);
    }

    #[test]
    fn merged_facts_drop_repeats_by_id() {
        let a = vec![read("1", "a", 2)];
        let b = vec![read("1", "a", 2), read("2", "b", 1)];
        assert_eq!(merge_facts(&[&a, &b]).len(), 2);
    }

    #[test]
    fn entries_become_facts_and_bad_payloads_are_skipped() {
        let f = PrepFact::from_entry(
            "x",
            "readiness_tick",
            5,
            &serde_json::json!({"session_id": SESSION, "item": "ride_arranged", "done": true}),
        );
        assert!(matches!(
            f,
            Some(PrepFact::Tick {
                done: true,
                item: TickItem::RideArranged,
                ..
            })
        ));
        assert!(
            PrepFact::from_entry(
                "x",
                "readiness_tick",
                5,
                &serde_json::json!({"item": "nope"})
            )
            .is_none()
        );
        assert!(PrepFact::from_entry("x", "check_in", 5, &serde_json::json!({})).is_none());
    }

    #[test]
    fn texts_are_trimmed_and_limited() {
        let i = Intention {
            session_id: SESSION.into(),
            text: "  stay curious ".into(),
        };
        assert_eq!(i.validate().unwrap().text, "stay curious");
        let empty = Intention {
            session_id: SESSION.into(),
            text: "   ".into(),
        };
        assert_eq!(empty.validate().unwrap_err().field.as_deref(), Some("text"));
        let long = SessionQuestion {
            session_id: SESSION.into(),
            text: "x".repeat(SHORT_TEXT_MAX + 1),
        };
        assert!(long.validate().is_err());
        let bad_session = ReadinessTick {
            session_id: "nope".into(),
            item: TickItem::RideArranged,
            done: true,
        };
        assert_eq!(
            bad_session.validate().unwrap_err().field.as_deref(),
            Some("session_id")
        );
        assert!(
            ModuleRead {
                slug: "Bad Slug".into(),
                version: 1
            }
            .validate()
            .is_err()
        );
        assert!(
            ModuleRead {
                slug: "ok-slug".into(),
                version: 0
            }
            .validate()
            .is_err()
        );
    }

    #[test]
    fn countdowns_read_naturally() {
        assert_eq!(countdown(6 * DAY + 5 * HOUR, 0), "in 6 days");
        assert_eq!(countdown(DAY + 3 * HOUR, 0), "in 27 hours");
        assert_eq!(countdown(HOUR + 30 * 60_000, 0), "in 1 hour 30 min");
        assert_eq!(countdown(HOUR, 0), "in 1 hour");
        assert_eq!(countdown(60_000, 0), "in 1 minute");
        assert_eq!(countdown(0, 1), "starting now");
    }
}
