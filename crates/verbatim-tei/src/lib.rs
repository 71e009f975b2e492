//! TEI P5 XML for Verbatim transcripts: a writer and a reader.
//!
//! [`write()`] produces a TEI document in the TEI namespace that validates against
//! `tei_all` (P5 4.3.0) and uses the spoken-text module: one `<u who="#ID">` per
//! speaker turn with one `<seg type="paragraph">` per paragraph, participants in
//! `particDesc`, editorial notes as `<note type="editorial">`, transcriber markers as
//! `<vocal>`, `<incident>`, `<pause/>` and `<gap/>`, start times in a `<timeline>`.
//! [`read()`] maps such a document back to the model, so that writing and reading
//! again gives the same transcript. It also reads TEI from elsewhere that uses the
//! same vocabulary, and drama-style `<sp><speaker>` interviews; what it cannot map
//! is reported as a warning with its position, never dropped silently.
//!
//! ```
//! use verbatim_model::{Block, Inline, Metadata, Participant, Role, Transcript, Turn, WriteContext};
//!
//! let t = Transcript::new(
//!     Metadata { title: Some("A talk".into()), language: "en".parse().ok(), ..Metadata::default() },
//!     vec![
//!         Participant::new("Q", "Quinn", Role::Interviewer),
//!         Participant::new("A", "Avery", Role::Interviewee),
//!     ],
//!     vec![
//!         Block::Turn(Turn::new("Q", vec![vec![Inline::text("Why?")]])),
//!         Block::Turn(Turn::new("A", vec![vec![Inline::text("Because.")]])),
//!     ],
//! )
//! .unwrap();
//!
//! let xml = verbatim_tei::to_vec(&t, &Default::default(), &WriteContext::default()).unwrap();
//! let xml = String::from_utf8(xml).unwrap();
//! assert!(xml.contains(r##"<u xml:id="u2" who="#A">"##));
//!
//! let back = verbatim_tei::read_str(&xml).unwrap();
//! assert_eq!(back.value, t);
//! assert!(back.warnings.is_empty());
//! ```
//!
//! # Encoding decisions
//!
//! - `TEI/@xml:lang` comes from `metadata.language`; without a language it is left
//!   out (no `und`), so the reader gives `None` back.
//! - Text in another script than the transcript's is a `foreign` whose `xml:lang`
//!   names the script (`und-Hebr`), since only the script is known; `langUsage` lists
//!   the language, then each such script. Without a declared language the main script
//!   is the one most letters are in, and it leads the list when others follow. The
//!   reader reads through these `foreign`s and never takes an `und-` tag for the
//!   language.
//! - `publicationStmt` starts with `<publisher>`, or an empty `<authority/>` when
//!   no publisher is known, because `idno` and `availability` need a preceding
//!   agency. Its `<date>` and the `revisionDesc` change are the date of the TEI file,
//!   taken from `SOURCE_DATE_EPOCH` only ([`verbatim_model::DatePolicy::made`]);
//!   without it they are left out. The interview date (`metadata.date`) goes to `settingDesc/setting/date`,
//!   the source `bibl` and the `recording`.
//! - `application/@version` is required by TEI, so `appInfo` is written only when
//!   the context's generator carries a version number.
//! - Aliases are extra `<persName type="alias">` elements of the person.
//! - A turn that carries on across a section heading (`Turn::continues`) is a `u`
//!   with `@prev` pointing to the previous `u`, which gets `@next`; counting
//!   `u[not(@prev)]` gives the number of real turns (a continuing first turn has
//!   nothing to point to and is written as a new turn). An inferred speaker is
//!   `@cert="medium"`.
//! - Markers: `<vocal>`, `<incident>` and `<gap reason="inaudible">` keep their
//!   words in `<desc>`. `<pause/>` must be empty in TEI: a marker `pause` is a
//!   bare `<pause/>`, `long pause` is `<pause type="long"/>`, any other wording
//!   is kept in `@n`.
//! - Pointers must be URI references: in a `@target`, a stray `%`, a second `#`
//!   and brackets outside an IPv6 host are percent-encoded (the source URL is also
//!   kept as written in the text of its `ref`, which the reader prefers). A link
//!   with an empty target is a `ref` without `@target` and reads back as text.
//! - Content that TEI does not allow where the model has it (narrative or turns
//!   after a subsection of the same section) is wrapped in a `<div>` without
//!   `<head>`; the reader dissolves headless `div`s into their parent.
//! - Ids are deterministic: `u1`, `u2`… for utterances in reading order, `T0`,
//!   `T1`… for timeline points in time order, `enc` for the encoder; a prefix
//!   `_` is added to a family of ids if a participant id could clash with it.
//!
//! # Whitespace
//!
//! The writer never adds whitespace inside mixed content; line breaks inside text
//! are written as `&#10;`. The reader treats a run of literal whitespace that
//! contains a line break as layout: it becomes one space, and disappears at the
//! start and end of a paragraph, heading, note or header field. Whitespace written
//! as a character reference is kept. Adjacent text runs of the model come back as
//! one run.
//!
//! # Safety
//!
//! No DTD is processed and no external resource is loaded. A `DOCTYPE` that
//! declares entities is refused; only the five predefined entities and character
//! references are expanded. Element nesting deeper than 256 levels is refused.

