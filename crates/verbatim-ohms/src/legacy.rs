//! The legacy flavour's `<transcript>`: labelled text (`BROCK:`), footnote markers and
//! their block, and `<sync>`'s minute marks turned into turn start times.

use verbatim_labels::{Line, Para};
use verbatim_model::{Code, Diagnostic, Timestamp};

/// The transcript's paragraphs, with a start time on each paragraph that opens with a
/// label, and the warnings about what was estimated or dropped.
pub struct Paragraphs {
    pub paras: Vec<Para>,
    pub warnings: Vec<Diagnostic>,
}

/// `at` is where the transcript's text starts in the file.
pub fn paragraphs(
    text: &str,
    at: (usize, usize),
    sync: Option<(&str, (usize, usize))>,
    duration: Option<Timestamp>,
) -> Paragraphs {
    let mut warnings = Vec::new();
    let (text, notes) = footnotes(text, at, &mut warnings);
    let lines: Vec<&str> = text.split('\n').collect();
    // Words before each line, counted as OHMS counts them for <sync>: by spaces.
    let mut before = Vec::with_capacity(lines.len() + 1);
    let mut total = 0usize;
    for l in &lines {
        before.push(total);
        total += l.split_whitespace().count();
    }
    let anchors = sync.and_then(|(s, sync_at)| {
        let a = anchors(s, &before, total, duration);
        match &a {
            Some(points) if points.len() > 1 => warnings.push(Diagnostic::warning(
                Code::TimeGuessed,
                sync_at.0,
                sync_at.1,
                format!(
                    "turn start times estimated between <sync>'s {} time marks{} by word count (each within the interval between marks)",
                    s.split('|').skip(1).filter(|m| !m.trim().is_empty()).count(),
                    if duration.is_some() { " and the duration" } else { "" }
                ),
            )),
            Some(_) => {}
            None => warnings.push(Diagnostic::warning(
                Code::TimeInvalid,
                sync_at.0,
                sync_at.1,
                "<sync> is not \"N:|LINE(WORD)|…\"; turns have no start times".to_string(),
            )),
        }
        a
    });
    let mut paras: Vec<Para> = Vec::new();
    let mut current: Vec<Line> = Vec::new();
    let flush = |paras: &mut Vec<Para>, current: &mut Vec<Line>| {
        if !current.is_empty() {
            paras.push(Para::body(std::mem::take(current)));
        }
    };
    for (i, raw) in lines.iter().enumerate() {
        let line_no = at.0 + i;
        let indent = raw.chars().take_while(|c| c.is_whitespace()).count();
        let column = if i == 0 { at.1 + indent } else { indent + 1 };
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            flush(&mut paras, &mut current);
            continue;
        }
        current.push(Line::text(line_no, column, &with_notes(trimmed, &notes)));
    }
    flush(&mut paras, &mut current);
    let (mut paras, mut split) = verbatim_labels::split_inline_labels(paras);
    warnings.append(&mut split);
    // A turn's time: at the word where its label stands.
    if let Some(points) = &anchors {
        for p in &mut paras {
            let Some(first) = p.lines.first_mut() else {
                continue;
            };
            if verbatim_labels::label::split_label(&first.content).is_none() {
                continue;
            }
            let i = first.line - at.0;
            let base = if i == 0 { at.1 } else { 1 };
            let into = lines.get(i).map_or(0, |raw| {
                let prefix: String = raw
                    .chars()
                    .take(first.column.saturating_sub(base))
                    .collect();
                prefix.split_whitespace().count()
            });
            first.time = Some(time_at(points, before[i] + into));
        }
    }
    Paragraphs { paras, warnings }
}

/// The `[[footnotes]]…[[/footnotes]]` block's `[[note]]…[[/note]]` texts; the block is
/// blanked (its lines kept, so line numbers and word counts stay).
fn footnotes(
    text: &str,
    at: (usize, usize),
    warnings: &mut Vec<Diagnostic>,
) -> (String, Vec<String>) {
    let Some(open) = text.find("[[footnotes]]") else {
        return (text.to_string(), Vec::new());
    };
    let close = text[open..]
        .find("[[/footnotes]]")
        .map_or(text.len(), |c| open + c + "[[/footnotes]]".len());
    let block = &text[open..close];
    let mut notes = Vec::new();
    let mut rest = block;
    while let Some(s) = rest.find("[[note]]") {
        let after = &rest[s + "[[note]]".len()..];
        let end = after.find("[[/note]]").unwrap_or(after.len());
        notes.push(
            after[..end]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        );
        rest = &after[end..];
    }
    if notes.is_empty() && !block.trim().is_empty() {
        let line = at.0 + text[..open].matches('\n').count();
        warnings.push(Diagnostic::warning(
            Code::TextDropped,
            line,
            1,
            "a [[footnotes]] block without [[note]] entries left out".to_string(),
        ));
    }
    let blank: String = block
        .chars()
        .map(|c| if c == '\n' { '\n' } else { ' ' })
        .collect();
    (format!("{}{blank}{}", &text[..open], &text[close..]), notes)
}

