//! Hand-built transcripts shared by the round-trip and schema tests.

#![allow(dead_code)]

use verbatim_model::{
    Block, Inline, MarkerKind, Metadata, Paragraph, Participant, Role, Section, Timestamp,
    Transcript, Turn,
};

pub fn t(s: &str) -> Inline {
    Inline::text(s)
}

pub fn para(content: Vec<Inline>) -> Block {
    Block::Paragraph(Paragraph { content })
}

pub fn section(heading: &str, blocks: Vec<Block>) -> Block {
    Block::Section(Section {
        heading: vec![t(heading)],
        blocks,
    })
}

pub fn turn(speaker: &str, paragraphs: Vec<Vec<Inline>>) -> Turn {
    Turn::new(speaker, paragraphs)
}

pub fn marker(kind: MarkerKind, desc: &str) -> Inline {
    Inline::Marker {
        kind,
        desc: desc.into(),
    }
}

pub fn note(resp: Option<&str>, text: &str) -> Inline {
    Inline::Note {
        resp: resp.map(str::to_string),
        content: vec![t(text)],
    }
}

pub fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// Every metadata field, every block and inline kind, nested sections, timestamps,
/// continuation, inference, front and back matter, awkward characters.
pub fn rich() -> Transcript {
    let metadata = Metadata {
        title: Some("Israel & Russia: An “Interview” <draft>".into()),
        subtitle: Some("With a subtitle".into()),
        date: Some("2020-01-28".parse().unwrap()),
        language: Some("en-GB".parse().unwrap()),
        publisher: Some("Kennan Institute, Wilson Center".into()),
        source_url: Some("https://example.org/interview?id=1&lang=en".into()),
        rights: Some("https://creativecommons.org/licenses/by/4.0/".into()),
        identifier: Some("doi:10.1234/abc".into()),
        description: Some("Two lines\nof description, with  two spaces.".into()),
        keywords: vec![
            "Israel".into(),
            "Russia".into(),
            "Russian-speaking Israelis".into(),
        ],
        place: Some("Washington, DC".into()),
    };
    let mut it = Participant::new("IT", "Izabella Tabarovsky", Role::Interviewer);
    it.aliases = vec!["Izabella".into(), "I. T.".into()];
    let participants = vec![
        it,
        Participant::new("AG", "Amos Gilead", Role::Interviewee),
        Participant::new("X.1", "A bystander", Role::Other),
    ];

    let mut q1 = turn(
        "IT",
        vec![vec![
            t("Can you help us understand "),
            Inline::Emphasis {
                content: vec![t("Israel’s")],
            },
            t(" relationship with "),
            Inline::Strong {
                content: vec![
                    t("Russia "),
                    Inline::Emphasis {
                        content: vec![t("today")],
                    },
                ],
            },
            t("?"),
        ]],
    );
    q1.start = Some(ts("00:00:00"));
    let mut a1 = turn(
        "AG",
        vec![
            vec![
                t("Israel has one real ally—the United States. "),
                marker(MarkerKind::Vocal, "laughs"),
                t(" We use UAV "),
                note(None, "unmanned aerial vehicle"),
                t(" technology."),
            ],
            vec![
                t("Liberman gets five seats. "),
                Inline::Note {
                    resp: Some("IT".into()),
                    content: vec![
                        t("Avigdor Liberman’s party, see "),
                        Inline::Link {
                            target: "https://example.org/yisrael beiteinu".into(),
                            content: vec![t("here")],
                        },
                        t("."),
                    ],
                },
                t(" Then "),
                marker(MarkerKind::Pause, "pause"),
                t(" and "),
                marker(MarkerKind::Pause, "long pause"),
                t(" and "),
                marker(MarkerKind::Pause, "silence of 3 s"),
                t(" and "),
                marker(MarkerKind::Gap, "inaudible"),
                marker(MarkerKind::Incident, "crosstalk"),
                t("."),
            ],
            vec![],
            vec![t(
                "  Leading and trailing spaces, a\ttab and a\nline break.  ",
            )],
        ],
    );
    a1.start = Some(ts("00:01:02.500"));
    let mut a2 = turn("AG", vec![vec![t("What we have is deconfliction.")]]);
    a2.continues = true;
    a2.start = Some(ts("00:05:00"));
    let mut inferred = turn("AG", vec![vec![t("When Putin looks at Israel…")]]);
    inferred.inferred = true;
    inferred.start = Some(ts("00:05:00"));
    let mut bystander = turn("X.1", vec![vec![marker(MarkerKind::Incident, "")]]);
    bystander.start = Some(ts("01:00:00.001"));

    let body = vec![
        para(vec![
            t("An introduction with a "),
            Inline::Link {
                target: "https://example.org/".into(),
                content: vec![t("link")],
            },
            t(" & emphasis: "),
            Inline::Emphasis {
                content: vec![t("yes")],
            },
        ]),
        section(
            "Preface",
            vec![para(vec![t("A headed preface without turns.")])],
        ),
        para(vec![t(
            "This interview has been edited for length and clarity.",
        )]),
        Block::Section(Section {
            heading: vec![
                t("Israel’s relationship with "),
                Inline::Emphasis {
                    content: vec![t("Russia")],
                },
            ],
            blocks: vec![
                Block::Turn(q1),
                Block::Turn(a1),
                section(
                    "A subsection",
                    vec![
                        Block::Turn(turn("IT", vec![vec![t("A question in a subsection?")]])),
                        section("A sub-subsection", vec![para(vec![t("Narrative inside.")])]),
                    ],
                ),
                Block::Turn(turn(
                    "IT",
                    vec![vec![t("Back in the section after the subsection.")]],
                )),
                para(vec![t("A narrative paragraph between turns.")]),
                Block::Turn(turn("AG", vec![vec![t("An answer.")]])),
            ],
        }),
        Block::Section(Section {
            heading: vec![],
            blocks: vec![Block::Turn(a2)],
        }),
        section(
            "Russian-speaking Israelis",
            vec![
                Block::Turn(turn("IT", vec![vec![t("How do they view Putin?")]])),
                Block::Turn(inferred),
                Block::Turn(bystander),
            ],
        ),
        para(vec![t("Back matter paragraph.")]),
        section(
            "About the Author",
            vec![para(vec![t("Izabella Tabarovsky")]), para(vec![])],
        ),
    ];
    Transcript::new(metadata, participants, body).unwrap()
}

