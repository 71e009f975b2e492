//! Readable text projections of Verbatim's binary outputs, for golden files and tests:
//! an EPUB's entries and their text, a PDF's metadata, outline, fonts and page text.
//!
//! Test support only (`publish = false`): the format crates and the registry use it as a
//! dev-dependency, so that the PDF parser it needs (lopdf) never ships in the program.

mod epub;
mod pdf;

pub use epub::describe as describe_epub;
pub use pdf::describe as describe_pdf;

/// Bytes that cannot be described.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Not a readable zip archive.
    #[error("not a readable EPUB: {0}")]
    Epub(String),
    /// Not a readable PDF.
    #[error("not a readable PDF: {0}")]
    Pdf(String),
}
