//! The body: turns where the labels are, unlabelled paragraphs carried on or answered,
//! headings by their shape, sessions, breaks in the recording.

use std::collections::BTreeSet;

use crate::brackets::{self, BracketOptions};
use verbatim_model::{
    Block, Code, Inline, MarkerKind, Paragraph, Participant, Role, Section, Timestamp, Turn,
};

use crate::Log;
use crate::header::{self, Field};
use crate::label::Labelled;
use crate::names;
use crate::paragraphs::{Line, Para, Style};
use crate::people::People;
use crate::roles::ends_with_question;
use crate::text::{
    BACK_MATTER, byline, credit, flat, heading_shape, is_separator, join_lines, norm,
    recording_break,
};

/// Who says a stretch of text: the speaker's id and the others saying it with them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Voices {
    speaker: String,
    with: Vec<String>,
}

struct Open {
    speaker: String,
    /// Everyone saying the open turn.
    voices: Voices,
    /// The turn is the last block written (no heading since).
    last: bool,
    question: bool,
    /// The source line its last text ends on.
    line: usize,
}

struct Body<'a> {
    participants: &'a [Participant],
    root: Vec<Block>,
    sections: Vec<(u8, Section)>,
    open: Option<Open>,
    /// Speakers of the turns so far.
    history: Vec<String>,
    /// The last start time, to warn about times that go back.
    last_time: Option<Timestamp>,
    /// A turn was given to the unknown speaker.
    unknown_used: bool,
}

impl Body<'_> {
    fn container(&mut self) -> &mut Vec<Block> {
        match self.sections.last_mut() {
            Some((_, s)) => &mut s.blocks,
            None => &mut self.root,
        }
    }

    fn close_to(&mut self, level: u8) {
        while self.sections.last().is_some_and(|(l, _)| *l >= level) {
            let Some((_, s)) = self.sections.pop() else {
                break;
            };
            self.container().push(Block::Section(s));
        }
    }

    fn heading(&mut self, level: u8, heading: Vec<Inline>) {
        self.close_to(level);
        self.sections.push((
            level,
            Section {
                heading,
                blocks: Vec::new(),
            },
        ));
        if let Some(o) = &mut self.open {
            o.last = false;
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.close_to(0);
        self.root
    }

    fn inlines(&self, list: Vec<Inline>) -> Vec<Inline> {
        // `(laughing)` is a marker as `[laughing]` is; other parentheses stay text.
        let opts = BracketOptions {
            paren_markers: true,
        };
        brackets::tidy(brackets::parse(list, self.participants, opts))
    }

    fn timed(&mut self, start: Option<Timestamp>, at: (usize, usize), log: &mut Log) {
        let Some(t) = start else { return };
        if let Some(prev) = self.last_time
            && t < prev
        {
            log.warn(
                Code::TimeInvalid,
                at,
                format!("the time {t} is before the previous turn's {prev}"),
            );
        }
        self.last_time = Some(t);
    }

    fn turn(
        &mut self,
        v: Voices,
        start: Option<Timestamp>,
        inferred: bool,
        content: Vec<Inline>,
        line: usize,
    ) {
        let para = self.inlines(content);
        let question = ends_with_question(&para);
        let mut t = Turn::new(v.speaker.clone(), vec![para]);
        t.with = v.with.clone();
        t.start = start;
        t.inferred = inferred;
        self.container().push(Block::Turn(t));
        self.history.push(v.speaker.clone());
        self.open = Some(Open {
            speaker: v.speaker.clone(),
            voices: v,
            last: true,
            question,
            line,
        });
    }

    /// The same voices labelled again: in one segment per line, as speech-to-text
    /// writes them (`adjacent`: only on the very next line), or in captions, the turn goes
    /// on, in the same paragraph when `same_paragraph`. In other text a label repeated
    /// after a blank line is the source's own new turn, and this is not called.
    fn same_voices_again(
        &mut self,
        v: &Voices,
        content: Vec<Inline>,
        same_paragraph: bool,
        adjacent: Option<usize>,
        line: usize,
    ) -> bool {
        let Some(open) = &self.open else { return false };
        if !open.last || open.voices != *v || adjacent.is_some_and(|l| open.line + 1 != l) {
            return false;
        }
        let para = self.inlines(content);
        let question = ends_with_question(&para);
        let Some(Block::Turn(t)) = self.container().last_mut() else {
            return false;
        };
        match t.paragraphs.last_mut() {
            Some(last) if same_paragraph && !last.is_empty() => {
                last.push(Inline::text(" "));
                last.extend(para);
                *last = brackets::merge_text(std::mem::take(last));
            }
            Some(last) if last.is_empty() => *last = para,
            _ => t.paragraphs.push(para),
        }
        if let Some(o) = &mut self.open {
            o.question = question;
            o.line = line;
        }
        true
    }

    /// The last turn ends no earlier than `end`.
    fn ended(&mut self, end: Option<Timestamp>) {
        let Some(end) = end else { return };
        if let Some(Block::Turn(t)) = self.container().last_mut()
            && t.start.is_none_or(|s| s <= end)
        {
            t.end = Some(t.end.map_or(end, |e| e.max(end)));
        }
    }

    /// Text that runs on in the open turn's last paragraph; false when there is none.
    fn run_on(&mut self, para: Vec<Inline>) -> bool {
        if !self.open.as_ref().is_some_and(|o| o.last) {
            return false;
        }
        let question = ends_with_question(&para);
        let Some(Block::Turn(t)) = self.container().last_mut() else {
            return false;
        };
        let Some(last) = t.paragraphs.last_mut() else {
            return false;
        };
        if !last.is_empty() {
            last.push(Inline::text(" "));
        }
        last.extend(para);
        *last = brackets::merge_text(std::mem::take(last));
        if let Some(o) = &mut self.open {
            o.question = question;
        }
        true
    }

    fn narrative(&mut self, content: Vec<Inline>) {
        let content = self.inlines(content);
        self.container()
            .push(Block::Paragraph(Paragraph { content }));
    }

    fn continue_turn(&mut self, content: Vec<Inline>, line: usize) {
        let para = self.inlines(content);
        let question = ends_with_question(&para);
        let Some(open) = &self.open else { return };
        let speaker = open.speaker.clone();
        let voices = open.voices.clone();
        let last = open.last;
        let container = self.container();
        match (last, container.last_mut()) {
            (true, Some(Block::Turn(t))) => t.paragraphs.push(para),
            _ => {
                let mut t = Turn::new(speaker.clone(), vec![para]);
                t.continues = true;
                container.push(Block::Turn(t));
            }
        }
        self.open = Some(Open {
            speaker,
            voices,
            last: true,
            question,
            line,
        });
    }
}