#![warn(missing_docs)]

mod dom;
mod read;
mod write;

pub use read::read_str;
pub use write::to_vec;

use std::io;

use verbatim_model::format::EpochOutOfRange;
use verbatim_model::{
    Code, Diagnostic, InputError, ModelError, Parsed, Position, ReadContext, ToDiagnostic,
    Transcript, WriteContext,
};

/// Options for [`write()`]. The generator (the encoder named in
/// `titleStmt/respStmt`, and `appInfo/application/@version` when it ends in a version
/// number) and the date of the file come from the [`WriteContext`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TeiOptions {
    /// How turns are encoded. Default [`TeiStyle::U`].
    pub style: TeiStyle,
}

/// How a turn is encoded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum TeiStyle {
    /// `<u who="#ID" start="#T1">` with a `<seg type="paragraph">` per paragraph: the
    /// transcription of speech module, as archives encode interviews.
    #[default]
    U,
    /// `<sp who="#ID" synch="#T1"><speaker>Name</speaker><p>…</p></sp>`: the drama
    /// module, as print editions of interviews do; times are `@synch` pointers.
    Sp,
}

/// Reads a TEI document (the format contract's reader).
pub fn read(input: Vec<u8>, cx: &ReadContext) -> Result<Parsed<Transcript>, TeiError> {
    let decoded = verbatim_model::decode_input(input, cx).map_err(|e| {
        let (line, column) = e.position();
        TeiError::Read {
            line,
            column,
            kind: ReadErrorKind::Input(e),
        }
    })?;
    Ok(read_str(&decoded.text)?.after(decoded.warnings))
}

/// Writes a transcript as TEI (the format contract's writer). The `u` style holds the
/// whole model; the `sp` style warns of a turn's end time it had to leave out (one
/// without a start: `sp` has only `@synch`, read from the start).
pub fn write(
    t: &Transcript,
    opts: &TeiOptions,
    cx: &WriteContext,
    out: &mut dyn io::Write,
) -> Result<Vec<Diagnostic>, TeiError> {
    let rest = write::write_into(t, opts, cx, Some(&mut *out))?;
    out.write_all(&rest)
        .map_err(|e| TeiError::Io(e.to_string()))?;
    let lost = match opts.style {
        TeiStyle::Sp => t
            .turns()
            .filter(|u| u.start.is_none() && u.end.is_some())
            .count(),
        TeiStyle::U => 0,
    };
    Ok(if lost > 0 {
        vec![Diagnostic::note(
            Code::OutputLossy,
            format!(
                "{lost} turn end time(s) without a start left out: <sp> carries times in @synch, from the start"
            ),
        )]
    } else {
        Vec::new()
    })
}

