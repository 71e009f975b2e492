//! OHMS XML: the exports of the Oral History Metadata Synchronizer (Louie B. Nunn Center),
//! which OHMS viewers, Omeka's OHMS module and Aviary play. Both flavours are read, told
//! by content (a `ROOT` element in the OHMS namespace holding a `record`):
//!
//! - **OHMS 6** keeps the transcript as WebVTT in `<vtt_transcript>` (often without a
//!   final blank line): read by the same caption rules as `.vtt` files (`<v NAME>`
//!   voices; a cue without a voice carries on the turn; `<br><br>` starts a paragraph).
//! - **Legacy** exports keep labelled text in `<transcript>` (`BROCK:`), read by the
//!   label engine as plain text is; `[[footnote]]N[[/footnote]]` calls take the N-th
//!   `[[note]]` of the `[[footnotes]]` block as an editorial note. `<sync>` marks the
//!   line and word reached at each interval (`1:|13(3)|19(14)`: minute 1 is at word 3
//!   of line 13); a turn's start time is estimated between the marks by word count
//!   (a `time-guessed` warning says so).
//! - Metadata: title, accession (the identifier), date, repository (the publisher),
//!   rights with the usage statement, subjects and the index's keywords, language,
//!   description, the media URL (the source). Interviewers and interviewees named in
//!   the record name the speakers whose labels are their names or surnames, with their
//!   roles. Fields the model has no place for (series, collection, funding, file name,
//!   notes) are named in a `metadata-dropped` warning.
//! - The index: each `<point>` becomes a section, placed before the first turn that
//!   starts at or after its time, its heading the point's title and time, its synopsis,
//!   place and links an editorial note at its start. An export with an index but no
//!   transcript gives the sections alone, with a warning.

mod legacy;
mod xml;

use verbatim_labels::{Para, captions};
use verbatim_model::{
    Block, Code, Diagnostic, HasCode, Inline, InputError, IsoDate, LanguageTag, Metadata,
    ModelError, Paragraph, Parsed, ReadContext, Role, Section, SpeakerEntry, Speakers, Timestamp,
    Transcript,
};

pub use xml::{OHMS_NS, is_ohms_root};

/// An OHMS export that cannot be read, with its 1-based line and column.
pub type Error = verbatim_model::Located<ErrorKind>;

/// What is wrong with an OHMS export.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The bytes are not text, or break a limit.
    #[error(transparent)]
    Input(InputError),
    /// Not well-formed XML.
    #[error("invalid XML: {0}")]
    Xml(String),
    /// A DTD or entity declaration.
    #[error("a DOCTYPE declaration (a DTD or entities) is never processed; refused")]
    Doctype,
    /// Another XML document.
    #[error(
        "not an OHMS export: the root element is {0}; expected <ROOT> in the OHMS namespace ({OHMS_NS})"
    )]
    NotOhms(String),
    /// An OHMS root with no record in it.
    #[error("an OHMS export without a <record>")]
    NoRecord,
    /// Nested deeper than any OHMS export.
    #[error("elements nested deeper than {0} levels")]
    TooDeep(usize),
    /// No transcript and no index.
    #[error("the record has neither a transcript (<vtt_transcript>, <transcript>) nor an index")]
    Empty,
    /// The WebVTT inside `<vtt_transcript>` cannot be read.
    #[error("in <vtt_transcript>: {0}")]
    Captions(captions::ErrorKind),
    /// The export gave a transcript that breaks a model invariant.
    #[error("{0}")]
    Model(ModelError),
}

impl HasCode for ErrorKind {
    fn code(&self) -> Code {
        match self {
            ErrorKind::Input(e) => e.code(),
            ErrorKind::Xml(_) => Code::Syntax,
            ErrorKind::Doctype => Code::Doctype,
            ErrorKind::NotOhms(_) => Code::FormatUnknown,
            ErrorKind::NoRecord | ErrorKind::Empty => Code::Empty,
            ErrorKind::TooDeep(_) => Code::Limit,
            ErrorKind::Captions(k) => k.code(),
            ErrorKind::Model(_) => Code::Model,
        }
    }
}

