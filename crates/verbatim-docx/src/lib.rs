//! Word (.docx) transcripts, read with the same rules as plain text.
//!
//! The document's paragraphs go through the plain-text importer's rules
//! (speaker labels, bold or plain; initials; headings found by their shape;
//! header block; continued and inferred turns; see `verbatim-txt`), with
//! what Word knows on top:
//!
//! - Paragraph styles `Title`, `Subtitle` and `Heading 1`…`Heading 9` (or an
//!   outline level) give the title, subtitle and nested sections.
//! - Italic and bold runs are emphasis and strong; hyperlinks (`w:hyperlink`
//!   or a `HYPERLINK` field) are links; footnotes and endnotes are editorial
//!   notes; a line break inside a paragraph starts a line, so a label after it
//!   starts a turn. Deleted revisions, field codes, comments, drawings and
//!   text boxes are left out.
//! - Core properties (`docProps/core.xml`) give the title, description,
//!   keywords and language. The file's creation date is not the interview's:
//!   a date line on the cover is (with a warning).
//!
//! Positions in warnings are paragraph numbers (`12:1` is the twelfth
//! paragraph); positions in XML errors are lines and columns of the named part.
//!
//! The archive is checked before anything is inflated: a part larger than
//! 100 MiB, or one that inflates more than 100 times its stored size (above
//! 1 MiB), is refused; a truncated or damaged archive is an error.

mod events;
mod parts;
mod xml;

use std::io::{Cursor, Read};

use verbatim_model::{
    Code, Diagnostic, HasCode, LanguageTag, Metadata, ModelError, Parsed, ReadContext, Speakers,
    Transcript,
};

/// A .docx that cannot be read. `line` and `column` point into the named part
/// for XML errors and are 1:1 for problems with the archive.
pub type Error = verbatim_model::Located<ErrorKind>;

/// What is wrong with a .docx.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Not a zip archive, or a damaged or truncated one.
    #[error("not a readable .docx (zip) file: {0}")]
    Archive(String),
    /// A zip archive without a Word document in it.
    #[error("no Word document in the archive (word/document.xml is missing)")]
    NoDocument,
    /// A part inflates to more than the limit.
    #[error("{part}: inflates to {size} bytes, more than the {limit}-byte limit")]
    TooLarge {
        /// The part's name.
        part: String,
        /// Its size when inflated, as far as it was read.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A part inflates suspiciously far (a zip bomb).
    #[error("{part}: inflates {ratio} times its stored size; refused as a zip bomb")]
    Ratio {
        /// The part's name.
        part: String,
        /// Inflated size divided by stored size.
        ratio: u64,
    },
    /// A part that is not text.
    #[error("{part}: {message}")]
    Encoding {
        /// The part's name.
        part: String,
        /// What is wrong.
        message: String,
    },
    /// A part that is not well-formed XML.
    #[error("{part}: invalid XML: {message}")]
    Xml {
        /// The part's name.
        part: String,
        /// What the XML parser said.
        message: String,
    },
    /// A part declares a DTD or entities, which are never processed.
    #[error("{part}: a DOCTYPE declaration (a DTD or entities) is never processed; refused")]
    Doctype {
        /// The part's name.
        part: String,
    },
    /// The parts together inflate to more than the limit.
    #[error("the parts read inflate to more than {limit} bytes together")]
    TotalTooLarge {
        /// The limit.
        limit: u64,
    },
    /// Notes referenced so often that copying them would pass the limit.
    #[error("notes are referenced so often that their copies would exceed {limit} bytes")]
    NotesTooLarge {
        /// The limit.
        limit: u64,
    },
    /// Two entries of the archive have one name.
    #[error("the archive holds two parts named {0}: which one Word would read is unknown")]
    DuplicatePart(String),
    /// The document has no text.
    #[error("the document has no text")]
    Empty,
    /// The document gave a transcript that breaks a model invariant.
    #[error("{0}")]
    Model(ModelError),
}

