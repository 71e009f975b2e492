//! The stages in order: paragraphs, page chrome, header, label candidates, evidence,
//! people, roles, body.

use verbatim_model::{
    Code, Located, Metadata, ModelError, Parsed, Role, Speakers, Transcript, inline_depth,
};

use crate::Log;
use crate::body;
use crate::chrome;
use crate::evidence;
use crate::header;
use crate::label::LabelKind;
use crate::names;
use crate::paragraphs::{self, Para, Style};
use crate::people::{self, People};
use crate::roles::{self, Stats, ends_with_question};
use crate::text::{byline, flat, heading_shape, join_lines};

/// Builds a transcript from paragraphs. `metadata` holds what the container already knows
/// (a Word file's properties); the text's header block adds to it. `speakers` are what the
/// user says about the speakers. Every guess is reported as a warning with its position.
pub fn assemble(
    paras: Vec<Para>,
    metadata: Metadata,
    speakers: &Speakers,
) -> Result<Parsed<Transcript>, Located<ModelError>> {
    assemble_with(paras, metadata, speakers, Options::default())
}

/// How a reader's paragraphs are to be taken.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Every word is speech (captions): no header, title, date line or heading is looked
    /// for, and text that no label gives anyone is said by an unknown speaker (a
    /// participant "Unknown speaker"), with a warning.
    pub speech: bool,
}

