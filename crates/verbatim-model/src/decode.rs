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
    /// The encoding named in the read context (`--encoding`) is unknown.
    #[error("unknown encoding \"{0}\" (use a name such as windows-1252, iso-8859-2 or utf-16le)")]
    UnknownEncoding(String),
    /// The bytes do not decode in the encoding named in the read context.
    #[error("the input is not valid {0} (named with --encoding)")]
    NotInEncoding(&'static str),
}

impl InputError {
    /// 1-based line and column of the problem.
    pub fn position(&self) -> (usize, usize) {
        match self {
            InputError::Decode(d) => d.position(),
            InputError::LineTooLong { line, .. } => (*line, 1),
            InputError::UnknownEncoding(_) | InputError::NotInEncoding(_) => (1, 1),
        }
    }

    /// The error at its position, as a reader's error kind `wrap` makes of it.
    pub fn located<K: std::fmt::Display + std::fmt::Debug>(
        self,
        wrap: impl FnOnce(InputError) -> K,
    ) -> crate::Located<K> {
        let (line, column) = self.position();
        crate::Located {
            line,
            column,
            kind: wrap(self),
        }
    }
}

impl crate::HasCode for InputError {
    fn code(&self) -> crate::Code {
        match self {
            InputError::Decode(_) | InputError::NotInEncoding(_) => crate::Code::Encoding,
            InputError::UnknownEncoding(_) => crate::Code::Option,
            InputError::LineTooLong { .. } => crate::Code::Limit,
        }
    }
}

/// Text decoded from an input, with warnings about what decoding decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, `\n` line endings, no byte order mark or U+FEFF, no character XML
    /// cannot hold.
    pub text: String,
    /// `encoding-guessed` when the encoding was told from the bytes alone;
    /// `character-replaced` when characters XML cannot hold were replaced.
    pub warnings: Vec<crate::Diagnostic>,
}

/// The encoding a WHATWG label names (`windows-1252`, `latin1`, `utf-16le`, …).
pub fn encoding_for(label: &str) -> Option<&'static encoding_rs::Encoding> {
    encoding_rs::Encoding::for_label(label.trim().as_bytes())
}

/// Decodes a text input as every text reader does and refuses a line longer than the
/// context's limit.
///
/// - A byte order mark (UTF-8, UTF-16LE, UTF-16BE) decides; so does an encoding named in
///   the context (`--encoding`) or in an XML declaration.
/// - Otherwise valid UTF-8 is UTF-8; UTF-16 without a byte order mark is recognised by
///   its zero bytes; anything else that has no UTF-8 sequence at all is a legacy
///   single-byte or East Asian encoding guessed by `chardetng`, with an
///   `encoding-guessed` warning naming it. Mostly UTF-8 with a bad byte is an error at
///   that byte, not a guess that would garble every other character.
/// - CRLF and lone CR become LF; U+FEFF (a byte order mark left inside the text) is
///   removed; a NUL is an error (the input is binary); other characters XML 1.0 cannot
///   hold (C0 controls, U+FFFE, U+FFFF) are replaced with U+FFFD, with one
///   `character-replaced` warning at the first.
pub fn decode_input(bytes: Vec<u8>, cx: &crate::ReadContext) -> Result<Decoded, InputError> {
    let mut warning = None;
    let named = match &cx.encoding {
        Some(label) => {
            Some(encoding_for(label).ok_or_else(|| InputError::UnknownEncoding(label.clone()))?)
        }
        None => None,
    };
    let has_bom = bytes.starts_with(b"\xEF\xBB\xBF")
        || bytes.starts_with(b"\xFF\xFE")
        || bytes.starts_with(b"\xFE\xFF");
    let mut declared = None;
    if named.is_none() && !has_bom {
        declared = xml_declared(&bytes).filter(|enc| *enc != encoding_rs::UTF_8);
        // A declaration that the bytes belie: UTF-8 with non-ASCII characters in it.
        if let Some(enc) = declared
            && std::str::from_utf8(&bytes).is_ok()
            && has_utf8_sequence(&bytes)
        {
            warning = Some(crate::Diagnostic::warning(
                crate::Code::EncodingGuessed,
                1,
                1,
                format!(
                    "the XML declaration says {}, but the bytes are UTF-8: read as UTF-8",
                    enc.name()
                ),
            ));
            declared = None;
        }
    }
    let text = match named.or(declared) {
        Some(enc) if enc != encoding_rs::UTF_8 && !has_bom => {
            let (text, malformed) = enc.decode_without_bom_handling(&bytes);
            if malformed {
                return Err(InputError::NotInEncoding(enc.name()));
            }
            normalise(text.into_owned())
        }
        _ if has_bom || !bytes.contains(&0) && std::str::from_utf8(&bytes).is_ok() => {
            decode_text_owned(bytes)?
        }
        _ => {
            let (text, guessed) = guess(bytes)?;
            if guessed == "UTF-8" {
                // Valid UTF-8 with NUL bytes: refused below as binary.
                return Err(nul_error(&text).into());
            }
            warning = Some(crate::Diagnostic::warning(
                crate::Code::EncodingGuessed,
                1,
                1,
                format!(
                    "the input is not UTF-8: read as {guessed}, guessed from its bytes; name the \
                     encoding with --encoding if that is wrong"
                ),
            ));
            text
        }
    };
    if text.contains('\0') {
        return Err(nul_error(&text).into());
    }
    let mut warnings: Vec<crate::Diagnostic> = warning.into_iter().collect();
    let (text, replaced) = replace_unsafe(text);
    warnings.extend(replaced);
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
    Ok(Decoded { text, warnings })
}

