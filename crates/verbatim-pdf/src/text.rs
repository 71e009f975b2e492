//! Paragraph typesetting: font runs, Unicode line breaking, hyphenation in the
//! paragraph's language (Knuth–Liang patterns from `hypher`), bidi reordering
//! and justification. A word no hyphen can split is cut only when it cannot fit
//! on a line of its own.

use std::collections::VecDeque;
use std::ops::Range;

use unicode_bidi::{BidiInfo, Level};
use unicode_linebreak::{BreakOpportunity, linebreaks};

use crate::fonts::{FaceId, Faces, Glyph, Kept, Offset, Style, is_invisible};

/// A piece of styled text, the input of [`set`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Piece {
    pub text: String,
    pub style: Style,
    pub size: f32,
    /// Editorial note this piece belongs to (tagged as a `Note`).
    pub note: Option<u32>,
    /// Link this piece belongs to (an index into the document's link targets).
    pub link: Option<u32>,
    /// A URL as text: it may break after `/`, `.` and `?` and before `-`, never elsewhere.
    pub url: bool,
    /// The language of text in another script than the document's (`und-Hebr`).
    pub lang: Option<String>,
}

impl Piece {
    pub(crate) fn new(text: impl Into<String>, style: Style, size: f32) -> Self {
        Piece {
            text: text.into(),
            style,
            size,
            note: None,
            link: None,
            url: false,
            lang: None,
        }
    }
}

/// How lines sit between the edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    /// Flush at the start edge, ragged at the end.
    Start,
    /// Both edges straight, except the last line.
    Justify,
    Center,
}

/// What to set and in what shape.
#[derive(Debug, Clone)]
pub(crate) struct Shape {
    pub width: f32,
    /// Indent of the first line from the start edge.
    pub first_indent: f32,
    /// Indent of the other lines.
    pub indent: f32,
    pub align: Align,
    /// Paragraph direction; None finds it from the first strong character.
    pub rtl: Option<bool>,
    /// The language to hyphenate words in; None leaves words whole.
    pub hyphens: Option<hypher::Lang>,
}

/// A shaped run placed on a line.
#[derive(Debug, Clone)]
pub(crate) struct PlacedRun {
    /// Offset from the left edge of the text block.
    pub x: f32,
    pub face: FaceId,
    pub size: f32,
    // Boxed, not vectors: a book keeps every run until its page is drawn.
    pub text: Box<str>,
    pub glyphs: Box<[Kept]>,
    pub offsets: Box<[Offset]>,
    pub note: Option<u32>,
    pub link: Option<u32>,
    pub lang: Option<Box<str>>,
    /// Position in logical (reading) order within the paragraph.
    pub order: u32,
    /// The advance of its glyphs.
    pub width: f32,
    /// A hyphen the line break added: drawn, but not part of the text.
    pub hyphen: bool,
}

/// A set line, runs in visual order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Line {
    pub runs: Vec<PlacedRun>,
    pub width: f32,
}

impl Line {
    /// Whether the line ends inside a word, with a hyphen the line break added.
    pub(crate) fn ends_in_hyphen(&self) -> bool {
        self.runs.iter().any(|r| r.hyphen)
    }
}

/// The text of lines in reading order, as a reader gets it: lines joined by a space,
/// and a word hyphenated at a line end whole again.
pub(crate) fn lines_text(lines: &[Line]) -> String {
    let mut out = String::new();
    let mut inside_word = true;
    for l in lines {
        if !inside_word {
            out.push(' ');
        }
        inside_word = l.ends_in_hyphen();
        let mut runs: Vec<&PlacedRun> = l.runs.iter().filter(|r| !r.hyphen).collect();
        runs.sort_by_key(|r| r.order);
        out.extend(runs.iter().map(|r| &*r.text));
    }
    out
}

#[derive(Debug, Clone)]
struct Run {
    range: Range<usize>,
    piece: usize,
    face: FaceId,
    missing: bool,
    space: bool,
    level: Level,
    glyphs: Vec<Glyph>,
    width: f32,
    /// The hyphen added at a line end inside a word (its range is empty).
    hyphen: bool,
}

