//! Property tests: arbitrary valid transcripts through every writer, and back
//! through the readers that read what the writers write.
//!
//! The generator builds models in the canonical form the readers produce, so
//! that a round trip can be compared with `==`. What it avoids, and why:
//!
//! - Text never starts or ends with whitespace at the edges of a paragraph,
//!   heading, note, link or emphasis; words are joined by one space, sometimes
//!   two, or nothing. Markdown trims paragraphs and cannot put spaces just
//!   inside `*…*` (CommonMark's flanking rules).
//! - Adjacent text nodes are merged and none is empty: every reader merges them.
//! - Emphasis and strong text are never empty (`**` is not emphasis in
//!   Markdown); links and notes may be.
//! - Where CommonMark cannot delimit emphasis, the generator puts a space or
//!   unwraps a level (see [`can_glue`]): emphasis glued to a letter with
//!   punctuation inside (`and*(aside)*`), emphasis at the edge of emphasis glued
//!   to a letter (`**_$5_and**`), two emphases glued together (`__a____b__`),
//!   and emphasis inside emphasis of the same kind glued to its neighbours
//!   (`*and*snake_case* and*`) or starting or ending with punctuation
//!   (`*a.*#*.*`, `**_**[laughs]**_**`).
//! - Metadata values and participant names, ids and aliases are trimmed and not
//!   empty: the Markdown front matter reader trims YAML scalars and drops empty
//!   ones. Ids, names and aliases do not collide across participants, so every
//!   label names one participant.
//! - A link never contains a link (CommonMark and HTML have no nested links);
//!   the generator makes an inner one strong text instead.
//! - A marker's kind is what `MarkerKind::classify` gives its words: in
//!   Markdown the kind is not written, only the words.
//! - `continues` is set only where it means something: on a turn that opens a
//!   section, starts with words and carries on the turn before it (same
//!   speaker, no narrative in between). `inferred` may be set on any turn.
//! - Without participants there can be no turns: a generated turn becomes a
//!   narrative paragraph, and notes are unattributed.
//! - Link targets are valid http(s) URLs (no stray `%`, no second `#`), which
//!   TEI pointers carry unchanged.
//! - An unattributed note never ends in `—` and a participant id: that is how
//!   Markdown attributes a note.
//!
//! Text may hold line breaks and tabs. What the Markdown writer documents it
//! cannot say is applied to the model before comparing ([`markdown_expected`]).
//!
//! Run with `PROPTEST_CASES=…` for a longer search and `PROPTEST_RNG_SEED=…` to
//! replay a run; failures are not persisted to files.

use proptest::prelude::*;
use proptest::sample::{Index, select, subsequence};
use proptest::test_runner::Config;
use verbatim::model::{
    Block, Inline, MarkerKind, Metadata, Paragraph, Participant, Role, Section, Timestamp, Turn,
};
use verbatim::{DatePolicy, Transcript, WriteContext, WriteOptions};

mod support;

// ---------------------------------------------------------------------------
// Pools

/// Words of running text: prose in several scripts and everything that means
/// something in Markdown, YAML, XML or to the label and note parsers.
const WORDS: &[&str] = &[
    "and",
    "the",
    "Israel",
    "we",
    "said",
    "well",
    "it's",
    "don't",
    "U.S.",
    "e.g.",
    "1984",
    "laughs",
    "pause",
    "\"quoted\"",
    "'single'",
    "«guillemets»",
    "1.",
    "2)",
    "#",
    "#1",
    "-",
    "--",
    "—",
    "–",
    "+",
    "*",
    "**",
    "_",
    "__init__",
    "snake_case",
    "a*b",
    "`code`",
    "\\",
    "C:\\path",
    "[",
    "]",
    "[x]",
    "(",
    ")",
    "(aside)",
    ":",
    "a:b",
    "note:",
    "12:30",
    "<b>",
    "<",
    ">",
    "&",
    "&amp;",
    "&copy;",
    "&#169;",
    "!",
    "wow!",
    "~",
    "~~",
    "|",
    "=",
    "...",
    "?",
    ";",
    "50%",
    "$5",
    "@user",
    "http://example.org",
    "{x}",
    "^",
    "Россия",
    "Израиль",
    "שלום",
    "ירושלים",
    "Ελλάδα",
    "αβγ",
    "中国",
    "東京",
    "한국어",
    "café",
    "naïve",
    "10\u{a0}km",
    "🙂",
    "İstanbul",
    "line\nbreak",
    "tab\there",
    "cr\r\nlf",
];

