//! Where the body may be parsed in parts. pulldown-cmark keeps a tree of all the text
//! it is given, some fifty bytes a node, so a transcript of many short turns parsed in
//! one piece costs many times its size; parsed in parts of about [`CHUNK`] bytes, only
//! one part's tree is alive at a time.
//!
//! A part may end only before a line that no block above it can hold open: a line at
//! column 0 after a blank line that is neither a block quote nor a list item. Fenced
//! code and HTML blocks of kinds 1–5 can hold blank lines, and link reference
//! definitions reach the whole document: a body with a line that could start one of
//! those is parsed whole, as CommonMark requires.

/// The size from which a part may end.
pub(crate) const CHUNK: usize = 64 * 1024;

/// Lines and inline marks (`*`, `_`, `[`, `]`, backticks, `<`, `!`, `&`, `\`) that one
/// run of lines without a blank line may hold: each is a node of the parser's tree
/// and most an inline of the model, and no transcript's paragraph comes near.
pub(crate) const MAX_MARKS: usize = 100_000;

/// The bytes [`MAX_MARKS`] counts.
const MARK: [bool; 256] = {
    let mut t = [false; 256];
    let marks = b"*_[]`<!&\\\n";
    let mut i = 0;
    while i < marks.len() {
        t[marks[i] as usize] = true;
        i += 1;
    }
    t
};

/// The end offsets of the parts of `body`, each part at least `chunk` bytes, the last
/// ending at `body.len()`; or the offset of the mark past [`MAX_MARKS`] in a run of
/// lines without a blank line.
pub(crate) fn ends(body: &str, chunk: usize) -> Result<Vec<usize>, usize> {
    let mut ends = Vec::new();
    let mut whole = false;
    let mut from = 0;
    let mut marks = 0usize;
    let mut after_blank = false;
    let mut pos = 0;
    for line in body.split_inclusive('\n') {
        // CommonMark's blank line: spaces and tabs only (a form feed is text).
        let blank = line
            .bytes()
            .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
        if blank {
            marks = 0;
        } else {
            let in_line = line.bytes().filter(|&b| MARK[usize::from(b)]).count();
            if marks + in_line > MAX_MARKS {
                // The mark that crossed the limit.
                let nth = MAX_MARKS - marks;
                let at = line
                    .bytes()
                    .enumerate()
                    .filter(|&(_, b)| MARK[usize::from(b)]);
                return Err(pos + at.map(|(i, _)| i).nth(nth).unwrap_or(0));
            }
            marks += in_line;
            whole = whole || holds_across_blank_lines(line);
            if !whole && after_blank && pos - from >= chunk && may_start_part(line) {
                ends.push(pos);
                from = pos;
            }
        }
        after_blank = blank;
        pos += line.len();
    }
    if whole {
        ends.clear();
    }
    ends.push(body.len());
    Ok(ends)
}

/// A line at column 0 that starts a block of its own whatever came before.
fn may_start_part(line: &str) -> bool {
    let b = line.as_bytes();
    match b.first() {
        None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'>') => false,
        Some(_) => list_marker(line).is_none(),
    }
}

/// The length of a list item's marker (`- `, `* `, `+ `, `12. `, `3) `) at the start.
fn list_marker(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    let after = match b.first()? {
        b'-' | b'+' | b'*' => 1,
        b'0'..=b'9' => {
            let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
            if digits > 9 || !matches!(b.get(digits), Some(b'.' | b')')) {
                return None;
            }
            digits + 1
        }
        _ => return None,
    };
    match b.get(after) {
        None | Some(b' ' | b'\t' | b'\n' | b'\r') => Some(after),
        Some(_) => None,
    }
}

