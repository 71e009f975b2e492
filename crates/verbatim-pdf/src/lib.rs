//! PDF writer for Verbatim transcripts: an archival PDF/A-2u file set like a book.
//!
//! ```
//! use verbatim_model::{Block, Inline, Metadata, Participant, Role, Transcript, Turn, WriteContext};
//! use verbatim_pdf::{PdfOptions, write};
//!
//! let t = Transcript::new(
//!     Metadata { title: Some("An interview".into()), date: "2020-01-28".parse().ok(), ..Metadata::default() },
//!     vec![Participant::new("Q", "Questioner", Role::Interviewer)],
//!     vec![Block::Turn(Turn::new("Q", vec![vec![Inline::text("Why 中?")]]))],
//! )
//! .unwrap();
//! let mut pdf = Vec::new();
//! let warnings = write(&t, &PdfOptions::default(), &WriteContext::default(), &mut pdf).unwrap();
//! assert!(pdf.starts_with(b"%PDF-1.7"));
//! assert!(warnings[0].message.contains("中"));
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
//! - **XMP, amended**: krilla 0.8 joins all authors into one `dc:creator`
//!   item below PDF 2.0 and has no rights, identifier, publisher or source
//!   fields, so the finished file's metadata stream is rewritten (`xmp.rs`):
//!   one `dc:creator` item per person, `dc:rights`, `xmpRights:WebStatement`
//!   (a URL, or a known Creative Commons name's deed), `dc:identifier`,
//!   `dc:publisher`, `dc:source`, with the cross-reference offsets moved to
//!   match. The Info `Author` stays krilla's comma-joined list: PDF/A-2 does
//!   not require Info and XMP to be equivalent (PDF/A-1 did).
//! - **Fonts**: Noto Serif (regular, bold, italic) for Latin, Greek and
//!   Cyrillic, Noto Serif Hebrew, and DejaVu Sans as fallback for Arabic and
//!   symbols, all compiled in (`fonts/`, with their licences). Characters no
//!   face has are drawn as U+FFFD but keep their Unicode mapping; [`write()`]
//!   warns about them (`glyph-missing`).
//! - **Typesetting**: rustybuzz shapes with the font's own advances and
//!   kerning. Lines break at UAX #14 opportunities between words (after
//!   spaces, or beside ideographs), never after a hyphen, dash or slash, and
//!   inside words by the transcript language's Knuth–Liang patterns (`hypher`);
//!   an added hyphen is an artifact, so text extraction gives every word back
//!   whole. A word is split otherwise only when it cannot fit a line on its
//!   own. Breaks are chosen for the whole paragraph at once (total fit), and
//!   paragraphs are justified, or set ragged right when they cannot be set
//!   without loose lines.
//!   Right-to-left runs are reordered by UAX #9. Widows, orphans and headings
//!   are kept with their neighbours.
//! - **Tagging**: headings, paragraphs, turns (`Div`), sections and
//!   editorial notes (`Note`) are tagged in reading order; running heads,
//!   page numbers and rules are artifacts.
//! - **Dates**: the creation and modification date follow the one date policy
//!   ([`verbatim_model::DatePolicy::modified`]: `SOURCE_DATE_EPOCH`, else the
//!   interview's date), else 1970-01-01 (PDF/A requires one). The clock is
//!   never read, so the same input always gives the same bytes.

mod fonts;

pub use fonts::Typeface;
mod layout;
mod render;
mod text;
mod xmp;

use std::io;

use krilla::metadata::DateTime;
use verbatim_model::{Code, Diagnostic, ToDiagnostic, Transcript, UtcDateTime, WriteContext};

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
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PdfOptions {
    /// Paper size. Default A4.
    pub paper: Paper,
    /// Justify paragraphs; otherwise ragged right. Default true.
    pub justify: bool,
    /// Print turn start times in the margin. Default true.
    pub timestamps: bool,
    /// Body text size in points (headings and the measure follow). Default 11.
    pub font_size: f32,
    /// Left and right margins in points; by default the measure is about 66 characters.
    pub margins: Option<f32>,
    /// The bundled family the text is set in. Default serif.
    pub typeface: Typeface,
    /// A printed contents page after the title page, with page numbers. Default false;
    /// the bookmarks (outline) are there either way.
    pub toc: bool,
    /// A cover image, drawn alone on a first page of its own, scaled to fit.
    pub cover: Option<Cover>,
    /// Top-level sections are the parts of a book: each starts a new page, with a title
    /// page of its own (its heading and the paragraphs before its first turn or
    /// subsection). Default false.
    pub parts: bool,
    /// Files to attach (the transcript in other formats). With any, the PDF is PDF/A-3u
    /// (which allows associated files) instead of PDF/A-2u.
    pub attachments: Vec<Attachment>,
}

