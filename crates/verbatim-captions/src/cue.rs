//! Caption files → cues with speaker segments and inline content.

use verbatim_labels::label::LabelKind;
use verbatim_model::{Code, Diagnostic, Inline, Timestamp};

use crate::{Error, ErrorKind, line_label};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavour {
    Vtt,
    Srt,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Speaker {
    /// A WebVTT voice tag.
    Voice(String),
    /// A label at the start of a line.
    Label(String, LabelKind),
}

/// Part of a cue said by one speaker (or by whoever spoke before).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Segment {
    pub speaker: Option<Speaker>,
    pub paragraphs: Vec<Vec<Inline>>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cue {
    /// Line of the timing line.
    pub line: usize,
    pub start: Timestamp,
    pub segments: Vec<Segment>,
}

type Parsed = (Vec<Cue>, Vec<(String, String)>, Vec<Diagnostic>);

pub(crate) fn parse(src: &str, flavour: Flavour) -> Result<Parsed, Error> {
    let src = src.strip_prefix('\u{FEFF}').unwrap_or(src);
    let lines: Vec<(usize, &str)> = src
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .collect();
    let mut header = Vec::new();
    let mut warnings = Vec::new();
    let mut i = 0;
    if flavour == Flavour::Vtt
        && let Some((_, first)) = lines.first()
        && first
            .strip_prefix("WEBVTT")
            .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
    {
        i = 1;
        while let Some((_, l)) = lines.get(i) {
            if l.trim().is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                header.push((k.trim().to_string(), v.trim().to_string()));
            }
            i += 1;
        }
    }
    let mut cues = Vec::new();
    while i < lines.len() {
        if lines[i].1.trim().is_empty() {
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && !lines[i].1.trim().is_empty() {
            i += 1;
        }
        let block = &lines[start..i];
        if let Some(cue) = block_cue(block, flavour, &mut warnings)? {
            cues.push(cue);
        }
    }
    Ok((cues, header, warnings))
}

fn block_cue(
    block: &[(usize, &str)],
    flavour: Flavour,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Option<Cue>, Error> {
    let (first_no, first) = block[0];
    let keyword = |k: &str| {
        first
            .strip_prefix(k)
            .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
    };
    if flavour == Flavour::Vtt && (keyword("NOTE") || keyword("STYLE") || keyword("REGION")) {
        return Ok(None);
    }
    let timing_at = block.iter().take(2).position(|(_, l)| l.contains("-->"));
    let Some(t) = timing_at else {
        // A line that starts like a time was meant to be one.
        let looks_timed =
            |l: &str| l.trim_start().starts_with(|c: char| c.is_ascii_digit()) && l.contains(':');
        let candidate = if first.trim().bytes().all(|b| b.is_ascii_digit()) {
            block.get(1)
        } else {
            Some(&block[0])
        };
        if let Some((n, l)) = candidate
            && looks_timed(l)
        {
            return Err(Error {
                line: *n,
                column: 1 + l.chars().take_while(|c| c.is_whitespace()).count(),
                kind: ErrorKind::BadTiming(verbatim_labels::names::excerpt(l, 60)),
            });
        }
        let text = verbatim_labels::names::excerpt(first, 60);
        warnings.push(Diagnostic::warning(
            Code::TextDropped,
            first_no,
            1,
            format!("text outside a cue ignored: \"{text}\""),
        ));
        return Ok(None);
    };
    let (line_no, timing_line) = block[t];
    let start = timing(timing_line, line_no)?;
    let payload = &block[t + 1..];
    let segments = payload_segments(payload, flavour);
    Ok(Some(Cue {
        line: line_no,
        start,
        segments,
    }))
}

/// Reads `start --> end [settings]`; returns the start.
fn timing(line: &str, line_no: usize) -> Result<Timestamp, Error> {
    let arrow = line.find("-->").unwrap_or(line.len());
    let left = &line[..arrow];
    let right = line.get(arrow + 3..).unwrap_or_default();
    let col_of = |byte: usize| line[..byte].chars().count() + 1;
    let start_tok = left.trim();
    let start_at = left.len() - left.trim_start().len();
    let parse = |tok: &str, at: usize| -> Result<Timestamp, Error> {
        tok.parse::<Timestamp>().map_err(|_| Error {
            line: line_no,
            column: col_of(at),
            kind: ErrorKind::BadTime(verbatim_labels::names::excerpt(tok, 40)),
        })
    };
    let start = parse(start_tok, start_at)?;
    let end_at = arrow + 3 + (right.len() - right.trim_start().len());
    let end_tok = right.split_whitespace().next().unwrap_or_default();
    parse(end_tok, end_at.min(line.len()))?;
    Ok(start)
}

const MAX_NESTING: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    Emphasis,
    Strong,
}

/// Builds speaker segments from cue payload lines.
#[derive(Default)]
struct Builder {
    segments: Vec<Segment>,
    stack: Vec<(Frame, Vec<Inline>)>,
    top: Vec<Inline>,
    /// A `<br>` was the last thing seen (whitespace aside).
    after_br: bool,
    /// Inside `<rt>`, whose text is a reading aid, not words.
    in_rt: bool,
}

impl Builder {
    fn text(&mut self, s: &str) {
        if self.in_rt || s.is_empty() {
            return;
        }
        if !s.trim().is_empty() {
            self.after_br = false;
        }
        match self.top.last_mut() {
            Some(Inline::Text { text }) => text.push_str(s),
            _ => self.top.push(Inline::text(s)),
        }
    }

    fn open(&mut self, f: Frame) {
        // Deeper nesting than any caption needs would only exhaust the stack later.
        if self.stack.len() >= MAX_NESTING {
            return;
        }
        let outer = std::mem::take(&mut self.top);
        self.stack.push((f, outer));
    }

    fn close(&mut self, f: Frame) {
        if !self.stack.iter().any(|(g, _)| *g == f) {
            return;
        }
        while let Some((g, outer)) = self.stack.pop() {
            let content = std::mem::replace(&mut self.top, outer);
            if !content.is_empty() {
                self.top.push(match g {
                    Frame::Emphasis => Inline::Emphasis { content },
                    Frame::Strong => Inline::Strong { content },
                });
            }
            if g == f {
                break;
            }
        }
    }

    fn close_all(&mut self) {
        while let Some((f, _)) = self.stack.last() {
            let f = *f;
            self.close(f);
        }
    }

    fn end_paragraph(&mut self) {
        self.close_all();
        let p = std::mem::take(&mut self.top);
        if self.segments.is_empty() {
            self.segments.push(Segment {
                speaker: None,
                paragraphs: Vec::new(),
            });
        }
        if let Some(s) = self.segments.last_mut() {
            s.paragraphs.push(p);
        }
    }

    fn segment(&mut self, speaker: Speaker) {
        if !self.top.is_empty() || !self.stack.is_empty() {
            self.end_paragraph();
        }
        self.segments.push(Segment {
            speaker: Some(speaker),
            paragraphs: Vec::new(),
        });
        self.after_br = false;
    }

    fn br(&mut self) {
        if self.after_br {
            // `<br><br>`: a paragraph break. The first `<br>` left a space.
            if let Some(Inline::Text { text }) = self.top.last_mut() {
                let t = text.trim_end().to_string();
                *text = t;
            }
            self.end_paragraph();
            self.after_br = false;
        } else {
            self.text(" ");
            self.after_br = true;
        }
    }

    fn tag(&mut self, tag: &str) {
        let tag = tag.trim();
        let (name, rest) = match tag.find(|c: char| c.is_whitespace()) {
            Some(i) => (&tag[..i], tag[i..].trim()),
            None => (tag, ""),
        };
        let base = name
            .split('.')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match base.as_str() {
            "v" if !rest.is_empty() => self.segment(Speaker::Voice(rest.to_string())),
            "i" => self.open(Frame::Emphasis),
            "/i" => self.close(Frame::Emphasis),
            "b" => self.open(Frame::Strong),
            "/b" => self.close(Frame::Strong),
            "br" | "br/" => self.br(),
            "rt" => self.in_rt = true,
            "/rt" => self.in_rt = false,
            // Voices end, classes, underline, ruby, language spans, fonts,
            // timestamps: the text inside is kept as it is.
            _ => {}
        }
    }

    fn finish(mut self) -> Vec<Segment> {
        if !self.top.is_empty() || !self.stack.is_empty() {
            self.end_paragraph();
        }
        let mut out: Vec<Segment> = Vec::new();
        for mut s in self.segments {
            s.paragraphs
                .retain(|p| !verbatim_model::plain_text(p).trim().is_empty());
            if !s.paragraphs.is_empty() {
                out.push(s);
            }
        }
        out
    }
}

fn payload_segments(payload: &[(usize, &str)], flavour: Flavour) -> Vec<Segment> {
    let mut b = Builder::default();
    for (i, (_, raw)) in payload.iter().enumerate() {
        let line = if flavour == Flavour::Srt {
            strip_ass(raw)
        } else {
            (*raw).to_string()
        };
        let mut rest = line.as_str();
        if !starts_with_voice(rest)
            && let Some((label, kind, at)) = visible_label(rest)
        {
            b.segment(Speaker::Label(label, kind));
            rest = &rest[at..];
        } else if i > 0 {
            b.text(" ");
        }
        markup(&mut b, rest);
    }
    b.finish()
}

fn starts_with_voice(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("<v ") || t.starts_with("<v.") || t.starts_with("<v\t")
}

/// A label in the visible text of a line (tags skipped, as in
/// `<font color="red">Q:</font> Hello`); returns where the rest starts in the
/// line. Formatting opened before the label is dropped with it.
fn visible_label(line: &str) -> Option<(String, LabelKind, usize)> {
    let mut visible = String::new();
    // For each byte of `visible`, the line offset just after it.
    let mut ends: Vec<usize> = Vec::new();
    let mut rest = line;
    let mut pos = 0;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(close) = rest.find('>')
        {
            rest = &rest[close + 1..];
            pos += close + 1;
            continue;
        }
        let len = c.len_utf8();
        visible.push(c);
        ends.extend(std::iter::repeat_n(pos + len, len));
        rest = &rest[len..];
        pos += len;
    }
    let (label, kind, n) = line_label(&visible)?;
    let mut at = if n == 0 { 0 } else { ends.get(n - 1).copied()? };
    // Closing tags right after the label belong to it.
    while let Some(tail) = line[at..].strip_prefix("</") {
        match tail.find('>') {
            Some(close) => at += 2 + close + 1,
            None => break,
        }
    }
    let spaces = line[at..].len() - line[at..].trim_start().len();
    Some((label, kind, at + spaces))
}

