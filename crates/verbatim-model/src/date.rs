//! Calendar dates and times: the one parser and the one set of display functions every
//! reader and writer uses.
//!
//! An [`IsoDate`] is what a transcript knows of when the interview happened: a year, a
//! month or a day, checked against the Gregorian calendar. A [`UtcDateTime`] is a point in
//! time for the formats that need one (`dcterms:modified`, a PDF's dates), made from Unix
//! seconds or from an [`IsoDate`].

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A date of the form `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, years 1 to 9999, with a month and
/// day that exist in the (proleptic Gregorian) calendar.
///
/// ```
/// use verbatim_model::IsoDate;
/// let d: IsoDate = "2019-06-11".parse().unwrap();
/// assert_eq!(d.to_string(), "2019-06-11");
/// assert!("2023-02-30".parse::<IsoDate>().is_err());
/// assert_eq!(IsoDate::parse_loose("March 3, 2015").unwrap().to_string(), "2015-03-03");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoDate {
    year: u16,
    month: Option<u8>,
    day: Option<u8>,
}

/// Why a string is not an [`IsoDate`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not of the form `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[error("\"{0}\" is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD, such as 2019-06-11)")]
    Syntax(String),
    /// Year 0.
    #[error("\"{0}\": the year must be between 0001 and 9999")]
    Year(String),
    /// A month outside 1–12.
    #[error("\"{0}\": there is no month {1}")]
    Month(String, u8),
    /// A day the month does not have.
    #[error("\"{0}\": {1} has no day {2}")]
    Day(String, &'static str, u8),
}

/// English month names, for the loose parser and [`IsoDate::long_en`].
pub const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl IsoDate {
    /// A date from its parts, checked.
    pub fn new(year: u16, month: Option<u8>, day: Option<u8>) -> Result<IsoDate, DateError> {
        let shown = || match (month, day) {
            (Some(m), Some(d)) => format!("{year:04}-{m:02}-{d:02}"),
            (Some(m), None) => format!("{year:04}-{m:02}"),
            _ => format!("{year:04}"),
        };
        if !(1..=9999).contains(&year) {
            return Err(DateError::Year(shown()));
        }
        if day.is_some() && month.is_none() {
            return Err(DateError::Syntax(shown()));
        }
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return Err(DateError::Month(shown(), m));
            }
            if let Some(d) = day
                && (d == 0 || d > days_in_month(year, m))
            {
                return Err(DateError::Day(shown(), MONTHS_EN[usize::from(m - 1)], d));
            }
        }
        Ok(IsoDate { year, month, day })
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month (1–12), when known.
    pub fn month(self) -> Option<u8> {
        self.month
    }

    /// The day of the month, when known.
    pub fn day(self) -> Option<u8> {
        self.day
    }

    /// Midnight UTC at the start of the first day the date covers.
    pub fn start(self) -> UtcDateTime {
        UtcDateTime {
            year: self.year,
            month: self.month.unwrap_or(1),
            day: self.day.unwrap_or(1),
            hour: 0,
            minute: 0,
            second: 0,
        }
    }

    /// The date as an English reader writes it: `11 June 2019`, `June 2019`, `2019`.
    pub fn long_en(self) -> String {
        crate::labels::ENGLISH.date(self)
    }

    /// The date as the transcript's readers write it: in words in its language when
    /// Verbatim has that language's month names ([`crate::Labels`]), in English without a
    /// language, ISO otherwise.
    pub fn display(self, lang: Option<&crate::LanguageTag>) -> String {
        match lang {
            None => self.long_en(),
            Some(l) => match crate::Labels::of(l) {
                Some(labels) => labels.date(self),
                None => self.to_string(),
            },
        }
    }

    /// A date from the ways people write one in headers: ISO (`2020-01-28`),
    /// `2020/01/28`, `January 28, 2020`, `28 January 2020`, `7th February 1994`,
    /// `Jan. 2020`, `1998`. English month names, full or abbreviated to three letters or
    /// more. Anything else, or a date the calendar does not have, is `None`.
    pub fn parse_loose(v: &str) -> Option<IsoDate> {
        let v = v.trim().trim_end_matches('.');
        if let Ok(d) = v.parse() {
            return Some(d);
        }
        let num = |s: &str, max_len: usize| -> Option<u16> {
            (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let year = |s: &str| (s.len() == 4).then(|| num(s, 4)).flatten();
        let small = |s: &str| num(s, 2).and_then(|n| u8::try_from(n).ok());
        let parts: Vec<&str> = v.split('/').collect();
        if let [y, m, d] = parts.as_slice() {
            return IsoDate::new(year(y)?, Some(small(m)?), Some(small(d)?)).ok();
        }
        let words: Vec<&str> = v
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .collect();
        let day = |w: &str| {
            let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '.');
            let suffix = &w[digits.len()..];
            matches!(suffix, "" | "st" | "nd" | "rd" | "th" | ".")
                .then(|| small(digits))
                .flatten()
        };
        let (y, m, d) = match words.as_slice() {
            [m, d, y] if month_en(m).is_some() => (year(y)?, month_en(m)?, Some(day(d)?)),
            [d, m, y] if month_en(m).is_some() => (year(y)?, month_en(m)?, Some(day(d)?)),
            [m, y] if month_en(m).is_some() => (year(y)?, month_en(m)?, None),
            _ => return None,
        };
        IsoDate::new(y, Some(m), d).ok()
    }
}

