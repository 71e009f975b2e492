//! Transcript → TEI P5.

use std::borrow::Cow;
use std::fmt::Write as _;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, Event};
use verbatim_model::{
    Block, Inline, IsoDate, Labels, LanguageTag, MarkerKind, Participant, Timestamp, Transcript,
    Turn, WriteContext, script,
};

use crate::dom::{MAX_DEPTH, TEI_NS};
use crate::{TeiError, TeiOptions, TeiStyle};

const RELATORS: &str = "http://id.loc.gov/vocabulary/relators/";
const INDENT: &str = "  ";

/// Writes a transcript as a TEI P5 document (UTF-8, indented, ending in a newline).
///
/// Fails only on a transcript that breaks the model's invariants, contains a
/// character XML cannot carry (such as U+0000), or nests deeper than the reader
/// reads (see [`TeiError::TooDeep`]).
pub fn to_vec(t: &Transcript, opts: &TeiOptions, cx: &WriteContext) -> Result<Vec<u8>, TeiError> {
    write_into(t, opts, cx, None)
}

/// Writes the document, handing it to `sink` a turn at a time once a chunk has
/// filled, so a long transcript is never whole in memory; gives back what is left.
pub(crate) fn write_into<'a>(
    t: &'a Transcript,
    opts: &TeiOptions,
    cx: &'a WriteContext,
    sink: Option<&'a mut dyn std::io::Write>,
) -> Result<Vec<u8>, TeiError> {
    t.validate()?;
    let made = cx.dates.made()?.map(|d| d.date().to_string());
    let mut w = TeiWriter::new(t, cx.generator.as_deref(), made);
    w.out.sink = sink;
    w.style = opts.style;
    w.document()?;
    let mut out = w.out.w.into_inner();
    out.push(b'\n');
    Ok(out)
}

/// How much output is gathered before it goes to the sink.
const CHUNK: usize = 1 << 16;

/// The `sourceDesc` of a transcript without title, source URL, date or timestamps.
pub(crate) const NO_SOURCE: &str = "No source is described in the transcript.";

/// Prefixes of the generated ids, chosen so they cannot clash with participant ids.
struct Ids {
    utterance: &'static str,
    time: &'static str,
    encoder: &'static str,
}

impl Ids {
    fn for_participants(ps: &[Participant]) -> Ids {
        // Participant ids start with a letter, so a leading '_' never clashes.
        let numbered = |prefix: &str| {
            ps.iter().any(|p| {
                p.id.strip_prefix(prefix)
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            })
        };
        Ids {
            utterance: if numbered("u") { "_u" } else { "u" },
            time: if numbered("T") { "_T" } else { "T" },
            encoder: if ps.iter().any(|p| p.id == "enc") {
                "_enc"
            } else {
                "enc"
            },
        }
    }
}

/// The XML sink: element-only content is indented, mixed content never is.
struct Out<'a> {
    w: Writer<Vec<u8>>,
    /// Where full chunks go; without one the whole document stays in `w`.
    sink: Option<&'a mut dyn std::io::Write>,
    /// Indentation level.
    depth: usize,
    /// Open elements, kept within what the reader accepts.
    nesting: usize,
}

fn io(e: std::io::Error) -> TeiError {
    TeiError::Io(e.to_string())
}