/// Metadata values and names that YAML, XML or Markdown could take for syntax.
const TRICKY: &[&str] = &[
    "yes",
    "No",
    "on",
    "null",
    "~",
    "- x",
    "a: b",
    "a:b",
    "key:",
    "#",
    "# not a comment",
    "x #y",
    "1984",
    "1.0",
    "0x1F",
    "true",
    "@handle",
    "`tick`",
    "%percent",
    "!tag",
    "&anchor",
    "*alias",
    "{a: 1}",
    "[a, b]",
    "'single'",
    "\"double\"",
    "O'Brien",
    "|",
    ">",
    "…",
    "C:\\path",
    "<tag>",
    "a & b",
    "Israel and Russia: An Interview",
    "Maj. Gen. (Res.) Amos Gilead",
    "Россия и Израиль",
    "שיחה עם עמוס גלעד",
    "Συνέντευξη",
    "采访记录",
];

const NAMES: &[&str] = &[
    "Izabella Tabarovsky",
    "Amos Gilead",
    "Алексей Иванов",
    "שרה כהן",
    "Γιώργος Παπαδόπουλος",
    "李小龍",
    "Seán O'Brien",
    "\"Doc\" Holliday",
    "Smith: Jr.",
    "yes",
    "- x",
    "a: b",
    "#",
    "null",
    "1984",
    "[Unknown]",
    "*star*",
];

/// Participant ids: valid, some clashing with the TEI writer's own ids.
const IDS: &[&str] = &[
    "IT",
    "AG",
    "Q",
    "A",
    "SPEAKER_1",
    "Ж",
    "u1",
    "T1",
    "enc",
    "x-1",
    "A.B",
    "שרה",
    "李",
    "Ω2",
    "No",
    "null",
    "Inf",
];

const MARKERS: &[&str] = &[
    "laughs",
    "Laughter",
    "chuckles",
    "sighs",
    "clears throat",
    "both laugh",
    "CROSSTALK",
    "cross talk",
    "phone rings",
    "background noise",
    "recording interrupted",
    "door closes",
    "pause",
    "Pause",
    "long pause",
    "short pause",
    "silence",
    "inaudible",
    "unintelligible",
    "unclear.",
];

const URLS: &[&str] = &[
    "http://example.org",
    "https://example.org/a/b?q=1&x=2",
    "https://example.org/page#frag",
    "https://example.org/wiki/Foo_(bar)",
    "https://example.org/path%20with%20escapes",
    "https://example.org/~user/*star*",
    "http://[::1]:8080/x",
    "https://пример.рф/путь",
];

const DATES: &[&str] = &[
    "2020",
    "2020-01",
    "2020-01-28",
    "2024-02-29",
    "spring 1984",
    "c. 1990",
    "2020-13-45",
    "12:30",
];

const LANGUAGES: &[&str] = &[
    "en",
    "pt-BR",
    "he",
    "ru",
    "el",
    "zh-Hant-TW",
    "English",
    "Brazilian Portuguese",
    "en_GB",
];

const RIGHTS: &[&str] = &[
    "CC BY 4.0",
    "https://creativecommons.org/licenses/by/4.0/",
    "All rights reserved.",
    "© 2020 Wilson Center",
];

const IDENTIFIERS: &[&str] = &[
    "urn:example:interview-17",
    "doi:10.1234/abc",
    "10.5281/zenodo.1",
    "https://example.org/id/1",
    "ACC-1984-07",
];

// ---------------------------------------------------------------------------
// Abstract transcripts: the shape, with indices where the model needs context
// (participants). Shrinking works on this shape.

/// An inline node.
#[derive(Debug, Clone)]
enum AInline {
    Word(Index),
    Marker(Index),
    Emph(Seq),
    Strong(Seq),
    Link(Index, Seq),
    Note(Option<Index>, Seq),
}

/// What separates a sequence item from the previous one.
#[derive(Debug, Clone, Copy)]
enum Sep {
    Space,
    /// Two spaces: kept by every reader.
    Spaces,
    /// Nothing (`word*emphasis*`, `word[note]`), where Markdown can say it.
    Glued,
}

type Seq = Vec<(Sep, AInline)>;

#[derive(Debug, Clone)]
enum ABlock {
    Section(Seq, Vec<ABlock>),
    Para(Seq),
    Turn {
        speaker: Index,
        /// Others who say the turn with the speaker.
        with: Vec<Index>,
        start: Option<u64>,
        /// Milliseconds after the start (or zero) that the turn ends.
        end_after: Option<u64>,
        continues: bool,
        inferred: bool,
        /// A label without words, the words in the next paragraphs.
        empty_first: bool,
        paras: Vec<Seq>,
    },
}

#[derive(Debug, Clone)]
struct AParticipant {
    name: String,
    role: Role,
    aliases: Vec<String>,
}

