//! Hand-built transcripts that exercise the writer, and helpers to read an EPUB back.

#![allow(dead_code)]

use std::io::{Cursor, Read};

use verbatim_model::{
    Block, Inline, MarkerKind, Metadata, Paragraph, Participant, Role, Section, Timestamp,
    Transcript, Turn,
};

pub fn text(s: &str) -> Inline {
    Inline::text(s)
}

pub fn para(s: &str) -> Block {
    Block::Paragraph(Paragraph {
        content: vec![text(s)],
    })
}

pub fn turn(speaker: &str, paragraphs: &[&str]) -> Block {
    Block::Turn(Turn::new(
        speaker,
        paragraphs.iter().map(|p| vec![text(p)]).collect::<Vec<_>>(),
    ))
}

pub fn section(heading: &str, blocks: Vec<Block>) -> Block {
    Block::Section(Section {
        heading: vec![text(heading)],
        blocks,
    })
}

/// An interview shaped like the seed: introduction, sections, a turn continued across a
/// heading, notes, markers, links, back matter, and every metadata field.
pub fn interview() -> Transcript {
    let metadata = Metadata {
        title: Some("Israel and Russia: An Interview".into()),
        subtitle: Some("Deconfliction & its limits".into()),
        date: Some("2020-01-28".parse().unwrap()),
        language: Some("en".parse().unwrap()),
        publisher: Some("Kennan Institute, Wilson Center".into()),
        source_url: Some("https://www.wilsoncenter.org/blog-post/israel-and-russia".into()),
        rights: Some("CC BY 4.0".into()),
        identifier: None,
        description: Some("An interview on Israel’s relationship with Russia <and> more.".into()),
        keywords: vec![
            "Israel".into(),
            "Russia".into(),
            "Russian-speaking Israelis".into(),
        ],
        place: Some("Washington, DC".into()),
    };
    let participants = vec![
        Participant::new("IT", "Izabella Tabarovsky", Role::Interviewer),
        Participant::new("AG", "Amos Gilead", Role::Interviewee),
    ];
    let continued = Block::Turn(Turn {
        speaker: "AG".into(),
        with: Vec::new(),
        start: None,
        end: None,
        continues: true,
        inferred: false,
        paragraphs: verbatim_model::smallvec![vec![text(
            "What we have with Russia today is a deconfliction agreement.",
        )]],
    });
    let noted = Block::Turn(Turn::new(
        "AG",
        vec![
            vec![
                text("We do have the excellent UAV "),
                Inline::Note {
                    resp: Some("IT".into()),
                    content: vec![text("unmanned aerial vehicle")],
                },
                text(" technology. "),
                Inline::Marker {
                    kind: MarkerKind::Vocal,
                    desc: "laughs".into(),
                },
            ],
            vec![
                text("See "),
                Inline::Link {
                    target: "https://www.wilsoncenter.org/".into(),
                    content: vec![Inline::Emphasis {
                        content: vec![text("the Center")],
                    }],
                },
                text(" and "),
                Inline::Strong {
                    content: vec![text("nothing else")],
                },
                text("."),
            ],
        ],
    ));
    let body = vec![
        para("Major General (Res.) Amos Gilead is a well-known figure in Washington, DC."),
        para("This interview has been edited for length and clarity."),
        section(
            "Israel’s relationship with Russia",
            vec![
                turn(
                    "IT",
                    &["Can you help us understand Israel’s relationship with Russia?"],
                ),
                turn(
                    "AG",
                    &[
                        "Israel has one real ally—the United States of America.",
                        "Now to Russia: …",
                    ],
                ),
            ],
        ),
        section(
            "Deconfliction, not cooperation",
            vec![
                continued,
                noted,
                turn("IT", &["What about Russia?"]),
                turn("AG", &["You can’t compare."]),
            ],
        ),
        section(
            "About the Author",
            vec![para("Izabella Tabarovsky"), para("Senior Advisor")],
        ),
    ];
    Transcript::new(metadata, participants, body).unwrap()
}

/// Timestamps (with milliseconds), an inferred speaker, three participants with one of
/// role Other, turns before the first section, sections nested seven deep, every marker
/// kind, and an identifier that needs escaping.
pub fn timestamped() -> Transcript {
    let metadata = Metadata {
        title: Some("Oral history: the harbour".into()),
        date: Some("1998-06".parse().unwrap()),
        language: Some("en-GB".parse().unwrap()),
        identifier: Some("urn:example:oral-history:harbour&docks/12".into()),
        keywords: vec!["harbour".into()],
        ..Metadata::default()
    };
    let participants = vec![
        Participant::new("Q", "Ann Questioner", Role::Interviewer),
        Participant::new("Q2", "Bob Second", Role::Interviewer),
        Participant::new("N", "Nora Narrator", Role::Interviewee),
        Participant::new("X", "Xavier Interpreter", Role::Other),
    ];
    let timed = |speaker: &str, ms: u64, words: &str| {
        Block::Turn(Turn {
            speaker: speaker.into(),
            with: Vec::new(),
            start: Some(Timestamp::from_millis(ms)),
            end: None,
            continues: false,
            inferred: false,
            paragraphs: verbatim_model::smallvec![vec![text(words)]],
        })
    };
    let inferred = Block::Turn(Turn {
        speaker: "X".into(),
        with: Vec::new(),
        start: Some(Timestamp::from_millis(3_723_250)),
        end: None,
        continues: false,
        inferred: true,
        paragraphs: verbatim_model::smallvec![vec![
            text("She says the boats "),
            Inline::Marker {
                kind: MarkerKind::Gap,
                desc: "inaudible".into(),
            },
            text(" "),
            Inline::Marker {
                kind: MarkerKind::Pause,
                desc: "long pause".into(),
            },
            text(" came back "),
            Inline::Marker {
                kind: MarkerKind::Incident,
                desc: "crosstalk".into(),
            },
            Inline::Note {
                resp: None,
                content: vec![text("unclear which boats")],
            },
        ]],
    });
    let mut deep = vec![timed("N", 4_000_000, "At the bottom.")];
    for level in (2..=7).rev() {
        deep = vec![section(&format!("Level {level}"), deep)];
    }
    let body = vec![
        timed("Q", 0, "We are recording."),
        timed("N", 5_000, "Good."),
        section(
            "Childhood",
            vec![
                timed("Q", 65_000, "Where did you grow up?"),
                timed("N", 70_500, "By the harbour."),
                inferred,
                section(
                    "The war years",
                    vec![timed("Q2", 1_800_000, "And the war?")],
                ),
            ],
        ),
        section("Depths", deep),
    ];
    Transcript::new(metadata, participants, body).unwrap()
}

