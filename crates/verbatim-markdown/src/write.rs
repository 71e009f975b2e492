//! Model → Markdown transcript, in the format `read` reads (`docs/format.md`).
//!
//! Reading the output gives the model back, and writing that model again gives
//! the same bytes. A few things the format cannot say are simplified:
//!
//! - `inferred` is dropped: an inferred turn is written with a label.
//! - A `continues` turn is written as unlabelled paragraphs only where the
//!   reader would make it one again (first in its section, same speaker as the
//!   open turn, no start time); elsewhere it gets a label.
//! - Headings are plain text: a note or marker in a heading is written in
//!   literal brackets. Sections nest at most five deep (`##` to `######`), and
//!   blocks that follow a subsection inside its parent end up in the subsection.
//! - Empty paragraphs, line breaks inside text and leading or trailing spaces
//!   of a paragraph cannot be written; they are dropped or become spaces.
//! - A marker whose words are not a known marker reads back as a note, and an
//!   unattributed note whose only text is a marker word reads back as a marker.
//!   An unattributed note whose text ends in `—ID` for a declared participant
//!   reads back as signed by that participant.
//! - A `continues` turn whose first paragraph is empty gets a label.
//! - Emphasis glued to a letter with punctuation just inside (`for—*you`) is
//!   written with that punctuation outside it (a warning says so). Emphasis that
//!   CommonMark cannot delimit otherwise is read back differently: two emphases
//!   glued together, and emphasis of the same kind nested directly.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;

use verbatim_model::{
    Block, Code, Diagnostic, Inline, Metadata, Participant, Section, Timestamp, Transcript, Turn,
    WriteContext, brackets,
};

/// Options for the Markdown writer. There are none yet; the struct keeps the
/// writer's signature stable when some are added.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct MarkdownOptions {}

/// Writes a transcript as a Markdown transcript with YAML front matter (the format
/// contract's writer). What the format cannot say (see above) is a warning, one per kind
/// of loss with its count.
pub fn write(
    t: &Transcript,
    opts: &MarkdownOptions,
    _cx: &WriteContext,
    out: &mut dyn io::Write,
) -> io::Result<Vec<Diagnostic>> {
    let (text, warnings) = to_string(t, opts);
    out.write_all(text.as_bytes())?;
    Ok(warnings)
}

/// The Markdown transcript, and the warnings about what it simplified.
pub fn to_string(t: &Transcript, opts: &MarkdownOptions) -> (String, Vec<Diagnostic>) {
    let _ = opts;
    let mut w = Writer {
        participants: &t.participants,
        out: String::new(),
        open: None,
        losses: BTreeMap::new(),
        moved: std::cell::Cell::new(0),
    };
    w.front_matter(&t.metadata);
    w.blocks(&t.body, 1);
    w.out.truncate(w.out.trim_end().len());
    if w.out.is_empty() {
        // The reader refuses an empty file; empty front matter is an empty transcript.
        w.out.push_str("---\n---");
    }
    w.out.push('\n');
    if w.moved.get() > 0 {
        let n = w.moved.get();
        w.losses
            .insert("emphasis edge(s) of punctuation next to a letter written outside the emphasis: CommonMark cannot delimit them", n);
    }
    let warnings = w
        .losses
        .iter()
        .map(|(what, n)| Diagnostic::note(Code::OutputLossy, format!("{n} {what}")))
        .collect();
    (w.out, warnings)
}

/// Between the labels of a turn said together: `**A & B:**`.
pub(crate) const GROUP_SEPARATOR: &str = " & ";

struct Writer<'a> {
    participants: &'a [Participant],
    out: String,
    /// Speaker of the turn an unlabelled paragraph would continue, as the reader tracks it.
    open: Option<&'a str>,
    /// What the format could not say, by kind, with how often.
    losses: BTreeMap<&'static str, usize>,
    /// Emphases whose edge punctuation went outside them.
    moved: std::cell::Cell<usize>,
}

