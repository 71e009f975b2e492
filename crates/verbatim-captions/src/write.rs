//! Writing WebVTT and SRT: a timed transcript as captions for media players (and OHMS 6).
//!
//! - Each turn's text is cut into cues at sentence ends, and sentences longer than a cue
//!   may hold at word boundaries; a cue is at most two lines of [`CaptionOptions::line`]
//!   characters.
//! - A turn's cues share its time span in proportion to their length: from its start to
//!   its end where the transcript has one, else to the next turn's start, else (the last
//!   turn) at a reading pace of 15 characters a second. When the span is longer than
//!   the cues take to read (10 characters a second, at least 2 s each), they follow
//!   each other at that pace and the rest of the span is silent. The first cue starts
//!   exactly at the turn's start, so reading the captions back gives the same turns and
//!   times.
//! - WebVTT marks every cue with its speaker's voice (`<v Ruth Okafor>`); SRT starts the
//!   first cue of each turn with `Name:`.
//! - Markers and notes are bracketed text (`[laughs]`), as the caption readers read
//!   them; headings and narrative paragraphs become WebVTT `NOTE` blocks (in SRT they
//!   are left out), with a warning.
//! - Turns without a start time share the time between the timed turns around them
//!   (a warning says how many); a transcript with no times at all is refused, since
//!   captions are times.

use std::fmt::Write as _;

use verbatim_model::{Block, Code, Diagnostic, Inline, Timestamp, Transcript, Turn, brackets};

/// Options for [`write_vtt`] and [`write_srt`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CaptionOptions {
    /// Characters per caption line; a cue has at most two. Default 42, as broadcast
    /// guidelines have it.
    pub line: usize,
}

impl Default for CaptionOptions {
    fn default() -> Self {
        CaptionOptions { line: 42 }
    }
}

/// Why captions cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// No turn has a start time.
    #[error(
        "the transcript has no times: captions need a start time on its turns (none of its {0} turn(s) has one)"
    )]
    Untimed(usize),
    /// The output could not be written.
    #[error("cannot write: {0}")]
    Io(String),
}

