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
//! heading starts a new document, so it repeats the name as "Name *(continued)*:"; a speaker
//! guessed by an importer reads "`[Name]:`", as in the PDF. Editorial notes (`<span class="ed-note">[… —IT]`)
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
//! - `dcterms:modified` follows the one date policy
//!   ([`verbatim_model::DatePolicy::modified`]: `SOURCE_DATE_EPOCH`, else the caller's
//!   fallback, such as the input file's modification time, else the transcript's date at
//!   midnight UTC), else the fixed [`FALLBACK_MODIFIED`] (1980-01-01T00:00:00Z, the
//!   earliest time a zip entry can carry);
//! - the zip archive has `mimetype` first and stored, then `container.xml`, the package,
//!   navigation, stylesheet and the content documents in reading order, each deflated, dated
//!   1980-01-01 00:00:00 and with mode 0644.
//!
//! The package document, navigation and archive are written here, with the zip crate, so that
//! each entry is compressed once with fixed settings and the package says everything above
//! without a second pass over the archive.
//!
//! ```
//! use verbatim_model::{Block, Inline, Metadata, Participant, Role, Transcript, Turn, WriteContext};
//!
//! let t = Transcript::new(
//!     Metadata { title: Some("An interview".into()), language: "en".parse().ok(), ..Metadata::default() },
//!     vec![Participant::new("Q", "Questioner", Role::Interviewer)],
//!     vec![Block::Turn(Turn::new("Q", vec![vec![Inline::text("Why?")]]))],
//! )
//! .unwrap();
//! let mut epub = Vec::new();
//! verbatim_epub::write(&t, &Default::default(), &WriteContext::default(), &mut epub).unwrap();
//! assert!(epub.starts_with(b"PK"));
//! ```

mod archive;
mod meta;
mod package;
mod xhtml;
mod xml;

use std::io;

use verbatim_model::format::EpochOutOfRange;
use verbatim_model::{Code, Diagnostic, ToDiagnostic, Transcript, WriteContext};

pub use meta::FALLBACK_MODIFIED;

/// Options for [`write()`]. The generator (recorded in the navigation document; `verbatim`
/// without a version when `None`) and the dates come from the [`WriteContext`].
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpubOptions {
    /// Print each turn's start time before the speaker's name. Default true.
    pub timestamps: bool,
    /// A stylesheet of the publisher's, linked after the built-in one in every document
    /// (so its rules win), as `user.css`.
    pub css: Option<String>,
    /// A printed contents page after the title page. Default true. The navigation
    /// document, which reading apps show as their menu, is there either way.
    pub toc: bool,
    /// A cover image: the publication's `cover-image`, shown on a cover page first in
    /// the reading order.
    pub cover: Option<Cover>,
}

/// A cover image, PNG or JPEG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cover {
    /// The image's bytes, unchanged.
    pub data: Vec<u8>,
    /// `image/png` or `image/jpeg`.
    pub media_type: &'static str,
}

impl Cover {
    /// The file name of the image in the package.
    pub fn file(&self) -> &'static str {
        if self.media_type == "image/png" {
            "cover.png"
        } else {
            "cover.jpg"
        }
    }
}

impl Default for EpubOptions {
    fn default() -> Self {
        EpubOptions {
            timestamps: true,
            css: None,
            toc: true,
            cover: None,
        }
    }
}

/// The file name of [`EpubOptions::css`] in the package.
pub const USER_STYLESHEET_FILE: &str = "user.css";