/// Reads an OHMS export (the format contract's reader).
pub fn read(input: Vec<u8>, cx: &ReadContext) -> Result<Parsed<Transcript>, Error> {
    let decoded =
        verbatim_model::decode_input(input, cx).map_err(|e| e.located(ErrorKind::Input))?;
    Ok(read_text(&decoded.text, &cx.speakers)?.after(decoded.warnings))
}

/// Reads an OHMS export from text.
pub fn read_str(src: &str) -> Result<Parsed<Transcript>, Error> {
    read_text(src, &Speakers::default())
}

/// Reads an OHMS export from text, with what the user says of the speakers.
pub fn read_text(src: &str, user: &Speakers) -> Result<Parsed<Transcript>, Error> {
    let record = xml::parse(src)?;
    let mut warnings = Vec::new();
    let metadata = metadata(&record, &mut warnings);
    let speakers = speakers(&record, user);
    let model = |e: ModelError| Error::at_start(ErrorKind::Model(e));
    let mut parsed = if let Some(vtt) = record.get("vtt_transcript") {
        let shift = |(line, column): (usize, usize)| {
            if line <= 1 {
                (vtt.at.0, vtt.at.1 + column.saturating_sub(1))
            } else {
                (vtt.at.0 + line - 1, column)
            }
        };
        let mut p = captions::read_vtt_with(&vtt.text, metadata, &speakers).map_err(|e| {
            let (line, column) = shift((e.line, e.column));
            Error {
                line,
                column,
                kind: match e.kind {
                    captions::ErrorKind::Model(m) => ErrorKind::Model(m),
                    k => ErrorKind::Captions(k),
                },
            }
        })?;
        for w in &mut p.warnings {
            if let Some(pos) = &mut w.position {
                (pos.line, pos.column) = shift((pos.line, pos.column));
            }
        }
        p
    } else if let Some(t) = record.get("transcript") {
        let duration = record
            .text("duration")
            .and_then(|d| d.parse::<Timestamp>().ok())
            .filter(|d| d.millis() > 0);
        let sync = record.get("sync").map(|s| (s.text.as_str(), s.at));
        let legacy::Paragraphs {
            paras,
            warnings: mut found,
        } = legacy::paragraphs(&t.text, t.at, sync, duration);
        warnings.append(&mut found);
        assemble(paras, metadata, &speakers)?
    } else if !record.points.is_empty() {
        let at = record.points[0].at;
        warnings.push(Diagnostic::warning(
            Code::Empty,
            at.0,
            at.1,
            "the record has no transcript: its index alone is read",
        ));
        Parsed {
            value: Transcript::new(metadata, Vec::new(), Vec::new()).map_err(model)?,
            warnings: Vec::new(),
        }
    } else {
        return Err(Error::at_start(ErrorKind::Empty));
    };
    let Transcript {
        mut metadata,
        participants,
        body,
    } = parsed.value;
    let body = index(&record, body, &mut metadata, &mut warnings);
    parsed.value = Transcript::new(metadata, participants, body).map_err(model)?;
    warnings.append(&mut parsed.warnings);
    warnings.sort_by_key(|w| (w.line(), w.column()));
    parsed.warnings = warnings;
    Ok(parsed)
}

fn assemble(
    paras: Vec<Para>,
    metadata: Metadata,
    speakers: &Speakers,
) -> Result<Parsed<Transcript>, Error> {
    if paras.is_empty() {
        return Err(Error::at_start(ErrorKind::Empty));
    }
    verbatim_labels::assemble(paras, metadata, speakers).map_err(|e| Error {
        line: e.line,
        column: e.column,
        kind: ErrorKind::Model(e.kind),
    })
}

