//! Caption files → cues: where cues begin and end (the WebVTT parsing algorithm, SRT
//! blocks), and the times each cue gives.

use verbatim_model::{Code, Diagnostic, Timestamp};

use super::{Error, ErrorKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavour {
    Vtt,
    Srt,
}

/// One cue: its times and its text lines, as written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cue {
    /// Line of the timing line.
    pub line: usize,
    pub start: Timestamp,
    pub end: Timestamp,
    /// The payload lines with their line numbers.
    pub text: Vec<(usize, String)>,
}

/// The cues, the WebVTT header's `Key: value` lines, and warnings.
pub(crate) type Cues = (Vec<Cue>, Vec<(String, String)>, Vec<Diagnostic>);

/// Splits a caption file into cues. As the WebVTT parser does, a line holding `-->`
/// starts a cue even without a blank line before it (youtube-dl writes such files), and
/// only an empty line ends one (a line of spaces is text). In SRT a number line followed
/// by a timing line starts a cue as well.
pub(crate) fn parse(src: &str, flavour: Flavour) -> Result<Cues, Error> {
    let src = src.strip_prefix('\u{FEFF}').unwrap_or(src);
    let lines: Vec<(usize, &str)> = src
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .collect();
    let arrow = |i: usize| lines.get(i).is_some_and(|(_, l)| l.contains("-->"));
    let blank = |i: usize| lines.get(i).is_none_or(|(_, l)| l.is_empty());
    let number = |i: usize| {
        lines.get(i).is_some_and(|(_, l)| {
            !l.trim().is_empty() && l.trim().bytes().all(|b| b.is_ascii_digit())
        })
    };
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
        while !blank(i) && !arrow(i) {
            if let Some((k, v)) = lines[i].1.split_once(':') {
                header.push((k.trim().to_string(), v.trim().to_string()));
            }
            i += 1;
        }
    }
    let mut cues: Vec<Cue> = Vec::new();
    while i < lines.len() {
        if lines[i].1.trim().is_empty() {
            i += 1;
            continue;
        }
        let timing_at = if arrow(i) {
            i
        } else if arrow(i + 1) && !keyword_block(lines[i].1, flavour) {
            i + 1
        } else {
            let end = (i..lines.len()).find(|&j| blank(j)).unwrap_or(lines.len());
            skip_block(&lines[i..end], flavour, &mut warnings)?;
            i = end;
            continue;
        };
        let (line_no, timing_line) = lines[timing_at];
        let (start, mut end) = timing(timing_line, line_no)?;
        if end < start {
            warnings.push(Diagnostic::warning(
                Code::TimeInvalid,
                line_no,
                1,
                format!("the cue ends at {end}, before it starts at {start}: its end is left out"),
            ));
            end = start;
        }
        if let Some(prev) = cues.last().filter(|c| c.start > start) {
            warnings.push(Diagnostic::warning(
                Code::TimeInvalid,
                line_no,
                1,
                format!(
                    "the cue starts at {start}, before the cue before it ({}): the cues are read in the file's order",
                    prev.start
                ),
            ));
        }
        let mut j = timing_at + 1;
        let mut text = Vec::new();
        while j < lines.len() && !blank(j) && !arrow(j) {
            if flavour == Flavour::Srt && number(j) && arrow(j + 1) {
                break;
            }
            text.push((lines[j].0, lines[j].1.to_string()));
            j += 1;
        }
        text.shrink_to_fit();
        cues.push(Cue {
            line: line_no,
            start,
            end,
            text,
        });
        i = j;
    }
    Ok((cues, header, warnings))
}

fn keyword_block(first: &str, flavour: Flavour) -> bool {
    let keyword = |k: &str| {
        first
            .strip_prefix(k)
            .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
    };
    flavour == Flavour::Vtt && (keyword("NOTE") || keyword("STYLE") || keyword("REGION"))
}

/// A block that is not a cue: `NOTE`, `STYLE` and `REGION` are skipped; a line that
/// starts like a time was meant to be a timing line (an error); other text is dropped
/// with a warning.
fn skip_block(
    block: &[(usize, &str)],
    flavour: Flavour,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(), Error> {
    let Some(&(first_no, first)) = block.first() else {
        return Ok(());
    };
    if keyword_block(first, flavour) {
        return Ok(());
    }
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
            kind: ErrorKind::BadTiming(crate::names::excerpt(l, 60)),
        });
    }
    let text = crate::names::excerpt(first, 60);
    warnings.push(Diagnostic::warning(
        Code::TextDropped,
        first_no,
        1,
        format!("text outside a cue ignored: \"{text}\""),
    ));
    Ok(())
}

/// Reads `start --> end [settings]`.
fn timing(line: &str, line_no: usize) -> Result<(Timestamp, Timestamp), Error> {
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
            kind: ErrorKind::BadTime(crate::names::excerpt(tok, 40)),
        })
    };
    let start = parse(start_tok, start_at)?;
    let end_at = arrow + 3 + (right.len() - right.trim_start().len());
    let end_tok = right.split_whitespace().next().unwrap_or_default();
    let end = parse(end_tok, end_at.min(line.len()))?;
    Ok((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timing_errors_have_positions() {
        let e = timing("00:00:01.000 --> 00:0x:02.000", 7).unwrap_err();
        assert_eq!((e.line, e.column), (7, 18));
        let e = timing("  1:2:3 --> 00:00:02.000", 3).unwrap_err();
        assert_eq!((e.line, e.column), (3, 3));
        let (s, e) = timing("00:01.500 --> 00:02.000 align:left", 1).unwrap();
        assert_eq!((s.millis(), e.millis()), (1500, 2000));
    }

    #[test]
    fn a_timing_line_starts_a_cue_without_a_blank_line() {
        let (cues, header, _) = parse(
            "WEBVTT\nKind: captions\n\n00:00:01.000 --> 00:00:02.000\nyeah\nwhat\n00:00:02.000 --> 00:00:03.000 align:start\n \nthis\n",
            Flavour::Vtt,
        )
        .unwrap();
        assert_eq!(header, [("Kind".to_string(), "captions".to_string())]);
        assert_eq!(cues.len(), 2);
        assert_eq!(cues[0].text.len(), 2);
        // A line of spaces does not end a cue.
        assert_eq!(
            cues[1].text,
            [(8, " ".to_string()), (9, "this".to_string())]
        );
        let (cues, _, _) = parse(
            "1\n00:00:01,000 --> 00:00:02,000\nOne\n2\n00:00:02,000 --> 00:00:03,000\nTwo\n",
            Flavour::Srt,
        )
        .unwrap();
        assert_eq!(cues.len(), 2);
        assert_eq!(cues[0].text, [(3, "One".to_string())]);
    }
}
