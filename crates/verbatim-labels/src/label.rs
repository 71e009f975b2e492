//! Speaker labels at the start of a paragraph, by their shape alone: `Izabella
//! Tabarovsky:`, `HAROLD BAINES:`, `IT:`, `Q:`, `SPEAKER 1:`, `[SPEAKER_00]:`,
//! `spk07-3a:`, `The Minister (Jane Roe):`, `**Adam Garrett-Harris**` after a time,
//! `All:`, `Adam & Jen:`. Whether a candidate really is a label is decided over the
//! whole file (`evidence.rs`).

use verbatim_model::{Inline, Role, Timestamp};

use crate::names::{PARTICLES, is_upper};

/// What a label looks like; decides how much evidence it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LabelKind {
    /// `Q` or `Question` (interviewer), `A` or `Answer` (interviewee).
    QuestionAnswer(Role),
    /// `Interviewer`, `Interviewee`, `Narrator`.
    RoleWord(Role),
    /// A speaker code: `SPEAKER 1`, `Speaker A`, `SPEAKER_00`, `S01`, `spk07-3a`, `P1`,
    /// `R2D2`, `Participant 3`, `Unknown Speaker`.
    Speaker,
    /// Several people at once: `All`, `Both`, `Everyone`, `Audience`.
    Group,
    /// People named together: `Adam Garrett-Harris & Jen Luker & Dave Hoover`.
    Compound,
    /// One to three capitals, with or without dots: `IT`, `H.B.`.
    Initials,
    /// Upper-case name: `HAROLD BAINES`, `TOM`.
    UpperName,
    /// Capitalised name: `Izabella Tabarovsky`, `Dr. Ruth Okafor`, `Tom`.
    Name,
}

impl LabelKind {
    /// Whether a label of this kind is a speaker on its own, without being seen again
    /// or matched to a name.
    pub fn is_certain(self) -> bool {
        matches!(
            self,
            LabelKind::QuestionAnswer(_) | LabelKind::RoleWord(_) | LabelKind::Speaker
        )
    }
}

/// A speaker label found at the start of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The label as written, without colon, brackets or bold marks; spaces normalised.
    pub text: String,
    /// What it looks like.
    pub kind: LabelKind,
    /// Number of words.
    pub words: usize,
    /// The person the label names, when the label holds more: `Jane Roe` for `The
    /// Minister (Jane Roe)`, `Bob Smith` for `Bob Smith (Northfield) (Lab)`.
    pub person: Option<String>,
    /// Invisible characters were removed from it, or it was not in NFC (see
    /// [`verbatim_model::printed_form`]).
    pub normalised: bool,
}

/// How a label is written, for telling labels of one file apart from prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Form {
    /// In bold (Word runs, or `**…**` in text).
    pub bold: bool,
    /// Ends in a colon.
    pub colon: bool,
    /// After a time (`[00:00:29] SUBJECT:`).
    pub timed: bool,
    /// Glued to its text (`TAVELA:Silver Spring`).
    pub glued: bool,
    /// In square brackets (`[SPEAKER_00]:`), or in a convention of the format the
    /// reader found (`[Maria]`, `(Dana Bettinger)` in captions).
    pub bracketed: bool,
    /// Named by markup (a WebVTT voice).
    pub voice: bool,
}

/// Words that name a part of a document rather than a person.
pub(crate) const NOT_SPEAKERS: &[&str] = &[
    "note",
    "notes",
    "editor's note",
    "editors note",
    "update",
    "correction",
    "source",
    "sources",
    "photo",
    "photograph",
    "credit",
    "credits",
    "caption",
    "disclaimer",
    "transcript",
    "summary",
    "abstract",
    "keywords",
    "tags",
    "title",
    "subtitle",
    "date",
    "location",
    "place",
    "topic",
    "topics",
    "part",
    "chapter",
    "section",
    "episode",
    "tape",
    "side",
    "session",
    "interview",
    "introduction",
    "conclusion",
    "epilogue",
    "prologue",
    "appendix",
    "warning",
    "caution",
    "important",
    "tip",
    "example",
    "see",
    "also",
    "re",
    "subject line",
    "from",
    "to",
    "cc",
    "sent",
    "time",
    "duration",
    "language",
    "project",
    "publisher",
    "rights",
    "copyright",
    "license",
    "url",
    "link",
    "email",
    "phone",
    "address",
    "total",
    "end",
    "start",
    "begin",
    "today",
    "yesterday",
    "tomorrow",
    "now",
    "then",
    "so",
    "well",
    "yes",
    "no",
    "okay",
    "ok",
    "intro music",
    "exit music",
    "music",
];

