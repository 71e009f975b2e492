//! WebVTT and SRT transcripts: the captions speech recognition and oral-history
//! tools export, turned into speaker turns.
//!
//! - Speakers come from WebVTT voice tags (`<v Amos Gilead>`) or from a label
//!   at the start of a caption line: `Name:`, `SPEAKER 1:`, `[SPEAKER_00]:`,
//!   also after a `- ` or `>> ` dialogue mark. A label must be a certain kind
//!   (`SPEAKER 1`, `Q`), a name of two or more words, or appear twice.
//! - Consecutive cues of one speaker become one turn that starts at the first
//!   cue's time. A cue without a speaker continues the previous one. When no
//!   cue names a speaker, every cue goes to one participant, "Speaker", with a
//!   warning.
//! - `<br><br>` in a cue (as OHMS writes) is a paragraph break; other line
//!   breaks are spaces.
//! - `<i>` is emphasis and `<b>` strong; `<u>`, `<c>`, `<lang>`, `<ruby>`,
//!   `<font>` keep their text; `<rt>` and timestamp tags are dropped, as are
//!   cue settings, `NOTE`, `STYLE` and `REGION` blocks and SRT `{\an8}` codes.
//! - `[laughs]`, `(laughs)`, `[MUSIC]` and the other documented words are
//!   markers; other `[text]` is an editorial note.
//! - A missing `WEBVTT` line and a missing final blank line are fine. A cue
//!   time that cannot be read is an error giving its line and column.
//! - Roles: `Q`/`A` labels, else the speaker who asks the questions is the
//!   interviewer (a warning says so).
//!
//! ```
//! let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Ann Lee>Where were you born?\n\n00:00:03.500 --> 00:00:05.000\n<v Bo Chen>In Millbrook.\n";
//! let t = verbatim_captions::read_vtt_str(vtt).unwrap().value;
//! assert_eq!(t.turns().count(), 2);
//! ```

mod cue;

use std::collections::{BTreeMap, BTreeSet};

use verbatim_labels::brackets::{self, BracketOptions};
use verbatim_labels::label::{LabelKind, classify, detect};
use verbatim_labels::names;
use verbatim_labels::roles::{self, Stats, ends_with_question};
use verbatim_model::{
    Block, Code, Diagnostic, HasCode, Inline, InputError, LanguageTag, Metadata, ModelError,
    Parsed, Participant, ReadContext, Role, Timestamp, Transcript, Turn,
};

use cue::{Cue, Segment};

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

fn decode(input: Vec<u8>, cx: &ReadContext) -> Result<verbatim_model::Decoded, Error> {
    verbatim_model::decode_input(input, cx).map_err(|e| {
        let (line, column) = e.position();
        Error {
            line,
            column,
            kind: ErrorKind::Input(e),
        }
    })
}

/// Reads WebVTT captions (the format contract's reader).
pub fn read_vtt(input: Vec<u8>, cx: &ReadContext) -> Result<Parsed<Transcript>, Error> {
    let decoded = decode(input, cx)?;
    Ok(read_vtt_str(&decoded.text)?.after(decoded.warning))
}

/// Reads SRT captions (the format contract's reader).
pub fn read_srt(input: Vec<u8>, cx: &ReadContext) -> Result<Parsed<Transcript>, Error> {
    let decoded = decode(input, cx)?;
    Ok(read_srt_str(&decoded.text)?.after(decoded.warning))
}

/// Reads WebVTT captions from text.
pub fn read_vtt_str(src: &str) -> Result<Parsed<Transcript>, Error> {
    let (cues, header, warnings) = cue::parse(src, cue::Flavour::Vtt)?;
    let mut metadata = Metadata::default();
    for (key, value) in header {
        if key.eq_ignore_ascii_case("language") {
            metadata.language = LanguageTag::from_name_or_tag(&value);
        }
    }
    build(cues, metadata, warnings)
}

