//! Header blocks: `Key: value` lines before the first turn (after a title, an abstract
//! or cover lines), values continued on the next line, and the metadata they give.

use verbatim_model::{Code, IsoDate, LanguageTag, Metadata, Role};

use crate::Log;
use crate::label::split_label;
use crate::names;
use crate::paragraphs::{Para, Style};
use crate::text::{flat, heading_shape, title_name};

/// What a header line sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Title.
    Title,
    /// Subtitle.
    Subtitle,
    /// Date of the interview.
    Date,
    /// People with a role.
    People(Role),
    /// Where it took place.
    Place,
    /// The project or collection; used as publisher when none is given.
    Project,
    /// Publisher or holding institution.
    Publisher,
    /// Source address.
    Source,
    /// Rights or licence.
    Rights,
    /// Language.
    Language,
    /// Keywords.
    Keywords,
    /// Identifier.
    Identifier,
    /// Description.
    Description,
    /// Recognised, but the model has no place for it.
    Ignored,
}

/// The field a header key names (case-insensitive): English keys and their variants,
/// and the field names the text writer prints in each language of the labels table.
pub fn field(key: &str) -> Option<Field> {
    let key = folded(key);
    english_field(&key).or_else(|| labelled_field(&key))
}

/// A key as `field` compares it: lower case, without a plural `s` or brackets.
fn folded(key: &str) -> String {
    key.trim()
        .to_lowercase()
        .trim_end_matches(['(', ')', 's'])
        .trim()
        .to_string()
}

fn labelled_field(key: &str) -> Option<Field> {
    verbatim_model::labels::LANGUAGES.iter().find_map(|l| {
        [
            (l.interviewer, Field::People(Role::Interviewer)),
            (l.interviewers, Field::People(Role::Interviewer)),
            (l.interviewee, Field::People(Role::Interviewee)),
            (l.interviewees, Field::People(Role::Interviewee)),
            (l.participant, Field::People(Role::Other)),
            (l.participants, Field::People(Role::Other)),
            (l.date, Field::Date),
            (l.place, Field::Place),
            (l.language_field, Field::Language),
            (l.publisher, Field::Publisher),
            (l.source, Field::Source),
            (l.rights, Field::Rights),
            (l.identifier, Field::Identifier),
            (l.keywords, Field::Keywords),
        ]
        .into_iter()
        .find_map(|(name, f)| (folded(name) == key).then_some(f))
    })
}

fn english_field(key: &str) -> Option<Field> {
    Some(match key {
        "title" => Field::Title,
        "subtitle" | "sub-title" => Field::Subtitle,
        "date" | "interview date" | "date of interview" | "recorded" | "recording date"
        | "date recorded" => Field::Date,
        "interviewer" | "interviewed by" | "interviewer name" => Field::People(Role::Interviewer),
        "interviewee" | "narrator" | "respondent" | "interviewee name" | "narrator name" => {
            Field::People(Role::Interviewee)
        }
        "participant" | "speaker" | "also present" => Field::People(Role::Other),
        "location" | "place" | "interview location" | "recorded at" | "venue" => Field::Place,
        "project" | "collection" | "serie" | "program" | "programme" => Field::Project,
        "publisher" | "repository" | "institution" | "archive" => Field::Publisher,
        "source" | "url" | "link" | "source url" | "web" | "web address" => Field::Source,
        "right" | "copyright" | "license" | "licence" | "terms of use" => Field::Rights,
        "language" | "lang" => Field::Language,
        "keyword" | "subject" | "tag" | "topic" | "subject heading" => Field::Keywords,
        "identifier" | "id" | "accession number" | "call number" | "doi" => Field::Identifier,
        "description" | "summary" | "abstract" => Field::Description,
        "transcriber" | "transcribed by" | "editor" | "edited by" | "duration" | "length"
        | "format" | "tape" | "audio file" | "file" | "media" | "time" | "reviewer"
        | "audit-checked by" => Field::Ignored,
        _ => return None,
    })
}

/// Splits a header line into its field and value, when the value fits it.
pub fn header_line(text: &str) -> Option<(Field, &str, &str)> {
    let colon = text.find(':')?;
    let (key, value) = (text[..colon].trim(), text[colon + 1..].trim());
    if key.is_empty() || value.is_empty() || key.chars().count() > 30 {
        return None;
    }
    let f = field(key)?;
    match f {
        Field::People(_) if !looks_like_names(value) => return None,
        // A key that is also a speaker's label (`SUBJECT: All son tell.`) holds a value,
        // not a sentence.
        Field::Keywords | Field::Place | Field::Date | Field::Title
            if value.ends_with(['?', '!']) || value.split_whitespace().count() > 12 =>
        {
            return None;
        }
        _ if value.split_whitespace().count() > 40 && f != Field::Description => return None,
        _ => {}
    }
    Some((f, key, value))
}

