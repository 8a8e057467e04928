//! Timestamps (`format: date-time`), read leniently: RFC 3339, and also the offset-less
//! `2025-05-28T19:21:14` that Okta sometimes returns, which is taken as UTC. Calendar dates
//! (`format: date`) are `YYYY-MM-DD`.
//!
//! A timestamp that was read keeps the text it was read from and writes exactly that text back
//! (`.000Z` stays `.000Z`, `+02:00` stays `+02:00`, an offset-less one stays offset-less), so
//! decode → encode is lossless. One built from an `OffsetDateTime` is written as RFC 3339.
//! Comparison, ordering and hashing are by instant: two texts of the same instant are equal.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

/// A point in time. Writes back the text it was read from; one built from an `OffsetDateTime`
/// is written as RFC 3339. Equal, ordered and hashed by instant.
#[derive(Clone)]
pub struct DateTime {
    instant: OffsetDateTime,
    /// The text it was read from; `None` when built from an `OffsetDateTime`.
    text: Option<Box<str>>,
}

/// A string that is not a timestamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTimeParseError {
    input: String,
}

impl fmt::Display for DateTimeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not an RFC 3339 timestamp", self.input)
    }
}

impl std::error::Error for DateTimeParseError {}

impl DateTime {
    /// Parses RFC 3339, or a timestamp without an offset (read as UTC), and keeps the text.
    pub fn parse(input: &str) -> Result<Self, DateTimeParseError> {
        let instant = match OffsetDateTime::parse(input, &Rfc3339) {
            Ok(t) => t,
            Err(_) => {
                let local = format_description!(
                    "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]"
                );
                PrimitiveDateTime::parse(input, &local)
                    .map(PrimitiveDateTime::assume_utc)
                    .map_err(|_| DateTimeParseError {
                        input: input.to_owned(),
                    })?
            }
        };
        Ok(DateTime {
            instant,
            text: Some(input.into()),
        })
    }

    /// The underlying `time` value (with the offset it was read with; UTC for offset-less text).
    pub fn into_inner(self) -> OffsetDateTime {
        self.instant
    }

    /// The underlying `time` value, without giving up `self`.
    pub fn as_offset_date_time(&self) -> OffsetDateTime {
        self.instant
    }

    /// The text it was read from, if it was read (not built from an `OffsetDateTime`).
    pub fn received_text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// Seconds since the Unix epoch.
    pub fn unix_timestamp(&self) -> i64 {
        self.instant.unix_timestamp()
    }
}

impl From<OffsetDateTime> for DateTime {
    fn from(instant: OffsetDateTime) -> Self {
        DateTime {
            instant,
            text: None,
        }
    }
}

impl From<DateTime> for OffsetDateTime {
    fn from(t: DateTime) -> Self {
        t.instant
    }
}

impl PartialEq for DateTime {
    fn eq(&self, other: &Self) -> bool {
        self.instant == other.instant
    }
}

impl Eq for DateTime {}

impl PartialOrd for DateTime {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for DateTime {
    fn cmp(&self, other: &Self) -> Ordering {
        self.instant.cmp(&other.instant)
    }
}

impl Hash for DateTime {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // By instant, as `Eq` is: the offset and the text do not count.
        self.instant.unix_timestamp_nanos().hash(state);
    }
}

impl FromStr for DateTime {
    type Err = DateTimeParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DateTime::parse(s)
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(text) = &self.text {
            return f.write_str(text);
        }
        match self.instant.format(&Rfc3339) {
            Ok(s) => f.write_str(&s),
            // Years outside 0..=9999 have no RFC 3339 form; show them the `time` way.
            Err(_) => write!(f, "{}", self.instant),
        }
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTime({self})")
    }
}

impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let Some(text) = &self.text {
            return serializer.serialize_str(text);
        }
        let text = self
            .instant
            .format(&Rfc3339)
            .map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }
}

impl<'de> serde::Deserialize<'de> for DateTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        DateTime::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A calendar date (`format: date`, `YYYY-MM-DD`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(time::Date);

const DATE_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]");

impl Date {
    /// Parses `YYYY-MM-DD`.
    pub fn parse(input: &str) -> Result<Self, DateTimeParseError> {
        time::Date::parse(input, DATE_FORMAT)
            .map(Date)
            .map_err(|_| DateTimeParseError {
                input: input.to_owned(),
            })
    }