impl HasCode for ErrorKind {
    fn code(&self) -> Code {
        match self {
            ErrorKind::Archive(_) | ErrorKind::Xml { .. } => Code::Syntax,
            ErrorKind::NoDocument | ErrorKind::Empty => Code::Empty,
            ErrorKind::TooLarge { .. }
            | ErrorKind::Ratio { .. }
            | ErrorKind::TotalTooLarge { .. }
            | ErrorKind::NotesTooLarge { .. } => Code::Limit,
            ErrorKind::Doctype { .. } => Code::Doctype,
            ErrorKind::DuplicatePart(_) => Code::Syntax,
            ErrorKind::Encoding { .. } => Code::Encoding,
            ErrorKind::Model(ModelError::TooDeep) => Code::TooDeep,
            ErrorKind::Model(_) => Code::Model,
        }
    }
}

/// Largest inflated size of any part.
pub const MAX_PART_SIZE: u64 = 100 * 1024 * 1024;
/// Largest ratio of inflated to stored size, checked for parts above 1 MiB.
pub const MAX_RATIO: u64 = 100;
const RATIO_FLOOR: u64 = 1024 * 1024;

/// Largest inflated size of all parts read together.
pub const MAX_TOTAL_SIZE: u64 = 2 * MAX_PART_SIZE;

/// Size limits for inflating parts.
#[derive(Debug, Clone, Copy)]
struct Limits {
    max_part: u64,
    max_ratio: u64,
    ratio_floor: u64,
    max_total: u64,
}

const LIMITS: Limits = Limits {
    max_part: MAX_PART_SIZE,
    max_ratio: MAX_RATIO,
    ratio_floor: RATIO_FLOOR,
    max_total: MAX_TOTAL_SIZE,
};

/// Reads a Word .docx transcript (the format contract's reader).
pub fn read(input: Vec<u8>, cx: &ReadContext) -> Result<Parsed<Transcript>, Error> {
    read_with(&input, LIMITS, &cx.speakers)
}

/// Reads a Word .docx transcript from its bytes.
pub fn read_bytes(bytes: &[u8]) -> Result<Parsed<Transcript>, Error> {
    read_with(bytes, LIMITS, &Speakers::default())
}

fn read_with(
    bytes: &[u8],
    limits: Limits,
    speakers: &Speakers,
) -> Result<Parsed<Transcript>, Error> {
    let mut zip = Archive {
        zip: zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| Error::at_start(ErrorKind::Archive(archive_message(&e))))?,
        limits,
        inflated: 0,
    };
    // The zip crate keeps one entry per name, so a repeated name shows as fewer entries
    // than the central directory counts.
    if let Some(n) = central_directory_entries(bytes)
        && n > zip.zip.len()
    {
        let name = (0..zip.zip.len())
            .find_map(|i| zip.zip.name_for_index(i).filter(|n| n.starts_with("word/")))
            .unwrap_or("?")
            .to_string();
        return Err(Error::at_start(ErrorKind::DuplicatePart(name)));
    }
    let main = part(&mut zip, "_rels/.rels")?
        .and_then(|rels| parts::main_document(&rels))
        .unwrap_or_else(|| "word/document.xml".to_string());
    let document = part(&mut zip, &main)?.ok_or(Error::at_start(ErrorKind::NoDocument))?;
    let rels_name = match main.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{main}.rels"),
    };
    // Only the document itself must be well formed; a broken optional part
    // is reported and left out.
    let mut warnings: Vec<Diagnostic> = Vec::new();
    let links = match part(&mut zip, &rels_name)? {
        Some(rels) => parts::hyperlinks(&rels).unwrap_or_else(|e| {
            warnings.push(e.ignored(&rels_name, &rels));
            Vec::new()
        }),
        None => Vec::new(),
    };
    let styles = match part(&mut zip, "word/styles.xml")? {
        Some(s) => parts::styles(&s).unwrap_or_else(|e| {
            warnings.push(e.ignored("word/styles.xml", &s));
            Vec::new()
        }),
        None => Vec::new(),
    };
    let mut notes = Vec::new();
    for name in ["word/footnotes.xml", "word/endnotes.xml"] {
        if let Some(s) = part(&mut zip, name)? {
            match xml::notes(&s, &links) {
                Ok(n) => notes.extend(n),
                Err(e) => warnings.push(e.ignored(name, &s)),
            }
        }
    }
    let mut metadata = Metadata::default();
    let mut created = None;
    let core = part(&mut zip, "docProps/core.xml")?.and_then(|core| {
        parts::core(&core)
            .map_err(|e| warnings.push(e.ignored("docProps/core.xml", &core)))
            .ok()
    });
    if let Some(props) = core {
        metadata.title = props.title;
        metadata.description = props.description;
        metadata.keywords = props.keywords;
        metadata.language = props
            .language
            .and_then(|l| LanguageTag::from_name_or_tag(&l));
        created = props.created;
        if let Some(c) = props.creator {
            warnings.push(Diagnostic::warning(
                Code::MetadataDropped,
                1,
                1,
                format!("document author \"{c}\" (docProps/core.xml) left out: the model records speakers, not file authors"),
            ));
        }
    }
    let body = xml::document(&document, &links, &styles, &notes)
        .map_err(|e| e.in_part(&main, &document))?;
    if body.notes_over {
        return Err(Error::at_start(ErrorKind::NotesTooLarge {
            limit: xml::NOTE_COPY_BUDGET as u64,
        }));
    }
    if body.paras.is_empty() {
        return Err(Error::at_start(ErrorKind::Empty));
    }
    if body.skipped > 0 {
        warnings.push(Diagnostic::warning(
            Code::TextDropped,
            body.first_skipped,
            1,
            format!(
                "{} drawing(s), text box(es) or embedded object(s) left out",
                body.skipped
            ),
        ));
    }
    let mut parsed =
        verbatim_labels::assemble(body.paras, metadata, speakers).map_err(|e| Error {
            line: e.line,
            column: e.column,
            kind: ErrorKind::Model(e.kind),
        })?;
    // The file's creation date dates the typing, not the interview: said, not used.
    if parsed.value.metadata.date.is_none()
        && let Some(date) = created
    {
        warnings.push(Diagnostic::warning(
            Code::MetadataDropped,
            1,
            1,
            format!("the file's creation date {date} (docProps/core.xml) not taken as the interview's date: the text gives none"),
        ));
    }
    warnings.append(&mut parsed.warnings);
    warnings.sort_by_key(|w| (w.line(), w.column()));
    parsed.warnings = warnings;
    Ok(parsed)
}