fn sep() -> impl Strategy<Value = Sep> + Clone {
    prop_oneof![15 => Just(Sep::Space), 1 => Just(Sep::Spaces), 4 => Just(Sep::Glued)]
}

fn inline() -> impl Strategy<Value = AInline> {
    let leaf = prop_oneof![
        6 => any::<Index>().prop_map(AInline::Word),
        1 => any::<Index>().prop_map(AInline::Marker),
    ];
    leaf.prop_recursive(3, 10, 3, |inner| {
        let item = (sep(), inner);
        prop_oneof![
            prop::collection::vec(item.clone(), 1..4).prop_map(AInline::Emph),
            prop::collection::vec(item.clone(), 1..4).prop_map(AInline::Strong),
            (any::<Index>(), prop::collection::vec(item.clone(), 0..3))
                .prop_map(|(u, c)| AInline::Link(u, c)),
            (
                prop::option::weighted(0.4, any::<Index>()),
                prop::collection::vec(item, 0..3)
            )
                .prop_map(|(r, c)| AInline::Note(r, c)),
        ]
    })
}

fn seq(max: usize) -> impl Strategy<Value = Seq> {
    prop::collection::vec((sep(), inline()), 1..max)
}

fn timestamp() -> impl Strategy<Value = u64> {
    (
        0u64..400_000,
        prop_oneof![3 => Just(0u64), 1 => 0u64..1000, 1 => Just(500u64)],
    )
        .prop_map(|(s, ms)| s * 1000 + ms)
}

fn leaf_block() -> impl Strategy<Value = ABlock> {
    prop_oneof![
        1 => seq(8).prop_map(ABlock::Para),
        3 => (
            (
                any::<Index>(),
                prop::collection::vec(any::<Index>(), 0..3).prop_map(|v| {
                    // Mostly one voice.
                    if v.len() == 2 { v } else { Vec::new() }
                }),
                prop::option::weighted(0.3, timestamp()),
                prop::option::weighted(0.2, 0u64..60_000),
            ),
            prop::bool::weighted(0.6),
            prop::bool::weighted(0.15),
            prop::bool::weighted(0.1),
            prop::collection::vec(seq(8), 1..4),
        )
            .prop_map(|((speaker, with, start, end_after), continues, inferred, empty_first, paras)| ABlock::Turn {
                speaker,
                with,
                start,
                end_after,
                continues,
                inferred,
                empty_first,
                paras,
            }),
    ]
}

/// Blocks with sections nested at most `depth` deep.
fn blocks(depth: u32, max: usize) -> BoxedStrategy<Vec<ABlock>> {
    if depth == 0 {
        return prop::collection::vec(leaf_block(), 0..max).boxed();
    }
    let section = (seq(4), blocks(depth - 1, 5))
        .prop_map(|(heading, blocks)| ABlock::Section(heading, blocks));
    prop::collection::vec(prop_oneof![2 => leaf_block(), 1 => section], 0..max).boxed()
}

/// A metadata value: a tricky one or a few words.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        select(TRICKY).prop_map(str::to_string),
        prop::collection::vec(select(WORDS), 1..4).prop_map(|w| w.join(" ")),
    ]
}

fn opt<T: std::fmt::Debug + Clone>(
    s: impl Strategy<Value = T>,
) -> impl Strategy<Value = Option<T>> {
    prop::option::weighted(0.6, s)
}

fn metadata() -> impl Strategy<Value = Metadata> {
    let pick = |pool: &'static [&'static str]| opt(select(pool).prop_map(str::to_string));
    // Dates and languages are typed: only what the model can hold is generated.
    let date = opt(select(DATES).prop_filter_map("an ISO date", |d| d.parse().ok()));
    let language = opt(select(LANGUAGES).prop_filter_map("a language tag", |l| l.parse().ok()));
    (
        (opt(value()), opt(value()), date, language),
        (opt(value()), pick(URLS), pick(RIGHTS), pick(IDENTIFIERS)),
        (
            opt(prop_oneof![
                3 => value(),
                // A YAML scalar may hold a line break; every format must keep it.
                1 => Just("First line.\nSecond line.".to_string()),
            ]),
            prop::collection::vec(value(), 0..3),
            opt(value()),
        ),
    )
        .prop_map(
            |(
                (title, subtitle, date, language),
                (publisher, source_url, rights, identifier),
                (description, keywords, place),
            )| Metadata {
                title,
                subtitle,
                date,
                language,
                publisher,
                source_url,
                rights,
                identifier,
                description,
                keywords,
                place,
            },
        )
}

