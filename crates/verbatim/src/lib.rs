//! Verbatim's format registry: one table of readers and one of writers.
//!
//! Every format is one row: its names, its file extensions, how to recognise it from
//! its content, and the function of its crate that reads or writes it. The CLI, the
//! golden tests and batch conversion go through [`read`], [`detect`] and [`write()`];
//! format crates never depend on each other. `docs/architecture.md` shows how to add a
//! row.
//!
//! ```
//! use verbatim::{ReadContext, Valid, WriteContext, WriteOptions};
//! let md = verbatim::input("md").unwrap();
//! let parsed = verbatim::read(md, b"**Q:** Why?\n\n**A:** Because.\n".to_vec(), &ReadContext::default()).unwrap();
//! let t = Valid::new(parsed.value).unwrap();
//! let mut text = Vec::new();
//! let txt = verbatim::output("txt").unwrap();
//! verbatim::write(txt, &t, &WriteOptions::default(), &WriteContext::default(), &mut text).unwrap();
//! assert!(text.starts_with(b"Interviewer:"));
//! ```

mod detect;
mod options;

use std::fmt;
use std::io;
use std::path::Path;

pub use detect::{Detected, Probe, detect};
pub mod book;
pub mod metadata;
pub use options::WriteOptions;
pub use verbatim_epub::EpubOptions;
pub use verbatim_json::JsonOptions;
pub use verbatim_markdown::MarkdownOptions;
pub use verbatim_model as model;
pub use verbatim_model::{
    Code, DatePolicy, Diagnostic, Limits, Parsed, Position, ReadContext, Severity, Transcript,
    WriteContext,
};
pub use verbatim_pdf::{Paper, PdfOptions, Typeface};
pub use verbatim_tei::{TeiOptions, TeiStyle};
pub use verbatim_txt::TextOptions;

use verbatim_model::ToDiagnostic;

/// A reader: one row of [`READERS`].
#[derive(Debug)]
pub struct Reader {
    /// The name given to `-f`, such as `md`.
    pub name: &'static str,
    /// Other names `-f` accepts.
    pub aliases: &'static [&'static str],
    /// What the format is, for `--help` and listings.
    pub title: &'static str,
    /// File extensions read as this format, lower case, without the dot.
    pub extensions: &'static [&'static str],
    /// Extensions that other formats use too (`xml`): a file with one is read as the
    /// format whose [`Reader::sniff`] recognises its content, and refused when none does.
    pub shared_extensions: &'static [&'static str],
    /// How sure the content makes it that the input is in this format: 0 (not at all) to
    /// 100 (certain). Below 100 the choice is reported as a guess.
    pub sniff: fn(&Probe<'_>) -> u8,
    /// The format crate's reader.
    pub read: fn(Vec<u8>, &ReadContext) -> Result<Parsed<Transcript>, Diagnostic>,
}

/// A writer: one row of [`WRITERS`].
#[derive(Debug)]
pub struct Writer {
    /// The name given to `-t`, such as `tei`.
    pub name: &'static str,
    /// Other names `-t` accepts.
    pub aliases: &'static [&'static str],
    /// What the format is, for `--help` and listings.
    pub title: &'static str,
    /// The extension of output files, without the leading dot (`tei.xml` has two parts).
    pub extension: &'static str,
    /// Whether the output is binary (not to be diffed as text).
    pub binary: bool,
    /// Whether `-t all` writes it: the forms readers need, not the Markdown a person
    /// corrects an import in.
    pub in_all: bool,
    /// The format crate's writer, given its own options out of [`WriteOptions`].
    pub write: WriteFn,
}

/// The function of a [`Writer`] row.
pub type WriteFn = fn(&Transcript, &WriteOptions, &WriteContext, &mut dyn io::Write) -> WriteResult;

/// What a writer gives: its warnings, or why it failed.
pub type WriteResult = Result<Vec<Diagnostic>, Diagnostic>;