/// An English month name or its abbreviation (three letters or more, optional period).
fn month_en(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS_EN
        .iter()
        .position(|m| m.to_lowercase().starts_with(&w))
        .and_then(|i| u8::try_from(i + 1).ok())
}

fn is_leap(year: u16) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl FromStr for IsoDate {
    type Err = DateError;

    /// Exactly `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; nothing before or after.
    fn from_str(s: &str) -> Result<IsoDate, DateError> {
        let syntax = || DateError::Syntax(s.to_string());
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        let parts: Vec<&str> = s.split('-').collect();
        let year = match parts.first() {
            Some(y) if digits(y, 4) => y.parse::<u16>().map_err(|_| syntax())?,
            _ => return Err(syntax()),
        };
        let part = |i: usize| -> Result<Option<u8>, DateError> {
            match parts.get(i) {
                None => Ok(None),
                Some(p) if digits(p, 2) => p.parse().map(Some).map_err(|_| syntax()),
                Some(_) => Err(syntax()),
            }
        };
        if parts.len() > 3 {
            return Err(syntax());
        }
        IsoDate::new(year, part(1)?, part(2)?)
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl Serialize for IsoDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<IsoDate, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for IsoDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "IsoDate".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A calendar date: YYYY, YYYY-MM or YYYY-MM-DD (ISO 8601), years 0001 to 9999.",
            "pattern": "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
        })
    }
}

/// A point in time, UTC, to the second, years 1 to 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcDateTime {
    /// Year, 1–9999.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month, 1–31.
    pub day: u8,
    /// Hour, 0–23.
    pub hour: u8,
    /// Minute, 0–59.
    pub minute: u8,
    /// Second, 0–59.
    pub second: u8,
}

impl UtcDateTime {
    /// The UTC time of a Unix timestamp, if it falls in the years 1 to 9999.
    pub fn from_unix(secs: i64) -> Option<UtcDateTime> {
        // Howard Hinnant's days-to-civil algorithm.
        let z = secs.div_euclid(86_400) + 719_468;
        let rem = secs.rem_euclid(86_400);
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        if !(1..=9999).contains(&y) {
            return None;
        }
        Some(UtcDateTime {
            year: u16::try_from(y).ok()?,
            month: u8::try_from(m).ok()?,
            day: u8::try_from(d).ok()?,
            hour: u8::try_from(rem / 3600).ok()?,
            minute: u8::try_from(rem / 60 % 60).ok()?,
            second: u8::try_from(rem % 60).ok()?,
        })
    }

