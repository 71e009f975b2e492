//! Writing plain text.

use std::fmt::Write as _;

use textwrap::{WordSeparator, WordSplitter};
use unicode_width::UnicodeWidthStr;
use verbatim_model::{Block, Inline, Labels, Role, Section, Transcript, Turn, brackets};

/// Options for the plain-text writer.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TextOptions {
    /// Wrap lines to this many columns (display width); 0 writes each paragraph on one line.
    pub width: usize,
    /// Indentation of a turn's wrapped lines and continuation paragraphs.
    pub indent: usize,
    /// Print each turn's start time before the speaker's name. Default true.
    pub timestamps: bool,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            width: 72,
            indent: 4,
            timestamps: true,
        }
    }
}

/// The plain text of a transcript.
pub fn to_string(t: &Transcript, opts: &TextOptions) -> String {
    // Without a sink nothing can fail.
    write_into(t, opts, None).unwrap_or_default()
}

/// Writes the text, handing it to `sink` a block at a time once a chunk has filled,
/// so a long transcript is never whole in memory; gives back what is left.
pub(crate) fn write_into<'a>(
    t: &'a Transcript,
    opts: &'a TextOptions,
    sink: Option<&'a mut dyn std::io::Write>,
) -> std::io::Result<String> {
    let mut w = Writer {
        t,
        opts,
        out: String::with_capacity(if sink.is_some() { CHUNK + CHUNK / 4 } else { 0 }),
        sink,
    };
    w.title_block();
    w.blocks(&t.body, 1)?;
    w.out.truncate(w.out.trim_end().len());
    w.out.push('\n');
    Ok(w.out)
}

/// How much text is gathered before it goes to the sink.
const CHUNK: usize = 1 << 16;

struct Writer<'a> {
    t: &'a Transcript,
    opts: &'a TextOptions,
    out: String,
    /// Where full chunks go; without one the whole text stays in `out`.
    sink: Option<&'a mut dyn std::io::Write>,
}

