//! TEI P5 → transcript.

use std::collections::{BTreeMap, BTreeSet};

use verbatim_model::{
    Block, Code, Diagnostic, Inline, IsoDate, LanguageTag, LineIndex, MarkerKind, Metadata,
    ModelError, Paragraph, Parsed, Participant, Role, Section, Timestamp, Transcript, Turn,
    is_valid_id,
};

use crate::dom::{self, BLANK_LINE, Elem, LAYOUT, LAYOUTS, Node, Ns, is_blank};
use crate::write::pointer;
use crate::{ReadErrorKind, TeiError};

/// Reads a TEI document into a transcript.
///
/// Besides what [`write()`](crate::write()) produces, it accepts `u` without `seg`
/// (one paragraph), `p` and `ab` as paragraphs, `@who` without `#`, drama-style
/// `<sp>` with `<speaker>` labels matched against participants' ids, names and
/// aliases, ISO 24624 `annotationBlock`s, and a `timeline` with `@interval`/`@since`
/// or `@absolute` times. Undeclared speakers are declared with role "other".
/// Everything else that cannot be mapped raises a warning with its position
/// (once per element name); structures that cannot be read at all (an utterance
/// without speaker, a `teiCorpus`) are errors.
///
/// Header parts that describe the TEI file rather than the interview are
/// skipped without a warning, because the writer derives them: `encodingDesc`,
/// `revisionDesc`, the `author`s and `respStmt`s of `titleStmt`,
/// `publicationStmt/date`, the `title` of the source `bibl`, and a `sourceDesc/p` saying
/// that no source is described. Any other `sourceDesc/p` is reported: its text is lost.
///
/// Where the header gives several candidates, the interview date is taken from
/// `settingDesc/setting/date`, else `creation/date`, else the source `bibl`, else
/// the `recording`; the language from `langUsage`, else `TEI/@xml:lang`; the
/// publisher from `publisher`, else `authority` or `distributor`.
pub fn read_str(src: &str) -> Result<Parsed<Transcript>, TeiError> {
    let doc = dom::parse(src)?;
    let mut r = Reader {
        idx: LineIndex::new(src),
        warnings: doc.warnings,
        warned: BTreeSet::new(),
        participants: Vec::new(),
        times: BTreeMap::new(),
        printed: BTreeMap::new(),
    };
    let value = r.document(&doc.root)?;
    let mut warnings = r.warnings;
    warnings.sort_by_key(|d| (d.line(), d.column()));
    Ok(Parsed { value, warnings })
}

/// Elements that only group inline content; reading through them loses nothing.
const TRANSPARENT: &[&str] = &["seg", "s", "w", "c", "pc", "phr", "cl", "p", "ab", "span"];

/// Whether a language tag names only a script (`und-Hebr`).
fn script_only(tag: &str) -> bool {
    tag.len() == 8 && tag.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("und-"))
}

struct Reader<'s> {
    idx: LineIndex<'s>,
    warnings: Vec<Diagnostic>,
    /// Element names already warned about, so each is reported once.
    warned: BTreeSet<String>,
    participants: Vec<Participant>,
    /// Timeline points by `xml:id`.
    times: BTreeMap<String, Timestamp>,
    /// The `<speaker>` labels printed for each participant id, with how often.
    printed: BTreeMap<String, BTreeMap<String, usize>>,
}

/// A `when` as written, before its time is worked out.
struct When {
    interval: Option<String>,
    since: Option<String>,
    absolute: Option<String>,
    /// Milliseconds per unit of `@interval`.
    unit: f64,
    /// The timeline's `@origin`, without `#`.
    origin: Option<String>,
    pos: usize,
}

fn fragment(ptr: &str) -> &str {
    let ptr = ptr.trim();
    ptr.rsplit_once('#').map_or(ptr, |(_, f)| f)
}

/// Text with layout settled: trimmed at both ends, line-breaking runs as one space.
fn settle_str(s: &str) -> String {
    let trimmed = s.trim_matches(LAYOUTS);
    let mut out = String::with_capacity(trimmed.len());
    let mut prev_layout = false;
    for c in trimmed.chars() {
        if LAYOUTS.contains(&c) {
            if !prev_layout {
                out.push(' ');
            }
            prev_layout = true;
        } else {
            out.push(c);
            prev_layout = false;
        }
    }
    out
}

/// Settles layout in inline content (see [`settle_str`]); edges are trimmed where asked.
fn settle(list: &mut Vec<Inline>, trim_start: bool, trim_end: bool) {
    if trim_start && let Some(Inline::Text { text }) = list.first_mut() {
        *text = text.trim_start_matches(LAYOUTS).to_string();
    }
    if trim_end && let Some(Inline::Text { text }) = list.last_mut() {
        *text = text.trim_end_matches(LAYOUTS).to_string();
    }
    for inline in list.iter_mut() {
        match inline {
            Inline::Text { text } => {
                // Untrimmed edges: mark them so settle_str keeps them as spaces.
                let lead = text.starts_with(LAYOUTS);
                let trail = text.ends_with(LAYOUTS) && text.len() > LAYOUT.len_utf8();
                let mut s = settle_str(text);
                if lead {
                    s.insert(0, ' ');
                }
                if trail {
                    s.push(' ');
                }
                *text = s;
            }
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Link { content, .. } => settle(content, false, false),
            Inline::Note { content, .. } => settle(content, true, true),
            Inline::Marker { .. } => {}
        }
    }
    let mut merged: Vec<Inline> = Vec::with_capacity(list.len());
    for inline in list.drain(..) {
        match (merged.last_mut(), inline) {
            (_, Inline::Text { text }) if text.is_empty() => {}
            (Some(Inline::Text { text: prev }), Inline::Text { text }) => prev.push_str(&text),
            (_, other) => merged.push(other),
        }
    }
    *list = merged;
}

fn push_text(out: &mut Vec<Inline>, s: &str) {
    if let Some(Inline::Text { text }) = out.last_mut() {
        text.push_str(s);
    } else {
        out.push(Inline::text(s));
    }
}

/// All text inside an element, markup ignored, layout settled.
fn plain(e: &Elem) -> String {
    fn collect(e: &Elem, out: &mut String) {
        for n in &e.children {
            match n {
                Node::Text(s, _) => out.push_str(s),
                Node::Elem(c) => collect(c, out),
            }
        }
    }
    let mut s = String::new();
    collect(e, &mut s);
    settle_str(&s)
}

