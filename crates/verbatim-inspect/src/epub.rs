//! A readable projection of an EPUB for golden files.

use std::io::{Cursor, Read};

use zip::{CompressionMethod, ZipArchive};

use crate::Error;

fn zip_error(e: impl std::fmt::Display) -> Error {
    Error::Epub(e.to_string())
}

/// A readable projection of an EPUB for golden files: the entries in zip order with their
/// compression method, then the full text of every entry that is UTF-8 text, each after a
/// `==> name <==` line.
pub fn describe(epub: &[u8]) -> Result<String, Error> {
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
        assert!(matches!(describe(b"not a zip"), Err(Error::Epub(_))));
    }
}