/// Reads SRT (SubRip) captions from text.
pub fn read_srt_str(src: &str) -> Result<Parsed<Transcript>, Error> {
    let (cues, _, warnings) = cue::parse(src, cue::Flavour::Srt)?;
    build(cues, Metadata::default(), warnings)
}

/// A speaker as found in the captions.
struct Person {
    label: String,
    kind: Option<LabelKind>,
    first: usize,
}

/// A turn being built: speaker index, start, paragraphs.
type Building = (usize, Option<Timestamp>, Vec<Vec<Inline>>);

fn build(
    cues: Vec<Cue>,
    metadata: Metadata,
    mut warnings: Vec<Diagnostic>,
) -> Result<Parsed<Transcript>, Error> {
    if cues.is_empty() {
        return Err(Error {
            line: 1,
            column: 1,
            kind: ErrorKind::NoCues,
        });
    }
    // Which text labels are speakers: certain kinds, full names, or used twice.
    let mut counts: BTreeMap<String, (LabelKind, usize)> = BTreeMap::new();
    for s in cues.iter().flat_map(|c| &c.segments) {
        if let Some(cue::Speaker::Label(l, kind)) = &s.speaker {
            counts.entry(l.clone()).or_insert((*kind, 0)).1 += 1;
        }
    }
    let accepted = |label: &str| {
        counts.get(label).is_some_and(|(kind, n)| {
            kind.is_certain()
                || *n >= 2
                || matches!(kind, LabelKind::Name | LabelKind::UpperName)
                    && label.split_whitespace().count() >= 2
        })
    };
    let mut by_label: BTreeMap<String, usize> = BTreeMap::new();
    let mut people: Vec<Person> = Vec::new();
    let mut turns: Vec<Building> = Vec::new();
    let mut unknown: Option<usize> = None;
    for c in cues {
        for (si, seg) in c.segments.into_iter().enumerate() {
            let Segment {
                speaker,
                mut paragraphs,
            } = seg;
            let named = match speaker {
                Some(cue::Speaker::Voice(v)) => {
                    let kind = classify(&v).map(|l| l.kind);
                    Some((v, kind))
                }
                Some(cue::Speaker::Label(l, kind)) if accepted(&l) => Some((l, Some(kind))),
                Some(cue::Speaker::Label(l, _)) => {
                    // Not a speaker after all: the label stays text.
                    if let Some(p) = paragraphs.first_mut() {
                        p.insert(0, Inline::text(format!("{l}: ")));
                    }
                    None
                }
                None => None,
            };
            let who = match (named, turns.last()) {
                (Some((n, kind)), _) => match by_label.get(&n) {
                    Some(&i) => i,
                    None => {
                        by_label.insert(n.clone(), people.len());
                        people.push(Person {
                            label: n,
                            kind,
                            first: c.line,
                        });
                        people.len() - 1
                    }
                },
                (None, Some((w, _, _))) => *w,
                (None, None) => *unknown.get_or_insert_with(|| {
                    people.push(Person {
                        label: "Speaker".into(),
                        kind: None,
                        first: c.line,
                    });
                    people.len() - 1
                }),
            };
            match turns.last_mut() {
                Some((w, _, paras)) if *w == who => {
                    // Same speaker: the cue's text carries on the paragraph.
                    let mut new = paragraphs.into_iter();
                    if let (Some(last), Some(next)) = (paras.last_mut(), new.next()) {
                        last.push(Inline::text(" "));
                        last.extend(next);
                    }
                    paras.extend(new);
                }
                _ => turns.push((who, (si == 0).then_some(c.start), paragraphs)),
            }
        }
    }
    if turns.is_empty() {
        return Err(Error {
            line: 1,
            column: 1,
            kind: ErrorKind::NoCues,
        });
    }
    if let Some(u) = unknown {
        let msg = if people.len() == 1 {
            "no cue names a speaker: every cue is given to one participant, \"Speaker\""
        } else {
            "cues before the first named speaker are given to a participant \"Speaker\""
        };
        warnings.push(Diagnostic::warning(
            Code::SpeakerGuessed,
            people[u].first,
            1,
            msg,
        ));
    }
    let mut participants = participants(&people);
    let body: Vec<Block> = turns
        .into_iter()
        .map(|(w, start, paragraphs)| {
            let opts = BracketOptions {
                paren_markers: true,
            };
            let mut paragraphs: Vec<Vec<Inline>> = paragraphs
                .into_iter()
                .map(|p| brackets::tidy(brackets::parse(p, &participants, opts)))
                .filter(|p| !p.is_empty())
                .collect();
            if paragraphs.is_empty() {
                paragraphs.push(Vec::new());
            }
            let mut t = Turn::new(participants[w].id.clone(), paragraphs);
            t.start = start;
            Block::Turn(t)
        })
        .collect();
    // Roles from who asks the questions; "Speaker" stands for anyone.
    let mut stats: Vec<Stats> = participants
        .iter()
        .enumerate()
        .map(|(i, p)| Stats {
            role: (p.role != Role::Other || Some(i) == unknown).then_some(p.role),
            ..Stats::default()
        })
        .collect();
    let by_id: BTreeMap<&str, usize> = participants
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    for b in &body {
        if let Block::Turn(t) = b
            && let Some(&i) = by_id.get(t.speaker.as_str())
        {
            stats[i].turns += 1;
            if t.paragraphs.last().is_some_and(|p| ends_with_question(p)) {
                stats[i].questions += 1;
            }
        }
    }
    for (i, role, why) in roles::guess(&stats) {
        participants[i].role = role;
        let msg = format!(
            "{} taken as the {}: {why}",
            participants[i].name,
            role.as_str()
        );
        warnings.push(Diagnostic::warning(
            Code::RoleGuessed,
            people[i].first,
            1,
            msg,
        ));
    }
    warnings.sort_by_key(|w| (w.line(), w.column()));
    let t = Transcript::new(metadata, participants, body).map_err(|e| Error {
        line: 1,
        column: 1,
        kind: ErrorKind::Model(e),
    })?;
    Ok(Parsed { value: t, warnings })
}