/// Applies the tags and entities of one line of cue text.
fn markup(b: &mut Builder, line: &str) {
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(tail) = rest.strip_prefix('<')
            && let Some(close) = tail.find('>')
        {
            b.tag(&tail[..close]);
            rest = &tail[close + 1..];
            continue;
        }
        let skip = rest.chars().next().map_or(1, char::len_utf8);
        let next = rest[skip..].find('<').map_or(rest.len(), |i| i + skip);
        b.text(&entities(&rest[..next]));
        rest = &rest[next..];
    }
}

/// Drops SSA/ASS override codes such as `{\an8}` that SRT files carry.
fn strip_ass(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find("{\\") {
        out.push_str(&rest[..open]);
        match rest[open..].find('}') {
            Some(close) => rest = &rest[open + close + 1..],
            None => {
                rest = &rest[open..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decodes the character references captions use.
fn entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest.find(';').filter(|&i| i <= 10);
        let decoded = semi.and_then(|i| {
            let name = &rest[1..i];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{A0}'),
                "lrm" => Some('\u{200E}'),
                "rlm" => Some('\u{200F}'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, i + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(lines: &[&str]) -> Vec<Segment> {
        let payload: Vec<(usize, &str)> =
            lines.iter().enumerate().map(|(i, l)| (i + 1, *l)).collect();
        payload_segments(&payload, Flavour::Vtt)
    }

    #[test]
    fn voices_styles_and_breaks() {
        let s =
            segs(&["<v.loud Esme Johnson>It’s a <i>blue</i> <c.x>apple</c> tree!<00:00:01.000>"]);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].speaker, Some(Speaker::Voice("Esme Johnson".into())));
        assert_eq!(
            s[0].paragraphs[0],
            vec![
                Inline::text("It’s a "),
                Inline::Emphasis {
                    content: vec![Inline::text("blue")]
                },
                Inline::text(" apple tree!")
            ]
        );
        let s = segs(&["One<br><br>Two <b>bold", "next</b> line<br>same"]);
        assert_eq!(s[0].paragraphs.len(), 2);
        assert_eq!(s[0].paragraphs[0], vec![Inline::text("One")]);
        assert_eq!(
            verbatim_model::plain_text(&s[0].paragraphs[1]),
            "Two bold next line same"
        );
        let s = segs(&["<v Mary>Why?</v>", "<v Doug>Because</v>"]);
        assert_eq!(s.len(), 2);
        let s = segs(&["<ruby>漢<rt>kan</rt></ruby> &amp; &lt;3 &#x41; &bogus; & x"]);
        assert_eq!(
            verbatim_model::plain_text(&s[0].paragraphs[0]),
            "漢 & <3 A &bogus; & x"
        );
    }

    #[test]
    fn text_labels_and_ass_codes() {
        let p: Vec<(usize, &str)> = vec![(1, "{\\an8}- ANN LEE: Hello"), (2, "- Bo: Hi")];
        let s = payload_segments(&p, Flavour::Srt);
        assert_eq!(s.len(), 2);
        assert_eq!(
            s[0].speaker,
            Some(Speaker::Label("ANN LEE".into(), LabelKind::UpperName))
        );
        assert_eq!(s[0].paragraphs[0], vec![Inline::text("Hello")]);
    }

    #[test]
    fn timing_errors_have_positions() {
        let e = timing("00:00:01.000 --> 00:0x:02.000", 7).unwrap_err();
        assert_eq!((e.line, e.column), (7, 18));
        let e = timing("  1:2:3 --> 00:00:02.000", 3).unwrap_err();
        assert_eq!((e.line, e.column), (3, 3));
        assert_eq!(
            timing("00:01.500 --> 00:02.000 align:left", 1)
                .unwrap()
                .millis(),
            1500
        );
    }
}