/// Words for several people speaking at once.
const GROUPS: &[&str] = &[
    "all",
    "both",
    "everyone",
    "everybody",
    "audience",
    "crowd",
    "group",
    "several",
    "several voices",
    "voices",
    "chorus",
    "all speakers",
];

/// Finds a label at the start of `s`: the label, how it is written, and the byte length
/// of it with its colon and the spaces after.
pub fn detect(s: &str) -> Option<(Label, Form, usize)> {
    let mut form = Form::default();
    let (label, after) = if let Some(rest) = s.strip_prefix('[') {
        // `[SPEAKER_00]:` or `[SPEAKER_00]` followed by text.
        let close = rest.find(']')?;
        let inner = &rest[..close];
        let mut end = 1 + close + 1;
        form.bracketed = true;
        if s[end..].starts_with(':') {
            end += 1;
            form.colon = true;
        }
        let label = classify(inner.trim())?;
        if label.kind != LabelKind::Speaker && !form.colon {
            return None;
        }
        (label, end)
    } else if let Some(rest) = s.strip_prefix("**") {
        // `**Name**` in plain text, with or without a colon inside or after.
        let close = rest.find("**")?;
        let inner = rest[..close].trim();
        let mut end = 2 + close + 2;
        form.bold = true;
        let inner = match inner.strip_suffix(':') {
            Some(i) => {
                form.colon = true;
                i.trim_end()
            }
            None => inner,
        };
        if !form.colon && s[end..].starts_with(':') {
            end += 1;
            form.colon = true;
        }
        (classify(inner)?, end)
    } else {
        let colon = s.find(':')?;
        if colon > 80 {
            return None;
        }
        let candidate = &s[..colon];
        if candidate.trim_end().len() + 1 < candidate.len() {
            return None;
        }
        form.colon = true;
        (classify(candidate.trim_end())?, colon + 1)
    };
    let rest = &s[after..];
    // `Name:` followed by text or nothing; `10:30` and `http://` are no labels. A label
    // in capitals or a code may be glued to a capitalised text (`TAVELA:Silver`).
    let glue_ok = matches!(
        label.kind,
        LabelKind::UpperName | LabelKind::Speaker | LabelKind::Initials
    ) && form.colon
        && rest
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || matches!(c, '"' | '“' | '[' | '('));
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace) || glue_ok) {
        return None;
    }
    form.glued = glue_ok && !rest.starts_with(char::is_whitespace);
    let spaces = rest.len() - rest.trim_start().len();
    Some((label, form, after + spaces))
}

/// Classifies a candidate label (the text before the colon).
pub fn classify(c: &str) -> Option<Label> {
    let printed = verbatim_model::printed_form(c);
    let normalised = printed != c;
    let words: Vec<&str> = printed.split_whitespace().collect();
    if words.is_empty() || words.len() > 8 || c.chars().count() > 70 {
        return None;
    }
    let text = words.join(" ");
    let n = words.len();
    let label = |kind, person: Option<String>| {
        Some(Label {
            text: text.clone(),
            kind,
            words: n,
            person,
            normalised,
        })
    };
    let lower = text.to_lowercase();
    match lower.as_str() {
        "q" | "question" => return label(LabelKind::QuestionAnswer(Role::Interviewer), None),
        "a" | "answer" => return label(LabelKind::QuestionAnswer(Role::Interviewee), None),
        "interviewer" => return label(LabelKind::RoleWord(Role::Interviewer), None),
        "interviewee" | "narrator" | "respondent" | "subject" => {
            return label(LabelKind::RoleWord(Role::Interviewee), None);
        }
        _ => {}
    }
    if is_speaker_code(&lower) {
        return label(LabelKind::Speaker, None);
    }
    if GROUPS.contains(&lower.as_str()) {
        return label(LabelKind::Group, None);
    }
    if NOT_SPEAKERS.contains(&lower.as_str()) || words.iter().any(|w| w.contains("//")) {
        return None;
    }
    // `Ann & Bo`, `Ann Lee and Bo Chen` (each part a name; with "and", full names).
    for sep in [" & ", " and "] {
        if text.contains(sep) {
            let parts: Vec<&str> = text.split(sep).map(str::trim).collect();
            if parts.len() >= 2
                && parts.iter().all(|p| {
                    classify(p).is_some_and(|l| !matches!(l.kind, LabelKind::Compound))
                        && (sep == " & " || p.split_whitespace().count() >= 2)
                })
            {
                return label(LabelKind::Compound, None);
            }
            if sep == " & " {
                return None;
            }
        }
    }
    // Parenthesised parts: a role before a name, or a constituency after one.
    if let Some(open) = text.find(" (")
        && text.ends_with(')')
    {
        let base = text[..open].trim();
        let inner = text[open + 2..text.len() - 1].trim();
        let inner = inner.split(") (").next().unwrap_or(inner).trim();
        let base_label = classify_name(base);
        let inner_label = classify_name(inner);
        return match (base_label, inner_label) {
            // `The Minister (Jane Roe)`: a role, then the person.
            (_, Some(k)) if starts_with_article(base) => label(k, Some(inner.to_string())),
            // `Bob Smith (Northfield) (Lab)`: the person, then where from.
            (Some(k), _) => label(k, Some(base.to_string())),
            _ => None,
        };
    }
    let kind = classify_name(&text)?;
    label(kind, None)
}

