//! Verbatim's format registry: one place that knows every reader and writer.
//!
//! The CLI, the golden tests and batch conversion go through [`read`] and
//! [`write`]; format crates never depend on each other.
//!
//! ```
//! use verbatim::{InputFormat, OutputFormat, WriteOptions};
//! let parsed = verbatim::read(InputFormat::Markdown, b"**Q:** Why?\n\n**A:** Because.\n").unwrap();
//! let text = verbatim::write(OutputFormat::Text, &parsed.value, &WriteOptions::default()).unwrap();
//! assert!(text.starts_with(b"Interviewer:"));
//! ```

use std::fmt;
use std::path::Path;

pub use verbatim_epub::EpubOptions;
pub use verbatim_json::JsonOptions;
pub use verbatim_markdown::MarkdownOptions;
pub use verbatim_model as model;
pub use verbatim_model::{Diagnostic, Parsed, Transcript};
pub use verbatim_pdf::{Paper, PdfOptions};
pub use verbatim_tei::TeiOptions;
pub use verbatim_text::TextOptions;

/// A format Verbatim reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InputFormat {
    /// Markdown transcript with YAML front matter (`.md`).
    Markdown,
    /// Verbatim JSON (`.json`).
    Json,
    /// TEI P5 XML (`.xml`), as Verbatim writes it or in the same vocabulary.
    Tei,
    /// Plain text with speaker labels (`.txt`): web captures, transcription services.
    Text,
    /// WebVTT captions from speech-to-text (`.vtt`).
    Vtt,
    /// SubRip captions (`.srt`).
    Srt,
    /// Word documents (`.docx`).
    Docx,
}

impl InputFormat {
    /// Every input format.
    pub const ALL: &'static [InputFormat] = &[
        InputFormat::Markdown,
        InputFormat::Json,
        InputFormat::Tei,
        InputFormat::Text,
        InputFormat::Vtt,
        InputFormat::Srt,
        InputFormat::Docx,
    ];

    /// The format's name as given to `-f`.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Markdown => "md",
            InputFormat::Json => "json",
            InputFormat::Tei => "tei",
            InputFormat::Text => "txt",
            InputFormat::Vtt => "vtt",
            InputFormat::Srt => "srt",
            InputFormat::Docx => "docx",
        }
    }

    /// File extensions read as this format (lower case, without the dot).
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            InputFormat::Markdown => &["md", "markdown"],
            InputFormat::Json => &["json"],
            InputFormat::Tei => &["xml"],
            InputFormat::Text => &["txt", "text"],
            InputFormat::Vtt => &["vtt"],
            InputFormat::Srt => &["srt"],
            InputFormat::Docx => &["docx"],
        }
    }

    /// Parses a name given to `-f`.
    pub fn parse(name: &str) -> Option<InputFormat> {
        let name = name.to_ascii_lowercase();
        match name.as_str() {
            "markdown" => Some(InputFormat::Markdown),
            "text" | "plain" => Some(InputFormat::Text),
            "webvtt" => Some(InputFormat::Vtt),
            _ => InputFormat::ALL.iter().copied().find(|f| f.name() == name),
        }
    }

    /// The format a file's extension implies.
    pub fn from_path(path: &Path) -> Option<InputFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        InputFormat::ALL
            .iter()
            .copied()
            .find(|f| f.extensions().contains(&ext.as_str()))
    }
}

/// A format Verbatim writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OutputFormat {
    /// Verbatim JSON.
    Json,
    /// The Markdown transcript format, for correcting an import by hand.
    Markdown,
    /// Plain text.
    Text,
    /// TEI P5 XML.
    Tei,
    /// EPUB 3 ebook.
    Epub,
    /// PDF/A-2u for print and archiving.
    Pdf,
}

