use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in the recording, to the millisecond.
///
/// Written `hh:mm:ss`, or `hh:mm:ss.mmm` when it has milliseconds. Parsed from
/// `h:mm:ss`, `mm:ss`, and either form with `.mmm` or `,mmm` (SRT) milliseconds.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    /// The milliseconds plus one: never zero, so an `Option<Timestamp>` (two in every
    /// turn) takes 8 bytes, not 16.
    plus_one: std::num::NonZeroU64,
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Timestamp")
            .field("millis", &self.millis())
            .finish()
    }
}

/// Text that is not a timestamp.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a timestamp (expected hh:mm:ss, mm:ss or hh:mm:ss.mmm)")]
pub struct TimestampError(pub String);

impl Timestamp {
    /// From milliseconds since the start of the recording (at most `u64::MAX - 1`,
    /// some 584 million years; more is taken as that).
    pub fn from_millis(millis: u64) -> Self {
        Timestamp {
            plus_one: std::num::NonZeroU64::MIN.saturating_add(millis),
        }
    }

    /// Milliseconds since the start of the recording.
    pub fn millis(self) -> u64 {
        self.plus_one.get() - 1
    }

    /// Seconds since the start, as a decimal string without trailing zeros (`754`, `12.5`).
    pub fn seconds_string(self) -> String {
        let mut out = String::new();
        self.push_seconds(&mut out);
        out
    }

    /// [`Timestamp::seconds_string`], appended to `out`.
    pub fn push_seconds(self, out: &mut String) {
        use std::fmt::Write;
        let (s, ms) = (self.millis() / 1000, self.millis() % 1000);
        let _ = if ms == 0 {
            write!(out, "{s}")
        } else if ms % 100 == 0 {
            write!(out, "{s}.{}", ms / 100)
        } else if ms % 10 == 0 {
            write!(out, "{s}.{:02}", ms / 10)
        } else {
            write!(out, "{s}.{ms:03}")
        };
    }

    /// The time as printed for readers (EPUB, PDF, plain text): `HH:MM:SS`, whole
    /// seconds, the same in every format. The data formats keep the milliseconds.
    pub fn clock(self) -> String {
        let total = self.millis() / 1000;
        format!(
            "{:02}:{:02}:{:02}",
            total / 3600,
            total / 60 % 60,
            total % 60
        )
    }

    /// ISO 8601 duration, as used by TEI `@dur` or HTML `<time datetime>` (`PT12M34S`).
    pub fn iso_duration(self) -> String {
        let total = self.millis() / 1000;
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
        let ms = self.millis() % 1000;
        let mut out = String::from("PT");
        if h > 0 {
            out.push_str(&format!("{h}H"));
        }
        if m > 0 {
            out.push_str(&format!("{m}M"));
        }
        if ms > 0 {
            out.push_str(&format!("{s}.{ms:03}S"));
        } else if s > 0 || (h == 0 && m == 0) {
            out.push_str(&format!("{s}S"));
        }
        out
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.millis() / 1000;
        write!(
            f,
            "{:02}:{:02}:{:02}",
            total / 3600,
            total / 60 % 60,
            total % 60
        )?;
        if !self.millis().is_multiple_of(1000) {
            write!(f, ".{:03}", self.millis() % 1000)?;
        }
        Ok(())
    }
}

impl FromStr for Timestamp {
    type Err = TimestampError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || TimestampError(s.to_string());
        let (clock, frac) = match s.find(['.', ',']) {
            Some(i) => (&s[..i], Some(&s[i + 1..])),
            None => (s, None),
        };
        // At most three fields, without collecting them: every turn of a diarized
        // transcript has its time parsed.
        let mut split = clock.split(':');
        let fields = [split.next(), split.next(), split.next(), split.next()];
        let num = |f: &str, max: u64| -> Result<u64, TimestampError> {
            if f.is_empty() || f.len() > 2 && max < 100 || !f.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err());
            }
            let v: u64 = f.parse().map_err(|_| err())?;
            if v >= max { Err(err()) } else { Ok(v) }
        };
        let secs = match fields {
            [Some(h), Some(m), Some(s), None] if m.len() == 2 && s.len() == 2 => {
                num(h, 1_000_000)? * 3600 + num(m, 60)? * 60 + num(s, 60)?
            }
            [Some(m), Some(s), None, _] if s.len() == 2 => num(m, 60)? * 60 + num(s, 60)?,
            _ => return Err(err()),
        };
        let ms = match frac {
            None => 0,
            Some(f) if (1..=3).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()) => {
                let v: u64 = f.parse().map_err(|_| err())?;
                v * 10u64.pow(3 - f.len() as u32)
            }
            Some(_) => return Err(err()),
        };
        Ok(Timestamp::from_millis(secs * 1000 + ms))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Timestamp {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Timestamp".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "Time from the start of the recording: hh:mm:ss or hh:mm:ss.mmm",
            "pattern": "^[0-9]{2,}:[0-5][0-9]:[0-5][0-9](\\.[0-9]{3})?$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_optional_timestamp_is_one_word_and_keeps_its_order() {
        assert_eq!(std::mem::size_of::<Option<Timestamp>>(), 8);
        let (a, b) = (Timestamp::from_millis(0), Timestamp::from_millis(1));
        assert!(a < b);
        assert_eq!((a.millis(), b.millis()), (0, 1));
        assert_eq!(Timestamp::from_millis(u64::MAX).millis(), u64::MAX - 1);
        assert_eq!(
            format!("{:?}", Timestamp::from_millis(754_000)),
            "Timestamp { millis: 754000 }"
        );
    }

    #[test]
    fn parses_and_prints() {
        let t: Timestamp = "1:02:03".parse().unwrap();
        assert_eq!(t.millis(), 3_723_000);
        assert_eq!(t.to_string(), "01:02:03");
        assert_eq!(
            "12:34".parse::<Timestamp>().unwrap().to_string(),
            "00:12:34"
        );
        let t: Timestamp = "00:00:01,5".parse().unwrap();
        assert_eq!(t.to_string(), "00:00:01.500");
        assert_eq!(t.seconds_string(), "1.5");
        assert_eq!(t.iso_duration(), "PT1.500S");
        assert_eq!(Timestamp::from_millis(754_000).iso_duration(), "PT12M34S");
        assert_eq!(Timestamp::from_millis(0).iso_duration(), "PT0S");
    }

    #[test]
    fn seconds_drop_trailing_zeros_of_every_millisecond_count() {
        for ms in (0..1000).chain([1000, 1005, 59_990, 3_600_100]) {
            let (s, frac) = (ms / 1000, ms % 1000);
            let expected = if frac == 0 {
                s.to_string()
            } else {
                format!("{s}.{frac:03}").trim_end_matches('0').to_string()
            };
            assert_eq!(
                Timestamp::from_millis(ms).seconds_string(),
                expected,
                "{ms}"
            );
        }
        assert_eq!(Timestamp::from_millis(10).seconds_string(), "0.01");
    }

    #[test]
    fn rejects_nonsense() {
        for bad in [
            "",
            "1",
            "12:3",
            "1:60:00",
            "ab:cd",
            "00:00:00.1234",
            "::",
            "00:61",
            "01:02:03:04",
            "00:01:",
        ] {
            assert!(bad.parse::<Timestamp>().is_err(), "{bad}");
        }
    }
}