impl Out<'_> {
    /// Hands the output gathered so far to the sink once it fills a chunk.
    fn spill(&mut self) -> Result<(), TeiError> {
        if let Some(sink) = self.sink.as_mut()
            && self.w.get_ref().len() >= CHUNK
        {
            sink.write_all(self.w.get_ref()).map_err(io)?;
            self.w.get_mut().clear();
        }
        Ok(())
    }

    fn event(&mut self, e: Event) -> Result<(), TeiError> {
        self.w.write_event(e).map_err(io)
    }

    fn newline(&mut self) -> Result<(), TeiError> {
        // Text needs no escaping, so it goes straight into the buffer, as quick-xml would put it.
        let out = self.w.get_mut();
        out.push(b'\n');
        for _ in 0..self.depth {
            out.extend_from_slice(INDENT.as_bytes());
        }
        Ok(())
    }

    /// Writes `<name k="v" …>` (or `…/>`) straight into the buffer, as quick-xml
    /// would: building a `BytesStart` grew a vector per attribute of every turn.
    fn tag(&mut self, name: &str, attrs: &[(&str, &str)], empty: bool) -> Result<(), TeiError> {
        let out = self.w.get_mut();
        out.push(b'<');
        out.extend_from_slice(name.as_bytes());
        for (k, v) in attrs {
            out.push(b' ');
            out.extend_from_slice(k.as_bytes());
            out.extend_from_slice(b"=\"");
            escape_into(out, v, true)?;
            out.push(b'"');
        }
        out.extend_from_slice(if empty { b"/>" } else { b">" });
        Ok(())
    }

    /// Opens an element whose content is elements only.
    fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> Result<(), TeiError> {
        self.newline()?;
        self.start(name, attrs)?;
        self.depth += 1;
        Ok(())
    }

    fn close(&mut self, name: &str) -> Result<(), TeiError> {
        self.depth = self.depth.saturating_sub(1);
        self.newline()?;
        self.end(name)
    }

    /// An element on its own line holding mixed content written by `body`.
    fn line(
        &mut self,
        name: &str,
        attrs: &[(&str, &str)],
        body: impl FnOnce(&mut Self) -> Result<(), TeiError>,
    ) -> Result<(), TeiError> {
        self.newline()?;
        self.start(name, attrs)?;
        body(self)?;
        self.end(name)
    }

    /// An element on its own line holding plain text (empty when the text is).
    fn text_line(
        &mut self,
        name: &str,
        attrs: &[(&str, &str)],
        text: &str,
    ) -> Result<(), TeiError> {
        if text.is_empty() {
            self.empty_line(name, attrs)
        } else {
            self.line(name, attrs, |o| o.text(text))
        }
    }

    fn empty_line(&mut self, name: &str, attrs: &[(&str, &str)]) -> Result<(), TeiError> {
        self.newline()?;
        self.empty(name, attrs)
    }

    fn start(&mut self, name: &str, attrs: &[(&str, &str)]) -> Result<(), TeiError> {
        self.nest()?;
        self.tag(name, attrs, false)
    }

    fn end(&mut self, name: &str) -> Result<(), TeiError> {
        self.nesting = self.nesting.saturating_sub(1);
        self.event(Event::End(BytesEnd::new(name)))
    }

    fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> Result<(), TeiError> {
        self.nest()?;
        self.nesting -= 1;
        self.tag(name, attrs, true)
    }

    /// Counts an element in; refuses to nest deeper than the reader reads.
    fn nest(&mut self) -> Result<(), TeiError> {
        if self.nesting >= MAX_DEPTH {
            return Err(TeiError::TooDeep(MAX_DEPTH));
        }
        self.nesting += 1;
        Ok(())
    }

    /// `text` with each of its `runs` in another script a `foreign` carrying its tag.
    fn foreign_text(
        &mut self,
        text: &str,
        runs: &[(std::ops::Range<usize>, LanguageTag)],
    ) -> Result<(), TeiError> {
        let mut at = 0;
        for (range, tag) in runs {
            self.text(&text[at..range.start])?;
            self.start("foreign", &[("xml:lang", tag.as_str())])?;
            self.text(&text[range.clone()])?;
            self.end("foreign")?;
            at = range.end;
        }
        self.text(&text[at..])
    }

    fn text(&mut self, s: &str) -> Result<(), TeiError> {
        if s.is_empty() {
            return Ok(());
        }
        escape_into(self.w.get_mut(), s, false)
    }
}

/// The bytes [`escape_into`] must look at: controls, markup, and the lead byte of U+FFFE/U+FFFF.
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[b'&' as usize] = true;
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t[b'"' as usize] = true;
    t[0xEF] = true;
    t
};

/// Escapes text or an attribute value, appending to `out`. Line breaks (and tabs in
/// attributes) become character references so that a reader cannot take them for layout.
fn escape_into(out: &mut Vec<u8>, s: &str, attr: bool) -> Result<(), TeiError> {
    // Copies runs of plain bytes at once; only ASCII specials and the two
    // non-characters U+FFFE/U+FFFF (UTF-8 EF BF BE/BF) need a look.
    let bytes = s.as_bytes();
    out.reserve(s.len());
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !SPECIAL[usize::from(b)] {
            continue;
        }
        let replacement: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' if attr => b"&quot;",
            b'\n' => b"&#10;",
            b'\r' => b"&#13;",
            b'\t' if attr => b"&#9;",
            b'\t' => continue,
            0..=0x1F => return Err(TeiError::UnwritableChar(u32::from(b))),
            0xEF if bytes.get(i + 1) == Some(&0xBF)
                && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) =>
            {
                let c = s[i..].chars().next().map_or(0, |c| c as u32);
                return Err(TeiError::UnwritableChar(c));
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(replacement);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    Ok(())
}

/// The version number at the end of a generator string, in the form TEI's
/// `application/@version` accepts (`0.1.0` from `verbatim 0.1.0-beta`).
fn generator_version(generator: &str) -> Option<String> {
    let last = generator.split_whitespace().last()?;
    let last = last.strip_prefix('v').unwrap_or(last);
    let v: String = last
        .chars()
        .take_while(|c| c.is_ascii_digit() || c.is_ascii_lowercase() || *c == '.')
        .collect();
    let v = v.trim_end_matches('.');
    let parts: Vec<&str> = v.split('.').collect();
    // TEI pattern: [\d]+[a-z]*[\d]*(\.[\d]+[a-z]*[\d]*){0,3}
    let part_ok = |p: &str| {
        let digits = p.bytes().take_while(u8::is_ascii_digit).count();
        let letters = p[digits..]
            .bytes()
            .take_while(u8::is_ascii_lowercase)
            .count();
        digits > 0 && p[digits + letters..].bytes().all(|b| b.is_ascii_digit())
    };
    (parts.len() <= 4 && parts.iter().all(|p| part_ok(p))).then(|| v.to_string())
}

