//! The format contract: what a reader and a writer take and give.
//!
//! Every format crate has the same two entry points (one or both):
//!
//! ```text
//! pub fn read(input: Vec<u8>, cx: &ReadContext) -> Result<Parsed<Transcript>, Error>
//! pub fn write(t: &Transcript, opts: &Options, cx: &WriteContext, out: &mut dyn io::Write)
//!     -> Result<Vec<Diagnostic>, Error>
//! ```
//!
//! where the crate's `Error` implements [`ToDiagnostic`]. A reader gives back a transcript
//! that satisfies the model's invariants and the warnings it raised, each at its position.
//! A writer may rely on the transcript being valid (the registry checks it once before any
//! writer runs), writes its bytes to `out` and returns its own warnings (what the format
//! could not express, characters no font has). The registry in the `verbatim` crate holds
//! one row per format pointing at these functions.

use crate::{Diagnostic, Transcript, UtcDateTime};

/// Limits on what a reader accepts, so that hostile or broken input is refused quickly
/// with a clear message instead of exhausting memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest input, in bytes. Default 256 MiB.
    pub max_input_bytes: u64,
    /// Longest line of a text input, in bytes. Default 16 MiB.
    pub max_line_bytes: usize,
    /// Most participants a transcript may declare. Default 1,000.
    pub max_participants: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 256 * 1024 * 1024,
            max_line_bytes: 16 * 1024 * 1024,
            max_participants: 1000,
        }
    }
}

/// What every reader gets besides the bytes.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ReadContext {
    /// Limits on the input.
    pub limits: Limits,
    /// The text encoding to read the input in (a WHATWG label such as `windows-1252`),
    /// instead of telling it from the bytes.
    pub encoding: Option<String>,
    /// What the user says about the speakers.
    pub speakers: Speakers,
}

/// What the user says about speakers that no reader can know: who `SPEAKER_00` is,
/// that `P1` is a label, which role someone has. Every importer takes these labels as
/// speakers, and the registry gives every transcript's matching participant the name,
/// role and aliases (`--speaker LABEL=NAME[:ROLE]`, `--speakers FILE`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Speakers {
    /// One entry per label, in the order given.
    pub entries: Vec<SpeakerEntry>,
}

/// One speaker the user describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeakerEntry {
    /// The label, id or name as the source writes it.
    pub label: String,
    /// The name to show.
    pub name: Option<String>,
    /// The role.
    pub role: Option<crate::Role>,
    /// Further labels that name the same person.
    pub aliases: Vec<String>,
}

impl Speakers {
    /// The entry for a label (its label or one of its aliases, any case).
    pub fn find(&self, label: &str) -> Option<&SpeakerEntry> {
        let same = |a: &str| a.trim().eq_ignore_ascii_case(label.trim());
        self.entries
            .iter()
            .find(|e| same(&e.label) || e.aliases.iter().any(|a| same(a)))
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Gives the transcript's participants what the entries say: an entry matches a
    /// participant whose id, name or alias is the entry's label or alias. Returns the
    /// entries that matched nobody.
    pub fn apply(&self, t: &mut Transcript) -> Vec<&SpeakerEntry> {
        let mut unmatched = Vec::new();
        for e in &self.entries {
            let labels: Vec<&str> = std::iter::once(e.label.as_str())
                .chain(e.aliases.iter().map(String::as_str))
                .collect();
            let found = t.participants.iter_mut().find(|p| {
                labels.iter().any(|l| {
                    p.id.eq_ignore_ascii_case(l)
                        || p.name.eq_ignore_ascii_case(l)
                        || p.aliases.iter().any(|a| a.eq_ignore_ascii_case(l))
                })
            });
            let Some(p) = found else {
                unmatched.push(e);
                continue;
            };
            if let Some(name) = &e.name
                && *name != p.name
            {
                let old = std::mem::replace(&mut p.name, name.clone());
                if old != p.id && !p.aliases.contains(&old) {
                    p.aliases.push(old);
                }
            }
            if let Some(role) = e.role {
                p.role = role;
            }
            for l in labels {
                if l != p.id && l != p.name && !p.aliases.iter().any(|a| a == l) {
                    p.aliases.push(l.to_string());
                }
            }
        }
        unmatched
    }
}

/// The one date policy of every writer.
///
/// - The interview's date is the transcript's `metadata.date`, shown as such.
/// - The date a file was made is [`DatePolicy::source_date_epoch`] when set
///   ([`DatePolicy::made`]); formats that may leave it out (TEI's publication date and
///   revision) do so without it.
/// - Where a format needs the date its file was made or modified (EPUB's
///   `dcterms:modified`, a PDF's CreationDate and ModDate), it is that date, else the
///   [`DatePolicy::fallback`] the caller gives (the command line gives the input file's
///   modification time), else the start of the interview's date
///   ([`DatePolicy::modified`]); without any the format writes its documented fallback.
/// - The clock is never read here.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DatePolicy {
    /// Unix time from `SOURCE_DATE_EPOCH`.
    pub source_date_epoch: Option<i64>,
    /// Unix time to use when `SOURCE_DATE_EPOCH` is not set, such as the input file's
    /// modification time.
    pub fallback: Option<i64>,
}

