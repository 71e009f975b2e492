//! A cue's text → the engine's lines: inline markup, voices, dialogue dashes, the
//! speaker tags of captions for the deaf and hard of hearing, overlap voices, and
//! cues that are only a sound.

use crate::Line;
use crate::label::{LabelKind, classify, detect};
use verbatim_model::{Code, Diagnostic, Inline, MarkerKind};

use super::cue::{Cue, Flavour};

const MAX_NESTING: usize = 16;

/// Words of sound descriptions (`[DOOR SLAMS]`, `(music playing)`): never a speaker.
const SOUNDS: &[&str] = &[
    "music",
    "playing",
    "plays",
    "applause",
    "laughter",
    "laughs",
    "laughing",
    "chuckles",
    "sighs",
    "gasps",
    "groans",
    "screams",
    "screaming",
    "cheering",
    "cheers",
    "crying",
    "sobbing",
    "static",
    "beep",
    "beeps",
    "beeping",
    "ringing",
    "rings",
    "knocking",
    "knock",
    "knocks",
    "footsteps",
    "thunder",
    "door",
    "doors",
    "phone",
    "slams",
    "silence",
    "pause",
    "inaudible",
    "indistinct",
    "chatter",
    "crosstalk",
    "overlapping",
    "speaking",
    "speaks",
    "continues",
    "sound",
    "sounds",
    "noise",
    "noises",
    "voice",
    "voices",
    "whispering",
    "whispers",
    "shouting",
    "shouts",
    "singing",
    "sings",
    "humming",
    "coughs",
    "coughing",
    "clears",
    "sniffles",
    "exhales",
    "inhales",
    "gunshot",
    "gunshots",
    "explosion",
    "engine",
    "siren",
    "barking",
    "barks",
    "birds",
    "wind",
    "rain",
    "water",
    "clapping",
    "claps",
    "spanish",
    "french",
    "german",
    "foreign",
    "language",
    "intro",
    "outro",
    "theme",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    Emphasis,
    Strong,
}

/// What a cue leaves for the next: a dash or a speaker tag on a line of its own.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    dash: bool,
    label: Option<String>,
}

/// Builds the lines of one cue.
struct Builder<'a> {
    groups: Vec<Vec<Line>>,
    line: Line,
    stack: Vec<(Frame, Vec<Inline>)>,
    top: Vec<Inline>,
    /// Formatting open at the end of a line, reopened on the next.
    carried: Vec<Frame>,
    after_br: bool,
    in_rt: bool,
    /// The voice now speaking in the cue.
    voice: Option<String>,
    pending: &'a mut Pending,
    warnings: &'a mut Vec<Diagnostic>,
}

