//! The input of the engine: paragraphs of lines, as the plain-text, Word and caption
//! readers give them, and their first clean-up.

use verbatim_model::{Inline, Timestamp};

use crate::label::timestamp_prefix;
use crate::text::{flat, trim_inlines};

/// One source line of a paragraph (a `w:br`-separated part in Word, a caption line).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    /// 1-based line in the source (a paragraph number for Word).
    pub line: usize,
    /// 1-based column where the text starts.
    pub column: usize,
    /// The line's content; brackets are still plain text.
    pub content: Vec<Inline>,
    /// When it was said (a caption cue's start).
    pub time: Option<Timestamp>,
    /// When saying it ended (a caption cue's end).
    pub end: Option<Timestamp>,
    /// The speaker the markup names (a WebVTT `<v>` tag): a label beyond doubt.
    pub voice: Option<String>,
    /// A label the reader found by its format's conventions (a caption's `[Maria]` or
    /// `(Dana Bettinger)`), weighed like a written label.
    pub label: Option<String>,
    /// It starts with a dialogue dash (`- `, `>>`): someone else speaks from here.
    pub dash: bool,
}

impl Line {
    /// A line of plain text.
    pub fn text(line: usize, column: usize, text: &str) -> Line {
        Line {
            line,
            column,
            content: vec![Inline::text(text)],
            ..Line::default()
        }
    }
}

/// What the source says a paragraph is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Ordinary text: a turn, narrative, or a heading the heuristics find.
    Body,
    /// A heading of this level (1 = top) marked as such in the source.
    Heading(u8),
    /// The document title.
    Title,
    /// The subtitle.
    Subtitle,
}

/// A paragraph: lines that belong together.
#[derive(Debug, Clone, PartialEq)]
pub struct Para {
    /// Its lines, in order.
    pub lines: Vec<Line>,
    /// Its style.
    pub style: Style,
    /// It starts indented (a tab or a first-line indent in Word, leading spaces in
    /// text): in a transcript, a paragraph that carries on the turn before it.
    pub indented: bool,
    /// A time written on a line of its own just before the paragraph (`[00:00:47]`).
    pub time: Option<Timestamp>,
    /// One line of a text written a segment per line (speech-to-text output): the same
    /// speaker's next line carries on the same paragraph.
    pub segment: bool,
    /// Its text runs on from the paragraph before (a caption cue without a long pause
    /// before it): when the speaker goes on, so does the model's paragraph.
    pub runs_on: bool,
}

impl Para {
    /// A body paragraph of these lines.
    pub fn body(lines: Vec<Line>) -> Para {
        Para {
            lines,
            style: Style::Body,
            indented: false,
            time: None,
            segment: false,
            runs_on: false,
        }
    }

    /// Where it starts.
    pub fn at(&self) -> (usize, usize) {
        self.lines.first().map_or((1, 1), |l| (l.line, l.column))
    }

    /// Its text, lines joined by spaces.
    pub fn text(&self) -> String {
        self.lines
            .iter()
            .map(|l| flat(&l.content))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Trims the lines' edges, drops empty lines and paragraphs, and attaches a time that
/// stands alone (a line or paragraph of only `[00:00:47]`) to what follows it.
pub(crate) fn prepare(paras: &mut Vec<Para>) {
    for p in paras.iter_mut() {
        for l in &mut p.lines {
            trim_inlines(&mut l.content);
        }
        p.lines.retain(|l| !l.content.is_empty());
    }
    paras.retain(|p| !p.lines.is_empty());
    let mut out: Vec<Para> = Vec::with_capacity(paras.len());
    let mut pending: Option<Timestamp> = None;
    for mut p in std::mem::take(paras) {
        if p.style == Style::Body {
            // Leading lines that are only a time.
            while p.lines.len() > 1 && lone_time(&p.lines[0]).is_some() {
                pending = lone_time(&p.lines[0]);
                p.lines.remove(0);
            }
            if p.lines.len() == 1
                && let Some(t) = lone_time(&p.lines[0])
            {
                pending = Some(t);
                continue;
            }
        }
        if let Some(t) = pending.take() {
            p.time.get_or_insert(t);
        }
        out.push(p);
    }
    *paras = out;
}

/// Joins a label Word split over two paragraphs (`JOHN R.` / `MILLER ’71: Today is …`):
/// a paragraph of a name in capitals that ends in an initial, followed by one that
/// starts with a label in capitals that, with that name before it, is still a label.
pub(crate) fn join_split_labels(paras: &mut Vec<Para>, log: &mut crate::Log) {
    let mut i = 0;
    while i + 1 < paras.len() {
        let joined = split_label_of(&paras[i], &paras[i + 1]);
        if let Some((text, label)) = joined {
            let head = paras.remove(i);
            let at = head.at();
            let next = &mut paras[i];
            let first = &mut next.lines[0];
            first.content.insert(0, Inline::text(format!("{text} ")));
            first.line = head.lines[0].line;
            first.column = head.lines[0].column;
            first.content = crate::brackets::merge_text(std::mem::take(&mut first.content));
            log.warn(
                verbatim_model::Code::LabelGuessed,
                at,
                format!("\"{text}\" and the next paragraph's label read as one label, \"{label}\""),
            );
        }
        i += 1;
    }
}

fn split_label_of(head: &Para, next: &Para) -> Option<(String, String)> {
    if head.style != Style::Body || next.style != Style::Body || head.lines.len() != 1 {
        return None;
    }
    let text = flat(&head.lines[0].content);
    let text = text.trim();
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty()
        || words.len() > 3
        || text.contains(':')
        || !crate::names::is_upper(text)
        || !words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
        || !words
            .last()
            .is_some_and(|w| w.chars().count() == 2 && w.ends_with('.'))
    {
        return None;
    }
    let first = next.lines.first()?;
    let l = crate::label::split_label(&first.content)?;
    if l.start.is_some() || l.label.kind != crate::label::LabelKind::UpperName {
        return None;
    }
    let both = format!("{text} {}", l.label.text);
    let whole = crate::label::classify(&both)?;
    (whole.kind == crate::label::LabelKind::UpperName).then_some((text.to_string(), both))
}

/// The time a line holds when it holds nothing else.
fn lone_time(l: &Line) -> Option<Timestamp> {
    let text = flat(&l.content);
    let t = text.trim();
    let (ts, n) = timestamp_prefix(t)?;
    (n == t.len()).then_some(ts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_times_attach_to_the_next_paragraph() {
        let mut paras = vec![
            Para::body(vec![Line::text(1, 1, "[00:00:05]")]),
            Para::body(vec![Line::text(2, 1, "SCHNEIDER: Okay.")]),
            Para::body(vec![
                Line::text(4, 1, "[00:00:47]"),
                Line::text(5, 1, "ISAACS: Sure."),
            ]),
            Para::body(vec![Line::text(7, 1, "  "), Line::text(8, 1, "plain")]),
        ];
        prepare(&mut paras);
        assert_eq!(paras.len(), 3);
        assert_eq!(paras[0].time.map(|t| t.millis()), Some(5_000));
        assert_eq!(paras[1].time.map(|t| t.millis()), Some(47_000));
        assert_eq!(paras[1].lines.len(), 1);
        assert_eq!(paras[2].time, None);
        assert_eq!(paras[2].lines.len(), 1);
    }
}