/// No metadata at all, one speaker, one turn.
pub fn minimal() -> Transcript {
    Transcript::new(
        Metadata::default(),
        vec![Participant::new("A", "Anna", Role::Other)],
        vec![Block::Turn(turn("A", vec![vec![t("Hello.")]]))],
    )
    .unwrap()
}

/// Only narrative: everything is main matter.
pub fn no_turns() -> Transcript {
    Transcript::new(
        Metadata {
            title: Some("Notes".into()),
            rights: Some("All rights reserved.".into()),
            identifier: Some("local-42".into()),
            ..Metadata::default()
        },
        vec![],
        vec![
            para(vec![t("Just text.")]),
            section("Heading", vec![para(vec![t("More.")])]),
        ],
    )
    .unwrap()
}

/// Nothing at all.
pub fn empty() -> Transcript {
    Transcript::new(Metadata::default(), vec![], vec![]).unwrap()
}

/// Participant ids that look like the generated ones.
pub fn clashing_ids() -> Transcript {
    let mut a = turn("u1", vec![vec![t("One.")]]);
    a.start = Some(ts("00:00:05"));
    let mut b = turn("T1", vec![vec![t("Two.")]]);
    b.start = Some(ts("00:00:09"));
    Transcript::new(
        Metadata {
            date: Some("2021".parse().unwrap()),
            ..Metadata::default()
        },
        vec![
            Participant::new("u1", "You One", Role::Interviewer),
            Participant::new("T1", "Tee One", Role::Interviewee),
            Participant::new("enc", "Encoder Person", Role::Other),
        ],
        vec![
            section("Only", vec![Block::Turn(a), Block::Turn(b)]),
            para(vec![note(Some("enc"), "signed by enc")]),
        ],
    )
    .unwrap()
}

pub fn all() -> Vec<(&'static str, Transcript)> {
    vec![
        ("rich", rich()),
        ("minimal", minimal()),
        ("no_turns", no_turns()),
        ("empty", empty()),
        ("clashing_ids", clashing_ids()),
        ("scripts", scripts(Some("en"))),
        ("scripts_unknown_language", scripts(None)),
    ]
}

/// Hebrew and Greek inside English, with and without a declared language.
pub fn scripts(language: Option<&str>) -> Transcript {
    Transcript::new(
        Metadata {
            title: Some("Markets and spices of the old city".into()),
            language: language.map(|l| l.parse().unwrap()),
            ..Metadata::default()
        },
        vec![Participant::new("Y", "יעל לוי", Role::Interviewee)],
        vec![Block::Turn(turn(
            "Y",
            vec![
                vec![t("פגשנו זה את זה בשוק.")],
                vec![
                    t("Mixed: עברית, and "),
                    Inline::Emphasis {
                        content: vec![t("καλημέρα")],
                    },
                    t(" too."),
                ],
            ],
        ))],
    )
    .unwrap()
}

/// Values that are not valid as they stand in TEI attributes.
pub fn awkward_values() -> Transcript {
    Transcript::new(
        Metadata {
            source_url: Some("http://example.org/a[1]".into()),
            rights: Some("https://example.org/%zz".into()),
            ..Metadata::default()
        },
        vec![Participant::new("A", "Ana", Role::Interviewee)],
        vec![Block::Turn(turn(
            "A",
            vec![vec![
                Inline::Link {
                    target: "50% off#a#b".into(),
                    content: vec![t("odd")],
                },
                Inline::Link {
                    target: String::new(),
                    content: vec![t("empty")],
                },
            ]],
        ))],
    )
    .unwrap()
}