impl OutputFormat {
    /// Every output format, in the order `-t all` writes them.
    pub const ALL: &'static [OutputFormat] = &[
        OutputFormat::Json,
        OutputFormat::Markdown,
        OutputFormat::Text,
        OutputFormat::Tei,
        OutputFormat::Epub,
        OutputFormat::Pdf,
    ];

    /// The format's name as given to `-t`.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Json => "json",
            OutputFormat::Markdown => "md",
            OutputFormat::Text => "txt",
            OutputFormat::Tei => "tei",
            OutputFormat::Epub => "epub",
            OutputFormat::Pdf => "pdf",
        }
    }

    /// The extension of output files, without the leading dot (`tei.xml` has two parts).
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Json => "json",
            OutputFormat::Markdown => "md",
            OutputFormat::Text => "txt",
            OutputFormat::Tei => "tei.xml",
            OutputFormat::Epub => "epub",
            OutputFormat::Pdf => "pdf",
        }
    }

    /// Whether the output is binary (not to be diffed as text).
    pub fn is_binary(self) -> bool {
        match self {
            OutputFormat::Json
            | OutputFormat::Markdown
            | OutputFormat::Text
            | OutputFormat::Tei => false,
            OutputFormat::Epub | OutputFormat::Pdf => true,
        }
    }

    /// Parses a name given to `-t`.
    pub fn parse(name: &str) -> Option<OutputFormat> {
        let name = name.to_ascii_lowercase();
        match name.as_str() {
            "text" | "plain" => Some(OutputFormat::Text),
            "markdown" => Some(OutputFormat::Markdown),
            _ => OutputFormat::ALL.iter().copied().find(|f| f.name() == name),
        }
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Options for every writer, one struct per format.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct WriteOptions {
    /// Plain-text options.
    pub text: TextOptions,
    /// JSON options.
    pub json: JsonOptions,
    /// Markdown options.
    pub markdown: MarkdownOptions,
    /// TEI options; `source_date_epoch` and `generator` come from this struct.
    pub tei: TeiOptions,
    /// EPUB options; `source_date_epoch` and `generator` come from this struct.
    pub epub: EpubOptions,
    /// PDF options (paper size); `source_date_epoch` and `generator` come from this struct.
    pub pdf: PdfOptions,
    /// Unix time to use where a format needs a date the transcript lacks
    /// (from `SOURCE_DATE_EPOCH`); never the clock.
    pub source_date_epoch: Option<i64>,
    /// Name and version of the producing program, such as `verbatim 0.1.0`;
    /// `None` leaves it out (the golden tests do, so releases don't rewrite them).
    pub generator: Option<String>,
}

/// Limits on what a reader accepts, so that hostile or broken input is refused
/// quickly with a clear message instead of exhausting memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest input, in bytes. Default 256 MiB.
    pub max_input_bytes: u64,
    /// Longest line of a text input, in bytes. Default 16 MiB.
    pub max_line_bytes: usize,
    /// Most participants a transcript may declare. Default 1,000.
    pub max_participants: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 256 * 1024 * 1024,
            max_line_bytes: 16 * 1024 * 1024,
            max_participants: 1000,
        }
    }
}