fn io_error(e: io::Error) -> Diagnostic {
    Diagnostic::error(Code::Io, None, format!("cannot write: {e}"))
}

fn diag<E: ToDiagnostic>(e: E) -> Diagnostic {
    e.to_diagnostic()
}

/// Every reader. Adding a format is one row here (and its crate).
pub static READERS: &[Reader] = &[
    Reader {
        name: "md",
        aliases: &["markdown"],
        title: "Markdown transcript (YAML front matter, **ID:** labels)",
        extensions: &["md", "markdown"],
        shared_extensions: &[],
        sniff: detect::markdown,
        read: |b, cx| verbatim_markdown::read(b, cx).map_err(diag),
    },
    Reader {
        name: "json",
        aliases: &[],
        title: "Verbatim JSON",
        extensions: &["json"],
        shared_extensions: &[],
        sniff: detect::json,
        read: |b, cx| verbatim_json::read(b, cx).map_err(diag),
    },
    Reader {
        name: "tei",
        aliases: &[],
        title: "TEI P5 XML (u or sp encoding)",
        extensions: &["tei"],
        shared_extensions: &["xml"],
        sniff: detect::tei,
        read: |b, cx| verbatim_tei::read(b, cx).map_err(diag),
    },
    Reader {
        name: "ohms",
        aliases: &[],
        title: "OHMS XML (Oral History Metadata Synchronizer export, 6.0 or legacy)",
        extensions: &["ohms"],
        shared_extensions: &["xml"],
        sniff: detect::ohms,
        read: |b, cx| verbatim_ohms::read(b, cx).map_err(diag),
    },
    Reader {
        name: "vtt",
        aliases: &["webvtt"],
        title: "WebVTT captions",
        extensions: &["vtt"],
        shared_extensions: &[],
        sniff: detect::vtt,
        read: |b, cx| verbatim_captions::read_vtt(b, cx).map_err(diag),
    },
    Reader {
        name: "srt",
        aliases: &["subrip"],
        title: "SRT (SubRip) captions",
        extensions: &["srt"],
        shared_extensions: &[],
        sniff: detect::srt,
        read: |b, cx| verbatim_captions::read_srt(b, cx).map_err(diag),
    },
    Reader {
        name: "docx",
        aliases: &["word"],
        title: "Word document",
        extensions: &["docx"],
        shared_extensions: &[],
        sniff: detect::docx,
        read: |b, cx| verbatim_docx::read(b, cx).map_err(diag),
    },
    Reader {
        name: "txt",
        aliases: &["text", "plain"],
        title: "plain text with speaker labels",
        extensions: &["txt", "text"],
        shared_extensions: &[],
        sniff: detect::txt,
        read: |b, cx| verbatim_txt::read(b, cx).map_err(diag),
    },
];