/// A person named in a header, with the role the header gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Named {
    /// The name as written (capitals title-cased).
    pub name: String,
    /// The role, when the header gives one.
    pub role: Option<Role>,
    /// Where it is written.
    pub at: (usize, usize),
    /// The name as written, when title-casing changed it.
    pub written: Option<String>,
    /// Where the text names them: "the header", "the byline".
    pub source: &'static str,
}

/// What the text before the first turn says: the people its header names.
#[derive(Debug, Default)]
pub(crate) struct Front {
    /// People named in the header, in order.
    pub people: Vec<Named>,
}

/// Reads the header block before the first turn: `Key: value` lines anywhere in the
/// first paragraphs, after a title, an abstract or cover lines (at most six of them),
/// with values continued on the next line. The header lines are removed; the title and
/// an abstract before them become metadata.
pub(crate) fn take(
    paras: &mut Vec<Para>,
    m: &mut Metadata,
    labels: &std::collections::BTreeSet<String>,
    log: &mut Log,
) -> Front {
    let mut front = Front::default();
    let Some(start) = paras.iter().position(|p| p.style == Style::Body) else {
        return front;
    };
    let mut project = None;
    let mut preface: Vec<usize> = Vec::new();
    let mut seen_header = false;
    let mut last: Option<Field> = None;
    let mut i = start;
    while i < paras.len() && paras[i].style == Style::Body {
        let mut consumed = 0;
        for l in &paras[i].lines {
            let text = flat(&l.content);
            let at = (l.line, l.column);
            // A key the file uses again and again at line starts is a speaker's label.
            let header =
                header_line(&text).filter(|(_, key, _)| !labels.contains(&names::folded(key)));
            if let Some((f, key, value)) = header {
                apply(f, key, value, at, m, &mut front, &mut project, log);
                last = Some(f);
                seen_header = true;
                consumed += 1;
            } else if seen_header && continues(last, &text) {
                let f = last.unwrap_or(Field::Ignored);
                apply(f, "", &text, at, m, &mut front, &mut project, log);
                consumed += 1;
            } else {
                break;
            }
        }
        let p = &mut paras[i];
        if consumed == p.lines.len() {
            paras.remove(i);
            continue;
        }
        if consumed > 0 {
            p.lines.drain(..consumed);
            break;
        }
        if seen_header {
            break;
        }
        let label_like = split_label(&p.lines[0].content).is_some();
        if preface.len() >= 6 || label_like {
            break;
        }
        preface.push(i);
        i += 1;
    }
    if m.publisher.is_none() {
        m.publisher = project;
    }
    if seen_header {
        // What comes before the header: the title, and an abstract.
        for &pi in preface.iter().rev() {
            let p = &paras[pi];
            let text = p.text();
            let at = p.at();
            let words = text.split_whitespace().count();
            if m.title.is_none() && p.lines.len() == 1 && heading_shape(&text) {
                log.warn(
                    Code::TitleGuessed,
                    at,
                    format!(
                        "\"{}\" before the header taken as the title",
                        names::excerpt(&text, 60)
                    ),
                );
                m.title = Some(text);
                paras.remove(pi);
            } else if m.description.is_none() && words >= 12 {
                log.warn(
                    Code::HeaderField,
                    at,
                    format!(
                        "paragraph before the header (\"{}\") taken as the description",
                        names::excerpt(&text, 40)
                    ),
                );
                m.description = Some(text);
                paras.remove(pi);
            }
        }
    }
    front
}

/// A line that carries on the header line before it: another name after
/// `INTERVIEWERS: Sarah Schneider`, another keyword.
fn continues(last: Option<Field>, text: &str) -> bool {
    let t = text.trim();
    match last {
        Some(Field::People(_)) => {
            !t.contains(':')
                && looks_like_names(t)
                && t.split_whitespace().count() <= 6
                && t.split_whitespace()
                    .all(|w| w.chars().next().is_some_and(|c| !c.is_lowercase()) || w.len() <= 3)
        }
        Some(Field::Keywords) => !t.contains(':') && t.split_whitespace().count() <= 6,
        _ => false,
    }
}