/// Why a [`DatePolicy`] cannot give a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("SOURCE_DATE_EPOCH {0} is outside the years 1 to 9999")]
pub struct EpochOutOfRange(pub i64);

impl DatePolicy {
    /// A policy taking `SOURCE_DATE_EPOCH` as given.
    pub fn new(source_date_epoch: Option<i64>) -> DatePolicy {
        DatePolicy {
            source_date_epoch,
            fallback: None,
        }
    }

    /// The same policy with `fallback` for when `SOURCE_DATE_EPOCH` is not set.
    pub fn with_fallback(self, fallback: Option<i64>) -> DatePolicy {
        DatePolicy { fallback, ..self }
    }

    /// When the output was made, if known: `SOURCE_DATE_EPOCH`. For formats that may
    /// leave the date of the file out (TEI).
    pub fn made(&self) -> Result<Option<UtcDateTime>, EpochOutOfRange> {
        match self.source_date_epoch {
            Some(secs) => UtcDateTime::from_unix(secs)
                .map(Some)
                .ok_or(EpochOutOfRange(secs)),
            None => Ok(None),
        }
    }

    /// When the output was made or last modified, for formats that need a date
    /// (EPUB, PDF): [`DatePolicy::made`], else the fallback, else the start of the
    /// interview's date, else `None`.
    pub fn modified(&self, t: &Transcript) -> Result<Option<UtcDateTime>, EpochOutOfRange> {
        if let Some(made) = self.made()? {
            return Ok(Some(made));
        }
        // A fallback out of range (a file dated in the year 20000) is passed over.
        Ok(self
            .fallback
            .and_then(UtcDateTime::from_unix)
            .or_else(|| t.metadata.date.map(|d| d.start())))
    }

    /// Checks `SOURCE_DATE_EPOCH` before anything is written, so that a bad value fails
    /// every format alike.
    pub fn check(&self) -> Result<(), EpochOutOfRange> {
        match self.source_date_epoch {
            Some(secs) if UtcDateTime::from_unix(secs).is_none() => Err(EpochOutOfRange(secs)),
            _ => Ok(()),
        }
    }
}

/// What every writer gets besides the transcript and its own options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WriteContext {
    /// Name and version of the producing program, such as `verbatim 0.1.0`; `None` leaves
    /// it out (the golden tests do, so that a release does not rewrite them).
    pub generator: Option<String>,
    /// Where dates come from.
    pub dates: DatePolicy,
}

impl WriteContext {
    /// A context with a generator and a date policy.
    pub fn new(generator: Option<String>, dates: DatePolicy) -> WriteContext {
        WriteContext { generator, dates }
    }
}

/// An error that can be shown as a [`Diagnostic`], as every format crate's error can.
pub trait ToDiagnostic {
    /// The error as a diagnostic with its code and, when it has one, its position.
    fn to_diagnostic(&self) -> Diagnostic;
}

impl<K> ToDiagnostic for crate::Located<K>
where
    K: std::fmt::Display + std::fmt::Debug + crate::HasCode,
{
    fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::error(
            self.kind.code(),
            Some(crate::Position {
                line: self.line,
                column: self.column,
            }),
            self.kind.to_string(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Metadata;

    #[test]
    fn modified_is_the_epoch_then_the_fallback_then_the_interview_date() {
        let t = Transcript {
            metadata: Metadata {
                date: "2019-06-11".parse().ok(),
                ..Metadata::default()
            },
            participants: Vec::new(),
            body: Vec::new(),
        };
        let day = |p: DatePolicy| p.modified(&t).unwrap().map(UtcDateTime::w3c);
        assert_eq!(
            day(DatePolicy::new(Some(1_700_000_000)).with_fallback(Some(0))).as_deref(),
            Some("2023-11-14T22:13:20Z")
        );
        assert_eq!(
            day(DatePolicy::new(None).with_fallback(Some(1_000_000_000))).as_deref(),
            Some("2001-09-09T01:46:40Z")
        );
        assert_eq!(
            day(DatePolicy::new(None)).as_deref(),
            Some("2019-06-11T00:00:00Z")
        );
        // A fallback no date can hold is passed over.
        assert_eq!(
            day(DatePolicy::new(None).with_fallback(Some(i64::MAX))).as_deref(),
            Some("2019-06-11T00:00:00Z")
        );
    }
}
