//! The transcript model as JSON: a documented, versioned wire format.
//!
//! Top level: `{"schema_version", "metadata", "participants", "body"}`; blocks and
//! inlines are objects tagged by `"type"`. See `docs/json.md`.
//!
//! ```
//! use verbatim_model::{ReadContext, WriteContext};
//! let src = r#"{"schema_version": "1.0", "metadata": {}, "participants": [], "body": []}"#;
//! let t = verbatim_json::read_str(src).unwrap().value;
//! let mut out = Vec::new();
//! verbatim_json::write(&t, &Default::default(), &WriteContext::default(), &mut out).unwrap();
//! assert!(out.starts_with(b"{\n  \"schema_version\": \"1.1\""));
//! ```

use std::io;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use verbatim_model::{
    Block, Code, Diagnostic, HasCode, InputError, Metadata, ModelError, Parsed, Participant,
    ReadContext, Transcript, WriteContext,
};

/// The schema version this crate writes: `MAJOR.MINOR`.
///
/// A reader accepts documents of the same major version and a minor version no
/// newer than its own; a minor version adds optional fields only.
pub const SCHEMA_VERSION: &str = "1.1";
const MAJOR: u32 = 1;
const MINOR: u32 = 1;

/// Options for the JSON writer.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct JsonOptions {
    /// Write one line without indentation instead of pretty-printing.
    pub compact: bool,
}

/// A JSON transcript that cannot be read, with its 1-based line and column (column in
/// characters).
pub type Error = verbatim_model::Located<ErrorKind>;

/// What is wrong with a JSON transcript.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The bytes are not text, or break a limit.
    #[error(transparent)]
    Input(InputError),
    /// Not JSON, or JSON of the wrong shape.
    #[error("{0}")]
    Syntax(String),
    /// A schema version this reader does not understand.
    #[error("unsupported schema_version \"{0}\": this reader reads {MAJOR}.0 to {SCHEMA_VERSION}")]
    Version(String),
    /// The transcript breaks a model invariant.
    #[error("{0}")]
    Model(ModelError),
}

impl HasCode for ErrorKind {
    fn code(&self) -> Code {
        match self {
            ErrorKind::Input(e) => e.code(),
            ErrorKind::Syntax(_) | ErrorKind::Version(_) => Code::Syntax,
            ErrorKind::Model(ModelError::TooDeep) => Code::TooDeep,
            ErrorKind::Model(ModelError::UndeclaredSpeaker(_)) => Code::SpeakerUndeclared,
            ErrorKind::Model(_) => Code::Model,
        }
    }
}

/// The JSON document: the transcript with its schema version first.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Verbatim transcript",
    description = "A transcript in the Verbatim JSON format."
)]
struct Document {
    /// `MAJOR.MINOR` of the format, "1.1" for this schema.
    schema_version: String,
    metadata: Metadata,
    participants: Vec<Participant>,
    body: Vec<Block>,
}

#[derive(Serialize)]
struct DocumentRef<'a> {
    schema_version: &'a str,
    metadata: &'a Metadata,
    participants: &'a [Participant],
    body: &'a [Block],
}

#[derive(Deserialize)]
struct VersionProbe {
    schema_version: Option<serde_json::Value>,
}

/// Writes a transcript as JSON, UTF-8, ending with a newline (the format contract's
/// writer). JSON holds the whole model, so there are no warnings.
pub fn write(
    t: &Transcript,
    opts: &JsonOptions,
    _cx: &WriteContext,
    out: &mut dyn io::Write,
) -> io::Result<Vec<Diagnostic>> {
    let doc = DocumentRef {
        schema_version: SCHEMA_VERSION,
        metadata: &t.metadata,
        participants: &t.participants,
        body: &t.body,
    };
    let mut out = io::BufWriter::new(out);
    if opts.compact {
        serde_json::to_writer(&mut out, &doc)
    } else {
        serde_json::to_writer_pretty(&mut out, &doc)
    }
    .map_err(io::Error::from)?;
    io::Write::write_all(&mut out, b"\n")?;
    io::Write::flush(&mut out)?;
    Ok(Vec::new())
}

/// Reads a JSON transcript (the format contract's reader).
pub fn read(input: Vec<u8>, cx: &ReadContext) -> Result<Parsed<Transcript>, Error> {
    let decoded =
        verbatim_model::decode_input(input, cx).map_err(|e| e.located(ErrorKind::Input))?;
    Ok(read_str(&decoded.text)?.after(decoded.warnings))
}

