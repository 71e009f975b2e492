//! EPUB 3 writer for Verbatim transcripts.
//!
//! [`write()`] turns a [`Transcript`] into an EPUB 3.3 publication:
//!
//! - `title-page.xhtml`: title, subtitle, participants by role, date, place, publisher, source
//!   and rights;
//! - `contents.xhtml`: a contents page in the reading order;
//! - `introduction.xhtml`: the narrative before the interview ([`Transcript::parts`]`.front`);
//! - `section-01.xhtml`, `section-02.xhtml`, …: one document per top-level section of the
//!   interview, nested sections as `h3`…`h6` inside; turns before the first section, or
//!   outside any section, form a document of their own titled "Interview";
//! - `back-matter.xhtml`: the narrative after the interview;
//! - `nav.xhtml` (table of contents and landmarks), `toc.ncx` and a `<guide>` for EPUB 2
//!   reading systems, `stylesheet.css` and `content.opf`.
//!
//! Turns are `<p class="turn" id="uN"><b class="speaker">Name:</b> …</p>`, with further
//! paragraphs of the same turn as `<p class="turn cont">` and the start time, if any, as
//! `<time datetime="PT…">hh:mm:ss</time>` before the name. A turn carried on across a section
//! heading starts a new document, so it repeats the name as "Name (continued):"; a speaker
//! guessed by an importer reads "Name [?]:". Editorial notes (`<span class="ed-note">[… —IT]`)
//! and transcriber markers (`<span class="marker">[laughs]`) stay visible in brackets.
//!
//! The package carries Dublin Core metadata (interviewees as `dc:creator`, everyone else as
//! `dc:contributor`, with MARC relator roles `ive`/`ivr`) and EPUB Accessibility 1.1
//! discovery metadata. A missing or malformed language becomes `und`; right-to-left
//! languages get `dir="rtl"` and a right-to-left page progression. Only absolute http(s),
//! ftp and mailto URLs become links.
//!
//! # Reproducibility
//!
//! The same transcript and options give the same bytes:
//!
//! - `dc:identifier` is the transcript's `identifier`; without one it is a UUID v5 computed
//!   from the transcript's content (never a random UUID);
//! - `dcterms:modified` is [`EpubOptions::source_date_epoch`] if set, else the transcript's
//!   date at midnight UTC, else the fixed [`FALLBACK_MODIFIED`] (1980-01-01T00:00:00Z, the
//!   earliest time a zip entry can carry);
//! - the zip archive has `mimetype` first and stored, then `container.xml`, the package,
//!   navigation, stylesheet and the content documents in reading order, each deflated, dated
//!   1980-01-01 00:00:00 and with mode 0644.
//!
//! The package document, navigation and archive are written here, with the zip crate, so that
//! each entry is compressed once with fixed settings and the package says everything above
//! without a second pass over the archive.
//!
//! [`describe`] gives a text projection of an EPUB for golden files.
//!
//! ```
//! use verbatim_model::{Block, Inline, Metadata, Participant, Role, Transcript, Turn};
//!
//! let t = Transcript::new(
//!     Metadata { title: Some("An interview".into()), language: Some("en".into()), ..Metadata::default() },
//!     vec![Participant::new("Q", "Questioner", Role::Interviewer)],
//!     vec![Block::Turn(Turn::new("Q", vec![vec![Inline::text("Why?")]]))],
//! )
//! .unwrap();
//! let epub = verbatim_epub::write(&t, &verbatim_epub::EpubOptions::default()).unwrap();
//! assert!(verbatim_epub::describe(&epub).unwrap().contains("<b class=\"speaker\">Questioner:</b> Why?"));
//! ```

mod archive;
mod meta;
mod package;
mod xhtml;

use verbatim_model::Transcript;

pub use archive::describe;
pub use meta::FALLBACK_MODIFIED;

/// Options for [`write()`].
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EpubOptions {
    /// Seconds since the Unix epoch to record as `dcterms:modified`, the time the EPUB was last
    /// changed. The CLI fills it from `SOURCE_DATE_EPOCH`. When `None`, the transcript's date
    /// (midnight UTC) is used, else [`FALLBACK_MODIFIED`]. Must lie in the years 1 to 9999.
    pub source_date_epoch: Option<i64>,
    /// The generating program, such as `verbatim 0.1.0`, recorded in the navigation document.
    /// When `None`, `verbatim` is recorded, without a version.
    pub generator: Option<String>,
}

/// What can go wrong while writing or describing an EPUB.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum EpubError {
    /// [`EpubOptions::source_date_epoch`] is outside the years 1 to 9999.
    #[error("SOURCE_DATE_EPOCH {0} is outside the years 1 to 9999")]
    SourceDateEpoch(i64),
    /// The transcript could not be serialised to derive its identifier.
    #[error("could not derive the identifier: {0}")]
    Identifier(String),
    /// The zip archive could not be written or read.
    #[error("zip archive: {0}")]
    Zip(String),
}

/// Writes `t` as an EPUB 3 publication.
pub fn write(t: &Transcript, opts: &EpubOptions) -> Result<Vec<u8>, EpubError> {
    let modified = meta::w3c_datetime(meta::modified(t, opts.source_date_epoch)?);
    let identifier = match meta::nonempty(&t.metadata.identifier) {
        Some(id) => id,
        None => meta::content_uuid(t)?.urn().to_string(),
    };
    let lang = meta::language(t);
    let docs = xhtml::documents(t, &lang);
    let generator = meta::clean(opts.generator.as_deref().unwrap_or("verbatim"));

    let title = meta::title(t);
    let package = package::Package {
        lang: &lang,
        identifier: &identifier,
        modified: &modified,
        title: &title,
    };
    let toc: Vec<xhtml::TocEntry> = docs.iter().map(xhtml::Doc::toc_entry).collect();
    let opf = package::opf(t, &docs, &package);
    let nav = package::nav(&docs, &toc, &lang, &generator);
    let ncx = package::ncx(&toc, &package);
    let oebps = |file: &str| format!("OEBPS/{file}");
    let mut entries = vec![
        (
            "META-INF/container.xml".to_string(),
            package::CONTAINER.as_bytes(),
        ),
        (oebps("content.opf"), opf.as_bytes()),
        (oebps(package::NAV_FILE), nav.as_bytes()),
        (oebps(package::NCX_FILE), ncx.as_bytes()),
        (oebps(xhtml::STYLESHEET_FILE), xhtml::STYLESHEET.as_bytes()),
    ];
    entries.extend(docs.iter().map(|d| (oebps(&d.file), d.xhtml.as_bytes())));
    archive::zip(entries.iter().map(|(path, bytes)| (path.as_str(), *bytes)))
}