/// What kind of identifier a string looks like, for `idno/@type`.
fn idno_type(id: &str) -> Option<&'static str> {
    let lower = id.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        Some("URL")
    } else if lower.starts_with("doi:") || lower.starts_with("10.") {
        Some("DOI")
    } else if lower.starts_with("urn:") {
        Some("URN")
    } else {
        None
    }
}

/// A value for a pointer attribute such as `@target` that XML Schema's `anyURI`
/// accepts: stray `%`, a second `#` and brackets outside an IPv6 host are
/// percent-encoded. `None` for an empty value, which no pointer may have.
pub(crate) fn pointer(s: &str) -> Option<String> {
    if s.trim().is_empty() {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut token_start = 0;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            out.push_str(&pointer_token(&s[token_start..i]));
            out.push(c);
            token_start = i + c.len_utf8();
        }
    }
    out.push_str(&pointer_token(&s[token_start..]));
    Some(out)
}

fn pointer_token(t: &str) -> Cow<'_, str> {
    // An IPv6 literal host: "scheme://[...]".
    let host = t.find("://[").and_then(|p| {
        let open = p + 3;
        t[open..].find(']').map(|close| (open, open + close))
    });
    let bytes = t.as_bytes();
    let mut out = String::with_capacity(t.len());
    let mut hash = false;
    for (i, c) in t.char_indices() {
        match c {
            '%' if bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) =>
            {
                out.push('%')
            }
            '%' => out.push_str("%25"),
            '#' if !hash => {
                hash = true;
                out.push('#');
            }
            '#' => out.push_str("%23"),
            '[' | ']' if host.is_some_and(|(o, e)| i == o || i == e) => out.push(c),
            '[' => out.push_str("%5B"),
            ']' => out.push_str("%5D"),
            _ => out.push(c),
        }
    }
    if out == t {
        Cow::Borrowed(t)
    } else {
        Cow::Owned(out)
    }
}

/// The `@type` of a pause whose words are `long pause`, `Short pause.` and the like.
fn pause_type(desc: &str) -> Option<String> {
    let norm = desc.trim().trim_end_matches('.').to_lowercase();
    let word = norm.strip_suffix(" pause")?;
    (!word.is_empty() && word.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-'))
        .then(|| word.to_string())
}

/// The `@dur` of a pause whose words give its length: `12 seconds pause`, `pause, 2
/// min`, `5-second pause`.
fn pause_duration(desc: &str) -> Option<String> {
    let lower = desc.to_lowercase();
    let bytes = lower.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
            i += 1;
        }
        let number = lower[start..i].trim_end_matches('.');
        let rest = lower[i..].trim_start_matches([' ', '-']);
        let unit: String = rest.chars().take_while(char::is_ascii_alphabetic).collect();
        let letter = match unit.as_str() {
            "s" | "sec" | "secs" | "second" | "seconds" => "S",
            "min" | "mins" | "minute" | "minutes" => "M",
            _ => continue,
        };
        if number.parse::<f64>().is_ok_and(|n| n > 0.0) {
            return Some(format!("PT{number}{letter}"));
        }
    }
    None
}

/// A pause's attributes: its kind and length where its words say them, and the words
/// themselves (`@n`) unless `@type` alone gives them back.
fn pause_attrs(desc: &str) -> Vec<(&'static str, String)> {
    if desc == "pause" {
        return Vec::new();
    }
    let mut attrs = Vec::new();
    let ty = pause_type(desc);
    if let Some(t) = &ty {
        attrs.push(("type", t.clone()));
    }
    if let Some(d) = pause_duration(desc) {
        attrs.push(("dur", d));
    }
    if ty.is_none_or(|t| desc != format!("{t} pause")) {
        attrs.push(("n", desc.to_string()));
    }
    attrs
}

struct TeiWriter<'a> {
    t: &'a Transcript,
    /// The producing program, from the write context.
    generator: Option<&'a str>,
    /// The date of the TEI file (`SOURCE_DATE_EPOCH`), ISO.
    made: Option<String>,
    out: Out<'a>,
    ids: Ids,
    /// `continues` of every turn in reading order, to link `@prev`/`@next`.
    continues: Vec<bool>,
    /// Number of turns written so far.
    turn_no: usize,
    /// Distinct start times in ascending order; `T{i}` is `times[i - 1]`, `T0` is zero.
    times: Vec<Timestamp>,
    style: TeiStyle,
    /// The script of the transcript; text in another is a `foreign` with its tag.
    main_script: Option<String>,
    /// `xml:lang="en"` for Verbatim's own English prose in a document in another
    /// language; nothing when the document is English or has no language.
    en: &'static [(&'static str, &'static str)],
    /// The transcript language's role labels.
    labels: &'static Labels,
    /// Where a turn's attribute values are written, one after another.
    values: String,
}

