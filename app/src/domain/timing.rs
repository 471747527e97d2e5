//! Session times in the clinic's time zone (server only: it carries the time-zone database).
//! A session is stored as an instant plus the IANA zone it was scheduled in; the session's
//! calendar day and the integration prompts (1, 3 and 7 days later at the same clock time)
//! are worked out in that zone, so daylight-saving changes move nothing a person would notice.

use chrono::{DateTime, Days, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::preparation::{PromptKey, Route, SessionTimes};

/// Why a time could not be used, in words for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimingError {
    pub field: &'static str,
    pub message: String,
}

fn err(field: &'static str, message: impl Into<String>) -> TimingError {
    TimingError {
        field,
        message: message.into(),
    }
}

/// An IANA time-zone name such as `Europe/Berlin`.
pub fn parse_zone(name: &str) -> Result<Tz, TimingError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(err("time_zone", "Please choose a time zone."));
    }
    name.parse::<Tz>().map_err(|_| {
        err(
            "time_zone",
            "That time zone is not known. Use a name like Europe/London.",
        )
    })
}

/// Resolves a wall-clock time in `tz`. A time skipped by a daylight-saving change moves to the
/// first valid minute after the gap; a repeated time takes the earlier instant.
fn resolve(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Tz>> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Some(t),
        LocalResult::Ambiguous(early, _) => Some(early),
        LocalResult::None => (1..=180).find_map(|m| {
            tz.from_local_datetime(&(local + chrono::Duration::minutes(m)))
                .earliest()
        }),
    }
}

/// A `datetime-local` value ("2026-12-01T09:30") in `tz`, as unix milliseconds. A time that
/// does not exist that day (clocks go forward) is refused so nobody is surprised.
pub fn parse_local(value: &str, tz: Tz) -> Result<i64, TimingError> {
    let value = value.trim();
    let local = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| {
            err(
                "starts_at",
                "Please enter a date and time, like 2026-12-01 09:30.",
            )
        })?;
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.timestamp_millis()),
        LocalResult::Ambiguous(early, _) => Ok(early.timestamp_millis()),
        LocalResult::None => Err(err(
            "starts_at",
            format!(
                "That time does not exist in {tz} because the clocks change that night. Please choose another time."
            ),
        )),
    }
}

fn local(at: i64, tz: Tz) -> DateTime<Tz> {
    let utc = DateTime::<Utc>::from_timestamp_millis(at).unwrap_or_default();
    utc.with_timezone(&tz)
}

fn start_of_day(date: NaiveDate, tz: Tz) -> i64 {
    resolve(tz, date.and_time(NaiveTime::MIN))
        .map(|t| t.timestamp_millis())
        .unwrap_or(0)
}

/// The session's instant, route and calendar day in `tz`.
pub fn session_times(session_id: &str, route: Route, starts_at: i64, tz: Tz) -> SessionTimes {
    let date = local(starts_at, tz).date_naive();
    let next = date.checked_add_days(Days::new(1)).unwrap_or(date);
    SessionTimes {
        session_id: session_id.to_string(),
        route,
        starts_at,
        day_start: start_of_day(date, tz),
        day_end: start_of_day(next, tz),
    }
}

/// When an integration prompt falls due: `prompt.days()` calendar days after the session, at
/// the same clock time in the session's zone.
pub fn prompt_due(starts_at: i64, tz: Tz, prompt: PromptKey) -> i64 {
    let start = local(starts_at, tz);
    let naive = start.naive_local();
    let later = naive
        .checked_add_days(Days::new(u64::from(prompt.days())))
        .unwrap_or(naive);
    resolve(tz, later)
        .map(|t| t.timestamp_millis())
        .unwrap_or(starts_at + i64::from(prompt.days()) * 86_400_000)
}

/// "Tuesday 1 December 2026 at 9:30 AM (GMT)".
pub fn describe(at: i64, tz: Tz) -> String {
    local(at, tz)
        .format("%A %-d %B %Y at %-I:%M %p (%Z)")
        .to_string()
}