impl verbatim_model::ToDiagnostic for WriteError {
    fn to_diagnostic(&self) -> Diagnostic {
        let code = match self {
            WriteError::Untimed(_) => Code::WriteFailed,
            WriteError::Io(_) => Code::Io,
        };
        Diagnostic::error(code, None, self.to_string())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavour {
    Vtt,
    Srt,
}

/// One caption: its times, its speaker's name and its text.
struct Cue {
    start: u64,
    end: u64,
    voice: Option<String>,
    text: String,
}

/// Writes WebVTT.
pub fn write_vtt(
    t: &Transcript,
    opts: &CaptionOptions,
    out: &mut dyn std::io::Write,
) -> Result<Vec<Diagnostic>, WriteError> {
    write(t, opts, Flavour::Vtt, out)
}

/// Writes SRT (SubRip).
pub fn write_srt(
    t: &Transcript,
    opts: &CaptionOptions,
    out: &mut dyn std::io::Write,
) -> Result<Vec<Diagnostic>, WriteError> {
    write(t, opts, Flavour::Srt, out)
}

/// What is written in order: cues, and (WebVTT) notes between them.
enum Item {
    Cue(Cue),
    Note(String),
}

fn write(
    t: &Transcript,
    opts: &CaptionOptions,
    flavour: Flavour,
    out: &mut dyn std::io::Write,
) -> Result<Vec<Diagnostic>, WriteError> {
    let turns: Vec<&Turn> = t.turns().collect();
    if !turns.iter().any(|u| u.start.is_some()) {
        return Err(WriteError::Untimed(turns.len()));
    }
    let mut flat: Vec<Flat<'_>> = Vec::new();
    flatten(&t.body, &mut flat);
    // Turns without a start share the time between the turns around them that have one.
    let known: Vec<Option<u64>> = flat
        .iter()
        .map(|f| match f {
            Flat::Turn(u) => u.start.map(Timestamp::millis),
            _ => None,
        })
        .collect();
    let mut starts: Vec<u64> = vec![0; flat.len()];
    let turn_at: Vec<usize> = (0..flat.len())
        .filter(|&i| matches!(flat[i], Flat::Turn(_)))
        .collect();
    let mut prev = 0u64;
    for (j, &i) in turn_at.iter().enumerate() {
        if let Some(s) = known[i] {
            starts[i] = s;
            prev = s;
            continue;
        }
        let run_end = turn_at[j..].iter().position(|&k| known[k].is_some());
        let (steps, next) = match run_end {
            Some(n) => (n + 1, known[turn_at[j + n]].unwrap_or(prev)),
            None => (1, prev),
        };
        let s = prev + next.saturating_sub(prev) / steps as u64;
        starts[i] = s;
        prev = s;
    }
    let mut items = Vec::new();
    let mut estimated = 0usize;
    let mut notes = 0usize;
    let line = opts.line.max(10);
    for (i, f) in flat.iter().enumerate() {
        let turn = match f {
            Flat::Heading(h) | Flat::Narrative(h) => {
                notes += 1;
                let text = brackets::print(h);
                if flavour == Flavour::Vtt && !text.trim().is_empty() {
                    items.push(Item::Note(text));
                }
                continue;
            }
            Flat::Turn(u) => u,
        };
        let start = starts[i];
        if turn.start.is_none() {
            estimated += 1;
        }
        let text: Vec<String> = turn
            .paragraphs
            .iter()
            .map(|p| {
                brackets::print(p)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .filter(|p| !p.is_empty())
            .collect();
        let pieces: Vec<String> = text.iter().flat_map(|p| cues_of(p, 2 * line)).collect();
        let chars: usize = pieces
            .iter()
            .map(|p| p.chars().count())
            .sum::<usize>()
            .max(1);
        let next = (i + 1..flat.len())
            .find(|&k| matches!(flat[k], Flat::Turn(_)))
            .map(|k| starts[k]);
        let end = turn
            .end
            .map(Timestamp::millis)
            .or(next)
            .filter(|&e| e > start)
            .unwrap_or(start + (chars as u64 * 1000 / 15).max(1000));
        let span = end - start;
        let mut done = 0usize;
        let name = t.voices_label(turn);
        // A caption stays up as long as it takes to read (10 characters a second, at
        // least 2 s); a turn with more time than its cues need reads them one after
        // another from its start and leaves the rest silent.
        let reading = |len: usize| (len as u64 * 100).max(2_000);
        let unhurried = span
            >= pieces
                .iter()
                .map(|p| reading(p.chars().count()))
                .sum::<u64>();
        let mut previous_end = start;
        for (k, p) in pieces.iter().enumerate() {
            let len = p.chars().count();
            let (at, cue_end) = if unhurried {
                (previous_end, previous_end + reading(len))
            } else {
                let at = start + span * done as u64 / chars as u64;
                (at, start + span * (done + len) as u64 / chars as u64)
            };
            done += len;
            previous_end = cue_end;
            let text = match flavour {
                Flavour::Srt if k == 0 => format!("{name}: {p}"),
                _ => p.clone(),
            };
            items.push(Item::Cue(Cue {
                start: at,
                end: cue_end.max(at),
                voice: Some(name.clone()),
                text: wrap(&text, line),
            }));
        }
    }
    let mut s = String::new();
    if flavour == Flavour::Vtt {
        s.push_str("WEBVTT\n");
        if let Some(title) = t.metadata.title.as_deref().filter(|x| !x.trim().is_empty()) {
            let _ = write!(s, "\nNOTE\n{}\n", vtt_note(title));
        }
    }
    let mut n = 0;
    for item in &items {
        match item {
            Item::Note(text) => {
                let _ = write!(s, "\nNOTE\n{}\n", vtt_note(text));
            }
            Item::Cue(c) => {
                n += 1;
                match flavour {
                    Flavour::Vtt => {
                        let _ = write!(
                            s,
                            "\n{} --> {}\n<v {}>{}\n",
                            time(c.start, '.'),
                            time(c.end, '.'),
                            escape(c.voice.as_deref().unwrap_or("")).replace('>', "&gt;"),
                            escape(&c.text)
                        );
                    }
                    Flavour::Srt => {
                        let _ = write!(
                            s,
                            "{}{n}\n{} --> {}\n{}\n",
                            if n > 1 { "\n" } else { "" },
                            time(c.start, ','),
                            time(c.end, ','),
                            c.text
                        );
                    }
                }
            }
        }
    }
    out.write_all(s.as_bytes())
        .map_err(|e| WriteError::Io(e.to_string()))?;
    let mut warnings = Vec::new();
    if estimated > 0 {
        warnings.push(Diagnostic::note(
            Code::OutputLossy,
            format!("{estimated} turn(s) without a start time given a share of the time between the turns around them"),
        ));
    }
    if notes > 0 {
        warnings.push(Diagnostic::note(
            Code::OutputLossy,
            match flavour {
                Flavour::Vtt => format!("{notes} heading(s) and narrative paragraph(s) written as NOTE blocks, which players do not show"),
                Flavour::Srt => format!("{notes} heading(s) and narrative paragraph(s) left out: SRT has only cues"),
            },
        ));
    }
    let together = turns.iter().filter(|u| !u.with.is_empty()).count();
    if flavour == Flavour::Srt && together > 0 {
        warnings.push(Diagnostic::note(
            Code::OutputLossy,
            format!("{together} turn(s) said together labelled with all their names (\"A & B:\"), which SRT readers may not take as one turn"),
        ));
    }
    if has_markup(&t.body) {
        warnings.push(Diagnostic::note(
            Code::OutputLossy,
            "emphasis and links written as their text",
        ));
    }
    Ok(warnings)
}

enum Flat<'a> {
    Heading(&'a [Inline]),
    Narrative(&'a [Inline]),
    Turn(&'a Turn),
}

fn flatten<'a>(blocks: &'a [Block], out: &mut Vec<Flat<'a>>) {
    for b in blocks {
        match b {
            Block::Section(s) => {
                out.push(Flat::Heading(&s.heading));
                flatten(&s.blocks, out);
            }
            Block::Paragraph(p) => out.push(Flat::Narrative(&p.content)),
            Block::Turn(u) => out.push(Flat::Turn(u)),
        }
    }
}

fn has_markup(blocks: &[Block]) -> bool {
    fn inl(list: &[Inline]) -> bool {
        list.iter().any(|i| match i {
            Inline::Emphasis { .. } | Inline::Strong { .. } | Inline::Link { .. } => true,
            Inline::Note { content, .. } => inl(content),
            _ => false,
        })
    }
    blocks.iter().any(|b| match b {
        Block::Section(s) => has_markup(&s.blocks),
        Block::Paragraph(_) => false,
        Block::Turn(u) => u.paragraphs.iter().any(|p| inl(p)),
    })
}

/// `hh:mm:ss.mmm` (`,` before the milliseconds in SRT).
fn time(ms: u64, sep: char) -> String {
    format!(
        "{:02}:{:02}:{:02}{sep}{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A NOTE's text: no blank lines and no `-->`, which would end or break the block.
fn vtt_note(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("-->", "—>")
}

/// A paragraph cut into cues of at most `max` characters: at sentence ends, then at
/// word boundaries.
fn cues_of(p: &str, max: usize) -> Vec<String> {
    let mut sentences: Vec<String> = Vec::new();
    let mut current = String::new();
    let words: Vec<&str> = p.split(' ').collect();
    for (i, w) in words.iter().enumerate() {
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(w);
        let next_capital = words
            .get(i + 1)
            .is_some_and(|n| n.starts_with(char::is_uppercase));
        if w.ends_with(['.', '?', '!']) && next_capital {
            sentences.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        sentences.push(current);
    }
    let mut out: Vec<String> = Vec::new();
    for s in sentences {
        if s.chars().count() <= max {
            out.push(s);
            continue;
        }
        let mut piece = String::new();
        for w in s.split(' ') {
            if !piece.is_empty() && piece.chars().count() + 1 + w.chars().count() > max {
                out.push(std::mem::take(&mut piece));
            }
            if !piece.is_empty() {
                piece.push(' ');
            }
            piece.push_str(w);
        }
        if !piece.is_empty() {
            out.push(piece);
        }
    }
    // A cue that opens like a label (`Programmer: Creating …`) would read back as a
    // speaker: words of the cue before go with it until it does not.
    for k in 1..out.len() {
        while looks_like_label(&out[k]) {
            let Some((keep, last)) = out[k - 1].rsplit_once(' ') else {
                break;
            };
            let (keep, last) = (keep.to_string(), last.to_string());
            out[k] = format!("{last} {}", out[k]);
            out[k - 1] = keep;
        }
    }
    out
}

/// Whether text starts as a caption reader would take for a speaker label or tag.
fn looks_like_label(text: &str) -> bool {
    text.starts_with('[')
        || text.starts_with('(')
        || text.starts_with("- ")
        || text.starts_with(">>")
        || verbatim_labels::label::split_label(&[Inline::text(text)]).is_some()
}

/// A cue's text on at most two lines of about `line` characters, broken at a space.
fn wrap(text: &str, line: usize) -> String {
    if text.chars().count() <= line {
        return text.to_string();
    }
    // The space nearest the middle, so the two lines are balanced.
    let half = text.chars().count() / 2;
    let best = text
        .char_indices()
        .filter(|(i, c)| *c == ' ' && !looks_like_label(&text[i + 1..]))
        .map(|(i, _)| (text[..i].chars().count().abs_diff(half), i))
        .min();
    match best {
        Some((_, i)) => format!("{}\n{}", &text[..i], &text[i + 1..]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_then_words_make_cues() {
        let p = "Where were you born? In Porto, in 1961, when the river was still full of boats and nobody had heard of the new bridge. [laughs] Yes.";
        let cues = cues_of(p, 84);
        assert_eq!(cues[0], "Where were you born?");
        assert!(cues.iter().all(|c| c.chars().count() <= 84), "{cues:?}");
        // No cue opens with a bracket, which a reader would take for a speaker tag.
        assert!(cues.iter().all(|c| !c.starts_with('[')), "{cues:?}");
        assert_eq!(
            cues.last().map(String::as_str),
            Some("the new bridge. [laughs] Yes.")
        );
        let c = cues_of(
            "We met there. Programmer: Creating a Remarkable Career is the book.",
            30,
        );
        assert!(c.iter().skip(1).all(|c| !looks_like_label(c)), "{c:?}");
        assert_eq!(wrap("one two three four", 10), "one two\nthree four");
        assert_eq!(time(3_723_004, ','), "01:02:03,004");
    }
}
