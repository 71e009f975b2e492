//! PDF writer for Verbatim transcripts: an archival PDF/A-2u file set like a book.
//!
//! ```
//! use verbatim_model::{Block, Inline, Metadata, Participant, Role, Transcript, Turn};
//! use verbatim_pdf::{PdfOptions, describe, write};
//!
//! let t = Transcript::new(
//!     Metadata { title: Some("An interview".into()), date: Some("2020-01-28".into()), ..Metadata::default() },
//!     vec![Participant::new("Q", "Questioner", Role::Interviewer)],
//!     vec![Block::Turn(Turn::new("Q", vec![vec![Inline::text("Why?")]]))],
//! )
//! .unwrap();
//! let pdf = write(&t, &PdfOptions::default()).unwrap();
//! assert!(pdf.starts_with(b"%PDF-1.7"));
//! assert!(describe(&pdf).unwrap().contains("Questioner: Why?"));
//! ```
//!
//! # Design
//!
//! - **Back end: krilla.** The project first chose printpdf 0.12. Its 0.12.8
//!   source rules it out: the trailer `/ID` and the XMP instance id come from
//!   `random_character_string_32()`, a process-wide `AtomicUsize` counter
//!   (`utils.rs`, `serialize.rs`), so the bytes depend on how many documents the
//!   process made before and, across threads, on scheduling. Its XMP template
//!   has no `pdfaid` entries at all (only PDF/X `GTS_PDFXVersion`), and its
//!   OutputIntent is a CMYK FOGRA39 profile tagged `GTS_PDFX`, not the sRGB
//!   `GTS_PDFA1` intent PDF/A needs. krilla writes PDF/A-2u and checks it on
//!   export (fonts embedded and subset with ToUnicode, sRGB OutputIntent, XMP
//!   `pdfaid`, file ID, no `.notdef`), tags the structure (PDF/UA-1 as well
//!   when the language is known), and derives its ids from content hashes.
//!   The layout is our own: krilla draws glyphs, it does not set text.
//! - **Fonts**: Noto Serif (regular, bold, italic) for Latin, Greek and
//!   Cyrillic, Noto Serif Hebrew, and DejaVu Sans as fallback for Arabic and
//!   symbols, all compiled in (`fonts/`, with their licences). Characters no
//!   face has are drawn as U+FFFD but keep their Unicode mapping; see
//!   [`uncovered_chars`].
//! - **Typesetting**: rustybuzz shapes with the font's own advances and
//!   kerning. Lines break at UAX #14 opportunities between words (after
//!   spaces, or beside ideographs): never after a hyphen, dash or slash, and
//!   no hyphenation, so text extraction gives every word back whole; a word
//!   is split only when it cannot fit a line on its own. Breaks are chosen for
//!   the whole paragraph at once (total fit), and paragraphs are justified.
//!   Right-to-left runs are reordered by UAX #9. Widows, orphans and headings
//!   are kept with their neighbours.
//! - **Tagging**: headings, paragraphs, turns (`Div`), sections and
//!   editorial notes (`Note`) are tagged in reading order; running heads,
//!   page numbers and rules are artifacts.
//! - **Dates**: the creation date is the transcript's `metadata.date`, else
//!   [`PdfOptions::source_date_epoch`], else 1970-01-01 (PDF/A requires one).
//!   The clock is never read, so the same input always gives the same bytes.

mod describe;
mod fonts;
mod layout;
mod render;
mod text;

use krilla::metadata::DateTime;
use verbatim_model::Transcript;

pub use describe::describe;

/// Paper size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

/// Options for [`write()`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PdfOptions {
    /// Paper size. Default A4.
    pub paper: Paper,
    /// Creation date as Unix seconds, used when the transcript has no date
    /// (the CLI fills it from `SOURCE_DATE_EPOCH`). Default None.
    pub source_date_epoch: Option<i64>,
    /// The producing tool, written as the creator tool (`"verbatim 0.1.0"`).
    /// Default None: no version is written.
    pub generator: Option<String>,
    /// Justify paragraphs; otherwise ragged right. Default true.
    pub justify: bool,
    /// Print turn start times in the margin. Default true.
    pub timestamps: bool,
}

impl Default for PdfOptions {
    fn default() -> Self {
        PdfOptions {
            paper: Paper::A4,
            source_date_epoch: None,
            generator: None,
            justify: true,
            timestamps: true,
        }
    }
}

/// Why a PDF could not be written or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// The compiled-in fonts could not be parsed (a build problem).
    #[error("the embedded fonts could not be loaded")]
    Fonts,
    /// The PDF library refused the document (for example a PDF/A violation).
    #[error("PDF export failed: {0}")]
    Export(String),
    /// [`describe`] was given bytes it cannot parse as PDF.
    #[error("not a readable PDF: {0}")]
    Parse(String),
    /// The transcript nests deeper than the model allows (see
    /// [`verbatim_model::MAX_NESTING`]); only a model built without
    /// validation can.
    #[error("content nested deeper than {} levels", verbatim_model::MAX_NESTING)]
    TooDeep,
}

