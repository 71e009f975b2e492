#![no_main]
//! The Word reader's XML, not its zip: the input is `word/document.xml` (and, after a
//! NUL byte, `word/footnotes.xml`) of a stored archive, so mutations reach the
//! paragraph, run, hyperlink, field and note handling, nesting included.

#[path = "common.rs"]
mod common;

use std::io::Write;

fn archive(data: &[u8]) -> Vec<u8> {
    let (document, notes) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    let mut add = |name: &str, bytes: &[u8]| {
        w.start_file(name, opts).expect("zip entry");
        w.write_all(bytes).expect("zip write");
    };
    add("word/document.xml", document);
    if let Some(n) = notes {
        add("word/footnotes.xml", n);
    }
    w.finish().expect("zip finish").into_inner()
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::check("docx", &archive(data)));