fn participant() -> impl Strategy<Value = AParticipant> {
    (
        prop_oneof![select(NAMES).prop_map(str::to_string), value(),],
        prop_oneof![
            Just(Role::Interviewer),
            Just(Role::Interviewee),
            Just(Role::Other)
        ],
        prop::collection::vec(
            prop_oneof![select(NAMES).prop_map(str::to_string), value()],
            0..3,
        ),
    )
        .prop_map(|(name, role, aliases)| AParticipant {
            name,
            role,
            aliases,
        })
}

fn participants() -> impl Strategy<Value = Vec<Participant>> {
    (
        prop_oneof![1 => subsequence(IDS, 0..=0), 9 => subsequence(IDS, 1..=4)],
        prop::collection::vec(participant(), 4),
    )
        .prop_map(|(ids, ps)| {
            // Ids, names and aliases name one participant each (see module docs).
            let mut used: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
            ids.iter()
                .zip(ps)
                .map(|(id, p)| {
                    let name = if used.contains(&p.name) {
                        id.to_string()
                    } else {
                        p.name
                    };
                    used.push(name.clone());
                    let mut aliases = Vec::new();
                    for a in p.aliases {
                        if !used.contains(&a) {
                            used.push(a.clone());
                            aliases.push(a);
                        }
                    }
                    Participant {
                        id: id.to_string(),
                        name,
                        role: p.role,
                        aliases,
                    }
                })
                .collect()
        })
}

// ---------------------------------------------------------------------------
// Abstract → model

struct Build<'a> {
    ids: Vec<String>,
    /// `WORDS`, then every participant label followed by a colon, to tempt the
    /// label parser.
    words: Vec<String>,
    participants: &'a [Participant],
}

fn push_text(out: &mut Vec<Inline>, s: &str) {
    if let Some(Inline::Text { text }) = out.last_mut() {
        text.push_str(s);
    } else {
        out.push(Inline::text(s));
    }
}

impl Build<'_> {
    fn new(participants: &[Participant]) -> Build<'_> {
        let mut words: Vec<String> = WORDS.iter().map(|s| s.to_string()).collect();
        for p in participants {
            words.push(format!("{}:", p.id));
            words.push(format!("{}:", p.name));
            words.extend(p.aliases.iter().map(|a| format!("{a}:")));
        }
        Build {
            ids: participants.iter().map(|p| p.id.clone()).collect(),
            words,
            participants,
        }
    }

    fn seq(&self, items: &Seq, within: Within) -> Vec<Inline> {
        let mut out = Vec::new();
        for (i, (sep, node)) in items.iter().enumerate() {
            let mut next = Vec::new();
            self.inline(node, within, &mut next);
            // Delimiters of emphasis at the edge of emphasis touch the parent's.
            let edges = (
                within.delimited && i == 1,
                within.delimited && i + 1 == items.len(),
            );
            match sep {
                _ if i == 0 => {}
                Sep::Glued if can_glue(&out, &next, edges, within) => {}
                Sep::Spaces => push_text(&mut out, "  "),
                _ => push_text(&mut out, " "),
            }
            for n in next {
                match n {
                    Inline::Text { text } => push_text(&mut out, &text),
                    other => out.push(other),
                }
            }
        }
        out
    }

    fn inline(&self, node: &AInline, within: Within, out: &mut Vec<Inline>) {
        match node {
            AInline::Word(i) => push_text(out, i.get::<String>(&self.words)),
            AInline::Marker(i) => {
                let desc = i.get(MARKERS).to_string();
                let kind = MarkerKind::classify(&desc).expect("a marker word");
                out.push(Inline::Marker { kind, desc });
            }
            AInline::Emph(c) | AInline::Strong(c) => {
                let strong = matches!(node, AInline::Strong(_));
                let nested = if strong {
                    within.strong
                } else {
                    within.emphasis
                };
                let content = self.seq(
                    c,
                    Within {
                        emphasis: within.emphasis || !strong,
                        strong: within.strong || strong,
                        delimited: true,
                        ..within
                    },
                );
                let word = |first| edge(&content, first).is_some_and(char::is_alphanumeric);
                if nested && !(word(true) && word(false)) {
                    // See `can_glue`: unwrapped.
                    out.extend(content);
                } else if strong {
                    out.push(Inline::Strong { content });
                } else {
                    out.push(Inline::Emphasis { content });
                }
            }
            // No links in links: see the module docs.
            AInline::Link(_, c) if within.link && c.is_empty() => push_text(out, "link"),
            AInline::Link(_, c) if within.link => {
                self.inline(&AInline::Strong(c.clone()), within, out)
            }
            // Emphasis inside link text pairs only there.
            AInline::Link(u, c) => out.push(Inline::Link {
                target: u.get(URLS).to_string(),
                content: self.seq(
                    c,
                    Within {
                        link: true,
                        ..Within::default()
                    },
                ),
            }),
            AInline::Note(resp, c) => out.push(Inline::Note {
                resp: resp
                    .filter(|_| !self.ids.is_empty())
                    .map(|r| r.get(self.ids.as_slice()).clone()),
                content: self.seq(
                    c,
                    Within {
                        delimited: false,
                        ..within
                    },
                ),
            }),
        }
    }

    fn blocks(&self, blocks: &[ABlock]) -> Vec<Block> {
        blocks
            .iter()
            .map(|b| match b {
                ABlock::Section(h, bs) => Block::Section(Section {
                    heading: self.seq(h, Within::default()),
                    blocks: self.blocks(bs),
                }),
                ABlock::Para(s) => Block::Paragraph(Paragraph {
                    content: self.seq(s, Within::default()),
                }),
                ABlock::Turn { paras, .. } if self.participants.is_empty() => {
                    Block::Paragraph(Paragraph {
                        content: self.seq(&paras[0], Within::default()),
                    })
                }
                ABlock::Turn {
                    speaker,
                    with,
                    start,
                    end_after,
                    continues,
                    inferred,
                    empty_first,
                    paras,
                } => {
                    let speaker = speaker.get(self.ids.as_slice()).clone();
                    let mut others: Vec<String> = Vec::new();
                    for w in with {
                        let id = w.get(self.ids.as_slice()).clone();
                        if id != speaker && !others.contains(&id) {
                            others.push(id);
                        }
                    }
                    Block::Turn(Turn {
                        speaker: speaker.into(),
                        with: others,
                        start: start.map(Timestamp::from_millis),
                        end: end_after.map(|d| Timestamp::from_millis(start.unwrap_or(0) + d)),
                        // Kept only where meaningful, by `settle_continues`.
                        continues: *continues,
                        inferred: *inferred,
                        paragraphs: empty_first
                            .then(Vec::new)
                            .into_iter()
                            .chain(paras.iter().map(|p| self.seq(p, Within::default())))
                            .collect(),
                    })
                }
            })
            .collect()
    }
}

