//! Web page chrome: navigation and "Read more" links of a captured page.

use verbatim_model::{Code, Inline};

use crate::Log;
use crate::names;
use crate::paragraphs::{Line, Para, Style};
use crate::text::{NAV, READ_MORE, ends_with_punctuation, flat, norm, trim_inlines};

/// Trims page navigation at the start and end of a text and "Read more" links anywhere,
/// each with a warning.
pub(crate) fn trim(paras: &mut Vec<Para>, a: &mut Log) {
    let trim_line = |a: &mut Log, l: &Line, why: &str| {
        a.warn(
            Code::TextDropped,
            (l.line, l.column),
            format!(
                "\"{}\" trimmed: {why}",
                names::excerpt(&flat(&l.content), 60)
            ),
        );
    };
    // "Read more" lines anywhere, and at the end of a paragraph.
    for p in paras.iter_mut() {
        if p.style != Style::Body {
            continue;
        }
        let mut kept = Vec::new();
        for mut l in std::mem::take(&mut p.lines) {
            if READ_MORE.contains(&norm(&flat(&l.content)).as_str()) {
                trim_line(a, &l, "a link to another page");
                continue;
            }
            let total = flat(&l.content).chars().count();
            if let Some(Inline::Text { text }) = l.content.last_mut()
                && let Some(cut) = read_more_suffix(text)
            {
                let col = l.column + total - text[cut..].chars().count();
                a.warn(
                    Code::TextDropped,
                    (l.line, col),
                    format!("\"{}\" trimmed: a link to another page", text[cut..].trim()),
                );
                text.truncate(cut);
                trim_inlines(&mut l.content);
            }
            kept.push(l);
        }
        p.lines = kept;
    }
    paras.retain(|p| !p.lines.is_empty());
    // Navigation at the start and at the end.
    for from_end in [false, true] {
        loop {
            let idx = if from_end {
                paras.len().checked_sub(1)
            } else {
                (!paras.is_empty()).then_some(0)
            };
            let Some(i) = idx else { break };
            if paras[i].style != Style::Body {
                break;
            }
            let li = if from_end {
                paras[i].lines.len() - 1
            } else {
                0
            };
            let l = &paras[i].lines[li];
            if !NAV.contains(&norm(&flat(&l.content)).as_str()) {
                break;
            }
            let l = paras[i].lines.remove(li);
            trim_line(a, &l, "page navigation");
            if paras[i].lines.is_empty() {
                paras.remove(i);
            }
        }
    }
}

/// Where a trailing "Read more" starts in a paragraph's last text, after a sentence.
fn read_more_suffix(text: &str) -> Option<usize> {
    let lower = text.to_lowercase();
    for phrase in READ_MORE {
        let stripped = lower
            .trim_end()
            .trim_end_matches(['»', '›', '>', '→', '…', '.']);
        if let Some(before) = stripped.strip_suffix(phrase)
            && before.ends_with(char::is_whitespace)
            && ends_with_punctuation(before.trim_end())
        {
            // Lower-casing can change byte lengths; map back through characters.
            let chars = before.trim_end().chars().count();
            return text.char_indices().nth(chars).map(|(i, _)| i);
        }
    }
    None
}
