//! Timestamps (`format: date-time`), read leniently: RFC 3339, and also the offset-less
//! `2025-05-28T19:21:14` that Okta sometimes returns, which is taken as UTC. Calendar dates
//! (`format: date`) are `YYYY-MM-DD`.

use std::fmt;
use std::str::FromStr;

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

/// A point in time. Serializes as RFC 3339.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime(OffsetDateTime);

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
    /// Parses RFC 3339, or a timestamp without an offset (read as UTC).
    pub fn parse(input: &str) -> Result<Self, DateTimeParseError> {
        if let Ok(t) = OffsetDateTime::parse(input, &Rfc3339) {
            return Ok(DateTime(t));
        }
        let local = format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]"
        );
        PrimitiveDateTime::parse(input, &local)
            .map(|t| DateTime(t.assume_utc()))
            .map_err(|_| DateTimeParseError {
                input: input.to_owned(),
            })
    }

    /// The underlying `time` value.
    pub fn into_inner(self) -> OffsetDateTime {
        self.0
    }

    /// Seconds since the Unix epoch.
    pub fn unix_timestamp(&self) -> i64 {
        self.0.unix_timestamp()
    }
}

impl From<OffsetDateTime> for DateTime {
    fn from(t: OffsetDateTime) -> Self {
        DateTime(t)
    }
}

impl From<DateTime> for OffsetDateTime {
    fn from(t: DateTime) -> Self {
        t.0
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
        match self.0.format(&Rfc3339) {
            Ok(s) => f.write_str(&s),
            // Years outside 0..=9999 have no RFC 3339 form; show them the `time` way.
            Err(_) => write!(f, "{}", self.0),
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
        let text = self.0.format(&Rfc3339).map_err(serde::ser::Error::custom)?;
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

    #[test]
    fn serializes_as_rfc3339() {
        let t = DateTime::parse("2020-07-26T21:05:23").ok();
        assert_eq!(
            t.map(|t| t.to_string()),
            Some("2020-07-26T21:05:23Z".to_owned())
        );
    }
}
