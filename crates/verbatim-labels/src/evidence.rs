//! Which label candidates are speakers: decided over the whole file, so that a label is
//! taken when the file's evidence says so, also when it is used only once.
//!
//! A candidate is accepted when it is of a kind that is always a label (`Q`, a role word,
//! a speaker code), when the user named it, when it names a person the header names
//! (`SCHNEIDER` for Sarah Schneider), when it recurs, or when it is written like the
//! file's other labels in a file that is labelled throughout (`TAVELA:` used once beside
//! `SOLOMON:`). Every acceptance that rests on less than its own repetition is a
//! `label-guessed` warning; so is a label-shaped candidate that is left as text in a
//! labelled file.

use std::collections::BTreeMap;

use verbatim_model::{Code, Speakers};

use crate::Log;
use crate::label::{Form, LabelKind, Labelled, given_label, split_label};
use crate::names;
use crate::paragraphs::{Para, Style};

/// A label candidate as it occurs through the file.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    /// The label as written (first spelling).
    pub text: String,
    /// What it looks like.
    pub kind: LabelKind,
    /// How it is written where it first occurs.
    pub form: Form,
    /// How often it starts a line.
    pub count: usize,
    /// Where it first occurs.
    pub first: (usize, usize),
    /// The person a parenthesised label names.
    pub person: Option<String>,
    /// Every spelling it is written in (`Harold Baines`, `HAROLD BAINES`).
    pub spellings: Vec<String>,
    /// Markup names it somewhere (a WebVTT voice).
    pub voiced: bool,
    /// It follows a dialogue dash somewhere.
    pub dashed: bool,
    /// Where it was first written with characters that print as nothing.
    pub normalised_at: Option<(usize, usize)>,
}

/// Why a candidate was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Why {
    /// The user named it.
    Override,
    /// A kind that is always a label.
    Certain,
    /// It names a person the header, a byline or the title names.
    Named,
    /// It starts two lines or more.
    Repeated,
    /// It is written like the file's other labels.
    Like,
    /// In captions: a full name, or a name after a dialogue dash, at a cue line's start.
    Caption,
}

/// The label candidate at the start of every line of every body paragraph.
pub(crate) fn scan(paras: &[Para]) -> Vec<Vec<Option<Labelled>>> {
    paras
        .iter()
        .map(|p| {
            p.lines
                .iter()
                .map(|l| {
                    if p.style != Style::Body {
                        return None;
                    }
                    match (&l.voice, &l.label) {
                        (Some(v), _) => given_label(v, true, &l.content),
                        (None, Some(n)) => given_label(n, false, &l.content),
                        (None, None) => split_label(&l.content),
                    }
                })
                .collect()
        })
        .collect()
}

/// The candidates, grouped by their folded text, in order of first occurrence.
pub(crate) fn candidates(paras: &[Para], labels: &[Vec<Option<Labelled>>]) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for (p, ls) in paras.iter().zip(labels) {
        for (line, l) in p.lines.iter().zip(ls) {
            let Some(l) = l else { continue };
            let key = names::folded(&l.label.text);
            match index.get(&key) {
                Some(&i) => {
                    out[i].count += 1;
                    out[i].voiced |= l.form.voice;
                    out[i].dashed |= line.dash;
                    if l.label.normalised && out[i].normalised_at.is_none() {
                        out[i].normalised_at = Some((line.line, line.column + l.offset));
                    }
                    if !out[i].spellings.contains(&l.label.text) {
                        out[i].spellings.push(l.label.text.clone());
                    }
                }
                None => {
                    index.insert(key, out.len());
                    out.push(Candidate {
                        text: l.label.text.clone(),
                        kind: l.label.kind,
                        form: l.form,
                        count: 1,
                        first: (line.line, line.column + l.offset),
                        person: l.label.person.clone(),
                        spellings: vec![l.label.text.clone()],
                        voiced: l.form.voice,
                        dashed: line.dash,
                        normalised_at: l
                            .label
                            .normalised
                            .then_some((line.line, line.column + l.offset)),
                    });
                }
            }
        }
    }
    out
}