impl Builder<'_> {
    fn begin(&mut self, line: usize, column: usize, dash: bool) {
        self.finish_line();
        self.line = Line {
            line,
            column,
            voice: self.voice.clone(),
            dash,
            ..Line::default()
        };
        for f in std::mem::take(&mut self.carried) {
            self.open(f);
        }
    }

    fn finish_line(&mut self) {
        let mut carried = Vec::new();
        while let Some((f, _)) = self.stack.last() {
            let f = *f;
            carried.push(f);
            self.close(f);
        }
        carried.reverse();
        self.carried = carried;
        let mut line = std::mem::take(&mut self.line);
        line.content = std::mem::take(&mut self.top);
        take_tag(&mut line);
        line.dash |= std::mem::take(&mut self.pending.dash);
        if line.voice.is_none() && line.label.is_none() {
            line.label = self.pending.label.take();
        } else {
            self.pending.label = None;
        }
        let empty = verbatim_model::plain_text(&line.content).trim().is_empty();
        if empty {
            // A dash or a tag on a line of its own belongs to the next line.
            self.pending.dash |= line.dash;
            if line.label.is_some() {
                self.pending.label = line.label;
            }
            return;
        }
        if let Some(g) = self.groups.last_mut() {
            g.push(line);
        }
    }

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

    fn br(&mut self) {
        if self.after_br {
            // `<br><br>`: a paragraph break. The first `<br>` left a space.
            if let Some(Inline::Text { text }) = self.top.last_mut() {
                let t = text.trim_end().to_string();
                *text = t;
            }
            let (line, column) = (self.line.line, self.line.column);
            self.finish_line();
            self.groups.push(Vec::new());
            self.line = Line {
                line,
                column,
                voice: self.voice.clone(),
                ..Line::default()
            };
            self.after_br = false;
        } else {
            self.text(" ");
            self.after_br = true;
        }
    }

    fn tag(&mut self, tag: &str, rest_of_line: &str, at: (usize, usize)) {
        let tag = tag.trim();
        let (name, attrs) = match tag.find(|c: char| c.is_whitespace()) {
            Some(i) => (&tag[..i], tag[i..].trim()),
            None => (tag, ""),
        };
        let base = name
            .split('.')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match base.as_str() {
            "v" if !attrs.is_empty() => {
                // `<v //S02>`: S02 speaking over someone.
                let voice = entities(attrs.trim_start_matches('/').trim());
                if voice.is_empty() {
                    return;
                }
                self.voice = Some(voice.clone());
                if !verbatim_model::plain_text(&self.top).trim().is_empty() {
                    self.begin(at.0, at.1, false);
                }
                self.line.voice = Some(voice);
            }
            "i" => self.open(Frame::Emphasis),
            "/i" => self.close(Frame::Emphasis),
            "b" => self.open(Frame::Strong),
            "/b" => self.close(Frame::Strong),
            "br" | "br/" => self.br(),
            "rt" => self.in_rt = true,
            "/rt" => self.in_rt = false,
            // Voices end, classes, underline, ruby, language spans, fonts, spans: the
            // text inside is kept as it is.
            "v" | "/v" | "c" | "/c" | "u" | "/u" | "lang" | "/lang" | "ruby" | "/ruby" | "font"
            | "/font" | "span" | "/span" | "" => {}
            // Timestamps inside a cue (karaoke captions).
            _ if base.starts_with(|c: char| c.is_ascii_digit()) => {}
            _ if base.starts_with('/') => {}
            _ if base.chars().all(char::is_alphabetic) => {
                if rest_of_line.contains(&format!("</{name}>")) {
                    self.warnings.push(Diagnostic::warning(
                        Code::MarkupSimplified,
                        at.0,
                        at.1,
                        format!("unknown tag <{name}>: its text is kept"),
                    ));
                } else {
                    // `<mmm>`, `<yeah>`: a backchannel written as a tag.
                    self.warnings.push(Diagnostic::warning(
                        Code::MarkupSimplified,
                        at.0,
                        at.1,
                        format!("unknown tag <{name}> kept as the marker [{name}]"),
                    ));
                    self.top.push(Inline::Marker {
                        kind: MarkerKind::Vocal,
                        desc: name.to_string(),
                    });
                    self.after_br = false;
                }
            }
            _ => self.text(&format!("<{tag}>")),
        }
    }
}

