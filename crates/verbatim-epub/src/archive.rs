//! The OCF container: a zip archive with `mimetype` first and stored, every other entry
//! deflated, all dated 1980-01-01 00:00:00 with mode 0644, so that the same entries always give
//! the same bytes.

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::EpubError;

const MIMETYPE: &str = "application/epub+zip";

/// Zips `entries` (path in the archive, content) after the `mimetype` entry, in the given order.
pub fn zip<'a>(
    entries: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Result<Vec<u8>, EpubError> {
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    add(
        &mut out,
        "mimetype",
        MIMETYPE.as_bytes(),
        CompressionMethod::Stored,
    )?;
    for (name, bytes) in entries {
        add(&mut out, name, bytes, CompressionMethod::Deflated)?;
    }
    Ok(out.finish().map_err(zip_error)?.into_inner())
}

fn add(
    out: &mut ZipWriter<Cursor<Vec<u8>>>,
    name: &str,
    bytes: &[u8],
    method: CompressionMethod,
) -> Result<(), EpubError> {
    // Set explicitly: with the zip crate's `time` feature the default would be the clock.
    let options = SimpleFileOptions::default()
        .compression_method(method)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    out.start_file(name, options).map_err(zip_error)?;
    out.write_all(bytes).map_err(zip_error)
}

fn zip_error(e: impl std::fmt::Display) -> EpubError {
    EpubError::Zip(e.to_string())
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
    fn describe_rejects_non_zip_input() {
        assert!(matches!(describe(b"not a zip"), Err(EpubError::Zip(_))));
    }
}