fn has_text(e: &Elem) -> bool {
    e.children.iter().any(|n| match n {
        Node::Text(s, _) => !is_blank(s),
        Node::Elem(c) => has_text(c),
    })
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// A timeline's absolute time: `hh:mm:ss(.mmm)`, or a number of seconds as LaBB-CAT
/// writes it (`12.878`).
fn absolute_time(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    if let Ok(t) = s.parse::<Timestamp>() {
        return Some(t);
    }
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && (0.0..1e12).contains(&x) => {
            Some(Timestamp::from_millis((x * 1000.0).round() as u64))
        }
        _ => None,
    }
}

/// `PeterFowler` → `Peter Fowler`: words of an id written in camel case, when it is
/// nothing else (only letters, each word a capital followed by small letters).
fn camel_words(id: &str) -> Option<String> {
    let mut words: Vec<String> = Vec::new();
    for c in id.chars() {
        // `McDonald`, `MacLeod`: a prefix, not a word.
        let prefix = matches!(words.last().map(String::as_str), Some("Mc" | "Mac"));
        if c.is_uppercase() && !prefix {
            words.push(c.to_string());
        } else if c.is_alphabetic() {
            words.last_mut()?.push(c);
        } else {
            return None;
        }
    }
    (words.len() >= 2 && words.iter().all(|w| w.chars().count() >= 2)).then(|| words.join(" "))
}

/// Splits the children of an element at blank lines in its text ([`BLANK_LINE`]),
/// each piece a paragraph.
fn split_at_blank_lines(nodes: &[Node]) -> Vec<Vec<Node>> {
    let mut out: Vec<Vec<Node>> = vec![Vec::new()];
    for n in nodes {
        match n {
            Node::Text(s, pos) if s.contains(BLANK_LINE) => {
                let mut offset = 0;
                for (i, piece) in s.split(BLANK_LINE).enumerate() {
                    if i > 0 {
                        out.push(Vec::new());
                    }
                    if !piece.is_empty() {
                        out.last_mut()
                            .expect("one piece")
                            .push(Node::Text(piece.to_string(), pos + offset));
                    }
                    offset += piece.len() + BLANK_LINE.len_utf8();
                }
            }
            other => out.last_mut().expect("one piece").push(other.clone()),
        }
    }
    out.retain(|p| {
        p.iter()
            .any(|n| !matches!(n, Node::Text(s, _) if is_blank(s)))
    });
    out
}

/// A participant id made from a speaker label.
fn id_from_label(label: &str) -> String {
    let mut id = String::new();
    for c in label.chars() {
        if c.is_alphanumeric() || matches!(c, '_' | '-' | '.') {
            id.push(c);
        } else if c.is_whitespace() && !id.ends_with('_') && !id.is_empty() {
            id.push('_');
        }
    }
    let id = id.trim_end_matches('_').to_string();
    if id.chars().next().is_some_and(char::is_alphabetic) {
        id
    } else {
        format!("P{id}")
    }
}