/// Replaces what must not reach a line: control characters become spaces
/// (line breaks inside a paragraph included), soft hyphens go.
pub(crate) fn clean(text: &str) -> String {
    text.chars()
        .filter(|&c| c != '\u{00AD}')
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// Sets a paragraph into lines.
pub(crate) fn set(faces: &Faces, pieces: &[Piece], shape: &Shape) -> Vec<Line> {
    let mut text = String::new();
    let mut piece_ranges = Vec::new();
    // Runs of spaces, within a piece or across two, print as one: a double space in a
    // source would otherwise be a double gap.
    for p in pieces {
        let start = text.len();
        let mut after_space = text.ends_with([' ', '\u{A0}']);
        for c in clean(&p.text).chars() {
            if c == ' ' && after_space {
                continue;
            }
            after_space = matches!(c, ' ' | '\u{A0}');
            text.push(c);
        }
        piece_ranges.push(start..text.len());
    }
    let trimmed_end = text.trim_end().len();
    text.truncate(trimmed_end);
    if text.trim().is_empty() {
        return Vec::new();
    }
    let default_level = shape
        .rtl
        .map(|r| if r { Level::rtl() } else { Level::ltr() });
    let bidi = BidiInfo::new(&text, default_level);
    let base_rtl = bidi.paragraphs.first().is_some_and(|p| p.level.is_rtl());
    let breaks: Vec<usize> = linebreaks(&text)
        .filter(|&(_, op)| matches!(op, BreakOpportunity::Allowed | BreakOpportunity::Mandatory))
        .map(|(i, _)| i)
        .filter(|&i| word_boundary(&text, i))
        .collect();
    // A URL too long for a line breaks at these, not wherever the line ends; shorter
    // ones stay whole, so that copying or extracting them gives them back.
    let mut url_cuts: Vec<usize> = Vec::new();
    for (p, range) in pieces.iter().zip(&piece_ranges) {
        if p.url && range.end <= text.len() {
            url_cuts.extend(url_breaks(&text[range.clone()]).map(|i| range.start + i));
        }
    }

    let hyphens = match shape.hyphens {
        Some(lang) => hyphen_points(pieces, &piece_ranges, &text, lang),
        None => Vec::new(),
    };
    let mut cuts = breaks;
    cuts.extend(&hyphens);
    cuts.sort_unstable();
    let runs = segment(faces, pieces, &piece_ranges, &text, &bidi.levels, &cuts);
    let atoms = group_atoms(faces, pieces, runs, &cuts, &hyphens);
    let justify = shape.align == Align::Justify;
    let backup = justify.then(|| atoms.clone());
    let mut lines = fill(faces, pieces, &text, atoms, shape, &url_cuts);
    // Some paragraphs cannot be justified without gaps over twice a space even with
    // hyphens (a narrow line, long words, no language); such a paragraph is broken
    // and set ragged right rather than with rivers.
    let loose = justify
        && lines[..lines.len().saturating_sub(1)]
            .iter()
            .enumerate()
            .any(|(i, runs)| too_loose(runs, available(shape, i)));
    let ragged = Shape {
        align: Align::Start,
        ..shape.clone()
    };
    let shape = match backup {
        Some(atoms) if loose => {
            lines = fill(faces, pieces, &text, atoms, &ragged, &url_cuts);
            &ragged
        }
        _ => shape,
    };
    let count = lines.len();
    lines
        .into_iter()
        .enumerate()
        .map(|(i, runs)| place(runs, i, i + 1 == count, shape, base_rtl, pieces, &text))
        .collect()
}

/// Appends shaped glyphs to a set run's, their text offsets moved by `shift`.
fn keep(kept: &mut Vec<Kept>, offsets: &mut Vec<Offset>, glyphs: &[Glyph], shift: u32) {
    for g in glyphs {
        if g.dx != 0.0 || g.dy != 0.0 {
            offsets.push((crate::fonts::offset(kept.len()), g.dx, g.dy));
        }
        kept.push(Kept {
            id: g.id,
            advance: g.advance,
            start: g.start.saturating_add(shift),
        });
    }
}

/// Whether justifying a line to `avail` would widen its spaces to over twice their width.
fn too_loose(runs: &[Run], avail: f32) -> bool {
    let end = runs.len() - runs.iter().rev().take_while(|r| r.space).count();
    let runs = &runs[..end];
    let natural: f32 = runs.iter().map(|r| r.width).sum();
    let (count, width) = runs
        .iter()
        .filter(|r| r.space)
        .flat_map(|r| &r.glyphs)
        .fold((0usize, 0.0f32), |(n, w), g| (n + 1, w + g.advance));
    count > 0 && (avail - natural) / count as f32 > width / count as f32
}

/// The shortest word that is hyphenated, in characters.
const HYPHEN_MIN_WORD: usize = 6;

/// Where words may take a hyphen at a line end: inside words of letters at least
/// [`HYPHEN_MIN_WORD`] long, two letters from the start and three from the end at
/// least (more where the language's patterns ask), never in a URL, in text marked
/// as another script, in a word of capitals (an acronym or a shouted word) or in a
/// part of a hyphenated compound.
fn hyphen_points(
    pieces: &[Piece],
    piece_ranges: &[Range<usize>],
    text: &str,
    lang: hypher::Lang,
) -> Vec<usize> {
    let (left, right) = lang.bounds();
    let (left, right) = (left.max(2), right.max(3));
    let mut points = Vec::new();
    for (p, range) in pieces.iter().zip(piece_ranges) {
        if p.url || p.lang.is_some() || range.end > text.len() {
            continue;
        }
        let part = &text[range.clone()];
        let mut word_start: Option<usize> = None;
        for (i, c) in part.char_indices().chain([(part.len(), ' ')]) {
            match (c.is_alphabetic(), word_start) {
                (true, None) => word_start = Some(i),
                (false, Some(start)) => {
                    word_start = None;
                    let word = &part[start..i];
                    // A part of a compound is broken at its own hyphen only.
                    let joined = |c: Option<char>| {
                        c.is_some_and(|c| matches!(c, '-' | '\u{2010}' | '\u{2011}'))
                    };
                    if joined(part[..start].chars().next_back())
                        || joined(part[i..].chars().next())
                        || word.chars().count() < HYPHEN_MIN_WORD
                        || !word.chars().any(char::is_lowercase)
                    {
                        continue;
                    }
                    let mut at = range.start + start;
                    let mut syllables =
                        hypher::hyphenate_bounded(word, lang, left, right).peekable();
                    while let Some(s) = syllables.next() {
                        at += s.len();
                        if syllables.peek().is_some() {
                            points.push(at);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    points
}

/// Keeps the UAX #14 opportunities that fall between words: after a space,
/// or next to an ideograph or Hangul (scripts written without spaces). Breaks
/// after hyphens, dashes and slashes would put a line end inside a word, and
/// text extractors such as pdftotext then return the word broken or, after a
/// hyphen, silently joined without it.
fn word_boundary(text: &str, i: usize) -> bool {
    use unicode_linebreak::BreakClass as C;
    let before = text[..i].chars().next_back();
    let after = text[i..].chars().next();
    let spaced = |c: Option<char>| c.is_some_and(|c| c.is_whitespace() || c == '\u{200B}');
    let unspaced_script = |c: Option<char>| {
        c.is_some_and(|c| {
            matches!(
                unicode_linebreak::break_property(c as u32),
                C::Ideographic
                    | C::ConditionalJapaneseStarter
                    | C::HangulLvSyllable
                    | C::HangulLvtSyllable
                    | C::HangulLJamo
                    | C::HangulVJamo
                    | C::HangulTJamo
            )
        })
    };
    after.is_none() || spaced(before) || unspaced_script(before) || unspaced_script(after)
}

/// Where a URL may break: after `/`, `.` or `?` followed by a letter or digit (so never
/// inside `//`), as style guides for printed URLs advise, and before a `-` between two
/// letters or digits: a line ending in a hyphen reads as a hyphenated word, and text
/// extractors such as pdftotext join the lines and drop it.
fn url_breaks(url: &str) -> impl Iterator<Item = usize> + '_ {
    url.char_indices().filter_map(move |(i, c)| {
        let next = url[i + c.len_utf8()..].chars().next()?;
        match c {
            '/' | '.' | '?' if next.is_alphanumeric() => Some(i + c.len_utf8()),
            '-' if next.is_alphanumeric()
                && url[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric) =>
            {
                Some(i)
            }
            _ => None,
        }
    })
}

fn piece_at(ranges: &[Range<usize>], i: usize) -> usize {
    ranges
        .iter()
        .position(|r| r.contains(&i))
        .unwrap_or(ranges.len().saturating_sub(1))
}

fn segment(
    faces: &Faces,
    pieces: &[Piece],
    piece_ranges: &[Range<usize>],
    text: &str,
    levels: &[Level],
    breaks: &[usize],
) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    let mut break_iter = breaks.iter().peekable();
    for (i, c) in text.char_indices() {
        let piece = piece_at(piece_ranges, i);
        let style = pieces[piece].style;
        let level = levels.get(i).copied().unwrap_or_else(Level::ltr);
        let space = c.is_whitespace();
        let prev = runs.last();
        let prev_face = prev.filter(|r| r.piece == piece).map(|r| r.face);
        let (face, missing) = match faces.pick(c, style, prev_face) {
            Some(f) => (f, false),
            None if is_invisible(c) => (prev_face.unwrap_or(Faces::missing_face(style)), false),
            None => (Faces::missing_face(style), true),
        };
        while break_iter.next_if(|&&b| b < i).is_some() {}
        let at_break = break_iter.next_if(|&&b| b == i).is_some();
        match runs.last_mut() {
            Some(r)
                if !at_break
                    && r.piece == piece
                    && r.face == face
                    && r.missing == missing
                    && r.space == space
                    && r.level == level =>
            {
                r.range.end = i + c.len_utf8();
            }
            _ => runs.push(Run {
                range: i..i + c.len_utf8(),
                piece,
                face,
                missing,
                space,
                level,
                glyphs: Vec::new(),
                width: 0.0,
                hyphen: false,
            }),
        }
    }
    for r in &mut runs {
        shape_run(faces, pieces, text, r);
    }
    runs
}

fn shape_run(faces: &Faces, pieces: &[Piece], text: &str, r: &mut Run) {
    let size = pieces[r.piece].size;
    let t = &text[r.range.clone()];
    r.glyphs = if r.missing {
        faces.replacement(r.face, t, size)
    } else {
        faces.shape(r.face, t, size, r.level.is_rtl())
    };
    r.width = r.glyphs.iter().map(|g| g.advance).sum();
}

/// Runs between two break opportunities: they stay on one line.
#[derive(Debug, Clone)]
struct Atom {
    runs: Vec<Run>,
    /// It ends inside a word where a hyphen may break the line: the hyphen that
    /// would end the line then.
    hyphen: Option<Run>,
}

impl Atom {
    fn total(&self) -> f32 {
        self.runs.iter().map(|r| r.width).sum()
    }

    /// Width without the trailing spaces, which hang at a line end.
    fn core(&self) -> f32 {
        let trailing: f32 = self
            .runs
            .iter()
            .rev()
            .take_while(|r| r.space)
            .map(|r| r.width)
            .sum();
        self.total() - trailing
    }
}

fn group_atoms(
    faces: &Faces,
    pieces: &[Piece],
    runs: Vec<Run>,
    breaks: &[usize],
    hyphens: &[usize],
) -> VecDeque<Atom> {
    let mut atoms: VecDeque<Atom> = VecDeque::new();
    for r in runs {
        let starts_new = breaks.binary_search(&r.range.start).is_ok();
        match atoms.back_mut() {
            Some(a) if !starts_new => a.runs.push(r),
            _ => atoms.push_back(Atom {
                runs: vec![r],
                hyphen: None,
            }),
        }
    }
    // A paragraph has many hyphen points and few faces: each hyphen is shaped once.
    let mut shaped: Vec<((FaceId, u32, bool), Vec<Glyph>)> = Vec::new();
    for a in &mut atoms {
        if let Some(last) = a.runs.last()
            && hyphens.binary_search(&last.range.end).is_ok()
        {
            let size = pieces[last.piece].size;
            let key = (last.face, size.to_bits(), last.level.is_rtl());
            let glyphs = match shaped.iter().find(|(k, _)| *k == key) {
                Some((_, g)) => g.clone(),
                None => {
                    let g = faces.shape(last.face, "-", size, key.2);
                    shaped.push((key, g.clone()));
                    g
                }
            };
            a.hyphen = Some(hyphen_run(last, glyphs));
        }
    }
    atoms
}

/// The hyphen that ends a line after `before`, drawn with `glyphs` (the hyphen shaped
/// in its face, size and direction).
fn hyphen_run(before: &Run, glyphs: Vec<Glyph>) -> Run {
    Run {
        range: before.range.end..before.range.end,
        width: glyphs.iter().map(|g| g.advance).sum(),
        glyphs,
        missing: false,
        space: false,
        hyphen: true,
        ..*before
    }
}

fn available(shape: &Shape, line: usize) -> f32 {
    let indent = if line == 0 {
        shape.first_indent
    } else {
        shape.indent
    };
    (shape.width - indent).max(1.0)
}

const HYPHEN_DEMERITS: f64 = 50.0 * 50.0;
const DOUBLE_HYPHEN_DEMERITS: f64 = 10_000.0;

/// Breaks atoms into lines with the least total badness (Knuth and Plass's
/// total-fit idea): spaces may stretch by half and shrink by a third of their
/// width when justifying (TeX's proportions); ragged lines minimise the squared slack. A line
/// ending in a hyphen costs [`HYPHEN_DEMERITS`], and two in a row
/// [`DOUBLE_HYPHEN_DEMERITS`] more, as in TeX.
fn fill(
    faces: &Faces,
    pieces: &[Piece],
    text: &str,
    mut queue: VecDeque<Atom>,
    shape: &Shape,
    url_cuts: &[usize],
) -> Vec<Vec<Run>> {
    const EPS: f32 = 0.01;
    let narrowest = available(shape, 0).min(available(shape, 1));
    let mut atoms: Vec<Atom> = Vec::new();
    while let Some(atom) = queue.pop_front() {
        if atom.core() > narrowest + EPS {
            atoms.extend(split_atom(faces, pieces, text, atom, narrowest, url_cuts));
        } else {
            atoms.push(atom);
        }
    }
    let n = atoms.len();
    let spaces = |a: &Atom, trailing_only: bool| -> f32 {
        let runs: Box<dyn Iterator<Item = &Run>> = if trailing_only {
            Box::new(a.runs.iter().rev().take_while(|r| r.space))
        } else {
            Box::new(a.runs.iter())
        };
        runs.filter(|r| r.space).map(|r| r.width).sum()
    };
    let mut width_sum = vec![0.0f32; n + 1];
    let mut space_sum = vec![0.0f32; n + 1];
    for (k, a) in atoms.iter().enumerate() {
        width_sum[k + 1] = width_sum[k] + a.total();
        space_sum[k + 1] = space_sum[k] + spaces(a, false);
    }
    let mut best = vec![f64::INFINITY; n + 1];
    let mut from = vec![0usize; n + 1];
    best[0] = 0.0;
    let hyphen_width = |k: usize| atoms[k].hyphen.as_ref().map(|h| h.width);
    // A short centred text is a title (or a name, a date): it breaks at its phrases. A
    // long one (a rights statement) is balanced only.
    let title = shape.align == Align::Center && text.chars().count() <= 160;
    for j in 1..=n {
        let trailing = spaces(&atoms[j - 1], true);
        // The paragraph's last line never ends in a hyphen.
        let hyphen = hyphen_width(j - 1).filter(|_| j < n);
        let phrase = if title {
            phrase_end(text, &atoms[j - 1])
        } else {
            0.0
        };
        for i in (0..j).rev() {
            if !best[i].is_finite() {
                continue;
            }
            let avail = available(shape, usize::from(i > 0));
            let natural = width_sum[j] - width_sum[i] - trailing + hyphen.unwrap_or(0.0);
            let space = space_sum[j] - space_sum[i] - trailing;
            let (stretch, shrink) = (space * 0.5, space / 3.0);
            let single = j - i == 1;
            if natural - shrink > avail + EPS && !single {
                break;
            }
            let last = j == n;
            let cost = line_cost(shape.align, natural, avail, stretch, shrink, last);
            let cost = if title && !last {
                // Each line is as bad as this much more slack.
                let slack = f64::from(avail - natural).max(0.0);
                let weight = f64::from(avail) / 4.0 * phrase;
                cost.min(1e11) + (10.0 + slack + weight).max(0.0).powi(2) - (10.0 + slack).powi(2)
            } else {
                cost
            };
            let cost = if natural - shrink > avail + EPS {
                1e12
            } else {
                cost
            };
            let cost = match (hyphen, i > 0 && hyphen_width(i - 1).is_some()) {
                (Some(_), true) => cost + HYPHEN_DEMERITS + DOUBLE_HYPHEN_DEMERITS,
                (Some(_), false) => cost + HYPHEN_DEMERITS,
                (None, _) => cost,
            };
            if best[i] + cost < best[j] {
                best[j] = best[i] + cost;
                from[j] = i;
            }
        }
    }
    let mut cuts = vec![n];
    let mut j = n;
    while j > 0 {
        j = from[j];
        cuts.push(j);
    }
    cuts.reverse();
    let mut atoms = atoms.into_iter();
    cuts.windows(2)
        .map(|w| {
            let mut line: Vec<Run> = Vec::new();
            // The hyphen of the atom before: where the line does not end, the word it
            // split is one run again, shaped whole.
            let mut hyphen: Option<Run> = None;
            for a in atoms.by_ref().take(w[1] - w[0]) {
                let mut runs = a.runs.into_iter();
                match (runs.next(), line.last_mut()) {
                    (Some(first), Some(last)) if hyphen.is_some() && mergeable(last, &first) => {
                        last.range.end = first.range.end;
                        shape_run(faces, pieces, text, last);
                    }
                    (Some(first), _) => line.push(first),
                    (None, _) => {}
                }
                line.extend(runs);
                hyphen = a.hyphen;
            }
            line.extend(hyphen.filter(|_| w[1] < n));
            line
        })
        .collect()
}

/// Whether two runs split at a hyphen point can be one run.
fn mergeable(a: &Run, b: &Run) -> bool {
    a.range.end == b.range.start
        && a.piece == b.piece
        && a.face == b.face
        && a.missing == b.missing
        && !a.space
        && !b.space
        && a.level == b.level
}

/// How a title's line ending after `atom` reads: -1 at the end of a clause (after
/// `:`, `;`, `,` or a dash; not a full stop, which ends abbreviations too), 1 after a short word (three letters or
/// fewer: an article, a preposition or a conjunction in most languages, which belong
/// with what follows) or a short abbreviation, else 0.
fn phrase_end(text: &str, atom: &Atom) -> f64 {
    let (Some(first), Some(last)) = (atom.runs.first(), atom.runs.last()) else {
        return 0.0;
    };
    let words = text[first.range.start..last.range.end].trim_end();
    match words.chars().next_back() {
        Some(':' | ';' | ',' | '—' | '–') => -1.0,
        // A short word, or an abbreviation such as "Maj." that belongs with a name.
        Some(c) if c.is_alphabetic() || c == '.' => {
            let word = words
                .trim_end_matches('.')
                .rsplit(|c: char| !c.is_alphabetic())
                .next()
                .unwrap_or("");
            if (1..=3).contains(&word.chars().count()) {
                1.0
            } else {
                0.0
            }
        }
        _ => 0.0,
    }
}

fn line_cost(align: Align, natural: f32, avail: f32, stretch: f32, shrink: f32, last: bool) -> f64 {
    let slack = f64::from(avail - natural);
    match align {
        Align::Justify => {
            if last && slack >= 0.0 {
                return 100.0;
            }
            let ratio = if slack >= 0.0 {
                slack / f64::from(stretch.max(0.1))
            } else {
                slack / f64::from(shrink.max(0.1))
            };
            let badness = (100.0 * ratio.abs().powi(3)).min(1e7);
            (10.0 + badness).powi(2)
        }
        Align::Start if last => 100.0,
        Align::Start | Align::Center => {
            let slack = slack.max(0.0);
            (10.0 + slack).powi(2)
        }
    }
}

/// Splits an atom too wide for any line into pieces that each fit, cutting
/// after the last cluster that fits, or in a URL at its last place to break
/// (`url_cuts`) on the line. All cuts are found in one pass and each piece is
/// shaped once, so a very long word costs linear time.
fn split_atom(
    faces: &Faces,
    pieces: &[Piece],
    text: &str,
    atom: Atom,
    avail: f32,
    url_cuts: &[usize],
) -> Vec<Atom> {
    // Cluster start offsets (absolute) with their advances, in logical order.
    let mut clusters: Vec<(usize, f32)> = atom
        .runs
        .iter()
        .flat_map(|r| {
            r.glyphs
                .iter()
                .map(move |g| (r.range.start + g.start as usize, g.advance))
        })
        .collect();
    clusters.sort_by_key(|c| c.0);
    let mut merged: Vec<(usize, f32)> = Vec::with_capacity(clusters.len());
    for (start, adv) in clusters {
        match merged.last_mut() {
            Some(last) if last.0 == start => last.1 += adv,
            _ => merged.push((start, adv)),
        }
    }
    let mut cuts = Vec::new();
    let mut width = 0.0;
    let mut line_start = 0;
    // The last cluster of this line a URL may break before.
    let mut candidate: Option<usize> = None;
    for (j, &(start, adv)) in merged.iter().enumerate() {
        if j > line_start && width + adv > avail {
            let cut = candidate.filter(|&c| c > line_start).unwrap_or(j);
            cuts.push(merged[cut].0);
            line_start = cut;
            width = merged[cut..j].iter().map(|c| c.1).sum();
            candidate = None;
        }
        if j > line_start && url_cuts.binary_search(&start).is_ok() {
            candidate = Some(j);
        }
        width += adv;
    }
    if cuts.is_empty() {
        return vec![atom];
    }
    let hyphen = atom.hyphen;
    let mut bounds = vec![usize::MIN];
    bounds.extend(cuts);
    bounds.push(usize::MAX);
    let mut out = Vec::with_capacity(bounds.len() - 1);
    for w in bounds.windows(2) {
        let (lo, hi) = (w[0], w[1]);
        let mut runs = Vec::new();
        for r in &atom.runs {
            if r.range.end <= lo || r.range.start >= hi {
                continue;
            }
            if r.range.start >= lo && r.range.end <= hi {
                runs.push(r.clone());
            } else {
                // Built without copying the whole run's glyphs, which made long words quadratic.
                let mut part = Run {
                    range: r.range.start.max(lo)..r.range.end.min(hi),
                    glyphs: Vec::new(),
                    width: 0.0,
                    ..*r
                };
                shape_run(faces, pieces, text, &mut part);
                runs.push(part);
            }
        }
        if !runs.is_empty() {
            out.push(Atom { runs, hyphen: None });
        }
    }
    if let Some(last) = out.last_mut() {
        last.hyphen = hyphen;
    }
    out
}

/// Orders a line's runs visually (rule L2 of the bidi algorithm).
fn reorder(levels: &[Level]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..levels.len()).collect();
    let Some(max) = levels.iter().map(|l| l.number()).max() else {
        return order;
    };
    let min_odd = levels
        .iter()
        .map(|l| l.number())
        .filter(|n| n % 2 == 1)
        .min();
    let Some(min_odd) = min_odd else {
        return order;
    };
    for level in (min_odd..=max).rev() {
        let mut i = 0;
        while i < order.len() {
            if levels[order[i]].number() >= level {
                let start = i;
                while i < order.len() && levels[order[i]].number() >= level {
                    i += 1;
                }
                order[start..i].reverse();
            } else {
                i += 1;
            }
        }
    }
    order
}

fn place(
    mut runs: Vec<Run>,
    index: usize,
    last: bool,
    shape: &Shape,
    base_rtl: bool,
    pieces: &[Piece],
    text: &str,
) -> Line {
    while runs.last().is_some_and(|r| r.space) {
        runs.pop();
    }
    let avail = available(shape, index);
    let natural: f32 = runs.iter().map(|r| r.width).sum();
    let spaces: usize = runs
        .iter()
        .filter(|r| r.space)
        .map(|r| r.glyphs.len())
        .sum();
    let extra = avail - natural;
    let per = if spaces > 0 {
        extra / spaces as f32
    } else {
        0.0
    };
    let size = runs.first().map_or(11.0, |r| pieces[r.piece].size);
    // Overfull lines shrink their spaces; justified lines stretch them, unless
    // so few spaces would have to take so much that ragged looks better.
    let stretch = if extra < 0.0 || (shape.align == Align::Justify && !last && per <= size) {
        per
    } else {
        0.0
    };
    for r in runs.iter_mut().filter(|r| r.space) {
        for g in &mut r.glyphs {
            g.advance += stretch;
        }
        r.width = r.glyphs.iter().map(|g| g.advance).sum();
    }
    let width: f32 = runs.iter().map(|r| r.width).sum();
    let indent = if index == 0 {
        shape.first_indent
    } else {
        shape.indent
    };
    let mut x = match (shape.align, base_rtl) {
        (Align::Center, false) => indent + (avail - width) / 2.0,
        (Align::Center, true) => (avail - width) / 2.0,
        (_, false) => indent,
        (_, true) => shape.width - indent - width,
    };
    let levels: Vec<Level> = runs.iter().map(|r| r.level).collect();
    let order = reorder(&levels);
    // Words and spaces that follow each other in both orders and look alike are
    // drawn as one run: each run is a tagged span, and one per word made the
    // structure tree and the content streams several times the size of the text.
    let alike = |a: &Run, b: &Run| {
        !a.hyphen
            && !b.hyphen
            && a.range.end == b.range.start
            && a.level == b.level
            && a.face == b.face
            && pieces[a.piece].size == pieces[b.piece].size
            && pieces[a.piece].note == pieces[b.piece].note
            && pieces[a.piece].link == pieces[b.piece].link
            && pieces[a.piece].lang == pieces[b.piece].lang
    };
    let mut groups: Vec<std::ops::Range<usize>> = Vec::new();
    for (k, &i) in order.iter().enumerate() {
        match groups.last_mut() {
            Some(g) if alike(&runs[order[g.end - 1]], &runs[i]) => g.end = k + 1,
            _ => groups.push(k..k + 1),
        }
    }
    // Every line of the document is kept until its page is drawn: sized exactly.
    let mut placed: Vec<PlacedRun> = Vec::with_capacity(groups.len());
    for g in groups {
        let members = &order[g];
        let first = &runs[members[0]];
        let piece = &pieces[first.piece];
        let mut words = String::new();
        let mut glyphs = Vec::with_capacity(members.iter().map(|&i| runs[i].glyphs.len()).sum());
        let mut offsets = Vec::new();
        let mut run_width = 0.0;
        let start = x;
        for &i in members {
            let r = &runs[i];
            let shift = crate::fonts::offset(words.len());
            words.push_str(if r.hyphen {
                "-"
            } else {
                &text[r.range.clone()]
            });
            keep(&mut glyphs, &mut offsets, &r.glyphs, shift);
            run_width += r.width;
            // Word by word, as the runs were placed before they were merged.
            x += r.width;
        }
        placed.push(PlacedRun {
            x: start,
            face: first.face,
            size: piece.size,
            text: words.into_boxed_str(),
            glyphs: glyphs.into_boxed_slice(),
            offsets: offsets.into_boxed_slice(),
            note: piece.note,
            link: piece.link,
            lang: piece.lang.as_deref().map(Box::from),
            order: crate::fonts::offset(first.range.start),
            width: run_width,
            hyphen: first.hyphen,
        });
    }
    Line {
        runs: placed,
        width,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::faces;

    fn shape(width: f32, align: Align) -> Shape {
        Shape {
            width,
            first_indent: 0.0,
            indent: 0.0,
            align,
            rtl: None,
            hyphens: None,
        }
    }

    fn line_text(l: &Line) -> String {
        let mut runs: Vec<&PlacedRun> = l.runs.iter().collect();
        runs.sort_by_key(|r| r.order);
        runs.iter().map(|r| &*r.text).collect()
    }

    fn words(n: usize) -> String {
        (0..n)
            .map(|i| format!("word{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn prose() -> String {
        "So, while the rest of the city was trying to make sense of the news, we talked \
         about a different set of questions: who kept the press running, and how. "
            .repeat(6)
    }

    #[test]
    fn breaks_between_words_and_fits_the_measure() {
        let faces = faces().unwrap();
        let text = words(40);
        let lines = set(
            faces,
            &[Piece::new(&text, Style::REGULAR, 11.0)],
            &shape(200.0, Align::Start),
        );
        assert!(lines.len() > 3);
        for l in &lines {
            assert!(l.width <= 200.01, "{}", l.width);
            let t = line_text(l);
            assert!(t.starts_with("word") && !t.ends_with(' '), "{t:?}");
        }
        let joined: Vec<String> = lines.iter().map(line_text).collect();
        assert_eq!(joined.join(" "), text);
    }

    #[test]
    fn justified_lines_reach_the_right_edge_except_the_last() {
        let faces = faces().unwrap();
        let lines = set(
            faces,
            &[Piece::new(prose(), Style::REGULAR, 11.0)],
            &shape(400.0, Align::Justify),
        );
        for l in &lines[..lines.len() - 1] {
            assert!((l.width - 400.0).abs() < 0.05, "{}", l.width);
        }
        assert!(lines.last().unwrap().width < 399.0);
    }

    #[test]
    fn splits_a_word_only_when_it_cannot_fit() {
        let faces = faces().unwrap();
        let long = "x".repeat(80);
        let lines = set(
            faces,
            &[Piece::new(format!("a {long} b"), Style::REGULAR, 11.0)],
            &shape(100.0, Align::Start),
        );
        let texts: Vec<String> = lines.iter().map(line_text).collect();
        assert_eq!(texts[0], "a");
        assert!(texts.len() >= 4);
        assert_eq!(texts.concat().replace(' ', ""), format!("a{long}b"));
        for l in &lines {
            assert!(l.width <= 100.01);
        }
    }

    #[test]
    fn breaks_only_between_words() {
        let faces = faces().unwrap();
        // UAX #14 allows breaks after the hyphen, the dashes and the slashes.
        let text = "the political-military affairs—of a well-known and/or Russian-speaking man (see https://example.org/a/b)";
        for width in [150.0, 180.0, 210.0, 250.0, 300.0] {
            let lines = set(
                faces,
                &[Piece::new(text, Style::REGULAR, 11.0)],
                &shape(width, Align::Justify),
            );
            let joined: Vec<String> = lines.iter().map(line_text).collect();
            assert_eq!(joined.join(" "), text, "at {width}");
        }
    }

    #[test]
    fn a_line_of_one_face_is_one_run() {
        let faces = faces().unwrap();
        let lines = set(
            faces,
            &[Piece::new(prose(), Style::REGULAR, 11.0)],
            &hyphenated(200.0, Align::Justify),
        );
        assert!(lines.len() > 10);
        for l in &lines {
            let words: Vec<&PlacedRun> = l.runs.iter().filter(|r| !r.hyphen).collect();
            assert_eq!(words.len(), 1, "{:?}", line_text(l));
            // Its glyphs map onto its text, the spaces' stretch included.
            let run = words[0];
            let starts: Vec<u32> = run.glyphs.iter().map(|g| g.start).collect();
            assert!(starts[0] == 0 && starts.windows(2).all(|w| w[0] < w[1]));
            assert!((*starts.last().unwrap() as usize) < run.text.len());
            let advance: f32 = run.glyphs.iter().map(|g| g.advance).sum();
            assert!((advance - run.width).abs() < 0.01);
        }
    }

    #[test]
    fn kept_glyphs_give_krilla_back_their_clusters_and_offsets() {
        let faces = faces().unwrap();
        // Points on Hebrew letters are marks with offsets; "ffi" may be a ligature.
        for text in ["שָׁלוֹם עוֹלָם", "office affine", "e\u{301}\u{323} x"] {
            let lines = set(
                faces,
                &[Piece::new(text, Style::REGULAR, 11.0)],
                &shape(400.0, Align::Start),
            );
            for run in &lines[0].runs {
                let rtl = run
                    .text
                    .chars()
                    .any(|c| ('\u{590}'..'\u{600}').contains(&c));
                let shaped = faces.shape(run.face, &run.text, run.size, rtl);
                let kg = crate::fonts::to_krilla(&run.glyphs, &run.offsets, run.text.len(), 11.0);
                assert_eq!(kg.len(), shaped.len(), "{text}");
                // Each cluster's range ends where the next begins, or at the run's end.
                let mut starts: Vec<usize> = shaped.iter().map(|g| g.start as usize).collect();
                starts.sort_unstable();
                starts.dedup();
                for (k, g) in kg.iter().zip(&shaped) {
                    let s = g.start as usize;
                    let end = starts
                        .iter()
                        .find(|&&x| x > s)
                        .copied()
                        .unwrap_or(run.text.len());
                    assert_eq!(k.text_range, s..end, "{text}");
                    assert!((k.x_offset * 11.0 - g.dx).abs() < 1e-4, "{text}");
                    assert!((k.y_offset * 11.0 - g.dy).abs() < 1e-4, "{text}");
                }
            }
        }
        let hebrew = set(
            faces,
            &[Piece::new("שָׁלוֹם", Style::REGULAR, 11.0)],
            &shape(400.0, Align::Start),
        );
        assert!(hebrew[0].runs.iter().any(|r| !r.offsets.is_empty()));
    }

    #[test]
    fn a_word_shaped_again_comes_from_the_cache_unchanged() {
        let serif = faces().unwrap();
        let sans = crate::fonts::faces_of(crate::fonts::Typeface::Sans).unwrap();
        let ids = |g: Vec<Glyph>| g.iter().map(|g| (g.id, g.advance)).collect::<Vec<_>>();
        let first = ids(serif.shape(FaceId::Regular, "harbour", 11.0, false));
        let again = ids(serif.shape(FaceId::Regular, "harbour", 11.0, false));
        assert_eq!(first, again);
        // The same face slot of the other family is another font.
        assert_ne!(
            first,
            ids(sans.shape(FaceId::Regular, "harbour", 11.0, false))
        );
        assert_ne!(
            first,
            ids(serif.shape(FaceId::Regular, "harbour", 12.0, false))
        );
    }

    #[test]
    fn right_to_left_runs_are_reversed_visually() {
        let faces = faces().unwrap();
        let lines = set(
            faces,
            &[Piece::new("abc שלום עולם def", Style::REGULAR, 11.0)],
            &shape(400.0, Align::Start),
        );
        assert_eq!(lines.len(), 1);
        let visual: Vec<&str> = lines[0].runs.iter().map(|r| &*r.text).collect();
        // Hebrew words swap places; Latin stays put. A space takes the face before it,
        // so the one after the Hebrew is not drawn with "def".
        assert_eq!(visual, ["abc ", "עולם", " ", "שלום", " ", "def"]);
        let xs: Vec<f32> = lines[0].runs.iter().map(|r| r.x).collect();
        assert!(xs.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn rtl_paragraphs_align_right() {
        let faces = faces().unwrap();
        let lines = set(
            faces,
            &[Piece::new("שלום עולם", Style::REGULAR, 11.0)],
            &shape(400.0, Align::Start),
        );
        let l = &lines[0];
        assert!((l.runs[0].x + l.width - 400.0).abs() < 0.01);
        assert_eq!(&*l.runs[0].text, "עולם");
    }

    #[test]
    fn a_paragraph_that_would_justify_loosely_is_set_ragged() {
        let faces = faces().unwrap();
        // Long words in a narrow measure leave a lot of room on some lines.
        let text = "incomprehensibilities a characteristically b internationalization c counterrevolutionaries d";
        let lines = set(
            faces,
            &[Piece::new(text, Style::REGULAR, 11.0)],
            &shape(180.0, Align::Justify),
        );
        assert!(lines.len() > 2);
        assert!(lines[..lines.len() - 1].iter().any(|l| l.width < 170.0));
        let tight = set(
            faces,
            &[Piece::new(prose(), Style::REGULAR, 11.0)],
            &shape(400.0, Align::Justify),
        );
        assert!(
            tight[..tight.len() - 1]
                .iter()
                .all(|l| (l.width - 400.0).abs() < 0.05)
        );
    }

    #[test]
    fn runs_of_spaces_print_as_one() {
        let faces = faces().unwrap();
        let lines = set(
            faces,
            &[
                Piece::new("two  spaces,\u{A0} ", Style::REGULAR, 11.0),
                Piece::new(" and\tone", Style::ITALIC, 11.0),
            ],
            &shape(400.0, Align::Start),
        );
        assert_eq!(line_text(&lines[0]), "two spaces,\u{A0}and one");
    }

    #[test]
    fn control_characters_do_not_reach_lines() {
        assert_eq!(clean("a\nb\tc\u{00AD}d"), "a b cd");
    }

    fn hyphenated(width: f32, align: Align) -> Shape {
        Shape {
            hyphens: Some(hypher::Lang::English),
            ..shape(width, align)
        }
    }

    #[test]
    fn hyphens_let_a_narrow_paragraph_justify() {
        let faces = faces().unwrap();
        let text = "Throughout his distinguished career in military intelligence and strategic \
                    planning, he served as director of political-military affairs under five \
                    defense ministers and represented his country in the most sensitive \
                    negotiations with neighbouring governments.";
        // Without hyphens this measure leaves some line too loose to justify.
        let whole = set(
            faces,
            &[Piece::new(text, Style::REGULAR, 11.0)],
            &shape(300.0, Align::Justify),
        );
        assert!(whole[..whole.len() - 1].iter().any(|l| l.width < 299.0));
        let lines = set(
            faces,
            &[Piece::new(text, Style::REGULAR, 11.0)],
            &hyphenated(300.0, Align::Justify),
        );
        let ends: Vec<&PlacedRun> = lines
            .iter()
            .filter_map(|l| l.runs.iter().find(|r| r.hyphen))
            .collect();
        assert!(!ends.is_empty(), "no line took a hyphen");
        for h in &ends {
            assert_eq!(&*h.text, "-");
            assert_eq!(h.glyphs.len(), 1);
        }
        // Justified to the edge, not set ragged as without hyphens.
        assert!(
            lines[..lines.len() - 1]
                .iter()
                .all(|l| (l.width - 300.0).abs() < 0.05),
            "{:?}",
            lines
                .iter()
                .map(|l| (l.width, line_text(l)))
                .collect::<Vec<_>>()
        );
        assert!(!lines.last().unwrap().runs.iter().any(|r| r.hyphen));
        assert_eq!(lines_text(&lines), text);
        // Two letters at least before a hyphen, three after.
        for (i, l) in lines.iter().enumerate() {
            if l.runs.iter().any(|r| r.hyphen) {
                let before = line_text(l).replace('-', "");
                let last_word = before.split(' ').next_back().unwrap();
                assert!(last_word.chars().count() >= 2, "{last_word}");
                let next = line_text(&lines[i + 1]);
                let rest = next.split(' ').next().unwrap();
                assert!(rest.chars().count() >= 3, "{rest}");
            }
        }
    }

    #[test]
    fn a_word_not_broken_at_a_line_end_stays_one_run() {
        let faces = faces().unwrap();
        let lines = set(
            faces,
            &[Piece::new("an internationalization", Style::REGULAR, 11.0)],
            &hyphenated(400.0, Align::Justify),
        );
        assert_eq!(lines.len(), 1);
        let texts: Vec<&str> = lines[0].runs.iter().map(|r| &*r.text).collect();
        assert_eq!(texts, ["an internationalization"]);
        let whole = set(
            faces,
            &[Piece::new("an internationalization", Style::REGULAR, 11.0)],
            &shape(400.0, Align::Justify),
        );
        assert_eq!(lines[0].width, whole[0].width);
    }

    #[test]
    fn no_hyphens_without_a_language_nor_in_urls_capitals_or_other_scripts() {
        let faces = faces().unwrap();
        let has_hyphen = |pieces: &[Piece], shape: &Shape| {
            set(faces, pieces, shape)
                .iter()
                .any(|l| l.runs.iter().any(|r| r.hyphen))
        };
        let text =
            "incomprehensibilities characteristically internationalization counterrevolutionaries";
        let narrow = hyphenated(120.0, Align::Justify);
        assert!(has_hyphen(
            &[Piece::new(text, Style::REGULAR, 11.0)],
            &narrow
        ));
        assert!(!has_hyphen(
            &[Piece::new(text, Style::REGULAR, 11.0)],
            &shape(120.0, Align::Justify)
        ));
        assert!(!has_hyphen(
            &[Piece::new(text.to_uppercase(), Style::REGULAR, 11.0)],
            &narrow
        ));
        let url = Piece {
            url: true,
            ..Piece::new(
                "https://example.org/internationalization/counterrevolutionaries",
                Style::REGULAR,
                11.0,
            )
        };
        assert!(!has_hyphen(&[url], &narrow));
        let greek = Piece {
            lang: Some("und-Grek".into()),
            ..Piece::new(text, Style::REGULAR, 11.0)
        };
        assert!(!has_hyphen(&[greek], &narrow));
        let compounds =
            "counterrevolutionaries-internationalization incomprehensibilities-characteristically";
        assert!(!has_hyphen(
            &[Piece::new(compounds, Style::REGULAR, 11.0)],
            &narrow
        ));
    }

    #[test]
    fn urls_break_after_slashes_dots_and_question_marks_and_before_hyphens() {
        let url = "https://ex.org/a-b?c";
        let cuts: Vec<&str> = url_breaks(url).map(|i| &url[i..]).collect();
        assert_eq!(cuts, ["ex.org/a-b?c", "org/a-b?c", "a-b?c", "-b?c", "c"]);
        let faces = faces().unwrap();
        let long = Piece {
            url: true,
            ..Piece::new(
                "https://www.example.org/blog-post/israel-and-russia-interview-maj-gen-res-amos-gilead",
                Style::REGULAR,
                11.0,
            )
        };
        let lines = set(faces, &[long], &shape(120.0, Align::Start));
        assert!(lines.len() > 2);
        for l in &lines {
            assert!(!line_text(l).ends_with('-'), "{:?}", line_text(l));
        }
    }

    #[test]
    fn titles_break_after_clauses_and_not_after_short_words() {
        let faces = faces().unwrap();
        let title = |t: &str, w: f32| -> Vec<String> {
            set(
                faces,
                &[Piece::new(t, Style::BOLD, 20.0)],
                &shape(w, Align::Center),
            )
            .iter()
            .map(line_text)
            .collect()
        };
        let seed = "Israel and Russia: An Interview with Maj. Gen. (Res.) Amos Gilead";
        for w in [200.0, 260.0, 320.0] {
            let lines = title(seed, w);
            assert_eq!(lines[0], "Israel and Russia:", "{lines:?}");
        }
        assert_eq!(
            title(seed, 320.0),
            [
                "Israel and Russia:",
                "An Interview with",
                "Maj. Gen. (Res.) Amos Gilead"
            ]
        );
        for w in [200.0, 260.0, 320.0, 400.0] {
            let lines = title("An Oral History of the Leipzig Print Shop", w);
            for l in &lines[..lines.len() - 1] {
                let last = l.rsplit(' ').next().unwrap();
                assert!(last.chars().count() > 3, "{lines:?} at {w}");
            }
        }
    }
}
