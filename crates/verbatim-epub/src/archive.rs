//! The OCF container: a zip archive with `mimetype` first and stored, every other entry
//! deflated, all dated 1980-01-01 00:00:00 with mode 0644, so that the same entries always give
//! the same bytes.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

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