impl Writer<'_> {
    /// Hands a full chunk to the sink, keeping back trailing white space: the text
    /// ends trimmed, and only what follows tells whether this is its end.
    fn spill(&mut self) -> std::io::Result<()> {
        if let Some(sink) = self.sink.as_mut()
            && self.out.len() >= CHUNK
        {
            let kept = self.out.trim_end().len();
            sink.write_all(&self.out.as_bytes()[..kept])?;
            self.out.drain(..kept);
        }
        Ok(())
    }

    fn title_block(&mut self) {
        let m = &self.t.metadata;
        if let Some(title) = &m.title {
            self.underlined(title, '=');
        }
        if let Some(sub) = &m.subtitle {
            self.para(sub, "", "");
        }
        // Field names in the transcript's language, which the text reader knows too; the
        // date stays YYYY-MM-DD, a value it reads back whatever the language.
        let l = Labels::for_transcript(m.language.as_ref());
        let mut fields: Vec<(String, String)> = Vec::new();
        for role in [Role::Interviewer, Role::Interviewee, Role::Other] {
            for p in self.t.with_role(role) {
                fields.push((l.role(role).to_string(), format!("{} ({})", p.name, p.id)));
            }
        }
        let opt = |k: &str, v: &Option<String>| v.as_ref().map(|v| (k.to_string(), v.clone()));
        fields.extend(
            [
                opt(l.date, &m.date.map(|d| d.to_string())),
                opt(l.place, &m.place),
                opt(
                    l.language_field,
                    &m.language.as_ref().map(ToString::to_string),
                ),
                opt(l.publisher, &m.publisher),
                opt(l.source, &m.source_url),
                opt(l.rights, &m.rights),
                opt(l.identifier, &m.identifier),
            ]
            .into_iter()
            .flatten(),
        );
        if !m.keywords.is_empty() {
            fields.push((l.keywords.into(), m.keywords.join("; ")));
        }
        let key_width = fields.iter().map(|(k, _)| k.width() + 1).max().unwrap_or(0) + 2;
        for (k, v) in &fields {
            let label = format!("{k}:");
            let first = format!("{label}{}", " ".repeat(key_width - label.width()));
            let rest = " ".repeat(key_width);
            self.lines(v, &first, &rest);
        }
        if !fields.is_empty() {
            self.out.push('\n');
        }
        if let Some(d) = &m.description {
            self.para(d, "", "");
        }
    }

    fn blocks(&mut self, blocks: &[Block], depth: usize) -> std::io::Result<()> {
        for b in blocks {
            match b {
                Block::Section(s) => self.section(s, depth)?,
                Block::Paragraph(p) => self.para(&inline_text(&p.content), "", ""),
                Block::Turn(turn) => self.turn(turn),
            }
            self.spill()?;
        }
        Ok(())
    }

    fn section(&mut self, s: &Section, depth: usize) -> std::io::Result<()> {
        let underline = match depth {
            1 => '-',
            2 => '~',
            _ => '.',
        };
        self.underlined(&inline_text(&s.heading), underline);
        self.blocks(&s.blocks, depth + 1)
    }

    fn turn(&mut self, turn: &Turn) {
        let indent = " ".repeat(self.opts.indent);
        let mut label = String::new();
        if let Some(ts) = turn.start.filter(|_| self.opts.timestamps) {
            let _ = write!(label, "[{}] ", ts.clock());
        }
        let _ = write!(label, "{}:", self.t.voices_label(turn));
        for (i, p) in turn.paragraphs.iter().enumerate() {
            let text = inline_text(p);
            if i == 0 {
                self.para(&format!("{label} {text}"), "", &indent);
            } else {
                self.para(&text, &indent, &indent);
            }
        }
    }

    fn underlined(&mut self, text: &str, c: char) {
        let text = one_line(text);
        let width = text.width().max(1);
        let _ = writeln!(self.out, "{text}\n{}\n", c.to_string().repeat(width));
    }

    fn para(&mut self, text: &str, first: &str, rest: &str) {
        self.lines(text, first, rest);
        self.out.push('\n');
    }

    fn lines(&mut self, text: &str, first: &str, rest: &str) {
        let text = one_line(text);
        if self.opts.width == 0 {
            let _ = writeln!(self.out, "{first}{text}");
            return;
        }
        let options = textwrap::Options::new(self.opts.width)
            .initial_indent(first)
            .subsequent_indent(rest)
            .break_words(false)
            .word_separator(WordSeparator::Custom(find_words))
            // First fit, as fmt and most tools wrap; optimal fit cost a third of the time.
            .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit)
            .word_splitter(WordSplitter::NoHyphenation);
        for line in textwrap::wrap(&text, options) {
            self.out.push_str(line.trim_end());
            self.out.push('\n');
        }
    }
}

/// Words for wrapping: break opportunities by the Unicode line-breaking rules,
/// except inside URLs, which must survive a copy and paste whole.
fn find_words<'a>(line: &'a str) -> Box<dyn Iterator<Item = textwrap::core::Word<'a>> + 'a> {
    Box::new(WordSeparator::AsciiSpace.find_words(line).flat_map(|word| {
        let w = word.word;
        // Most words have no break opportunity inside; only the others need the
        // Unicode rules (hyphens, dashes, slashes, CJK), and URLs never.
        let simple = w
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".,;:!?'\"()[]".contains(&b));
        if simple || w.contains("://") || w.starts_with("www.") {
            return Pieces::One(std::iter::once(word));
        }
        // Re-attach the original trailing whitespace to the last piece.
        let mut pieces: Vec<_> = WordSeparator::UnicodeBreakProperties
            .find_words(w)
            .collect();
        if let Some(last) = pieces.last_mut() {
            *last = textwrap::core::Word::from(
                &line[offset_in(line, last.word)
                    ..offset_in(line, w) + w.len() + word.whitespace.len()],
            );
        }
        Pieces::Many(pieces.into_iter())
    }))
}

/// The words of one space-separated word: itself, or its Unicode pieces.
enum Pieces<'a> {
    One(std::iter::Once<textwrap::core::Word<'a>>),
    Many(std::vec::IntoIter<textwrap::core::Word<'a>>),
}

impl<'a> Iterator for Pieces<'a> {
    type Item = textwrap::core::Word<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Pieces::One(i) => i.next(),
            Pieces::Many(i) => i.next(),
        }
    }
}

fn offset_in(outer: &str, inner: &str) -> usize {
    inner.as_ptr() as usize - outer.as_ptr() as usize
}