/// The character Markdown shows at one edge of inline content: a text's own,
/// or a delimiter or bracket (punctuation) for anything else.
fn edge(list: &[Inline], first: bool) -> Option<char> {
    let node = if first { list.first() } else { list.last() }?;
    match node {
        Inline::Text { text } if first => text.chars().next(),
        Inline::Text { text } => text.chars().next_back(),
        _ => Some('*'),
    }
}

fn delimited_content(node: Option<&Inline>) -> Option<&[Inline]> {
    match node? {
        Inline::Emphasis { content } | Inline::Strong { content } => Some(content),
        _ => None,
    }
}

/// The emphasis and links that inline content is inside of.
#[derive(Debug, Clone, Copy, Default)]
struct Within {
    emphasis: bool,
    strong: bool,
    link: bool,
    /// Directly inside emphasis or strong text.
    delimited: bool,
}

/// Whether `next` can follow `prev` without a space. CommonMark cannot open
/// emphasis right after a letter when its content starts with punctuation
/// (`and*(aside)*`), nor close it right before a letter when its content ends
/// with punctuation: the delimiter is not flanking. Nor can emphasis that
/// opens or closes its parent emphasis touch a letter on its other side
/// (`**_$5_and**`, `**x*y*`), and two emphases cannot touch (`__a____b__`):
/// the delimiters pair wrongly. Such a pair gets a space.
///
/// Emphasis inside emphasis (strong inside strong) is never glued, and must
/// start and end with a letter or digit, else the generator unwraps it: an
/// inner delimiter run between two letters or two punctuation characters can
/// close the outer one (`*and*snake_case* and*`, `*a.*#*.*`,
/// `**_**[laughs]**_**`).
/// `at_edges` tells whether `prev` is the first and `next` the last item
/// directly inside emphasis.
fn can_glue(prev: &[Inline], next: &[Inline], at_edges: (bool, bool), within: Within) -> bool {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let opens = delimited_content(next.first())
        .is_some_and(|c| word(edge(prev, false)) && (at_edges.1 || !word(edge(c, true))));
    let closes = delimited_content(prev.last())
        .is_some_and(|c| word(edge(next, true)) && (at_edges.0 || !word(edge(c, false))));
    let adjacent =
        delimited_content(prev.last()).is_some() && delimited_content(next.first()).is_some();
    let nested = |node: Option<&Inline>| match node {
        Some(Inline::Emphasis { .. }) => within.emphasis,
        Some(Inline::Strong { .. }) => within.strong,
        _ => false,
    };
    !opens && !closes && !adjacent && !nested(prev.last()) && !nested(next.first())
}

