//! Reading labelled plain text.

use unicode_width::UnicodeWidthStr;
use verbatim_labels::{Line, Para, Style};
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
            underlined(&mut paras, &mut current);
            flush(&mut paras, &mut current, false);
            continue;
        }
        current.push(Line::text(line, column, text));
        if one_per_line {
            flush(&mut paras, &mut current, true);
        }
    }
    underlined(&mut paras, &mut current);
    flush(&mut paras, &mut current, false);
    paras
}

/// A line over a line of `=`, `-`, `~` or `.`, as the text writer marks the title and
/// its sections' levels (and people underline headings): the first `=` is the title,
/// further ones and `-` are top-level headings, `~` and `.` the levels below. The rule
/// must be as wide as the line above (`=` and `-` within three characters, as people
/// type them): a short `-----` under a turn is a separator, not an underline.
fn underlined(paras: &mut Vec<Para>, current: &mut Vec<Line>) {
    let [head, rule] = current.as_slice() else {
        return;
    };
    let text = |l: &Line| verbatim_model::plain_text(&l.content);
    let (head_text, rule_text) = (text(head), text(rule));
    let Some(c) = rule_text.chars().next() else {
        return;
    };
    let n = rule_text.chars().count();
    let width = head_text.width().max(1);
    let same_width = n == width;
    // A sentence over a near rule (`A: No.` over `---`) is a turn before a separator.
    let near_width =
        n >= 3 && (same_width || (n.abs_diff(width) <= 3 && !head_text.ends_with(['.', '?', '!'])));
    let uniform = rule_text.chars().all(|x| x == c);
    let style = match c {
        '=' | '-' if uniform && near_width => {
            // Only the first paragraph can be the title.
            if c == '=' && paras.is_empty() {
                Style::Title
            } else {
                Style::Heading(1)
            }
        }
        '~' if uniform && same_width => Style::Heading(2),
        '.' if uniform && same_width && n >= 3 => Style::Heading(3),
        _ => return,
    };
    let head = current.remove(0);
    current.clear();
    let mut p = Para::body(vec![head]);
    p.style = style;
    paras.push(p);
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