impl<'a> TeiWriter<'a> {
    fn new(t: &'a Transcript, generator: Option<&'a str>, made: Option<String>) -> Self {
        let mut times: Vec<Timestamp> = t
            .turns()
            .flat_map(|u| [u.start, u.end])
            .flatten()
            .filter(|s| s.millis() > 0)
            .collect();
        times.sort();
        times.dedup();
        TeiWriter {
            t,
            generator,
            made,
            out: Out {
                w: Writer::new(Vec::with_capacity(CHUNK + CHUNK / 4)),
                sink: None,
                depth: 0,
                nesting: 0,
            },
            ids: Ids::for_participants(&t.participants),
            continues: t.turns().map(|u| u.continues).collect(),
            turn_no: 0,
            times,
            style: TeiStyle::U,
            main_script: t.main_script(),
            en: match &t.metadata.language {
                Some(l) if l.primary() != "en" => &[("xml:lang", "en")],
                _ => &[],
            },
            labels: Labels::for_transcript(t.metadata.language.as_ref()),
            values: String::new(),
        }
    }

    fn document(&mut self) -> Result<(), TeiError> {
        self.out
            .event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        let mut root = vec![("xmlns", TEI_NS)];
        if let Some(lang) = &self.t.metadata.language {
            root.push(("xml:lang", lang.as_str()));
        }
        self.out.open("TEI", &root)?;
        self.header()?;
        self.text()?;
        self.out.close("TEI")
    }

    // ----- header -----

    fn header(&mut self) -> Result<(), TeiError> {
        self.out.open("teiHeader", &[])?;
        self.out.open("fileDesc", &[])?;
        self.title_stmt()?;
        self.publication_stmt()?;
        self.source_desc()?;
        self.out.close("fileDesc")?;
        self.encoding_desc()?;
        self.profile_desc()?;
        if let Some(date) = self.made.clone() {
            self.out.open("revisionDesc", &[])?;
            let who = format!("#{}", self.ids.encoder);
            let what = match self.generator {
                Some(g) => format!("Converted to TEI by {g}."),
                None => "Converted to TEI.".to_string(),
            };
            let mut attrs = vec![("when", date.as_str()), ("who", who.as_str())];
            attrs.extend_from_slice(self.en);
            self.out.text_line("change", &attrs, &what)?;
            self.out.close("revisionDesc")?;
        }
        self.out.close("teiHeader")
    }

    fn creators(&self) -> impl Iterator<Item = &'a Participant> + use<'a> {
        self.t
            .participants
            .iter()
            .filter(|p| p.role.marc_relator().is_some())
    }

    fn title_stmt(&mut self) -> Result<(), TeiError> {
        let t = self.t;
        let m = &t.metadata;
        self.out.open("titleStmt", &[])?;
        self.marked_line(
            "title",
            &[("type", "main")],
            m.title.as_deref().unwrap_or(""),
        )?;
        if let Some(sub) = &m.subtitle {
            self.marked_line("title", &[("type", "sub")], sub)?;
        }
        // The interviewees are the authors; interviewers have their respStmt only.
        for p in self
            .creators()
            .filter(|p| p.role == verbatim_model::Role::Interviewee)
        {
            let r = format!("#{}", p.id);
            self.marked_line("author", &[("ref", &r)], &p.name)?;
        }
        for p in self.creators() {
            let Some(code) = p.role.marc_relator() else {
                continue;
            };
            let r = format!("#{}", p.id);
            let relator = format!("{RELATORS}{code}");
            self.out.open("respStmt", &[])?;
            let mut attrs = vec![("ref", relator.as_str())];
            if self.labels.is_english() {
                attrs.extend_from_slice(self.en);
            }
            self.out
                .text_line("resp", &attrs, self.labels.role(p.role))?;
            self.marked_line("persName", &[("ref", &r)], &p.name)?;
            self.out.close("respStmt")?;
        }
        self.out.open("respStmt", &[("xml:id", self.ids.encoder)])?;
        self.out
            .text_line("resp", self.en, "TEI encoding (automated conversion)")?;
        let name = self.generator.unwrap_or("Verbatim");
        self.out.text_line("name", &[], name)?;
        self.out.close("respStmt")?;
        self.out.close("titleStmt")
    }

    fn publication_stmt(&mut self) -> Result<(), TeiError> {
        let t = self.t;
        let m = &t.metadata;
        self.out.open("publicationStmt", &[])?;
        match &m.publisher {
            Some(p) => self.out.text_line("publisher", &[], p)?,
            // idno and availability need a preceding agency.
            None => self.out.empty_line("authority", &[])?,
        }
        if let Some(date) = self.made.clone() {
            self.out.empty_line("date", &[("when", &date)])?;
        }
        if let Some(id) = &m.identifier {
            match idno_type(id) {
                Some(ty) => self.out.text_line("idno", &[("type", ty)], id)?,
                None => self.out.text_line("idno", &[], id)?,
            }
        }
        if let Some(rights) = &m.rights {
            self.out.open("availability", &[])?;
            // A target only where it is a valid URI as written.
            match verbatim_model::licence_url(rights) {
                Some(url) if pointer(&url).as_deref() == Some(url.as_str()) => {
                    self.out.text_line("licence", &[("target", &url)], rights)?;
                }
                _ => self.out.text_line("licence", &[], rights)?,
            }
            self.out.close("availability")?;
        }
        self.out.close("publicationStmt")
    }

    fn date_line(&mut self, date: IsoDate) -> Result<(), TeiError> {
        self.out.empty_line("date", &[("when", &date.to_string())])
    }

