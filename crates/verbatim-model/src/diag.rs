//! Diagnostics: what readers guessed, what writers could not do, and why a conversion
//! failed — one type for all of them, with a stable code and a position.

use std::fmt;

use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// A guess or an oddity; the output was still written.
    Warning,
    /// Something that stopped the conversion.
    Error,
}

impl Severity {
    /// `warning` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal,)*) => {
        /// A diagnostic's stable code. The names are part of the command line's and the
        /// report's interface: a code is never renamed or reused for something else.
        /// `docs/diagnostics.md` lists them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Code {
            /// Every code, in the order of the list.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as written in messages and reports, such as `speaker-guessed`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// The first line of the code's documentation.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Code::$variant => codes!(@first $($doc)*),)*
                }
            }
        }
    };
    (@first $first:literal $($rest:literal)*) => { $first.trim_ascii() };
}

codes! {
    // Reading: the bytes and their syntax.
    /// The bytes are not text in a known encoding.
    Encoding = "encoding",
    /// The encoding was guessed, not declared.
    EncodingGuessed = "encoding-guessed",
    /// A character XML cannot hold (a control, U+FFFE, U+FFFF) was replaced by U+FFFD.
    CharacterReplaced = "character-replaced",
    /// The input is empty or holds no transcript.
    Empty = "empty",
    /// The input breaks its format's syntax (XML, JSON, YAML, cue times, zip).
    Syntax = "syntax",
    /// The input format could not be told.
    FormatUnknown = "format-unknown",
    /// The input format was guessed from the content.
    FormatGuessed = "format-guessed",
    /// The input exceeds a limit (size, line length, participants, nesting, inflation).
    Limit = "limit",
    /// A DTD or entity declaration, which is never processed.
    Doctype = "doctype",
    // Reading: speakers, turns and their structure.
    /// A turn's speaker is a guess (an unlabelled paragraph, a continued turn).
    SpeakerGuessed = "speaker-guessed",
    /// A speaker label names nobody declared.
    SpeakerUndeclared = "speaker-undeclared",
    /// A speaker was declared by the reader on first use or from scant evidence.
    SpeakerDeclared = "speaker-declared",
    /// Two labels were taken as the same person (initials, surnames, aliases).
    SpeakerMerged = "speaker-merged",
    /// In a book, a speaker's id was changed because a person of another part has it.
    SpeakerRenamed = "speaker-renamed",
    /// A label was or was not taken as a speaker on the strength of the file's evidence.
    LabelGuessed = "label-guessed",
    /// No speaker labels were found.
    LabelsMissing = "labels-missing",
    /// A label held characters that print as nothing, or was not NFC; it was normalised.
    LabelNormalised = "label-normalised",
    /// A participant's role was guessed.
    RoleGuessed = "role-guessed",
    /// A line was taken as a section heading by its shape.
    HeadingGuessed = "heading-guessed",
    /// The title was guessed (a first line, a heading).
    TitleGuessed = "title-guessed",
    /// A header or metadata field was read in a way that may be wrong, or not understood.
    HeaderField = "header-field",
    /// A date that cannot be read, or is not in the calendar.
    DateInvalid = "date-invalid",
    /// A date was guessed (from a file's properties, from the text).
    DateGuessed = "date-guessed",
    /// A language that cannot be read as a tag.
    LanguageInvalid = "language-invalid",
    /// A time or timestamp that cannot be read, or that goes back in time.
    TimeInvalid = "time-invalid",
    /// A time was estimated (between the source's time marks).
    TimeGuessed = "time-guessed",
    /// Metadata the model has no place for, left out.
    MetadataDropped = "metadata-dropped",
    /// Text of the input that is not in the transcript.
    TextDropped = "text-dropped",
    /// Markup the model has no place for; its text is kept.
    MarkupSimplified = "markup-simplified",
    /// A note's attribution was dropped.
    NoteAuthorDropped = "note-author-dropped",
    /// Content nested deeper than the model allows.
    TooDeep = "too-deep",
    /// The transcript breaks a model invariant.
    Model = "model",
    // Writing.
    /// Characters no embedded font can draw.
    GlyphMissing = "glyph-missing",
    /// Verbatim's own words are printed in English: the transcript's language has no table.
    LabelsEnglish = "labels-english",
    /// The output format cannot express something the transcript has.
    OutputLossy = "output-lossy",
    /// A writer could not make its output.
    WriteFailed = "write-failed",
    /// An option or setting that cannot be used.
    Option = "option",
    /// Reading or writing a file failed.
    Io = "io",
}