/// Clears `continues` where it means nothing: it stays on a turn that opens a
/// section (only headings since the previous turn) by the previous turn's
/// speaker, and starts with words.
fn settle_continues(blocks: &mut [Block], last: &mut Option<String>, first_in_section: bool) {
    for (i, b) in blocks.iter_mut().enumerate() {
        match b {
            Block::Turn(t) => {
                t.continues &= first_in_section
                    && i == 0
                    && last.as_deref() == Some(t.speaker.as_str())
                    && !t.paragraphs[0].is_empty();
                *last = Some(t.speaker.to_string());
            }
            Block::Paragraph(_) => *last = None,
            Block::Section(s) => settle_continues(&mut s.blocks, last, true),
        }
    }
}

fn transcript() -> impl Strategy<Value = Transcript> {
    (metadata(), participants(), blocks(3, 8)).prop_map(|(metadata, participants, body)| {
        let build = Build::new(&participants);
        let mut body = build.blocks(&body);
        settle_continues(&mut body, &mut None, false);
        Transcript::new(metadata, participants, body).expect("the generator makes valid models")
    })
}

fn contexts() -> impl Strategy<Value = WriteContext> {
    (
        prop::option::of(0i64..4_000_000_000),
        prop::option::of(Just("verbatim 0.1.0".to_string())),
    )
        .prop_map(|(epoch, generator)| WriteContext::new(generator, DatePolicy::new(epoch)))
}

// ---------------------------------------------------------------------------
// Helpers

fn write(format: &str, t: &Transcript, cx: &WriteContext) -> Vec<u8> {
    support::write_with(support::output(format), t, &WriteOptions::default(), cx).0
}

fn read(format: &str, bytes: &[u8]) -> Result<verbatim::Parsed<Transcript>, verbatim::Diagnostic> {
    support::read(format, bytes)
}

/// A line diff of two models as JSON, for failure messages.
fn diff(expected: &Transcript, actual: &Transcript) -> String {
    let json = |t| String::from_utf8(write("json", t, &WriteContext::default())).unwrap();
    let (a, b) = (json(expected), json(actual));
    similar::TextDiff::from_lines(&a, &b)
        .unified_diff()
        .context_radius(4)
        .header("expected", "read back")
        .to_string()
}

/// A line diff of a first and a second writing, for failure messages.
fn changes(first: &[u8], second: &[u8]) -> String {
    let (a, b) = (
        String::from_utf8_lossy(first),
        String::from_utf8_lossy(second),
    );
    let diff = similar::TextDiff::from_lines(&a, &b)
        .unified_diff()
        .context_radius(4)
        .header("first", "second")
        .to_string();
    format!("not stable:\n{diff}\n---- first ----\n{a}")
}

/// `cases` cases, or `PROPTEST_CASES` when set.
fn config(cases: u32) -> Config {
    let env = std::env::var("PROPTEST_CASES").ok();
    Config {
        cases: env.and_then(|n| n.parse().ok()).unwrap_or(cases),
        failure_persistence: None,
        ..Config::default()
    }
}

/// What the Markdown writer documents it cannot say, applied to a model: the
/// model that reading its Markdown must give.
fn markdown_expected(t: &Transcript) -> Transcript {
    let mut t = t.clone();
    md_blocks(&mut t.body);
    t.body = md_restructure(std::mem::take(&mut t.body));
    t
}

fn md_blocks(blocks: &mut [Block]) {
    for b in blocks {
        match b {
            Block::Section(s) => {
                // Headings are plain text: notes and markers in literal brackets.
                let mut flat = Vec::new();
                flatten_brackets(&s.heading, &mut flat);
                md_inlines(&mut flat);
                s.heading = flat;
                md_blocks(&mut s.blocks);
            }
            Block::Paragraph(p) => md_inlines(&mut p.content),
            Block::Turn(t) => {
                // `inferred` and `end` are dropped; a continuing turn with a start time,
                // or said together, gets a label.
                t.inferred = false;
                t.end = None;
                t.continues &= t.start.is_none() && t.with.is_empty();
                t.paragraphs.iter_mut().for_each(|p| md_inlines(p));
            }
        }
    }
}

/// An unattributed note whose only text is a marker word reads back as a
/// marker, and line breaks in text become spaces.
fn md_inlines(list: &mut [Inline]) {
    for i in list {
        match i {
            Inline::Text { text } => *text = text.replace(['\n', '\r'], " "),
            Inline::Note {
                resp: None,
                content,
            } if marker_words(content).is_some() => {
                let (kind, desc) = marker_words(content).unwrap();
                *i = Inline::Marker { kind, desc };
            }
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Link { content, .. }
            | Inline::Note { content, .. } => md_inlines(content),
            Inline::Marker { .. } => {}
        }
    }
}

