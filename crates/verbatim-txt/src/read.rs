//! Reading labelled plain text.

use verbatim_labels::{Line, Para};
use verbatim_model::{Metadata, Parsed, Speakers, Transcript};

use crate::{Error, ErrorKind};

/// Reads a plain-text transcript from text already decoded.
pub fn read_str(src: &str) -> Result<Parsed<Transcript>, Error> {
    read_text(src, &Speakers::default())
}

/// Reads a plain-text transcript from text, with what the user says of the speakers.
pub fn read_text(src: &str, speakers: &Speakers) -> Result<Parsed<Transcript>, Error> {
    let paras = paragraphs(src);
    if paras.is_empty() {
        return Err(Error {
            line: 1,
            column: 1,
            kind: ErrorKind::Empty,
        });
    }
    let (paras, warnings) = verbatim_labels::split_inline_labels(paras);
    let mut parsed =
        verbatim_labels::assemble(paras, Metadata::default(), speakers).map_err(|e| Error {
            line: e.line,
            column: e.column,
            kind: ErrorKind::Model(e.kind),
        })?;
    if !warnings.is_empty() {
        parsed.warnings.extend(warnings);
        parsed.warnings.sort_by_key(|w| (w.line(), w.column()));
    }
    Ok(parsed)
}

/// Splits text into paragraphs at blank lines, or at every line when the text
/// has no blank line between its first and last lines.
fn paragraphs(src: &str) -> Vec<Para> {
    let lines: Vec<(usize, usize, &str)> = src
        .lines()
        .enumerate()
        .map(|(i, l)| {
            let text = l.trim();
            let column = l.chars().take_while(|c| c.is_whitespace()).count() + 1;
            (i + 1, column, text)
        })
        .collect();
    let first = lines.iter().position(|l| !l.2.is_empty());
    let last = lines.iter().rposition(|l| !l.2.is_empty());
    let one_per_line = match (first, last) {
        (Some(f), Some(l)) => l > f && lines[f..=l].iter().all(|l| !l.2.is_empty()),
        _ => false,
    };
    let mut paras: Vec<Para> = Vec::new();
    let mut current: Vec<Line> = Vec::new();
    for (line, column, text) in lines {
        if text.is_empty() {
            flush(&mut paras, &mut current, false);
            continue;
        }
        current.push(Line::text(line, column, text));
        if one_per_line {
            flush(&mut paras, &mut current, true);
        }
    }
    flush(&mut paras, &mut current, false);
    paras
}

fn flush(paras: &mut Vec<Para>, current: &mut Vec<Line>, segment: bool) {
    if !current.is_empty() {
        let lines = std::mem::take(current);
        // A tab or several spaces before the first line: an indented paragraph.
        let indented = lines[0].column > 2;
        let mut p = Para::body(lines);
        p.indented = indented;
        p.segment = segment;
        paras.push(p);
    }
}
