//! Speaker labels at the start of a paragraph: `Izabella Tabarovsky:`,
//! `HAROLD BAINES:`, `IT:`, `Q:`, `SPEAKER 1:`, `[SPEAKER_00]:`.

use verbatim_model::{Inline, Role, Timestamp};

use crate::names::{PARTICLES, is_upper};

/// What a label looks like; decides how much evidence it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelKind {
    /// `Q` or `Question` (interviewer), `A` or `Answer` (interviewee).
    QuestionAnswer(Role),
    /// `Interviewer`, `Interviewee`, `Narrator`.
    RoleWord(Role),
    /// `SPEAKER 1`, `Speaker A`, `SPEAKER_00`, `Unknown Speaker`.
    Speaker,
    /// One to three capitals, with or without dots: `IT`, `H.B.`.
    Initials,
    /// Upper-case name: `HAROLD BAINES`, `TOM`.
    UpperName,
    /// Capitalised name: `Izabella Tabarovsky`, `Dr. Ruth Okafor`, `Tom`.
    Name,
}

impl LabelKind {
    /// Whether a label of this kind is a speaker on its own, without being
    /// seen again or matched to a name.
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
    /// The label as written, without colon or brackets.
    pub text: String,
    /// What it looks like.
    pub kind: LabelKind,
    /// Number of words.
    pub words: usize,
}

/// Words that name a part of a document rather than a person.
const NOT_SPEAKERS: &[&str] = &[
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
    "subject",
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
];

/// Finds a label at the start of `s`: the label and the byte length of it with
/// its colon and the spaces after.
pub fn detect(s: &str) -> Option<(Label, usize)> {
    let (inner, after) = if let Some(rest) = s.strip_prefix('[') {
        // `[SPEAKER_00]:` or `[SPEAKER_00]` followed by text.
        let close = rest.find(']')?;
        let inner = &rest[..close];
        let mut end = 1 + close + 1;
        if s[end..].starts_with(':') {
            end += 1;
        }
        let label = classify(inner.trim())?;
        if label.kind != LabelKind::Speaker && !s[1 + close + 1..].starts_with(':') {
            return None;
        }
        (label, end)
    } else {
        let colon = s.find(':')?;
        if colon > 64 {
            return None;
        }
        let candidate = &s[..colon];
        if candidate.trim_end().len() + 1 < candidate.len() {
            return None;
        }
        (classify(candidate.trim_end())?, colon + 1)
    };
    let rest = &s[after..];
    // `Name:` followed by text or nothing; `10:30` and `http://` are no labels.
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    let spaces = rest.len() - rest.trim_start().len();
    Some((inner, after + spaces))
}

/// Classifies a candidate label (the text before the colon).
pub fn classify(c: &str) -> Option<Label> {
    let words: Vec<&str> = c.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 || c.chars().count() > 60 {
        return None;
    }
    let n = words.len();
    let label = |kind| {
        Some(Label {
            text: words.join(" "),
            kind,
            words: n,
        })
    };
    let lower = c.to_lowercase();
    match lower.as_str() {
        "q" | "question" => return label(LabelKind::QuestionAnswer(Role::Interviewer)),
        "a" | "answer" => return label(LabelKind::QuestionAnswer(Role::Interviewee)),
        "interviewer" => return label(LabelKind::RoleWord(Role::Interviewer)),
        "interviewee" | "narrator" | "respondent" => {
            return label(LabelKind::RoleWord(Role::Interviewee));
        }
        _ => {}
    }
    if is_speaker_number(&lower) {
        return label(LabelKind::Speaker);
    }
    if NOT_SPEAKERS.contains(&lower.as_str()) || words.iter().any(|w| w.contains("//")) {
        return None;
    }
    let bare: String = c.chars().filter(|ch| *ch != '.').collect();
    if n == 1 && (1..=3).contains(&bare.chars().count()) && bare.chars().all(|ch| ch.is_uppercase())
    {
        return label(LabelKind::Initials);
    }
    let name_word = |w: &str| {
        let mut chars = w.chars();
        let first = chars.next();
        let first_ok = first.is_some_and(|f| f.is_alphabetic() && !f.is_lowercase());
        first_ok
            && w.chars()
                .all(|ch| ch.is_alphabetic() || matches!(ch, '.' | '-' | '\'' | '’'))
    };
    if !words.iter().all(|w| name_word(w) || PARTICLES.contains(w)) {
        return None;
    }
    if PARTICLES.contains(&words[0]) || PARTICLES.contains(&words[n - 1]) {
        return None;
    }
    if is_upper(c) {
        label(LabelKind::UpperName)
    } else {
        label(LabelKind::Name)
    }
}