fn marker_words(content: &[Inline]) -> Option<(MarkerKind, String)> {
    match content {
        [Inline::Text { text }] => Some((MarkerKind::classify(text)?, text.clone())),
        _ => None,
    }
}

fn flatten_brackets(list: &[Inline], out: &mut Vec<Inline>) {
    for node in list {
        match node {
            Inline::Note { resp, content } => {
                push_text(out, "[");
                flatten_brackets(content, out);
                if let Some(r) = resp {
                    push_text(out, &format!("—{r}"));
                }
                push_text(out, "]");
            }
            Inline::Marker { desc, .. } => push_text(out, &format!("[{desc}]")),
            Inline::Emphasis { content } => {
                let mut inner = Vec::new();
                flatten_brackets(content, &mut inner);
                out.push(Inline::Emphasis { content: inner });
            }
            Inline::Strong { content } => {
                let mut inner = Vec::new();
                flatten_brackets(content, &mut inner);
                out.push(Inline::Strong { content: inner });
            }
            Inline::Link { target, content } => {
                let mut inner = Vec::new();
                flatten_brackets(content, &mut inner);
                out.push(Inline::Link {
                    target: target.clone(),
                    content: inner,
                });
            }
            Inline::Text { text } => push_text(out, text),
        }
    }
}

/// Blocks that follow a subsection inside its parent end up in the subsection:
/// Markdown headings only open sections. Flattens the tree into headings and
/// blocks and rebuilds it the way a reader of headings does.
fn md_restructure(body: Vec<Block>) -> Vec<Block> {
    enum Ev {
        Heading(usize, Vec<Inline>),
        Block(Block),
    }
    fn flatten(blocks: Vec<Block>, depth: usize, out: &mut Vec<Ev>) {
        for b in blocks {
            match b {
                Block::Section(s) => {
                    out.push(Ev::Heading(depth, s.heading));
                    flatten(s.blocks, depth + 1, out);
                }
                other => out.push(Ev::Block(other)),
            }
        }
    }
    fn close(open: &mut Vec<Section>, root: &mut Vec<Block>, keep: usize) {
        while open.len() > keep {
            let s = open.pop().unwrap();
            match open.last_mut() {
                Some(parent) => parent.blocks.push(Block::Section(s)),
                None => root.push(Block::Section(s)),
            }
        }
    }
    let mut events = Vec::new();
    flatten(body, 0, &mut events);
    let mut root = Vec::new();
    let mut open: Vec<Section> = Vec::new();
    for ev in events {
        match ev {
            Ev::Heading(depth, heading) => {
                let keep = depth.min(open.len());
                close(&mut open, &mut root, keep);
                open.push(Section {
                    heading,
                    blocks: Vec::new(),
                });
            }
            Ev::Block(b) => match open.last_mut() {
                Some(s) => s.blocks.push(b),
                None => root.push(b),
            },
        }
    }
    close(&mut open, &mut root, 0);
    root
}

// ---------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(config(64))]

    /// JSON → model gives the model back, and writing that again the same bytes.
    #[test]
    fn json_round_trips(t in transcript()) {
        let bytes = write("json", &t, &WriteContext::default());
        let back = read("json", &bytes).expect("JSON reads back");
        prop_assert!(back.warnings.is_empty(), "{:?}", back.warnings);
        prop_assert!(back.value == t, "{}", diff(&t, &back.value));
        let again = write("json", &back.value, &WriteContext::default());
        prop_assert!(again == bytes, "{}", changes(&bytes, &again));
    }

    /// TEI → model gives the model back without warnings, and the same bytes again.
    #[test]
    fn tei_round_trips(t in transcript(), cx in contexts()) {
        let bytes = write("tei", &t, &cx);
        let xml = String::from_utf8_lossy(&bytes);
        let back = read("tei", &bytes)
            .unwrap_or_else(|e| panic!("TEI does not read back: {e}\n{xml}"));
        prop_assert!(back.warnings.is_empty(), "{:?}\n{}", back.warnings, xml);
        prop_assert!(back.value == t, "{}\n{}", diff(&t, &back.value), xml);
        let again = write("tei", &back.value, &cx);
        prop_assert!(again == bytes, "{}", changes(&bytes, &again));
    }

    /// Markdown → model gives the model back, less what Markdown documents it
    /// cannot say; and Markdown from the writer, read and written again, gives
    /// the same bytes (from the second writing on when the model had something
    /// Markdown cannot say).
    #[test]
    fn markdown_round_trips(t in transcript()) {
        let cx = WriteContext::default();
        let bytes = write("md", &t, &cx);
        let md = String::from_utf8_lossy(&bytes);
        let back = read("md", &bytes)
            .unwrap_or_else(|e| panic!("Markdown does not read back: {e}\n{md}"));
        prop_assert!(back.warnings.is_empty(), "{:?}\n{}", back.warnings, md);
        let expected = markdown_expected(&t);
        prop_assert!(back.value == expected, "{}\n{}", diff(&expected, &back.value), md);
        let again = write("md", &back.value, &cx);
        if expected == t {
            prop_assert!(again == bytes, "{}", changes(&bytes, &again));
        }
        let third = read("md", &again).expect("reads back");
        prop_assert!(third.value == back.value, "{}", diff(&back.value, &third.value));
        let fourth = write("md", &third.value, &cx);
        prop_assert!(fourth == again, "{}", changes(&again, &fourth));
    }

    /// Plain text is written for any model: not empty, UTF-8.
    #[test]
    fn text_is_written(t in transcript()) {
        let bytes = write("txt", &t, &WriteContext::default());
        prop_assert!(!bytes.is_empty());
        prop_assert!(std::str::from_utf8(&bytes).is_ok());
    }

    /// Writing the same model twice gives the same bytes (text formats).
    #[test]
    fn text_formats_are_deterministic(t in transcript(), cx in contexts()) {
        for format in ["json", "md", "txt", "tei"] {
            prop_assert!(write(format, &t, &cx) == write(format, &t, &cx), "{}", format);
        }
    }
}

