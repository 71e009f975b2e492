//! Rewriting the builder's archive: reproducible zip entries, and the package and navigation
//! attributes its templates cannot produce.
//!
//! epub-builder's zip backend cannot be replaced (its `Zip` trait is private) and dates entries
//! with the clock whenever the zip crate's `time` feature is on, which epub-builder's default
//! features and any other crate in a build can turn on. Its templates also lack `xml:lang` on
//! the package, `lang` on the navigation document, and elements such as `dc:contributor`. So
//! the archive is read back and written again: `mimetype` first and stored, then the other
//! entries in the builder's order, all dated 1980-01-01 00:00:00, with the OPF and the
//! navigation document amended.

use std::io::{Cursor, Read, Write};

use uuid::Uuid;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::EpubError;
use crate::meta::Lang;
use crate::xhtml::escape;

const MIMETYPE: &str = "application/epub+zip";
const OPF: &str = "OEBPS/content.opf";
/// iBooks display options ask for the book's own fonts; there are none.
const IBOOKS_OPTIONS: &str = "META-INF/com.apple.ibooks.display-options.xml";
/// The navigation document, rendered from a builder template whose `<html>` lacks `lang`.
const NAV: &str = "OEBPS/nav.xhtml";
const NAV_HTML_START: &str =
    "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\">";
const BUILDER_PACKAGE_END: &str = "unique-identifier=\"epub-id-1\">";

/// What the templates cannot say.
pub struct Fixes<'a> {
    pub lang: &'a Lang,
    /// The UUID given to the builder as identifier.
    pub uuid: Uuid,
    /// The transcript's own identifier, which replaces the UUID.
    pub identifier: Option<String>,
    /// OPF lines to add to `<metadata>`.
    pub metadata: String,
}

/// Re-zips the builder's EPUB reproducibly, applying `fixes`.
pub fn rebuild(raw: &[u8], fixes: &Fixes) -> Result<Vec<u8>, EpubError> {
    let mut input = ZipArchive::new(Cursor::new(raw)).map_err(zip_error)?;
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    start(&mut out, "mimetype", CompressionMethod::Stored)?;
    out.write_all(MIMETYPE.as_bytes()).map_err(zip_error)?;
    for i in 0..input.len() {
        let mut file = input.by_index(i).map_err(zip_error)?;
        let name = file.name().to_string();
        if name == "mimetype" || name == IBOOKS_OPTIONS || file.is_dir() {
            continue;
        }
        if name != OPF && name != NAV {
            // Unchanged entries keep their compressed bytes: deflating twice
            // was most of the time an EPUB took.
            out.raw_copy_file_touch(file, zip::DateTime::default(), Some(0o644))
                .map_err(zip_error)?;
            continue;
        }
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(zip_error)?;
        let bytes = if name == OPF {
            fix_opf(text(&name, bytes)?, fixes)?.into_bytes()
        } else {
            fix_nav(text(&name, bytes)?, fixes.lang)?.into_bytes()
        };
        start(&mut out, &name, CompressionMethod::Deflated)?;
        out.write_all(&bytes).map_err(zip_error)?;
    }
    Ok(out.finish().map_err(zip_error)?.into_inner())
}

fn start(
    out: &mut ZipWriter<Cursor<Vec<u8>>>,
    name: &str,
    method: CompressionMethod,
) -> Result<(), EpubError> {
    let options = SimpleFileOptions::default()
        .compression_method(method)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    out.start_file(name, options).map_err(zip_error)
}

fn text(name: &str, bytes: Vec<u8>) -> Result<String, EpubError> {
    String::from_utf8(bytes).map_err(|_| EpubError::Unexpected(format!("{name} is not UTF-8")))
}

fn zip_error(e: impl std::fmt::Display) -> EpubError {
    EpubError::Zip(e.to_string())
}

/// Replaces the one occurrence of `from` in `s`; anything else means the builder changed.
fn replace_once(s: &str, from: &str, to: &str, what: &str) -> Result<String, EpubError> {
    match s.match_indices(from).count() {
        1 => Ok(s.replacen(from, to, 1)),
        _ => Err(EpubError::Unexpected(format!(
            "{what}: expected one `{from}`"
        ))),
    }
}

fn lang_attrs(lang: &Lang) -> String {
    let l = escape(&lang.tag);
    let dir = if lang.rtl { " dir=\"rtl\"" } else { "" };
    format!("xml:lang=\"{l}\"{dir}")
}

fn fix_opf(opf: String, fixes: &Fixes) -> Result<String, EpubError> {
    let package_end = format!(
        "{} {}>",
        BUILDER_PACKAGE_END.trim_end_matches('>'),
        lang_attrs(fixes.lang)
    );
    let mut opf = replace_once(&opf, BUILDER_PACKAGE_END, &package_end, OPF)?;
    if let Some(id) = &fixes.identifier {
        let uuid = format!(">{}</dc:identifier>", fixes.uuid.urn());
        opf = replace_once(
            &opf,
            &uuid,
            &format!(">{}</dc:identifier>", escape(id)),
            OPF,
        )?;
    }
    replace_once(
        &opf,
        "  </metadata>",
        &format!("{}  </metadata>", fixes.metadata),
        OPF,
    )
}

fn fix_nav(html: String, lang: &Lang) -> Result<String, EpubError> {
    let l = escape(&lang.tag);
    let with_lang = format!(
        "{} lang=\"{l}\" {}>",
        NAV_HTML_START.trim_end_matches('>'),
        lang_attrs(lang)
    );
    replace_once(&html, NAV_HTML_START, &with_lang, NAV)
}

/// A readable projection of an EPUB for golden files: the entries in zip order with their
/// compression method, then the full text of every entry that is UTF-8 text, each after a
/// `==> name <==` line.
pub fn describe(epub: &[u8]) -> Result<String, EpubError> {
    let mut archive = ZipArchive::new(Cursor::new(epub)).map_err(zip_error)?;
    let mut list = String::new();
    let mut texts = String::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).map_err(zip_error)?;
        let method = match file.compression() {
            CompressionMethod::Stored => "stored".to_string(),
            CompressionMethod::Deflated => "deflated".to_string(),
            other => other.to_string(),
        };
        let name = file.name().to_string();
        list.push_str(&format!("{name}  {method}\n"));
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(zip_error)?;
        match String::from_utf8(bytes) {
            Ok(s) => {
                texts.push_str(&format!("\n==> {name} <==\n{s}"));
                if !s.ends_with('\n') {
                    texts.push('\n');
                }
            }
            Err(e) => texts.push_str(&format!(
                "\n==> {name} <==\n({} bytes, not text)\n",
                e.as_bytes().len()
            )),
        }
    }
    Ok(list + &texts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_once_refuses_missing_or_repeated_anchors() {
        assert_eq!(replace_once("a-b", "-", "+", "x").unwrap(), "a+b");
        assert!(matches!(
            replace_once("ab", "-", "+", "x"),
            Err(EpubError::Unexpected(_))
        ));
        assert!(matches!(
            replace_once("a--b", "-", "+", "x"),
            Err(EpubError::Unexpected(_))
        ));
    }

    #[test]
    fn describe_rejects_non_zip_input() {
        assert!(matches!(describe(b"not a zip"), Err(EpubError::Zip(_))));
    }
}
