//! Captions (WebVTT, SRT, and the WebVTT inside OHMS exports) as the label engine's
//! paragraphs: cues found as the WebVTT parser finds them, their payload's voices, tags,
//! dashes and sounds, then [`crate::assemble_with`] with every word taken as speech. The
//! rules are documented by the `verbatim-captions` crate, whose readers these are.

mod cue;
mod payload;

use crate::{Line, Para};
use verbatim_model::{
    Code, Diagnostic, HasCode, Inline, InputError, LanguageTag, Metadata, ModelError, Parsed,
    Speakers, Timestamp, Transcript,
};

use cue::{Cue, Flavour};

/// A caption file that cannot be read, with its 1-based line and column.
pub type Error = verbatim_model::Located<ErrorKind>;

/// What is wrong with a caption file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The bytes are not text, or break a limit.
    #[error(transparent)]
    Input(InputError),
    /// A cue time that is not `hh:mm:ss.mmm` (or `mm:ss.mmm`).
    #[error("\"{0}\" is not a cue time (expected hh:mm:ss.mmm, such as 00:01:02.500)")]
    BadTime(String),
    /// A line that should give a cue's times but does not.
    #[error("expected cue times \"start --> end\", found \"{0}\"")]
    BadTiming(String),
    /// No cue with text.
    #[error(
        "no cues with text found: a caption file needs \"start --> end\" lines, each followed by text"
    )]
    NoCues,
    /// The captions gave a transcript that breaks a model invariant.
    #[error("{0}")]
    Model(ModelError),
}

impl HasCode for ErrorKind {
    fn code(&self) -> Code {
        match self {
            ErrorKind::Input(e) => e.code(),
            ErrorKind::BadTime(_) | ErrorKind::BadTiming(_) => Code::Syntax,
            ErrorKind::NoCues => Code::Empty,
            ErrorKind::Model(_) => Code::Model,
        }
    }
}

/// Reads WebVTT captions from text.
pub fn read_vtt_str(src: &str) -> Result<Parsed<Transcript>, Error> {
    read_vtt_text(src, &Speakers::default())
}

/// Reads SRT (SubRip) captions from text.
pub fn read_srt_str(src: &str) -> Result<Parsed<Transcript>, Error> {
    read_srt_text(src, &Speakers::default())
}

/// Reads WebVTT captions from text, with what the user says of the speakers.
pub fn read_vtt_text(src: &str, speakers: &Speakers) -> Result<Parsed<Transcript>, Error> {
    read_vtt_with(src, Metadata::default(), speakers)
}

/// Reads WebVTT captions from text into what a container already knows (an OHMS
/// record's title, date, people); a `Language:` header fills a language left open.
pub fn read_vtt_with(
    src: &str,
    mut metadata: Metadata,
    speakers: &Speakers,
) -> Result<Parsed<Transcript>, Error> {
    let (cues, header, warnings) = cue::parse(src, Flavour::Vtt)?;
    for (key, value) in header {
        if key.eq_ignore_ascii_case("language") && metadata.language.is_none() {
            metadata.language = LanguageTag::from_name_or_tag(&value);
        }
    }
    build(cues, Flavour::Vtt, metadata, speakers, warnings)
}

/// Reads SRT captions from text, with what the user says of the speakers.
pub fn read_srt_text(src: &str, speakers: &Speakers) -> Result<Parsed<Transcript>, Error> {
    let (cues, _, warnings) = cue::parse(src, Flavour::Srt)?;
    build(cues, Flavour::Srt, Metadata::default(), speakers, warnings)
}

/// A pause this long between cues starts a new paragraph.
const PAUSE_MS: u64 = 2_000;
/// A paragraph this long ends at the next sentence end.
const LONG_PARAGRAPH: usize = 800;