/// Every writer, in the order they are written.
pub static WRITERS: &[Writer] = &[
    Writer {
        name: "json",
        aliases: &[],
        title: "Verbatim JSON",
        extension: "json",
        binary: false,
        in_all: true,
        write: |t, o, cx, out| verbatim_json::write(t, &o.json, cx, out).map_err(io_error),
    },
    Writer {
        name: "md",
        aliases: &["markdown"],
        title: "Markdown transcript, to correct an import by hand",
        extension: "md",
        binary: false,
        in_all: false,
        write: |t, o, cx, out| verbatim_markdown::write(t, &o.markdown, cx, out).map_err(io_error),
    },
    Writer {
        name: "txt",
        aliases: &["text", "plain"],
        title: "plain text, wrapped",
        extension: "txt",
        binary: false,
        in_all: true,
        write: |t, o, cx, out| verbatim_txt::write(t, &o.text, cx, out).map_err(io_error),
    },
    Writer {
        name: "vtt",
        aliases: &["webvtt"],
        title: "WebVTT captions, for timed transcripts",
        extension: "vtt",
        binary: false,
        in_all: false,
        write: |t, o, _cx, out| verbatim_captions::write_vtt(t, &o.captions, out).map_err(diag),
    },
    Writer {
        name: "srt",
        aliases: &["subrip"],
        title: "SRT (SubRip) captions, for timed transcripts",
        extension: "srt",
        binary: false,
        in_all: false,
        write: |t, o, _cx, out| verbatim_captions::write_srt(t, &o.captions, out).map_err(diag),
    },
    Writer {
        name: "tei",
        aliases: &[],
        title: "TEI P5 XML",
        extension: "tei.xml",
        binary: false,
        in_all: true,
        write: |t, o, cx, out| verbatim_tei::write(t, &o.tei, cx, out).map_err(diag),
    },
    Writer {
        name: "epub",
        aliases: &[],
        title: "EPUB 3 ebook",
        extension: "epub",
        binary: true,
        in_all: true,
        write: |t, o, cx, out| verbatim_epub::write(t, &o.epub, cx, out).map_err(diag),
    },
    Writer {
        name: "pdf",
        aliases: &[],
        title: "PDF/A-2u, typeset",
        extension: "pdf",
        binary: true,
        in_all: true,
        write: write_pdf,
    },
];

/// The PDF, with the other formats it carries (`embed`) made by their own writers from
/// the same transcript, options and context, so an attachment is byte for byte what
/// `-t tei` or `-t json` writes.
fn write_pdf(
    t: &Transcript,
    o: &WriteOptions,
    cx: &WriteContext,
    out: &mut dyn std::io::Write,
) -> Result<Vec<Diagnostic>, Diagnostic> {
    let mut pdf = o.pdf.clone();
    for name in &o.embed {
        let (data, mime_type, description, relationship) = match *name {
            "tei" => {
                let mut data = Vec::new();
                verbatim_tei::write(t, &o.tei, cx, &mut data).map_err(diag)?;
                (
                    data,
                    "application/tei+xml",
                    "The transcript in TEI P5 XML, made from the same source as this PDF",
                    verbatim_pdf::Relationship::Source,
                )
            }
            _ => {
                let mut data = Vec::new();
                verbatim_json::write(t, &o.json, cx, &mut data).map_err(io_error)?;
                (
                    data,
                    "application/json",
                    "The transcript as Verbatim JSON, the data this PDF presents",
                    verbatim_pdf::Relationship::Data,
                )
            }
        };
        let extension = OutputFormat::parse(name).map_or(*name, |f| f.extension());
        pdf.attachments.push(verbatim_pdf::Attachment {
            name: format!("transcript.{extension}"),
            mime_type: mime_type.into(),
            description: description.into(),
            relationship,
            data,
        });
    }
    verbatim_pdf::write(t, &pdf, cx, out).map_err(diag)
}

/// A format Verbatim reads: a row of [`READERS`].
#[derive(Clone, Copy)]
pub struct InputFormat(&'static Reader);

/// What a file's extension says of its format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ByExtension {
    /// The extension means this format.
    Format(InputFormat),
    /// Several formats use the extension; the content decides.
    Shared(Vec<InputFormat>),
    /// No reader takes the extension.
    Unknown,
}