/// The record's metadata, as far as the model has places for it.
fn metadata(r: &xml::Record, warnings: &mut Vec<Diagnostic>) -> Metadata {
    let mut m = Metadata {
        title: r.text("title").map(str::to_string),
        identifier: r.text("accession").map(str::to_string),
        publisher: r.text("repository").map(str::to_string),
        description: r.text("description").map(str::to_string),
        ..Metadata::default()
    };
    if let Some(d) = r.fields.iter().find(|f| f.name == "date") {
        let value = d.value.as_deref().unwrap_or("").trim();
        if !value.is_empty() {
            match value.parse::<IsoDate>() {
                Ok(date) => m.date = Some(date),
                Err(e) => warnings.push(Diagnostic::warning(
                    Code::DateInvalid,
                    d.at.0,
                    d.at.1,
                    format!("<date value=\"{value}\">: {e}; left out"),
                )),
            }
        }
    }
    if let Some(l) = r.get("language") {
        m.language = LanguageTag::from_name_or_tag(l.text.trim());
        if m.language.is_none() {
            warnings.push(Diagnostic::warning(
                Code::LanguageInvalid,
                l.at.0,
                l.at.1,
                format!(
                    "<language>{}</language> is not a language name or tag; left out",
                    l.text.trim()
                ),
            ));
        }
    }
    m.rights = match (r.text("rights"), r.text("usage")) {
        (Some(a), Some(b)) => Some(format!("{}. {b}", a.trim_end_matches('.'))),
        (a, b) => a.or(b).map(str::to_string),
    };
    m.source_url = r
        .text("media_url")
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .map(str::to_string);
    for s in r.all("subject") {
        push_keyword(&mut m.keywords, s.text.trim());
    }
    let dropped: Vec<&xml::Field> = [
        "collection_name",
        "series_name",
        "funding",
        "file_name",
        "user_notes",
    ]
    .iter()
    .filter_map(|n| r.get(n))
    .collect();
    if let Some(first) = dropped.first() {
        let names: Vec<&str> = dropped.iter().map(|f| f.name.as_str()).collect();
        warnings.push(Diagnostic::warning(
            Code::MetadataDropped,
            first.at.0,
            first.at.1,
            format!(
                "OHMS fields the transcript has no place for left out: {}",
                names.join(", ")
            ),
        ));
    }
    m
}

fn push_keyword(keywords: &mut Vec<String>, k: &str) {
    let k = k.trim();
    if !k.is_empty() && !keywords.iter().any(|x| x.eq_ignore_ascii_case(k)) {
        keywords.push(k.to_string());
    }
}

/// The people the record names, as entries the label engine matches labels against (a
/// name or its surname, any case); what the user says comes first.
fn speakers(r: &xml::Record, user: &Speakers) -> Speakers {
    let mut out = user.clone();
    for (field, role) in [
        ("interviewer", Role::Interviewer),
        ("interviewee", Role::Interviewee),
    ] {
        for f in r.all(field) {
            for name in f.text.split(';').map(str::trim).filter(|n| !n.is_empty()) {
                let (full, surname) = match name.split_once(',') {
                    // "Brock, David C." as catalogues write it.
                    Some((last, first)) if !first.trim().is_empty() => (
                        format!("{} {}", first.trim(), last.trim()),
                        last.trim().to_string(),
                    ),
                    _ => (
                        name.to_string(),
                        name.split_whitespace().last().unwrap_or(name).to_string(),
                    ),
                };
                if out.find(&full).is_some() || out.find(&surname).is_some() {
                    continue;
                }
                out.entries.push(SpeakerEntry {
                    label: full.clone(),
                    name: Some(full),
                    role: Some(role),
                    aliases: vec![surname],
                });
            }
        }
    }
    out
}

