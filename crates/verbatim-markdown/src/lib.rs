//! Markdown transcripts: YAML front matter, speaker labels, editorial notes.
//!
//! The format is specified in `docs/format.md`.
//!
//! ```
//! let src = "---\ntitle: A talk\nparticipants:\n  - {id: Q, name: Quinn, role: interviewer}\n---\n\n**Q:** Why? [laughs]\n";
//! let parsed = verbatim_markdown::read(src).unwrap();
//! assert_eq!(parsed.value.turns().count(), 1);
//! ```

mod read;
mod write;

pub use read::read;
pub use write::{MarkdownOptions, write};

use verbatim_model::ModelError;

/// A Markdown transcript that cannot be read, with its 1-based line and column
/// (column counted in characters).
pub type Error = verbatim_model::Located<ErrorKind>;

/// What is wrong with a Markdown transcript.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Nothing but whitespace.
    #[error("empty file: a transcript needs at least one paragraph")]
    Empty,
    /// `---` at the top without a closing `---`.
    #[error("front matter starts with '---' but has no closing '---' line")]
    UnclosedFrontMatter,
    /// The YAML front matter is not valid.
    #[error("invalid front matter: {0}")]
    FrontMatter(String),
    /// A bold speaker label names nobody declared in the front matter.
    #[error(
        "undeclared speaker \"{0}\": add it to the front matter's participants (as id, name or alias)"
    )]
    UndeclaredSpeaker(String),
    /// Emphasis, strong text and links nested too deep.
    #[error("inline formatting nested deeper than {0} levels")]
    TooDeep(usize),
    /// The transcript breaks a model invariant.
    #[error("{0}")]
    Model(ModelError),
}