impl<'a> Writer<'a> {
    fn lost(&mut self, what: &'static str) {
        *self.losses.entry(what).or_default() += 1;
    }

    fn block(&mut self, s: &str) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        self.out.push_str(s);
        self.out.push('\n');
    }

    fn front_matter(&mut self, m: &Metadata) {
        let mut y = String::new();
        let date = m.date.map(|d| d.to_string());
        let language = m.language.as_ref().map(ToString::to_string);
        let fields = [
            ("title", &m.title),
            ("subtitle", &m.subtitle),
            ("date", &date),
            ("language", &language),
            ("publisher", &m.publisher),
            ("source_url", &m.source_url),
            ("rights", &m.rights),
            ("identifier", &m.identifier),
            ("description", &m.description),
        ];
        for (key, value) in fields {
            if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                let _ = writeln!(y, "{key}: {}", yaml_scalar(v));
            }
        }
        list(&mut y, "keywords", "  ", &m.keywords);
        if let Some(v) = m.place.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            let _ = writeln!(y, "place: {}", yaml_scalar(v));
        }
        if !self.participants.is_empty() {
            y.push_str("participants:\n");
            for p in self.participants {
                let _ = writeln!(y, "  - id: {}", yaml_scalar(&p.id));
                let _ = writeln!(y, "    name: {}", yaml_scalar(&p.name));
                let _ = writeln!(y, "    role: {}", p.role.as_str());
                list(&mut y, "aliases", "      ", &p.aliases);
            }
        }
        if !y.is_empty() {
            self.out.push_str("---\n");
            self.out.push_str(&y);
            self.out.push_str("---\n");
        }
    }

    fn blocks(&mut self, blocks: &'a [Block], depth: usize) {
        // Whether the last block written into this container is a turn: an
        // unlabelled paragraph would then join it.
        let mut after_turn = false;
        for b in blocks {
            match b {
                Block::Paragraph(p) => {
                    let text = self.unlabelled(&p.content);
                    if text.is_empty() {
                        continue;
                    }
                    if self.open.take().is_some() {
                        self.block("---");
                    }
                    self.block(&text);
                    after_turn = false;
                }
                Block::Turn(t) => {
                    self.turn(t, after_turn);
                    after_turn = true;
                }
                Block::Section(s) => {
                    // Narrative opening a section after a turn: the break goes
                    // before the heading, where a reader expects it.
                    if self.open.is_some() && self.starts_with_narrative(&s.blocks) {
                        self.block("---");
                        self.open = None;
                    }
                    self.heading(s, depth);
                    self.blocks(&s.blocks, depth + 1);
                    after_turn = false;
                }
            }
        }
    }

    fn starts_with_narrative(&self, blocks: &[Block]) -> bool {
        for b in blocks {
            match b {
                Block::Paragraph(p) if self.unlabelled(&p.content).is_empty() => {}
                Block::Paragraph(_) => return true,
                Block::Turn(_) => return false,
                Block::Section(s) => return self.starts_with_narrative(&s.blocks),
            }
        }
        false
    }

    fn heading(&mut self, s: &Section, depth: usize) {
        if depth + 1 > 6 {
            self.lost("section(s) nested deeper than six levels written at the sixth");
        }
        if s.heading.iter().any(|i| !matches!(i, Inline::Text { .. })) {
            self.lost("heading(s) with notes, markers, links or emphasis written as plain text");
        }
        let mut line = "#".repeat((depth + 1).min(6));
        let mut text = String::new();
        heading_inlines(&s.heading, &mut text);
        let text = text.trim();
        if !text.is_empty() {
            line.push(' ');
            line.push_str(text);
        }
        self.block(&line);
    }

    fn turn(&mut self, t: &'a Turn, after_turn: bool) {
        if t.inferred {
            self.lost("guessed speaker(s) written as plain labels: the guess is not marked");
        }
        if t.end.is_some() {
            self.lost("turn end time(s) left out: the format has start times only");
        }
        let mut paras = t.paragraphs.iter();
        let unlabelled = t.continues
            && t.with.is_empty()
            && t.start.is_none()
            && !after_turn
            && self.open == Some(t.speaker.as_str())
            && t.paragraphs
                .first()
                .is_some_and(|p| !self.unlabelled(p).is_empty());
        if !unlabelled {
            let mut line = String::from("**");
            for (i, id) in t.ids().enumerate() {
                if i > 0 {
                    line.push_str(GROUP_SEPARATOR);
                }
                escape_text(self.label(id), &mut line, Esc::default());
            }
            line.push_str(":**");
            if let Some(ts) = t.start {
                let _ = write!(line, " [{ts}]");
            }
            let mut first = paras.next().map(|p| self.render(p)).unwrap_or_default();
            if t.start.is_none() {
                first = no_start_time(first);
            }
            if !first.is_empty() {
                line.push(' ');
                line.push_str(&first);
            }
            self.block(&line);
        }
        for p in paras {
            let text = self.unlabelled(p);
            if !text.is_empty() {
                self.block(&text);
            }
        }
        self.open = Some(&t.speaker);
    }

    /// The label that the reader resolves to this speaker: the id, or the name
    /// or an alias when an earlier participant claims the id.
    fn label(&self, id: &'a str) -> &'a str {
        let p = self.participants.iter().find(|p| p.id == id);
        let candidates = std::iter::once(id).chain(p.into_iter().flat_map(|p| {
            std::iter::once(p.name.as_str()).chain(p.aliases.iter().map(String::as_str))
        }));
        for c in candidates {
            let owner = self.participants.iter().find(|p| p.is_named(c));
            if owner.is_some_and(|o| o.id == id) && c == c.trim() && !c.is_empty() {
                return c;
            }
        }
        id
    }

    fn render(&self, list: &[Inline]) -> String {
        let mut s = String::new();
        Inlines {
            out: &mut s,
            moved: &self.moved,
        }
        .list(list, Ctx::default());
        s.trim().to_string()
    }

    /// A paragraph that must read as no label and no other block: its first
    /// colon is escaped when what precedes it would be a label, and its first
    /// character when it would start a heading, list, quote or break.
    fn unlabelled(&self, list: &[Inline]) -> String {
        let protect = match list {
            [Inline::Text { text }, ..] => text.find(':').is_some_and(|colon| {
                colon <= 80
                    && self
                        .participants
                        .iter()
                        .any(|p| p.is_named(text[..colon].trim()))
            }),
            [Inline::Strong { content }, rest @ ..] => {
                reads_as_text(content)
                    && (plain_ends_with_colon(content)
                        || matches!(rest.first(), Some(Inline::Text { text }) if text.starts_with(':')))
            }
            _ => false,
        };
        let mut s = String::new();
        let ctx = Ctx {
            colon_escape: protect,
            ..Ctx::default()
        };
        Inlines {
            out: &mut s,
            moved: &self.moved,
        }
        .list(list, ctx);
        let s = s.trim();
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        match s.chars().next() {
            Some('#' | '>' | '-' | '+' | '=' | '~' | '|') => format!("\\{s}"),
            Some('0'..='9')
                if digits <= 9 && matches!(s.as_bytes().get(digits), Some(b'.' | b')')) =>
            {
                format!("{}\\{}", &s[..digits], &s[digits..])
            }
            _ => s.to_string(),
        }
    }
}

