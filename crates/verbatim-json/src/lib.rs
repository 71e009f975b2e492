//! The transcript model as JSON: a documented, versioned wire format.
//!
//! Top level: `{"schema_version", "metadata", "participants", "body"}`; blocks and
//! inlines are objects tagged by `"type"`. See `docs/json.md`.
//!
//! ```
//! let src = r#"{"schema_version": "1.0", "metadata": {}, "participants": [], "body": []}"#;
//! let t = verbatim_json::read(src).unwrap().value;
//! let out = verbatim_json::write(&t, &verbatim_json::JsonOptions::default()).unwrap();
//! assert!(out.starts_with(b"{\n  \"schema_version\": \"1.0\""));
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use verbatim_model::{Block, Metadata, ModelError, Parsed, Participant, Transcript};

/// The schema version this crate writes: `MAJOR.MINOR`.
///
/// A reader accepts documents of the same major version and a minor version no
/// newer than its own; a minor version adds optional fields only.
pub const SCHEMA_VERSION: &str = "1.0";
const MAJOR: u32 = 1;
const MINOR: u32 = 0;

/// Options for the JSON writer.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct JsonOptions {
    /// Write one line without indentation instead of pretty-printing.
    pub compact: bool,
}

/// A JSON transcript that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Not JSON, or JSON of the wrong shape.
    #[error("{line}:{column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column (in bytes, as the JSON parser counts).
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A schema version this reader does not understand.
    #[error(
        "1:1: unsupported schema_version \"{found}\": this reader reads {MAJOR}.0 to {SCHEMA_VERSION}"
    )]
    Version {
        /// The version found in the document.
        found: String,
    },
    /// The transcript breaks a model invariant.
    #[error("1:1: {0}")]
    Model(#[from] ModelError),
    /// Writing failed.
    #[error("cannot write JSON: {0}")]
    Write(String),
}

/// The JSON document: the transcript with its schema version first.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Verbatim transcript",
    description = "A transcript in the Verbatim JSON format."
)]
struct Document {
    /// `MAJOR.MINOR` of the format, "1.0" for this schema.
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

/// Writes a transcript as JSON (UTF-8, ending with a newline).
pub fn write(t: &Transcript, opts: &JsonOptions) -> Result<Vec<u8>, Error> {
    let doc = DocumentRef {
        schema_version: SCHEMA_VERSION,
        metadata: &t.metadata,
        participants: &t.participants,
        body: &t.body,
    };
    let mut out = if opts.compact {
        serde_json::to_vec(&doc)
    } else {
        serde_json::to_vec_pretty(&doc)
    }
    .map_err(|e| Error::Write(e.to_string()))?;
    out.push(b'\n');
    Ok(out)
}

/// Reads a JSON transcript, checking its schema version and the model's invariants.
pub fn read(src: &str) -> Result<Parsed<Transcript>, Error> {
    let syntax = |e: serde_json::Error| Error::Syntax {
        line: e.line().max(1),
        column: e.column().max(1),
        message: strip_position(&e.to_string()),
    };
    // The version is checked first so a newer document gets a version error, not a shape error.
    let probe: VersionProbe = serde_json::from_str(src).map_err(syntax)?;
    match probe.schema_version {
        Some(serde_json::Value::String(v)) if version_supported(&v) => {}
        Some(serde_json::Value::String(v)) => return Err(Error::Version { found: v }),
        Some(other) => {
            return Err(Error::Version {
                found: other.to_string(),
            });
        }
        None => {
            return Err(Error::Syntax {
                line: 1,
                column: 1,
                message: "missing \"schema_version\"".into(),
            });
        }
    }
    let doc: Document = serde_json::from_str(src).map_err(syntax)?;
    let t = Transcript::new(doc.metadata, doc.participants, doc.body)?;
    Ok(Parsed::clean(t))
}

// While MINOR is 0 the comparison is trivially an equality; it is written for later minors.
#[allow(clippy::absurd_extreme_comparisons)]
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

    #[test]
    fn refuses_newer_versions() {
        let e =
            read(r#"{"schema_version": "1.1", "metadata": {}, "participants": [], "body": []}"#)
                .unwrap_err();
        assert_eq!(
            e.to_string(),
            "1:1: unsupported schema_version \"1.1\": this reader reads 1.0 to 1.0"
        );
        assert!(matches!(
            read(r#"{"schema_version": "2.0"}"#),
            Err(Error::Version { .. })
        ));
        assert!(matches!(
            read(r#"{"schema_version": 1}"#),
            Err(Error::Version { .. })
        ));
    }

    #[test]
    fn reports_position_of_bad_json() {
        let e = read("{\n  \"schema_version\": \"1.0\",\n  \"metadata\": {\"title\": 3}\n}")
            .unwrap_err();
        let Error::Syntax { line, .. } = e else {
            panic!("{e}")
        };
        assert_eq!(line, 3);
    }

    #[test]
    fn checks_invariants() {
        let src = r#"{"schema_version": "1.0", "metadata": {}, "participants": [],
            "body": [{"type": "turn", "speaker": "X", "paragraphs": [[{"type": "text", "text": "hi"}]]}]}"#;
        let e = read(src).unwrap_err();
        assert_eq!(e.to_string(), "1:1: turn by undeclared speaker \"X\"");
    }

    #[test]
    fn refuses_deep_nesting_without_overflow() {
        let deep = "[".repeat(100_000);
        assert!(matches!(read(&deep), Err(Error::Syntax { .. })));
    }

    #[test]
    fn round_trips() {
        let src = r#"{"schema_version": "1.0", "metadata": {"title": "T", "keywords": ["a"]},
            "participants": [{"id": "A", "name": "Ann", "role": "interviewee"}],
            "body": [{"type": "turn", "speaker": "A", "start": "00:01:02",
              "paragraphs": [[{"type": "text", "text": "hi "}, {"type": "marker", "kind": "vocal", "desc": "laughs"}]]}]}"#;
        let t = read(src).unwrap().value;
        let out = write(&t, &JsonOptions::default()).unwrap();
        let again = read(std::str::from_utf8(&out).unwrap()).unwrap().value;
        assert_eq!(t, again);
        assert_eq!(write(&again, &JsonOptions::default()).unwrap(), out);
    }
}