fn starts_with_article(s: &str) -> bool {
    let first = s
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_lowercase();
    matches!(
        first.as_str(),
        "the" | "a" | "an" | "mr" | "madam" | "madame"
    )
}

/// The kind of a name-shaped label: initials, upper case or capitalised words.
fn classify_name(text: &str) -> Option<LabelKind> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let n = words.len();
    if n == 0 || n > 6 {
        return None;
    }
    let bare: String = text.chars().filter(|ch| *ch != '.').collect();
    if n == 1 && (1..=3).contains(&bare.chars().count()) && bare.chars().all(char::is_uppercase) {
        return Some(LabelKind::Initials);
    }
    // `’71` in `MILLER ’71`: a class year.
    let year = |w: &str| {
        w.strip_prefix(['’', '\''])
            .is_some_and(|d| d.len() == 2 && d.bytes().all(|b| b.is_ascii_digit()))
    };
    let name_word = |w: &str| {
        let w = w.trim_end_matches(',');
        let first_ok = w
            .chars()
            .next()
            .is_some_and(|f| f.is_alphabetic() && !f.is_lowercase());
        year(w)
            || first_ok
                && w.chars()
                    .all(|ch| ch.is_alphabetic() || matches!(ch, '.' | '-' | '\'' | '’'))
    };
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    if !words
        .iter()
        .zip(&lower)
        .all(|(w, l)| name_word(w) || PARTICLES.contains(&l.as_str()))
    {
        return None;
    }
    if PARTICLES.contains(&lower[0].as_str()) || PARTICLES.contains(&lower[n - 1].as_str()) {
        return None;
    }
    if is_upper(text) {
        Some(LabelKind::UpperName)
    } else {
        Some(LabelKind::Name)
    }
}

/// A speaker code: `speaker 1`, `speaker_00`, `spk2`, `speaker a`, `unknown speaker`,
/// `s01`, `spk07-3a`, `p1`, `r2d2`, `participant 3`, `interviewer 2`.
fn is_speaker_code(lower: &str) -> bool {
    if matches!(lower, "unknown speaker" | "unknown" | "speaker") {
        return true;
    }
    // One word that mixes letters and digits, starting with a letter: S01, P1, R2D2,
    // spk07-3a, SPEAKER_00.
    if !lower.contains(' ') {
        let c = lower.chars().count();
        let letters = lower.chars().filter(char::is_ascii_alphabetic).count();
        let digits = lower.chars().filter(char::is_ascii_digit).count();
        return (2..=14).contains(&c)
            && lower.starts_with(|ch: char| ch.is_ascii_alphabetic())
            && digits > 0
            && letters > 0
            && lower
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '-'));
    }
    // Two words: a speaker word and a number or a letter.
    let mut words = lower.split(' ');
    let (Some(word), Some(id), None) = (words.next(), words.next(), words.next()) else {
        return false;
    };
    matches!(
        word,
        "speaker"
            | "spk"
            | "participant"
            | "person"
            | "voice"
            | "interviewer"
            | "interviewee"
            | "respondent"
            | "narrator"
            | "guest"
            | "host"
            | "caller"
    ) && (id.chars().all(|c| c.is_ascii_digit())
        || word == "speaker"
            && id.chars().count() == 1
            && id.chars().all(|c| c.is_ascii_alphabetic()))
}

