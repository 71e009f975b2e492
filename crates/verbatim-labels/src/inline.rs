//! A turn that begins in the middle of a line: `… the number of students? DUARTE: There
//! were …`, where the source lost a paragraph break. A capitals label that opens other
//! paragraphs of the file, found after a sentence end inside a line, starts a new
//! paragraph there, with a warning.

use std::collections::BTreeMap;

use verbatim_model::{Code, Diagnostic, Inline};

use crate::{Line, Para};

/// How often a label must open a paragraph elsewhere to be taken in mid-line.
const SEEN: usize = 2;

/// A label in capitals at the start of `text` (`DUARTE`, `MARY ANN`, `O'NEILL`).
fn caps_label(text: &str) -> Option<&str> {
    let (label, _) = text.split_once(':')?;
    let letters = label.chars().filter(|c| c.is_alphabetic()).count();
    let ok = (2..=40).contains(&label.chars().count())
        && letters >= 2
        && label
            .chars()
            .all(|c| c.is_uppercase() || matches!(c, ' ' | '.' | '\'' | '’' | '-'))
        && label.starts_with(char::is_uppercase);
    ok.then_some(label)
}

fn plain_line(l: &Line) -> Option<&str> {
    match l.content.as_slice() {
        [Inline::Text { text }] => Some(text),
        _ => None,
    }
}

/// Splits paragraphs where a known capitals label starts a turn mid-line.
pub fn split_inline_labels(paras: Vec<Para>) -> (Vec<Para>, Vec<Diagnostic>) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for p in &paras {
        if let Some(label) = p.lines.first().and_then(plain_line).and_then(caps_label) {
            *seen.entry(label.to_string()).or_default() += 1;
        }
    }
    let known: Vec<&str> = seen
        .iter()
        .filter(|(_, n)| **n >= SEEN)
        .map(|(l, _)| l.as_str())
        .collect();
    let mut warnings = Vec::new();
    if known.is_empty() {
        return (paras, warnings);
    }
    let mut out = Vec::with_capacity(paras.len());
    for mut p in paras {
        let lines = std::mem::take(&mut p.lines);
        let mut current = p.clone();
        for line in lines {
            let mut line = line;
            while let Some((cut, label)) = plain_line(&line).and_then(|t| find(t, &known)) {
                let text = plain_line(&line).unwrap_or_default().to_string();
                let (before, after) = (text[..cut].trim_end(), &text[cut..]);
                let column = line.column + text[..cut].chars().count();
                warnings.push(Diagnostic::warning(
                    Code::LabelGuessed,
                    line.line,
                    column,
                    format!(
                        "\"{label}:\" in the middle of a line taken as the start of a turn (it opens {} other paragraphs)",
                        seen.get(label).copied().unwrap_or(0)
                    ),
                ));
                current.lines.push(Line {
                    content: vec![Inline::text(before)],
                    ..line.clone()
                });
                out.push(std::mem::replace(
                    &mut current,
                    Para {
                        lines: Vec::new(),
                        indented: false,
                        time: None,
                        runs_on: false,
                        ..p.clone()
                    },
                ));
                line = Line {
                    column,
                    content: vec![Inline::text(after)],
                    time: None,
                    ..line
                };
            }
            current.lines.push(line);
        }
        out.push(current);
    }
    (out, warnings)
}

/// The first `LABEL:` of `known` after a sentence end in `text` (not at its start).
fn find<'a>(text: &str, known: &[&'a str]) -> Option<(usize, &'a str)> {
    known
        .iter()
        .filter_map(|label| {
            let needle = format!("{label}: ");
            text.match_indices(&needle)
                .find(|(i, _)| {
                    // `[00:01:12] LOPES:` is a timed label, not a turn inside a line.
                    let timed = crate::label::timestamp_prefix(&text[..*i])
                        .is_some_and(|(_, end)| text[end..*i].trim().is_empty());
                    *i > 0
                        && !timed
                        && text[..*i].ends_with(' ')
                        && text[..*i]
                            .trim_end()
                            .ends_with(['.', '?', '!', '"', '”', ')', ']'])
                })
                .map(|(i, _)| (i, *label))
        })
        .min_by_key(|(i, _)| *i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(line: usize, text: &str) -> Para {
        Para::body(vec![Line::text(line, 1, text)])
    }

    #[test]
    fn a_known_label_after_a_sentence_starts_a_turn() {
        let paras = vec![
            para(1, "BROCK: Where?"),
            para(3, "DUARTE: Here."),
            para(
                5,
                "BROCK: Could you describe the school? DUARTE: There were few of us.",
            ),
            para(7, "DUARTE: And more."),
        ];
        let (out, warnings) = split_inline_labels(paras);
        let texts: Vec<String> = out.iter().map(Para::text).collect();
        assert_eq!(
            texts,
            [
                "BROCK: Where?",
                "DUARTE: Here.",
                "BROCK: Could you describe the school?",
                "DUARTE: There were few of us.",
                "DUARTE: And more."
            ]
        );
        assert_eq!(out[3].at(), (5, 39));
        assert_eq!(warnings.len(), 1);
        assert_eq!((warnings[0].line(), warnings[0].column()), (5, 39));
    }

    #[test]
    fn labels_used_once_or_not_after_a_sentence_stay_text() {
        let paras = vec![
            para(1, "BROCK: He said NOTE: this is fine. SMITH: no."),
            para(3, "DUARTE: Here."),
            para(5, "BROCK: Ask DUARTE: he knows."),
            para(6, "[00:01:12] DUARTE: Timed."),
            para(7, "DUARTE: Yes."),
        ];
        let (out, warnings) = split_inline_labels(paras.clone());
        assert_eq!(out, paras);
        assert!(warnings.is_empty());
    }
}
