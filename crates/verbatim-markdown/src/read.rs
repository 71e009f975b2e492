//! Markdown transcript → model.

use std::borrow::Cow;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Deserialize;
use verbatim_model::brackets::{self, BracketOptions};
use verbatim_model::{
    Block, Code, CompactString, Diagnostic, Inline, LineIndex, Metadata, ModelError, Paragraph,
    Parsed, Participant, Role, Section, Timestamp, Transcript, Turn, is_valid_id,
};

use crate::{Error, ErrorKind};

// Escaped brackets (`\[`, `\]`) are literal text, not notes, and an escaped colon
// (`\:`) never ends a speaker label; they travel through label and note parsing
// as these private-use characters and are restored afterwards.
/// Emphasis, strong and links nested deeper than this are refused.
const MAX_INLINE_DEPTH: usize = 50;

/// The speaker of a turn and those who say it with them.
type Voices = (CompactString, Vec<String>);

const LIT_OPEN: char = '\u{F8F0}';
const LIT_CLOSE: char = '\u{F8F1}';
const LIT_COLON: char = '\u{F8F2}';

/// Reads a Markdown transcript from text (see `docs/format.md`).
pub fn read_str(src: &str) -> Result<Parsed<Transcript>, Error> {
    read_limited(src, verbatim_model::Limits::default().max_participants)
}

/// [`read_str`], declaring at most `max_participants` speakers on first use.
pub fn read_limited(src: &str, max_participants: usize) -> Result<Parsed<Transcript>, Error> {
    read_in_parts(src, max_participants, crate::chunks::CHUNK)
}

/// [`read_limited`], the body parsed in parts of at least `chunk` bytes.
fn read_in_parts(
    src: &str,
    max_participants: usize,
    chunk: usize,
) -> Result<Parsed<Transcript>, Error> {
    let index = LineIndex::new(src);
    let err_at = |offset: usize, kind: ErrorKind| {
        let (line, column) = index.position(offset);
        Error { line, column, kind }
    };
    if src.trim().is_empty() {
        return Err(err_at(0, ErrorKind::Empty));
    }
    let (front, body_start) =
        split_front_matter(src).map_err(|o| err_at(o, ErrorKind::UnclosedFrontMatter))?;
    let mut reader = Reader {
        src,
        index: &index,
        metadata: Metadata::default(),
        participants: Vec::new(),
        declared: false,
        warnings: Vec::new(),
        root: Vec::new(),
        sections: Vec::new(),
        open_turn: None,
        seen_content: false,
        escapes: false,
        max_participants,
        chunk,
    };
    if let Some((yaml, offset)) = front {
        reader.front_matter(yaml, offset)?;
    }
    reader.body(body_start)?;
    let Reader {
        metadata,
        participants,
        warnings,
        mut root,
        mut sections,
        ..
    } = reader;
    close_sections(&mut sections, &mut root, 0);
    match Transcript::new(metadata, participants, root) {
        Ok(t) => Ok(Parsed { value: t, warnings }),
        Err(e) => {
            let offset = model_error_offset(src, &e);
            Err(err_at(offset, ErrorKind::Model(e)))
        }
    }
}

/// Finds the YAML between `---` lines at the very top. Returns the YAML with its
/// byte offset, and where the body starts; `Err(offset)` when never closed.
#[allow(clippy::type_complexity)]
fn split_front_matter(src: &str) -> Result<(Option<(&str, usize)>, usize), usize> {
    let Some(rest) = src.strip_prefix("---\n") else {
        return Ok((None, 0));
    };
    let mut pos = 4;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Ok((Some((&src[4..pos], 4)), pos + line.len()));
        }
        pos += line.len();
    }
    Err(0)
}

