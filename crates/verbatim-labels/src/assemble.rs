//! Paragraphs of an unstructured transcript → model: page chrome, header
//! block, title, speaker labels, participants and their roles, headings,
//! continued and inferred turns.

use verbatim_model::{
    Block, Code, Diagnostic, Inline, IsoDate, LanguageTag, Located, Metadata, ModelError,
    Paragraph, Parsed, Participant, Role, Section, Timestamp, Transcript, Turn,
};

use std::collections::{BTreeMap, BTreeSet};

use crate::brackets::{self, BracketOptions};
use crate::header::{self, Field};
use crate::label::{LabelKind, Labelled, split_label};
use crate::names;
use crate::roles::{self, Stats, ends_with_question};

/// One source line of a paragraph (a `w:br`-separated part in Word).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// 1-based line in the source (a paragraph number for Word).
    pub line: usize,
    /// 1-based column where the text starts.
    pub column: usize,
    /// The line's content; brackets are still plain text.
    pub content: Vec<Inline>,
}

impl Line {
    /// A line of plain text.
    pub fn text(line: usize, column: usize, text: &str) -> Line {
        Line {
            line,
            column,
            content: vec![Inline::text(text)],
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
}

/// The most speakers a text may have; labels beyond the most used are text.
pub const MAX_SPEAKERS: usize = 200;

/// Lines that are page navigation, trimmed at the start and end of a text.
const NAV: &[&str] = &[
    "skip to main content",
    "skip to content",
    "skip to navigation",
    "skip navigation",
    "main menu",
    "menu",
    "search",
    "support",
    "donate",
    "subscribe",
    "sign up",
    "sign in",
    "log in",
    "login",
    "share",
    "share this",
    "share this page",
    "share on facebook",
    "share on twitter",
    "print",
    "email",
    "tweet",
    "facebook",
    "twitter",
    "linkedin",
    "back to top",
    "top",
    "home",
    "blog post",
    "blog",
    "article",
    "news",
    "podcast",
    "press release",
    "advertisement",
    "comments",
    "leave a comment",
    "cookie settings",
    "accept cookies",
    "next",
    "previous",
    "next article",
    "previous article",
    "toggle navigation",
];

/// Lines (or paragraph endings) that lead to another page, trimmed anywhere.
const READ_MORE: &[&str] = &[
    "read more",
    "continue reading",
    "learn more",
    "see more",
    "show more",
    "read the full story",
];

/// Headings after which text is back matter, not the last speaker's words.
const BACK_MATTER: &[&str] = &[
    "about the author",
    "about the authors",
    "about the interviewer",
    "about the interviewee",
    "about the interviewees",
    "about the narrator",
    "about the speaker",
    "about the speakers",
    "about the contributor",
    "about the contributors",
    "about this interview",
    "about the project",
    "about",
    "author",
    "authors",
    "bio",
    "biography",
    "notes",
    "footnotes",
    "endnotes",
    "references",
    "bibliography",
    "further reading",
    "acknowledgments",
    "acknowledgements",
    "credits",
    "related",
    "related content",
    "related articles",
    "comments",
    "tags",
    "topics",
    "sources",
    "appendix",
    "copyright",
    "license",
];

/// Short replies that are speech, not headings.
const REPLIES: &[&str] = &[
    "yes",
    "no",
    "okay",
    "ok",
    "right",
    "sure",
    "yeah",
    "yep",
    "nope",
    "mm-hmm",
    "uh-huh",
    "hmm",
    "mhm",
    "well",
    "oh",
    "exactly",
    "really",
    "thanks",
    "thank you",
    "of course",
    "i see",
    "absolutely",
    "correct",
    "true",
    "indeed",
    "maybe",
    "perhaps",
    "go on",
    "and then",
];

fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches(['»', '›', '>', '→', '…', '.', ':'])
        .trim()
        .to_lowercase()
}

/// The text of inline content with brackets as written.
fn flat(list: &[Inline]) -> String {
    verbatim_model::plain_text(list)
}

/// Ends in sentence or clause punctuation (closing quotes, brackets and
/// trailing bracketed notes looked through).
fn ends_with_punctuation(s: &str) -> bool {
    let mut s = s.trim_end();
    while let Some(open) = s.strip_suffix(']').and_then(|x| x.rfind('[')) {
        s = s[..open].trim_end();
    }
    s.trim_end_matches(['"', '\'', '”', '’', ')', ']', '»'])
        .ends_with(['.', ',', ';', ':', '!', '?', '…'])
}

/// A short line that could be a section heading, before looking at its neighbours.
fn heading_shape(s: &str) -> bool {
    let s = s.trim();
    let first_alpha = s.chars().find(|c| c.is_alphanumeric());
    !s.is_empty()
        && s.chars().count() <= 100
        && s.split_whitespace().count() <= 15
        && first_alpha.is_some_and(|c| !c.is_lowercase())
        && s.chars().any(char::is_alphabetic)
        && !s.starts_with(['-', '•', '*', '–', '—', '(', '['])
        && !ends_with_punctuation(s)
        && !s.contains("://")
        && !s.to_lowercase().starts_with("www.")
        && !REPLIES.contains(&norm(s).as_str())
        && !NAV.contains(&norm(s).as_str())
        && !READ_MORE.contains(&norm(s).as_str())
}

fn is_separator(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    t.chars().count() >= 3
        && (t.chars().all(|c| c == '-')
            || t.chars().all(|c| c == '*')
            || t.chars().all(|c| c == '_')
            || t.chars().all(|c| c == '=')
            || t.chars().all(|c| c == '#')
            || t.chars().all(|c| c == '~'))
}

/// `Interviewed by X`, `Interview by X`, `Interview conducted by X`.
fn byline(s: &str) -> Option<&str> {
    let lower = s.to_lowercase();
    for p in [
        "interviewed by ",
        "interview by ",
        "interview conducted by ",
        "conducted by ",
    ] {
        if let Some(i) = lower.find(p)
            && (i == 0 || lower.starts_with("interview"))
        {
            let name = s.get(i + p.len()..)?.trim().trim_end_matches('.');
            return (!name.is_empty() && name.split_whitespace().count() <= 6).then_some(name);
        }
    }
    None
}

/// A speaker as the assembler builds them.
#[derive(Debug, Clone)]
struct Person {
    id: String,
    name: String,
    role: Option<Role>,
    aliases: Vec<String>,
    /// The name is a real name (from a header, a byline or a full-name label).
    full: bool,
    /// Where it first appears: header order, then source position.
    first: (usize, usize),
    /// An initials label that names this person, used as the id.
    initials: Option<String>,
    /// Kind of the label that created the person.
    kind: Option<LabelKind>,
}

struct Candidate {
    text: String,
    kind: LabelKind,
    words: usize,
    count: usize,
    first: (usize, usize),
}

struct Assembler {
    warnings: Vec<Diagnostic>,
    people: Vec<Person>,
    /// Label text → index into `people`, for accepted labels.
    resolved: Vec<(String, usize)>,
    /// The header named more people than allowed.
    capped: bool,
}

impl Assembler {
    fn warn(&mut self, code: Code, at: (usize, usize), msg: String) {
        self.warnings
            .push(Diagnostic::warning(code, at.0, at.1, msg));
    }