/// `speaker 1`, `speaker_00`, `spk2`, `speaker a`, `unknown speaker`, `s1`.
fn is_speaker_number(lower: &str) -> bool {
    if matches!(lower, "unknown speaker" | "unknown" | "speaker") {
        return true;
    }
    let rest = ["speaker", "spk", "s"]
        .iter()
        .find_map(|p| lower.strip_prefix(p));
    let Some(rest) = rest else {
        return false;
    };
    let rest = rest.trim_start_matches([' ', '_', '-']);
    !rest.is_empty()
        && (rest.chars().all(|c| c.is_ascii_digit())
            || rest.chars().count() == 1 && rest.chars().all(|c| c.is_ascii_alphabetic()))
        && (lower.starts_with("sp") || rest.chars().all(|c| c.is_ascii_digit()))
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
            // A bare time must be followed by space and must have a colon.
            if end == s.len() || !s[end..].starts_with(char::is_whitespace) {
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

/// The plain text that starts a run of inlines: leading text and strong nodes
/// holding only text (a label may be bold), with where each piece came from.
fn leading_text(content: &[Inline]) -> (String, Vec<(usize, usize)>) {
    let mut s = String::new();
    let mut pieces = Vec::new();
    for (i, node) in content.iter().enumerate() {
        let text = match node {
            Inline::Text { text } => text.as_str(),
            Inline::Strong { content } => match content.as_slice() {
                [Inline::Text { text }] => text.as_str(),
                _ => break,
            },
            _ => break,
        };
        pieces.push((i, s.len()));
        s.push_str(text);
    }
    (s, pieces)
}

/// Removes the first `n` bytes of the leading text from `content`.
pub fn drop_leading(content: &[Inline], n: usize) -> Vec<Inline> {
    let (_, pieces) = leading_text(content);
    let mut out = Vec::new();
    let mut consumed_nodes = 0;
    for &(i, start) in &pieces {
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

/// A label at the start of inline content, with the content after it and the
/// start time written before or after the label.
#[derive(Debug, Clone, PartialEq)]
pub struct Labelled {
    /// The label.
    pub label: Label,
    /// `[hh:mm:ss]` before or right after the label.
    pub start: Option<Timestamp>,
    /// What follows.
    pub rest: Vec<Inline>,
}

/// Finds a label (and a time) at the start of inline content.
pub fn split_label(content: &[Inline]) -> Option<Labelled> {
    let (lead, _) = leading_text(content);
    let mut pos = 0;
    let mut start = None;
    if let Some((ts, n)) = timestamp_prefix(&lead) {
        start = Some(ts);
        pos = n;
    }
    let (label, n) = detect(&lead[pos..])?;
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
    Some(Labelled { label, start, rest })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> Option<LabelKind> {
        detect(s).map(|(l, _)| l.kind)
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
        let (l, n) = detect("IT:   From").unwrap();
        assert_eq!((l.text.as_str(), n), ("IT", 6));
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
        let l = split_label(&[Inline::text("IT: (1:02) hi")]).unwrap();
        assert_eq!(l.start.map(|t| t.millis()), Some(62_000));
        let l = split_label(&[Inline::text("00:00:05 Q: hi")]).unwrap();
        assert_eq!(l.start.map(|t| t.millis()), Some(5_000));
        assert!(timestamp_prefix("[unmanned]").is_none());
        assert!(timestamp_prefix("1998 was").is_none());
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