/// A turn's first paragraph that opens with a note reading as a start time
/// (`[12:30]`): its colons are escaped, so the reader keeps it a note.
fn no_start_time(first: String) -> String {
    let note = first
        .strip_prefix('[')
        .and_then(|rest| rest.split_once(']'))
        .filter(|(inner, _)| inner.trim().parse::<Timestamp>().is_ok());
    match note {
        Some((inner, rest)) => format!("[{}]{rest}", inner.replace(':', "\\:")),
        None => first,
    }
}

fn plain_ends_with_colon(content: &[Inline]) -> bool {
    matches!(content.last(), Some(Inline::Text { text }) if text.trim_end().ends_with(':'))
}

/// Whether the reader sees this content as one run of text when it looks for a
/// label: notes and markers are still bracketed text then.
fn reads_as_text(content: &[Inline]) -> bool {
    content.iter().all(|i| match i {
        Inline::Text { .. } | Inline::Marker { .. } => true,
        Inline::Note { content, .. } => reads_as_text(content),
        _ => false,
    })
}

fn list(y: &mut String, key: &str, indent: &str, items: &[String]) {
    let items: Vec<&str> = items
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    if items.is_empty() {
        return;
    }
    let _ = writeln!(y, "{}{key}:", &indent[..indent.len().saturating_sub(2)]);
    for item in items {
        let _ = writeln!(y, "{indent}- {}", yaml_scalar(item));
    }
}