/// A format Verbatim writes: a row of [`WRITERS`].
#[derive(Clone, Copy)]
pub struct OutputFormat(&'static Writer);

impl InputFormat {
    /// Every input format, in table order.
    pub fn all() -> impl Iterator<Item = InputFormat> {
        READERS.iter().map(InputFormat)
    }

    /// The row.
    pub fn reader(self) -> &'static Reader {
        self.0
    }

    /// The name given to `-f`.
    pub fn name(self) -> &'static str {
        self.0.name
    }

    /// The format a name given to `-f` means (its name or an alias, any case).
    pub fn parse(name: &str) -> Option<InputFormat> {
        let name = name.to_ascii_lowercase();
        InputFormat::all().find(|f| f.0.name == name || f.0.aliases.contains(&name.as_str()))
    }

    /// What a file's extension says: the one format it means, or the formats that
    /// share it (`.xml`), whose content must tell them apart; nothing for an extension
    /// no reader takes.
    pub fn for_path(path: &Path) -> ByExtension {
        let Some(ext) = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
        else {
            return ByExtension::Unknown;
        };
        if let Some(f) = InputFormat::all().find(|f| f.0.extensions.contains(&ext.as_str())) {
            return ByExtension::Format(f);
        }
        let shared: Vec<InputFormat> = InputFormat::all()
            .filter(|f| f.0.shared_extensions.contains(&ext.as_str()))
            .collect();
        if shared.is_empty() {
            ByExtension::Unknown
        } else {
            ByExtension::Shared(shared)
        }
    }

    /// Whether any reader takes files with this path's extension.
    pub fn known_extension(path: &Path) -> bool {
        !matches!(InputFormat::for_path(path), ByExtension::Unknown)
    }
}

impl OutputFormat {
    /// Every output format, in the order they are written.
    pub fn all() -> impl Iterator<Item = OutputFormat> {
        WRITERS.iter().map(OutputFormat)
    }

    /// What `-t all` writes: TEI, EPUB, PDF, plain text and JSON.
    pub fn forms() -> impl Iterator<Item = OutputFormat> {
        OutputFormat::all().filter(|f| f.0.in_all)
    }

    /// The row.
    pub fn writer(self) -> &'static Writer {
        self.0
    }

    /// The name given to `-t`.
    pub fn name(self) -> &'static str {
        self.0.name
    }

    /// The extension of output files, without the leading dot.
    pub fn extension(self) -> &'static str {
        self.0.extension
    }

    /// Whether the output is binary.
    pub fn is_binary(self) -> bool {
        self.0.binary
    }

    /// The format a name given to `-t` means (its name or an alias, any case).
    pub fn parse(name: &str) -> Option<OutputFormat> {
        let name = name.to_ascii_lowercase();
        OutputFormat::all().find(|f| f.0.name == name || f.0.aliases.contains(&name.as_str()))
    }

    /// The format an output file name implies by its extension (`book.epub`, `a.tei.xml`).
    pub fn from_path(path: &Path) -> Option<OutputFormat> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        OutputFormat::all()
            .filter(|f| name.ends_with(&format!(".{}", f.0.extension)))
            .max_by_key(|f| f.0.extension.len())
    }

    /// Position in [`WRITERS`], for a stable order.
    fn index(self) -> usize {
        WRITERS
            .iter()
            .position(|w| std::ptr::eq(w, self.0))
            .unwrap_or(usize::MAX)
    }
}

/// The reader named `name` (or an alias).
pub fn input(name: &str) -> Option<InputFormat> {
    InputFormat::parse(name)
}

/// The writer named `name` (or an alias).
pub fn output(name: &str) -> Option<OutputFormat> {
    OutputFormat::parse(name)
}

macro_rules! by_name {
    ($t:ty) => {
        impl PartialEq for $t {
            fn eq(&self, other: &Self) -> bool {
                std::ptr::eq(self.0, other.0)
            }
        }
        impl Eq for $t {}
        impl std::hash::Hash for $t {
            fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
                self.0.name.hash(h);
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.0.name)
            }
        }
        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.0.name)
            }
        }
    };
}
by_name!(InputFormat);
by_name!(OutputFormat);

impl PartialOrd for OutputFormat {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for OutputFormat {
    /// Table order.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.index().cmp(&other.index())
    }
}

/// A transcript that satisfies the model's invariants, checked once before any writer
/// runs, so that writers may rely on them.
#[derive(Debug, Clone, PartialEq)]
pub struct Valid(Transcript);

