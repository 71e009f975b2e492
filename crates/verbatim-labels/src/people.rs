//! Who the labels name: people from the header, the title and bylines, full-name labels,
//! and the initials, surnames and parenthesised labels that name them.

use std::collections::BTreeSet;

use verbatim_model::{Code, Participant, Role, Speakers};

use crate::Log;
use crate::evidence::Candidate;
use crate::header::Named;
use crate::label::LabelKind;
use crate::names;

/// The most speakers a text may have; labels beyond them are text.
pub const MAX_SPEAKERS: usize = 200;

/// A person as the engine builds them.
#[derive(Debug, Clone)]
pub(crate) struct Person {
    pub id: String,
    pub name: String,
    pub role: Option<Role>,
    /// Labels and other spellings that name this person.
    pub aliases: Vec<String>,
    /// The name is a real name (from a header, a byline or a full-name label).
    pub full: bool,
    /// Where it first appears: header order, then source position.
    pub first: (usize, usize),
    /// Initials that label this person, used as the id.
    pub initials: Option<String>,
    /// Kind of the label that named the person first.
    pub kind: Option<LabelKind>,
    /// A group label (`All`): turns of it are said by everyone.
    pub group: bool,
}

/// Everyone found, and which label names whom.
#[derive(Debug, Default)]
pub(crate) struct People {
    pub list: Vec<Person>,
    /// Folded label text → index into `list`.
    pub labels: Vec<(String, usize)>,
    /// Folded labels that mean everyone who speaks (`All`, `Everyone`, `Both`).
    pub everyone: BTreeSet<String>,
    /// More people were found than a transcript may have.
    capped: bool,
}

impl People {
    fn named(&self, name: &str) -> Option<usize> {
        self.list.iter().position(|p| {
            names::same_name(&p.name, name) || p.aliases.iter().any(|a| names::same_name(a, name))
        })
    }

    /// The person a name or label names; a surname or given name names the one person
    /// whose full name it begins or ends (`WEISS` in `LOPES & WEISS` for Daniel Weiss).
    pub(crate) fn find(&self, s: &str) -> Option<usize> {
        self.lookup(s).or_else(|| self.named(s)).or_else(|| {
            let fits: Vec<usize> = (0..self.list.len())
                .filter(|&i| !self.list[i].group && names::is_part_of(s, &self.list[i].name))
                .collect();
            match fits.as_slice() {
                [i] => Some(*i),
                _ => None,
            }
        })
    }

    /// The person a label names.
    pub(crate) fn lookup(&self, label: &str) -> Option<usize> {
        let key = names::folded(label);
        self.labels.iter().find(|(l, _)| *l == key).map(|(_, i)| *i)
    }

    fn link_all(&mut self, c: &Candidate, i: usize) {
        for s in &c.spellings {
            self.link(s, i);
        }
    }

    fn link(&mut self, label: &str, i: usize) {
        let key = names::folded(label);
        if !self.labels.iter().any(|(l, _)| *l == key) {
            self.labels.push((key, i));
        }
        let p = &mut self.list[i];
        if p.name != label && !p.aliases.iter().any(|a| a == label) {
            p.aliases.push(label.to_string());
        }
    }

    /// Adds a person, unless there are too many (one warning, at `at`, for the first
    /// left out).
    fn add(&mut self, p: Person, at: (usize, usize), log: &mut Log) -> Option<usize> {
        if self.list.len() >= MAX_SPEAKERS {
            if !self.capped {
                self.capped = true;
                log.warn(
                    Code::Limit,
                    at,
                    format!(
                        "more than {MAX_SPEAKERS} people: \"{}\" and the rest are left out",
                        p.name
                    ),
                );
            }
            return None;
        }
        self.list.push(p);
        Some(self.list.len() - 1)
    }
}

fn person(name: String, full: bool, first: (usize, usize)) -> Person {
    Person {
        id: String::new(),
        name,
        role: None,
        aliases: Vec::new(),
        full,
        first,
        initials: None,
        kind: None,
        group: false,
    }
}