proptest! {
    #![proptest_config(config(32))]

    /// An EPUB is written for any model: a zip whose first entry is `mimetype`.
    #[test]
    fn epub_is_written(t in transcript(), cx in contexts()) {
        let bytes = write("epub", &t, &cx);
        let described = support::describe(support::output("epub"), &bytes);
        prop_assert!(described.starts_with("mimetype  stored\n"), "{}", described);
    }

    /// A PDF is written for any model, parses and has pages.
    #[test]
    fn pdf_is_written(t in transcript(), cx in contexts()) {
        let bytes = write("pdf", &t, &cx);
        let described = support::describe(support::output("pdf"), &bytes);
        let pages: usize = described
            .lines()
            .find_map(|l| l.strip_prefix("pages: "))
            .and_then(|n| n.parse().ok())
            .expect("a page count");
        prop_assert!(pages >= 1, "{}", described);
    }

    /// Writing the same model twice gives the same bytes (EPUB and PDF).
    #[test]
    fn binary_formats_are_deterministic(t in transcript(), cx in contexts()) {
        for format in ["epub", "pdf"] {
            prop_assert!(write(format, &t, &cx) == write(format, &t, &cx), "{}", format);
        }
    }
}

/// Any character, with the classes Markdown and XML treat specially made likely:
/// controls, U+FFFE/U+FFFF, surrogate-adjacent and private-use code points, Markdown
/// and YAML punctuation, zero-width and bidi controls, combining marks.
fn any_text() -> impl Strategy<Value = String> {
    let special = prop_oneof![
        Just('\t'),
        Just('\n'),
        Just('\r'),
        (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap()),
        Just('\u{7F}'),
        Just('\u{85}'),
        Just('\u{FFFE}'),
        Just('\u{FFFF}'),
        Just('\u{FEFF}'),
        Just('\u{200B}'),
        Just('\u{202E}'),
        Just('\u{301}'),
        Just('\u{D7FF}'),
        Just('\u{E000}'),
        Just('\u{10FFFF}'),
        select(
            &[
                '*', '_', '[', ']', '`', '#', '>', '-', '|', '\\', '<', '&', ':', '!', '~', '"',
                '\''
            ][..]
        ),
    ];
    prop::collection::vec(
        prop_oneof![12 => any::<char>(), 3 => special, 4 => Just(' ')],
        1..40,
    )
    .prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(Config { max_global_rejects: 20_000, ..config(256) })]

    /// Whatever the text of a valid model holds, the Markdown writer writes what its
    /// reader reads (the model refuses what no writer could write).
    #[test]
    fn markdown_writes_only_what_it_reads(text in any_text(), name in any_text()) {
        let participants = vec![verbatim::model::Participant::new(
            "A",
            name.trim(),
            verbatim::model::Role::Interviewee,
        )];
        let body = vec![verbatim::model::Block::Turn(verbatim::model::Turn::new(
            "A",
            vec![vec![verbatim::model::Inline::text(text.trim())]],
        ))];
        let t = Transcript::new(verbatim::model::Metadata::default(), participants, body);
        // What the model refuses no writer meets (too many refusals fail the test).
        prop_assume!(t.is_ok());
        let t = t.unwrap();
        let bytes = write("md", &t, &WriteContext::default());
        let md = String::from_utf8_lossy(&bytes);
        read("md", &bytes).unwrap_or_else(|e| panic!("{e}\n{md:?}"));
    }
}