/// A conversion that failed. `Display` gives `LINE:COLUMN: message` when the
/// problem has a position; callers put the file name in front.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input exceeds a [`Limits`] value.
    #[error("{line}:{column}: {message}")]
    Limit {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// Which limit, and how to raise it.
        message: String,
    },
    /// The bytes are not text.
    #[error(transparent)]
    Decode(#[from] verbatim_model::DecodeError),
    /// A Markdown transcript that cannot be read.
    #[error(transparent)]
    Markdown(#[from] verbatim_markdown::Error),
    /// A JSON transcript that cannot be read or written.
    #[error(transparent)]
    Json(#[from] verbatim_json::Error),
    /// A plain-text transcript that cannot be read.
    #[error(transparent)]
    Text(#[from] verbatim_plaintext::Error),
    /// WebVTT or SRT captions that cannot be read.
    #[error(transparent)]
    Subtitles(#[from] verbatim_subtitles::Error),
    /// A Word document that cannot be read.
    #[error(transparent)]
    Docx(#[from] verbatim_docx::Error),
    /// A TEI document that cannot be read or written.
    #[error(transparent)]
    Tei(#[from] verbatim_tei::TeiError),
    /// An EPUB that cannot be made.
    #[error(transparent)]
    Epub(#[from] verbatim_epub::EpubError),
    /// A PDF that cannot be made.
    #[error(transparent)]
    Pdf(#[from] verbatim_pdf::PdfError),
}

/// Reads source bytes in a format. Text formats accept UTF-8 (with or without a
/// byte order mark), UTF-16 with a byte order mark, and any line endings.
pub fn read(format: InputFormat, bytes: &[u8]) -> Result<Parsed<Transcript>, Error> {
    read_owned(format, bytes.to_vec())
}

/// [`read`] taking ownership of the bytes, which saves a copy of large inputs.
pub fn read_owned(format: InputFormat, bytes: Vec<u8>) -> Result<Parsed<Transcript>, Error> {
    read_limited(format, bytes, &Limits::default())
}

/// [`read_owned`] with explicit [`Limits`].
pub fn read_limited(
    format: InputFormat,
    bytes: Vec<u8>,
    limits: &Limits,
) -> Result<Parsed<Transcript>, Error> {
    check_size(bytes.len() as u64, limits)?;
    let parsed = read_unchecked(format, bytes, limits)?;
    let n = parsed.value.participants.len();
    if n > limits.max_participants {
        return Err(Error::Limit {
            line: 1,
            column: 1,
            message: format!(
                "{n} participants, more than the limit of {} (--max-participants)",
                limits.max_participants
            ),
        });
    }
    Ok(parsed)
}

/// Refuses an input by its size alone, before it is read (the CLI checks the file's size first).
pub fn check_size(len: u64, limits: &Limits) -> Result<(), Error> {
    if len > limits.max_input_bytes {
        return Err(Error::Limit {
            line: 1,
            column: 1,
            message: format!(
                "input of {len} bytes is larger than the limit of {} bytes (--max-input-size)",
                limits.max_input_bytes
            ),
        });
    }
    Ok(())
}

fn check_lines(text: &str, limits: &Limits) -> Result<(), Error> {
    if text.len() <= limits.max_line_bytes {
        return Ok(());
    }
    for (i, line) in text.split('\n').enumerate() {
        if line.len() > limits.max_line_bytes {
            return Err(Error::Limit {
                line: i + 1,
                column: 1,
                message: format!(
                    "line of {} bytes is longer than the limit of {} bytes (--max-line-length)",
                    line.len(),
                    limits.max_line_bytes
                ),
            });
        }
    }
    Ok(())
}

fn read_unchecked(
    format: InputFormat,
    bytes: Vec<u8>,
    limits: &Limits,
) -> Result<Parsed<Transcript>, Error> {
    let text = |bytes| -> Result<String, Error> {
        let t = verbatim_model::decode_text_owned(bytes)?;
        check_lines(&t, limits)?;
        Ok(t)
    };
    match format {
        InputFormat::Markdown => Ok(verbatim_markdown::read(&text(bytes)?)?),
        InputFormat::Json => Ok(verbatim_json::read(&text(bytes)?)?),
        InputFormat::Tei => Ok(verbatim_tei::read(&text(bytes)?)?),
        InputFormat::Text => Ok(verbatim_plaintext::read(&text(bytes)?)?),
        InputFormat::Vtt => Ok(verbatim_subtitles::read_vtt(&text(bytes)?)?),
        InputFormat::Srt => Ok(verbatim_subtitles::read_srt(&text(bytes)?)?),
        // A zip archive, not text.
        InputFormat::Docx => Ok(verbatim_docx::read(&bytes)?),
    }
}

/// Writes a transcript in a format.
pub fn write(format: OutputFormat, t: &Transcript, opts: &WriteOptions) -> Result<Vec<u8>, Error> {
    match format {
        OutputFormat::Json => Ok(verbatim_json::write(t, &opts.json)?),
        OutputFormat::Markdown => Ok(verbatim_markdown::write(t, &opts.markdown)),
        OutputFormat::Text => Ok(verbatim_text::write(t, &opts.text)),
        OutputFormat::Tei => {
            let mut o = opts.tei.clone();
            o.source_date_epoch = opts.source_date_epoch;
            o.generator.clone_from(&opts.generator);
            Ok(verbatim_tei::write(t, &o)?)
        }
        OutputFormat::Epub => {
            let mut o = opts.epub.clone();
            o.source_date_epoch = opts.source_date_epoch;
            o.generator.clone_from(&opts.generator);
            Ok(verbatim_epub::write(t, &o)?)
        }
        OutputFormat::Pdf => {
            let mut o = opts.pdf.clone();
            o.source_date_epoch = opts.source_date_epoch;
            o.generator.clone_from(&opts.generator);
            Ok(verbatim_pdf::write(t, &o)?)
        }
    }
}

/// A readable text projection of an output, for review and golden files:
/// text formats as they are, binary formats described entry by entry.
pub fn describe(format: OutputFormat, bytes: &[u8]) -> Result<String, Error> {
    match format {
        OutputFormat::Json | OutputFormat::Markdown | OutputFormat::Text | OutputFormat::Tei => {
            Ok(String::from_utf8_lossy(bytes).into_owned())
        }
        OutputFormat::Epub => Ok(verbatim_epub::describe(bytes)?),
        OutputFormat::Pdf => Ok(verbatim_pdf::describe(bytes)?),
    }
}

/// The JSON Schema of the JSON format.
pub fn json_schema() -> String {
    verbatim_json::schema()
}
