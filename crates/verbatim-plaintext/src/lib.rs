//! Plain-text transcripts: the interviews people copy from web pages, export
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
//!   matter. A line of `---` or `***` ends the current turn.
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
//! ```
//! let src = "Q: Where did the bees come from?\n\nA: A swarm in the churchyard. [laughs]\n";
//! let parsed = verbatim_plaintext::read(src).unwrap();
//! assert_eq!(parsed.value.turns().count(), 2);
//! ```

use verbatim_labels::{Line, Para, Style};
use verbatim_model::{Metadata, ModelError, Parsed, Transcript};

/// A text that cannot be read, with its 1-based line and column.
pub type Error = verbatim_model::Located<ErrorKind>;

/// What is wrong with a text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Nothing but whitespace.
    #[error("empty file: a transcript needs at least one paragraph")]
    Empty,
    /// The text gave a transcript that breaks a model invariant.
    #[error("{0}")]
    Model(ModelError),
}

/// Reads a plain-text transcript.
pub fn read(src: &str) -> Result<Parsed<Transcript>, Error> {
    let paras = paragraphs(src);
    if paras.is_empty() {
        return Err(Error {
            line: 1,
            column: 1,
            kind: ErrorKind::Empty,
        });
    }
    verbatim_labels::assemble(paras, Metadata::default()).map_err(|e| Error {
        line: 1,
        column: 1,
        kind: ErrorKind::Model(e),
    })
}

/// Splits text into paragraphs at blank lines, or at every line when the text
/// has no blank line between its first and last lines.
fn paragraphs(src: &str) -> Vec<Para> {
    let lines: Vec<(usize, usize, &str)> = src
        .lines()
        .enumerate()
        .map(|(i, l)| {
            let text = l.trim();
            let column = l.chars().take_while(|c| c.is_whitespace()).count() + 1;
            (i + 1, column, text)
        })
        .collect();
    let first = lines.iter().position(|l| !l.2.is_empty());
    let last = lines.iter().rposition(|l| !l.2.is_empty());
    let one_per_line = match (first, last) {
        (Some(f), Some(l)) => l > f && lines[f..=l].iter().all(|l| !l.2.is_empty()),
        _ => false,
    };
    let mut paras: Vec<Para> = Vec::new();
    let mut current: Vec<Line> = Vec::new();
    for (line, column, text) in lines {
        if text.is_empty() {
            flush(&mut paras, &mut current);
            continue;
        }
        current.push(Line::text(line, column, text));
        if one_per_line {
            flush(&mut paras, &mut current);
        }
    }
    flush(&mut paras, &mut current);
    paras
}

fn flush(paras: &mut Vec<Para>, current: &mut Vec<Line>) {
    if !current.is_empty() {
        paras.push(Para {
            lines: std::mem::take(current),
            style: Style::Body,
        });
    }
}