/// Folded texts of the labels that start two lines or more and are speech at least once
/// (not a `Key: value` header line): a header key among them is a speaker's label
/// (`SUBJECT: Next his only boy meet the rose when. …`).
pub(crate) fn repeated(
    paras: &[Para],
    labels: &[Vec<Option<Labelled>>],
) -> std::collections::BTreeSet<String> {
    let mut count: BTreeMap<String, (usize, bool)> = BTreeMap::new();
    for (p, ls) in paras.iter().zip(labels) {
        for (line, l) in p.lines.iter().zip(ls) {
            let Some(l) = l else { continue };
            let e = count.entry(names::folded(&l.label.text)).or_default();
            e.0 += 1;
            e.1 |= crate::header::header_line(&crate::text::flat(&line.content)).is_none();
        }
    }
    count
        .into_iter()
        .filter(|(_, (n, speech))| *n >= 2 && *speech)
        .map(|(k, _)| k)
        .collect()
}

/// How a label is written, for comparing labels of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Shape {
    /// 0: in capitals (`TAVELA`, `SUBJECT`, `RO`); 1: capitalised (`Ann Lee`); 2: a code.
    class: u8,
    bold: bool,
    bracketed: bool,
    /// Voices are markup: text labels are not written like them.
    voice: bool,
}

fn shape(c: &Candidate) -> Shape {
    let class = match c.kind {
        LabelKind::Speaker => 2,
        _ if names::is_upper(&c.text) => 0,
        _ => 1,
    };
    Shape {
        class,
        bold: c.form.bold,
        bracketed: c.form.bracketed,
        voice: c.voiced,
    }
}

/// A speaker code that diarizing tools and transcribers write: `SPEAKER 1`,
/// `SPEAKER_00`, `S01`, `SPK07`, `spk07-3a`, `P1`, `Participant 3`. Other codes
/// (`R2D2`) need more evidence.
fn common_code(text: &str) -> bool {
    let lower = text.to_lowercase();
    if lower.contains(' ') || lower.starts_with("speaker") || lower.starts_with("spk") {
        return true;
    }
    let letters: String = lower
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    let rest = &lower[letters.len()..];
    matches!(
        letters.as_str(),
        "s" | "p" | "sp" | "spk" | "speaker" | "r" | "i"
    ) && rest
        .trim_start_matches(['_', '-'])
        .starts_with(|c: char| c.is_ascii_digit())
}