/// A time at the start of `s`: `[00:12:34]`, `(12:34)`, `00:12:34 ` or
/// `[00:12:34.5]`; returns it and the byte length with the spaces after.
pub fn timestamp_prefix(s: &str) -> Option<(Timestamp, usize)> {
    let (inner, end) = match s.chars().next()? {
        '[' => {
            let close = s.find(']')?;
            (&s[1..close], close + 1)
        }
        '(' => {
            let close = s.find(')')?;
            (&s[1..close], close + 1)
        }
        c if c.is_ascii_digit() => {
            let end = s
                .find(|c: char| !(c.is_ascii_digit() || matches!(c, ':' | '.' | ',')))
                .unwrap_or(s.len());
            // A bare time must be followed by space (or end the text) and have a colon.
            if end != s.len() && !s[end..].starts_with(char::is_whitespace) {
                return None;
            }
            (&s[..end], end)
        }
        _ => return None,
    };
    if !inner.contains(':') {
        return None;
    }
    let ts: Timestamp = inner.trim().parse().ok()?;
    let rest = &s[end..];
    Some((ts, end + rest.len() - rest.trim_start().len()))
}

/// The plain text that starts a run of inlines: leading text and strong nodes holding
/// only text (a label may be bold), with where each piece came from and whether it was
/// strong.
fn leading_text(content: &[Inline]) -> (String, Vec<(usize, usize, bool)>) {
    let mut s = String::new();
    let mut pieces = Vec::new();
    for (i, node) in content.iter().enumerate() {
        let (text, strong) = match node {
            Inline::Text { text } => (text.as_str(), false),
            Inline::Strong { content } => match content.as_slice() {
                [Inline::Text { text }] => (text.as_str(), true),
                _ => break,
            },
            _ => break,
        };
        pieces.push((i, s.len(), strong));
        s.push_str(text);
    }
    (s, pieces)
}

/// Removes the first `n` bytes of the leading text from `content`.
pub fn drop_leading(content: &[Inline], n: usize) -> Vec<Inline> {
    let (_, pieces) = leading_text(content);
    let mut out = Vec::new();
    let mut consumed_nodes = 0;
    for &(i, start, _) in &pieces {
        let text = match &content[i] {
            Inline::Text { text } => text,
            Inline::Strong { content } => match content.as_slice() {
                [Inline::Text { text }] => text,
                _ => break,
            },
            _ => break,
        };
        let end = start + text.len();
        consumed_nodes = i + 1;
        if end <= n {
            continue;
        }
        let cut = n.saturating_sub(start);
        let rest = text.get(cut..).unwrap_or_default().to_string();
        match &content[i] {
            Inline::Strong { .. } => out.push(Inline::Strong {
                content: vec![Inline::text(rest)],
            }),
            _ => out.push(Inline::text(rest)),
        }
        break;
    }
    out.extend_from_slice(&content[consumed_nodes.min(content.len())..]);
    out
}

/// A label at the start of inline content, with the content after it and the start time
/// written before or after the label.
#[derive(Debug, Clone, PartialEq)]
pub struct Labelled {
    /// The label.
    pub label: Label,
    /// How it is written.
    pub form: Form,
    /// `[hh:mm:ss]` before or right after the label.
    pub start: Option<Timestamp>,
    /// What follows.
    pub rest: Vec<Inline>,
    /// Characters before the label (a time), for the label's column.
    pub offset: usize,
}

/// The label a reader found outside the text (a voice, a caption convention) on a line
/// of this content.
pub fn given_label(name: &str, voice: bool, content: &[Inline]) -> Option<Labelled> {
    let text = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let label = match classify(&text) {
        Some(l) => l,
        // A voice is a speaker whatever its shape (`<v Description>`).
        None if voice && !text.is_empty() => Label {
            words: text.split(' ').count(),
            normalised: verbatim_model::printed_form(&text) != text,
            text: verbatim_model::printed_form(&text),
            kind: LabelKind::Name,
            person: None,
        },
        None => return None,
    };
    Some(Labelled {
        label,
        form: Form {
            voice,
            bracketed: !voice,
            ..Form::default()
        },
        start: None,
        rest: content.to_vec(),
        offset: 0,
    })
}