/// Replaces the characters XML cannot hold with U+FFFD; warns once, at the first.
fn replace_unsafe(text: String) -> (String, Option<crate::Diagnostic>) {
    let Some(first) = crate::xml_unsafe(&text) else {
        return (text, None);
    };
    let offset = text.find(first).unwrap_or(0);
    let (line, column) = LineIndex::new(&text).position(offset);
    let mut n = 0;
    let out: String = text
        .chars()
        .map(|c| {
            if crate::xml_unsafe(c.encode_utf8(&mut [0; 4])).is_some() {
                n += 1;
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect();
    let w = crate::Diagnostic::warning(
        crate::Code::CharacterReplaced,
        line,
        column,
        format!(
            "{n} character(s) XML cannot hold (the first U+{:04X}) replaced with U+FFFD",
            u32::from(first)
        ),
    );
    (out, Some(w))
}

fn nul_error(text: &str) -> DecodeError {
    let offset = text.find('\0').unwrap_or(0);
    let (line, column) = LineIndex::new(text).position(offset);
    DecodeError::Nul {
        offset,
        line,
        column,
    }
}

/// The encoding an XML declaration at the start of the bytes names, if any.
fn xml_declared(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    // The declaration is ASCII whatever the encoding that follows.
    let head = bytes.get(..bytes.len().min(200))?;
    let ascii = head
        .iter()
        .position(|b| !b.is_ascii())
        .unwrap_or(head.len());
    let head = std::str::from_utf8(&head[..ascii]).ok()?;
    let decl = head.strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let value = &rest[1..];
    encoding_for(&value[..value.find(quote)?])
}

/// Decodes bytes that are not UTF-8: UTF-16 without a byte order mark, else the legacy
/// encoding `chardetng` guesses. Mostly-UTF-8 bytes with an error are refused.
fn guess(bytes: Vec<u8>) -> Result<(String, &'static str), DecodeError> {
    // UTF-16 without a byte order mark: zero bytes at every other position.
    let bytes = bytes.as_slice();
    let zeros = |odd: usize| {
        bytes
            .iter()
            .skip(odd)
            .step_by(2)
            .take(4096)
            .filter(|b| **b == 0)
            .count()
    };
    let pairs = (bytes.len() / 2).min(4096);
    if bytes.len() >= 4 && bytes.len().is_multiple_of(2) {
        for (odd, enc) in [(1, encoding_rs::UTF_16LE), (0, encoding_rs::UTF_16BE)] {
            if zeros(odd) * 10 >= pairs * 3 && zeros(1 - odd) * 20 < pairs {
                let (text, malformed) = enc.decode_without_bom_handling(bytes);
                if !malformed {
                    return Ok((normalise(text.into_owned()), enc.name()));
                }
            }
        }
    }
    let bytes = bytes.to_vec();
    let invalid = match String::from_utf8(bytes) {
        Ok(s) => return Ok((normalise(s), "UTF-8")),
        Err(e) => e,
    };
    let bytes = invalid.as_bytes();
    // Any well-formed multi-byte UTF-8 sequence means UTF-8 with an error in it.
    if has_utf8_sequence(bytes) {
        let good = invalid.utf8_error().valid_up_to();
        let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
        let (line, column) = LineIndex::new(prefix).position(prefix.len());
        return Err(DecodeError::InvalidUtf8 {
            offset: good,
            line,
            column,
        });
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let enc = detector.guess(None, false);
    let (text, _) = enc.decode_without_bom_handling(bytes);
    Ok((normalise(text.into_owned()), enc.name()))
}

/// Whether the bytes hold at least one well-formed UTF-8 sequence of two bytes or more.
fn has_utf8_sequence(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let len = match b {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => {
                i += 1;
                continue;
            }
        };
        if bytes.len() >= i + len && std::str::from_utf8(&bytes[i..i + len]).is_ok() {
            return true;
        }
        i += 1;
    }
    false
}

/// `\n` line endings and no U+FEFF.
fn normalise(mut text: String) -> String {
    if text.contains('\r') {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    if text.contains('\u{FEFF}') {
        text = text.replace('\u{FEFF}', "");
    }
    text
}

/// Decodes source bytes to text with `\n` line endings.
///
/// Accepts UTF-8 with or without a byte order mark, and UTF-16 (LE or BE) with
/// one. CRLF and lone CR become LF, so every reader sees the same text whatever
/// the platform that wrote the file; a U+FEFF inside the text is removed.
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
    text = normalise(text);
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
    starts: Starts,
}

/// Where the lines start: 4 bytes a line for any text under 4 GiB, which a
/// transcript of a million short turns has twice as many lines as turns.
#[derive(Debug, Clone)]
enum Starts {
    Narrow(Vec<u32>),
    Wide(Vec<usize>),
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `text`.
    pub fn new(text: &'a str) -> Self {
        Self::with_width(text, u32::try_from(text.len()).is_err())
    }

    fn with_width(text: &'a str, wide: bool) -> Self {
        let after_breaks = text.match_indices('\n').map(|(i, _)| i + 1);
        let starts = if wide {
            Starts::Wide(std::iter::once(0).chain(after_breaks).collect())
        } else {
            // Every offset fits: the text is shorter than 4 GiB.
            let narrow = after_breaks.map(|i| u32::try_from(i).unwrap_or(u32::MAX));
            Starts::Narrow(std::iter::once(0).chain(narrow).collect())
        };
        LineIndex { text, starts }
    }

    /// Line and column of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let (line, start) = match &self.starts {
            Starts::Narrow(starts) => {
                let at = u32::try_from(offset).unwrap_or(u32::MAX);
                let line = starts.partition_point(|&s| s <= at);
                (line, starts[line - 1] as usize)
            }
            Starts::Wide(starts) => {
                let line = starts.partition_point(|&s| s <= offset);
                (line, starts[line - 1])
            }
        };
        (line, self.text[start..offset].chars().count() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> Result<Decoded, InputError> {
        decode_input(bytes.to_vec(), &crate::ReadContext::default())
    }

    #[test]
    fn line_starts_kept_narrow_or_wide_give_the_same_positions() {
        let text = "first\nsécond line\n\nlast é\u{1F600} line";
        let (narrow, wide) = (LineIndex::new(text), LineIndex::with_width(text, true));
        assert!(matches!(narrow.starts, Starts::Narrow(_)));
        for offset in 0..=text.len() + 3 {
            assert_eq!(
                narrow.position(offset),
                wide.position(offset),
                "at {offset}"
            );
        }
        assert_eq!(narrow.position(0), (1, 1));
        assert_eq!(narrow.position(6), (2, 1));
        assert_eq!(narrow.position(text.find("line").unwrap()), (2, 8));
        assert_eq!(narrow.position(text.len()), (4, 13));
    }

    #[test]
    fn legacy_encodings_are_guessed_with_a_warning() {
        // "Café au lait, señor." in Windows-1252.
        let d = decode(b"SPEAKER 1: Caf\xe9 au lait, se\xf1or.\n").unwrap();
        assert_eq!(d.text, "SPEAKER 1: Café au lait, señor.\n");
        let w = d.warnings[0].clone();
        assert_eq!(w.code, crate::Code::EncodingGuessed);
        assert!(w.message.contains("windows-1252"), "{}", w.message);
        // Plain UTF-8 gives no warning.
        assert!(decode("Café".as_bytes()).unwrap().warnings.is_empty());
    }

    #[test]
    fn a_named_encoding_wins() {
        let mut cx = crate::ReadContext {
            encoding: Some("iso-8859-2".into()),
            ..Default::default()
        };
        let d = decode_input(b"\xb3\xf3d\xbc".to_vec(), &cx).unwrap();
        assert_eq!(d.text, "łódź");
        assert!(d.warnings.is_empty());
        cx.encoding = Some("klingon".into());
        assert!(matches!(
            decode_input(b"x".to_vec(), &cx),
            Err(InputError::UnknownEncoding(_))
        ));
    }

    #[test]
    fn utf16_without_bom_and_xml_declarations() {
        let le: Vec<u8> = "Q: hi\nA: yo\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let d = decode(&le).unwrap();
        assert_eq!(d.text, "Q: hi\nA: yo\n");
        assert!(d.warnings[0].message.contains("UTF-16LE"));
        let xml = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<TEI>caf\xe9</TEI>";
        let d = decode(xml).unwrap();
        assert!(d.text.ends_with("<TEI>café</TEI>"));
        assert!(d.warnings.is_empty());
        // A declaration the bytes belie is not followed.
        let mislabelled = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><TEI>café</TEI>";
        let d = decode(mislabelled.as_bytes()).unwrap();
        assert!(d.text.ends_with("<TEI>café</TEI>"));
        assert!(d.warnings[0].message.contains("but the bytes are UTF-8"));
    }

    #[test]
    fn characters_xml_cannot_hold_are_replaced_with_a_warning() {
        let d = decode("ok\nA: a\u{1}b\u{FFFF}c\u{0B}\t".as_bytes()).unwrap();
        assert_eq!(d.text, "ok\nA: a\u{FFFD}b\u{FFFD}c\u{FFFD}\t");
        assert_eq!(d.warnings.len(), 1);
        let w = &d.warnings[0];
        assert_eq!(
            (w.code, w.line(), w.column()),
            (crate::Code::CharacterReplaced, 2, 5)
        );
        assert!(w.message.starts_with("3 character(s)"), "{}", w.message);
    }

    #[test]
    fn mostly_utf8_with_a_bad_byte_is_an_error_at_it() {
        let e = decode(
            "né\n"
                .as_bytes()
                .iter()
                .copied()
                .chain(*b"ab\xffc")
                .collect::<Vec<_>>()
                .as_slice(),
        )
        .unwrap_err();
        assert_eq!(e.position(), (2, 3));
    }

    #[test]
    fn feff_inside_text_is_removed() {
        assert_eq!(decode("a\u{FEFF}b".as_bytes()).unwrap().text, "ab");
        assert_eq!(
            decode_text("\u{FEFF}title\u{FEFF}".as_bytes()).unwrap(),
            "title"
        );
    }

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