/// The `datetime-local` value of an instant in `tz`, for prefilling a form.
pub fn input_value(at: i64, tz: Tz) -> String {
    local(at, tz).format("%Y-%m-%dT%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000;

    fn ms(tz: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
        tz.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn local_times_are_read_in_the_given_zone() {
        let ny: Tz = parse_zone("America/New_York").unwrap();
        let at = parse_local("2026-12-01T09:30", ny).unwrap();
        assert_eq!(at, ms(Tz::UTC, 2026, 12, 1, 14, 30));
        assert_eq!(describe(at, ny), "Tuesday 1 December 2026 at 9:30 AM (EST)");
        assert_eq!(input_value(at, ny), "2026-12-01T09:30");
        assert!(parse_zone("Mars/Olympus").is_err());
        assert!(parse_zone("").is_err());
        assert_eq!(parse_local("tomorrow", ny).unwrap_err().field, "starts_at");
    }

    #[test]
    fn a_time_skipped_by_the_clock_change_is_refused_and_a_repeated_one_takes_the_first() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        // 29 March 2026: 02:00 → 03:00.
        assert!(parse_local("2026-03-29T02:30", berlin).is_err());
        // 25 October 2026: 03:00 → 02:00; 02:30 happens twice.
        let twice = parse_local("2026-10-25T02:30", berlin).unwrap();
        assert_eq!(twice, ms(Tz::UTC, 2026, 10, 25, 0, 30));
    }

    #[test]
    fn prompts_keep_the_clock_time_across_daylight_saving_changes() {
        let ny: Tz = "America/New_York".parse().unwrap();
        // Friday 30 October 2026, 10:00 EDT; clocks go back on Sunday 1 November.
        let start = ms(ny, 2026, 10, 30, 10, 0);
        assert_eq!(
            prompt_due(start, ny, PromptKey::Day1),
            ms(ny, 2026, 10, 31, 10, 0)
        );
        assert_eq!(prompt_due(start, ny, PromptKey::Day1) - start, 24 * HOUR);
        // Three and seven days later cross the change: 25 hours longer than plain arithmetic
        // would be is wrong; the clock time stays 10:00.
        assert_eq!(
            prompt_due(start, ny, PromptKey::Day3),
            ms(ny, 2026, 11, 2, 10, 0)
        );
        assert_eq!(prompt_due(start, ny, PromptKey::Day3) - start, 73 * HOUR);
        assert_eq!(
            prompt_due(start, ny, PromptKey::Day7) - start,
            7 * 24 * HOUR + HOUR
        );
        // Spring forward in Europe: 7 days after Thursday 26 March 2026 09:00 is 167 hours.
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let spring = ms(berlin, 2026, 3, 26, 9, 0);
        assert_eq!(
            prompt_due(spring, berlin, PromptKey::Day7) - spring,
            7 * 24 * HOUR - HOUR
        );
    }

    #[test]
    fn the_same_instant_has_different_days_and_prompts_in_different_zones() {
        // 03:00 UTC on 2 December is the evening of 1 December in Los Angeles.
        let at = ms(Tz::UTC, 2026, 12, 2, 3, 0);
        let la: Tz = "America/Los_Angeles".parse().unwrap();
        let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
        let la_day = session_times("s", Route::Lozenge, at, la);
        assert_eq!(la_day.day_start, ms(la, 2026, 12, 1, 0, 0));
        assert_eq!(la_day.day_end, ms(la, 2026, 12, 2, 0, 0));
        let tokyo_day = session_times("s", Route::Lozenge, at, tokyo);
        assert_eq!(tokyo_day.day_start, ms(tokyo, 2026, 12, 2, 0, 0));
        assert_eq!(
            prompt_due(at, la, PromptKey::Day1),
            ms(la, 2026, 12, 2, 19, 0)
        );
        assert_eq!(prompt_due(at, tokyo, PromptKey::Day1), at + 24 * HOUR);
    }

    #[test]
    fn a_prompt_landing_in_a_skipped_hour_moves_past_the_gap() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        // Sunday 22 March 2026 02:30; a week later 02:30 does not exist.
        let start = ms(berlin, 2026, 3, 22, 2, 30);
        assert_eq!(
            prompt_due(start, berlin, PromptKey::Day7),
            ms(berlin, 2026, 3, 29, 3, 0)
        );
        // A day that is 23 hours long.
        let day = session_times(
            "s",
            Route::Intravenous,
            ms(berlin, 2026, 3, 29, 12, 0),
            berlin,
        );
        assert_eq!(day.day_end - day.day_start, 23 * HOUR);
    }
}