    fn source_desc(&mut self) -> Result<(), TeiError> {
        let t = self.t;
        let m = &t.metadata;
        let timed = self.t.has_timestamps();
        self.out.open("sourceDesc", &[])?;
        let has_bibl = m.title.is_some() || m.source_url.is_some() || m.date.is_some();
        if has_bibl {
            self.out.open("bibl", &[])?;
            if let Some(title) = &m.title {
                self.marked_line("title", &[], title)?;
            }
            if let Some(url) = &m.source_url {
                match pointer(url) {
                    Some(target) => self.out.text_line("ref", &[("target", &target)], url)?,
                    None => self.out.text_line("ref", &[], url)?,
                }
            }
            if let Some(date) = m.date {
                self.date_line(date)?;
            }
            self.out.close("bibl")?;
        }
        if timed {
            self.out.open("recordingStmt", &[])?;
            self.out.open("recording", &[])?;
            if let Some(date) = m.date {
                self.date_line(date)?;
            }
            self.out.text_line(
                "p",
                self.en,
                "The recording of the interview; utterance start times refer to it.",
            )?;
            self.out.close("recording")?;
            self.out.close("recordingStmt")?;
        }
        if !has_bibl && !timed {
            self.out.text_line("p", self.en, NO_SOURCE)?;
        }
        self.out.close("sourceDesc")
    }

    fn encoding_desc(&mut self) -> Result<(), TeiError> {
        let mut notes = false;
        let mut markers = false;
        self.t.walk_inlines(&mut |i| match i {
            Inline::Note { .. } => notes = true,
            Inline::Marker { .. } => markers = true,
            _ => {}
        });
        let turns: Vec<&Turn> = self.t.turns().collect();
        let mut paras = Vec::new();
        if !turns.is_empty() {
            paras.push(
                "Speaker labels are removed from the text and recorded in u/@who, which points \
                 to a person in particDesc. Each speaker turn is one u; each paragraph of a turn \
                 is a seg of type \"paragraph\".",
            );
        }
        if turns.iter().any(|u| u.continues) {
            paras.push(
                "A turn that carries on across a section heading is split into u elements \
                 linked by @prev and @next; only a u without @prev starts a new turn.",
            );
        }
        if turns.iter().any(|u| u.inferred) {
            paras.push(
                "Speakers not labelled in the source were inferred during conversion; their \
                 utterances carry @cert=\"medium\".",
            );
        }
        if notes {
            paras.push(
                "Editorial remarks in square brackets are encoded as note elements of type \
                 \"editorial\", with @resp pointing to the annotator when the remark is signed.",
            );
        }
        if markers {
            paras.push(
                "Transcriber markers for events that are not words are encoded as vocal, \
                 incident, pause and gap (reason \"inaudible\"); their wording is kept in desc, \
                 or for pause in @type or @n.",
            );
        }
        if self.t.has_timestamps() {
            paras.push(
                "Utterance start times are encoded as u/@start pointing to when elements of the \
                 timeline, in seconds since the start of the recording.",
            );
        }
        if paras.is_empty() {
            paras.push("The text is given as in the source.");
        }
        self.out.open("encodingDesc", &[])?;
        self.out.open("editorialDecl", &[])?;
        for p in paras {
            self.out.text_line("p", self.en, p)?;
        }
        self.out.close("editorialDecl")?;
        if let Some(generator) = self.generator
            && let Some(version) = generator_version(generator)
        {
            self.out.open("appInfo", &[])?;
            self.out.open(
                "application",
                &[("ident", "verbatim"), ("version", &version)],
            )?;
            self.out.text_line("label", &[], generator)?;
            self.out.close("application")?;
            self.out.close("appInfo")?;
        }
        self.out.close("encodingDesc")
    }

    fn profile_desc(&mut self) -> Result<(), TeiError> {
        let t = self.t;
        let m = &t.metadata;
        let languages = t.languages_used();
        let any = !languages.is_empty()
            || m.description.is_some()
            || !self.t.participants.is_empty()
            || m.place.is_some()
            || m.date.is_some()
            || !m.keywords.is_empty();
        if !any {
            return Ok(());
        }
        self.out.open("profileDesc", &[])?;
        if !languages.is_empty() {
            self.out.open("langUsage", &[])?;
            for lang in &languages {
                self.out
                    .empty_line("language", &[("ident", lang.as_str())])?;
            }
            self.out.close("langUsage")?;
        }
        if let Some(desc) = &m.description {
            self.out.open("abstract", &[])?;
            self.out.text_line("p", &[], desc)?;
            self.out.close("abstract")?;
        }
        if !self.t.participants.is_empty() {
            self.out.open("particDesc", &[])?;
            self.out.open("listPerson", &[])?;
            for p in &self.t.participants {
                self.out
                    .open("person", &[("xml:id", &p.id), ("role", p.role.as_str())])?;
                self.marked_line("persName", &[], &p.name)?;
                for alias in &p.aliases {
                    self.marked_line("persName", &[("type", "alias")], alias)?;
                }
                self.out.close("person")?;
            }
            self.out.close("listPerson")?;
            self.out.close("particDesc")?;
        }
        if m.place.is_some() || m.date.is_some() {
            self.out.open("settingDesc", &[])?;
            self.out.open("setting", &[])?;
            if let Some(place) = &m.place {
                self.out.text_line("placeName", &[], place)?;
            }
            if let Some(date) = m.date {
                self.date_line(date)?;
            }
            self.out.close("setting")?;
            self.out.close("settingDesc")?;
        }
        if !m.keywords.is_empty() {
            self.out.open("textClass", &[])?;
            self.out.open("keywords", &[])?;
            for k in &m.keywords {
                self.out.text_line("term", &[], k)?;
            }
            self.out.close("keywords")?;
            self.out.close("textClass")?;
        }
        self.out.close("profileDesc")
    }