/// How a label in capitals is shown: `SOLOMON` → `Solomon`.
fn display(label: &str, kind: LabelKind) -> String {
    let word_like = matches!(
        kind,
        LabelKind::UpperName
            | LabelKind::RoleWord(_)
            | LabelKind::QuestionAnswer(_)
            | LabelKind::Group
    );
    // Three capitals that read as a word (`LEE`, `ANA`, not `DJC`) are a name, when no
    // full name was found for them as initials.
    let short_name = kind == LabelKind::Initials && reads_as_word(label);
    if (word_like && names::is_upper(label) && label.chars().count() > 3) || short_name {
        names::title_case(label)
    } else {
        label.to_string()
    }
}

/// Three letters, consonants and vowels alternating: `LEE`, `ANA`, `TOM`.
fn reads_as_word(label: &str) -> bool {
    let vowel = |c: char| "AEIOUYÁÉÍÓÚÀÈÌÒÙÄËÏÖÜÂÊÎÔÛ".contains(c);
    let cs: Vec<char> = label.chars().collect();
    cs.len() == 3
        && cs.iter().all(|c| c.is_alphabetic() && c.is_uppercase())
        && cs.iter().any(|&c| vowel(c))
        && cs.iter().any(|&c| !vowel(c))
        && !(vowel(cs[0]) && vowel(cs[1]) && vowel(cs[2]))
        && !(!vowel(cs[0]) && !vowel(cs[1]))
        && !(!vowel(cs[1]) && !vowel(cs[2]))
}

/// Resolves the accepted candidates to people. The header's people come first, then
/// full-name labels, then the labels that abbreviate them (initials, a surname, a first
/// name, a parenthesised name), then the rest; each joining of two labels is a warning.
pub(crate) fn resolve(
    cands: &[Candidate],
    accepted: &[bool],
    front: &[Named],
    overrides: &Speakers,
    log: &mut Log,
) -> People {
    let mut people = People::default();
    let mut sources: Vec<&'static str> = Vec::new();
    for (order, n) in front.iter().enumerate() {
        sources.push(n.source);
        let mut p = person(n.name.clone(), true, (0, order));
        p.role = n.role;
        if let Some(w) = &n.written {
            p.aliases.push(w.clone());
        }
        if people.add(p, n.at, log).is_none() {
            sources.pop();
        }
    }
    let chosen: Vec<&Candidate> = cands
        .iter()
        .zip(accepted)
        .filter(|(_, a)| **a)
        .map(|(c, _)| c)
        .collect();
    // Full names first, so that initials and surnames find them wherever they occur.
    let full = |c: &Candidate| {
        matches!(c.kind, LabelKind::Name | LabelKind::UpperName)
            && names::name_words(c.person.as_deref().unwrap_or(&c.text)).len() >= 2
    };
    let mut order: Vec<&Candidate> = chosen.clone();
    order.sort_by_key(|c| (!full(c), c.first));
    for c in order {
        if matches!(c.kind, LabelKind::Group | LabelKind::Compound) {
            continue;
        }
        resolve_one(&mut people, c, full(c), overrides, &sources, log);
    }
    // Groups: `All` is everyone; other groups (`Audience`) speak as one; a compound
    // names its parts, which the body resolves.
    for c in &chosen {
        if c.kind == LabelKind::Group
            && matches!(
                names::folded(&c.text).as_str(),
                "all" | "everyone" | "everybody" | "both" | "all speakers"
            )
        {
            people.everyone.insert(names::folded(&c.text));
        } else if c.kind == LabelKind::Group {
            let mut p = person(display(&c.text, LabelKind::UpperName), false, c.first);
            p.group = true;
            p.kind = Some(c.kind);
            p.role = Some(Role::Other);
            if let Some(i) = people.add(p, c.first, log) {
                people.link_all(c, i);
            }
        }
    }
    people
}