    /// The calendar day.
    pub fn date(self) -> IsoDate {
        IsoDate {
            year: self.year,
            month: Some(self.month),
            day: Some(self.day),
        }
    }

    /// `YYYY-MM-DDThh:mm:ssZ`, as W3C date-times, `dcterms:modified` and XMP write it.
    pub fn w3c(self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_checked_against_the_calendar() {
        for ok in [
            "2019",
            "2019-06",
            "2019-06-11",
            "2024-02-29",
            "2000-02-29",
            "0001",
        ] {
            assert_eq!(ok.parse::<IsoDate>().unwrap().to_string(), ok);
        }
        for bad in [
            "2023-02-30",
            "1900-02-29",
            "2019-13",
            "2019-00",
            "2019-06-00",
            "2019-06-31",
            "0000",
            "19",
            "2019-6-1",
            "2019-06-11T10:00",
            " 2019",
            "2019-06-11 and more",
            "",
        ] {
            assert!(bad.parse::<IsoDate>().is_err(), "{bad} accepted");
        }
        assert_eq!(
            "2023-02-30".parse::<IsoDate>().unwrap_err().to_string(),
            "\"2023-02-30\": February has no day 30"
        );
    }

    #[test]
    fn loose_dates_from_headers() {
        let loose = |s| IsoDate::parse_loose(s).map(|d| d.to_string());
        assert_eq!(loose("March 3, 2015").as_deref(), Some("2015-03-03"));
        assert_eq!(loose("7 February 1994").as_deref(), Some("1994-02-07"));
        assert_eq!(loose("7th February 1994").as_deref(), Some("1994-02-07"));
        assert_eq!(loose("11 December 2023").as_deref(), Some("2023-12-11"));
        assert_eq!(loose("Jan. 2020").as_deref(), Some("2020-01"));
        assert_eq!(loose("2020/01/28").as_deref(), Some("2020-01-28"));
        assert_eq!(loose("1998").as_deref(), Some("1998"));
        assert_eq!(loose("February 30, 2015"), None);
        assert_eq!(loose("Ma 3, 2015"), None);
        assert_eq!(loose("sometime in 2015"), None);
    }

    #[test]
    fn displays() {
        let d: IsoDate = "2019-06-11".parse().unwrap();
        assert_eq!(d.long_en(), "11 June 2019");
        assert_eq!("2019-06".parse::<IsoDate>().unwrap().long_en(), "June 2019");
        assert_eq!(d.start().w3c(), "2019-06-11T00:00:00Z");
        let tag = |s: &str| s.parse::<crate::LanguageTag>().unwrap();
        assert_eq!(d.display(Some(&tag("en-GB"))), "11 June 2019");
        assert_eq!(d.display(None), "11 June 2019");
        assert_eq!(d.display(Some(&tag("ru"))), "11 июня 2019 г.");
        assert_eq!(d.display(Some(&tag("ja"))), "2019-06-11");
    }

    #[test]
    fn unix_times() {
        assert_eq!(
            UtcDateTime::from_unix(0).unwrap().w3c(),
            "1970-01-01T00:00:00Z"
        );
        assert_eq!(
            UtcDateTime::from_unix(1_700_000_000).unwrap().w3c(),
            "2023-11-14T22:13:20Z"
        );
        assert_eq!(
            UtcDateTime::from_unix(-62_135_596_800).unwrap().w3c(),
            "0001-01-01T00:00:00Z"
        );
        assert_eq!(UtcDateTime::from_unix(-62_135_596_801), None);
        assert_eq!(UtcDateTime::from_unix(253_402_300_800), None);
        assert_eq!(UtcDateTime::from_unix(i64::MAX), None);
    }
}