/// Every header line of a paragraph, when it holds nothing else: a session's header
/// after the first turns.
pub(crate) fn block(p: &Para) -> Option<Vec<(Field, String)>> {
    if p.style != Style::Body {
        return None;
    }
    let mut out = Vec::new();
    for l in &p.lines {
        let text = flat(&l.content);
        let (f, _, value) = header_line(&text)?;
        out.push((f, value.to_string()));
    }
    let session_like = out
        .iter()
        .any(|(f, _)| matches!(f, Field::Date | Field::People(_) | Field::Place));
    session_like.then_some(out)
}

#[allow(clippy::too_many_arguments)]
fn apply(
    field: Field,
    key: &str,
    value: &str,
    at: (usize, usize),
    m: &mut Metadata,
    front: &mut Front,
    project: &mut Option<String>,
    log: &mut Log,
) {
    let set = |slot: &mut Option<String>| {
        if slot.is_none() {
            *slot = Some(value.to_string());
        }
    };
    match field {
        Field::Title => set(&mut m.title),
        Field::Subtitle => set(&mut m.subtitle),
        Field::Place => set(&mut m.place),
        Field::Publisher => set(&mut m.publisher),
        Field::Source => set(&mut m.source_url),
        Field::Rights => set(&mut m.rights),
        Field::Identifier => set(&mut m.identifier),
        Field::Description => set(&mut m.description),
        Field::Project => {
            if project.is_none() {
                *project = Some(value.to_string());
            }
        }
        Field::Keywords => m.keywords.extend(split_keywords(value)),
        Field::Date => match IsoDate::parse_loose(value) {
            Some(d) if m.date.is_none() => m.date = Some(d),
            Some(_) => {}
            None => log.warn(
                Code::DateInvalid,
                at,
                format!(
                    "date \"{}\" not understood (write it as 2020-01-28): left out",
                    names::excerpt(value, 60)
                ),
            ),
        },
        Field::Language => match LanguageTag::from_name_or_tag(value) {
            Some(tag) => m.language = Some(tag),
            None => log.warn(
                Code::LanguageInvalid,
                at,
                format!(
                    "language \"{}\" not understood (write a tag such as en): left out",
                    names::excerpt(value, 60)
                ),
            ),
        },
        Field::Ignored => log.warn(
            Code::MetadataDropped,
            at,
            format!("header field \"{key}\" has no place in the transcript model: left out"),
        ),
        Field::People(role) => {
            for name in split_names(value) {
                let name = without_id(&name).to_string();
                let display = if names::is_upper(&name) && name.chars().count() > 3 {
                    names::title_case(&name)
                } else {
                    name.clone()
                };
                if front
                    .people
                    .iter()
                    .any(|p| names::same_name(&p.name, &display))
                {
                    continue;
                }
                front.people.push(Named {
                    written: (display != name).then_some(name),
                    name: display,
                    role: Some(role),
                    at,
                    source: "the header",
                });
            }
        }
    }
}

/// A name without the id the text writer adds after it (`Ruth Okafor (RO)`): a short
/// token of letters, digits, `_` or `-`, not a year or a phrase (`(1925)`, `(née Smith)`).
fn without_id(name: &str) -> &str {
    let Some(open) = name.strip_suffix(')').and_then(|n| n.rfind(" (")) else {
        return name;
    };
    let id = &name[open + 2..name.len() - 1];
    let is_id = (1..=12).contains(&id.chars().count())
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        && !id.chars().all(|c| c.is_ascii_digit());
    if is_id { name[..open].trim_end() } else { name }
}

/// People the title names: X in "Interview with X" is the interviewee.
pub(crate) fn title_person(m: &Metadata) -> Option<Named> {
    let name = title_name(m.title.as_deref()?)?;
    Some(Named {
        name: name.to_string(),
        role: Some(Role::Interviewee),
        at: (1, 1),
        written: None,
        source: "the title",
    })
}

/// A list of names, not a sentence: `Interviewer: What is your name?` is a turn.
fn looks_like_names(v: &str) -> bool {
    let last_word = v.split_whitespace().last().unwrap_or_default();
    v.chars().count() <= 120
        && !v.contains(['?', '!'])
        && (!v.ends_with('.') || last_word.chars().count() <= 3)
        && v.split_whitespace().count() <= 16
}