    // ----- text -----

    fn text(&mut self) -> Result<(), TeiError> {
        let parts = self.t.parts();
        self.out.open("text", &[])?;
        if !parts.front.is_empty() {
            self.out.open("front", &[])?;
            self.out.open("div", &[("type", "introduction")])?;
            self.blocks(parts.front)?;
            self.out.close("div")?;
            self.out.close("front")?;
        }
        self.out.open("body", &[])?;
        self.timeline()?;
        if parts.main.is_empty() {
            // body must not be empty; a bare div reads back as nothing.
            self.out.empty_line("div", &[])?;
        } else {
            self.blocks(parts.main)?;
        }
        self.out.close("body")?;
        if !parts.back.is_empty() {
            self.out.open("back", &[])?;
            self.out.open("div", &[("type", "appendix")])?;
            self.blocks(parts.back)?;
            self.out.close("div")?;
            self.out.close("back")?;
        }
        self.out.close("text")
    }

    /// Appends `#T{n}`, the pointer to `ts` on the timeline.
    fn time_pointer(&self, out: &mut String, ts: Timestamp) {
        let n = if ts.millis() == 0 {
            0
        } else {
            self.times.partition_point(|&t| t < ts) + 1
        };
        let _ = write!(out, "#{}{n}", self.ids.time);
    }

    fn timeline(&mut self) -> Result<(), TeiError> {
        if !self.t.has_timestamps() && self.times.is_empty() {
            return Ok(());
        }
        let origin = format!("#{}0", self.ids.time);
        self.out
            .open("timeline", &[("unit", "s"), ("origin", &origin)])?;
        let t0 = format!("{}0", self.ids.time);
        self.out.empty_line("when", &[("xml:id", &t0)])?;
        // One pair of buffers for the whole timeline: a diarized file has a point a turn.
        let (mut id, mut interval) = (String::new(), String::new());
        for (i, ts) in self.times.iter().enumerate() {
            id.clear();
            let _ = write!(id, "{}{}", self.ids.time, i + 1);
            interval.clear();
            ts.push_seconds(&mut interval);
            self.out.empty_line(
                "when",
                &[("xml:id", &id), ("interval", &interval), ("since", &origin)],
            )?;
        }
        self.out.close("timeline")
    }

    /// Writes blocks into a `div`-like container. TEI allows no paragraphs or
    /// utterances after a nested `div`, so such runs go into a headless `div`.
    fn blocks(&mut self, blocks: &[Block]) -> Result<(), TeiError> {
        let mut after_div = false;
        let mut i = 0;
        while i < blocks.len() {
            if after_div && !matches!(blocks[i], Block::Section(_)) {
                let end = blocks[i..]
                    .iter()
                    .position(|b| matches!(b, Block::Section(_)))
                    .map_or(blocks.len(), |n| i + n);
                self.out.open("div", &[])?;
                self.blocks(&blocks[i..end])?;
                self.out.close("div")?;
                i = end;
                continue;
            }
            match &blocks[i] {
                Block::Section(s) => {
                    after_div = true;
                    self.out.open("div", &[("type", "section")])?;
                    self.inline_line("head", &[], &s.heading)?;
                    self.blocks(&s.blocks)?;
                    self.out.close("div")?;
                }
                Block::Paragraph(p) => self.inline_line("p", &[], &p.content)?,
                Block::Turn(turn) => self.turn(turn)?,
            }
            self.out.spill()?;
            i += 1;
        }
        Ok(())
    }