/// What can go wrong while writing an EPUB.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum EpubError {
    /// `SOURCE_DATE_EPOCH` is outside the years 1 to 9999.
    #[error(transparent)]
    SourceDateEpoch(#[from] EpochOutOfRange),
    /// The transcript could not be serialised to derive its identifier.
    #[error("could not derive the identifier: {0}")]
    Identifier(String),
    /// The zip archive could not be written.
    #[error("zip archive: {0}")]
    Zip(String),
    /// The output could not be written.
    #[error("cannot write: {0}")]
    Io(#[from] io::Error),
}

impl ToDiagnostic for EpubError {
    fn to_diagnostic(&self) -> Diagnostic {
        let code = match self {
            EpubError::SourceDateEpoch(_) => Code::Option,
            EpubError::Identifier(_) | EpubError::Zip(_) => Code::WriteFailed,
            EpubError::Io(_) => Code::Io,
        };
        Diagnostic::error(code, None, self.to_string())
    }
}

/// Writes `t` as an EPUB 3 publication (the format contract's writer). EPUB has no
/// warnings of its own.
pub fn write(
    t: &Transcript,
    opts: &EpubOptions,
    cx: &WriteContext,
    out: &mut dyn io::Write,
) -> Result<Vec<Diagnostic>, EpubError> {
    out.write_all(&to_vec(t, opts, cx)?)?;
    Ok(
        verbatim_model::Labels::english_warning(t.metadata.language.as_ref())
            .into_iter()
            .collect(),
    )
}

/// From how many bytes of part documents on the rest are compressed on a second thread.
const PIPELINE_FROM: usize = 1 << 20;

fn to_vec(t: &Transcript, opts: &EpubOptions, cx: &WriteContext) -> Result<Vec<u8>, EpubError> {
    to_vec_piped_from(t, opts, cx, PIPELINE_FROM)
}

fn to_vec_piped_from(
    t: &Transcript,
    opts: &EpubOptions,
    cx: &WriteContext,
    pipeline_from: usize,
) -> Result<Vec<u8>, EpubError> {
    let modified = meta::modified(t, &cx.dates)?;
    let identifier = match xml::nonempty(&t.metadata.identifier) {
        Some(id) => id,
        None => meta::content_uuid(t)?.urn().to_string(),
    };
    let lang = meta::language(t);
    let oebps = |file: &str| format!("OEBPS/{file}");
    // The publisher's stylesheet after the built-in one, wherever that is linked.
    let link = format!(
        "<link rel=\"stylesheet\" type=\"text/css\" href=\"{}\"/>",
        xhtml::STYLESHEET_FILE
    );
    let both = format!(
        "{link}\n<link rel=\"stylesheet\" type=\"text/css\" href=\"{USER_STYLESHEET_FILE}\"/>"
    );
    let restyle = |xhtml: &mut String| {
        if opts.css.is_some() {
            *xhtml = xhtml.replacen(&link, &both, 1);
        }
    };
    // The transcript's own documents are compressed as they are made (the pages before
    // them, cover, title and contents, need all of them first). Once a megabyte of them
    // has been made, the rest go to a thread of their own, in the order made, while the
    // next is made: the same bytes, a sixth faster for a long transcript on two cores.
    // A short one stays on its thread: in a batch every core is busy already. The
    // channel holds none, so at most two parts are in memory.
    #[allow(clippy::large_enum_variant, reason = "one for each EPUB, on the stack")]
    enum Sink<'s> {
        Here(archive::Parts),
        Piped(
            std::sync::mpsc::SyncSender<(String, String)>,
            std::thread::ScopedJoinHandle<'s, Result<archive::Parts, EpubError>>,
        ),
    }
    let stopped = || EpubError::Zip("the compressing thread stopped".into());
    let (parts, mut docs) = std::thread::scope(|scope| {
        let mut sink = Sink::Here(archive::Parts::new());
        let mut made = 0usize;
        let docs = xhtml::documents(t, &lang, opts, &mut |d| {
            restyle(&mut d.xhtml);
            let (name, xhtml) = (oebps(&d.file), std::mem::take(&mut d.xhtml));
            made += xhtml.len();
            if made > pipeline_from
                && let Sink::Here(here) = &mut sink
            {
                let mut parts = std::mem::take(here);
                let (send, receive) = std::sync::mpsc::sync_channel::<(String, String)>(0);
                let compressor = scope.spawn(move || {
                    for (name, xhtml) in receive {
                        parts.add(&name, xhtml.as_bytes())?;
                    }
                    Ok(parts)
                });
                sink = Sink::Piped(send, compressor);
            }
            match &mut sink {
                Sink::Here(parts) => parts.add(&name, xhtml.as_bytes()),
                // A closed channel means the compressor failed; its error is the one given.
                Sink::Piped(send, _) => send.send((name, xhtml)).map_err(|_| stopped()),
            }
        });
        let parts = match sink {
            Sink::Here(parts) => Ok(parts),
            Sink::Piped(send, compressor) => {
                drop(send);
                compressor.join().unwrap_or_else(|_| Err(stopped()))
            }
        };
        Ok::<_, EpubError>((parts?, docs?))
    })?;
    let generator = xml::clean(cx.generator.as_deref().unwrap_or("verbatim"));

    let title = meta::title(t);
    let package = package::Package {
        lang: &lang,
        identifier: &identifier,
        modified: &modified,
        title: &title,
    };
    let toc: Vec<xhtml::TocEntry> = docs
        .iter()
        .filter(|d| d.landmark != Some(xhtml::Landmark::Cover))
        .map(xhtml::Doc::toc_entry)
        .collect();
    let mut opf = package::opf(t, &docs, &package, opts.cover.as_ref());
    let mut nav = package::nav(&docs, &toc, &lang, &generator);
    docs.retain(|d| !parts.holds(&oebps(&d.file)));
    for d in &mut docs {
        restyle(&mut d.xhtml);
    }
    restyle(&mut nav);
    if opts.css.is_some() {
        let item = format!(
            "<item id=\"stylesheet\" href=\"{}\" media-type=\"text/css\"/>",
            xhtml::STYLESHEET_FILE
        );
        opf = opf.replacen(
            &item,
            &format!("{item}\n    <item id=\"user-stylesheet\" href=\"{USER_STYLESHEET_FILE}\" media-type=\"text/css\"/>"),
            1,
        );
    }
    let ncx = package::ncx(&toc, &package);
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
    if let Some(css) = &opts.css {
        entries.push((oebps(USER_STYLESHEET_FILE), css.as_bytes()));
    }
    if let Some(cover) = &opts.cover {
        entries.push((oebps(cover.file()), &cover.data));
    }
    entries.extend(docs.iter().map(|d| (oebps(&d.file), d.xhtml.as_bytes())));
    archive::zip(
        entries.iter().map(|(path, bytes)| (path.as_str(), *bytes)),
        parts,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use verbatim_model::{Block, Inline, Metadata, Participant, Role, Section, Turn};

    #[test]
    fn parts_compressed_on_a_second_thread_give_the_same_bytes() {
        let turn = |i: usize| {
            let words = format!("Turn {i}: so the harbour was busy then and we worked the nets.");
            Block::Turn(Turn::new("A", [vec![Inline::text(words)]]))
        };
        let sections = (0..6)
            .map(|s| {
                Block::Section(Section {
                    heading: vec![Inline::text(format!("Part {s}"))],
                    blocks: (0..400).map(turn).collect(),
                })
            })
            .collect();
        let t = Transcript::new(
            Metadata {
                title: Some("Piped".into()),
                ..Metadata::default()
            },
            vec![Participant::new("A", "Ann", Role::Interviewee)],
            sections,
        )
        .unwrap();
        let (opts, cx) = (EpubOptions::default(), WriteContext::default());
        let here = to_vec_piped_from(&t, &opts, &cx, usize::MAX).unwrap();
        // Piped from the first part, and from one in the middle.
        for from in [0, 100_000] {
            assert!(
                to_vec_piped_from(&t, &opts, &cx, from).unwrap() == here,
                "from {from}"
            );
        }
    }
}