/// A YAML scalar that reads back as this exact text: plain when nothing in it
/// could be taken for YAML syntax, a number, a boolean or null; else double-quoted.
fn yaml_scalar(s: &str) -> String {
    if is_plain_yaml(s) {
        return s.to_string();
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}') => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_plain_yaml(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let iso_date = s.len() <= 10
        && s.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        })
        && matches!(s.len(), 4 | 7 | 10);
    if !(first.is_alphabetic() || iso_date) || s != s.trim() {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "nan" | "inf"
    ) {
        return false;
    }
    !(s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.chars().any(|c| {
            c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{85}')
        }))
}

/// Context of an inline list being written.
#[derive(Clone, Copy, Default)]
struct Ctx {
    /// Keep the list from starting with a label: escape the first colon of a
    /// leading text, or the colon of a leading `**Label:**`.
    colon_escape: bool,
    /// A `*` delimiter follows this list directly.
    before_star: bool,
    /// Keep the list from ending a `**Label:**`: escape the final colon of a
    /// closing text.
    last_colon: bool,
}

struct Inlines<'o> {
    out: &'o mut String,
    /// How often punctuation at an emphasis's edge had to go outside it.
    moved: &'o std::cell::Cell<usize>,
}

/// Escaping choices for one text node.
#[derive(Clone, Copy, Default)]
struct Esc {
    /// Escape the first colon.
    first_colon: bool,
    /// Escape the last colon.
    last_colon: bool,
    /// Escape a `(` or `:` at the start (the text follows the `]` of a note).
    after_bracket: bool,
    /// Escape a final `!` (a link or note follows).
    bang_end: bool,
}

