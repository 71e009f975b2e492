//! Text in XML: escaping, and the characters XML 1.0 cannot hold.

/// A metadata field with XML-illegal characters removed, if anything but spaces is left.
pub fn nonempty(field: &Option<String>) -> Option<String> {
    field.as_deref().map(clean).filter(|s| !s.trim().is_empty())
}

/// `s` without the characters XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF).
pub fn clean(s: &str) -> String {
    s.chars().filter(|&c| xml_char(c)).collect()
}

pub fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes text for XML content and double-quoted attributes, dropping characters XML forbids.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    let mut rest = s;
    // Copies runs of ordinary characters whole; only markup, controls and the
    // U+FFFE/U+FFFF lead byte (0xEF) need a closer look.
    while let Some(i) = rest
        .bytes()
        .position(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | 0xEF) || b < 0x20)
    {
        out.push_str(&rest[..i]);
        let c = rest[i..].chars().next().unwrap_or_default();
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if xml_char(c) => out.push(c),
            _ => {}
        }
        rest = &rest[i + c.len_utf8()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_drops_xml_illegal_characters() {
        assert_eq!(clean("a\u{1}b\u{FFFF}c\td"), "abc\td");
    }
}