/// Participants with ids from the initials of names, or from the label itself.
fn participants(people: &[Person]) -> Vec<Participant> {
    let mut out: Vec<Participant> = Vec::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for p in people {
        let full = matches!(p.kind, None | Some(LabelKind::Name | LabelKind::UpperName))
            && p.label.split_whitespace().count() >= 2;
        let id = names::make_id(&p.label, full, |s: &str| taken.contains(s));
        taken.insert(id.clone());
        let name = match p.kind {
            Some(LabelKind::UpperName) if p.label.chars().count() > 3 => {
                names::title_case(&p.label)
            }
            _ => p.label.clone(),
        };
        let role = match p.kind {
            Some(LabelKind::QuestionAnswer(r) | LabelKind::RoleWord(r)) => r,
            _ => Role::Other,
        };
        let mut part = Participant::new(id, name.clone(), role);
        if name != p.label {
            part.aliases.push(p.label.clone());
        }
        out.push(part);
    }
    out
}

/// Finds a text label at the start of a caption line, after dialogue marks
/// (`- `, `>> `); returns it and the byte length it takes with the marks.
pub(crate) fn line_label(line: &str) -> Option<(String, LabelKind, usize)> {
    let mut rest = line;
    loop {
        let t = rest.trim_start();
        match [">>", "- ", "– "].iter().find_map(|m| t.strip_prefix(m)) {
            Some(r) => rest = r,
            None => {
                rest = t;
                break;
            }
        }
    }
    let skip = line.len() - rest.len();
    let (label, _, n) = detect(rest)?;
    Some((label.text, label.kind, skip + n))
}