/// Whether the line, inside whatever quotes and list items, could open a fence, an
/// HTML block that ends at a marker rather than at a blank line, or a link reference
/// definition.
fn holds_across_blank_lines(line: &str) -> bool {
    let mut rest = line;
    loop {
        rest = rest.trim_start_matches([' ', '\t']);
        if let Some(r) = rest.strip_prefix('>') {
            rest = r;
        } else if let Some(n) = list_marker(rest) {
            rest = &rest[n..];
        } else {
            break;
        }
    }
    if rest.starts_with("```") || rest.starts_with("~~~") {
        return true;
    }
    if rest.starts_with('[') {
        // `[label]: url`, or a label that goes on on the next line.
        return rest.contains("]:") || !rest.contains(']');
    }
    let Some(tag) = rest.strip_prefix('<') else {
        return false;
    };
    if tag.starts_with(['!', '?']) {
        return true;
    }
    let name: String = tag
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    matches!(name.as_str(), "script" | "pre" | "style" | "textarea")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turns(n: usize) -> String {
        (0..n)
            .map(|i| format!("**Q:** question {i}\n\n**A:** answer {i}\n\n"))
            .collect()
    }

    #[test]
    fn a_long_body_is_cut_before_labels_after_blank_lines() {
        let body = turns(20_000);
        let ends = ends(&body, CHUNK).unwrap();
        assert!(ends.len() > 5, "{}", ends.len());
        assert_eq!(ends.last(), Some(&body.len()));
        let mut from = 0;
        for &e in &ends[..ends.len() - 1] {
            assert!(e - from >= CHUNK);
            assert!(body[..e].ends_with("\n\n"));
            assert!(body[e..].starts_with("**"));
            from = e;
        }
    }

    #[test]
    fn a_short_body_is_one_part() {
        let body = "**Q:** a\n\n**A:** b\n";
        assert_eq!(ends(body, CHUNK), Ok(vec![body.len()]));
    }

    #[test]
    fn never_before_a_list_item_or_a_quote() {
        let mut body = "x".repeat(CHUNK) + "\n\n";
        for start in [
            "- item",
            "* item",
            "+ item",
            "12. item",
            "3) item",
            "> quote",
            "  indented",
            "-\n",
        ] {
            let b = format!("{body}{start}\n");
            assert_eq!(ends(&b, CHUNK), Ok(vec![b.len()]), "{start:?}");
        }
        body.push_str("**Q:** a\n");
        assert_eq!(ends(&body, CHUNK).unwrap().len(), 2);
        for start in ["-x", "*emphasis*", "1x. y", "+1"] {
            let b = format!("{}\n\n{start}\n", "x".repeat(CHUNK));
            assert_eq!(ends(&b, CHUNK).unwrap().len(), 2, "{start:?}");
        }
    }

    #[test]
    fn fences_html_blocks_and_reference_definitions_keep_the_body_whole() {
        for line in [
            "```",
            "~~~ text",
            "> - ```",
            "<pre>",
            "<SCRIPT type=x>",
            "<!-- note",
            "<?php",
            "<![CDATA[",
            "[ref]: https://example.org",
            "> [long",
        ] {
            let body = format!("{line}\n\n{}\n\n**Q:** a\n", turns(2_000));
            assert_eq!(ends(&body, CHUNK), Ok(vec![body.len()]), "{line:?}");
        }
        let notes = format!("[laughs] a\n\n{}", turns(2_000));
        assert!(ends(&notes, CHUNK).unwrap().len() > 1);
    }

    #[test]
    fn too_many_marks_without_a_blank_line_are_refused_where_the_limit_is_crossed() {
        let body = format!("**Q:** a\n\n**A:** {}", "[*".repeat(MAX_MARKS));
        let at = ends(&body, CHUNK).unwrap_err();
        // The marks before this one: the `**A:**`'s four and the run of pairs.
        assert_eq!(at, 10 + 7 + (MAX_MARKS - 4));
        let lines = "a\n".repeat(MAX_MARKS + 1);
        assert_eq!(ends(&lines, CHUNK), Err(2 * MAX_MARKS + 1));
        let paragraphs = "a [b] *c*\n\n".repeat(MAX_MARKS);
        assert!(ends(&paragraphs, CHUNK).is_ok());
    }
}
