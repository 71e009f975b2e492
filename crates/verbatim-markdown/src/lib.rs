//! Markdown transcripts: YAML front matter, speaker labels, editorial notes.
//!
//! The format is specified in `docs/format.md`.
//!
//! ```
//! let src = "---\ntitle: A talk\nparticipants:\n  - {id: Q, name: Quinn, role: interviewer}\n---\n\n**Q:** Why? [laughs]\n";
//! let parsed = verbatim_markdown::read_str(src).unwrap();
//! assert_eq!(parsed.value.turns().count(), 1);
//! ```

mod chunks;
mod read;
mod write;

pub use read::read_str;
pub use write::{MarkdownOptions, to_string, write};

use verbatim_model::{
    Code, DateError, HasCode, InputError, LanguageTagError, ModelError, Parsed, ReadContext,
    Transcript,
};

/// Reads a Markdown transcript (the format contract's reader).
pub fn read(input: Vec<u8>, cx: &ReadContext) -> Result<Parsed<Transcript>, Error> {
    let decoded =
        verbatim_model::decode_input(input, cx).map_err(|e| e.located(ErrorKind::Input))?;
    Ok(read::read_limited(&decoded.text, cx.limits.max_participants)?.after(decoded.warnings))
}

/// A Markdown transcript that cannot be read, with its 1-based line and column
/// (column counted in characters).
pub type Error = verbatim_model::Located<ErrorKind>;

/// What is wrong with a Markdown transcript.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The bytes are not text, or break a limit.
    #[error(transparent)]
    Input(InputError),
    /// Nothing but whitespace.
    #[error("empty file: a transcript needs at least one paragraph")]
    Empty,
    /// `---` at the top without a closing `---`.
    #[error("front matter starts with '---' but has no closing '---' line")]
    UnclosedFrontMatter,
    /// The YAML front matter is not valid.
    #[error("invalid front matter: {0}")]
    FrontMatter(String),
    /// The front matter's date is not a date of the calendar.
    #[error("front matter: date {0}")]
    Date(DateError),
    /// The front matter's language is not a language tag.
    #[error("front matter: language {0}")]
    Language(LanguageTagError),
    /// A bold speaker label names nobody declared in the front matter.
    #[error(
        "undeclared speaker \"{0}\": add it to the front matter's participants (as id, name or alias)"
    )]
    UndeclaredSpeaker(String),
    /// Emphasis, strong text and links nested too deep.
    #[error("inline formatting nested deeper than {0} levels")]
    TooDeep(usize),
    /// More lines and inline marks without a blank line than one paragraph could hold.
    #[error(
        "more than {0} lines and marks (*, _, [, ], `, <, !, &, \\) without a blank line: separate the turns and paragraphs with blank lines"
    )]
    TooManyMarks(usize),
    /// More speakers declared on first use than the limit.
    #[error("more than {0} speakers (--max-participants)")]
    TooManyParticipants(usize),
    /// The transcript breaks a model invariant.
    #[error("{0}")]
    Model(ModelError),
}

impl HasCode for ErrorKind {
    fn code(&self) -> Code {
        match self {
            ErrorKind::Input(e) => e.code(),
            ErrorKind::Empty => Code::Empty,
            ErrorKind::UnclosedFrontMatter | ErrorKind::FrontMatter(_) => Code::Syntax,
            ErrorKind::Date(_) => Code::DateInvalid,
            ErrorKind::Language(_) => Code::LanguageInvalid,
            ErrorKind::UndeclaredSpeaker(_) => Code::SpeakerUndeclared,
            ErrorKind::TooDeep(_) => Code::TooDeep,
            ErrorKind::TooManyParticipants(_) | ErrorKind::TooManyMarks(_) => Code::Limit,
            ErrorKind::Model(ModelError::TooDeep) => Code::TooDeep,
            ErrorKind::Model(_) => Code::Model,
        }
    }
}