impl Inlines<'_> {
    fn list(&mut self, list: &[Inline], ctx: Ctx) {
        let mut after_bracket = false;
        let mut leading_colon = false;
        for (i, node) in list.iter().enumerate() {
            let next_bracket = matches!(
                list.get(i + 1),
                Some(Inline::Link { .. } | Inline::Note { .. } | Inline::Marker { .. })
            );
            let mut label_colon = false;
            match node {
                Inline::Text { text } => escape_text(
                    text,
                    self.out,
                    Esc {
                        first_colon: (i == 0 && ctx.colon_escape)
                            || (leading_colon && text.starts_with(':')),
                        last_colon: i + 1 == list.len() && ctx.last_colon,
                        after_bracket,
                        bang_end: next_bracket,
                    },
                ),
                Inline::Emphasis { content } | Inline::Strong { content } => {
                    let strong = matches!(node, Inline::Strong { .. });
                    label_colon = i == 0 && ctx.colon_escape && strong;
                    let before_star = i + 1 == list.len() && ctx.before_star;
                    let next_alnum = matches!(
                        list.get(i + 1),
                        Some(Inline::Text { text }) if text.chars().next().is_some_and(char::is_alphanumeric)
                    );
                    self.delimited(content, strong, before_star, label_colon, next_alnum);
                }
                Inline::Link { target, content } => {
                    self.out.push('[');
                    self.list(content, Ctx::default());
                    self.out.push_str("](");
                    link_target(target, self.out);
                    self.out.push(')');
                }
                Inline::Note { resp, content } => {
                    self.out.push(brackets::OPEN);
                    self.list(content, Ctx::default());
                    if let Some(r) = resp {
                        self.out.push(brackets::SIGNATURE);
                        escape_text(r, self.out, Esc::default());
                    }
                    self.out.push(brackets::CLOSE);
                }
                Inline::Marker { desc, .. } => {
                    self.out.push(brackets::OPEN);
                    escape_text(desc, self.out, Esc::default());
                    self.out.push(brackets::CLOSE);
                }
            }
            after_bracket = matches!(node, Inline::Note { .. } | Inline::Marker { .. });
            // `**Label**: text` would be a label too: escape that colon.
            leading_colon = label_colon;
        }
    }

    fn ends_with_star_delim(&self) -> bool {
        // An escaped `\*` is text, not a delimiter.
        let b = self.out.as_bytes();
        let stars = b.iter().rev().take_while(|&&c| c == b'*').count();
        let slashes = b[..b.len() - stars]
            .iter()
            .rev()
            .take_while(|&&c| c == b'\\')
            .count();
        stars > 1 || stars == 1 && slashes % 2 == 0
    }

    /// Writes emphasis or strong. Next to another `*` delimiter it uses `_`, so
    /// the reader does not pair the wrong runs.
    fn delimited(
        &mut self,
        content: &[Inline],
        strong: bool,
        before_star: bool,
        label_colon: bool,
        next_alnum: bool,
    ) {
        // Spaces at the edges cannot be inside a delimiter run; keep them outside.
        let (lead, content, trail) = split_edge_space(content);
        escape_text(&lead, self.out, Esc::default());
        if content.is_empty() {
            escape_text(&trail, self.out, Esc::default());
            return;
        }
        let prev_alnum = self
            .out
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        // `and*—you*`, `—you*and`: a delimiter between punctuation and a letter
        // cannot open or close; the punctuation goes outside the emphasis.
        let (lead_punct, content, trail_punct) = split_edge_punctuation(
            content,
            prev_alnum && lead.is_empty(),
            next_alnum && trail.is_empty(),
        );
        if !lead_punct.is_empty() || !trail_punct.is_empty() {
            self.moved.set(self.moved.get() + 1);
            escape_text(&lead_punct, self.out, Esc::default());
        }
        if content.is_empty() {
            // Only punctuation: it stays, as plain text.
            escape_text(&trail_punct, self.out, Esc::default());
            escape_text(&trail, self.out, Esc::default());
            return;
        }
        let c = if (before_star || self.ends_with_star_delim()) && !prev_alnum {
            '_'
        } else {
            '*'
        };
        let d = if strong {
            format!("{c}{c}")
        } else {
            c.to_string()
        };
        self.out.push_str(&d);
        self.list(
            &content,
            Ctx {
                last_colon: label_colon,
                before_star: c == '*',
                ..Ctx::default()
            },
        );
        self.out.push_str(&d);
        escape_text(&trail_punct, self.out, Esc::default());
        escape_text(&trail, self.out, Esc::default());
    }
}

/// Punctuation at the start (when `lead`) and end (when `trail`) of emphasis content.
fn split_edge_punctuation(
    mut content: Vec<Inline>,
    lead: bool,
    trail: bool,
) -> (String, Vec<Inline>, String) {
    let punct = |c: char| !c.is_alphanumeric() && !c.is_whitespace();
    let mut before = String::new();
    let mut after = String::new();
    if lead && let Some(Inline::Text { text }) = content.first_mut() {
        let t = text.trim_start_matches(punct);
        before = text[..text.len() - t.len()].to_string();
        *text = t.to_string();
    }
    if trail && let Some(Inline::Text { text }) = content.last_mut() {
        let t = text.trim_end_matches(punct);
        after = text[t.len()..].to_string();
        *text = t.to_string();
    }
    content.retain(|i| !matches!(i, Inline::Text { text } if text.is_empty()));
    (before, content, after)
}