/// A TEI document that cannot be read, or a transcript that cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TeiError {
    /// The document cannot be read; at a 1-based line and column (counted in characters).
    #[error("{line}:{column}: {kind}")]
    Read {
        /// 1-based line.
        line: usize,
        /// 1-based column, counted in Unicode scalar values.
        column: usize,
        /// What is wrong.
        kind: ReadErrorKind,
    },
    /// The transcript breaks a model invariant (when writing), or what the document
    /// says does not make a valid transcript (when reading).
    #[error("invalid transcript: {0}")]
    Model(#[from] ModelError),
    /// The transcript contains a character that XML 1.0 cannot represent.
    #[error("cannot write TEI: U+{0:04X} is not allowed in XML")]
    UnwritableChar(u32),
    /// The transcript nests sections or inline content deeper than TEI output
    /// may (so that the reader can read it back).
    #[error("cannot write TEI: content nested deeper than {0} XML elements")]
    TooDeep(usize),
    /// `SOURCE_DATE_EPOCH` cannot be a date.
    #[error(transparent)]
    Epoch(#[from] EpochOutOfRange),
    /// Writing the XML failed.
    #[error("cannot write TEI: {0}")]
    Io(String),
}

impl ToDiagnostic for TeiError {
    fn to_diagnostic(&self) -> Diagnostic {
        match self {
            TeiError::Read { line, column, kind } => {
                let code = match kind {
                    ReadErrorKind::Input(e) => verbatim_model::HasCode::code(e),
                    ReadErrorKind::Xml(_) | ReadErrorKind::UnknownEntity(_) => Code::Syntax,
                    ReadErrorKind::IllegalChar(_) => Code::Syntax,
                    ReadErrorKind::EntityDeclaration => Code::Doctype,
                    ReadErrorKind::TooDeep(_) => Code::TooDeep,
                    ReadErrorKind::NotTei(_) => Code::FormatUnknown,
                    ReadErrorKind::Unsupported(_) => Code::Syntax,
                    ReadErrorKind::Model(ModelError::TooDeep) => Code::TooDeep,
                    ReadErrorKind::Model(_) => Code::Model,
                };
                let position = Some(Position {
                    line: *line,
                    column: *column,
                });
                Diagnostic::error(code, position, kind.to_string())
            }
            TeiError::Model(e) => {
                let code = match e {
                    ModelError::TooDeep => Code::TooDeep,
                    ModelError::UndeclaredSpeaker(_) => Code::SpeakerUndeclared,
                    _ => Code::Model,
                };
                Diagnostic::error(code, None, self.to_string())
            }
            TeiError::UnwritableChar(_) | TeiError::Io(_) => {
                Diagnostic::error(Code::WriteFailed, None, self.to_string())
            }
            TeiError::TooDeep(_) => Diagnostic::error(Code::TooDeep, None, self.to_string()),
            TeiError::Epoch(_) => Diagnostic::error(Code::Option, None, self.to_string()),
        }
    }
}

impl TeiError {
    /// The 1-based line and column of a reading error.
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            TeiError::Read { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }
}

/// Why a TEI document cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReadErrorKind {
    /// The bytes are not text, or break a limit.
    #[error(transparent)]
    Input(InputError),
    /// The XML is not well formed.
    #[error("malformed XML: {0}")]
    Xml(String),
    /// A `DOCTYPE` declares entities (a possible entity-expansion attack).
    #[error(
        "DOCTYPE with entity declarations refused: entities are never expanded; \
         remove the DOCTYPE"
    )]
    EntityDeclaration,
    /// A reference to an entity other than the five predefined ones.
    #[error(
        "unknown entity '&{0};': only &lt; &gt; &amp; &apos; &quot; and character \
         references are allowed"
    )]
    UnknownEntity(String),
    /// A character that XML does not allow, written or referenced.
    #[error("character U+{0:04X} is not allowed in XML")]
    IllegalChar(u32),
    /// Elements nested deeper than the reader accepts.
    #[error("elements nested deeper than {0} levels")]
    TooDeep(usize),
    /// The root element is not `TEI`.
    #[error(
        "not a TEI document: the root element is {0}; expected <TEI> in the TEI namespace (http://www.tei-c.org/ns/1.0)"
    )]
    NotTei(String),
    /// Well-formed TEI whose structure cannot be mapped to a transcript.
    #[error("{0}")]
    Unsupported(String),
    /// What the document says does not make a valid transcript.
    #[error("{0}")]
    Model(ModelError),
}