fn build(
    cues: Vec<Cue>,
    flavour: Flavour,
    metadata: Metadata,
    speakers: &Speakers,
    mut warnings: Vec<Diagnostic>,
) -> Result<Parsed<Transcript>, Error> {
    let mut paras: Vec<Para> = Vec::new();
    let mut pending = payload::Pending::default();
    let mut previous: Vec<String> = Vec::new();
    let mut previous_voice: Option<String> = None;
    let mut last_end: Option<Timestamp> = None;
    let mut repeated: Option<((usize, usize), usize)> = None;
    let mut length = 0usize;
    // Each cue's text is let go once its lines are made.
    for c in cues {
        let mut groups = payload::lines(&c, flavour, &mut pending, &mut warnings);
        // Rolling captions: the lines the cue before ended with, shown again.
        let texts: Vec<String> = groups.iter().flatten().map(plain).collect();
        // Another voice saying the same words is an echo, not a repeated caption.
        let voice = groups.iter().flatten().find_map(|l| l.voice.clone());
        let same_voice = voice == previous_voice;
        let k = (1..=texts.len().min(previous.len()))
            .rev()
            .find(|&k| same_voice && texts[..k] == previous[previous.len() - k..])
            .unwrap_or(0);
        if k > 0 {
            let at = groups
                .iter()
                .flatten()
                .next()
                .map_or((c.line, 1), |l| (l.line, l.column));
            let r = repeated.get_or_insert((at, 0));
            r.1 += k;
            drop_lines(&mut groups, k);
            // A cue that only repeats still shows the words until its end.
            if groups.is_empty()
                && let Some(last) = paras.last_mut().and_then(|p| p.lines.last_mut())
                && last.end.is_some()
            {
                last.end = Some(c.end);
            }
        }
        if !texts.is_empty() {
            previous = texts;
            previous_voice = voice;
        }
        let pause = last_end.is_some_and(|e| c.start.millis() >= e.millis() + PAUSE_MS);
        last_end = Some(c.end);
        for (gi, mut lines) in groups.into_iter().enumerate() {
            if lines.iter().any(starts_turn) {
                length = 0;
            }
            let sentence_ended = paras
                .last()
                .and_then(|p| p.lines.last())
                .is_some_and(|l| plain(l).ends_with(['.', '?', '!', '"', '”']));
            let long = length >= LONG_PARAGRAPH;
            let runs_on = gi == 0 && !pause && !(long && sentence_ended);
            // A long paragraph ends at a sentence end inside the cue.
            let rest = (runs_on && long)
                .then(|| split_at_sentence(&mut lines))
                .flatten();
            if !runs_on {
                length = 0;
            }
            length += lines.iter().map(|l| plain(l).len() + 1).sum::<usize>();
            let mut p = Para::body(lines);
            p.runs_on = runs_on;
            paras.push(p);
            if let Some(rest) = rest {
                length = rest.iter().map(|l| plain(l).len() + 1).sum::<usize>();
                paras.push(Para::body(rest));
            }
        }
    }
    if let Some((at, n)) = repeated {
        warnings.push(Diagnostic::warning(
            Code::TextDropped,
            at.0,
            at.1,
            format!("{n} caption line(s) that repeat the cue before dropped (rolling captions)"),
        ));
    }
    if paras.is_empty() {
        return Err(Error {
            line: 1,
            column: 1,
            kind: ErrorKind::NoCues,
        });
    }
    let options = crate::Options { speech: true };
    let mut parsed =
        crate::assemble_with(paras, metadata, speakers, options).map_err(|e| Error {
            line: e.line,
            column: e.column,
            kind: ErrorKind::Model(e.kind),
        })?;
    if parsed.value.turns().next().is_none() {
        return Err(Error {
            line: 1,
            column: 1,
            kind: ErrorKind::NoCues,
        });
    }
    warnings.append(&mut parsed.warnings);
    warnings.sort_by_key(|w| (w.line(), w.column()));
    parsed.warnings = warnings;
    Ok(parsed)
}

fn plain(l: &Line) -> String {
    verbatim_model::plain_text(&l.content).trim().to_string()
}

/// Whether a line may start a turn: a voice, a tag, a dash or a written label.
fn starts_turn(l: &Line) -> bool {
    l.voice.is_some()
        || l.label.is_some()
        || l.dash
        || crate::label::split_label(&l.content).is_some()
}

/// Splits the lines after the first sentence end (`. ` before a capital) in their
/// text; gives the lines after it, if there is one.
fn split_at_sentence(lines: &mut Vec<Line>) -> Option<Vec<Line>> {
    for li in 0..lines.len() {
        if starts_turn(&lines[li]) && li > 0 {
            return None;
        }
        for ii in 0..lines[li].content.len() {
            let Inline::Text { text } = &lines[li].content[ii] else {
                continue;
            };
            let cut = text.char_indices().find_map(|(i, c)| {
                let after = &text[i + c.len_utf8()..];
                (matches!(c, '.' | '?' | '!')
                    && after.starts_with(' ')
                    && after.trim_start().starts_with(char::is_uppercase))
                .then_some(i + c.len_utf8())
            })?;
            let (left, right) = (
                text[..cut].to_string(),
                text[cut..].trim_start().to_string(),
            );
            let line = &mut lines[li];
            let mut tail: Vec<Inline> = line.content.split_off(ii + 1);
            line.content[ii] = Inline::text(left);
            tail.insert(0, Inline::text(right));
            let mut first = Line {
                content: tail,
                time: None,
                voice: None,
                label: None,
                dash: false,
                ..line.clone()
            };
            first.end = line.end.take();
            let mut rest = vec![first];
            rest.extend(lines.drain(li + 1..));
            return Some(rest);
        }
    }
    None
}

/// Drops the first `k` lines of a cue (the start and end times stay with the cue).
fn drop_lines(groups: &mut Vec<Vec<Line>>, mut k: usize) {
    let start = groups.first().and_then(|g| g.first()).and_then(|l| l.time);
    for g in groups.iter_mut() {
        let n = k.min(g.len());
        g.drain(..n);
        k -= n;
    }
    groups.retain(|g| !g.is_empty());
    if let Some(first) = groups.first_mut().and_then(|g| g.first_mut()) {
        first.time = first.time.or(start);
    }
}
