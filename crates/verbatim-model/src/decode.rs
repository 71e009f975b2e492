/// Input bytes that are not text Verbatim can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Not valid UTF-8.
    #[error("invalid UTF-8 at byte offset {offset}")]
    InvalidUtf8 {
        /// Byte offset of the first bad byte.
        offset: usize,
        /// Its 1-based line.
        line: usize,
        /// Its 1-based column.
        column: usize,
    },
    /// UTF-16 with a byte order mark, but broken.
    #[error("invalid UTF-16 ({0} byte order mark) at byte offset {1}")]
    InvalidUtf16(&'static str, usize),
    /// Contains NUL bytes, so it is binary or UTF-16 without a byte order mark.
    #[error(
        "NUL byte at byte offset {offset}: this is a binary file, or UTF-16 without a byte order mark"
    )]
    Nul {
        /// Byte offset of the NUL.
        offset: usize,
        /// Its 1-based line.
        line: usize,
        /// Its 1-based column.
        column: usize,
    },
}

impl DecodeError {
    /// Where the bad bytes are: 1-based line and column.
    pub fn position(&self) -> (usize, usize) {
        match self {
            DecodeError::InvalidUtf8 { line, column, .. }
            | DecodeError::Nul { line, column, .. } => (*line, *column),
            DecodeError::InvalidUtf16(..) => (1, 1),
        }
    }
}

/// Why the bytes of a text input cannot be read: not text, or over a limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// The bytes are not text.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// A line longer than [`Limits::max_line_bytes`](crate::Limits).
    #[error("line of {bytes} bytes is longer than the limit of {limit} bytes (--max-line-length)")]
    LineTooLong {
        /// 1-based line.
        line: usize,
        /// Its length.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
}

impl InputError {
    /// 1-based line and column of the problem.
    pub fn position(&self) -> (usize, usize) {
        match self {
            InputError::Decode(d) => d.position(),
            InputError::LineTooLong { line, .. } => (*line, 1),
        }
    }
}

impl crate::HasCode for InputError {
    fn code(&self) -> crate::Code {
        match self {
            InputError::Decode(_) => crate::Code::Encoding,
            InputError::LineTooLong { .. } => crate::Code::Limit,
        }
    }
}

/// Decodes a text input as every text reader does ([`decode_text_owned`]) and refuses a
/// line longer than the context's limit.
pub fn decode_input(bytes: Vec<u8>, cx: &crate::ReadContext) -> Result<String, InputError> {
    let text = decode_text_owned(bytes)?;
    let limit = cx.limits.max_line_bytes;
    if text.len() > limit {
        for (i, line) in text.split('\n').enumerate() {
            if line.len() > limit {
                return Err(InputError::LineTooLong {
                    line: i + 1,
                    bytes: line.len(),
                    limit,
                });
            }
        }
    }
    Ok(text)
}

/// Decodes source bytes to text with `\n` line endings.
///
/// Accepts UTF-8 with or without a byte order mark, and UTF-16 (LE or BE) with
/// one. CRLF and lone CR become LF, so every reader sees the same text whatever
/// the platform that wrote the file.
pub fn decode_text(bytes: &[u8]) -> Result<String, DecodeError> {
    decode_text_owned(bytes.to_vec())
}

/// [`decode_text`] taking ownership: plain UTF-8 input is validated in place,
/// without a copy, which matters for very large transcripts.
pub fn decode_text_owned(bytes: Vec<u8>) -> Result<String, DecodeError> {
    let mut text = if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        utf16(rest, u16::from_le_bytes, "little-endian")?
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        utf16(rest, u16::from_be_bytes, "big-endian")?
    } else {
        let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        match String::from_utf8(bytes) {
            Ok(mut s) => {
                s.drain(..bom);
                s
            }
            Err(e) => {
                let good = e.utf8_error().valid_up_to();
                let bytes = e.as_bytes();
                // The prefix is valid, so the position can be computed on it.
                let prefix = std::str::from_utf8(&bytes[bom..good]).unwrap_or_default();
                let (line, column) = LineIndex::new(prefix).position(prefix.len());
                return Err(DecodeError::InvalidUtf8 {
                    offset: good,
                    line,
                    column,
                });
            }
        }
    };
    if let Some(offset) = text.find('\0') {
        let (line, column) = LineIndex::new(&text).position(offset);
        return Err(DecodeError::Nul {
            offset,
            line,
            column,
        });
    }
    if text.contains('\r') {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    Ok(text)
}

fn utf16(
    bytes: &[u8],
    unit: fn([u8; 2]) -> u16,
    name: &'static str,
) -> Result<String, DecodeError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(DecodeError::InvalidUtf16(name, bytes.len() + 1));
    }
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    let mut out = String::with_capacity(bytes.len() / 2);
    for (i, r) in char::decode_utf16(units).enumerate() {
        match r {
            Ok(c) => out.push(c),
            Err(_) => return Err(DecodeError::InvalidUtf16(name, 2 + i * 2)),
        }
    }
    Ok(out)
}

/// Maps byte offsets in a text to 1-based line and column (column in characters).
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `text`.
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// Line and column of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_bom_and_line_endings() {
        assert_eq!(
            decode_text(b"\xEF\xBB\xBFa\r\nb\rc\n").unwrap(),
            "a\nb\nc\n"
        );
    }

    #[test]
    fn decodes_utf16_with_bom() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("hé\r\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode_text(&le).unwrap(), "hé\n");
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("hé".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode_text(&be).unwrap(), "hé");
    }

    #[test]
    fn reports_bad_utf8_position() {
        let e = decode_text(b"ok\nab\xFFc").unwrap_err();
        assert_eq!(
            e,
            DecodeError::InvalidUtf8 {
                offset: 5,
                line: 2,
                column: 3
            }
        );
        assert_eq!(e.to_string(), "invalid UTF-8 at byte offset 5");
        assert_eq!(e.position(), (2, 3));
    }

    #[test]
    fn refuses_nul() {
        assert!(matches!(
            decode_text(b"a\0b"),
            Err(DecodeError::Nul { offset: 1, .. })
        ));
    }

    #[test]
    fn line_index_counts_characters() {
        let idx = LineIndex::new("é\nxyé z");
        assert_eq!(idx.position(0), (1, 1));
        assert_eq!(idx.position(3), (2, 1));
        assert_eq!(idx.position(7), (2, 4));
    }
}