/// The lines of a cue in paragraph groups (`<br><br>` starts a group). The first line
/// carries the cue's start, the last its end.
pub(crate) fn lines(
    cue: &Cue,
    flavour: Flavour,
    pending: &mut Pending,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<Vec<Line>> {
    let mut b = Builder {
        groups: vec![Vec::new()],
        line: Line::default(),
        stack: Vec::new(),
        top: Vec::new(),
        carried: Vec::new(),
        after_br: false,
        in_rt: false,
        voice: None,
        pending,
        warnings,
    };
    for (no, raw) in &cue.text {
        let raw = if flavour == Flavour::Srt {
            strip_ass(raw)
        } else {
            raw.clone()
        };
        let (dash, text, skipped) = dialogue_dash(&raw);
        let outer = detect(strip_tags(text).trim_start()).map(|(l, _, _)| l.text);
        let col = |byte: usize| raw[..byte].chars().count() + 1;
        for (from, to, part) in overlaps(text) {
            let column = col(skipped + from);
            b.begin(*no, column, dash && from == 0);
            match part {
                Part::Outer => {}
                Part::Overlap(who) => b.line.voice = Some(who),
                Part::Resume => match (&b.voice, &outer) {
                    (Some(v), _) => b.line.voice = Some(v.clone()),
                    (None, Some(l)) => b.line.label = Some(l.clone()),
                    (None, None) => {}
                },
            }
            markup(&mut b, &text[from..to], *no, skipped + from, &raw);
        }
    }
    b.finish_line();
    let mut groups = b.groups;
    groups.retain(|g| !g.is_empty());
    // Each group's lines are kept until the whole file is read: a cue of one short
    // line would otherwise hold room for four lines of four inlines each (500 bytes
    // for a word). The list of groups itself is let go with the cue.
    for g in &mut groups {
        g.shrink_to_fit();
        for l in g.iter_mut() {
            l.content.shrink_to_fit();
        }
    }
    if let Some(first) = groups.first_mut().and_then(|g| g.first_mut()) {
        first.time = Some(cue.start);
    }
    if let Some(last) = groups.last_mut().and_then(|g| g.last_mut()) {
        last.end = Some(cue.end);
    }
    groups
}

/// A dialogue mark at the line's start (`- `, `– `, `>>`, or a line of only `-`):
/// whether there is one, the rest, and the bytes it took.
fn dialogue_dash(raw: &str) -> (bool, &str, usize) {
    let mut t = raw.trim_start();
    if matches!(t.trim_end(), "-" | "–" | "—" | ">>") {
        return (true, "", raw.len());
    }
    let mut dash = false;
    // `- >> Bo: Four.`: marks may come together.
    'marks: loop {
        for mark in ["- ", "– ", "— ", ">> ", ">>"] {
            // `>>>` marks a new story, not a new speaker.
            if let Some(rest) = t.strip_prefix(mark)
                && !(mark.starts_with('>') && rest.starts_with('>'))
            {
                dash = true;
                t = rest.trim_start();
                continue 'marks;
            }
        }
        break;
    }
    (dash, t, raw.len() - t.len())
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Outer,
    /// `//S02: … //`: S02 speaking over the outer speaker.
    Overlap(String),
    /// The outer speaker again after an overlap.
    Resume,
}

/// Splits a line at inline overlap voices: `text //S02: yeah // more`.
fn overlaps(text: &str) -> Vec<(usize, usize, Part)> {
    let mut out = Vec::new();
    let mut from = 0;
    let mut part = Part::Outer;
    let mut search = 0;
    while let Some(k) = text[search..].find("//").map(|k| k + search) {
        search = k + 2;
        let before_ok = k == 0 || text[..k].ends_with(char::is_whitespace);
        if matches!(part, Part::Overlap(_)) {
            // The closing `//`.
            let after_ok =
                text[k + 2..].is_empty() || text[k + 2..].starts_with(char::is_whitespace);
            if after_ok {
                out.push((from, k, part));
                part = Part::Resume;
                from = k + 2;
            }
            continue;
        }
        if !before_ok {
            continue;
        }
        if let Some((label, form, n)) = detect(&text[k + 2..])
            && form.colon
        {
            out.push((from, k, part));
            part = Part::Overlap(label.text);
            from = k + 2 + n;
            search = from;
        }
    }
    out.push((from, text.len(), part));
    out.retain(|(a, b, _)| a < b);
    if out.is_empty() {
        out.push((0, text.len(), Part::Outer));
    }
    out
}

/// Applies the tags and entities of part of a line of cue text.
fn markup(b: &mut Builder, part: &str, line: usize, offset: usize, raw: &str) {
    let mut rest = part;
    while !rest.is_empty() {
        let at = offset + (part.len() - rest.len());
        if let Some(tail) = rest.strip_prefix('<')
            && let Some(close) = tail.find('>')
        {
            let column = raw[..at.min(raw.len())].chars().count() + 1;
            b.tag(&tail[..close], &tail[close + 1..], (line, column));
            rest = &tail[close + 1..];
            continue;
        }
        let skip = rest.chars().next().map_or(1, char::len_utf8);
        let next = rest[skip..].find('<').map_or(rest.len(), |i| i + skip);
        b.text(&entities(&rest[..next]));
        rest = &rest[next..];
    }
}

/// The text without its tags.
fn strip_tags(s: &str) -> String {
    strip_between(s, "<", '>')
}