/// A line with each `[[footnote]]N[[/footnote]]` replaced by the note in brackets, as the
/// label engine reads editorial notes.
fn with_notes(line: &str, notes: &[String]) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(s) = rest.find("[[footnote]]") {
        out.push_str(&rest[..s]);
        let after = &rest[s + "[[footnote]]".len()..];
        let end = after.find("[[/footnote]]").unwrap_or(after.len());
        let n = after[..end].trim();
        let note = n
            .parse::<usize>()
            .ok()
            .and_then(|i| notes.get(i.wrapping_sub(1)))
            .map_or_else(|| format!("note {n}"), Clone::clone);
        out.push('[');
        out.push_str(&note.replace('[', "(").replace(']', ")"));
        out.push(']');
        rest = after.get(end + "[[/footnote]]".len()..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// (word index, time) pairs from `N:|L(W)|…`: the k-th mark is at k·N minutes, at word W
/// of line L (both 1-based); the start is word 0 at 0; the duration, if later, closes.
fn anchors(
    sync: &str,
    before: &[usize],
    total: usize,
    duration: Option<Timestamp>,
) -> Option<Vec<(usize, u64)>> {
    let mut parts = sync.trim().split('|');
    let minutes: u64 = parts
        .next()?
        .trim()
        .strip_suffix(':')?
        .trim()
        .parse()
        .ok()?;
    if minutes == 0 {
        return None;
    }
    let mut points = vec![(0usize, 0u64)];
    for (k, p) in parts.filter(|p| !p.trim().is_empty()).enumerate() {
        let (line, word) = p.trim().strip_suffix(')')?.split_once('(')?;
        let (line, word): (usize, usize) = (line.parse().ok()?, word.parse().ok()?);
        let idx = before.get(line.checked_sub(1)?)? + word.saturating_sub(1);
        let ms = (k as u64 + 1) * minutes * 60_000;
        // Marks that go back are skipped: the rest still place the turns.
        if idx > points.last()?.0 {
            points.push((idx, ms));
        }
    }
    if let Some(d) = duration
        && d.millis() > points.last()?.1
        && total > points.last()?.0
    {
        points.push((total, d.millis()));
    }
    Some(points)
}

/// The time at a word, interpolated between the marks around it, to the second.
fn time_at(points: &[(usize, u64)], word: usize) -> Timestamp {
    let i = points.partition_point(|p| p.0 <= word);
    let (a, b) = (points[i.saturating_sub(1)], points.get(i).copied());
    let ms = match b {
        Some(b) if b.0 > a.0 => {
            let span = (b.0 - a.0) as u64;
            a.1 + (b.1 - a.1) * (word - a.0) as u64 / span
        }
        _ => a.1,
    };
    Timestamp::from_millis(ms / 1000 * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sync_marks_give_times_by_word_count() {
        // Line 1: 4 words, line 2: 4 words; the 1-minute mark is at line 2, word 1.
        let text = "A: one two three\nB: four five six\n\nA: seven";
        let p = paragraphs(text, (10, 20), Some(("1:|2(1)", (5, 3))), None);
        let times: Vec<Option<u64>> = p
            .paras
            .iter()
            .map(|p| p.lines[0].time.map(Timestamp::millis))
            .collect();
        // The second paragraph starts after 8 words, past the last mark: its time.
        assert_eq!(times, [Some(0), Some(60_000)]);
        assert_eq!(p.paras[0].lines[0].line, 10);
        assert_eq!(p.paras[0].lines[0].column, 20);
        assert_eq!(p.paras[1].lines[0].line, 13);
        assert_eq!(p.warnings[0].code, Code::TimeGuessed);
        // With a duration after the last mark, later turns are placed between them.
        let p = paragraphs(
            text,
            (1, 1),
            Some(("1:|2(1)", (5, 3))),
            Some(Timestamp::from_millis(180_000)),
        );
        // Word 8 of 10: two thirds of the way from 1:00 to 3:00.
        assert_eq!(
            p.paras[1].lines[0].time,
            Some(Timestamp::from_millis(140_000))
        );
    }

    #[test]
    fn footnotes_become_notes_where_they_are_called() {
        let text = "A: The mill[[footnote]]1[[/footnote]] closed.\n\n[[footnotes]]\n[[note]]In 1988 [see map].[[/note]]\n[[/footnotes]]";
        let p = paragraphs(text, (1, 1), None, None);
        assert_eq!(p.paras.len(), 1);
        assert_eq!(
            verbatim_model::plain_text(&p.paras[0].lines[0].content),
            "A: The mill[In 1988 (see map).] closed."
        );
    }

    #[test]
    fn a_sync_that_does_not_read_is_said() {
        let p = paragraphs("A: x", (1, 1), Some(("every minute", (2, 4))), None);
        assert_eq!(p.warnings[0].code, Code::TimeInvalid);
        assert_eq!(p.paras[0].lines[0].time, None);
    }
}