/// [`assemble`] with options.
pub fn assemble_with(
    mut paras: Vec<Para>,
    mut metadata: Metadata,
    speakers: &Speakers,
    options: Options,
) -> Result<Parsed<Transcript>, Located<ModelError>> {
    let mut log = Log::default();
    paragraphs::prepare(&mut paras);
    let mut front = header::Front::default();
    if !options.speech {
        paragraphs::join_split_labels(&mut paras, &mut log);
        chrome::trim(&mut paras, &mut log);
        take_styled_title(&mut paras, &mut metadata);
        let labels = evidence::scan(&paras);
        let repeated = evidence::repeated(&paras, &labels);
        front = header::take(&mut paras, &mut metadata, &repeated, &mut log);
        take_first_line_title(&mut paras, &mut metadata, &mut log);
        take_cover_date(&mut paras, &mut metadata, &mut log);
    }
    let labels = evidence::scan(&paras);
    let cands = evidence::candidates(&paras, &labels);

    // Names the text gives outside labels: the header, bylines before the first label,
    // the title ("an interview with X").
    let mut named: Vec<header::Named> = front.people.clone();
    let first_label_para = if options.speech {
        0
    } else {
        labels
            .iter()
            .position(|ls| ls.iter().any(Option::is_some))
            .unwrap_or(paras.len())
    };
    let mut bylines = Vec::new();
    for p in &paras[..first_label_para] {
        if let [line] = p.lines.as_slice()
            && let Some(name) = byline(&flat(&line.content))
        {
            bylines.push((name.to_string(), (line.line, line.column)));
        }
    }
    let title_person = header::title_person(&metadata);
    // Cover lines before the first turn that may be a name the labels abbreviate.
    let cover: Vec<String> = paras[..first_label_para]
        .iter()
        .filter_map(|p| match p.lines.as_slice() {
            [line] => Some(flat(&line.content)),
            _ => None,
        })
        .filter(|t| {
            names::name_words(t).len() >= 2 && heading_shape(t) && t.split_whitespace().count() <= 5
        })
        .collect();
    let mut known: Vec<String> = named.iter().map(|n| n.name.clone()).collect();
    known.extend(bylines.iter().map(|(n, _)| n.clone()));
    known.extend(title_person.iter().map(|n| n.name.clone()));
    known.extend(cover.iter().cloned());
    let body_paras = paras.iter().filter(|p| p.style == Style::Body).count();
    let why = evidence::accept(
        &cands,
        &known,
        speakers,
        body_paras,
        options.speech,
        &mut log,
    );
    let accepted = evidence::cap(&cands, &why, people::MAX_SPEAKERS, &mut log);
    for (name, at) in &bylines {
        let shown = if names::is_upper(name) {
            names::title_case(name)
        } else {
            name.clone()
        };
        if named.iter().any(|n| names::same_name(&n.name, &shown)) {
            continue;
        }
        log.warn(
            Code::RoleGuessed,
            *at,
            format!("{shown} taken as the interviewer, from the byline"),
        );
        named.push(header::Named {
            written: None,
            name: shown,
            role: Some(Role::Interviewer),
            at: *at,
            source: "the byline",
        });
    }
    let mut people = people::resolve(&cands, &accepted, &named, speakers, &mut log);
    // What the user (or a container's record) says of a role comes before any guess.
    for e in &speakers.entries {
        let found = people
            .find(&e.label)
            .or_else(|| e.aliases.iter().find_map(|a| people.find(a)));
        if let (Some(role), Some(i)) = (e.role, found) {
            people.list[i].role = Some(role);
        }
    }
    // Title and cover names: a label that abbreviates one takes the full name.
    // Ranks and honorifics are not part of the name (`Maj. Gen. (Res.) Amos Gilead`).
    let named_elsewhere = title_person
        .iter()
        .map(|n| (n.name.clone(), "the title"))
        .chain(
            cover
                .into_iter()
                .map(|c| (c, "a line before the interview")),
        );
    for (full, source) in named_elsewhere {
        let bare = names::name_words(&full).join(" ");
        adopt_full_name(&mut people, &bare, source, &mut log);
    }
    if let Some(t) = &title_person {
        role_from_title(&mut people, &t.name, &mut log);
    }
    for (c, w) in cands.iter().zip(&why) {
        if let (Some(_), Some(i)) = (w, people.lookup(&c.text)) {
            let p = &mut people.list[i];
            if p.kind.is_none() {
                p.kind = Some(c.kind);
            }
            if let LabelKind::QuestionAnswer(r) | LabelKind::RoleWord(r) = c.kind {
                p.role.get_or_insert(r);
            }
        }
    }
    names_from_speech(&mut people, &paras, &labels, &mut log);
    people::assign_ids(&mut people);
    roles_from_speech(&mut people, &paras, &labels, &mut log);
    roles_from_questions(&mut people, &paras, &labels, &mut log);
    let mut participants = people::participants(&people);
    if people.labels.is_empty() && body_paras > 0 {
        let at = paras.first().map_or((1, 1), Para::at);
        log.warn(
            Code::LabelsMissing,
            at,
            if options.speech {
                "no speaker labels found: the speech is given to an unknown speaker".into()
            } else {
                "no speaker labels found: the whole text is read as narrative".into()
            },
        );
    }
    let unknown = options.speech.then(|| {
        let mut id = "unknown".to_string();
        let mut n = 1;
        while participants.iter().any(|p| p.id == id) {
            n += 1;
            id = format!("unknown-{n}");
        }
        id
    });
    // Where a model error would come from: the first paragraph nested too deep, else
    // the start.
    let too_deep = paras
        .iter()
        .find(|p| {
            p.lines
                .iter()
                .any(|l| inline_depth(&l.content) + 3 > verbatim_model::MAX_NESTING)
        })
        .map(Para::at);
    let first = paras.first().map_or((1, 1), Para::at);
    let (blocks, unknown_used) = body::build(
        paras,
        labels,
        &people,
        &participants,
        &metadata,
        unknown.as_deref(),
        &mut log,
    );
    if let Some(id) = unknown.filter(|_| unknown_used) {
        participants.push(verbatim_model::Participant::new(
            id,
            "Unknown speaker",
            Role::Other,
        ));
    }
    let t = Transcript::new(metadata, participants, blocks).map_err(|e| {
        let (line, column) = match e {
            ModelError::TooDeep => too_deep.unwrap_or(first),
            _ => first,
        };
        Located {
            line,
            column,
            kind: e,
        }
    })?;
    let mut warnings = log.warnings;
    warnings.sort_by_key(|w| (w.line(), w.column()));
    Ok(Parsed { value: t, warnings })
}

/// Word's Title and Subtitle paragraphs.
fn take_styled_title(paras: &mut Vec<Para>, m: &mut Metadata) {
    let text = |p: &Para| flat(&join_lines(p.lines.iter().map(|l| l.content.as_slice())));
    if let Some(i) = paras.iter().position(|p| p.style == Style::Title) {
        // The title the document shows wins over the file's properties.
        let p = paras.remove(i);
        m.title = Some(text(&p));
    }
    if m.subtitle.is_none()
        && let Some(i) = paras.iter().position(|p| p.style == Style::Subtitle)
    {
        let p = paras.remove(i);
        m.subtitle = Some(text(&p));
    }
}