/// The index points as sections over the body's blocks.
fn index(
    r: &xml::Record,
    body: Vec<Block>,
    metadata: &mut Metadata,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<Block> {
    if r.points.is_empty() {
        return body;
    }
    let mut points: Vec<(u64, Section, Vec<String>)> = Vec::new();
    for p in &r.points {
        for k in p
            .get("keywords")
            .split(';')
            .chain(p.get("subjects").split(';'))
        {
            push_keyword(&mut metadata.keywords, k);
        }
        let Some(secs) = p
            .get("time")
            .parse::<f64>()
            .ok()
            .filter(|s| s.is_finite() && *s >= 0.0)
        else {
            warnings.push(Diagnostic::warning(
                Code::TimeInvalid,
                p.at.0,
                p.at.1,
                format!("index point with time \"{}\" left out", p.get("time")),
            ));
            continue;
        };
        let ms = (secs * 1000.0).round() as u64;
        let title = match p.get("title") {
            "" => "Index point".to_string(),
            t => t.to_string(),
        };
        let mut notes: Vec<String> = Vec::new();
        if !p.get("synopsis").is_empty() {
            notes.push(format!("Synopsis: {}", p.get("synopsis")));
        }
        if !p.get("gps_text").is_empty() || !p.get("gps").is_empty() {
            let place = [p.get("gps_text"), p.get("gps")]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>();
            notes.push(format!("Place: {}", place.join(", ")));
        }
        let mut blocks: Vec<Block> = notes
            .iter()
            .map(|n| {
                Block::Paragraph(Paragraph {
                    content: vec![Inline::Note {
                        resp: None,
                        content: vec![Inline::text(n.clone())],
                    }],
                })
            })
            .collect();
        let mut content: Vec<Inline> = Vec::new();
        let link = p.get("hyperlink");
        if link.starts_with("http://") || link.starts_with("https://") {
            let text = match p.get("hyperlink_text") {
                "" => link,
                t => t,
            };
            content.push(Inline::Link {
                target: link.to_string(),
                content: vec![Inline::text(text)],
            });
        }
        if !content.is_empty() {
            blocks.push(Block::Paragraph(Paragraph { content }));
        }
        let heading = vec![Inline::text(format!(
            "{title} ({})",
            Timestamp::from_millis(ms)
        ))];
        points.push((ms, Section { heading, blocks }, partial_words(p)));
    }
    points.sort_by_key(|p| p.0);
    let timed = body.iter().any(|b| start(b).is_some());
    // Each point goes before the turn its partial transcript opens, else before the first
    // turn that starts at or after its time.
    let mut targets = Vec::with_capacity(points.len());
    let mut from = 0;
    for (ms, _, partial) in &points {
        let by_words = (!partial.is_empty())
            .then(|| (from..body.len()).find(|&k| opens_with(&body[k], partial)))
            .flatten();
        // The turn that starts nearest the point: times estimated from <sync> may be a
        // few seconds either side of it.
        let by_time = || {
            (from..body.len())
                .filter_map(|k| start(&body[k]).map(|t| (t.abs_diff(*ms), k)))
                .min()
                .map(|(_, k)| k)
        };
        let target = match by_words.or_else(|| timed.then(by_time).flatten()) {
            Some(k) => k,
            None if timed || body.is_empty() => body.len(),
            None => {
                if targets.is_empty() {
                    let at = r.points[0].at;
                    warnings.push(Diagnostic::warning(
                        Code::TimeInvalid,
                        at.0,
                        at.1,
                        "the transcript has no times, so the index points that name no turn follow the transcript",
                    ));
                }
                body.len()
            }
        };
        from = target;
        targets.push(target);
    }
    let mut out: Vec<Block> = Vec::new();
    let mut blocks = body.into_iter().enumerate().peekable();
    let first = targets.first().copied().unwrap_or(usize::MAX);
    while let Some((_, b)) = blocks.next_if(|(k, _)| *k < first) {
        out.push(b);
    }
    let ends: Vec<usize> = targets
        .iter()
        .skip(1)
        .copied()
        .chain([usize::MAX])
        .collect();
    for ((_, mut section, _), end) in points.into_iter().zip(ends) {
        while let Some((_, b)) = blocks.next_if(|(k, _)| *k < end) {
            section.blocks.push(b);
        }
        out.push(Block::Section(section));
    }
    out
}

/// The first words of a point's partial transcript, after its speaker label.
fn partial_words(p: &xml::Point) -> Vec<String> {
    let first = p.get("partial_transcript").lines().next().unwrap_or("");
    let text = match first.split_once(':') {
        Some((label, rest)) if label.chars().all(|c| !c.is_lowercase()) => rest,
        _ => first,
    };
    words(text).into_iter().take(6).collect()
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether a block is a turn whose words start with `partial`.
fn opens_with(b: &Block, partial: &[String]) -> bool {
    let Block::Turn(t) = b else {
        return false;
    };
    let Some(p) = t.paragraphs.first() else {
        return false;
    };
    let w = words(&verbatim_model::plain_text(p));
    w.len() >= partial.len() && w[..partial.len()] == *partial
}

/// When a block starts: its first turn's start.
fn start(b: &Block) -> Option<u64> {
    match b {
        Block::Turn(t) => t.start.map(Timestamp::millis),
        Block::Section(s) => s.blocks.iter().find_map(start),
        Block::Paragraph(_) => None,
    }
}