impl Valid {
    /// Checks the invariants.
    pub fn new(t: Transcript) -> Result<Valid, Diagnostic> {
        match t.validate() {
            Ok(()) => Ok(Valid(t)),
            Err(e) => {
                let code = match e {
                    verbatim_model::ModelError::TooDeep => Code::TooDeep,
                    _ => Code::Model,
                };
                Err(Diagnostic::error(code, None, e.to_string()))
            }
        }
    }

    /// The transcript.
    pub fn transcript(&self) -> &Transcript {
        &self.0
    }

    /// The transcript, owned.
    pub fn into_inner(self) -> Transcript {
        self.0
    }
}

impl std::ops::Deref for Valid {
    type Target = Transcript;

    fn deref(&self) -> &Transcript {
        &self.0
    }
}

/// Reads source bytes in a format, within the context's limits. Text formats accept
/// UTF-8 (with or without a byte order mark), UTF-16 with a byte order mark, and any
/// line endings.
pub fn read(
    format: InputFormat,
    bytes: Vec<u8>,
    cx: &ReadContext,
) -> Result<Parsed<Transcript>, Diagnostic> {
    check_size(bytes.len() as u64, &cx.limits)?;
    let declared = declares_participants(format, &bytes);
    let mut parsed = (format.0.read)(bytes, cx)?;
    for e in cx.speakers.apply(&mut parsed.value) {
        parsed.warnings.push(Diagnostic::note(
            Code::Option,
            format!(
                "speaker \"{}\" (--speaker, --speakers) names no speaker of this transcript",
                e.label
            ),
        ));
    }
    if !declared {
        name_questions_and_answers(&mut parsed.value);
    }
    let n = parsed.value.participants.len();
    if n > cx.limits.max_participants {
        return Err(Diagnostic::error(
            Code::Limit,
            None,
            format!(
                "{n} participants, more than the limit of {} (--max-participants)",
                cx.limits.max_participants
            ),
        ));
    }
    Ok(parsed)
}

/// Whether the source names its people itself: JSON and TEI always do, Markdown in its
/// front matter. A person named `Q` there is named so on purpose and keeps the name.
fn declares_participants(format: InputFormat, bytes: &[u8]) -> bool {
    match format.0.name {
        "json" | "tei" => true,
        "md" => {
            let head = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]);
            let mut lines = head.trim_start_matches('\u{feff}').lines();
            lines.next().is_some_and(|l| l.trim_end() == "---")
                && lines
                    .take_while(|l| !matches!(l.trim_end(), "---" | "..."))
                    .any(|l| l.starts_with("participants:"))
        }
        _ => false,
    }
}

/// People known only by the labels `Q` and `A` are shown by their roles ("Interviewer",
/// "Interviewee"): a letter is not a name to print on a title page or as an author. The
/// letter stays their id and an alias, so that `--speaker Q=…` still finds them.
fn name_questions_and_answers(t: &mut Transcript) {
    let taken = |t: &Transcript, name: &str| t.participants.iter().any(|p| p.name == name);
    let free = [
        !taken(t, verbatim_model::Role::Interviewer.label()),
        !taken(t, verbatim_model::Role::Interviewee.label()),
    ];
    for p in &mut t.participants {
        let placeholder = match p.role {
            verbatim_model::Role::Interviewer => free[0] && ["Q", "Q."].contains(&p.name.as_str()),
            verbatim_model::Role::Interviewee => free[1] && ["A", "A."].contains(&p.name.as_str()),
            verbatim_model::Role::Other => false,
        };
        if placeholder {
            let letter = std::mem::replace(&mut p.name, p.role.label().to_string());
            if letter != p.id && !p.aliases.contains(&letter) {
                p.aliases.push(letter);
            }
        }
    }
}

/// Refuses an input by its size alone, before it is read (the CLI checks the file's size first).
pub fn check_size(len: u64, limits: &Limits) -> Result<(), Diagnostic> {
    if len > limits.max_input_bytes {
        return Err(Diagnostic::error(
            Code::Limit,
            None,
            format!(
                "input of {len} bytes is larger than the limit of {} bytes (--max-input-size)",
                limits.max_input_bytes
            ),
        ));
    }
    Ok(())
}