impl Reader<'_> {
    fn error(&self, pos: usize, message: impl Into<String>) -> TeiError {
        let (line, column) = self.idx.position(pos);
        TeiError::Read {
            line,
            column,
            kind: ReadErrorKind::Unsupported(message.into()),
        }
    }

    /// A date element's `@when` (or `@when-iso`), else its text; a date that cannot be
    /// read is a warning.
    fn date_of(&mut self, e: &Elem) -> Option<IsoDate> {
        let written = e
            .attr("when")
            .or_else(|| e.attr("when-iso"))
            .map(str::to_string)
            .or_else(|| Some(plain(e)).filter(|s| !s.is_empty()))?;
        // A date-time's day is the date.
        let day = written.split('T').next().unwrap_or_default();
        let date = day.parse().ok().or_else(|| IsoDate::parse_loose(&written));
        if date.is_none() {
            self.warn(
                Code::DateInvalid,
                e.pos,
                format!("<date> \"{written}\" is not a date of the calendar; left out"),
            );
        }
        date
    }

    fn warn(&mut self, code: Code, pos: usize, message: impl Into<String>) {
        let (line, column) = self.idx.position(pos);
        self.warnings
            .push(Diagnostic::warning(code, line, column, message));
    }

    /// Reports an element the model has no place for and whose content is left out,
    /// once per element name.
    fn unmapped(&mut self, e: &Elem) {
        let text = has_text(e);
        if !self.warned.insert(format!("{}:dropped", e.name)) {
            return;
        }
        let (code, what) = if text {
            (Code::TextDropped, "its text is left out")
        } else {
            (Code::MarkupSimplified, "ignored")
        };
        self.warn(
            code,
            e.pos,
            format!("<{}> is not mapped to the transcript model; {what}", e.name),
        );
    }

    /// Reports an element the model has no place for whose text is kept, once per
    /// element name.
    fn unmapped_kept(&mut self, e: &Elem) {
        if !self.warned.insert(format!("{}:kept", e.name)) {
            return;
        }
        self.warn(
            Code::MarkupSimplified,
            e.pos,
            format!(
                "<{}> is not mapped to the transcript model; its text is kept",
                e.name
            ),
        );
    }

    /// Reports attributes the model has no place for, once per element and attribute.
    fn ignored_attrs(&mut self, e: &Elem, names: &[&str]) {
        for name in names {
            if e.attr(name).is_some() && self.warned.insert(format!("{}@{name}", e.name)) {
                self.warn(
                    Code::MarkupSimplified,
                    e.pos,
                    format!(
                        "<{}> attribute @{name} is not kept by the transcript model",
                        e.name
                    ),
                );
            }
        }
    }

    fn foreign(&mut self, e: &Elem) {
        let ns = match &e.ns {
            Ns::Other(ns) => ns.as_str(),
            Ns::Tei | Ns::None => "",
        };
        if self.warned.insert(format!("{{{ns}}}{}", e.name)) {
            self.warn(
                Code::TextDropped,
                e.pos,
                format!("<{}> in namespace {ns} is not TEI; ignored", e.name),
            );
        }
    }

    fn document(&mut self, root: &Elem) -> Result<Transcript, TeiError> {
        if root.name == "teiCorpus" {
            return Err(self.error(
                root.pos,
                "<teiCorpus> holds several texts; Verbatim reads one TEI document per transcript",
            ));
        }
        if root.name != "TEI" || !root.is_tei() {
            let (line, column) = self.idx.position(root.pos);
            return Err(TeiError::Read {
                line,
                column,
                kind: ReadErrorKind::NotTei(match &root.ns {
                    Ns::Other(ns) => format!("<{}> in namespace {ns}", root.name),
                    _ => format!("<{}>", root.name),
                }),
            });
        }
        if root.ns == Ns::None {
            self.warn(
                Code::FormatGuessed,
                root.pos,
                "<TEI> is not in the TEI namespace (http://www.tei-c.org/ns/1.0); read as TEI",
            );
        }
        let mut meta = Metadata::default();
        let mut text = None;
        for e in root.elems() {
            match (e.is_tei(), e.name.as_str()) {
                (false, _) => self.foreign(e),
                (true, "teiHeader") => self.header(e, &mut meta)?,
                (true, "text") if text.is_none() => text = Some(e),
                _ => self.unmapped(e),
            }
        }
        if root.child("teiHeader").is_none() {
            self.warn(
                Code::HeaderField,
                root.pos,
                "no <teiHeader>: the transcript has no metadata or participants",
            );
        }
        if meta.language.is_none()
            && let Some(lang) = root.attr("xml:lang")
        {
            meta.language = self.language(lang, None, root.pos);
        }
        let Some(text) = text else {
            return Err(self.error(root.pos, "no <text>: a TEI document needs one"));
        };
        self.collect_times(text);
        let body = self.text(text)?;
        self.names_from_printed_labels();
        Transcript::new(meta, std::mem::take(&mut self.participants), body).map_err(|e| {
            let (line, column) = self.idx.position(model_error_pos(root, &e));
            TeiError::Read {
                line,
                column,
                kind: ReadErrorKind::Model(e),
            }
        })
    }

    // ----- header -----

    /// A language from its code, else the name it is given; neither readable is a warning.
    fn language(&mut self, ident: &str, name: Option<String>, pos: usize) -> Option<LanguageTag> {
        let tag = ident
            .parse()
            .ok()
            .or_else(|| name.as_deref().and_then(LanguageTag::from_name_or_tag));
        if tag.is_none() {
            let shown = name.unwrap_or_else(|| ident.to_string());
            self.warn(
                Code::LanguageInvalid,
                pos,
                format!("language \"{shown}\" is not a BCP 47 tag; left out"),
            );
        }
        tag
    }

    fn header(&mut self, h: &Elem, m: &mut Metadata) -> Result<(), TeiError> {
        let mut dates = Dates::default();
        for e in h.elems() {
            match (e.is_tei(), e.name.as_str()) {
                (false, _) => self.foreign(e),
                (true, "fileDesc") => self.file_desc(e, m, &mut dates),
                (true, "profileDesc") => self.profile_desc(e, m, &mut dates)?,
                // They describe the encoding and its history, not the interview.
                (true, "encodingDesc" | "revisionDesc") => {}
                _ => self.unmapped(e),
            }
        }
        m.date = dates
            .setting
            .or(dates.creation)
            .or(dates.bibl)
            .or(dates.recording);
        Ok(())
    }

    fn file_desc(&mut self, fd: &Elem, m: &mut Metadata, dates: &mut Dates) {
        for e in fd.elems() {
            match (e.is_tei(), e.name.as_str()) {
                (false, _) => self.foreign(e),
                (true, "titleStmt") => self.title_stmt(e, m),
                (true, "publicationStmt") => self.publication_stmt(e, m),
                (true, "sourceDesc") => self.source_desc(e, m, dates),
                _ => self.unmapped(e),
            }
        }
    }

    fn title_stmt(&mut self, ts: &Elem, m: &mut Metadata) {
        let mut main_seen = false;
        for e in ts.elems() {
            match (e.is_tei(), e.name.as_str()) {
                (false, _) => self.foreign(e),
                (true, "title") => match e.attr("type") {
                    Some("main") | None if !main_seen => {
                        main_seen = true;
                        m.title = non_empty(plain(e));
                    }
                    Some("sub" | "subordinate") if m.subtitle.is_none() => {
                        m.subtitle = Some(plain(e));
                    }
                    _ => self.warn(
                        Code::MetadataDropped,
                        e.pos,
                        "further <title> ignored: the model has one title and one subtitle",
                    ),
                },
                // They restate the participants and the encoder.
                (
                    true,
                    "author" | "editor" | "respStmt" | "sponsor" | "funder" | "principal"
                    | "meeting",
                ) => {}
                _ => self.unmapped(e),
            }
        }
    }

    fn publication_stmt(&mut self, ps: &Elem, m: &mut Metadata) {
        let mut agency = None;
        for e in ps.elems() {
            match (e.is_tei(), e.name.as_str()) {
                (false, _) => self.foreign(e),
                (true, "publisher") if m.publisher.is_none() => m.publisher = Some(plain(e)),
                (true, "authority" | "distributor") => {
                    if agency.is_none() {
                        agency = non_empty(plain(e));
                    }
                }
                // The date the TEI file was published, not the interview's.
                (true, "date") => {}
                (true, "idno") if m.identifier.is_none() => m.identifier = Some(plain(e)),
                (true, "availability") if m.rights.is_none() => m.rights = self.availability(e),
                _ => self.unmapped(e),
            }
        }
        if m.publisher.is_none() {
            m.publisher = agency;
        }
    }

    fn availability(&mut self, a: &Elem) -> Option<String> {
        let mut licence = None;
        let mut paras = Vec::new();
        for e in a.elems() {
            match (e.is_tei(), e.name.as_str()) {
                (false, _) => self.foreign(e),
                (true, "licence") if licence.is_none() => {
                    licence = non_empty(plain(e)).or_else(|| e.attr("target").map(str::to_string));
                }
                (true, "p") => paras.push(plain(e)),
                _ => self.unmapped(e),
            }
        }
        licence.or_else(|| non_empty(paras.join("\n\n")))
    }

    fn source_desc(&mut self, sd: &Elem, m: &mut Metadata, dates: &mut Dates) {
        for e in sd.elems() {
            match (e.is_tei(), e.name.as_str()) {
                (false, _) => self.foreign(e),
                (true, "bibl") => {
                    for c in e.elems() {
                        match (c.is_tei(), c.name.as_str()) {
                            (false, _) => self.foreign(c),
                            // The title is the transcript's.
                            (true, "title") => {}
                            (true, "ref" | "ptr") if m.source_url.is_none() => {
                                // The writer gives the URL as written in the text, and a
                                // percent-encoded form in @target when it must.
                                let text = plain(c);
                                m.source_url = match c.attr("target") {
                                    Some(t) if pointer(&text).as_deref() != Some(t) => {
                                        Some(t.to_string())
                                    }
                                    _ => non_empty(text),
                                };
                            }
                            (true, "idno")
                                if c.attr("type") == Some("URL") && m.source_url.is_none() =>
                            {
                                m.source_url = non_empty(plain(c));
                            }
                            (true, "date") if dates.bibl.is_none() => dates.bibl = self.date_of(c),
                            _ => self.unmapped(c),
                        }
                    }
                }
                (true, "recordingStmt") => {
                    let date = e
                        .elems()
                        .filter(|r| r.name == "recording")
                        .find_map(|r| r.child("date"));
                    if dates.recording.is_none() {
                        dates.recording = date.and_then(|d| self.date_of(d));
                    }
                }
                // The writer's own note that there is no source says nothing new.
                (true, "p") if plain(e).trim() == crate::write::NO_SOURCE => {}
                (true, "p") => {
                    if has_text(e) && self.warned.insert("sourceDesc/p".into()) {
                        self.warn(
                            Code::TextDropped,
                            e.pos,
                            "<p> in <sourceDesc> is not mapped to the transcript model; \
                             its text is dropped",
                        );
                    }
                }
                _ => self.unmapped(e),
            }
        }
    }

    fn profile_desc(
        &mut self,
        pd: &Elem,
        m: &mut Metadata,
        dates: &mut Dates,
    ) -> Result<(), TeiError> {
        for e in pd.elems() {
            match (e.is_tei(), e.name.as_str()) {
                (false, _) => self.foreign(e),
                (true, "langUsage") => {
                    // `und-Hebr` and the like name a script present, not the language.
                    if m.language.is_none()
                        && let Some(l) = e.elems().find(|l| {
                            l.name == "language" && !l.attr("ident").is_some_and(script_only)
                        })
                    {
                        let ident = l.attr("ident").unwrap_or_default().to_string();
                        m.language = self.language(&ident, non_empty(plain(l)), l.pos);
                    }
                }
                (true, "abstract") => {
                    let paras: Vec<String> =
                        e.elems().filter(|p| p.name == "p").map(plain).collect();
                    m.description = non_empty(if paras.is_empty() {
                        plain(e)
                    } else {
                        paras.join("\n\n")
                    });
                }
                (true, "particDesc") => self.persons(e)?,
                (true, "settingDesc") => {
                    for s in e.elems() {
                        if s.name != "setting" {
                            self.unmapped(s);
                            continue;
                        }
                        for c in s.elems() {
                            match c.name.as_str() {
                                "placeName" | "name" if m.place.is_none() => {
                                    m.place = non_empty(plain(c))
                                }
                                "date" if dates.setting.is_none() => {
                                    dates.setting = self.date_of(c)
                                }
                                _ => self.unmapped(c),
                            }
                        }
                    }
                }
                (true, "textClass") => {
                    for k in e.elems() {
                        if k.name != "keywords" {
                            self.unmapped(k);
                            continue;
                        }
                        for t in k.elems() {
                            match t.name.as_str() {
                                "term" => m.keywords.push(plain(t)),
                                "list" => m
                                    .keywords
                                    .extend(t.elems().filter(|i| i.name == "item").map(plain)),
                                _ => self.unmapped(t),
                            }
                        }
                    }
                }
                (true, "creation") => {
                    if let Some(d) = e.child("date") {
                        dates.creation = self.date_of(d);
                    } else {
                        self.unmapped(e);
                    }
                }
                _ => self.unmapped(e),
            }
        }
        Ok(())
    }

    fn persons(&mut self, e: &Elem) -> Result<(), TeiError> {
        for c in e.elems() {
            match (c.is_tei(), c.name.as_str()) {
                (false, _) => self.foreign(c),
                (true, "listPerson") => self.persons(c)?,
                // A group (the witches, a chorus) speaks like one person.
                (true, "person" | "personGrp") => self.person(c)?,
                (true, "head") => {}
                _ => self.unmapped(c),
            }
        }
        Ok(())
    }

    fn person(&mut self, e: &Elem) -> Result<(), TeiError> {
        let Some(id) = e.attr("xml:id") else {
            self.warn(
                Code::MetadataDropped,
                e.pos,
                "<person> without xml:id ignored: utterances cannot point to it",
            );
            return Ok(());
        };
        if !is_valid_id(id) {
            return Err(self.error(
                e.pos,
                format!(
                    "person id \"{id}\" cannot be a participant id: it must be a letter \
                     followed by letters, digits, '_', '-' or '.'"
                ),
            ));
        }
        if self.participants.iter().any(|p| p.id == id) {
            return Err(self.error(e.pos, format!("duplicate person id \"{id}\"")));
        }
        let role = match e.attr("role").and_then(|r| r.split_whitespace().next()) {
            None => Role::Other,
            Some(r) => Role::parse(r).unwrap_or_else(|| {
                self.warn(
                    Code::RoleGuessed,
                    e.pos,
                    format!("unknown role \"{r}\" of \"{id}\" read as \"other\""),
                );
                Role::Other
            }),
        };
        let mut name = None;
        let mut aliases = Vec::new();
        for c in e.elems() {
            match (c.is_tei(), c.name.as_str()) {
                (false, _) => self.foreign(c),
                (true, "persName") if c.attr("type") == Some("alias") => aliases.push(plain(c)),
                (true, "persName" | "name") if name.is_none() => name = Some(plain(c)),
                (true, "persName" | "name") => aliases.push(plain(c)),
                _ => self.unmapped(c),
            }
        }
        let name = name.unwrap_or_else(|| {
            self.warn(
                Code::SpeakerDeclared,
                e.pos,
                format!("person \"{id}\" has no <persName>; the id is used as name"),
            );
            id.to_string()
        });
        self.participants.push(Participant {
            id: id.to_string(),
            name,
            role,
            aliases,
        });
        Ok(())
    }

    // ----- time -----

    fn collect_times(&mut self, text: &Elem) {
        let mut defs = BTreeMap::new();
        self.find_timelines(text, &mut defs);
        let ids: Vec<String> = defs.keys().cloned().collect();
        let mut memo = BTreeMap::new();
        for id in ids {
            if let Some(ms) = self.resolve_when(&id, &defs, &mut memo, 0) {
                self.times.insert(id, Timestamp::from_millis(ms));
            }
        }
    }

    fn find_timelines(&mut self, e: &Elem, defs: &mut BTreeMap<String, When>) {
        for c in e.elems() {
            if c.name != "timeline" {
                self.find_timelines(c, defs);
                continue;
            }
            let unit = match c.attr("unit").unwrap_or("s") {
                "ms" => 1.0,
                "s" => 1000.0,
                "min" => 60_000.0,
                "h" => 3_600_000.0,
                "d" => 86_400_000.0,
                other => {
                    self.warn(
                        Code::TimeInvalid,
                        c.pos,
                        format!("timeline unit \"{other}\" unknown; read as seconds"),
                    );
                    1000.0
                }
            };
            let origin = c.attr("origin").map(|o| fragment(o).to_string());
            for w in c.elems() {
                let Some(id) = w.attr("xml:id") else { continue };
                defs.insert(
                    id.to_string(),
                    When {
                        interval: w.attr("interval").map(str::to_string),
                        since: w.attr("since").map(|s| fragment(s).to_string()),
                        absolute: w.attr("absolute").map(str::to_string),
                        unit,
                        origin: origin.clone(),
                        pos: w.pos,
                    },
                );
            }
        }
    }

    /// Milliseconds from the origin of the timeline to a `when`.
    fn resolve_when(
        &mut self,
        id: &str,
        defs: &BTreeMap<String, When>,
        memo: &mut BTreeMap<String, Option<u64>>,
        depth: usize,
    ) -> Option<u64> {
        if let Some(v) = memo.get(id) {
            return *v;
        }
        let w = defs.get(id)?;
        if depth > 64 {
            self.warn(
                Code::TimeInvalid,
                w.pos,
                format!("timeline point \"{id}\" is defined in a loop"),
            );
            return None;
        }
        if w.origin.as_deref() == Some(id) {
            memo.insert(id.to_string(), Some(0));
            return Some(0);
        }
        let v = if let Some(interval) = &w.interval {
            let since = w.since.as_deref().or(w.origin.as_deref());
            let base = match since {
                Some(other) if other != id => self.resolve_when(other, defs, memo, depth + 1),
                _ => Some(0),
            };
            match interval.trim().parse::<f64>() {
                Ok(x) if x.is_finite() && x >= 0.0 && x * w.unit < 1e15 => {
                    base.map(|b| b + (x * w.unit).round() as u64)
                }
                _ => {
                    self.warn(
                        Code::TimeInvalid,
                        w.pos,
                        format!("timeline interval \"{interval}\" is not a number of units"),
                    );
                    None
                }
            }
        } else if let Some(abs) = &w.absolute {
            // Absolute times count from the origin's absolute time, if it has one.
            let origin = w
                .origin
                .as_deref()
                .and_then(|o| defs.get(o))
                .and_then(|o| o.absolute.as_deref())
                .and_then(absolute_time);
            match absolute_time(abs) {
                Some(t) => Some(
                    t.millis()
                        .saturating_sub(origin.map_or(0, Timestamp::millis)),
                ),
                None => {
                    self.warn(
                        Code::TimeInvalid,
                        w.pos,
                        format!(
                            "timeline time \"{abs}\" is neither hh:mm:ss nor a number of seconds; ignored"
                        ),
                    );
                    None
                }
            }
        } else {
            // Without an origin, a bare point is the zero point; with one, its time is unknown.
            w.origin.is_none().then_some(0)
        };
        memo.insert(id.to_string(), v);
        v
    }

    fn start_of(&mut self, ptr: Option<&str>, pos: usize) -> Option<Timestamp> {
        // A two-token @synch (LaBB-CAT) gives the start and the end: the first is the start.
        let ptr = ptr?.split_whitespace().next()?;
        let t = self.times.get(fragment(ptr)).copied();
        if t.is_none() {
            self.warn(
                Code::TimeInvalid,
                pos,
                format!("time \"{ptr}\" points to no timeline point; the time is left out"),
            );
        }
        t
    }

    // ----- text -----

    fn text(&mut self, text: &Elem) -> Result<Vec<Block>, TeiError> {
        let mut out = Vec::new();
        for n in &text.children {
            match n {
                Node::Text(s, pos) if !is_blank(s) => {
                    self.warn(
                        Code::MarkupSimplified,
                        *pos,
                        "text directly in <text> read as a paragraph",
                    );
                    out.push(self.loose_text(s));
                }
                Node::Text(..) => {}
                Node::Elem(e) => match (e.is_tei(), e.name.as_str()) {
                    (false, _) => self.foreign(e),
                    (true, "front" | "body" | "back") => self.blocks(&e.children, &mut out)?,
                    (true, "timeline") => {}
                    (true, "group") => {
                        return Err(
                            self.error(e.pos, "<group> (several texts in one) is not supported")
                        );
                    }
                    _ => self.unmapped(e),
                },
            }
        }
        Ok(out)
    }

    fn loose_text(&self, s: &str) -> Block {
        let mut content = vec![Inline::text(s)];
        settle(&mut content, true, true);
        Block::Paragraph(Paragraph { content })
    }

    fn blocks(&mut self, nodes: &[Node], out: &mut Vec<Block>) -> Result<(), TeiError> {
        let refs: Vec<&Node> = nodes.iter().collect();
        self.block_refs(&refs, out)
    }

    fn block_refs(&mut self, nodes: &[&Node], out: &mut Vec<Block>) -> Result<(), TeiError> {
        for &n in nodes {
            let e = match n {
                Node::Text(s, pos) => {
                    if !is_blank(s) {
                        self.warn(
                            Code::MarkupSimplified,
                            *pos,
                            "text outside a paragraph read as a paragraph",
                        );
                        out.push(self.loose_text(s));
                    }
                    continue;
                }
                Node::Elem(e) => e,
            };
            if !e.is_tei() {
                self.foreign(e);
                continue;
            }
            match e.name.as_str() {
                "div" | "div1" | "div2" | "div3" | "div4" | "div5" | "div6" | "div7" => {
                    self.div(e, out)?
                }
                "p" | "ab" => out.push(Block::Paragraph(Paragraph {
                    content: self.para(&e.children),
                })),
                "u" => out.push(Block::Turn(self.turn(e, None)?)),
                "sp" => {
                    if let Some(t) = self.sp(e)? {
                        out.push(Block::Turn(t));
                    }
                }
                "annotationBlock" => {
                    for c in e.elems() {
                        if c.is_tei() && c.name == "u" {
                            out.push(Block::Turn(self.turn(c, Some(e))?));
                        } else {
                            self.unmapped(c);
                        }
                    }
                }
                "timeline" => {}
                "head" => {
                    self.warn(
                        Code::MarkupSimplified,
                        e.pos,
                        "<head> that does not start a <div> read as a paragraph",
                    );
                    out.push(Block::Paragraph(Paragraph {
                        content: self.para(&e.children),
                    }));
                }
                "note" | "pause" | "vocal" | "incident" | "kinesic" | "gap" | "stage" => {
                    self.warn(
                        Code::MarkupSimplified,
                        e.pos,
                        format!(
                            "<{}> outside an utterance read as a narrative paragraph",
                            e.name
                        ),
                    );
                    let mut content = Vec::new();
                    self.inline_elem(e, &mut content);
                    settle(&mut content, true, true);
                    out.push(Block::Paragraph(Paragraph { content }));
                }
                _ if has_text(e) => {
                    self.unmapped_kept(e);
                    out.push(Block::Paragraph(Paragraph {
                        content: self.para(&e.children),
                    }));
                }
                _ => self.unmapped(e),
            }
        }
        Ok(())
    }

    /// A `div` with a `head` is a section; without one its content joins the parent.
    fn div(&mut self, e: &Elem, out: &mut Vec<Block>) -> Result<(), TeiError> {
        let head = e
            .children
            .iter()
            .position(|n| matches!(n, Node::Elem(h) if h.is_tei() && h.name == "head"));
        let Some(h) = head else {
            return self.blocks(&e.children, out);
        };
        let Node::Elem(head) = &e.children[h] else {
            return self.blocks(&e.children, out);
        };
        let heading = self.para(&head.children);
        let rest: Vec<&Node> = e
            .children
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != h)
            .map(|(_, n)| n)
            .collect();
        let mut blocks = Vec::new();
        self.block_refs(&rest, &mut blocks)?;
        out.push(Block::Section(Section { heading, blocks }));
        Ok(())
    }

    /// The participants a `@who` points to (several for a turn said together), each
    /// declared if needed.
    fn voices(&mut self, who: &str, pos: usize) -> Result<(String, Vec<String>), TeiError> {
        let mut ids: Vec<String> = Vec::new();
        for token in who.split_whitespace() {
            let id = self.speaker_ref(token, pos)?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        if ids.is_empty() {
            return Err(self.error(pos, "empty @who: the speaker is unknown"));
        }
        // Split off, not removed: a lone speaker's empty list holds no allocation.
        let rest = ids.split_off(1);
        let speaker = ids.pop().unwrap_or_default();
        Ok((speaker, rest))
    }

    /// The participant id one `@who` pointer names, declaring it if needed.
    fn speaker_ref(&mut self, pointer: &str, pos: usize) -> Result<String, TeiError> {
        let id = fragment(pointer).to_string();
        if self.participants.iter().any(|p| p.id == id) {
            return Ok(id);
        }
        if !is_valid_id(&id) {
            return Err(self.error(pos, format!("speaker \"{id}\" cannot be a participant id")));
        }
        // ParlaMint-style ids are names run together: `PeterFowler` is Peter Fowler.
        let name = camel_words(&id).unwrap_or_else(|| id.clone());
        let shown = if name == id {
            String::new()
        } else {
            format!(" as \"{name}\"")
        };
        self.warn(
            Code::SpeakerDeclared,
            pos,
            format!(
                "speaker \"{id}\" is not declared in particDesc; declared{shown} with role \"other\""
            ),
        );
        self.participants
            .push(Participant::new(id.clone(), name, Role::Other));
        Ok(id)
    }

    /// The participant of turns whose speaker the document does not give, declared on
    /// first use; each such turn is a warning.
    fn unknown_speaker(&mut self, pos: usize, what: &str) -> String {
        const ID: &str = "unknown";
        if !self.participants.iter().any(|p| p.id == ID) {
            self.participants
                .push(Participant::new(ID, "Unknown speaker", Role::Other));
        }
        self.warn(
            Code::SpeakerGuessed,
            pos,
            format!("{what}: the turn is given to an unknown speaker"),
        );
        ID.to_string()
    }

    /// Drama names its speakers as it prints them: a participant whose name is not one
    /// of the `<speaker>` labels printed for it (an id such as `WITCHES.1_Mac`, a
    /// description) takes the label printed most often (`FIRST WITCH` → `First Witch`);
    /// its old name becomes an alias.
    fn names_from_printed_labels(&mut self) {
        for p in &mut self.participants {
            let Some(labels) = self.printed.get(&p.id) else {
                continue;
            };
            let folded = |s: &str| {
                s.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase()
            };
            if labels.keys().any(|l| folded(l) == folded(&p.name)) {
                continue;
            }
            // A proper name stays (`Kofi Owusu` printed as `KO`); an id (`WITCHES.1_Mac`)
            // or a description (`both attending upon Lady Macbeth`) gives way.
            let id_like = p.name == p.id || !p.name.contains(' ') && p.name.contains(['_', '.']);
            let description = p.name.contains(',')
                || p.name
                    .split_whitespace()
                    .any(|w| w.chars().next().is_some_and(char::is_lowercase) && w.len() > 3);
            if !id_like && !description {
                continue;
            }
            let Some((label, _)) = labels
                .iter()
                .filter(|(l, _)| !l.is_empty())
                .max_by_key(|(l, n)| (**n, std::cmp::Reverse((*l).clone())))
            else {
                continue;
            };
            let shown = if label.chars().any(char::is_lowercase) {
                label.clone()
            } else {
                verbatim_labels::names::title_case(label)
            };
            let old = std::mem::replace(&mut p.name, shown);
            if old != p.id && !p.aliases.contains(&old) {
                p.aliases.push(old);
            }
        }
    }

    /// The participant a `<speaker>` label names, declaring one if nobody matches.
    fn speaker_label(&mut self, label: &str, pos: usize) -> Result<String, TeiError> {
        let label = label.trim().trim_end_matches(':').trim();
        if label.is_empty() {
            return Err(self.error(pos, "empty <speaker>: the speaker is unknown"));
        }
        let found = self
            .participants
            .iter()
            .find(|p| p.is_named(label))
            .or_else(|| {
                let l = label.to_lowercase();
                self.participants.iter().find(|p| {
                    p.id.to_lowercase() == l
                        || p.name.to_lowercase() == l
                        || p.aliases.iter().any(|a| a.to_lowercase() == l)
                })
            });
        if let Some(p) = found {
            return Ok(p.id.clone());
        }
        let base = id_from_label(label);
        let mut id = base.clone();
        let mut n = 2;
        while self.participants.iter().any(|p| p.id == id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.warn(Code::SpeakerDeclared,
            pos,
            format!("speaker \"{label}\" is not declared in particDesc; declared as \"{id}\" with role \"other\""),
        );
        self.participants
            .push(Participant::new(id.clone(), label, Role::Other));
        Ok(id)
    }

    fn turn(&mut self, u: &Elem, block: Option<&Elem>) -> Result<Turn, TeiError> {
        let attr = |name: &str| u.attr(name).or_else(|| block.and_then(|b| b.attr(name)));
        let (speaker, with) = match attr("who") {
            Some(who) => self.voices(who, u.pos)?,
            None => (self.unknown_speaker(u.pos, "<u> without @who"), Vec::new()),
        };
        self.ignored_attrs(u, &["dur", "trans"]);
        let synch = attr("synch");
        let start = self.start_of(attr("start").or(synch), u.pos);
        let end_ptr = attr("end").or_else(|| synch.and_then(|s| s.split_whitespace().nth(1)));
        let end = self.start_of(end_ptr, u.pos);
        // Paragraph-like children (p, ab, seg) are the turn's paragraphs.
        let is_para = |n: &Node| match n {
            Node::Text(s, _) => is_blank(s),
            Node::Elem(c) => c.is_tei() && matches!(c.name.as_str(), "p" | "ab" | "seg"),
        };
        let split =
            u.children.iter().any(|n| matches!(n, Node::Elem(_))) && u.children.iter().all(is_para);
        let paragraphs = if split {
            u.elems().map(|c| self.para(&c.children)).collect()
        } else {
            // A blank line in the text of a <u> is a paragraph break (DDHI writes them so).
            split_at_blank_lines(&u.children)
                .into_iter()
                .map(|nodes| self.para(&nodes))
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
        };
        let paragraphs = if paragraphs.is_empty() {
            vec![Vec::new()]
        } else {
            paragraphs
        };
        let end = end.filter(|e| start.is_none_or(|s| *e >= s));
        Ok(Turn {
            speaker: speaker.into(),
            with,
            start,
            end,
            continues: u.attr("prev").is_some(),
            inferred: u.attr("cert").is_some_and(|c| c.trim() != "high"),
            // Collected, so that one paragraph is held in place and more are held exactly.
            paragraphs: paragraphs.into_iter().collect(),
        })
    }

    fn sp(&mut self, sp: &Elem) -> Result<Option<Turn>, TeiError> {
        let printed = sp
            .child("speaker")
            .map(plain)
            .filter(|s| !s.trim().is_empty());
        let (speaker, with) = match (sp.attr("who"), &printed) {
            (Some(who), _) => {
                let (speaker, with) = self.voices(who, sp.pos)?;
                if with.is_empty()
                    && let Some(label) = &printed
                {
                    *self
                        .printed
                        .entry(speaker.clone())
                        .or_default()
                        .entry(label.trim().trim_end_matches([':', '.']).trim().to_string())
                        .or_default() += 1;
                }
                (speaker, with)
            }
            (None, Some(label)) => {
                let at = sp.child("speaker").map_or(sp.pos, |e| e.pos);
                (self.speaker_label(label, at)?, Vec::new())
            }
            (None, None) => (
                self.unknown_speaker(sp.pos, "<sp> without @who or <speaker>"),
                Vec::new(),
            ),
        };
        let mut paragraphs = Vec::new();
        for n in &sp.children {
            match n {
                Node::Text(s, pos) if !is_blank(s) => {
                    self.warn(
                        Code::MarkupSimplified,
                        *pos,
                        "text directly in <sp> read as a paragraph",
                    );
                    let mut content = vec![Inline::text(s)];
                    settle(&mut content, true, true);
                    paragraphs.push(content);
                }
                Node::Text(..) => {}
                Node::Elem(e) if !e.is_tei() => self.foreign(e),
                Node::Elem(e) => match e.name.as_str() {
                    "speaker" => {}
                    "p" | "ab" | "l" => paragraphs.push(self.para(&e.children)),
                    "lg" => {
                        for l in e.elems() {
                            paragraphs.push(self.para(&l.children));
                        }
                    }
                    "stage" | "pause" | "vocal" | "incident" | "kinesic" | "gap" | "note" => {
                        let mut content = Vec::new();
                        self.inline_elem(e, &mut content);
                        settle(&mut content, true, true);
                        paragraphs.push(content);
                    }
                    _ if has_text(e) => {
                        self.unmapped_kept(e);
                        paragraphs.push(self.para(&e.children));
                    }
                    _ => self.unmapped(e),
                },
            }
        }
        if paragraphs.is_empty() {
            self.warn(Code::TextDropped, sp.pos, "<sp> without any speech ignored");
            return Ok(None);
        }
        // `@synch="#T1 #T2"` (start and end), as `sp` has no @start or @end in TEI.
        let synch = sp.attr("synch");
        let first = synch.and_then(|s| s.split_whitespace().next());
        let second = synch.and_then(|s| s.split_whitespace().nth(1));
        let start = self.start_of(sp.attr("start").or(first), sp.pos);
        let end = self.start_of(sp.attr("end").or(second), sp.pos);
        Ok(Some(Turn {
            speaker: speaker.into(),
            with,
            start,
            end,
            continues: sp.attr("prev").is_some(),
            inferred: sp.attr("cert").is_some_and(|c| c.trim() != "high"),
            paragraphs: paragraphs.into_iter().collect(),
        }))
    }

    // ----- inline -----

    /// Inline content of a paragraph-like element, layout settled.
    fn para(&mut self, nodes: &[Node]) -> Vec<Inline> {
        let mut out = Vec::new();
        self.inlines(nodes, &mut out);
        settle(&mut out, true, true);
        // The model keeps it: no room for four where one inline is the rule.
        out.shrink_to_fit();
        out
    }

    fn inlines(&mut self, nodes: &[Node], out: &mut Vec<Inline>) {
        for n in nodes {
            match n {
                Node::Text(s, _) => push_text(out, s),
                Node::Elem(e) => self.inline_elem(e, out),
            }
        }
    }

    fn content(&mut self, e: &Elem) -> Vec<Inline> {
        let mut v = Vec::new();
        self.inlines(&e.children, &mut v);
        v
    }

    fn desc(&self, e: &Elem) -> Option<String> {
        e.child("desc").map(plain)
    }

    fn inline_elem(&mut self, e: &Elem, out: &mut Vec<Inline>) {
        if !e.is_tei() {
            self.foreign(e);
            return;
        }
        let marker = |kind, desc: String| Inline::Marker { kind, desc };
        match e.name.as_str() {
            "hi" => {
                let rend = e.attr("rend").unwrap_or("").to_ascii_lowercase();
                let has = |names: &[&str]| {
                    rend.split(|c: char| c.is_whitespace() || c == ';' || c == ',')
                        .any(|t| names.contains(&t.trim()))
                };
                let italic =
                    rend.is_empty() || has(&["italic", "italics", "it", "i", "em", "emph"]);
                let bold = has(&["bold", "b", "strong"]);
                let content = self.content(e);
                match (italic, bold) {
                    (true, true) => out.push(Inline::Strong {
                        content: vec![Inline::Emphasis { content }],
                    }),
                    (false, true) => out.push(Inline::Strong { content }),
                    (true, false) => out.push(Inline::Emphasis { content }),
                    (false, false) => {
                        if self.warned.insert(format!("hi@{rend}")) {
                            self.warn(
                                Code::MarkupSimplified,
                                e.pos,
                                format!("<hi rend=\"{rend}\"> is not mapped; its text is kept"),
                            );
                        }
                        out.extend(content);
                    }
                }
            }
            "emph" => {
                let content = self.content(e);
                out.push(Inline::Emphasis { content });
            }
            "ref" => {
                let content = self.content(e);
                match e.attr("target") {
                    Some(target) => out.push(Inline::Link {
                        target: target.to_string(),
                        content,
                    }),
                    None => {
                        self.unmapped_kept(e);
                        out.extend(content);
                    }
                }
            }
            "ptr" => match e.attr("target") {
                Some(target) => out.push(Inline::Link {
                    target: target.to_string(),
                    content: vec![Inline::text(target)],
                }),
                None => self.unmapped(e),
            },
            "note" => {
                let resp = e.attr("resp").and_then(|r| self.note_resp(r, e.pos));
                let mut content = self.content(e);
                settle(&mut content, true, true);
                out.push(Inline::Note { resp, content });
            }
            "vocal" => {
                let desc = self
                    .desc(e)
                    .or_else(|| e.attr("type").map(str::to_string))
                    .unwrap_or_else(|| "vocal".into());
                out.push(marker(MarkerKind::Vocal, desc));
            }
            "incident" | "kinesic" => {
                if e.name == "kinesic" && self.warned.insert("kinesic".into()) {
                    self.warn(
                        Code::MarkupSimplified,
                        e.pos,
                        "<kinesic> read as an incident marker",
                    );
                }
                let desc = self
                    .desc(e)
                    .or_else(|| e.attr("type").map(str::to_string))
                    .unwrap_or_else(|| e.name.clone());
                out.push(marker(MarkerKind::Incident, desc));
            }
            "stage" => out.push(marker(MarkerKind::Incident, plain(e))),
            "pause" => {
                // Verbatim's own pauses restate their length in @n.
                if e.attr("n").is_none() {
                    self.ignored_attrs(e, &["dur"]);
                }
                let desc = match (e.attr("n"), e.attr("type")) {
                    (Some(n), _) => n.to_string(),
                    (None, Some(ty)) => format!("{ty} pause"),
                    (None, None) => "pause".into(),
                };
                out.push(marker(MarkerKind::Pause, desc));
            }
            "gap" => {
                self.ignored_attrs(e, &["quantity", "extent", "atLeast", "atMost"]);
                let desc = self
                    .desc(e)
                    .or_else(|| e.attr("reason").map(str::to_string))
                    .unwrap_or_else(|| "gap".into());
                out.push(marker(MarkerKind::Gap, desc));
            }
            "lb" => push_text(out, &LAYOUT.to_string()),
            "choice" => {
                let pick = ["orig", "sic", "abbr", "seg"]
                    .iter()
                    .find_map(|n| e.child(n))
                    .or_else(|| e.elems().next());
                if e.elems().count() > 1 && self.warned.insert("choice".into()) {
                    self.warn(
                        Code::TextDropped,
                        e.pos,
                        "<choice>: only one alternative is kept",
                    );
                }
                if let Some(p) = pick {
                    self.inlines(&p.children, out);
                }
            }
            name if TRANSPARENT.contains(&name) => self.inlines(&e.children, out),
            // Text in another script, marked by its script alone (as the writer marks it):
            // the script is in the characters, so reading through loses nothing.
            "foreign" if e.attr("xml:lang").is_some_and(script_only) => {
                self.inlines(&e.children, out);
            }
            _ => {
                self.unmapped_kept(e);
                self.inlines(&e.children, out);
            }
        }
    }

    fn note_resp(&mut self, resp: &str, pos: usize) -> Option<String> {
        let id = fragment(resp.split_whitespace().next()?);
        if self.participants.iter().any(|p| p.id == id) {
            return Some(id.to_string());
        }
        self.warn(
            Code::NoteAuthorDropped,
            pos,
            format!("note attributed to \"{resp}\", who is not a participant; attribution dropped"),
        );
        None
    }
}

/// Where what breaks a model invariant is: the deepest element for nesting, the second
/// declaration of a duplicate id, the first element naming an id otherwise.
fn model_error_pos(root: &Elem, e: &ModelError) -> usize {
    let mut deepest = (0, root.pos);
    let mut seen_id = 0;
    let mut stack = vec![(root, 1usize)];
    while let Some((el, depth)) = stack.pop() {
        match e {
            ModelError::TooDeep if depth > deepest.0 => deepest = (depth, el.pos),
            ModelError::DuplicateParticipant(id) if el.attr("xml:id") == Some(id) => {
                seen_id += 1;
                if seen_id == 2 {
                    return el.pos;
                }
            }
            ModelError::BadParticipantId(id) if el.attr("xml:id") == Some(id) => return el.pos,
            ModelError::UndeclaredSpeaker(id)
            | ModelError::EmptyTurn(id)
            | ModelError::RepeatedSpeaker(id, _)
            | ModelError::EndBeforeStart(id, ..)
                if el
                    .attr("who")
                    .is_some_and(|w| w.split_whitespace().any(|w| fragment(w) == id)) =>
            {
                return el.pos;
            }
            ModelError::UndeclaredNoteAuthor(id)
                if el.attr("resp").is_some_and(|r| fragment(r) == id) =>
            {
                return el.pos;
            }
            _ => {}
        }
        // Children in document order: pushed last first.
        let children: Vec<&Elem> = el.elems().collect();
        stack.extend(children.into_iter().rev().map(|c| (c, depth + 1)));
    }
    deepest.1
}

/// Candidate interview dates, by where they were found.
#[derive(Default)]
struct Dates {
    setting: Option<IsoDate>,
    creation: Option<IsoDate>,
    bibl: Option<IsoDate>,
    recording: Option<IsoDate>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_ids_are_names() {
        assert_eq!(camel_words("PeterFowler").as_deref(), Some("Peter Fowler"));
        assert_eq!(camel_words("DianaBarran").as_deref(), Some("Diana Barran"));
        assert_eq!(camel_words("Peter"), None);
        assert_eq!(camel_words("SPEAKER"), None);
        assert_eq!(camel_words("MacBeth_Mac"), None);
        assert_eq!(camel_words("McDonald"), None);
        assert_eq!(
            camel_words("RonaldMcDonald").as_deref(),
            Some("Ronald McDonald")
        );
    }
}
