use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// A guess or an oddity; the output was still written.
    Warning,
    /// Something that stopped the conversion.
    Error,
}

/// A message about the input with its position (1-based line, column in characters).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in Unicode scalar values.
    pub column: usize,
    /// How serious it is.
    pub severity: Severity,
    /// What is wrong or what was guessed.
    pub message: String,
}

impl Diagnostic {
    /// A warning at a position.
    pub fn warning(line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            line,
            column,
            severity: Severity::Warning,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    /// `LINE:COLUMN: warning: MESSAGE`; callers put the file name in front.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(
            f,
            "{}:{}: {}: {}",
            self.line, self.column, sev, self.message
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