fn archive_message(e: &zip::result::ZipError) -> String {
    match e {
        zip::result::ZipError::Io(io) => format!("the archive is truncated or damaged ({io})"),
        zip::result::ZipError::InvalidArchive(m) => {
            format!("the archive is truncated, damaged or not a zip file ({m})")
        }
        other => other.to_string(),
    }
}

struct Archive<'b> {
    zip: zip::ZipArchive<Cursor<&'b [u8]>>,
    limits: Limits,
    /// Bytes inflated so far, over all parts.
    inflated: u64,
}

/// Reads one part as text, checking its size before and while inflating it: the
/// bytes actually inflated count, whatever the archive's headers say.
fn part(zip: &mut Archive, name: &str) -> Result<Option<String>, Error> {
    let Limits {
        max_part,
        max_ratio,
        ratio_floor,
        max_total,
    } = zip.limits;
    let name = name.trim_start_matches('/');
    let file = match zip.zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(Error::at_start(ErrorKind::Archive(archive_message(&e)))),
    };
    let (size, stored) = (file.size(), file.compressed_size());
    let too_large = |size| {
        Error::at_start(ErrorKind::TooLarge {
            part: name.to_string(),
            size,
            limit: max_part,
        })
    };
    let ratio = |size: u64| {
        Error::at_start(ErrorKind::Ratio {
            part: name.to_string(),
            ratio: size / stored.max(1),
        })
    };
    if size > max_part {
        return Err(too_large(size));
    }
    if size > ratio_floor && size / stored.max(1) > max_ratio {
        return Err(ratio(size));
    }
    // The headers may lie: never inflate more than the ratio allows, the part limit,
    // or what is left of the total.
    let by_ratio = ratio_floor.max(stored.saturating_mul(max_ratio));
    let left = max_total.saturating_sub(zip.inflated);
    let cap = max_part.min(by_ratio).min(left);
    let mut buf = Vec::with_capacity(usize::try_from(size.min(ratio_floor)).unwrap_or(0));
    file.take(cap + 1).read_to_end(&mut buf).map_err(|e| {
        Error::at_start(ErrorKind::Archive(format!(
            "{name}: the archive is truncated or damaged ({e})"
        )))
    })?;
    let got = buf.len() as u64;
    if got > cap {
        return Err(if cap == left && left < max_part.min(by_ratio) {
            Error::at_start(ErrorKind::TotalTooLarge { limit: max_total })
        } else if cap == max_part {
            too_large(got)
        } else {
            ratio(got)
        });
    }
    zip.inflated += got;
    let text = verbatim_model::decode_text(&buf).map_err(|e| {
        Error::at_start(ErrorKind::Encoding {
            part: name.to_string(),
            message: e.to_string(),
        })
    })?;
    if has_doctype(&text) {
        return Err(Error::at_start(ErrorKind::Doctype {
            part: name.to_string(),
        }));
    }
    Ok(Some(text))
}