    fn person_named(&self, name: &str) -> Option<usize> {
        self.people.iter().position(|p| {
            names::same_name(&p.name, name) || p.aliases.iter().any(|a| names::same_name(a, name))
        })
    }

    fn lookup(&self, label: &str) -> Option<usize> {
        self.resolved
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, i)| *i)
    }

    /// Adds a speaker for an accepted label, unless there are too many.
    fn add(&mut self, p: Person, label: &str) {
        if self.people.len() >= MAX_SPEAKERS {
            if !self.capped {
                self.capped = true;
                self.warn(Code::Limit, p.first, format!("more than {MAX_SPEAKERS} people: \"{label}\" and later labels are left as text"));
            }
            return;
        }
        self.people.push(p);
        self.resolved
            .push((label.to_string(), self.people.len() - 1));
    }

    fn add_alias(&mut self, i: usize, alias: &str) {
        let p = &mut self.people[i];
        if p.name != alias && !p.aliases.iter().any(|a| a == alias) {
            p.aliases.push(alias.to_string());
        }
    }
}

/// Builds a transcript from paragraphs. `metadata` holds what the container
/// already knows (a Word file's properties); the text's header block adds to it.
/// Every guess is reported as a warning with its position.
pub fn assemble(
    mut paras: Vec<Para>,
    mut metadata: Metadata,
) -> Result<Parsed<Transcript>, Located<ModelError>> {
    let mut a = Assembler {
        warnings: Vec::new(),
        people: Vec::new(),
        resolved: Vec::new(),
        capped: false,
    };
    clean(&mut paras);
    trim_chrome(&mut paras, &mut a);
    let mut header_order = 0;
    read_header(&mut paras, &mut metadata, &mut a, &mut header_order);
    take_title(&mut paras, &mut metadata, &mut a);

    // Label candidates, line by line.
    let labels: Vec<Vec<Option<Labelled>>> = paras
        .iter()
        .map(|p| {
            p.lines
                .iter()
                .map(|l| {
                    if p.style == Style::Body {
                        split_label(&l.content)
                    } else {
                        None
                    }
                })
                .collect()
        })
        .collect();
    let mut cands: Vec<Candidate> = Vec::new();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for (p, ls) in paras.iter().zip(&labels) {
        for (line, l) in p.lines.iter().zip(ls) {
            let Some(l) = l else { continue };
            match index.get(l.label.text.as_str()) {
                Some(&i) => cands[i].count += 1,
                None => {
                    index.insert(&l.label.text, cands.len());
                    cands.push(Candidate {
                        text: l.label.text.clone(),
                        kind: l.label.kind,
                        words: l.label.words,
                        count: 1,
                        first: (line.line, line.column),
                    });
                }
            }
        }
    }
    if cands.len() > MAX_SPEAKERS {
        // No interview has this many speakers; keep the most used labels.
        cands.sort_by_key(|c| (std::cmp::Reverse(c.count), c.first));
        let dropped = cands.split_off(MAX_SPEAKERS);
        cands.sort_by_key(|c| c.first);
        if let Some(d) = dropped.iter().min_by_key(|d| d.first) {
            a.warn(
                Code::Limit,
                d.first,
                format!(
                    "{} labels beyond the {MAX_SPEAKERS} most used are left as text",
                    dropped.len()
                ),
            );
        }
    }
    // Names the text gives outside labels: bylines before the first label, and
    // "an interview with X" in the title.
    let first_label_para = labels
        .iter()
        .position(|ls| ls.iter().any(Option::is_some))
        .unwrap_or(paras.len());
    let mut bylines: Vec<(String, (usize, usize))> = Vec::new();
    for p in &paras[..first_label_para] {
        if let [line] = p.lines.as_slice()
            && let Some(name) = byline(&flat(&line.content))
        {
            bylines.push((name.to_string(), (line.line, line.column)));
        }
    }
    let mut named = bylines.clone();
    if let Some(n) = metadata.title.as_deref().and_then(title_name) {
        named.push((n.to_string(), (0, 0)));
    }
    resolve_labels(&mut a, &cands, &named);
    assign_ids(&mut a);
    roles_from_bylines(&mut a, &bylines);
    if let Some(title) = metadata.title.clone() {
        role_from_title(&mut a, &title);
    }
    roles_from_questions(&mut a, &paras, &labels);

    let participants: Vec<Participant> = a
        .people
        .iter()
        .map(|p| Participant {
            id: p.id.clone(),
            name: p.name.clone(),
            role: p.role.unwrap_or(Role::Other),
            aliases: p.aliases.iter().filter(|x| **x != p.id).cloned().collect(),
        })
        .collect();
    if a.resolved.is_empty() && !paras.is_empty() {
        let at = paras
            .first()
            .and_then(|p| p.lines.first())
            .map_or((1, 1), |l| (l.line, l.column));
        a.warn(
            Code::LabelsMissing,
            at,
            "no speaker labels found: the whole text is read as narrative".into(),
        );
    }
    // Where a model error would come from: the first paragraph nested too deep, else
    // the start.
    let too_deep = paras
        .iter()
        .find(|p| {
            p.lines
                .iter()
                .any(|l| verbatim_model::inline_depth(&l.content) + 3 > verbatim_model::MAX_NESTING)
        })
        .and_then(|p| p.lines.first())
        .map(|l| (l.line, l.column));
    let first = paras
        .first()
        .and_then(|p| p.lines.first())
        .map_or((1, 1), |l| (l.line, l.column));
    let body = build_body(&mut a, paras, labels, &participants);
    let t = Transcript::new(metadata, participants, body).map_err(|e| {
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
    let mut warnings = a.warnings;
    warnings.sort_by_key(|w| (w.line(), w.column()));
    Ok(Parsed { value: t, warnings })
}

/// Trims the lines' edges and drops empty lines and paragraphs.
fn clean(paras: &mut Vec<Para>) {
    for p in paras.iter_mut() {
        for l in &mut p.lines {
            trim_inlines(&mut l.content);
        }
        p.lines.retain(|l| !l.content.is_empty());
    }
    paras.retain(|p| !p.lines.is_empty());
}

fn trim_inlines(list: &mut Vec<Inline>) {
    if let Some(Inline::Text { text }) = list.first_mut() {
        let t = text.trim_start();
        if t.len() != text.len() {
            *text = t.to_string();
        }
    }
    if let Some(Inline::Text { text }) = list.last_mut() {
        let t = text.trim_end();
        if t.len() != text.len() {
            *text = t.to_string();
        }
    }
    list.retain(|i| !matches!(i, Inline::Text { text } if text.is_empty()));
}

fn trim_chrome(paras: &mut Vec<Para>, a: &mut Assembler) {
    let trim_line = |a: &mut Assembler, l: &Line, why: &str| {
        a.warn(
            Code::TextDropped,
            (l.line, l.column),
            format!(
                "\"{}\" trimmed: {why}",
                names::excerpt(&flat(&l.content), 60)
            ),
        );
    };
    // "Read more" lines anywhere, and at the end of a paragraph.
    for p in paras.iter_mut() {
        if p.style != Style::Body {
            continue;
        }
        let mut kept = Vec::new();
        for mut l in std::mem::take(&mut p.lines) {
            if READ_MORE.contains(&norm(&flat(&l.content)).as_str()) {
                trim_line(a, &l, "a link to another page");
                continue;
            }
            let total = flat(&l.content).chars().count();
            if let Some(Inline::Text { text }) = l.content.last_mut()
                && let Some(cut) = read_more_suffix(text)
            {
                let col = l.column + total - text[cut..].chars().count();
                a.warn(
                    Code::TextDropped,
                    (l.line, col),
                    format!("\"{}\" trimmed: a link to another page", text[cut..].trim()),
                );
                text.truncate(cut);
                trim_inlines(&mut l.content);
            }
            kept.push(l);
        }
        p.lines = kept;
    }
    paras.retain(|p| !p.lines.is_empty());
    // Navigation at the start and at the end.
    for from_end in [false, true] {
        loop {
            let idx = if from_end {
                paras.len().checked_sub(1)
            } else {
                (!paras.is_empty()).then_some(0)
            };
            let Some(i) = idx else { break };
            if paras[i].style != Style::Body {
                break;
            }
            let li = if from_end {
                paras[i].lines.len() - 1
            } else {
                0
            };
            let l = &paras[i].lines[li];
            if !NAV.contains(&norm(&flat(&l.content)).as_str()) {
                break;
            }
            let l = paras[i].lines.remove(li);
            trim_line(a, &l, "page navigation");
            if paras[i].lines.is_empty() {
                paras.remove(i);
            }
        }
    }
}

/// Where a trailing "Read more" starts in a paragraph's last text, after a sentence.
fn read_more_suffix(text: &str) -> Option<usize> {
    let lower = text.to_lowercase();
    for phrase in READ_MORE {
        let stripped = lower
            .trim_end()
            .trim_end_matches(['»', '›', '>', '→', '…', '.']);
        if let Some(before) = stripped.strip_suffix(phrase)
            && before.ends_with(char::is_whitespace)
            && ends_with_punctuation(before.trim_end())
        {
            // Lower-casing can change byte lengths; map back through characters.
            let chars = before.trim_end().chars().count();
            return text.char_indices().nth(chars).map(|(i, _)| i);
        }
    }
    None
}

fn read_header(paras: &mut Vec<Para>, m: &mut Metadata, a: &mut Assembler, order: &mut usize) {
    let Some(start) = paras.iter().position(|p| p.style == Style::Body) else {
        return;
    };
    let mut project = None;
    let i = start;
    'paras: while i < paras.len() && paras[i].style == Style::Body {
        while let Some(l) = paras[i].lines.first() {
            let text = flat(&l.content);
            let Some((field, key, value)) = header::header_line(&text) else {
                break 'paras;
            };
            let at = (l.line, l.column);
            let value = value.to_string();
            let key = key.to_string();
            apply_header(a, m, field, &key, &value, at, order, &mut project);
            paras[i].lines.remove(0);
        }
        if paras[i].lines.is_empty() {
            paras.remove(i);
        } else {
            break;
        }
    }
    if m.publisher.is_none() {
        m.publisher = project;
    }
}

#[allow(clippy::too_many_arguments)]
fn apply_header(
    a: &mut Assembler,
    m: &mut Metadata,
    field: Field,
    key: &str,
    value: &str,
    at: (usize, usize),
    order: &mut usize,
    project: &mut Option<String>,
) {
    let set = |slot: &mut Option<String>| *slot = Some(value.to_string());
    match field {
        Field::Title => set(&mut m.title),
        Field::Subtitle => set(&mut m.subtitle),
        Field::Place => set(&mut m.place),
        Field::Publisher => set(&mut m.publisher),
        Field::Source => set(&mut m.source_url),
        Field::Rights => set(&mut m.rights),
        Field::Identifier => set(&mut m.identifier),
        Field::Description => set(&mut m.description),
        Field::Project => *project = Some(value.to_string()),
        Field::Keywords => m.keywords.extend(header::split_keywords(value)),
        Field::Date => match IsoDate::parse_loose(value) {
            Some(d) => m.date = Some(d),
            None => a.warn(
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
            None => a.warn(
                Code::LanguageInvalid,
                at,
                format!(
                    "language \"{}\" not understood (write a tag such as en): left out",
                    names::excerpt(value, 60)
                ),
            ),
        },
        Field::Ignored => a.warn(
            Code::MetadataDropped,
            at,
            format!("header field \"{key}\" has no place in the transcript model: left out"),
        ),
        Field::People(role) => {
            for name in header::split_names(value) {
                if a.people.len() >= MAX_SPEAKERS {
                    if !a.capped {
                        a.capped = true;
                        a.warn(
                            Code::Limit,
                            at,
                            format!("more than {MAX_SPEAKERS} people: the rest are left out"),
                        );
                    }
                    break;
                }
                let display = if names::is_upper(&name) && name.chars().count() > 3 {
                    names::title_case(&name)
                } else {
                    name.clone()
                };
                if let Some(i) = a.person_named(&display) {
                    a.people[i].role.get_or_insert(role);
                    continue;
                }
                let mut p = Person {
                    id: String::new(),
                    name: display.clone(),
                    role: Some(role),
                    aliases: Vec::new(),
                    full: true,
                    first: (0, *order),
                    initials: None,
                    kind: None,
                };
                if display != name {
                    p.aliases.push(name);
                }
                *order += 1;
                a.people.push(p);
            }
        }
    }
}

/// The first line is the title when nothing else gives one.
fn take_title(paras: &mut Vec<Para>, m: &mut Metadata, a: &mut Assembler) {
    if let Some(i) = paras.iter().position(|p| p.style == Style::Title) {
        let p = paras.remove(i);
        let text = p
            .lines
            .iter()
            .map(|l| flat(&l.content))
            .collect::<Vec<_>>()
            .join(" ");
        m.title = Some(text);
    }
    if m.subtitle.is_none()
        && let Some(i) = paras.iter().position(|p| p.style == Style::Subtitle)
    {
        let p = paras.remove(i);
        m.subtitle = Some(
            p.lines
                .iter()
                .map(|l| flat(&l.content))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    if m.title.is_some() {
        return;
    }
    let Some(p) = paras.first() else { return };
    if p.style != Style::Body || p.lines.len() != 1 {
        return;
    }
    let text = flat(&p.lines[0].content);
    // `Name: words` is a title only when that name labels nothing else.
    let labelled = split_label(&p.lines[0].content).is_some_and(|l| {
        l.label.kind != LabelKind::Name
            || paras
                .iter()
                .skip(1)
                .flat_map(|p| &p.lines)
                .any(|x| split_label(&x.content).is_some_and(|y| y.label.text == l.label.text))
    });
    if heading_shape(&text) && !labelled && byline(&text).is_none() {
        let at = (p.lines[0].line, p.lines[0].column);
        a.warn(
            Code::TitleGuessed,
            at,
            format!("first line \"{text}\" taken as the title"),
        );
        m.title = Some(text);
        paras.remove(0);
    }
}

/// Decides which candidate labels are speakers and who they are.
fn resolve_labels(a: &mut Assembler, cands: &[Candidate], bylines: &[(String, (usize, usize))]) {
    let total = cands.len();
    let full_name =
        |c: &Candidate| matches!(c.kind, LabelKind::Name | LabelKind::UpperName) && c.words >= 2;
    // Full names first, so initials and surnames can be matched to them.
    let mut sorted: Vec<&Candidate> = cands.iter().collect();
    sorted.sort_by_key(|c| match c.kind {
        _ if full_name(c) => 0,
        LabelKind::QuestionAnswer(_) | LabelKind::RoleWord(_) | LabelKind::Speaker => 1,
        _ => 2,
    });
    for c in sorted {
        if let Some(i) = a.person_named(&c.text) {
            a.add_alias(i, &c.text);
            a.resolved.push((c.text.clone(), i));
            continue;
        }
        let new = |name: String, full: bool, role: Option<Role>| Person {
            id: String::new(),
            name,
            role,
            aliases: Vec::new(),
            full,
            first: (c.first.0, c.first.1),
            initials: None,
            kind: Some(c.kind),
        };
        match c.kind {
            _ if full_name(c) => {
                if c.count < 2
                    && total < 2
                    && !bylines.iter().any(|(b, _)| names::same_name(b, &c.text))
                {
                    continue;
                }
                let mut name = c.text.clone();
                if c.kind == LabelKind::UpperName {
                    name = names::title_case(&c.text);
                }
                let mut p = new(name.clone(), true, None);
                if name != c.text {
                    p.aliases.push(c.text.clone());
                }
                a.add(p, &c.text);
            }
            LabelKind::QuestionAnswer(role) | LabelKind::RoleWord(role) => {
                let declared: Vec<usize> = (0..a.people.len())
                    .filter(|&i| a.people[i].role == Some(role) && a.people[i].kind.is_none())
                    .collect();
                if let [i] = declared.as_slice() {
                    let i = *i;
                    a.warn(
                        Code::SpeakerMerged,
                        c.first,
                        format!(
                            "\"{}\" taken as {} ({})",
                            c.text,
                            a.people[i].name,
                            role.as_str()
                        ),
                    );
                    a.add_alias(i, &c.text);
                    a.resolved.push((c.text.clone(), i));
                } else {
                    a.add(new(c.text.clone(), false, Some(role)), &c.text);
                }
            }
            LabelKind::Speaker => {
                a.add(new(c.text.clone(), false, None), &c.text);
            }
            LabelKind::Initials => {
                let matches: Vec<usize> = (0..a.people.len())
                    .filter(|&i| a.people[i].full && names::abbreviates(&c.text, &a.people[i].name))
                    .collect();
                if let [i] = matches.as_slice() {
                    let i = *i;
                    a.warn(
                        Code::SpeakerMerged,
                        c.first,
                        format!("initials \"{}\" taken as {}", c.text, a.people[i].name),
                    );
                    a.people[i].initials.get_or_insert_with(|| c.text.clone());
                    a.add_alias(i, &c.text);
                    a.resolved.push((c.text.clone(), i));
                    continue;
                }
                if matches.len() > 1 {
                    a.warn(
                        Code::SpeakerDeclared,
                        c.first,
                        format!(
                            "initials \"{}\" fit several people: kept as a speaker of their own",
                            c.text
                        ),
                    );
                }
                let by = bylines.iter().find(|(b, _)| names::abbreviates(&c.text, b));
                if matches.is_empty()
                    && let Some((name, at)) = by
                {
                    let name = if names::is_upper(name) {
                        names::title_case(name)
                    } else {
                        name.clone()
                    };
                    let place = if at.0 == 0 { "the title" } else { "the byline" };
                    a.warn(
                        Code::SpeakerMerged,
                        c.first,
                        format!("initials \"{}\" taken as {name}, named in {place}", c.text),
                    );
                    let mut p = new(name, true, None);
                    p.initials = Some(c.text.clone());
                    p.aliases.push(c.text.clone());
                    a.add(p, &c.text);
                } else if c.count >= 2 || matches.len() > 1 {
                    a.add(new(c.text.clone(), false, None), &c.text);
                }
            }
            LabelKind::Name | LabelKind::UpperName => {
                let matches: Vec<usize> = (0..a.people.len())
                    .filter(|&i| a.people[i].full && names::is_part_of(&c.text, &a.people[i].name))
                    .collect();
                if let [i] = matches.as_slice() {
                    let i = *i;
                    a.warn(
                        Code::SpeakerMerged,
                        c.first,
                        format!("\"{}\" taken as {}", c.text, a.people[i].name),
                    );
                    a.add_alias(i, &c.text);
                    a.resolved.push((c.text.clone(), i));
                } else if c.count >= 2 {
                    let name = if c.kind == LabelKind::UpperName && c.text.chars().count() > 3 {
                        names::title_case(&c.text)
                    } else {
                        c.text.clone()
                    };
                    let mut p = new(name.clone(), false, None);
                    if name != c.text {
                        p.aliases.push(c.text.clone());
                    }
                    a.add(p, &c.text);
                }
            }
        }
    }
}

fn assign_ids(a: &mut Assembler) {
    let mut order: Vec<usize> = (0..a.people.len()).collect();
    order.sort_by_key(|&i| a.people[i].first);
    let people: Vec<Person> = order.iter().map(|&i| a.people[i].clone()).collect();
    let mut new_index = vec![0; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    for (_, i) in &mut a.resolved {
        *i = new_index.get(*i).copied().unwrap_or(0);
    }
    a.people = people;
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for p in &mut a.people {
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
}

fn roles_from_bylines(a: &mut Assembler, bylines: &[(String, (usize, usize))]) {
    for (name, at) in bylines {
        let display = if names::is_upper(name) {
            names::title_case(name)
        } else {
            name.clone()
        };
        let found = a.person_named(name).or_else(|| {
            let m: Vec<usize> = (0..a.people.len())
                .filter(|&i| a.people[i].full && names::same_name(&a.people[i].name, &display))
                .collect();
            (m.len() == 1).then(|| m[0])
        });
        match found {
            Some(i) => {
                if a.people[i].role.is_none() {
                    a.people[i].role = Some(Role::Interviewer);
                    a.warn(
                        Code::RoleGuessed,
                        *at,
                        format!(
                            "{} taken as the interviewer, from the byline",
                            a.people[i].name
                        ),
                    );
                }
            }
            None => {
                // A `Q:` speaker is the person the byline names.
                let q = (0..a.people.len()).find(|&i| {
                    a.people[i].role == Some(Role::Interviewer)
                        && matches!(
                            a.people[i].kind,
                            Some(LabelKind::QuestionAnswer(_) | LabelKind::RoleWord(_))
                        )
                });
                if let Some(i) = q {
                    let old = std::mem::replace(&mut a.people[i].name, display.clone());
                    a.people[i].full = true;
                    a.add_alias(i, &old);
                    a.warn(
                        Code::SpeakerMerged,
                        *at,
                        format!("\"{old}\" taken as {display}, named in the byline"),
                    );
                }
            }
        }
    }
}

/// X in "… an interview with X" or "A conversation with X".
fn title_name(title: &str) -> Option<&str> {
    let lower = title.to_lowercase();
    let i = lower.rfind(" with ")?;
    let before = &lower[..i];
    if !before.contains("interview") && !before.contains("conversation") {
        return None;
    }
    let name = title.get(i + " with ".len()..)?.trim();
    (!name.is_empty() && name.split_whitespace().count() <= 8).then_some(name)
}

/// "… an interview with X": X is the interviewee.
fn role_from_title(a: &mut Assembler, title: &str) {
    let Some(rest) = title_name(title) else {
        return;
    };
    let rest = rest.to_lowercase();
    let found: Vec<usize> = (0..a.people.len())
        .filter(|&j| a.people[j].full && a.people[j].role.is_none())
        .filter(|&j| rest.contains(&a.people[j].name.to_lowercase()))
        .collect();
    if let [j] = found.as_slice() {
        let j = *j;
        a.people[j].role = Some(Role::Interviewee);
        let at = a.people[j].first;
        a.warn(
            Code::RoleGuessed,
            at,
            format!(
                "{} taken as the interviewee: the title names them",
                a.people[j].name
            ),
        );
    }
}

/// Who asks questions is the interviewer; with two speakers, the other answers.
fn roles_from_questions(a: &mut Assembler, paras: &[Para], labels: &[Vec<Option<Labelled>>]) {
    let mut stats: Vec<Stats> = a
        .people
        .iter()
        .map(|p| Stats {
            role: p.role,
            ..Stats::default()
        })
        .collect();
    for (p, ls) in paras.iter().zip(labels) {
        for (i, l) in ls.iter().enumerate() {
            let Some(l) = l else { continue };
            let Some(who) = a.lookup(&l.label.text) else {
                continue;
            };
            // The turn's text runs to the next label in the paragraph.
            let mut content = l.rest.clone();
            for (line, next) in p.lines.iter().zip(ls).skip(i + 1) {
                if next
                    .as_ref()
                    .is_some_and(|n| a.lookup(&n.label.text).is_some())
                {
                    break;
                }
                content.extend(line.content.iter().cloned());
            }
            stats[who].turns += 1;
            if ends_with_question(&content) {
                stats[who].questions += 1;
            }
        }
    }
    for (i, role, why) in roles::guess(&stats) {
        a.people[i].role = Some(role);
        let at = a.people[i].first;
        a.warn(
            Code::RoleGuessed,
            at,
            format!("{} taken as the {}: {why}", a.people[i].name, role.as_str()),
        );
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

struct Open {
    speaker: String,
    /// The turn is the last block written (no heading since).
    last: bool,
    question: bool,
}

struct Body<'a> {
    participants: &'a [Participant],
    root: Vec<Block>,
    sections: Vec<(u8, Section)>,
    open: Option<Open>,
    /// Speakers of the turns so far.
    history: Vec<String>,
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
        brackets::tidy(brackets::parse(
            list,
            self.participants,
            BracketOptions::default(),
        ))
    }

    fn turn(
        &mut self,
        speaker: String,
        start: Option<Timestamp>,
        inferred: bool,
        content: Vec<Inline>,
    ) {
        let para = self.inlines(content);
        let question = ends_with_question(&para);
        let mut t = Turn::new(speaker.clone(), vec![para]);
        t.start = start;
        t.inferred = inferred;
        self.container().push(Block::Turn(t));
        self.history.push(speaker.clone());
        self.open = Some(Open {
            speaker,
            last: true,
            question,
        });
    }

    fn narrative(&mut self, content: Vec<Inline>) {
        let content = self.inlines(content);
        self.container()
            .push(Block::Paragraph(Paragraph { content }));
    }

    fn continue_turn(&mut self, content: Vec<Inline>) {
        let para = self.inlines(content);
        let question = ends_with_question(&para);
        let Some(open) = &self.open else { return };
        let speaker = open.speaker.clone();
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
            last: true,
            question,
        });
    }
}

/// Lines of a paragraph that one speaker says (or that no label starts):
/// the speaker's id and start time, and the lines.
type Unit = (Option<(String, Option<Timestamp>)>, Vec<Line>);

fn join_lines(lines: &[Line]) -> Vec<Inline> {
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            out.push(Inline::text(" "));
        }
        out.extend(l.content.iter().cloned());
    }
    brackets::merge_text(out)
}

fn build_body(
    a: &mut Assembler,
    paras: Vec<Para>,
    labels: Vec<Vec<Option<Labelled>>>,
    participants: &[Participant],
) -> Vec<Block> {
    let mut b = Body {
        participants,
        root: Vec::new(),
        sections: Vec::new(),
        open: None,
        history: Vec::new(),
    };
    let id_of = |a: &Assembler, label: &str| a.lookup(label).map(|i| participants[i].id.clone());
    let known_names: BTreeSet<String> = participants
        .iter()
        .flat_map(|p| std::iter::once(&p.name).chain(&p.aliases))
        .map(|n| names::folded(n))
        .collect();
    let is_name_line =
        |s: &str| s.chars().count() <= 100 && known_names.contains(&names::folded(s));
    // Whether each paragraph, alone, has the shape of a heading.
    let shape: Vec<bool> = paras
        .iter()
        .zip(&labels)
        .map(|(p, ls)| {
            p.style == Style::Body
                && p.lines.len() == 1
                && ls
                    .iter()
                    .all(|l| l.as_ref().is_none_or(|l| a.lookup(&l.label.text).is_none()))
                && heading_shape(&flat(&p.lines[0].content))
                && !is_name_line(&flat(&p.lines[0].content))
        })
        .collect();
    let mut prev_narrative: Option<String> = None;
    for (pi, (p, ls)) in paras.into_iter().zip(labels).enumerate() {
        let first = p.lines.first().map_or((1, 1), |l| (l.line, l.column));
        match p.style {
            Style::Heading(level) => {
                let h = join_lines(&p.lines);
                if BACK_MATTER.contains(&norm(&flat(&h)).as_str()) {
                    b.open = None;
                }
                b.heading(level.max(1), h);
                prev_narrative = None;
                continue;
            }
            Style::Title => {
                b.heading(1, join_lines(&p.lines));
                continue;
            }
            Style::Subtitle => {
                b.narrative(join_lines(&p.lines));
                continue;
            }
            Style::Body => {}
        }
        // Split the paragraph where a line starts with a speaker's label.
        let mut units: Vec<Unit> = Vec::new();
        for (line, l) in p.lines.into_iter().zip(ls) {
            let who = l
                .as_ref()
                .and_then(|l| id_of(a, &l.label.text).map(|id| (id, l)));
            match who {
                Some((id, l)) => {
                    let rest = Line {
                        content: l.rest.clone(),
                        ..line
                    };
                    units.push((Some((id, l.start)), vec![rest]));
                }
                None => match units.last_mut() {
                    Some((_, lines)) => lines.push(line),
                    None => units.push((None, vec![line])),
                },
            }
        }
        for (who, lines) in units {
            let at = lines.first().map_or(first, |l| (l.line, l.column));
            let content = join_lines(&lines);
            if let Some((id, start)) = who {
                b.turn(id, start, false, content);
                prev_narrative = None;
                continue;
            }
            let text = flat(&content);
            let single = lines.len() == 1;
            if single && is_separator(&text) {
                b.open = None;
                continue;
            }
            if b.history.is_empty() && single && byline(&text).is_some() {
                a.warn(
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
                a.warn(
                    Code::TextDropped,
                    at,
                    format!("byline \"{text}\" dropped: a participant's name"),
                );
                continue;
            }
            let next_shape = shape.get(pi + 1).copied().unwrap_or(true);
            if shape[pi] && !next_shape {
                let back = BACK_MATTER.contains(&norm(&text).as_str());
                if back && !b.history.is_empty() {
                    b.open = None;
                }
                a.warn(
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
                a.warn(
                    Code::TextDropped,
                    at,
                    format!("repeated line \"{text}\" dropped"),
                );
                continue;
            }
            match &b.open {
                Some(o)
                    if o.last
                        && o.question
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
                            a.warn(Code::SpeakerGuessed, at, format!("unlabelled paragraph after {asker}'s question taken as the answer of {who}"));
                            b.turn(to, None, true, content);
                        }
                        None => b.continue_turn(content),
                    }
                }
                Some(_) => b.continue_turn(content),
                None => {
                    prev_narrative = Some(text);
                    b.narrative(content);
                }
            }
        }
    }
    b.finish()
}