/// Writes a valid transcript in a format to `out`, giving the writer's warnings.
pub fn write(
    format: OutputFormat,
    t: &Valid,
    opts: &WriteOptions,
    cx: &WriteContext,
    out: &mut dyn io::Write,
) -> WriteResult {
    (format.0.write)(&t.0, opts, cx, out)
}

/// [`write()`] into memory: the bytes and the warnings.
pub fn write_to_vec(
    format: OutputFormat,
    t: &Valid,
    opts: &WriteOptions,
    cx: &WriteContext,
) -> Result<(Vec<u8>, Vec<Diagnostic>), Diagnostic> {
    let mut out = Vec::new();
    let warnings = write(format, t, opts, cx, &mut out)?;
    Ok((out, warnings))
}

/// The JSON Schema of the JSON format.
pub fn json_schema() -> String {
    verbatim_json::schema()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_extensions_are_unique_and_lower_case() {
        let mut names = std::collections::BTreeSet::new();
        for r in READERS {
            for n in std::iter::once(&r.name).chain(r.aliases) {
                assert!(names.insert(*n), "reader name {n} twice");
                assert_eq!(n.to_ascii_lowercase(), *n);
            }
        }
        let mut names = std::collections::BTreeSet::new();
        let mut exts = std::collections::BTreeSet::new();
        for w in WRITERS {
            for n in std::iter::once(&w.name).chain(w.aliases) {
                assert!(names.insert(*n), "writer name {n} twice");
            }
            assert!(exts.insert(w.extension), "extension {} twice", w.extension);
        }
    }

    #[test]
    fn people_a_source_names_q_keep_the_name() {
        let read = |format: &str, src: &str| {
            let f = InputFormat::all().find(|f| f.0.name == format).unwrap();
            let t = super::read(f, src.as_bytes().to_vec(), &ReadContext::default()).unwrap();
            t.value.participants[0].name.clone()
        };
        let declared = "---\nparticipants:\n  - id: Q\n    name: Q\n    role: interviewer\n---\n\n**Q:** Hello?\n";
        assert_eq!(read("md", declared), "Q");
        let json = r#"{"schema_version":"1.1","metadata":{},"participants":[{"id":"Q","name":"Q","role":"interviewer"}],"body":[]}"#;
        assert_eq!(read("json", json), "Q");
        // Known only by the label: shown by the role.
        assert_eq!(read("md", "**Q:** Hello?\n\n**A:** Hi.\n"), "Interviewer");
    }

    #[test]
    fn output_formats_from_file_names() {
        let from = |p: &str| OutputFormat::from_path(Path::new(p)).map(|f| f.name());
        assert_eq!(from("book.epub"), Some("epub"));
        assert_eq!(from("a.tei.xml"), Some("tei"));
        assert_eq!(from("A.PDF"), Some("pdf"));
        assert_eq!(from("notes.xml"), None);
        assert_eq!(from("out"), None);
    }

    #[test]
    fn parse_names_and_aliases() {
        assert_eq!(InputFormat::parse("Markdown").map(|f| f.name()), Some("md"));
        assert_eq!(InputFormat::parse("webvtt").map(|f| f.name()), Some("vtt"));
        assert_eq!(OutputFormat::parse("plain").map(|f| f.name()), Some("txt"));
        assert!(InputFormat::parse("epub").is_none());
        let tei = InputFormat::parse("tei").unwrap();
        let ohms = InputFormat::parse("ohms").unwrap();
        assert_eq!(
            InputFormat::for_path(Path::new("x.XML")),
            ByExtension::Shared(vec![tei, ohms])
        );
        assert_eq!(
            InputFormat::for_path(Path::new("x.tei")),
            ByExtension::Format(tei)
        );
        assert_eq!(
            InputFormat::for_path(Path::new("x.doc")),
            ByExtension::Unknown
        );
    }
}