/// The first line is the title when nothing else gives one.
fn take_first_line_title(paras: &mut Vec<Para>, m: &mut Metadata, log: &mut Log) {
    if m.title.is_some() {
        return;
    }
    let Some(p) = paras.first() else { return };
    if p.style != Style::Body || p.lines.len() != 1 || p.time.is_some() {
        return;
    }
    let text = flat(&p.lines[0].content);
    // `Name: words` is a title only when that name labels nothing else.
    let labelled = crate::label::split_label(&p.lines[0].content).is_some_and(|l| {
        l.label.kind != LabelKind::Name
            || paras.iter().skip(1).flat_map(|p| &p.lines).any(|x| {
                crate::label::split_label(&x.content).is_some_and(|y| y.label.text == l.label.text)
            })
    });
    if heading_shape(&text) && !labelled && byline(&text).is_none() {
        log.warn(
            Code::TitleGuessed,
            p.at(),
            format!("first line \"{text}\" taken as the title"),
        );
        m.title = Some(text);
        paras.remove(0);
    }
}

/// A line before the first turn that is only a date (`March 11, 2016`) is the
/// interview's date when the header gives none.
fn take_cover_date(paras: &mut Vec<Para>, m: &mut Metadata, log: &mut Log) {
    if m.date.is_some() {
        return;
    }
    let labels = evidence::scan(paras);
    let first_turn = labels
        .iter()
        .position(|ls| ls.iter().any(Option::is_some))
        .unwrap_or(paras.len());
    let found = paras[..first_turn].iter().position(|p| {
        p.style == Style::Body
            && p.time.is_none()
            && matches!(p.lines.as_slice(), [l] if verbatim_model::IsoDate::parse_loose(&flat(&l.content))
                .is_some_and(|d| d.month().is_some()))
    });
    if let Some(i) = found {
        let p = paras.remove(i);
        let text = flat(&p.lines[0].content);
        let date = verbatim_model::IsoDate::parse_loose(&text);
        m.date = date;
        log.warn(
            Code::DateGuessed,
            p.at(),
            format!("\"{}\" before the interview taken as its date", text.trim()),
        );
    }
}

/// A full name the title or a cover line gives: the one person whose label it extends
/// (`TAVELA` → Susan E. Tavela) takes it as their name.
fn adopt_full_name(people: &mut People, full: &str, source: &str, log: &mut Log) {
    if people.list.iter().any(|p| names::same_name(&p.name, full)) {
        return;
    }
    let fits: Vec<usize> = (0..people.list.len())
        .filter(|&i| {
            let p = &people.list[i];
            !p.full
                && !p.group
                && (names::is_part_of(&p.name, full) || names::abbreviates(&p.name, full))
        })
        .collect();
    if let [i] = fits.as_slice() {
        let p = &mut people.list[*i];
        let old = std::mem::replace(&mut p.name, full.to_string());
        if !p.aliases.contains(&old) {
            p.aliases.push(old.clone());
        }
        p.full = true;
        let what = if p.kind == Some(LabelKind::Initials) {
            "initials "
        } else {
            ""
        };
        log.warn(
            Code::SpeakerMerged,
            p.first,
            format!("{what}\"{old}\" taken as {full}, named in {source}"),
        );
    }
}

/// "… an interview with X": X is the interviewee.
fn role_from_title(people: &mut People, name: &str, log: &mut Log) {
    let found: Vec<usize> = (0..people.list.len())
        .filter(|&j| people.list[j].role.is_none())
        .filter(|&j| {
            let p = &people.list[j];
            names::same_name(&p.name, name)
                || name.to_lowercase().contains(&p.name.to_lowercase()) && p.full
        })
        .collect();
    if let [j] = found.as_slice() {
        let p = &mut people.list[*j];
        p.role = Some(Role::Interviewee);
        log.warn(
            Code::RoleGuessed,
            p.first,
            format!("{} taken as the interviewee: the title names them", p.name),
        );
    }
}