/// Splits `A; B and C, D` into names.
pub fn split_names(v: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in v.split([';', ',', '&']) {
        for name in part.split(" and ") {
            let name = name.trim();
            if !name.is_empty() {
                out.push(name.to_string());
            }
        }
    }
    out
}

/// Splits keywords on commas and semicolons.
pub fn split_keywords(v: &str) -> Vec<String> {
    v.split([',', ';'])
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::paragraphs::Line;

    #[test]
    fn a_header_after_an_abstract_with_continued_values() {
        let mut paras: Vec<Para> = [
            "Isaacs reflects on his experiences with international collaborations, his goals for future research, teaching, service and advocacy work.",
            "INTERVIEWEE:  André K. Isaacs",
            "INTERVIEWERS: Sarah Schneider\nDavid J. Caruso",
            "LOCATION: via Zoom",
            "DATE: 11 December 2023",
            "SCHNEIDER: Okay.",
        ]
        .iter()
        .enumerate()
        .map(|(i, t)| {
            Para::body(
                t.lines()
                    .enumerate()
                    .map(|(j, l)| Line::text(i * 2 + j + 1, 1, l))
                    .collect(),
            )
        })
        .collect();
        let mut m = Metadata::default();
        let mut log = Log::default();
        let front = take(&mut paras, &mut m, &Default::default(), &mut log);
        let names: Vec<(&str, Option<Role>)> = front
            .people
            .iter()
            .map(|p| (p.name.as_str(), p.role))
            .collect();
        assert_eq!(
            names,
            [
                ("André K. Isaacs", Some(Role::Interviewee)),
                ("Sarah Schneider", Some(Role::Interviewer)),
                ("David J. Caruso", Some(Role::Interviewer)),
            ]
        );
        assert_eq!(m.date.map(|d| d.to_string()).as_deref(), Some("2023-12-11"));
        assert_eq!(m.place.as_deref(), Some("via Zoom"));
        assert!(
            m.description
                .as_deref()
                .unwrap()
                .starts_with("Isaacs reflects")
        );
        assert_eq!(m.title, None);
        assert_eq!(paras.len(), 1);
        assert_eq!(paras[0].text(), "SCHNEIDER: Okay.");
    }

    #[test]
    fn a_title_line_and_leading_spaces_before_the_header() {
        let mut paras = vec![
            Para::body(vec![Line::text(1, 1, "Interview with Maria Lopes")]),
            Para::body(vec![
                Line::text(3, 3, "Interviewer: Ruth Okafor"),
                Line::text(4, 1, "Date: March 3, 2015"),
            ]),
            Para::body(vec![Line::text(6, 1, "RUTH OKAFOR: Where were you born?")]),
        ];
        let mut m = Metadata::default();
        let mut log = Log::default();
        let front = take(&mut paras, &mut m, &Default::default(), &mut log);
        assert_eq!(m.title.as_deref(), Some("Interview with Maria Lopes"));
        assert_eq!(m.date.map(|d| d.to_string()).as_deref(), Some("2015-03-03"));
        assert_eq!(front.people[0].name, "Ruth Okafor");
        assert_eq!(title_person(&m).unwrap().name, "Maria Lopes");
        assert_eq!(paras.len(), 1);
    }

    #[test]
    fn a_speaker_label_that_is_also_a_key_is_no_header() {
        assert_eq!(
            header_line(
                "SUBJECT: All son tell this any his, and more words that run on into a sentence."
            ),
            None
        );
        assert_eq!(header_line("Interviewer: What is your name?"), None);
        assert!(header_line("Subject: textile mills").is_some());
    }

    #[test]
    fn header_keys_and_person_values() {
        assert_eq!(
            header_line("INTERVIEWEE: HAROLD BAINES").map(|h| h.0),
            Some(Field::People(Role::Interviewee))
        );
        assert_eq!(
            header_line("Interviewers: A and B").map(|h| h.0),
            Some(Field::People(Role::Interviewer))
        );
        assert_eq!(header_line("Interviewer: What is your name?"), None);
        assert_eq!(
            header_line(
                "Interviewer: I was born in 1950, in a village near the river, and then we moved."
            ),
            None
        );
        assert_eq!(header_line("Title: A: B").map(|h| h.2), Some("A: B"));
        assert_eq!(header_line("Favourite colour: blue"), None);
        assert_eq!(
            split_names("Ann Lee; Bo Chen and Cy Diaz"),
            ["Ann Lee", "Bo Chen", "Cy Diaz"]
        );
    }
}