/// Finds a label (and a time) at the start of inline content.
pub fn split_label(content: &[Inline]) -> Option<Labelled> {
    let (lead, pieces) = leading_text(content);
    let mut pos = 0;
    let mut start = None;
    if let Some((ts, n)) = timestamp_prefix(&lead) {
        start = Some(ts);
        pos = n;
    }
    let offset = lead[..pos].chars().count();
    let strong_at = |byte: usize| {
        pieces
            .iter()
            .rev()
            .find(|(_, s, _)| *s <= byte)
            .is_some_and(|(_, _, strong)| *strong)
    };
    let (label, mut form, n) = match detect(&lead[pos..]) {
        Some(found) => found,
        // A bold name without a colon, after a time (Word: `0:00:14 **Ann Lee** Hi`).
        None if start.is_some() && strong_at(pos) => {
            let piece = pieces.iter().find(|(_, s, _)| *s == pos)?;
            let Inline::Strong { content: inner } = &content[piece.0] else {
                return None;
            };
            let [Inline::Text { text }] = inner.as_slice() else {
                return None;
            };
            let label = classify(text.trim())?;
            let rest = &lead[pos + text.len()..];
            let spaces = rest.len() - rest.trim_start().len();
            (
                label,
                Form {
                    bold: true,
                    ..Form::default()
                },
                text.len() + spaces,
            )
        }
        None => return None,
    };
    form.bold |= strong_at(pos);
    form.timed = start.is_some();
    // A bold label without a colon is one only after a time.
    if !form.colon && !form.timed && !form.bracketed {
        return None;
    }
    pos += n;
    if start.is_none()
        && let Some((ts, n)) = timestamp_prefix(&lead[pos..])
    {
        start = Some(ts);
        pos += n;
    }
    let mut rest = drop_leading(content, pos);
    if matches!(rest.first(), Some(Inline::Text { text }) if text.is_empty()) {
        rest.remove(0);
    }
    Some(Labelled {
        label,
        form,
        start,
        rest,
        offset,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> Option<LabelKind> {
        detect(s).map(|(l, _, _)| l.kind)
    }

    #[test]
    fn recognises_label_styles() {
        assert_eq!(kind("Izabella Tabarovsky: Prime"), Some(LabelKind::Name));
        assert_eq!(kind("HAROLD BAINES: I was"), Some(LabelKind::UpperName));
        assert_eq!(kind("IT: From"), Some(LabelKind::Initials));
        assert_eq!(kind("H.B.: yes"), Some(LabelKind::Initials));
        assert_eq!(
            kind("Q: Why?"),
            Some(LabelKind::QuestionAnswer(Role::Interviewer))
        );
        assert_eq!(
            kind("A: Because"),
            Some(LabelKind::QuestionAnswer(Role::Interviewee))
        );
        assert_eq!(kind("SPEAKER 1: hi"), Some(LabelKind::Speaker));
        assert_eq!(kind("[SPEAKER_00]: hi"), Some(LabelKind::Speaker));
        assert_eq!(kind("Speaker A: hi"), Some(LabelKind::Speaker));
        assert_eq!(
            kind("Narrator: hi"),
            Some(LabelKind::RoleWord(Role::Interviewee))
        );
        assert_eq!(kind("Ludwig van Beethoven: hi"), Some(LabelKind::Name));
        assert_eq!(kind("Анна Никитина: да"), Some(LabelKind::Name));
        assert_eq!(kind("Maj. Gen. Gilead: yes"), Some(LabelKind::Name));
        let (l, _, n) = detect("IT:   From").unwrap();
        assert_eq!((l.text.as_str(), n), ("IT", 6));
    }

    #[test]
    fn speaker_codes_are_labels() {
        for code in [
            "spk07-3a",
            "SPK07",
            "P1",
            "R2D2",
            "S01",
            "SPEAKER_00",
            "Participant 3",
        ] {
            assert_eq!(
                kind(&format!("{code}: hi")),
                Some(LabelKind::Speaker),
                "{code}"
            );
        }
        assert_eq!(kind("COVID19: the virus"), Some(LabelKind::Speaker));
        assert_eq!(kind("10:30 in the morning"), None);
    }

    #[test]
    fn groups_compounds_and_parentheses() {
        assert_eq!(kind("All: (laughing)"), Some(LabelKind::Group));
        assert_eq!(
            kind("Adam Garrett-Harris & Jen Luker & Dave Hoover: hi"),
            Some(LabelKind::Compound)
        );
        let (l, _, _) = detect("The Minister (Jane Roe): Yes.").unwrap();
        assert_eq!(l.person.as_deref(), Some("Jane Roe"));
        let (l, _, _) = detect("Bob Smith (Northfield) (Lab): No.").unwrap();
        assert_eq!(l.person.as_deref(), Some("Bob Smith"));
        assert_eq!(l.kind, LabelKind::Name);
        assert_eq!(kind("Tea & Biscuits: a history"), Some(LabelKind::Compound));
        assert_eq!(kind("Ann Lee and Bo Chen: hi"), Some(LabelKind::Compound));
        assert_eq!(
            kind("JOHN R. MILLER ’71: Today is"),
            Some(LabelKind::UpperName)
        );
    }

    #[test]
    fn glued_labels_in_capitals() {
        let (l, form, n) = detect("TAVELA:Silver Spring").unwrap();
        assert_eq!((l.text.as_str(), form.glued, n), ("TAVELA", true, 7));
        assert_eq!(kind("Tavela:Silver"), None);
        assert_eq!(kind("TAVELA:silver"), None);
    }

    #[test]
    fn prose_with_a_colon_is_no_label() {
        for s in [
            "Now to Russia: Russia is not",
            "Some say: So then",
            "Israel and Russia: An Interview",
            "Note: this",
            "Editor's note: this",
            "10:30 in the morning",
            "https://example.org",
            "He said:no space",
            "A very long run of capitalised Words That Goes On And On: x",
            "van Beethoven: x",
        ] {
            assert_eq!(kind(s), None, "{s}");
        }
    }

    #[test]
    fn timestamps_before_or_after_labels() {
        let l = split_label(&[Inline::text("[00:01:02] SPEAKER 1: hello")]).unwrap();
        assert_eq!(l.start.map(|t| t.millis()), Some(62_000));
        assert_eq!(l.rest, vec![Inline::text("hello")]);
        assert!(l.form.timed);
        let l = split_label(&[Inline::text("IT: (1:02) hi")]).unwrap();
        assert_eq!(l.start.map(|t| t.millis()), Some(62_000));
        let l = split_label(&[Inline::text("00:00:05 Q: hi")]).unwrap();
        assert_eq!(l.start.map(|t| t.millis()), Some(5_000));
        let l = split_label(&[Inline::text("[00:00:33]CARUSO: So")]).unwrap();
        assert_eq!(l.label.text, "CARUSO");
        assert!(timestamp_prefix("[unmanned]").is_none());
        assert!(timestamp_prefix("1998 was").is_none());
    }

    #[test]
    fn bold_names_after_a_time_need_no_colon() {
        let l = split_label(&[Inline::text("0:00:14.1 **Adam Garrett-Harris** Welcome")]).unwrap();
        assert_eq!(l.label.text, "Adam Garrett-Harris");
        assert_eq!(l.start.map(|t| t.millis()), Some(14_100));
        assert_eq!(l.rest, vec![Inline::text("Welcome")]);
        assert!(l.form.bold && !l.form.colon);
        let l = split_label(&[Inline::text("0:04:09.7 **All** (laughing)")]).unwrap();
        assert_eq!(l.label.kind, LabelKind::Group);
        // Without a time, bold text without a colon is emphasis, not a label.
        assert!(split_label(&[Inline::text("**Important** things")]).is_none());
        let word = vec![
            Inline::text("0:00:14 "),
            Inline::Strong {
                content: vec![Inline::text("Ann Lee")],
            },
            Inline::text(" Hi"),
        ];
        let l = split_label(&word).unwrap();
        assert_eq!(l.label.text, "Ann Lee");
        assert_eq!(l.rest, vec![Inline::text("Hi")]);
    }

    #[test]
    fn bold_labels_in_inline_content() {
        let c = vec![
            Inline::Strong {
                content: vec![Inline::text("Harold Baines:")],
            },
            Inline::text(" I was born "),
            Inline::Emphasis {
                content: vec![Inline::text("there")],
            },
        ];
        let l = split_label(&c).unwrap();
        assert_eq!(l.label.text, "Harold Baines");
        assert!(l.form.bold);
        assert_eq!(l.rest[0], Inline::text("I was born "));
        assert_eq!(l.rest.len(), 2);
        let c = vec![
            Inline::Strong {
                content: vec![Inline::text("Q")],
            },
            Inline::text(": Why?"),
        ];
        assert_eq!(split_label(&c).unwrap().rest, vec![Inline::text("Why?")]);
    }
}