/// The front matter. Pandoc's names are taken too (`lang`, `abstract`, `subject`,
/// `author`); keys it does not know are left out with a warning.
#[derive(Deserialize, Default)]
struct FrontMatter {
    title: Option<Scalar>,
    subtitle: Option<Scalar>,
    date: Option<Scalar>,
    #[serde(alias = "lang")]
    language: Option<Scalar>,
    publisher: Option<Scalar>,
    #[serde(alias = "source")]
    source_url: Option<Scalar>,
    #[serde(alias = "license", alias = "licence")]
    rights: Option<Scalar>,
    identifier: Option<Scalar>,
    #[serde(alias = "abstract")]
    description: Option<Scalar>,
    #[serde(default)]
    keywords: Vec<Scalar>,
    subject: Option<Scalar>,
    place: Option<Scalar>,
    /// Pandoc's author: the person interviewed, unless the participants say otherwise.
    author: Option<Authors>,
    #[serde(default)]
    participants: Vec<FrontParticipant>,
    #[serde(flatten)]
    other: std::collections::BTreeMap<String, serde::de::IgnoredAny>,
}

/// `author: Ann Lee`, `author: [Ann Lee, Bo Chen]` or a list of `{name: …}`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Authors {
    One(Scalar),
    Many(Vec<Author>),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Author {
    Name(Scalar),
    Entry {
        name: Scalar,
        #[serde(flatten)]
        _rest: std::collections::BTreeMap<String, serde::de::IgnoredAny>,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontParticipant {
    id: Scalar,
    name: Option<Scalar>,
    role: Option<String>,
    #[serde(default)]
    aliases: Vec<Scalar>,
}

/// A YAML scalar taken as text whatever it looks like (`2020-01-28`, `1.0`, `yes`).
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a text value")
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

fn text(s: Option<Scalar>) -> Option<String> {
    s.map(|s| s.0.trim().to_string()).filter(|s| !s.is_empty())
}

struct Reader<'a> {
    src: &'a str,
    index: &'a LineIndex<'a>,
    metadata: Metadata,
    participants: Vec<Participant>,
    /// Whether participants came from the front matter (then labels must match them).
    declared: bool,
    warnings: Vec<Diagnostic>,
    root: Vec<Block>,
    /// Open sections, outermost first.
    sections: Vec<Section>,
    /// Speaker of the turn that an unlabelled paragraph would continue.
    open_turn: Option<CompactString>,
    seen_content: bool,
    /// Whether an escaped bracket was seen, so placeholders need restoring.
    escapes: bool,
    /// Speakers that may be declared on first use.
    max_participants: usize,
    /// The least size of a part of the body given to the parser at once.
    chunk: usize,
}

impl<'a> Reader<'a> {
    fn error(&self, offset: usize, kind: ErrorKind) -> Error {
        let (line, column) = self.index.position(offset);
        Error { line, column, kind }
    }

    fn warn(&mut self, code: Code, offset: usize, message: String) {
        let (line, column) = self.index.position(offset);
        self.warnings
            .push(Diagnostic::warning(code, line, column, message));
    }

    fn front_matter(&mut self, yaml: &str, offset: usize) -> Result<(), Error> {
        let fm: FrontMatter = if yaml.trim().is_empty() {
            FrontMatter::default()
        } else {
            serde_saphyr::from_str(yaml).map_err(|e| {
                let at = e.location().map_or(offset, |l| {
                    line_col_offset(yaml, l.line() as usize, l.column() as usize) + offset
                });
                let msg = e.without_snippet().to_string();
                let msg = msg.lines().next().unwrap_or("invalid YAML").to_string();
                self.error(at, ErrorKind::FrontMatter(strip_position(&msg)))
            })?
        };
        self.metadata = Metadata {
            title: text(fm.title),
            subtitle: text(fm.subtitle),
            date: match text(fm.date) {
                None => None,
                Some(d) => Some(d.parse().map_err(|e| {
                    let at = key_offset(yaml, "date").map_or(offset, |o| o + offset);
                    self.error(at, ErrorKind::Date(e))
                })?),
            },
            language: match text(fm.language) {
                None => None,
                Some(l) => Some(l.parse().map_err(|e| {
                    let at = key_offset(yaml, "language")
                        .or_else(|| key_offset(yaml, "lang"))
                        .map_or(offset, |o| o + offset);
                    self.error(at, ErrorKind::Language(e))
                })?),
            },
            publisher: text(fm.publisher),
            source_url: text(fm.source_url),
            rights: text(fm.rights),
            identifier: text(fm.identifier),
            description: text(fm.description),
            keywords: fm
                .keywords
                .into_iter()
                .chain(fm.subject)
                .filter_map(|k| text(Some(k)))
                .collect(),
            place: text(fm.place),
        };
        for key in fm.other.keys() {
            let at = key_offset(yaml, key).map_or(offset, |o| o + offset);
            self.warn(
                Code::MetadataDropped,
                at,
                format!("front matter key \"{key}\" is not one Verbatim uses: left out"),
            );
        }
        for p in fm.participants {
            let id = p.id.0.trim().to_string();
            let role = match p.role.as_deref() {
                None => Role::Other,
                Some(r) => Role::parse(r).ok_or_else(|| {
                    let at = find_line(yaml, &id).map_or(offset, |o| o + offset);
                    self.error(at, ErrorKind::FrontMatter(format!(
                        "participant \"{id}\": unknown role \"{r}\" (expected interviewer, interviewee or other)"
                    )))
                })?,
            };
            self.participants.push(Participant {
                name: text(p.name).unwrap_or_else(|| id.clone()),
                id,
                role,
                aliases: p
                    .aliases
                    .into_iter()
                    .filter_map(|a| text(Some(a)))
                    .collect(),
            });
        }
        self.declared = !self.participants.is_empty();
        let authors: Vec<String> = match fm.author {
            None => Vec::new(),
            Some(Authors::One(a)) => text(Some(a)).into_iter().collect(),
            Some(Authors::Many(list)) => list
                .into_iter()
                .filter_map(|a| match a {
                    Author::Name(n) | Author::Entry { name: n, .. } => text(Some(n)),
                })
                .collect(),
        };
        for name in authors {
            if self.participants.iter().any(|p| p.is_named(&name)) {
                continue;
            }
            // Declared on first use still, for the labels; the author is a speaker.
            let at = key_offset(yaml, "author").map_or(offset, |o| o + offset);
            self.declare_as(&name, at, Some(Role::Interviewee));
        }
        Ok(())
    }

    fn body(&mut self, start: usize) -> Result<(), Error> {
        let body = &self.src[start..];
        let ends = crate::chunks::ends(body, self.chunk).map_err(|at| {
            self.error(
                start + at,
                ErrorKind::TooManyMarks(crate::chunks::MAX_MARKS),
            )
        })?;
        // One part's parser at a time: each is made when the one before is done.
        let parts = ends.iter().scan(0, |from, &end| {
            let part = (*from, end);
            *from = end;
            Some(part)
        });
        let parser = parts.flat_map(|(from, end)| {
            Parser::new_ext(&body[from..end], Options::empty())
                .into_offset_iter()
                .map(move |(event, range)| (event, range.start + from..range.end + from))
        });
        let mut inl = InlineBuilder::default();
        let mut para_start: Option<usize> = None;
        // Block quotes and lists nest without limit in Markdown; the model's limit holds.
        let mut containers = 0usize;
        let mut warned_quote = false;
        let mut warned_list = false;
        let mut heading: Option<(usize, usize)> = None;
        for (event, range) in parser {
            let range = range.start + start..range.end + start;
            match event {
                Event::Start(Tag::Paragraph) => para_start = Some(range.start),
                Event::End(TagEnd::Paragraph) => {
                    let content = inl.finish();
                    self.paragraph(content, para_start.take().unwrap_or(range.start))?;
                }
                Event::Start(Tag::Heading { level, .. }) => {
                    heading = Some((heading_depth(level), range.start));
                }
                Event::End(TagEnd::Heading(_)) => {
                    let mut content = inl.finish();
                    restore_literals(&mut content);
                    if let Some((depth, at)) = heading.take() {
                        self.heading(depth, content, at);
                    }
                }
                Event::Rule => self.open_turn = None,
                Event::Start(Tag::Emphasis | Tag::Strong | Tag::Link { .. })
                    if inl.stack.len() >= MAX_INLINE_DEPTH =>
                {
                    return Err(self.error(range.start, ErrorKind::TooDeep(MAX_INLINE_DEPTH)));
                }
                Event::Start(Tag::Emphasis) => inl.open(Frame::Emphasis),
                Event::Start(Tag::Strong) => inl.open(Frame::Strong),
                Event::Start(Tag::Link { dest_url, .. }) => {
                    inl.open(Frame::Link(dest_url.to_string()))
                }
                Event::Start(Tag::Image { dest_url, .. }) => {
                    self.warn(
                        Code::MarkupSimplified,
                        range.start,
                        format!("image \"{dest_url}\" kept as its description only"),
                    );
                    inl.open(Frame::Image);
                }
                Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link | TagEnd::Image) => {
                    inl.close()
                }
                Event::Text(t) => {
                    // An escape ends one text event; the escaped character starts the next.
                    // `\\[` is an escaped backslash before a bracket: count the run.
                    let slashes = self.src[..range.start]
                        .bytes()
                        .rev()
                        .take_while(|&b| b == b'\\')
                        .count();
                    let escaped = slashes % 2 == 1;
                    match t.chars().next() {
                        Some(c @ ('[' | ']' | ':')) if escaped => {
                            self.escapes = true;
                            let lit = match c {
                                '[' => LIT_OPEN,
                                ']' => LIT_CLOSE,
                                _ => LIT_COLON,
                            };
                            inl.text(&lit.to_string());
                            inl.text(&t[1..]);
                        }
                        _ => inl.text(&t),
                    }
                    if para_start.is_none() && heading.is_none() {
                        para_start = Some(range.start);
                    }
                }
                Event::Code(t) => inl.text(&t),
                Event::InlineHtml(t) | Event::Html(t) => {
                    inl.text(&t);
                    if para_start.is_none() && heading.is_none() {
                        para_start = Some(range.start);
                    }
                }
                Event::SoftBreak | Event::HardBreak => inl.text(" "),
                Event::Start(Tag::CodeBlock(_)) => {
                    self.warn(
                        Code::MarkupSimplified,
                        range.start,
                        "code block kept as a plain paragraph".into(),
                    );
                    para_start = Some(range.start);
                }
                Event::Start(Tag::BlockQuote(_) | Tag::List(_))
                    if containers >= verbatim_model::MAX_NESTING =>
                {
                    return Err(
                        self.error(range.start, ErrorKind::TooDeep(verbatim_model::MAX_NESTING))
                    );
                }
                Event::Start(Tag::BlockQuote(_)) => {
                    containers += 1;
                    if !std::mem::replace(&mut warned_quote, true) {
                        self.warn(
                            Code::MarkupSimplified,
                            range.start,
                            "block quotes: their paragraphs are read as ordinary paragraphs".into(),
                        );
                    }
                }
                Event::Start(Tag::List(_)) => {
                    containers += 1;
                    if !std::mem::replace(&mut warned_list, true) {
                        self.warn(
                            Code::MarkupSimplified,
                            range.start,
                            "lists: their items are read as ordinary paragraphs".into(),
                        );
                    }
                }
                Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_)) => {
                    containers = containers.saturating_sub(1);
                }
                Event::Start(Tag::HtmlBlock) => {
                    self.warn(
                        Code::MarkupSimplified,
                        range.start,
                        "HTML block kept as text".into(),
                    );
                    para_start = Some(range.start);
                }
                // Tight list items, code blocks and HTML blocks hold text outside a paragraph.
                Event::End(TagEnd::Item | TagEnd::CodeBlock | TagEnd::HtmlBlock)
                | Event::Start(Tag::Item) => {
                    let content = inl.finish();
                    if let Some(at) = para_start.take()
                        && !content.is_empty()
                    {
                        self.paragraph(content, at)?;
                    }
                }
                Event::Start(_) | Event::End(_) | Event::InlineMath(_) | Event::DisplayMath(_) => {}
                Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
            }
        }
        Ok(())
    }

    fn heading(&mut self, depth: usize, content: Vec<Inline>, at: usize) {
        if depth == 0 && self.metadata.title.is_none() && !self.seen_content {
            self.metadata.title = Some(verbatim_model::plain_text(&content));
            return;
        }
        self.seen_content = true;
        let depth = depth.max(1).min(self.sections.len() + 1);
        close_sections(&mut self.sections, &mut self.root, depth - 1);
        if content.is_empty() {
            self.warn(Code::MarkupSimplified, at, "empty heading".into());
        }
        self.sections.push(Section {
            heading: content,
            blocks: Vec::new(),
        });
    }

    fn container(&mut self) -> &mut Vec<Block> {
        match self.sections.last_mut() {
            Some(s) => &mut s.blocks,
            None => &mut self.root,
        }
    }

    fn paragraph(&mut self, mut content: Vec<Inline>, at: usize) -> Result<(), Error> {
        self.seen_content = true;
        if let Some((speaker, with)) = self.label(&mut content, at)? {
            let start = take_timestamp(&mut content);
            let para = finish_inlines(content, &self.participants, self.escapes);
            self.open_turn = Some(speaker.clone());
            let mut turn = Turn::new(speaker, [para]);
            turn.with = with;
            turn.start = start;
            self.container().push(Block::Turn(turn));
            return Ok(());
        }
        let para = finish_inlines(content, &self.participants, self.escapes);
        if para.is_empty() {
            return Ok(());
        }
        let open = self.open_turn.clone();
        let container = self.container();
        match (open, container.last_mut()) {
            (Some(_), Some(Block::Turn(t))) => t.paragraphs.push(para),
            (Some(speaker), _) => {
                let mut turn = Turn::new(speaker, [para]);
                turn.continues = true;
                container.push(Block::Turn(turn));
            }
            (None, _) => container.push(Block::Paragraph(Paragraph { content: para })),
        }
        Ok(())
    }

    /// Recognises a speaker label at the start of a paragraph; takes it (and the
    /// space after it) off `content` and returns the speaker ids. Without a label
    /// `content` is left as it was.
    fn label(&mut self, content: &mut Vec<Inline>, at: usize) -> Result<Option<Voices>, Error> {
        match content.first() {
            Some(Inline::Strong { content: inner }) => {
                let Some(Inline::Text { text }) = inner.first().filter(|_| inner.len() == 1) else {
                    return Ok(None);
                };
                // `**Q:**`, or `**Q**:` with the colon starting the text after.
                let (label, colon_after) = if let Some(l) = text.trim_end().strip_suffix(':') {
                    (l.trim(), false)
                } else if matches!(content.get(1), Some(Inline::Text { text }) if text.starts_with(':'))
                {
                    (text.trim(), true)
                } else {
                    return Ok(None);
                };
                if label.is_empty() {
                    return Ok(None);
                }
                let label = &self.printed_label(&restore_str(label), at);
                let voices = match self.find_voices(label) {
                    Some(v) => v,
                    None if self.declared => {
                        return Err(self.error(at, ErrorKind::UndeclaredSpeaker(label.to_string())));
                    }
                    None if self.participants.len() >= self.max_participants => {
                        return Err(
                            self.error(at, ErrorKind::TooManyParticipants(self.max_participants))
                        );
                    }
                    None => (self.declare(label, at).into(), Vec::new()),
                };
                content.remove(0);
                if colon_after && let Some(Inline::Text { text }) = content.first_mut() {
                    *text = text[1..].to_string();
                }
                trim_start(content);
                Ok(Some(voices))
            }
            Some(Inline::Text { text }) => {
                let Some(colon) = text.find(':') else {
                    return Ok(None);
                };
                let label = &text[..colon];
                if label.len() > 80 {
                    return Ok(None);
                }
                let printed = verbatim_model::printed_form(label.trim());
                let Some(voices) = self.find_voices(&printed) else {
                    return Ok(None);
                };
                if printed != label.trim() {
                    self.label_normalised(label.trim(), at);
                }
                if let Some(Inline::Text { text }) = content.first_mut() {
                    *text = text[colon + 1..].to_string();
                }
                trim_start(content);
                Ok(Some(voices))
            }
            _ => Ok(None),
        }
    }

    /// A label as it prints (NFC, no zero-width or bidi controls), so that labels that
    /// look alike are one speaker; a warning when that changed it.
    fn printed_label(&mut self, label: &str, at: usize) -> String {
        let printed = verbatim_model::printed_form(label);
        if printed != label {
            self.label_normalised(label, at);
        }
        printed
    }

    fn label_normalised(&mut self, label: &str, at: usize) {
        self.warn(
            Code::LabelNormalised,
            at,
            format!(
                "the label \"{}\" holds characters that print as nothing or is not in NFC; read as \"{}\"",
                label.escape_default(),
                verbatim_model::printed_form(label)
            ),
        );
    }

    /// The participants a label names: one, or several joined with ` & ` for a turn
    /// said together (`**Ann & Bo:**`), each of them declared.
    fn find_voices(&self, label: &str) -> Option<Voices> {
        if let Some(id) = self.find(label) {
            return Some((id, Vec::new()));
        }
        if !label.contains(" & ") {
            return None;
        }
        let mut ids = Vec::new();
        for part in label.split(" & ") {
            let id = self.find(part.trim())?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let speaker = ids.remove(0);
        Some((speaker, ids.into_iter().map(String::from).collect()))
    }

    fn find(&self, label: &str) -> Option<CompactString> {
        self.participants
            .iter()
            .find(|p| p.is_named(label))
            .map(|p| p.id.as_str().into())
    }

    /// Declares a speaker from a bold label when the front matter declares none.
    fn declare(&mut self, label: &str, at: usize) -> String {
        self.declare_as(label, at, None)
    }

    /// Declares a speaker, with the role its label implies unless one is given (an
    /// `author` of pandoc's front matter is the interviewee).
    fn declare_as(&mut self, label: &str, at: usize, given: Option<Role>) -> String {
        let mut id: String = label
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || matches!(c, '-' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if !is_valid_id(&id) {
            id.insert(0, 'S');
        }
        while self.participants.iter().any(|p| p.id == id) {
            id.push('_');
        }
        let role = given.unwrap_or(match label.to_lowercase().as_str() {
            "q" | "question" | "interviewer" => Role::Interviewer,
            "a" | "answer" | "interviewee" | "narrator" => Role::Interviewee,
            _ => Role::Other,
        });
        let mut p = Participant::new(id.clone(), label, role);
        if id != label {
            p.aliases.push(label.to_string());
        }
        let how = if given.is_some() {
            "from the front matter's author"
        } else {
            "on first use"
        };
        self.warn(
            Code::SpeakerDeclared,
            at,
            format!("speaker \"{label}\" declared {how} as {}", role.as_str()),
        );
        self.participants.push(p);
        id
    }
}

fn heading_depth(level: HeadingLevel) -> usize {
    level as usize - 1
}

fn close_sections(sections: &mut Vec<Section>, root: &mut Vec<Block>, keep: usize) {
    while sections.len() > keep {
        let Some(s) = sections.pop() else { break };
        match sections.last_mut() {
            Some(parent) => parent.blocks.push(Block::Section(s)),
            None => root.push(Block::Section(s)),
        }
    }
}

fn trim_start(rest: &mut Vec<Inline>) {
    if let Some(Inline::Text { text }) = rest.first_mut() {
        let t = text.trim_start();
        if t.is_empty() {
            rest.remove(0);
        } else if t.len() != text.len() {
            // A copy, not a shift in place: the text grew piece by piece, and the
            // copy holds no spare room for the rest of the run.
            *text = t.to_string();
        }
    }
}

/// Takes `[hh:mm:ss]` from the start of a turn's content.
fn take_timestamp(rest: &mut Vec<Inline>) -> Option<Timestamp> {
    if let Some(Inline::Text { text }) = rest.first_mut()
        && let Some(inner) = text.strip_prefix('[')
        && let Some(close) = inner.find(']')
        && let Ok(ts) = inner[..close].trim().parse::<Timestamp>()
    {
        *text = inner[close + 1..].trim_start().to_string();
        if text.is_empty() {
            rest.remove(0);
        }
        return Some(ts);
    }
    None
}

/// Turns bracketed text into notes and markers, then restores escaped brackets.
fn finish_inlines(list: Vec<Inline>, participants: &[Participant], escapes: bool) -> Vec<Inline> {
    let mut out = brackets::parse(list, participants, BracketOptions::default());
    if escapes {
        restore_literals(&mut out);
    }
    out
}

fn restore_literals(list: &mut [Inline]) {
    for node in list {
        match node {
            Inline::Text { text } => {
                if text.contains([LIT_OPEN, LIT_CLOSE, LIT_COLON]) {
                    *text = restore_str(text).into_owned();
                }
            }
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Link { content, .. }
            | Inline::Note { content, .. } => restore_literals(content),
            Inline::Marker { desc, .. } => {
                if desc.contains([LIT_OPEN, LIT_CLOSE, LIT_COLON]) {
                    *desc = restore_str(desc).into_owned();
                }
            }
        }
    }
}

fn restore_str(s: &str) -> Cow<'_, str> {
    if !s.contains([LIT_OPEN, LIT_CLOSE, LIT_COLON]) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.replace(LIT_OPEN, "[")
            .replace(LIT_CLOSE, "]")
            .replace(LIT_COLON, ":"),
    )
}