/// Collapses runs of whitespace so wrapping sees one line of words.
fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(['\n', '\t', ' ']).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Inline content as text: notes as `[text—ID]`, markers as `[laughs]`,
/// links as `text <url>` unless the text is the URL.
fn inline_text(list: &[Inline]) -> String {
    let mut s = String::new();
    push_inline(list, &mut s);
    s
}

fn push_inline(list: &[Inline], s: &mut String) {
    for i in list {
        match i {
            Inline::Text { text } => s.push_str(text),
            Inline::Emphasis { content } | Inline::Strong { content } => push_inline(content, s),
            Inline::Link { target, content } => {
                let before = s.len();
                push_inline(content, s);
                if s[before..] != *target {
                    let _ = write!(s, " <{target}>");
                }
            }
            Inline::Note { resp, content } => {
                s.push(brackets::OPEN);
                push_inline(content, s);
                if let Some(r) = resp {
                    s.push_str(&brackets::signature(r));
                }
                s.push(brackets::CLOSE);
            }
            Inline::Marker { desc, .. } => s.push_str(&brackets::marker(desc)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use verbatim_model::{Metadata, Participant};

    /// Counts the writes it gets.
    struct Counting(Vec<u8>, usize);

    impl std::io::Write for Counting {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.1 += 1;
            self.0.extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_long_transcript_is_streamed_in_chunks_as_it_would_be_whole() {
        // Turns of one space-ended paragraph each, so that chunks end in white space the
        // whole text would have trimmed only at its very end.
        let turns = (0..20_000)
            .map(|i| {
                Block::Turn(Turn::new(
                    "A",
                    vec![vec![Inline::text(format!("turn {i} "))]],
                ))
            })
            .collect();
        let t = Transcript::new(
            Metadata::default(),
            vec![Participant::new("A", "Ann", Role::Interviewee)],
            turns,
        )
        .unwrap();
        let opts = TextOptions::default();
        let mut sink = Counting(Vec::new(), 0);
        let rest = write_into(&t, &opts, Some(&mut sink)).unwrap();
        assert!(sink.1 > 2, "{} writes: the text was not streamed", sink.1);
        assert!(rest.len() < 2 * CHUNK, "{} bytes held back", rest.len());
        sink.0.extend_from_slice(rest.as_bytes());
        assert_eq!(String::from_utf8(sink.0).unwrap(), to_string(&t, &opts));
    }

    fn transcript(text: &str) -> Transcript {
        Transcript::new(
            Metadata::default(),
            vec![Participant::new("A", "Ann", Role::Interviewee)],
            vec![Block::Turn(Turn::new(
                "A",
                vec![vec![Inline::text(text)], vec![Inline::text(text)]],
            ))],
        )
        .unwrap()
    }

    #[test]
    fn wraps_with_hanging_indent_and_never_splits_urls() {
        let url =
            "https://example.org/a-very-long-path/that-is-longer-than-the-line-width-of-thirty";
        let t = transcript(&format!("see {url} and more words here"));
        let opts = TextOptions {
            width: 30,
            ..TextOptions::default()
        };
        let out = to_string(&t, &opts);
        assert!(out.lines().any(|l| l.trim() == url), "{out}");
        assert!(
            out.starts_with("Interviewee:  Ann (A)\n\nAnn: see\n    https://"),
            "{out}"
        );
        for line in out.lines().filter(|l| !l.contains(url)) {
            assert!(line.width() <= 30, "{line:?}");
        }
    }

    #[test]
    fn measures_wide_and_combining_characters() {
        // Each CJK character is two columns; combining marks are none.
        let t = transcript("日本語の文章を書きます。日本語の文章を書きます。 e\u{301}te\u{301}");
        let opts = TextOptions {
            width: 20,
            ..TextOptions::default()
        };
        let out = to_string(&t, &opts);
        for line in out.lines() {
            assert!(line.width() <= 20, "{line:?} in {out}");
        }
        assert!(out.contains("e\u{301}te\u{301}"));
    }

    #[test]
    fn width_zero_keeps_paragraphs_on_one_line() {
        let t = transcript(&"word ".repeat(50));
        let opts = TextOptions {
            width: 0,
            ..TextOptions::default()
        };
        let out = to_string(&t, &opts);
        assert_eq!(out.lines().filter(|l| !l.is_empty()).count(), 3);
    }
}
