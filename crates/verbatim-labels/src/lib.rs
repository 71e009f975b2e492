//! The speaker-label engine: what the importers of unstructured transcripts share.
//!
//! The plain-text, Word and caption readers turn their input into [`Para`]s and call
//! [`assemble`], which goes through these stages, each a module with its own tests:
//!
//! 1. `paragraphs`: clean-up; a time on a line of its own belongs to what follows.
//! 2. `chrome`: navigation and "Read more" of a captured web page.
//! 3. `header`: a header block before the first turn (after a title, an abstract or cover
//!    lines; values continued on the next line), giving metadata and people with roles.
//! 4. `label`: label candidates by their shape at each line's start (names, capitals,
//!    codes, initials, parenthesised roles, groups, after an optional time or in bold).
//! 5. `evidence`: which candidates are labels, decided over the whole file.
//! 6. `people`: who the labels name (initials, surnames, parenthesised names, the
//!    header's people, the user's `--speaker`s).
//! 7. `roles`: roles from the header, what speakers say of themselves, the title, and
//!    who asks the questions.
//! 8. `body`: turns, continued and answered paragraphs, headings, sessions, breaks.
//!
//! Every decision that could be wrong is a warning with a code and its position.
//!
//! ```
//! use verbatim_labels::{Line, Para, assemble};
//! let paras = vec![
//!     Para::body(vec![Line::text(1, 1, "Q: Why bees?")]),
//!     Para::body(vec![Line::text(3, 1, "A: For the honey. [laughs]")]),
//! ];
//! let t = assemble(paras, Default::default(), &Default::default()).unwrap().value;
//! assert_eq!(t.turns().count(), 2);
//! ```

mod assemble;
mod body;
pub mod brackets;
pub mod captions;
mod chrome;
mod evidence;
pub mod header;
mod inline;
pub mod label;
pub mod names;
mod paragraphs;
mod people;
pub mod roles;
mod text;

pub use assemble::{Options, assemble, assemble_with};
pub use inline::split_inline_labels;
pub use paragraphs::{Line, Para, Style};
pub use people::MAX_SPEAKERS;

use verbatim_model::{Code, Diagnostic};

/// The warnings the stages raise.
#[derive(Debug, Default)]
pub(crate) struct Log {
    pub warnings: Vec<Diagnostic>,
}

impl Log {
    pub(crate) fn warn(&mut self, code: Code, at: (usize, usize), msg: String) {
        self.warnings
            .push(Diagnostic::warning(code, at.0, at.1, msg));
    }
}