enum Frame {
    Emphasis,
    Strong,
    Link(String),
    Image,
}

/// Builds nested inline content from start/end events without recursion.
#[derive(Default)]
struct InlineBuilder {
    stack: Vec<(Frame, Vec<Inline>)>,
    top: Vec<Inline>,
}

impl InlineBuilder {
    fn open(&mut self, frame: Frame) {
        let outer = std::mem::take(&mut self.top);
        self.stack.push((frame, outer));
    }

    fn close(&mut self) {
        let Some((frame, outer)) = self.stack.pop() else {
            return;
        };
        let content = std::mem::replace(&mut self.top, outer);
        match frame {
            Frame::Emphasis => self.top.push(Inline::Emphasis { content }),
            Frame::Strong => self.top.push(Inline::Strong { content }),
            Frame::Link(target) => self.top.push(Inline::Link { target, content }),
            Frame::Image => self.top.extend(content),
        }
    }

    fn text(&mut self, t: &str) {
        if let Some(Inline::Text { text }) = self.top.last_mut() {
            text.push_str(t);
        } else {
            self.top.push(Inline::text(t));
        }
    }

    fn finish(&mut self) -> Vec<Inline> {
        while !self.stack.is_empty() {
            self.close();
        }
        let mut out = std::mem::take(&mut self.top);
        if let Some(Inline::Text { text }) = out.last_mut() {
            let t = text.trim_end();
            if t.len() != text.len() {
                *text = t.to_string();
            }
        }
        if matches!(out.last(), Some(Inline::Text { text }) if text.is_empty()) {
            out.pop();
        }
        out
    }
}

