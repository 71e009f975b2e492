//! What the registry's integration tests share: reading and writing by format name with
//! the default options and context, and the readable projection of binary outputs.
#![allow(dead_code)]

use std::path::Path;

use verbatim::{
    Diagnostic, InputFormat, OutputFormat, Parsed, ReadContext, Transcript, Valid, WriteContext,
    WriteOptions,
};

pub fn input(name: &str) -> InputFormat {
    verbatim::input(name).unwrap_or_else(|| panic!("no reader {name}"))
}

pub fn output(name: &str) -> OutputFormat {
    verbatim::output(name).unwrap_or_else(|| panic!("no writer {name}"))
}

/// Reads bytes in a named format, default context.
pub fn read(format: &str, bytes: &[u8]) -> Result<Parsed<Transcript>, Diagnostic> {
    verbatim::read(input(format), bytes.to_vec(), &ReadContext::default())
}

/// Reads a file, its format told as the command line tells it.
pub fn read_path(path: &Path) -> Result<Parsed<Transcript>, Diagnostic> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let detected = verbatim::detect(Some(path), None, &bytes)?;
    verbatim::read(detected.format, bytes, &ReadContext::default())
}

/// Writes a transcript with the default options and context; panics on failure.
pub fn write(format: OutputFormat, t: &Transcript) -> Vec<u8> {
    write_with(
        format,
        t,
        &WriteOptions::default(),
        &WriteContext::default(),
    )
    .0
}

/// Writes a transcript; the bytes and the writer's warnings.
pub fn write_with(
    format: OutputFormat,
    t: &Transcript,
    opts: &WriteOptions,
    cx: &WriteContext,
) -> (Vec<u8>, Vec<Diagnostic>) {
    let valid = Valid::new(t.clone()).unwrap_or_else(|e| panic!("invalid transcript: {e}"));
    verbatim::write_to_vec(format, &valid, opts, cx)
        .unwrap_or_else(|e| panic!("writing {format}: {e}"))
}

/// A readable projection of an output: text formats as they are, EPUB and PDF
/// described entry by entry.
pub fn describe(format: OutputFormat, bytes: &[u8]) -> String {
    match format.name() {
        "epub" => verbatim_inspect::describe_epub(bytes).expect("EPUB described"),
        "pdf" => verbatim_inspect::describe_pdf(bytes).expect("PDF described"),
        _ => String::from_utf8(bytes.to_vec()).expect("text output is UTF-8"),
    }
}