    fn turn(&mut self, turn: &Turn) -> Result<(), TeiError> {
        let n = self.turn_no;
        self.turn_no += 1;
        let u = self.ids.utterance;
        // The values go into one reused buffer (a turn's attributes were eight
        // allocations); `ends` holds each key and where its value ends.
        let mut values = std::mem::take(&mut self.values);
        values.clear();
        let mut ends = [("", 0usize); 7];
        let mut k = 0;
        let mut end = |key: &'static str, values: &String| {
            ends[k] = (key, values.len());
            k += 1;
        };
        let _ = write!(values, "{u}{}", n + 1);
        end("xml:id", &values);
        for (i, id) in turn.ids().enumerate() {
            values.push_str(if i > 0 { " #" } else { "#" });
            values.push_str(id);
        }
        end("who", &values);
        match self.style {
            TeiStyle::U => {
                if let Some(start) = turn.start {
                    self.time_pointer(&mut values, start);
                    end("start", &values);
                }
                if let Some(stop) = turn.end {
                    self.time_pointer(&mut values, stop);
                    end("end", &values);
                }
            }
            // `sp` has no @start or @end; @synch points at the start (and the end).
            TeiStyle::Sp => {
                // An end without a start has no place in `sp`.
                if let Some(start) = turn.start {
                    self.time_pointer(&mut values, start);
                    if let Some(stop) = turn.end {
                        values.push(' ');
                        self.time_pointer(&mut values, stop);
                    }
                    end("synch", &values);
                }
            }
        }
        if turn.inferred {
            values.push_str("medium");
            end("cert", &values);
        }
        if turn.continues && n > 0 {
            let _ = write!(values, "#{u}{n}");
            end("prev", &values);
        }
        if self.continues.get(n + 1).copied().unwrap_or(false) {
            let _ = write!(values, "#{u}{}", n + 2);
            end("next", &values);
        }
        let mut attrs = [("", ""); 7];
        let mut from = 0;
        for (slot, &(key, to)) in attrs.iter_mut().zip(&ends[..k]) {
            *slot = (key, &values[from..to]);
            from = to;
        }
        let attrs = &attrs[..k];
        let name = match self.style {
            TeiStyle::Sp => "sp",
            TeiStyle::U => "u",
        };
        let opened = self.out.open(name, attrs);
        self.values = values;
        opened?;
        if self.style == TeiStyle::Sp {
            self.out.newline()?;
            self.out.start("speaker", &[])?;
            self.out.text(&self.t.voices_label(turn))?;
            self.out.end("speaker")?;
            for para in &turn.paragraphs {
                self.inline_line("p", &[], para)?;
            }
            return self.out.close("sp");
        }
        for para in &turn.paragraphs {
            self.inline_line("seg", &[("type", "paragraph")], para)?;
        }
        self.out.close("u")
    }

    fn inline_line(
        &mut self,
        name: &str,
        attrs: &[(&str, &str)],
        content: &[Inline],
    ) -> Result<(), TeiError> {
        self.out.newline()?;
        self.wrap(name, attrs, content)
    }

    fn wrap(
        &mut self,
        name: &str,
        attrs: &[(&str, &str)],
        content: &[Inline],
    ) -> Result<(), TeiError> {
        if content.is_empty() {
            return self.out.empty(name, attrs);
        }
        self.out.start(name, attrs)?;
        self.inlines(content)?;
        self.out.end(name)
    }

    fn described(
        &mut self,
        name: &str,
        attrs: &[(&str, &str)],
        desc: &str,
    ) -> Result<(), TeiError> {
        self.out.start(name, attrs)?;
        if desc.is_empty() {
            self.out.empty("desc", &[])?;
        } else {
            self.out.start("desc", &[])?;
            self.out.text(desc)?;
            self.out.end("desc")?;
        }
        self.out.end(name)
    }

    /// A header element on its own line whose text may be in another script: a
    /// name wholly in one takes `xml:lang` itself, other text a `foreign` per stretch.
    fn marked_line(
        &mut self,
        name: &str,
        attrs: &[(&str, &str)],
        text: &str,
    ) -> Result<(), TeiError> {
        let runs = script::foreign_runs(text, self.main_script.as_deref());
        match runs.as_slice() {
            [] => self.out.text_line(name, attrs, text),
            [(range, tag)]
                if text[..range.start].trim().is_empty() && text[range.end..].trim().is_empty() =>
            {
                let mut attrs = attrs.to_vec();
                attrs.push(("xml:lang", tag.as_str()));
                self.out.text_line(name, &attrs, text)
            }
            _ => self.out.line(name, attrs, |o| o.foreign_text(text, &runs)),
        }
    }

    /// Text, with each stretch in another script a `foreign` carrying its language.
    fn marked_text(&mut self, text: &str) -> Result<(), TeiError> {
        let runs = script::foreign_runs(text, self.main_script.as_deref());
        self.out.foreign_text(text, &runs)
    }

    fn inlines(&mut self, list: &[Inline]) -> Result<(), TeiError> {
        for inline in list {
            match inline {
                Inline::Text { text } => self.marked_text(text)?,
                Inline::Emphasis { content } => self.wrap("hi", &[("rend", "italic")], content)?,
                Inline::Strong { content } => self.wrap("hi", &[("rend", "bold")], content)?,
                Inline::Link { target, content } => match pointer(target) {
                    Some(target) => self.wrap("ref", &[("target", &target)], content)?,
                    None => self.wrap("ref", &[], content)?,
                },
                Inline::Note { resp, content } => {
                    let resp = resp.as_ref().map(|r| format!("#{r}"));
                    let mut attrs = vec![("type", "editorial"), ("place", "inline")];
                    if let Some(r) = &resp {
                        attrs.push(("resp", r));
                    }
                    self.wrap("note", &attrs, content)?;
                }
                Inline::Marker { kind, desc } => match kind {
                    MarkerKind::Vocal => self.described("vocal", &[], desc)?,
                    MarkerKind::Incident => self.described("incident", &[], desc)?,
                    MarkerKind::Gap => self.described("gap", &[("reason", "inaudible")], desc)?,
                    // pause must be empty in TEI.
                    MarkerKind::Pause => {
                        let attrs = pause_attrs(desc);
                        let refs: Vec<(&str, &str)> =
                            attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
                        self.out.empty("pause", &refs)?;
                    }
                },
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`escape_into`] as a string.
    fn escape(s: &str, attr: bool) -> Result<String, TeiError> {
        let mut out = Vec::new();
        escape_into(&mut out, s, attr)?;
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn a_long_transcript_is_streamed_in_chunks_as_it_would_be_whole() {
        use verbatim_model::{Metadata, Role};
        let turns = (0..20_000)
            .map(|i| {
                Block::Turn(Turn::new(
                    "A",
                    vec![vec![Inline::text(format!("turn {i}"))]],
                ))
            })
            .collect();
        let t = Transcript::new(
            Metadata::default(),
            vec![Participant::new("A", "Ann", Role::Interviewee)],
            turns,
        )
        .unwrap();
        let (opts, cx) = (TeiOptions::default(), WriteContext::default());
        let mut sink = Vec::new();
        let mut writes = 0;
        let rest = {
            let mut counting = Counting(&mut sink, &mut writes);
            write_into(&t, &opts, &cx, Some(&mut counting)).unwrap()
        };
        assert!(writes > 2, "{writes} writes: the document was not streamed");
        assert!(rest.len() < 2 * CHUNK, "{} bytes held back", rest.len());
        sink.extend_from_slice(&rest);
        assert_eq!(sink, to_vec(&t, &opts, &cx).unwrap());
    }

    /// Counts the writes it passes on.
    struct Counting<'a>(&'a mut Vec<u8>, &'a mut usize);

    impl std::io::Write for Counting<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            *self.1 += 1;
            self.0.extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn generator_versions() {
        assert_eq!(
            generator_version("verbatim 0.1.0").as_deref(),
            Some("0.1.0")
        );
        assert_eq!(generator_version("verbatim v1.2").as_deref(), Some("1.2"));
        assert_eq!(
            generator_version("verbatim 0.1.0-beta.1").as_deref(),
            Some("0.1.0")
        );
        assert_eq!(generator_version("verbatim"), None);
        assert_eq!(generator_version("verbatim 1.2.3.4.5"), None);
        assert_eq!(generator_version(""), None);
    }

    #[test]
    fn escapes_line_breaks_and_refuses_control_characters() {
        assert_eq!(escape("a\nb<&>", false).unwrap(), "a&#10;b&lt;&amp;&gt;");
        assert_eq!(escape("\"x\"\t", true).unwrap(), "&quot;x&quot;&#9;");
        assert_eq!(escape("\u{7}", false), Err(TeiError::UnwritableChar(7)));
        assert_eq!(
            escape("a\u{FFFE}", false),
            Err(TeiError::UnwritableChar(0xFFFE))
        );
        assert_eq!(
            escape("a\u{FFFF}", false),
            Err(TeiError::UnwritableChar(0xFFFF))
        );
        assert_eq!(
            escape("\u{FFFD}é\u{10000}", false).unwrap(),
            "\u{FFFD}é\u{10000}"
        );
    }

    #[test]
    fn pointers_are_made_valid_uris() {
        let p = |s: &str| pointer(s);
        assert_eq!(
            p("https://e.org/a%20b#f").as_deref(),
            Some("https://e.org/a%20b#f")
        );
        assert_eq!(p("50% off#a#b").as_deref(), Some("50%25 off#a%23b"));
        assert_eq!(p("a[1]").as_deref(), Some("a%5B1%5D"));
        assert_eq!(
            p("http://[::1]:80/x[y]").as_deref(),
            Some("http://[::1]:80/x%5By%5D")
        );
        assert_eq!(p("http://[::1").as_deref(), Some("http://%5B::1"));
        assert_eq!(p("%4"), Some("%254".into()));
        assert_eq!(p("  "), None);
    }

    #[test]
    fn pause_types() {
        assert_eq!(pause_type("long pause").as_deref(), Some("long"));
        assert_eq!(pause_type("Long pause.").as_deref(), Some("long"));
        assert_eq!(pause_type("pause"), None);
        assert_eq!(pause_type("very long pause"), None);
        assert_eq!(pause_type("12 seconds pause"), None);
        assert_eq!(pause_type("silence"), None);
        assert_eq!(pause_duration("12 seconds pause").as_deref(), Some("PT12S"));
        assert_eq!(pause_duration("pause, 2 min").as_deref(), Some("PT2M"));
        assert_eq!(pause_duration("5-second pause").as_deref(), Some("PT5S"));
        assert_eq!(pause_duration("pause 1.5 s").as_deref(), Some("PT1.5S"));
        assert_eq!(pause_duration("long pause"), None);
        assert_eq!(pause_duration("track2 pause"), None);
        let attrs = |d: &str| {
            pause_attrs(d)
                .into_iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(attrs("pause"), Vec::<String>::new());
        assert_eq!(attrs("long pause"), ["type=long"]);
        // The words are kept where @type alone would not give them back.
        assert_eq!(attrs("Long pause."), ["type=long", "n=Long pause."]);
        assert_eq!(
            attrs("12 seconds pause"),
            ["dur=PT12S", "n=12 seconds pause"]
        );
    }
}