/// Whether a DOCTYPE comes before the root element.
fn has_doctype(xml: &str) -> bool {
    let mut rest = xml;
    // Past the declaration, comments and processing instructions.
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("<?") {
            match r.find("?>") {
                Some(i) => rest = &r[i + 2..],
                None => return false,
            }
        } else if let Some(r) = rest.strip_prefix("<!--") {
            match r.find("-->") {
                Some(i) => rest = &r[i + 3..],
                None => return false,
            }
        } else {
            return rest
                .get(..9)
                .is_some_and(|s| s.eq_ignore_ascii_case("<!DOCTYPE"));
        }
    }
}

/// An XML problem at a byte offset of a part.
#[derive(Debug)]
pub(crate) struct XmlError {
    offset: usize,
    message: String,
}

impl XmlError {
    /// A warning that an optional part was left out.
    fn ignored(self, part: &str, text: &str) -> Diagnostic {
        let e = self.in_part(part, text);
        Diagnostic::warning(
            Code::Syntax,
            1,
            1,
            format!("{part} left out: invalid XML at {}:{}", e.line, e.column),
        )
    }

    fn in_part(self, part: &str, text: &str) -> Error {
        let (line, column) = verbatim_model::LineIndex::new(text).position(self.offset);
        Error {
            line,
            column,
            kind: ErrorKind::Xml {
                part: part.to_string(),
                message: self.message,
            },
        }
    }
}

/// The entry count of the end-of-central-directory record (not for zip64 archives,
/// whose count lives elsewhere).
fn central_directory_entries(bytes: &[u8]) -> Option<usize> {
    const EOCD: [u8; 4] = [0x50, 0x4b, 0x05, 0x06];
    // The record is 22 bytes and a comment of at most 65,535.
    let from = bytes.len().saturating_sub(22 + 65_535);
    let at = (from..=bytes.len().checked_sub(22)?)
        .rev()
        .find(|&i| bytes[i..i + 4] == EOCD)?;
    let total = u16::from_le_bytes([bytes[at + 10], bytes[at + 11]]);
    (total != u16::MAX).then_some(usize::from(total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(name: &str, data: &[u8], method: zip::CompressionMethod) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(method);
        w.start_file(name, opts).unwrap();
        w.write_all(data).unwrap();
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn parts_over_the_size_limit_are_refused() {
        let bytes = zip_of(
            "word/document.xml",
            &[b' '; 2000],
            zip::CompressionMethod::Stored,
        );
        let small = Limits {
            max_part: 1000,
            ..LIMITS
        };
        let e = read_with(&bytes, small, &Speakers::default()).unwrap_err();
        assert!(
            matches!(
                e.kind,
                ErrorKind::TooLarge {
                    size: 2000,
                    limit: 1000,
                    ..
                }
            ),
            "{e}"
        );
    }

    #[test]
    fn parts_that_inflate_too_far_are_refused() {
        let bytes = zip_of(
            "word/document.xml",
            &[b' '; 100_000],
            zip::CompressionMethod::Deflated,
        );
        let tight = Limits {
            ratio_floor: 1000,
            ..LIMITS
        };
        let e = read_with(&bytes, tight, &Speakers::default()).unwrap_err();
        assert!(matches!(e.kind, ErrorKind::Ratio { .. }), "{e}");
        assert!(
            e.to_string()
                .starts_with("1:1: word/document.xml: inflates"),
            "{e}"
        );
    }
}
