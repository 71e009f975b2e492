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
//! - `nav.xhtml` (table of contents and landmarks), `toc.ncx` for EPUB 2 reading systems,
//!   `stylesheet.css` and `content.opf`.
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
//! - the builder's archive is re-zipped: `mimetype` first and stored, the other entries in a
//!   fixed order, each dated 1980-01-01 00:00:00 with mode 0644.
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
mod xhtml;

use epub_builder::{EpubBuilder, EpubContent, EpubVersion, MetadataOpfV3, TocElement, ZipLibrary};
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
    /// The EPUB builder failed.
    #[error("could not build the EPUB: {0}")]
    Build(String),
    /// The builder's output did not have the expected shape (an epub-builder change).
    #[error("unexpected output from the EPUB builder: {0}")]
    Unexpected(String),
    /// The zip archive could not be written or read.
    #[error("zip archive: {0}")]
    Zip(String),
}

impl From<epub_builder::Error> for EpubError {
    fn from(e: epub_builder::Error) -> Self {
        EpubError::Build(e.to_string())
    }
}

/// The text of the accessibility summary in the package metadata.
const ACCESSIBILITY_SUMMARY: &str = "A transcript of a spoken interview, in text only. \
Every turn starts with the speaker's name as text, timestamps are marked up as times, \
editorial notes and transcriber markers stay visible in brackets, sections have headings \
and a table of contents, and the styling sets no fixed fonts, sizes or colours.";

/// Writes `t` as an EPUB 3 publication.
pub fn write(t: &Transcript, opts: &EpubOptions) -> Result<Vec<u8>, EpubError> {
    let modified = meta::modified(t, opts.source_date_epoch)?;
    let uuid = meta::content_uuid(t)?;
    let lang = meta::language(t);
    let docs = xhtml::documents(t, &lang);

    let mut b = EpubBuilder::new(ZipLibrary::new()?)?;
    b.epub_version(EpubVersion::V33);
    b.set_uuid(uuid);
    b.set_modified_date(modified);
    b.set_title(meta::title(t));
    b.add_language(lang.tag.as_str());
    if lang.rtl {
        b.metadata("direction", "rtl")?;
    }
    b.set_generator(meta::clean(opts.generator.as_deref().unwrap_or("verbatim")));
    b.set_toc_name(xhtml::CONTENTS_TITLE);
    if let Some(d) = meta::nonempty(&t.metadata.description) {
        b.add_description(d);
    }
    for k in t.metadata.keywords.iter().map(|k| meta::clean(k)) {
        if !k.trim().is_empty() {
            b.add_subject(k);
        }
    }
    if let Some(r) = meta::nonempty(&t.metadata.rights) {
        b.set_license(r);
    }
    for (property, value) in [
        ("schema:accessMode", "textual"),
        ("schema:accessModeSufficient", "textual"),
        ("schema:accessibilityFeature", "structuralNavigation"),
        ("schema:accessibilityFeature", "tableOfContents"),
        ("schema:accessibilityFeature", "readingOrder"),
        ("schema:accessibilityFeature", "displayTransformability"),
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", ACCESSIBILITY_SUMMARY),
    ] {
        // The builder does not escape a meta's content; these values need no escaping.
        b.add_metadata_opf(Box::new(MetadataOpfV3::new(
            property.to_string(),
            value.to_string(),
        )));
    }

    b.stylesheet(xhtml::STYLESHEET.as_bytes())?;
    for doc in &docs {
        let mut content =
            EpubContent::new(doc.file.as_str(), doc.xhtml.as_bytes()).title(&doc.title);
        for child in &doc.toc_children {
            content = content.child(toc_element(child));
        }
        if let Some(r) = doc.landmark {
            content = content.reftype(r);
        }
        b.add_content(content)?;
    }
    let mut raw = Vec::new();
    b.generate(&mut raw)?;

    let fixes = archive::Fixes {
        lang: &lang,
        uuid,
        identifier: meta::nonempty(&t.metadata.identifier),
        metadata: meta::package_metadata(t),
    };
    archive::rebuild(&raw, &fixes)
}

fn toc_element(entry: &xhtml::TocEntry) -> TocElement {
    entry.children.iter().fold(
        TocElement::new(entry.href.as_str(), entry.title.as_str()),
        |e, c| e.child(toc_element(c)),
    )
}
