//! The OCF container: a zip archive with `mimetype` first and stored, every other entry
//! deflated, all dated 1980-01-01 00:00:00 with mode 0644, so that the same entries always give
//! the same bytes.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::EpubError;

const MIMETYPE: &str = "application/epub+zip";

/// Entries compressed ahead of the archive they end in, so that each one's content can
/// be dropped as soon as it is made.
pub struct Parts {
    zip: ZipWriter<Cursor<Vec<u8>>>,
    names: std::collections::BTreeSet<String>,
}

impl Default for Parts {
    fn default() -> Self {
        Parts::new()
    }
}

impl Parts {
    pub fn new() -> Self {
        Parts {
            zip: ZipWriter::new(Cursor::new(Vec::new())),
            names: std::collections::BTreeSet::new(),
        }
    }

    /// Compresses an entry.
    pub fn add(&mut self, name: &str, bytes: &[u8]) -> Result<(), EpubError> {
        add(&mut self.zip, name, bytes, CompressionMethod::Deflated)?;
        self.names.insert(name.to_string());
        Ok(())
    }

    /// Whether an entry of this name is held.
    pub fn holds(&self, name: &str) -> bool {
        self.names.contains(name)
    }
}

/// Zips `entries` (path in the archive, content) after the `mimetype` entry, in the given
/// order, then the `parts` as they were compressed.
pub fn zip<'a>(
    entries: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    parts: Parts,
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
    let mut held =
        zip::ZipArchive::new(parts.zip.finish().map_err(zip_error)?).map_err(zip_error)?;
    for i in 0..held.len() {
        let file = held.by_index_raw(i).map_err(zip_error)?;
        // Copied compressed, with the date and mode every entry has.
        out.raw_copy_file_touch(file, zip::DateTime::default(), Some(0o644))
            .map_err(zip_error)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_compressed_ahead_give_the_bytes_of_entries_compressed_in_place() {
        let big = "<p>a turn</p>\n".repeat(50_000);
        let entries = [
            ("OEBPS/content.opf", b"<package/>".as_slice()),
            ("OEBPS/section-01.xhtml", big.as_bytes()),
            ("OEBPS/section-02.xhtml", b"<html/>".as_slice()),
        ];
        let whole = zip(entries, Parts::new()).unwrap();
        let mut parts = Parts::new();
        for (name, bytes) in &entries[1..] {
            parts.add(name, bytes).unwrap();
        }
        assert!(parts.holds("OEBPS/section-02.xhtml"));
        assert!(!parts.holds("OEBPS/content.opf"));
        assert_eq!(zip(entries[..1].iter().copied(), parts).unwrap(), whole);
    }
}