fn split_edge_space(content: &[Inline]) -> (String, Vec<Inline>, String) {
    let mut content = content.to_vec();
    let mut lead = String::new();
    let mut trail = String::new();
    if let Some(Inline::Text { text }) = content.first_mut() {
        let t = text.trim_start();
        lead = text[..text.len() - t.len()].to_string();
        *text = t.to_string();
        if text.is_empty() {
            content.remove(0);
        }
    }
    if let Some(Inline::Text { text }) = content.last_mut() {
        let t = text.trim_end();
        trail = text[t.len()..].to_string();
        *text = t.to_string();
        if text.is_empty() {
            content.pop();
        }
    }
    (lead, content, trail)
}

fn link_target(target: &str, out: &mut String) {
    let plain = !target.is_empty()
        && !target.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '(' | ')' | '<' | '>' | '\\' | '&')
        });
    if plain {
        out.push_str(target);
        return;
    }
    out.push('<');
    for c in target.chars() {
        match c {
            '<' | '>' | '\\' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('>');
}

/// Heading text: every inline as text, notes and markers in literal brackets.
fn heading_inlines(list: &[Inline], out: &mut String) {
    let mut flat = Vec::new();
    flatten_brackets(list, &mut flat);
    let mut s = String::new();
    let moved = std::cell::Cell::new(0);
    Inlines {
        out: &mut s,
        moved: &moved,
    }
    .list(&flat, Ctx::default());
    // Headings lose a closing `#` sequence; escape every `#` that is text.
    let mut prev_backslash = false;
    for c in s.chars() {
        if c == '#' && !prev_backslash {
            out.push('\\');
        }
        prev_backslash = c == '\\' && !prev_backslash;
        out.push(c);
    }
}

fn flatten_brackets(list: &[Inline], out: &mut Vec<Inline>) {
    for node in list {
        match node {
            Inline::Note { resp, content } => {
                push_text(out, &brackets::OPEN.to_string());
                flatten_brackets(content, out);
                if let Some(r) = resp {
                    push_text(out, &brackets::signature(r));
                }
                push_text(out, &brackets::CLOSE.to_string());
            }
            Inline::Marker { desc, .. } => push_text(out, &brackets::marker(desc)),
            Inline::Emphasis { content } => {
                let mut inner = Vec::new();
                flatten_brackets(content, &mut inner);
                out.push(Inline::Emphasis { content: inner });
            }
            Inline::Strong { content } => {
                let mut inner = Vec::new();
                flatten_brackets(content, &mut inner);
                out.push(Inline::Strong { content: inner });
            }
            Inline::Link { target, content } => {
                let mut inner = Vec::new();
                flatten_brackets(content, &mut inner);
                out.push(Inline::Link {
                    target: target.clone(),
                    content: inner,
                });
            }
            Inline::Text { text } => push_text(out, text),
        }
    }
}

fn push_text(out: &mut Vec<Inline>, s: &str) {
    if let Some(Inline::Text { text }) = out.last_mut() {
        text.push_str(s);
    } else {
        out.push(Inline::text(s));
    }
}

/// Writes text so that Markdown reads it back as exactly this text.
fn escape_text(s: &str, out: &mut String, esc: Esc) {
    let chars: Vec<char> = s.chars().collect();
    let mut colon_pending = esc.first_colon;
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' => true,
            '_' => {
                !(prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric))
            }
            '<' => next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')),
            '&' => entity_like(&chars[i + 1..]),
            '!' => esc.bang_end && next.is_none(),
            ':' if colon_pending => {
                colon_pending = false;
                true
            }
            ':' if esc.last_colon && chars[i + 1..].iter().all(|c| c.is_whitespace()) => true,
            '(' | ':' => esc.after_bracket && i == 0,
            _ => false,
        };
        if matches!(c, '\n' | '\r') {
            out.push(' ');
            continue;
        }
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Whether text after `&` would read as an HTML entity (`&amp;`, `&#38;`).
fn entity_like(rest: &[char]) -> bool {
    if rest.first() == Some(&'#') {
        return true;
    }
    let n = rest
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    n > 0 && rest.get(n) == Some(&';')
}