/// Odd input: blank title, one speaker, empty headings, markup characters in text and
/// metadata (characters XML forbids never reach a writer: the model refuses them), links and a source that cannot be linked, a date that is not ISO.
pub fn bare() -> Transcript {
    let participants = vec![Participant::new("A", "A Speaker <1>", Role::Other)];
    let body = vec![
        Block::Section(Section {
            heading: vec![],
            blocks: vec![Block::Turn(Turn::new(
                "A",
                vec![
                    vec![text("Control characters & <markup>.")],
                    vec![Inline::Link {
                        target: "notes.xhtml".into(),
                        content: vec![text("a relative link")],
                    }],
                    vec![Inline::Link {
                        target: "https://bad host/".into(),
                        content: vec![text("a bad URL")],
                    }],
                ],
            ))],
        }),
        section("   ", vec![turn("A", &[""])]),
    ];
    let metadata = Metadata {
        title: Some(" ".into()),
        description: Some("A description.".into()),
        keywords: vec!["key word".into(), " ".into()],
        rights: Some("All rights reserved".into()),
        publisher: Some("  ".into()),
        source_url: Some("https://exa mple.org/".into()),
        identifier: Some("id 1".into()),
        ..Metadata::default()
    };
    Transcript::new(metadata, participants, body).unwrap()
}

/// A right-to-left transcript: Hebrew with a Hebrew subtitle and a back matter paragraph.
pub fn hebrew() -> Transcript {
    let metadata = Metadata {
        title: Some("ראיון".into()),
        subtitle: Some("על הנמל".into()),
        language: Some("he".parse().unwrap()),
        date: Some("2001".parse().unwrap()),
        ..Metadata::default()
    };
    let participants = vec![
        Participant::new("M", "מרים", Role::Interviewer),
        Participant::new("D", "דוד", Role::Interviewee),
    ];
    let body = vec![
        section(
            "פתיחה",
            vec![
                turn("M", &["שלום, ספר לי על הנמל."]),
                turn("D", &["גדלתי ליד הים."]),
            ],
        ),
        para("תודה לכל המשתתפים."),
    ];
    Transcript::new(metadata, participants, body).unwrap()
}

/// Narrative only: no turns at all, so everything is the main part.
pub fn narrative() -> Transcript {
    let metadata = Metadata {
        title: Some("Notes on a visit".into()),
        language: Some("fr".parse().unwrap()),
        ..Metadata::default()
    };
    let body = vec![
        para("Une introduction."),
        section("Première partie", vec![para("Du texte.")]),
    ];
    Transcript::new(metadata, vec![], body).unwrap()
}

/// A section with a subsection, then a second section.
pub fn nested() -> Transcript {
    let participants = vec![Participant::new("A", "Ada", Role::Interviewee)];
    let body = vec![
        section(
            "Part one",
            vec![
                turn("A", &["First."]),
                section("A detail", vec![turn("A", &["Second."])]),
            ],
        ),
        section("Part two", vec![turn("A", &["Third."])]),
    ];
    let metadata = Metadata {
        title: Some("Nested".into()),
        ..Metadata::default()
    };
    Transcript::new(metadata, participants, body).unwrap()
}

/// No body at all.
pub fn empty() -> Transcript {
    Transcript::new(Metadata::default(), vec![], vec![]).unwrap()
}

pub fn all() -> Vec<(&'static str, Transcript)> {
    vec![
        ("interview", interview()),
        ("timestamped", timestamped()),
        ("bare", bare()),
        ("hebrew", hebrew()),
        ("narrative", narrative()),
        ("empty", empty()),
        ("nested", nested()),
    ]
}

/// The entries of an EPUB in zip order, as (name, bytes).
pub fn entries(epub: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(epub)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().to_string(), bytes)
        })
        .collect()
}

/// The text of one entry.
pub fn entry(epub: &[u8], name: &str) -> String {
    let (_, bytes) = entries(epub)
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no entry {name}"));
    String::from_utf8(bytes).unwrap()
}

/// The EPUB of a transcript in a context.
pub fn write_in(t: &Transcript, cx: &verbatim_model::WriteContext) -> Vec<u8> {
    let mut out = Vec::new();
    verbatim_epub::write(t, &verbatim_epub::EpubOptions::default(), cx, &mut out).unwrap();
    out
}