impl Code {
    /// Whether the code reports a reader's guess (a speaker, label, role, heading,
    /// title, date, format or encoding it inferred), which `verbatim check` counts.
    pub fn is_guess(self) -> bool {
        matches!(
            self,
            Code::SpeakerGuessed
                | Code::SpeakerDeclared
                | Code::SpeakerMerged
                | Code::LabelGuessed
                | Code::RoleGuessed
                | Code::HeadingGuessed
                | Code::TitleGuessed
                | Code::HeaderField
                | Code::DateGuessed
                | Code::FormatGuessed
                | Code::EncodingGuessed
                | Code::TimeGuessed
        )
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A place in the input: 1-based line and 1-based column counted in Unicode scalar values
/// (characters), whatever the format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// A message about a conversion: a reader's guess, a writer's loss, or the reason it failed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Diagnostic {
    /// The input file, when known (readers leave it out; the registry's callers set it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Where in the input; `None` for what belongs to no place (a writer's warning).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// How serious it is.
    pub severity: Severity,
    /// What kind of thing it is.
    pub code: Code,
    /// What is wrong or what was guessed, in plain words.
    pub message: String,
}

impl Diagnostic {
    /// A warning at a position.
    pub fn warning(code: Code, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            file: None,
            position: Some(Position { line, column }),
            severity: Severity::Warning,
            code,
            message: message.into(),
        }
    }

    /// A warning that belongs to no place in the input (a writer's).
    pub fn note(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            file: None,
            position: None,
            severity: Severity::Warning,
            code,
            message: message.into(),
        }
    }

    /// An error, at a position when it has one.
    pub fn error(code: Code, position: Option<Position>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: None,
            position,
            severity: Severity::Error,
            code,
            message: message.into(),
        }
    }

    /// The same diagnostic, naming its file.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// 1-based line, 0 when there is no position.
    pub fn line(&self) -> usize {
        self.position.map_or(0, |p| p.line)
    }

    /// 1-based column, 0 when there is no position.
    pub fn column(&self) -> usize {
        self.position.map_or(0, |p| p.column)
    }
}

/// Text for one line of a terminal: control characters, line breaks and the
/// bidirectional controls (which could forge or reorder a message) as `\u{…}` escapes.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        c.is_control()
            || matches!(
                c,
                '\u{2028}' | '\u{2029}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
            )
            || ('\u{202A}'..='\u{202E}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    };
    if !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if bad(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

impl fmt::Display for Diagnostic {
    /// `FILE:LINE:COLUMN: warning[code]: MESSAGE`, leaving out what is unknown; file and
    /// message are [`printable`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}:", printable(file))?;
        }
        if let Some(p) = self.position {
            write!(f, "{}:{}:", p.line, p.column)?;
        }
        if self.file.is_some() || self.position.is_some() {
            f.write_str(" ")?;
        }
        write!(
            f,
            "{}[{}]: {}",
            self.severity.as_str(),
            self.code,
            printable(&self.message)
        )
    }
}

/// A reader's result: the value and the warnings raised while reading it.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<T> {
    /// What was read.
    pub value: T,
    /// Guesses and oddities, in source order.
    pub warnings: Vec<Diagnostic>,
}

impl<T> Parsed<T> {
    /// A value without warnings.
    pub fn clean(value: T) -> Self {
        Parsed {
            value,
            warnings: Vec::new(),
        }
    }

    /// The same, with warnings raised before reading (such as decoding's) put first.
    pub fn after(mut self, earlier: impl IntoIterator<Item = Diagnostic>) -> Self {
        let mut all: Vec<Diagnostic> = earlier.into_iter().collect();
        all.append(&mut self.warnings);
        self.warnings = all;
        self
    }
}

/// An error kind that knows its [`Code`].
pub trait HasCode {
    /// The stable code of this kind of error.
    fn code(&self) -> Code;
}

/// A reader's error with its 1-based line and column (column counted in
/// characters). Each reader crate names its own `ErrorKind`:
/// `pub type Error = Located<ErrorKind>`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {kind}")]
pub struct Located<K: fmt::Display + fmt::Debug> {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    /// What is wrong.
    pub kind: K,
}

impl<K: fmt::Display + fmt::Debug> Located<K> {
    /// An error that belongs to the whole input rather than a place in it: 1:1.
    pub fn at_start(kind: K) -> Self {
        Located {
            line: 1,
            column: 1,
            kind,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_documented() {
        let mut seen = std::collections::BTreeSet::new();
        for c in Code::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "{s} twice");
            assert!(
                s.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{s} is not kebab-case"
            );
            assert!(!c.summary().is_empty());
        }
    }

    #[test]
    fn display_leaves_out_what_is_unknown() {
        let w = Diagnostic::warning(
            Code::HeadingGuessed,
            3,
            1,
            "\"Early years\" taken as a heading",
        );
        assert_eq!(
            w.to_string(),
            "3:1: warning[heading-guessed]: \"Early years\" taken as a heading"
        );
        assert_eq!(
            w.clone().in_file("a.txt").to_string(),
            "a.txt:3:1: warning[heading-guessed]: \"Early years\" taken as a heading"
        );
        assert_eq!(
            Diagnostic::note(Code::GlyphMissing, "no font for 中").to_string(),
            "warning[glyph-missing]: no font for 中"
        );
    }

    #[test]
    fn serialises_fields_not_strings() {
        let w = Diagnostic::warning(Code::SpeakerGuessed, 7, 2, "m").in_file("x.txt");
        assert_eq!(
            serde_json::to_string(&w).unwrap(),
            r#"{"file":"x.txt","line":7,"column":2,"severity":"warning","code":"speaker-guessed","message":"m"}"#
        );
    }
}