/// A file carried inside the PDF, associated with the document (`/AF`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The file name shown in a reader's attachments panel.
    pub name: String,
    /// Its MIME type, such as `application/tei+xml`.
    pub mime_type: String,
    /// What it is, in words.
    pub description: String,
    /// How it relates to the PDF.
    pub relationship: Relationship,
    /// Its bytes.
    pub data: Vec<u8>,
}

/// A cover image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cover {
    /// The image's bytes.
    pub data: Vec<u8>,
    /// Whether they are a PNG or a JPEG.
    pub kind: ImageKind,
    /// The alternative text of the cover page's figure.
    pub alt: Option<String>,
}

/// The image formats a cover can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
}

/// How an attachment relates to the PDF (`AFRelationship`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relationship {
    /// The PDF was made from it (`Source`).
    Source,
    /// Data the PDF presents (`Data`).
    Data,
}

impl Default for PdfOptions {
    fn default() -> Self {
        PdfOptions {
            paper: Paper::A4,
            justify: true,
            timestamps: true,
            font_size: 11.0,
            margins: None,
            typeface: Typeface::Serif,
            toc: false,
            cover: None,
            parts: false,
            attachments: Vec::new(),
        }
    }
}

/// Why a PDF could not be written or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// The compiled-in fonts could not be parsed (a build problem).
    #[error("the embedded fonts could not be loaded")]
    Fonts,
    /// The PDF library refused the document (for example a PDF/A violation).
    #[error("PDF export failed: {0}")]
    Export(String),
    /// The cover image could not be read.
    #[error("the cover image cannot be used: {0}")]
    Cover(String),
    /// `SOURCE_DATE_EPOCH` cannot be a PDF date.
    #[error(transparent)]
    Epoch(#[from] verbatim_model::format::EpochOutOfRange),
    /// The transcript nests deeper than the model allows (see
    /// [`verbatim_model::MAX_NESTING`]); only a model built without
    /// validation can.
    #[error("content nested deeper than {} levels", verbatim_model::MAX_NESTING)]
    TooDeep,
    /// The output could not be written.
    #[error("cannot write: {0}")]
    Io(#[from] io::Error),
}

impl ToDiagnostic for PdfError {
    fn to_diagnostic(&self) -> Diagnostic {
        let code = match self {
            PdfError::Fonts | PdfError::Export(_) => Code::WriteFailed,
            PdfError::Cover(_) => Code::Option,
            PdfError::Epoch(_) => Code::Option,
            PdfError::TooDeep => Code::TooDeep,
            PdfError::Io(_) => Code::Io,
        };
        Diagnostic::error(code, None, self.to_string())
    }
}

/// Writes a transcript as a PDF/A-2u document (the format contract's writer). Warns
/// about characters no embedded font can draw.
pub fn write(
    t: &Transcript,
    opts: &PdfOptions,
    cx: &WriteContext,
    out: &mut dyn io::Write,
) -> Result<Vec<Diagnostic>, PdfError> {
    let (bytes, extra, cut) = to_vec(t, opts, cx)?;
    // The XMP packet is completed as the file is written.
    xmp::amend_into(&bytes, &extra, out)?;
    drop(bytes);
    let missing = uncovered_chars(t, opts.typeface);
    let mut warnings: Vec<Diagnostic> =
        verbatim_model::Labels::english_warning(t.metadata.language.as_ref())
            .into_iter()
            .collect();
    if cut > 0 {
        warnings.push(Diagnostic::note(
            Code::OutputLossy,
            format!(
                "{cut} title, name, description or outline entry longer than a PDF string may be (32,767 bytes) shortened with \"…\""
            ),
        ));
    }
    if !missing.is_empty() {
        let shown: String = missing
            .iter()
            .take(20)
            .map(|c| format!("{c} (U+{:04X})", u32::from(*c)))
            .collect::<Vec<_>>()
            .join(", ");
        let more = missing.len().saturating_sub(20);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        warnings.push(Diagnostic::note(
            Code::GlyphMissing,
            format!(
                "no embedded font has {shown}{more}: printed as boxes (the text still extracts)"
            ),
        ));
    }
    Ok(warnings)
}

/// A PDF text string holds at most 32,767 bytes, UTF-16 with its byte order mark: the
/// string shortened (with `…`) to fit, and whether it had to be.
fn pdf_string(s: &str) -> (String, bool) {
    const MAX_UNITS: usize = (32_767 - 2) / 2;
    if s.encode_utf16().count() <= MAX_UNITS {
        return (s.to_string(), false);
    }
    let mut out = String::new();
    let mut units = 0;
    for c in s.chars() {
        units += c.len_utf16();
        if units > MAX_UNITS - 1 {
            break;
        }
        out.push(c);
    }
    out.push('…');
    (out, true)
}

/// The PDF's bytes, and how many strings had to be shortened.
fn to_vec(
    t: &Transcript,
    opts: &PdfOptions,
    cx: &WriteContext,
) -> Result<(Vec<u8>, xmp::Extra, usize), PdfError> {
    // Layout recurses over sections and inline content.
    if verbatim_model::nesting_depth(&t.body) > verbatim_model::MAX_NESTING {
        return Err(PdfError::TooDeep);
    }
    let faces = fonts::faces_of(opts.typeface).ok_or(PdfError::Fonts)?;
    let mut book = layout::compose(t, opts, faces);
    let m = &t.metadata;
    let title = match &m.subtitle {
        Some(s) => format!("{}: {s}", t.display_title()),
        None => t.display_title().to_string(),
    };
    let mut cut = 0;
    let mut fit = |s: &str| {
        let (s, shortened) = pdf_string(s);
        cut += usize::from(shortened);
        s
    };
    for h in &mut book.headings {
        h.title = fit(&h.title);
    }
    // A heading's tag carries its text as a string too (the title page's title).
    for b in &mut book.blocks {
        if matches!(b.kind, layout::Kind::Heading(_)) {
            let text = b.outline.take().unwrap_or_else(|| render::line_texts(b));
            b.outline = Some(fit(&text));
        }
    }
    let authors: Vec<String> = t.participants.iter().map(|p| fit(&p.name)).collect();
    let extra = xmp::Extra {
        creators: authors.clone(),
        rights: m.rights.clone(),
        web_statement: m.rights.as_deref().and_then(verbatim_model::licence_url),
        identifier: m.identifier.clone(),
        publisher: m.publisher.clone(),
        source: m.source_url.clone(),
    };
    let meta = render::Meta {
        title: fit(&title),
        authors,
        description: m.description.as_deref().map(&mut fit),
        keywords: m.keywords.iter().map(|k| fit(k)).collect(),
        language: m.language.as_ref().map(ToString::to_string),
        creator: cx.generator.as_deref().map(&mut fit),
        date: pdf_date(cx.dates.modified(t)?),
        document_id: m.identifier.as_deref().map(&mut fit),
        extra,
    };
    let cover = opts
        .cover
        .as_ref()
        .map(|c| {
            let labels = verbatim_model::Labels::for_transcript(m.language.as_ref());
            render::cover(c, &labels.cover_of.replace("{t}", &title))
        })
        .transpose()?;
    let pdf = render::render(book, &meta, faces, &opts.attachments, cover)?;
    Ok((pdf, meta.extra, cut))
}

/// Characters in the transcript that no embedded font can draw; they come out
/// as U+FFFD boxes (with correct extracted text).
pub fn uncovered_chars(t: &Transcript, typeface: Typeface) -> Vec<char> {
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
    fonts::uncovered_chars(&all, typeface)
}

/// A date of the one date policy as a PDF date, else 1970-01-01 (PDF/A requires one).
fn pdf_date(d: Option<UtcDateTime>) -> DateTime {
    let d = d.unwrap_or(UtcDateTime {
        year: 1970,
        month: 1,
        day: 1,
        hour: 0,
        minute: 0,
        second: 0,
    });
    DateTime::new(d.year)
        .month(d.month)
        .day(d.day)
        .hour(d.hour)
        .minute(d.minute)
        .second(d.second)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}