/// The text of a person's first two turns in each recording (the file's start and
/// after each `[END OF AUDIO …]` break), where people introduce themselves.
fn first_words(
    people: &People,
    paras: &[Para],
    labels: &[Vec<Option<crate::label::Labelled>>],
    i: usize,
) -> String {
    let mut out = String::new();
    let mut turns = 0;
    for (p, ls) in paras.iter().zip(labels) {
        if let [line] = p.lines.as_slice()
            && ls.iter().all(Option::is_none)
            && crate::text::recording_break(&flat(&line.content))
        {
            turns = 0;
            continue;
        }
        for (line_i, l) in ls.iter().enumerate() {
            let Some(l) = l else { continue };
            if people.lookup(&l.label.text) != Some(i) || turns >= 2 {
                continue;
            }
            out.push_str(&flat(&l.rest));
            for line in p.lines.iter().skip(line_i + 1) {
                out.push(' ');
                out.push_str(&flat(&line.content));
            }
            out.push(' ');
            turns += 1;
        }
    }
    out
}

/// A speaker labelled by part of their name who gives it whole in their first turns
/// (`SOLOMON: … This is Hanna Solomon.`) takes the whole name.
fn names_from_speech(
    people: &mut People,
    paras: &[Para],
    labels: &[Vec<Option<crate::label::Labelled>>],
    log: &mut Log,
) {
    for i in 0..people.list.len() {
        let p = &people.list[i];
        if p.full || p.group {
            continue;
        }
        let words = first_words(people, paras, labels, i);
        let Some(full) = roles::self_named(&words) else {
            continue;
        };
        let bare = names::name_words(&full).join(" ");
        if names::same_name(&p.name, &bare)
            || !names::is_part_of(&p.name, &bare)
            || people.list.iter().any(|q| names::same_name(&q.name, &bare))
        {
            continue;
        }
        let p = &mut people.list[i];
        let old = std::mem::replace(&mut p.name, bare.clone());
        if !p.aliases.contains(&old) {
            p.aliases.push(old.clone());
        }
        p.full = true;
        log.warn(
            Code::SpeakerMerged,
            p.first,
            format!("\"{old}\" taken as {bare}, the name they give in their first words"),
        );
    }
}

/// What speakers say of themselves in their first turns: "I'm a student interviewer",
/// "I am interviewing Maria Lopes".
fn roles_from_speech(
    people: &mut People,
    paras: &[Para],
    labels: &[Vec<Option<crate::label::Labelled>>],
    log: &mut Log,
) {
    for i in 0..people.list.len() {
        if people.list[i].role.is_some() || people.list[i].group {
            continue;
        }
        let words = first_words(people, paras, labels, i);
        let Some((phrase, interviewee)) = roles::self_described(&words) else {
            continue;
        };
        people.list[i].role = Some(Role::Interviewer);
        let at = people.list[i].first;
        log.warn(
            Code::RoleGuessed,
            at,
            format!(
                "{} taken as the interviewer: says \"{phrase}\"",
                people.list[i].name
            ),
        );
        if let Some(name) = interviewee {
            let fits: Vec<usize> = (0..people.list.len())
                .filter(|&j| j != i && people.list[j].role.is_none())
                .filter(|&j| {
                    let n = &people.list[j].name;
                    names::same_name(n, &name)
                        || names::name_words(&name)
                            .iter()
                            .any(|w| names::same_name(w, n))
                        || names::is_part_of(n, &name)
                })
                .collect();
            if let [j] = fits.as_slice() {
                people.list[*j].role = Some(Role::Interviewee);
                let at = people.list[*j].first;
                log.warn(
                    Code::RoleGuessed,
                    at,
                    format!(
                        "{} taken as the interviewee: {} names them",
                        people.list[*j].name, people.list[i].name
                    ),
                );
            }
        }
    }
}

