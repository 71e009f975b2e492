//! What the importers of unstructured transcripts share: speaker labels
//! (`Izabella Tabarovsky:`, `HAROLD BAINES:`, `IT:`, `Q:`, `SPEAKER 1:`),
//! initials joined to the names they abbreviate, header blocks, headings found
//! by their shape, page chrome, editorial brackets, and the assembly of
//! paragraphs into a [`Transcript`](verbatim_model::Transcript).
//!
//! It knows no file format: the plain-text and Word importers turn their
//! input into [`Para`]s and call [`assemble`]; the subtitle importer uses the
//! label and bracket rules directly.
//!
//! ```
//! use verbatim_labels::{Line, Para, Style, assemble};
//! let paras = vec![
//!     Para { lines: vec![Line::text(1, 1, "Q: Why bees?")], style: Style::Body },
//!     Para { lines: vec![Line::text(3, 1, "A: For the honey. [laughs]")], style: Style::Body },
//! ];
//! let t = assemble(paras, Default::default()).unwrap().value;
//! assert_eq!(t.turns().count(), 2);
//! ```

mod assemble;
pub mod brackets;
pub mod header;
pub mod label;
pub mod names;
pub mod roles;

pub use assemble::{Line, Para, Style, assemble};