    /// The underlying `time` value.
    pub fn into_inner(self) -> time::Date {
        self.0
    }
}

impl From<time::Date> for Date {
    fn from(d: time::Date) -> Self {
        Date(d)
    }
}

impl FromStr for Date {
    type Err = DateTimeParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse(s)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.format(DATE_FORMAT) {
            Ok(s) => f.write_str(&s),
            Err(_) => write!(f, "{}", self.0),
        }
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Date({self})")
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = self
            .0
            .format(DATE_FORMAT)
            .map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Date::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rfc3339_and_offsetless_timestamps() {
        let utc = DateTime::parse("2025-05-28T19:21:14.000Z").map(|t| t.unix_timestamp());
        let bare = DateTime::parse("2025-05-28T19:21:14").map(|t| t.unix_timestamp());
        assert_eq!(utc, Ok(1_748_460_074));
        assert_eq!(bare, utc);
        let offset = DateTime::parse("2025-05-28T21:21:14+02:00").map(|t| t.unix_timestamp());
        assert_eq!(offset, utc);
        assert!(DateTime::parse("yesterday").is_err());
    }

    #[test]
    fn dates_round_trip() {
        let d = Date::parse("2026-02-28");
        assert_eq!(
            d.as_ref().map(|d| d.to_string()),
            Ok("2026-02-28".to_owned())
        );
        assert!(Date::parse("2026-02-30").is_err());
        assert!(Date::parse("2026-02-28T00:00:00Z").is_err());
    }

    /// The JSON text `t` is written as.
    fn json(t: &DateTime) -> String {
        serde_json::to_string(t).unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn a_read_timestamp_writes_back_its_exact_text() {
        for text in [
            "2025-05-28T19:21:14.000Z",
            "2025-05-28T19:21:14Z",
            "2025-05-28T21:21:14+02:00",
            "2025-05-28T14:21:14.5-05:00",
            "2025-05-28T19:21:14+00:00",
            "2025-05-28T19:21:14.123456789Z",
            "2025-05-28T19:21:14",
            "2025-05-28T19:21:14.100",
            "2025-05-28t19:21:14z",
        ] {
            let read: Result<DateTime, _> = serde_json::from_str(&format!("{text:?}"));
            let read = read.unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(json(&read), format!("{text:?}"), "encoded");
            assert_eq!(read.to_string(), text, "displayed");
            assert_eq!(read.received_text(), Some(text));
            assert_eq!(
                DateTime::parse(text).map(|t| t.to_string()).as_deref(),
                Ok(text)
            );
        }
    }

    #[test]
    fn texts_of_one_instant_are_equal_and_hash_alike() {
        use std::collections::HashSet;
        let texts = [
            "2025-05-28T19:21:14Z",
            "2025-05-28T19:21:14.000Z",
            "2025-05-28T21:21:14+02:00",
            "2025-05-28T19:21:14",
            "2025-05-28t19:21:14z",
        ];
        let all: Vec<DateTime> = texts
            .iter()
            .filter_map(|t| DateTime::parse(t).ok())
            .collect();
        assert_eq!(all.len(), texts.len());
        assert!(all
            .windows(2)
            .all(|w| w[0] == w[1] && w[0].cmp(&w[1]).is_eq()));
        let set: HashSet<DateTime> = all.iter().cloned().collect();
        assert_eq!(set.len(), 1, "one instant, one hash");
        let later = DateTime::parse("2025-05-28T19:21:14.001Z");
        assert!(
            later.as_ref().is_ok_and(|l| l > &all[0]),
            "ordered by instant"
        );
    }

    #[test]
    fn a_timestamp_built_from_time_writes_rfc3339() {
        let t = DateTime::parse("2025-05-28T21:21:14.000+02:00").map(DateTime::into_inner);
        let built = t.map(DateTime::from);
        assert_eq!(
            built.as_ref().map(json),
            Ok("\"2025-05-28T21:21:14+02:00\"".to_owned())
        );
        assert_eq!(built.as_ref().map(DateTime::received_text), Ok(None));
        let utc = DateTime::from(time::macros::datetime!(2020-07-26 21:05:23.5 UTC));
        assert_eq!(utc.to_string(), "2020-07-26T21:05:23.5Z");
        assert_eq!(json(&utc), "\"2020-07-26T21:05:23.5Z\"");
    }
}