fn line_col_offset(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return offset
                + l.char_indices()
                    .nth(column.saturating_sub(1))
                    .map_or(l.len(), |(o, _)| o);
        }
        offset += l.len();
    }
    text.len()
}

/// Drops a trailing " at line X column Y" that the YAML library adds; we give our own.
fn strip_position(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Offset of the top-level `key:` line in the YAML.
fn key_offset(yaml: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        if line
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
        {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// Offset of the last line in `text` that declares `id: VALUE`.
fn find_line(text: &str, id: &str) -> Option<usize> {
    let mut found = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start().trim_start_matches("- ").trim_start();
        if let Some(v) = t.strip_prefix("id:")
            && v.trim().trim_matches(['"', '\'']) == id
        {
            found = Some(offset + (line.len() - line.trim_start().len()));
        }
        offset += line.len();
    }
    found
}

fn model_error_offset(src: &str, e: &ModelError) -> usize {
    let needle = match e {
        ModelError::DuplicateParticipant(id) | ModelError::BadParticipantId(id) => {
            return find_line(src, id).unwrap_or(0);
        }
        ModelError::UndeclaredNoteAuthor(id) => format!("—{id}]"),
        ModelError::UndeclaredSpeaker(id)
        | ModelError::EmptyTurn(id)
        | ModelError::RepeatedSpeaker(id, _)
        | ModelError::EndBeforeStart(id, ..) => id.clone(),
        ModelError::SameName(_, id) => return find_line(src, id).unwrap_or(0),
        ModelError::BadCharacter(c) => c.to_string(),
        ModelError::TooDeep => return 0,
    };
    src.find(&needle).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn markdown_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                markdown_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }

    /// Parsing in parts is invisible: cut wherever it may be cut (parts of one byte),
    /// every Markdown file of the fixtures and the hostile corpus reads exactly as
    /// when parsed whole, warnings and errors included.
    #[test]
    fn reading_in_parts_equals_reading_whole() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files = Vec::new();
        markdown_files(&root.join("fixtures"), &mut files);
        markdown_files(&root.join("tests"), &mut files);
        files.sort();
        assert!(files.len() > 50, "{} Markdown files", files.len());
        let mut cut = 0;
        for f in &files {
            let Ok(src) = std::fs::read_to_string(f) else {
                continue;
            };
            let (_, body) = split_front_matter(&src).unwrap_or((None, 0));
            if crate::chunks::ends(&src[body..], 1).is_ok_and(|e| e.len() > 1) {
                cut += 1;
            }
            let whole = read_in_parts(&src, 1000, usize::MAX);
            let parts = read_in_parts(&src, 1000, 1);
            assert_eq!(whole, parts, "{}", f.display());
        }
        assert!(cut > 30, "only {cut} files were cut into parts");
    }

    /// `[*` two million times made a tree and a model of a gigabyte; it is refused
    /// before parsing, where the limit is crossed.
    #[test]
    fn a_paragraph_of_too_many_marks_is_refused_at_the_mark_past_the_limit() {
        let src = format!("**Q:** a\n\n**A:** {}\n", "[*".repeat(2_000_000));
        let e = read_str(&src).unwrap_err();
        assert_eq!(e.kind, ErrorKind::TooManyMarks(crate::chunks::MAX_MARKS));
        assert_eq!((e.line, e.column), (3, 8 + crate::chunks::MAX_MARKS - 4));
        assert!(e.to_string().contains("without a blank line"), "{e}");
        assert_eq!(verbatim_model::HasCode::code(&e.kind), Code::Limit);
    }

    #[test]
    fn a_constructed_body_reads_the_same_in_parts() {
        let src = "---\ntitle: T\n---\n\n# One\n\n**Q:** a [laughs]\n\nmore\n\n---\n\nloose\n\n## Two\n\n**A:** b\n\n- item\n\n- item\n\n> quote\n\n    code\n\n**Q:** *c*\n";
        assert_eq!(
            read_in_parts(src, 100, usize::MAX),
            read_in_parts(src, 100, 1)
        );
        assert!(crate::chunks::ends(&src[17..], 1).unwrap().len() > 5);
        // Lines of other whitespace: a form feed or a vertical tab is text to
        // pulldown-cmark, so a line of one continues the paragraph and no cut may
        // fall after it.
        for odd in ["\x0C", "\x0B", " \t", "\r"] {
            let src = format!("**Q:** a\n{odd}\n**A:** b\n{odd}\n\nc\n");
            assert_eq!(
                read_in_parts(&src, 100, usize::MAX),
                read_in_parts(&src, 100, 1),
                "{odd:?}"
            );
        }
    }
}