/// `s` without each span from `open` to the next `close`; an unclosed span stays.
fn strip_between(s: &str, open: &str, close: char) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find(open) {
        out.push_str(&rest[..at]);
        match rest[at..].find(close) {
            Some(end) => rest = &rest[at + end + close.len_utf8()..],
            None => {
                rest = &rest[at..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A speaker tag of captions for the deaf and hard of hearing at the line's start
/// (`[MARIA] Where were you?`, `(Dana Bettinger)` alone) becomes the line's label; a
/// line that is only a sound in parentheses (`(12 seconds pause)`) becomes a marker.
fn take_tag(line: &mut Line) {
    let Some(Inline::Text { text }) = line.content.first() else {
        return;
    };
    let t = text.trim_start();
    let (open, close) = match t.chars().next() {
        Some('[') => ('[', ']'),
        Some('(') => ('(', ')'),
        _ => return,
    };
    let Some(end) = t.find(close) else { return };
    let inner = t[1..end].trim();
    let after = &t[end + close.len_utf8()..];
    // `[SPEAKER_00]:` and `(Name):` are written labels the engine reads.
    if after.starts_with(':') || inner.contains([open, close]) {
        return;
    }
    let only = after.trim().is_empty() && line.content.len() == 1;
    if line.voice.is_none() && is_speaker_tag(inner) {
        line.label = Some(inner.to_string());
        let rest = after.trim_start().to_string();
        if rest.is_empty() {
            line.content.remove(0);
        } else {
            line.content[0] = Inline::text(rest);
        }
        return;
    }
    if open == '(' && only {
        // A cue that is only a sound: not anyone's words.
        let kind = MarkerKind::classify(inner).unwrap_or_else(|| sound_kind(inner));
        line.content = vec![Inline::Marker {
            kind,
            desc: inner.to_string(),
        }];
    } else if open == '[' && MarkerKind::classify(inner).is_none() && is_sound(inner) {
        // `[DOOR SLAMS]`: a sound, as captions for the deaf and hard of hearing write
        // them, not an editor's note.
        let rest = after.trim_start().to_string();
        let marker = Inline::Marker {
            kind: sound_kind(inner),
            desc: inner.to_string(),
        };
        if rest.is_empty() {
            line.content[0] = marker;
        } else {
            line.content[0] = Inline::text(rest);
            line.content.insert(0, Inline::text(" "));
            line.content.insert(0, marker);
        }
    }
}

fn is_sound(inner: &str) -> bool {
    inner
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| SOUNDS.contains(&w))
}

fn sound_kind(desc: &str) -> MarkerKind {
    let d = desc.to_lowercase();
    if d.contains("pause") || d.contains("silence") {
        MarkerKind::Pause
    } else if d.contains("inaudible") || d.contains("unintelligible") {
        MarkerKind::Gap
    } else if d.contains("laugh") || d.contains("sigh") || d.contains("cough") {
        MarkerKind::Vocal
    } else {
        MarkerKind::Incident
    }
}

/// Whether bracketed words are a speaker's name or code rather than a sound.
fn is_speaker_tag(inner: &str) -> bool {
    if inner.is_empty() || MarkerKind::classify(inner).is_some() {
        return false;
    }
    if is_sound(inner) {
        return false;
    }
    classify(inner).is_some_and(|l| {
        matches!(
            l.kind,
            LabelKind::Name | LabelKind::UpperName | LabelKind::Speaker | LabelKind::Initials
        ) && l.words <= 4
    })
}

/// Drops SSA/ASS override codes such as `{\an8}` that SRT files carry.
fn strip_ass(s: &str) -> String {
    strip_between(s, "{\\", '}')
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
    use verbatim_model::Timestamp;

    fn cue(text: &[&str]) -> Vec<Vec<Line>> {
        let cue = Cue {
            line: 1,
            start: Timestamp::from_millis(1000),
            end: Timestamp::from_millis(2000),
            text: text
                .iter()
                .enumerate()
                .map(|(i, l)| (i + 2, l.to_string()))
                .collect(),
        };
        let mut w = Vec::new();
        lines(&cue, Flavour::Vtt, &mut Pending::default(), &mut w)
    }

    fn plain(l: &Line) -> String {
        verbatim_model::plain_text(&l.content).trim().to_string()
    }

    #[test]
    fn voices_styles_and_breaks() {
        let g =
            cue(&["<v.loud Esme Johnson>It’s a <i>blue</i> <c.x>apple</c> tree!<00:00:01.000>"]);
        assert_eq!(g[0][0].voice.as_deref(), Some("Esme Johnson"));
        assert_eq!(
            g[0][0].content[1],
            Inline::Emphasis {
                content: vec![Inline::text("blue")]
            }
        );
        let g = cue(&["One<br><br>Two <b>bold", "next</b> line<br>same"]);
        assert_eq!(g.len(), 2);
        assert_eq!(plain(&g[0][0]), "One");
        assert_eq!(g[1].len(), 2);
        let g = cue(&["<v Mary>Why?</v> <v Doug>Because</v>"]);
        assert_eq!(g[0].len(), 2);
        assert_eq!(g[0][1].voice.as_deref(), Some("Doug"));
        assert_eq!(g[0][0].time.map(|t| t.millis()), Some(1000));
        assert_eq!(g[0][1].time, None);
        assert_eq!(g[0][1].end.map(|t| t.millis()), Some(2000));
        let g = cue(&["<ruby>漢<rt>kan</rt></ruby> &amp; &lt;3 &#x41; &bogus; & x"]);
        assert_eq!(plain(&g[0][0]), "漢 & <3 A &bogus; & x");
    }

    #[test]
    fn dashes_tags_and_overlaps() {
        let g = cue(&["- [MARIA] Where were you?", "- At the market."]);
        assert_eq!(g[0].len(), 2);
        assert!(g[0][0].dash && g[0][1].dash);
        assert_eq!(g[0][0].label.as_deref(), Some("MARIA"));
        assert_eq!(plain(&g[0][0]), "Where were you?");
        let g = cue(&["[DOOR SLAMS] Who's there?"]);
        assert_eq!(g[0][0].label, None);
        let g = cue(&[
            "(Danyel Fisher)",
            "I wanted to start",
            "-",
            " ",
            "(Dana Bettinger)",
            "Safari wise",
        ]);
        assert_eq!(g[0].len(), 2);
        assert_eq!(g[0][0].label.as_deref(), Some("Danyel Fisher"));
        assert_eq!(g[0][1].label.as_deref(), Some("Dana Bettinger"));
        assert!(g[0][1].dash);
        let g = cue(&["S01: So I went //S02: mm-hmm // and then"]);
        assert_eq!(g[0].len(), 3);
        assert_eq!(g[0][1].voice.as_deref(), Some("S02"));
        assert_eq!(plain(&g[0][1]), "mm-hmm");
        assert_eq!(g[0][2].label.as_deref(), Some("S01"));
        let g = cue(&["<v //S02>yes"]);
        assert_eq!(g[0][0].voice.as_deref(), Some("S02"));
        let g = cue(&["see http://example.org now"]);
        assert_eq!(g[0].len(), 1);
    }

    #[test]
    fn sounds_and_unknown_tags() {
        let g = cue(&["(12 seconds pause)"]);
        assert!(matches!(
            g[0][0].content.as_slice(),
            [Inline::Marker {
                kind: MarkerKind::Pause,
                ..
            }]
        ));
        let cue_ = Cue {
            line: 1,
            start: Timestamp::from_millis(0),
            end: Timestamp::from_millis(1),
            text: vec![(2, "<v Ann>I see <mmm> yes".into())],
        };
        let mut w = Vec::new();
        let g = lines(&cue_, Flavour::Vtt, &mut Pending::default(), &mut w);
        assert!(
            g[0][0]
                .content
                .iter()
                .any(|i| matches!(i, Inline::Marker { desc, .. } if desc == "mmm"))
        );
        assert_eq!(w.len(), 1);
        assert_eq!(
            (w[0].line(), w[0].column(), w[0].code),
            (2, 14, Code::MarkupSimplified)
        );
    }
}