/// Decides which candidates are labels. `named` are the people the text names outside
/// labels (header, bylines, title); `body_paras` the number of body paragraphs.
pub(crate) fn accept(
    cands: &[Candidate],
    named: &[String],
    overrides: &Speakers,
    body_paras: usize,
    speech: bool,
    log: &mut Log,
) -> Vec<Option<Why>> {
    let mut out: Vec<Option<Why>> = vec![None; cands.len()];
    let names_person = |t: &str| {
        named.iter().any(|n| {
            let bare = names::name_words(n).join(" ");
            names::same_name(n, t)
                || names::same_name(&bare, t)
                || names::is_part_of(t, n)
                || names::abbreviates(t, n)
        })
    };
    for (i, c) in cands.iter().enumerate() {
        out[i] = if overrides.find(&c.text).is_some() {
            Some(Why::Override)
        } else if c.voiced {
            Some(Why::Certain)
        } else {
            match c.kind {
                LabelKind::QuestionAnswer(_) | LabelKind::RoleWord(_) => Some(Why::Certain),
                LabelKind::Speaker if common_code(&c.text) => Some(Why::Certain),
                _ if names_person(&c.text) || c.person.as_deref().is_some_and(names_person) => {
                    Some(Why::Named)
                }
                LabelKind::Group | LabelKind::Compound => None,
                _ if c.count >= 2 => Some(Why::Repeated),
                LabelKind::Name
                | LabelKind::UpperName
                | LabelKind::Initials
                | LabelKind::Speaker
                    if speech
                        && (c.dashed
                            || c.kind != LabelKind::Initials
                                && names::name_words(&c.text).len() >= 2) =>
                {
                    Some(Why::Caption)
                }
                _ => None,
            }
        };
    }
    // How much of the file the accepted labels start.
    let coverage = |out: &[Option<Why>]| -> usize {
        cands
            .iter()
            .zip(out)
            .filter(|(_, w)| w.is_some())
            .map(|(c, _)| c.count)
            .sum()
    };
    // Labelled throughout: the accepted labels start three paragraphs or a fifth of them
    // (answers run over several paragraphs).
    let labelled = |n: usize| body_paras > 0 && (n >= 3 || n * 5 >= body_paras);
    // Labels that name a person another accepted label names: `HAROLD BAINES` and
    // `Baines` beside `Harold Baines`, `IT` beside `Izabella Tabarovsky`.
    let same_person = |out: &mut Vec<Option<Why>>| loop {
        let full: Vec<String> = cands
            .iter()
            .zip(out.iter())
            .filter(|(c, w)| w.is_some() && names::name_words(&c.text).len() >= 2)
            .map(|(c, _)| c.text.clone())
            .collect();
        let mut changed = false;
        for (i, c) in cands.iter().enumerate() {
            if out[i].is_none()
                && !matches!(c.kind, LabelKind::Group | LabelKind::Compound)
                && full.iter().any(|n| {
                    names::same_name(n, &c.text)
                        || names::is_part_of(&c.text, n)
                        || c.kind == LabelKind::Initials && names::abbreviates(&c.text, n)
                })
            {
                out[i] = Some(Why::Named);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    };
    same_person(&mut out);
    // Labels used once that are written like the accepted ones.
    if labelled(coverage(&out)) {
        let shapes: Vec<Shape> = cands
            .iter()
            .zip(&out)
            .filter(|(c, w)| {
                w.is_some() && !matches!(c.kind, LabelKind::Group | LabelKind::Compound)
            })
            .map(|(c, _)| shape(c))
            .collect();
        for (i, c) in cands.iter().enumerate() {
            if out[i].is_none()
                && !matches!(c.kind, LabelKind::Group | LabelKind::Compound)
                && shapes.contains(&shape(c))
            {
                out[i] = Some(Why::Like);
            }
        }
    }
    // No label recurs: several of one shape that together start half the file.
    if out.iter().all(Option::is_none) {
        let mut by_shape: BTreeMap<Shape, (usize, usize)> = BTreeMap::new();
        for c in cands {
            if !matches!(c.kind, LabelKind::Group | LabelKind::Compound) {
                let e = by_shape.entry(shape(c)).or_default();
                e.0 += 1;
                e.1 += c.count;
            }
        }
        let shapes: Vec<Shape> = by_shape
            .iter()
            .filter(|(_, (distinct, lines))| *distinct >= 2 && lines * 2 >= body_paras)
            .map(|(s, _)| *s)
            .collect();
        for (i, c) in cands.iter().enumerate() {
            if !matches!(c.kind, LabelKind::Group | LabelKind::Compound)
                && shapes.contains(&shape(c))
            {
                out[i] = Some(Why::Like);
            }
        }
        same_person(&mut out);
    }
    // Groups and compounds, once there are speakers.
    let any = out.iter().any(Option::is_some);
    for (i, c) in cands.iter().enumerate() {
        if out[i].is_none() && any {
            out[i] = match c.kind {
                LabelKind::Group => Some(Why::Certain),
                LabelKind::Compound => {
                    let parts_known = c.text.split(['&']).flat_map(|p| p.split(" and ")).all(|p| {
                        let p = p.trim();
                        named
                            .iter()
                            .any(|n| names::same_name(n, p) || names::is_part_of(p, n))
                            || cands.iter().zip(&out).any(|(o, w)| {
                                w.is_some()
                                    && (names::same_name(&o.text, p)
                                        || names::is_part_of(p, &o.text))
                            })
                    });
                    parts_known.then_some(Why::Certain)
                }
                _ => None,
            };
        }
    }
    let file_labelled = labelled(coverage(&out));
    for (c, w) in cands.iter().zip(&out) {
        if let (Some(_), Some(at)) = (w, c.normalised_at) {
            log.warn(
                Code::LabelNormalised,
                at,
                format!(
                    "the label \"{}\" held characters that print as nothing (or was not in NFC): removed, so that it matches its other spellings",
                    c.text
                ),
            );
        }
        match w {
            Some(Why::Caption) => log.warn(
                Code::LabelGuessed,
                c.first,
                format!(
                    "\"{}\" starts 1 line only; taken as a speaker label: {}",
                    c.text,
                    if c.dashed {
                        "it follows a dialogue dash"
                    } else {
                        "a full name at a cue line's start"
                    }
                ),
            ),
            Some(Why::Repeated) if c.form.bracketed && !c.form.colon && c.kind != LabelKind::Speaker => {
                log.warn(
                    Code::LabelGuessed,
                    c.first,
                    format!(
                        "\"{}\" taken as a speaker tag: it starts {} caption lines",
                        c.text, c.count
                    ),
                )
            }
            Some(Why::Like) => log.warn(
                Code::LabelGuessed,
                c.first,
                format!(
                    "\"{}\" starts {} line(s) only; taken as a speaker label, written like the file's other labels",
                    c.text, c.count
                ),
            ),
            None if file_labelled
                && c.form.colon
                && matches!(
                    c.kind,
                    LabelKind::Name
                        | LabelKind::UpperName
                        | LabelKind::Initials
                        | LabelKind::Compound
                        | LabelKind::Group
                ) =>
            {
                log.warn(
                    Code::LabelGuessed,
                    c.first,
                    format!(
                        "\"{}:\" looks like a speaker label but is used once and unlike the file's labels: read as text",
                        c.text
                    ),
                )
            }
            _ => {}
        }
    }
    out
}

/// Keeps at most `max` labels, the most used, with one warning for the rest.
pub(crate) fn cap(
    cands: &[Candidate],
    why: &[Option<Why>],
    max: usize,
    log: &mut Log,
) -> Vec<bool> {
    let mut accepted: Vec<bool> = why.iter().map(Option::is_some).collect();
    let chosen: Vec<usize> = (0..cands.len()).filter(|&i| accepted[i]).collect();
    if chosen.len() <= max {
        return accepted;
    }
    let mut by_use = chosen.clone();
    by_use.sort_by_key(|&i| (std::cmp::Reverse(cands[i].count), cands[i].first));
    let dropped = &by_use[max..];
    for &i in dropped {
        accepted[i] = false;
    }
    if let Some(first) = dropped.iter().map(|&i| cands[i].first).min() {
        log.warn(
            Code::Limit,
            first,
            format!(
                "{} labels beyond the {max} most used are left as text",
                dropped.len()
            ),
        );
    }
    accepted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paragraphs::Line;

    fn run(lines: &[&str]) -> Vec<(String, Option<Why>)> {
        let paras: Vec<Para> = lines
            .iter()
            .enumerate()
            .map(|(i, t)| Para::body(vec![Line::text(i + 1, 1, t)]))
            .collect();
        let labels = scan(&paras);
        let cands = candidates(&paras, &labels);
        let mut log = Log::default();
        let w = accept(
            &cands,
            &[],
            &Speakers::default(),
            paras.len(),
            false,
            &mut log,
        );
        cands.into_iter().map(|c| c.text).zip(w).collect()
    }

    #[test]
    fn a_label_used_once_is_taken_when_the_file_is_labelled_like_it() {
        let r = run(&[
            "SOLOMON: Where did you grow up?",
            "TAVELA: Silver Spring, Maryland.",
            "SOLOMON: Thank you.",
        ]);
        assert_eq!(r[0].1, Some(Why::Repeated));
        assert_eq!(r[1].1, Some(Why::Like));
        let r = run(&["SOLOMON: Where did you grow up?", "TAVELA: Silver Spring."]);
        assert!(r.iter().all(|(_, w)| *w == Some(Why::Like)), "{r:?}");
    }

    #[test]
    fn codes_and_prose() {
        let r = run(&["spk07-3a: Hello.", "P1: Hi.", "SPK07: And?"]);
        assert!(r.iter().all(|(_, w)| *w == Some(Why::Certain)), "{r:?}");
        let r = run(&[
            "This is a story in prose.",
            "Washington: the capital, where everything happens.",
            "And so the story ended, and so on.",
            "More prose here, as it goes.",
        ]);
        assert_eq!(r[0].1, None);
    }
}