/// Reads a JSON transcript from text, checking its schema version and the model's
/// invariants.
pub fn read_str(src: &str) -> Result<Parsed<Transcript>, Error> {
    let (cleaned, replaced) = replace_unsafe_escapes(src);
    let src: &str = &cleaned;
    let syntax = |e: serde_json::Error| {
        let line = e.line().max(1);
        Error {
            line,
            column: char_column(src, line, e.column()),
            kind: ErrorKind::Syntax(strip_position(&e.to_string())),
        }
    };
    // The version is checked first so a newer document gets a version error, not a shape error.
    let probe: VersionProbe = serde_json::from_str(src).map_err(syntax)?;
    let version_at = || key_position(src, "schema_version").unwrap_or((1, 1));
    match probe.schema_version {
        Some(serde_json::Value::String(v)) if version_supported(&v) => {}
        Some(other) => {
            let found = match other {
                serde_json::Value::String(v) => v,
                other => other.to_string(),
            };
            let (line, column) = version_at();
            return Err(Error {
                line,
                column,
                kind: ErrorKind::Version(found),
            });
        }
        None => {
            return Err(Error::at_start(ErrorKind::Syntax(
                "missing \"schema_version\"".into(),
            )));
        }
    }
    let doc: Document = serde_json::from_str(src).map_err(syntax)?;
    let t = Transcript::new(doc.metadata, doc.participants, doc.body).map_err(|e| {
        let (line, column) = model_error_position(src, &e);
        Error {
            line,
            column,
            kind: ErrorKind::Model(e),
        }
    })?;
    Ok(Parsed {
        value: t,
        warnings: replaced.into_iter().collect(),
    })
}

/// Escapes of characters XML cannot hold (`\u0001`, `\uFFFF`) become `\uFFFD`, as raw
/// ones do when any text is decoded; one `character-replaced` warning at the first.
fn replace_unsafe_escapes(
    src: &str,
) -> (
    std::borrow::Cow<'_, str>,
    Option<verbatim_model::Diagnostic>,
) {
    let bytes = src.as_bytes();
    let mut found: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        if bytes.get(i + 1) == Some(&b'u')
            && let Some(hex) = src.get(i + 2..i + 6)
            && let Ok(n) = u32::from_str_radix(hex, 16)
            && char::from_u32(n)
                .is_some_and(|c| verbatim_model::xml_unsafe(c.encode_utf8(&mut [0; 4])).is_some())
        {
            found.push(i);
        }
        // An escape is two characters at least: `\\u0001` is not an escape of U+0001.
        i += 2;
    }
    let Some(&first) = found.first() else {
        return (std::borrow::Cow::Borrowed(src), None);
    };
    let line = src[..first].matches('\n').count() + 1;
    let line_start = src[..first].rfind('\n').map_or(0, |p| p + 1);
    let column = src[line_start..first].chars().count() + 1;
    let mut out = String::with_capacity(src.len());
    let mut last = 0;
    for &at in &found {
        out.push_str(&src[last..at]);
        out.push_str("\\uFFFD");
        last = at + 6;
    }
    out.push_str(&src[last..]);
    let w = verbatim_model::Diagnostic::warning(
        Code::CharacterReplaced,
        line,
        column,
        format!(
            "{} escape(s) of characters XML cannot hold (the first {}) replaced with U+FFFD",
            found.len(),
            &src[first..first + 6]
        ),
    );
    (std::borrow::Cow::Owned(out), Some(w))
}

/// serde_json counts columns in bytes; diagnostics count characters.
fn char_column(src: &str, line: usize, byte_column: usize) -> usize {
    let Some(text) = src.split('\n').nth(line - 1) else {
        return byte_column.max(1);
    };
    let mut end = byte_column.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].chars().count().max(1)
}

/// Where a model error's cause is: the object member that names the id.
fn model_error_position(src: &str, e: &ModelError) -> (usize, usize) {
    let found = match e {
        ModelError::DuplicateParticipant(id) => member_positions(src, "id", id).nth(1),
        ModelError::BadParticipantId(id) => member_positions(src, "id", id).next(),
        ModelError::UndeclaredSpeaker(id)
        | ModelError::EmptyTurn(id)
        | ModelError::RepeatedSpeaker(id, _)
        | ModelError::EndBeforeStart(id, ..) => member_positions(src, "speaker", id).next(),
        ModelError::UndeclaredNoteAuthor(id) => member_positions(src, "resp", id).next(),
        ModelError::SameName(_, id) => member_positions(src, "id", id).next(),
        ModelError::TooDeep | ModelError::BadCharacter(_) => None,
    };
    found.unwrap_or((1, 1))
}

/// The positions of `"key": "value"` members, in order.
fn member_positions(src: &str, key: &str, value: &str) -> std::vec::IntoIter<(usize, usize)> {
    let quoted_key = format!("\"{key}\"");
    let quoted_value = serde_json::to_string(value).unwrap_or_default();
    src.match_indices(&quoted_key)
        .filter(|(i, _)| {
            let rest = src[i + quoted_key.len()..].trim_start();
            rest.strip_prefix(':')
                .is_some_and(|r| r.trim_start().starts_with(&quoted_value))
        })
        .map(|(i, _)| position(src, i))
        .collect::<Vec<_>>()
        .into_iter()
}