fn resolve_one(
    people: &mut People,
    c: &Candidate,
    full: bool,
    overrides: &Speakers,
    sources: &[&'static str],
    log: &mut Log,
) {
    let named_in = |i: usize| {
        sources
            .get(i)
            .map_or_else(String::new, |s| format!(", named in {s}"))
    };
    let shown = display(&c.text, c.kind);
    if let Some(e) = overrides.find(&c.text) {
        let name = e.name.clone().unwrap_or_else(|| shown.clone());
        let i = match people.named(&name) {
            Some(i) => Some(i),
            None => {
                let mut p = person(name, true, c.first);
                p.kind = Some(c.kind);
                people.add(p, c.first, log)
            }
        };
        if let Some(i) = i {
            people.link_all(c, i);
        }
        return;
    }
    // The same name as someone already known.
    let own = c.person.as_deref().unwrap_or(&c.text);
    if let Some(i) = people.named(own).or_else(|| people.named(&shown)) {
        if !names::same_name(&people.list[i].name, &c.text) && people.list[i].full {
            log.warn(
                Code::SpeakerMerged,
                c.first,
                format!(
                    "\"{}\" taken as {}{}",
                    c.text,
                    people.list[i].name,
                    named_in(i)
                ),
            );
        }
        people.link_all(c, i);
        return;
    }
    // `Q`, `Interviewer`: the one person the header gives that role.
    if let LabelKind::QuestionAnswer(role) | LabelKind::RoleWord(role) = c.kind {
        let fits: Vec<usize> = (0..sources.len())
            .filter(|&i| people.list[i].role == Some(role))
            .collect();
        if let [i] = fits.as_slice() {
            log.warn(
                Code::SpeakerMerged,
                c.first,
                format!(
                    "\"{}\" taken as {}{}",
                    c.text,
                    people.list[*i].name,
                    named_in(*i)
                ),
            );
            people.link_all(c, *i);
            return;
        }
    }
    if !full {
        // Initials, a surname or a first name of exactly one full name.
        let fits: BTreeSet<usize> = (0..people.list.len())
            .filter(|&i| {
                let p = &people.list[i];
                p.full
                    && (c.kind == LabelKind::Initials && names::abbreviates(&c.text, &p.name)
                        || names::is_part_of(&c.text, &p.name))
            })
            .collect();
        match fits.len() {
            1 => {
                let i = *fits.iter().next().unwrap_or(&0);
                if c.kind == LabelKind::Initials {
                    people.list[i]
                        .initials
                        .get_or_insert_with(|| c.text.clone());
                }
                let what = if c.kind == LabelKind::Initials {
                    "initials "
                } else {
                    ""
                };
                log.warn(
                    Code::SpeakerMerged,
                    c.first,
                    format!(
                        "{what}\"{}\" taken as {}{}",
                        c.text,
                        people.list[i].name,
                        named_in(i)
                    ),
                );
                people.link_all(c, i);
                return;
            }
            n if n > 1 => log.warn(
                Code::SpeakerDeclared,
                c.first,
                format!(
                    "\"{}\" fits several people ({}): kept as a speaker of its own",
                    c.text,
                    fits.iter()
                        .map(|&i| people.list[i].name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
            _ => {}
        }
    }
    let name = match &c.person {
        Some(p) => p.clone(),
        None => shown.clone(),
    };
    let mut p = person(name.clone(), full, c.first);
    p.kind = Some(c.kind);
    if c.kind == LabelKind::Initials {
        p.initials = Some(c.text.clone());
    }
    if let Some(i) = people.add(p, c.first, log) {
        people.link_all(c, i);
        if name != c.text {
            people.link(&name, i);
        }
    }
}

/// Gives every person an id: their initials label, the initials of a full name, or the
/// label; unique, in order of appearance.
pub(crate) fn assign_ids(people: &mut People) {
    let mut order: Vec<usize> = (0..people.list.len()).collect();
    order.sort_by_key(|&i| people.list[i].first);
    let mut new_index = vec![0; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let mut list: Vec<Person> = order.iter().map(|&i| people.list[i].clone()).collect();
    for (_, i) in &mut people.labels {
        *i = new_index.get(*i).copied().unwrap_or(0);
    }
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for p in &mut list {
        let is_taken = |s: &str| taken.contains(s);
        p.id = match &p.initials {
            Some(ini) => {
                let bare: String = ini.chars().filter(|c| *c != '.').collect();
                names::make_id(&bare, false, is_taken)
            }
            None => names::make_id(&p.name, p.full, is_taken),
        };
        taken.insert(p.id.clone());
    }
    people.list = list;
}

/// The participants of the transcript.
pub(crate) fn participants(people: &People) -> Vec<Participant> {
    people
        .list
        .iter()
        .map(|p| Participant {
            id: p.id.clone(),
            name: p.name.clone(),
            role: p.role.unwrap_or(Role::Other),
            aliases: p
                .aliases
                .iter()
                .filter(|x| **x != p.id && **x != p.name)
                .cloned()
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::Form;

    fn cand(text: &str, kind: LabelKind, first: usize) -> Candidate {
        Candidate {
            text: text.into(),
            kind,
            form: Form::default(),
            count: 1,
            first: (first, 1),
            person: None,
            spellings: vec![text.into()],
            voiced: false,
            dashed: false,
            normalised_at: None,
        }
    }

    #[test]
    fn three_capitals_that_read_as_a_word_are_a_name() {
        assert_eq!(display("LEE", LabelKind::Initials), "Lee");
        assert_eq!(display("ANA", LabelKind::Initials), "Ana");
        assert_eq!(display("DJC", LabelKind::Initials), "DJC");
        assert_eq!(display("HB", LabelKind::Initials), "HB");
        assert_eq!(display("SSA", LabelKind::Initials), "SSA");
    }

    #[test]
    fn initials_join_full_names_wherever_they_occur() {
        // `RO` comes before `RUTH OKAFOR`.
        let cands = vec![
            cand("RO", LabelKind::Initials, 1),
            cand("RUTH OKAFOR", LabelKind::UpperName, 3),
            cand("DANIEL WEISS", LabelKind::UpperName, 5),
            cand("DW", LabelKind::Initials, 7),
        ];
        let mut log = Log::default();
        let mut people = resolve(&cands, &[true; 4], &[], &Speakers::default(), &mut log);
        assign_ids(&mut people);
        let names: Vec<&str> = people.list.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Ruth Okafor", "Daniel Weiss"]);
        assert_eq!(people.list[people.lookup("RO").unwrap()].id, "RO");
        assert_eq!(people.lookup("DW"), people.lookup("DANIEL WEISS"));
    }

    #[test]
    fn surnames_join_the_headers_people() {
        let front = vec![Named {
            name: "Sarah Schneider".into(),
            role: Some(Role::Interviewer),
            at: (3, 1),
            written: None,
            source: "the header",
        }];
        let cands = vec![cand("SCHNEIDER", LabelKind::UpperName, 9)];
        let mut log = Log::default();
        let people = resolve(&cands, &[true], &front, &Speakers::default(), &mut log);
        assert_eq!(people.list.len(), 1);
        assert_eq!(people.lookup("SCHNEIDER"), Some(0));
    }

    #[test]
    fn parenthesised_labels_name_their_person() {
        let mut c = cand("The Minister (Jane Roe)", LabelKind::Name, 1);
        c.person = Some("Jane Roe".into());
        let d = cand("Jane Roe", LabelKind::Name, 5);
        let mut log = Log::default();
        let people = resolve(&[c, d], &[true, true], &[], &Speakers::default(), &mut log);
        assert_eq!(people.list.len(), 1);
        assert_eq!(people.list[0].name, "Jane Roe");
    }
}