/// Writes a transcript as a PDF/A-2u document.
pub fn write(t: &Transcript, opts: &PdfOptions) -> Result<Vec<u8>, PdfError> {
    // Layout recurses over sections and inline content.
    if verbatim_model::nesting_depth(&t.body) > verbatim_model::MAX_NESTING {
        return Err(PdfError::TooDeep);
    }
    let faces = fonts::faces().ok_or(PdfError::Fonts)?;
    let book = layout::compose(t, opts, faces);
    let m = &t.metadata;
    let title = match &m.subtitle {
        Some(s) => format!("{}: {s}", t.display_title()),
        None => t.display_title().to_string(),
    };
    let meta = render::Meta {
        title,
        authors: t.participants.iter().map(|p| p.name.clone()).collect(),
        description: m.description.clone(),
        keywords: m.keywords.clone(),
        language: m.language.clone().filter(|l| !l.trim().is_empty()),
        creator: opts.generator.clone(),
        date: creation_date(m.date.as_deref(), opts.source_date_epoch),
        document_id: m.identifier.clone(),
    };
    render::render(&book, &meta, faces)
}

/// Characters in the transcript that no embedded font can draw; they come out
/// as U+FFFD boxes (with correct extracted text). Callers may warn about them.
pub fn uncovered_chars(t: &Transcript) -> Vec<char> {
    let mut all = String::new();
    t.walk_inlines(&mut |i| match i {
        verbatim_model::Inline::Text { text } => all.push_str(text),
        verbatim_model::Inline::Marker { desc, .. } => all.push_str(desc),
        verbatim_model::Inline::Link { target, .. } => all.push_str(target),
        _ => {}
    });
    let m = &t.metadata;
    for s in [
        &m.title,
        &m.subtitle,
        &m.publisher,
        &m.source_url,
        &m.rights,
        &m.identifier,
        &m.place,
    ]
    .into_iter()
    .flatten()
    {
        all.push_str(s);
    }
    for p in &t.participants {
        all.push_str(&p.name);
    }
    fonts::uncovered_chars(&all)
}

/// The PDF date: the interview date, else the epoch option, else 1970-01-01.
fn creation_date(date: Option<&str>, epoch: Option<i64>) -> DateTime {
    if let Some(d) = date.and_then(parse_iso_date) {
        return d;
    }
    let secs = epoch.unwrap_or(0);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    DateTime::new(y.clamp(0, 9999) as u16)
        .month(m)
        .day(d)
        .hour((rem / 3600) as u8)
        .minute((rem / 60 % 60) as u8)
        .second((rem % 60) as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (anything after the day is ignored).
fn parse_iso_date(s: &str) -> Option<DateTime> {
    let s = s.trim();
    let num = |r: std::ops::Range<usize>| -> Option<u16> {
        let part = s.get(r)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let year = num(0..4)?;
    if s.len() == 4 {
        return Some(DateTime::new(year));
    }
    if s.as_bytes().get(4) != Some(&b'-') {
        return None;
    }
    let month = num(5..7).filter(|m| (1..=12).contains(m))? as u8;
    if s.len() == 7 {
        return Some(DateTime::new(year).month(month));
    }
    if s.as_bytes().get(7) != Some(&b'-') {
        return None;
    }
    let day = num(8..10).filter(|d| (1..=31).contains(d))? as u8;
    Some(DateTime::new(year).month(month).day(day))
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(18_289), (2020, 1, 28));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn iso_dates() {
        assert_eq!(
            parse_iso_date("2020-01-28"),
            Some(DateTime::new(2020).month(1).day(28))
        );
        assert_eq!(
            parse_iso_date("2020-01"),
            Some(DateTime::new(2020).month(1))
        );
        assert_eq!(parse_iso_date("2020"), Some(DateTime::new(2020)));
        assert_eq!(parse_iso_date("2020-13-01"), None);
        assert_eq!(parse_iso_date("20x0"), None);
        assert_eq!(parse_iso_date("1ä"), None);
    }

    #[test]
    fn transcript_date_wins_over_epoch() {
        let d = creation_date(Some("2020-01-28"), Some(0));
        assert_eq!(d, DateTime::new(2020).month(1).day(28));
        let e = creation_date(None, Some(1_580_169_600 + 3661));
        assert_eq!(
            e,
            DateTime::new(2020)
                .month(1)
                .day(28)
                .hour(1)
                .minute(1)
                .second(1)
                .utc_offset_hour(0)
                .utc_offset_minute(0)
        );
    }
}