/// The speaker an unlabelled paragraph after an interviewer's question belongs to.
fn answerer(participants: &[Participant], asker: &str, history: &[String]) -> Option<String> {
    let interviewees: Vec<&Participant> = participants
        .iter()
        .filter(|p| p.role == Role::Interviewee)
        .collect();
    if let [p] = interviewees.as_slice() {
        return Some(p.id.clone());
    }
    if let Some(last) = history.iter().rev().find(|id| {
        *id != asker
            && participants
                .iter()
                .any(|p| &p.id == *id && p.role == Role::Interviewee)
    }) {
        return Some(last.clone());
    }
    match participants {
        [x, y] => Some(if x.id == asker {
            y.id.clone()
        } else {
            x.id.clone()
        }),
        _ => None,
    }
}

/// Who a label names: one person, everyone (`All`), or the people of a compound label.
fn voices_of(label: &str, people: &People, participants: &[Participant]) -> Option<Voices> {
    let key = names::folded(label);
    let ids: Vec<String> = if people.everyone.contains(&key) {
        participants
            .iter()
            .filter(|p| !people_is_group(people, &p.id))
            .map(|p| p.id.clone())
            .collect()
    } else if let Some(i) = people.lookup(label) {
        vec![people.list[i].id.clone()]
    } else {
        let parts: Vec<&str> = label
            .split('&')
            .flat_map(|p| p.split(" and "))
            .map(str::trim)
            .collect();
        let mut ids = Vec::new();
        for part in parts {
            let i = people.find(part)?;
            let id = people.list[i].id.clone();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    };
    let mut ids = ids.into_iter();
    let speaker = ids.next()?;
    Some(Voices {
        speaker,
        with: ids.collect(),
    })
}

fn people_is_group(people: &People, id: &str) -> bool {
    people.list.iter().any(|p| p.id == id && p.group)
}

/// A stretch of a paragraph that one label starts (or that no label starts).
struct Unit {
    who: Option<(Voices, Option<Timestamp>)>,
    /// It starts with a dialogue dash and no label.
    dash: bool,
    lines: Vec<Line>,
}

/// Who speaks after a dialogue dash that names nobody: of two speakers, the one not
/// speaking now; else, in captions, someone unnamed. Warned either way.
fn dash_speaker(
    participants: &[Participant],
    people: &People,
    now: &str,
    unknown: Option<&str>,
    at: (usize, usize),
    log: &mut Log,
) -> Option<(Voices, Option<Timestamp>)> {
    let speakers: Vec<&Participant> = participants
        .iter()
        .filter(|p| Some(p.id.as_str()) != unknown && !people_is_group(people, &p.id))
        .collect();
    let speaker = match speakers.as_slice() {
        [x, y] if x.id == now || y.id == now => {
            let other = if x.id == now { y } else { x };
            log.warn(
                Code::SpeakerGuessed,
                at,
                format!(
                    "a dialogue dash: taken as {}, the other speaker",
                    other.name
                ),
            );
            other.id.clone()
        }
        _ => {
            let unknown = unknown?;
            log.warn(
                Code::SpeakerGuessed,
                at,
                "a dialogue dash names nobody: given to an unknown speaker".into(),
            );
            unknown.to_string()
        }
    };
    Some((
        Voices {
            speaker,
            with: Vec::new(),
        },
        None,
    ))
}

/// Builds the body from the paragraphs after the header.
pub(crate) fn build(
    paras: Vec<Para>,
    labels: Vec<Vec<Option<Labelled>>>,
    people: &People,
    participants: &[Participant],
    metadata: &verbatim_model::Metadata,
    speech: Option<&str>,
    log: &mut Log,
) -> (Vec<Block>, bool) {
    let mut b = Body {
        participants,
        root: Vec::new(),
        sections: Vec::new(),
        open: None,
        history: Vec::new(),
        last_time: None,
        unknown_used: false,
    };
    let known_names: BTreeSet<String> = participants
        .iter()
        .flat_map(|p| std::iter::once(&p.name).chain(&p.aliases))
        .map(|n| names::folded(n))
        .collect();
    let is_name_line =
        |s: &str| s.chars().count() <= 100 && known_names.contains(&names::folded(s));
    fn voiced<'l>(
        l: &'l Option<Labelled>,
        people: &People,
        participants: &[Participant],
    ) -> Option<(Voices, &'l Labelled)> {
        l.as_ref()
            .and_then(|l| voices_of(&l.label.text, people, participants).map(|v| (v, l)))
    }
    // Whether each paragraph, alone, has the shape of a heading.
    let shape: Vec<bool> = paras
        .iter()
        .zip(&labels)
        .map(|(p, ls)| {
            speech.is_none()
                && p.style == Style::Body
                && !p.indented
                && p.lines.len() == 1
                && ls.iter().all(|l| voiced(l, people, participants).is_none())
                && heading_shape(&flat(&p.lines[0].content))
                && !credit(&flat(&p.lines[0].content))
                && !is_name_line(&flat(&p.lines[0].content))
        })
        .collect();
    // Cover lines before the first turn (`Dartmouth Vietnam Project`) head nothing
    // unless the interview itself has headings.
    let headed = |pi: usize| shape[pi] && !shape.get(pi + 1).copied().unwrap_or(true);
    let first_turn = labels
        .iter()
        .position(|ls| ls.iter().any(|l| voiced(l, people, participants).is_some()))
        .unwrap_or(paras.len());
    let headings_inside = (first_turn..paras.len()).any(headed);
    // Sessions: header blocks after the first turn.
    let sessions: Vec<usize> = (first_turn..paras.len())
        .filter(|&i| speech.is_none() && header::block(&paras[i]).is_some())
        .collect();
    let mut session = 0usize;
    let mut prev_narrative: Option<String> = None;
    for (pi, (p, ls)) in paras.into_iter().zip(labels).enumerate() {
        let first = p.at();
        match p.style {
            Style::Heading(level) => {
                let h = join_lines(p.lines.iter().map(|l| l.content.as_slice()));
                if BACK_MATTER.contains(&norm(&flat(&h)).as_str()) {
                    b.open = None;
                }
                b.heading(level.max(1), h);
                prev_narrative = None;
                continue;
            }
            Style::Title => {
                b.heading(1, join_lines(p.lines.iter().map(|l| l.content.as_slice())));
                continue;
            }
            Style::Subtitle => {
                b.narrative(join_lines(p.lines.iter().map(|l| l.content.as_slice())));
                continue;
            }
            Style::Body => {}
        }
        // A session's header: a new section, headed by its date.
        if sessions.contains(&pi)
            && let Some(fields) = header::block(&p)
        {
            let lang = metadata.language.as_ref();
            if session == 0 {
                // The turns so far were the first session, of the header's date.
                b.close_to(0);
                let before = std::mem::take(&mut b.root);
                let heading = match metadata.date {
                    Some(d) => format!("Session 1: {}", d.display(lang)),
                    None => "Session 1".to_string(),
                };
                b.root.push(Block::Section(Section {
                    heading: vec![Inline::text(heading)],
                    blocks: before,
                }));
            }
            session += 1;
            let date = fields
                .iter()
                .find_map(|(f, v)| (*f == Field::Date).then_some(v.clone()));
            let heading = match date {
                Some(d) => match verbatim_model::IsoDate::parse_loose(&d) {
                    Some(iso) => format!("Session {}: {}", session + 1, iso.display(lang)),
                    None => format!("Session {}: {d}", session + 1),
                },
                None => format!("Session {}", session + 1),
            };
            b.close_to(0);
            b.heading(1, vec![Inline::text(heading)]);
            b.open = None;
            b.last_time = None;
            continue;
        }
        // Split the paragraph where a line starts with a speaker's label or a dialogue
        // dash.
        let mut units: Vec<Unit> = Vec::new();
        for (line, l) in p.lines.into_iter().zip(ls) {
            match voiced(&l, people, participants) {
                Some((v, l)) => {
                    let rest = Line {
                        content: l.rest.clone(),
                        ..line
                    };
                    units.push(Unit {
                        who: Some((v, l.start)),
                        dash: false,
                        lines: vec![rest],
                    });
                }
                None => match units.last_mut() {
                    Some(u) if !line.dash => u.lines.push(line),
                    _ => units.push(Unit {
                        who: None,
                        dash: line.dash,
                        lines: vec![line],
                    }),
                },
            }
        }
        let mut time = p.time;
        for (ui, unit) in units.into_iter().enumerate() {
            let at = unit.lines.first().map_or(first, |l| (l.line, l.column));
            let end_line = unit.lines.last().map_or(at.0, |l| l.line);
            let said = unit.lines.first().and_then(|l| l.time);
            let ended = unit.lines.iter().filter_map(|l| l.end).max();
            // Caption text runs on within a cue and from a cue without a pause before it.
            let runs_on = p.runs_on || (ui > 0 && speech.is_some());
            let content = join_lines(unit.lines.iter().map(|l| l.content.as_slice()));
            let who = unit.who.or_else(|| {
                let open = b.open.as_ref()?;
                unit.dash
                    .then(|| dash_speaker(participants, people, &open.speaker, speech, at, log))?
            });
            if let Some((v, written)) = who {
                let written = written.or(time.take());
                let start = written.or(said);
                b.timed(start, at, log);
                if speech == Some(v.speaker.as_str()) {
                    b.unknown_used = true;
                }
                let joined = written.is_none()
                    && !unit.dash
                    && if speech.is_some() {
                        b.same_voices_again(&v, content.clone(), runs_on, None, end_line)
                    } else {
                        p.segment
                            && b.same_voices_again(&v, content.clone(), true, Some(at.0), end_line)
                    };
                if !joined {
                    b.turn(v, start, false, content, end_line);
                }
                b.ended(ended);
                prev_narrative = None;
                continue;
            }
            if let Some(unknown) = speech {
                // Captions: all text is speech; what no label gives carries on the open
                // turn, or is said by someone unnamed.
                let para = b.inlines(content.clone());
                let blank = |i: &Inline| {
                    verbatim_model::plain_text(std::slice::from_ref(i))
                        .trim()
                        .is_empty()
                };
                // A cue that is only a pause or a sound in the room (`(12 seconds
                // pause)`) is between turns; a laugh or a cough is the speaker's.
                let between = ui == 0
                    && para.iter().any(|i| matches!(i, Inline::Marker { .. }))
                    && para.iter().all(|i| {
                        matches!(
                            i,
                            Inline::Marker {
                                kind: MarkerKind::Pause | MarkerKind::Incident,
                                ..
                            }
                        ) || !matches!(i, Inline::Marker { .. }) && blank(i)
                    });
                if between {
                    b.narrative(content);
                    if let Some(o) = &mut b.open {
                        o.last = false;
                    }
                } else if b.open.is_some() {
                    if !(runs_on && b.run_on(para)) {
                        b.continue_turn(content, end_line);
                    }
                } else if para
                    .iter()
                    .all(|i| matches!(i, Inline::Marker { .. }) || blank(i))
                {
                    b.narrative(content);
                } else {
                    if b.history.last().is_none_or(|s| s != unknown) {
                        log.warn(
                            Code::SpeakerGuessed,
                            at,
                            "no label names who says this: given to an unknown speaker".into(),
                        );
                    }
                    b.unknown_used = true;
                    let v = Voices {
                        speaker: unknown.to_string(),
                        with: Vec::new(),
                    };
                    b.timed(said, at, log);
                    b.turn(v, said, true, content, end_line);
                }
                b.ended(ended);
                continue;
            }
            let text = flat(&content);
            let single = unit.lines.len() == 1;
            if single && is_separator(&text) {
                b.open = None;
                continue;
            }
            if single && recording_break(&text) {
                // `[END OF AUDIO, FILE 1.1]`: not speech; the times start again after it.
                b.open = None;
                b.last_time = None;
                b.narrative(content);
                continue;
            }
            if b.history.is_empty() && single && byline(&text).is_some() {
                log.warn(
                    Code::TextDropped,
                    at,
                    format!(
                        "byline \"{}\" dropped: its name is in the participants",
                        names::excerpt(&text, 60)
                    ),
                );
                continue;
            }
            if b.history.is_empty() && single && is_name_line(&text) {
                log.warn(
                    Code::TextDropped,
                    at,
                    format!("byline \"{text}\" dropped: a participant's name"),
                );
                continue;
            }
            if headed(pi) && (pi > first_turn || headings_inside) {
                let back = BACK_MATTER.contains(&norm(&text).as_str());
                if back && !b.history.is_empty() {
                    b.open = None;
                }
                log.warn(
                    Code::HeadingGuessed,
                    at,
                    if back {
                        format!(
                            "\"{text}\" taken as a section heading; what follows is back matter"
                        )
                    } else {
                        format!("\"{text}\" taken as a section heading")
                    },
                );
                b.heading(1, content);
                prev_narrative = None;
                continue;
            }
            if b.open.is_none()
                && single
                && prev_narrative.as_deref() == Some(text.as_str())
                && text.split_whitespace().count() <= 12
            {
                log.warn(
                    Code::TextDropped,
                    at,
                    format!("repeated line \"{text}\" dropped"),
                );
                continue;
            }
            // A time before an unlabelled paragraph: the open turn's speaker goes on,
            // from that time.
            if let Some(t) = time.take()
                && let Some(o) = &b.open
            {
                let v = Voices {
                    speaker: o.speaker.clone(),
                    with: Vec::new(),
                };
                b.timed(Some(t), at, log);
                b.turn(v, Some(t), false, content, end_line);
                continue;
            }
            match &b.open {
                Some(o)
                    if o.last
                        && o.question
                        && !p.indented
                        && participants
                            .iter()
                            .any(|p| p.id == o.speaker && p.role == Role::Interviewer) =>
                {
                    match answerer(participants, &o.speaker, &b.history) {
                        Some(to) => {
                            let asker = o.speaker.clone();
                            let name = participants
                                .iter()
                                .find(|p| p.id == to)
                                .map_or(to.as_str(), |p| p.name.as_str());
                            let who = if name == to {
                                to.clone()
                            } else {
                                format!("{name} ({to})")
                            };
                            log.warn(
                                Code::SpeakerGuessed,
                                at,
                                format!(
                                    "unlabelled paragraph after {asker}'s question taken as the answer of {who}"
                                ),
                            );
                            let v = Voices {
                                speaker: to,
                                with: Vec::new(),
                            };
                            b.turn(v, None, true, content, end_line);
                        }
                        None => b.continue_turn(content, end_line),
                    }
                }
                Some(_) => b.continue_turn(content, end_line),
                None => {
                    prev_narrative = Some(text);
                    b.narrative(content);
                }
            }
        }
    }
    let used = b.unknown_used;
    (b.finish(), used)
}
