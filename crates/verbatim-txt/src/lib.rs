//! Plain text, both ways.
//!
//! # Reading
//!
//! Plain-text transcripts are the interviews people copy from web pages, export
//! from word processors or type up, with speaker labels at the start of
//! paragraphs.
//!
//! - Paragraphs are separated by blank lines; a text without any blank line
//!   has one paragraph per line. A line that starts with a speaker's label
//!   starts a new paragraph even without a blank line before it.
//! - Labels: full names (`Izabella Tabarovsky:`), upper case (`HAROLD
//!   BAINES:`), initials (`IT:`), `Q:`/`A:`, `Interviewer:`/`Narrator:`,
//!   `SPEAKER 1:`, `[SPEAKER_00]:`, with an optional time before or after
//!   (`[00:12:34]`). Initials and surnames are joined to the full name they
//!   abbreviate when it also appears; the id is the initials.
//! - An unlabelled paragraph continues the previous turn, except right after
//!   an interviewer's question (a turn ending in `?`): then it is the
//!   interviewee's answer, marked `inferred`.
//! - A short line without final punctuation between paragraphs is a section
//!   heading; after a heading such as "About the Author" the text is back
//!   matter. A line of `---` or `***` ends the current turn. A line
//!   underlined with `=` is the title (the first) or a heading, with `-`, `~`
//!   or `.` a heading of the first, second or third level, as the writer
//!   marks them; the rule is as wide as the line (`=` and `-` within three
//!   characters, under a line that is not a sentence).
//! - A header block of `Key: value` lines at the top (Title, Date,
//!   Interviewer, Interviewee, Place, Project, Language, Keywords, …) fills the
//!   metadata and the participants' roles; otherwise the first line is the
//!   title when it looks like one. Roles are guessed from bylines
//!   ("INTERVIEWED BY …"), the title ("an interview with …"), `Q`/`A`, and who
//!   asks the questions.
//! - Navigation lines of a captured web page ("Skip to main content", "Read
//!   More") are trimmed at the start and end.
//! - `[laughs]` and the other documented words are markers, `[text—ID]` a
//!   signed editorial note, other `[text]` an unsigned note.
//!
//! Every guess is reported as a warning with its line.
//!
//! # Writing
//!
//! A title block with the metadata (field names in the transcript's language,
//! from the labels table, which the reader knows too; the date as
//! `YYYY-MM-DD`), underlined headings, and turns as
//! `Name: text` with a hanging indent, wrapped to a width without splitting a
//! word or a URL. Notes and markers stay in brackets.
//!
//! ```
//! use verbatim_model::ReadContext;
//! let src = b"Q: Where did the bees come from?\n\nA: A swarm in the churchyard. [laughs]\n";
//! let parsed = verbatim_txt::read(src.to_vec(), &ReadContext::default()).unwrap();
//! assert_eq!(parsed.value.turns().count(), 2);
//! let text = verbatim_txt::to_string(&parsed.value, &verbatim_txt::TextOptions::default());
//! assert!(text.contains("A swarm in the churchyard. [laughs]"));
//! ```

mod read;
mod write;

use std::io;

use verbatim_model::{
    Code, Diagnostic, HasCode, InputError, ModelError, Parsed, ReadContext, Transcript,
    WriteContext,
};

pub use read::{read_str, read_text};
pub use write::{TextOptions, to_string};

/// A text that cannot be read, with its 1-based line and column.
pub type Error = verbatim_model::Located<ErrorKind>;

/// What is wrong with a text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The bytes are not text, or break a limit.
    #[error(transparent)]
    Input(InputError),
    /// Nothing but whitespace.
    #[error("empty file: a transcript needs at least one paragraph")]
    Empty,
    /// The text gave a transcript that breaks a model invariant.
    #[error("{0}")]
    Model(ModelError),
}

impl HasCode for ErrorKind {
    fn code(&self) -> Code {
        match self {
            ErrorKind::Input(e) => e.code(),
            ErrorKind::Empty => Code::Empty,
            ErrorKind::Model(_) => Code::Model,
        }
    }
}

/// Reads a plain-text transcript (the format contract's reader).
pub fn read(input: Vec<u8>, cx: &ReadContext) -> Result<Parsed<Transcript>, Error> {
    let decoded =
        verbatim_model::decode_input(input, cx).map_err(|e| e.located(ErrorKind::Input))?;
    Ok(read_text(&decoded.text, &cx.speakers)?.after(decoded.warnings))
}

/// Writes the transcript as plain UTF-8 text (the format contract's writer). Plain text
/// has no warnings: everything the model holds has a textual form.
pub fn write(
    t: &Transcript,
    opts: &TextOptions,
    _cx: &WriteContext,
    out: &mut dyn io::Write,
) -> io::Result<Vec<Diagnostic>> {
    let rest = write::write_into(t, opts, Some(&mut *out))?;
    out.write_all(rest.as_bytes())?;
    Ok(Vec::new())
}