/// Who asks questions is the interviewer; with two speakers, the other answers.
fn roles_from_questions(
    people: &mut People,
    paras: &[Para],
    labels: &[Vec<Option<crate::label::Labelled>>],
    log: &mut Log,
) {
    let mut stats: Vec<Stats> = people
        .list
        .iter()
        .map(|p| Stats {
            role: p.role.or(p.group.then_some(Role::Other)),
            ..Stats::default()
        })
        .collect();
    let mut said: Vec<(usize, bool)> = Vec::new();
    for (p, ls) in paras.iter().zip(labels) {
        for (i, l) in ls.iter().enumerate() {
            let Some(l) = l else { continue };
            let Some(who) = people.lookup(&l.label.text) else {
                continue;
            };
            // The turn's text runs to the next label in the paragraph.
            let mut content = l.rest.clone();
            for (line, next) in p.lines.iter().zip(ls).skip(i + 1) {
                if next
                    .as_ref()
                    .is_some_and(|n| people.lookup(&n.label.text).is_some())
                {
                    break;
                }
                content.extend(line.content.iter().cloned());
            }
            // A label repeated on the next line (a caption cue, a segment) is the same
            // turn going on: what counts is how it ends.
            let question = ends_with_question(&content);
            match said.last_mut() {
                Some((w, q)) if *w == who => *q = question,
                _ => said.push((who, question)),
            }
        }
    }
    for (who, question) in said {
        stats[who].turns += 1;
        if question {
            stats[who].questions += 1;
        }
    }
    for (i, role, why) in roles::guess(&stats) {
        people.list[i].role = Some(role);
        let at = people.list[i].first;
        log.warn(
            Code::RoleGuessed,
            at,
            format!(
                "{} taken as the {}: {why}",
                people.list[i].name,
                role.as_str()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paragraphs::Line;

    fn read(text: &str) -> Parsed<Transcript> {
        let paras = text
            .split("\n\n")
            .enumerate()
            .map(|(i, p)| {
                Para::body(
                    p.lines()
                        .enumerate()
                        .map(|(j, l)| Line::text(i * 10 + j + 1, 1, l))
                        .collect(),
                )
            })
            .collect();
        assemble(paras, Metadata::default(), &Speakers::default()).unwrap()
    }

    fn speakers(t: &Transcript) -> Vec<&str> {
        t.turns().map(|u| t.name_of(&u.speaker)).collect()
    }

    #[test]
    fn a_label_used_once_is_a_turn() {
        let p = read(
            "SOLOMON: Where did you grow up?\n\nTAVELA: Silver Spring, Maryland.\n\nSOLOMON: Thank you.",
        );
        assert_eq!(speakers(&p.value), ["Solomon", "Tavela", "Solomon"]);
        assert!(
            p.warnings
                .iter()
                .any(|w| w.code == Code::LabelGuessed && w.line() == 11)
        );
        let p = read("SOLOMON: Where did you grow up?\n\nTAVELA: Silver Spring.");
        assert_eq!(speakers(&p.value), ["Solomon", "Tavela"]);
    }

    #[test]
    fn initials_join_consistently() {
        let p = read(
            "RUTH OKAFOR: Where were you born?\n\nDANIEL WEISS: In Leeds.\n\nRO: When?\n\nDW: In 1950.\n\nRO: Thanks.",
        );
        let names: Vec<&str> = p
            .value
            .participants
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(names, ["Ruth Okafor", "Daniel Weiss"]);
        assert_eq!(p.value.participants[0].role, Role::Interviewer);
        assert_eq!(p.value.participants[1].role, Role::Interviewee);
    }

    #[test]
    fn timestamps_before_labels_and_on_their_own_line() {
        let p = read(
            "[00:00:29] SUBJECT: Hello there.\n\n[00:00:33]CARUSO: So then?\n\n[00:00:47]\nISAACS: Sure.\n\nMore from Isaacs.",
        );
        assert_eq!(speakers(&p.value), ["Subject", "Caruso", "Isaacs"]);
        let starts: Vec<u64> = p
            .value
            .turns()
            .filter_map(|t| t.start)
            .map(|t| t.millis() / 1000)
            .collect();
        assert_eq!(starts, [29, 33, 47]);
    }

    #[test]
    fn a_header_after_a_title_gives_names_and_roles() {
        let p = read(
            "Interview with Maria Lopes\n\nInterviewer: Ruth Okafor\nDate: March 3, 2015\nLocation: Porto\n\nOKAFOR: Where were you born?\n\nLOPES: In Porto.",
        );
        let t = &p.value;
        assert_eq!(
            t.metadata.title.as_deref(),
            Some("Interview with Maria Lopes")
        );
        assert_eq!(t.metadata.place.as_deref(), Some("Porto"));
        let people: Vec<(&str, Role)> = t
            .participants
            .iter()
            .map(|p| (p.name.as_str(), p.role))
            .collect();
        assert_eq!(
            people,
            [
                ("Ruth Okafor", Role::Interviewer),
                ("Maria Lopes", Role::Interviewee)
            ]
        );
    }

    #[test]
    fn group_labels_are_turns_said_together() {
        let p = read(
            "0:00:01 **Ann Lee** Hello.\n\n0:00:02 **Bo Chen** Hi.\n\n0:00:03 **All** (laughing)\n\n0:00:04 **Ann Lee & Bo Chen** Bye!",
        );
        let t = &p.value;
        let turns: Vec<_> = t.turns().collect();
        assert_eq!(turns.len(), 4);
        assert_eq!(t.voices_label(turns[2]), "Ann Lee & Bo Chen");
        assert_eq!(t.voices_label(turns[3]), "Ann Lee & Bo Chen");
        assert_eq!(t.participants.len(), 2);
    }

    #[test]
    fn a_date_alone_before_the_interview_dates_it() {
        let p = read(
            "Dartmouth Vietnam Project\n\nMarch 11, 2016\n\nSOLOMON: Hello.\n\nTAVELA: Hi.\n\nSOLOMON: So.\n\nMarch 12, 2016\n\nTAVELA: Yes.",
        );
        assert_eq!(
            p.value.metadata.date.map(|d| d.to_string()).as_deref(),
            Some("2016-03-11")
        );
        assert!(
            p.warnings
                .iter()
                .any(|w| w.code == Code::DateGuessed && w.line() == 11)
        );
        // A year alone is not taken.
        let p = read("1968\n\nSOLOMON: Hello.\n\nTAVELA: Hi.");
        assert_eq!(p.value.metadata.date, None);
    }

    #[test]
    fn cover_lines_head_nothing_unless_the_interview_has_headings() {
        let sections = |t: &Transcript| {
            t.body
                .iter()
                .filter(|b| matches!(b, verbatim_model::Block::Section(_)))
                .count()
        };
        let cover = "Interview with Susan Tavela\n\nDartmouth Vietnam Project\n\nTranscribed by Mim Eisenberg\n\n";
        let p = read(&format!(
            "{cover}SOLOMON: Hello.\n\nTAVELA: Hi.\n\nSOLOMON: Bye."
        ));
        assert_eq!(sections(&p.value), 0);
        assert!(!p.warnings.iter().any(|w| w.code == Code::HeadingGuessed));
        let p = read(&format!(
            "{cover}SOLOMON: Hello.\n\nTAVELA: Hi.\n\nThe War Years\n\nSOLOMON: Then?\n\nTAVELA: Yes."
        ));
        assert_eq!(sections(&p.value), 2);
    }

    #[test]
    fn a_label_split_over_two_paragraphs_is_one() {
        let p =
            read("JOHN R.\n\nMILLER ’71: Today is May 2.\n\nSOLOMON: Thank you.\n\nMILLER: Yes.");
        let t = &p.value;
        assert_eq!(t.turns().count(), 3);
        assert_eq!(t.participants[0].name, "John R. Miller ’71");
        assert_eq!(
            t.name_of(&t.turns().nth(2).unwrap().speaker),
            "John R. Miller ’71"
        );
        assert!(
            p.warnings
                .iter()
                .any(|w| w.code == Code::LabelGuessed && w.line() == 1)
        );
        // A heading in capitals before a label stays a heading.
        let p = read("PART ONE\n\nMILLER: Today.\n\nSOLOMON: Thanks.");
        assert_eq!(p.value.participants[0].name, "Miller");
    }

    #[test]
    fn speakers_say_who_interviews() {
        let p = read(
            "SOLOMON: Hello. This is Hanna Solomon. I’m a student interviewer.\n\nTAVELA: Hello.\n\nSOLOMON: Where did you grow up?\n\nTAVELA: Utah.",
        );
        let roles: Vec<Role> = p.value.participants.iter().map(|p| p.role).collect();
        assert_eq!(roles, [Role::Interviewer, Role::Interviewee]);
        // The name Solomon gives is taken, and said so.
        assert_eq!(p.value.participants[0].name, "Hanna Solomon");
        assert!(
            p.warnings
                .iter()
                .any(|w| w.code == Code::SpeakerMerged && w.line() == 1)
        );
        // A name that does not hold the label is someone else's.
        let p = read(
            "SOLOMON: Hello. This is Susan Tavela on the line.\n\nTAVELA: Hello.\n\nSOLOMON: Where?\n\nTAVELA: Utah.",
        );
        assert_eq!(p.value.participants[0].name, "Solomon");
    }
}