fn key_position(src: &str, key: &str) -> Option<(usize, usize)> {
    src.find(&format!("\"{key}\"")).map(|i| position(src, i))
}

fn position(src: &str, offset: usize) -> (usize, usize) {
    verbatim_model::LineIndex::new(src).position(offset)
}

// While MINOR is 0 the comparison is trivially an equality; it is written for later minors.
fn version_supported(v: &str) -> bool {
    let Some((major, minor)) = v.split_once('.') else {
        return false;
    };
    matches!((major.parse::<u32>(), minor.parse::<u32>()), (Ok(ma), Ok(mi)) if ma == MAJOR && mi <= MINOR)
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// The JSON Schema (draft 2020-12) of the format, pretty-printed with a final newline.
pub fn schema() -> String {
    let schema = schemars::schema_for!(Document);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to_vec(t: &Transcript) -> Vec<u8> {
        let mut out = Vec::new();
        write(
            t,
            &JsonOptions::default(),
            &WriteContext::default(),
            &mut out,
        )
        .unwrap();
        out
    }

    #[test]
    fn refuses_newer_versions() {
        let e = read_str(
            "{\n  \"schema_version\": \"1.2\", \"metadata\": {}, \"participants\": [], \"body\": []}",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "2:3: unsupported schema_version \"1.2\": this reader reads 1.0 to 1.1"
        );
        assert!(matches!(
            read_str(r#"{"schema_version": "2.0"}"#).map_err(|e| e.kind),
            Err(ErrorKind::Version(_))
        ));
        assert!(matches!(
            read_str(r#"{"schema_version": 1}"#).map_err(|e| e.kind),
            Err(ErrorKind::Version(_))
        ));
    }

    #[test]
    fn reports_position_of_bad_json_in_characters() {
        let e = read_str("{\n  \"schema_version\": \"1.0\",\n  \"metadata\": {\"title\": 3}\n}")
            .unwrap_err();
        assert_eq!((e.line, e.kind.code()), (3, Code::Syntax));
        // The column counts characters, not the bytes of "é".
        let e = read_str("{\"schema_version\": \"1.0\", \"metadata\": {\"éé\": 1}}").unwrap_err();
        assert_eq!((e.line, e.column), (1, 43), "{e}"); // 45 in bytes
    }

    #[test]
    fn a_bad_date_is_an_error_at_its_line() {
        let e = read_str(
            "{\"schema_version\": \"1.0\",\n \"metadata\": {\"date\": \"2023-02-30\"},\n \"participants\": [], \"body\": []}",
        )
        .unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.to_string().contains("February has no day 30"), "{e}");
    }

    #[test]
    fn checks_invariants_at_the_member_that_breaks_them() {
        let src = r#"{"schema_version": "1.0", "metadata": {}, "participants": [],
            "body": [{"type": "turn", "speaker": "X", "paragraphs": [[{"type": "text", "text": "hi"}]]}]}"#;
        let e = read_str(src).unwrap_err();
        assert_eq!(e.to_string(), "2:39: turn by undeclared speaker \"X\"");
        assert_eq!(e.kind.code(), Code::SpeakerUndeclared);
        let dup = "{\"schema_version\": \"1.0\", \"metadata\": {}, \"participants\": [\n{\"id\": \"A\", \"name\": \"a\"},\n{\"id\": \"A\", \"name\": \"b\"}], \"body\": []}";
        let e = read_str(dup).unwrap_err();
        assert_eq!((e.line, e.column), (3, 2), "{e}");
    }

    #[test]
    fn refuses_deep_nesting_without_overflow() {
        let deep = "[".repeat(100_000);
        assert!(matches!(
            read_str(&deep).map_err(|e| e.kind),
            Err(ErrorKind::Syntax(_))
        ));
    }

    #[test]
    fn round_trips() {
        let src = r#"{"schema_version": "1.0", "metadata": {"title": "T", "keywords": ["a"]},
            "participants": [{"id": "A", "name": "Ann", "role": "interviewee"}],
            "body": [{"type": "turn", "speaker": "A", "start": "00:01:02",
              "paragraphs": [[{"type": "text", "text": "hi "}, {"type": "marker", "kind": "vocal", "desc": "laughs"}]]}]}"#;
        let t = read_str(src).unwrap().value;
        let out = to_vec(&t);
        let again = read_str(std::str::from_utf8(&out).unwrap()).unwrap().value;
        assert_eq!(t, again);
        assert_eq!(to_vec(&again), out);
    }
}
