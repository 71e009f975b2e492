//! Markdown → model → Markdown → model: the model survives and the second
//! Markdown equals the first, for every Markdown fixture and for hand-built
//! models that need escaping.

use std::fs;
use std::path::{Path, PathBuf};

use verbatim_markdown::{MarkdownOptions, read_str as read, to_string};
use verbatim_model::{
    Block, Inline, MarkerKind, Metadata, Paragraph, Participant, Role, Section, Timestamp,
    Transcript, Turn,
};

fn md(t: &Transcript) -> String {
    to_string(t, &MarkdownOptions::default()).0
}

fn reread(src: &str) -> Transcript {
    read(src)
        .unwrap_or_else(|e| panic!("{e}\n---\n{src}"))
        .value
}

/// Writes `t`, reads it back, and checks the model and a second writing.
fn assert_round_trip(t: &Transcript) -> String {
    let first = md(t);
    let again = reread(&first);
    assert_eq!(&again, t, "model changed through:\n{first}");
    assert_eq!(md(&again), first, "second Markdown differs");
    first
}

fn fixture_sources() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut out: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("fixtures/")
        .filter_map(|e| {
            let dir = e.ok()?.path();
            let name = dir.file_name()?.to_str()?.to_string();
            let src = dir.join(format!("{name}.md"));
            src.is_file().then_some(src)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_markdown_fixture_round_trips_and_is_stable() {
    let sources = fixture_sources();
    assert!(sources.len() >= 2, "no Markdown fixtures found");
    for src in sources {
        let text = fs::read_to_string(&src).expect("readable");
        let model = read(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", src.display()))
            .value;
        let first = md(&model);
        let again = read(&first)
            .unwrap_or_else(|e| panic!("{}: rewritten: {e}\n{first}", src.display()))
            .value;
        assert_eq!(again, model, "{}: model changed", src.display());
        assert_eq!(md(&again), first, "{}: not stable", src.display());
    }
}

fn people() -> Vec<Participant> {
    let mut ag = Participant::new("AG", "Amos Gilead", Role::Interviewee);
    ag.aliases.push("Gilead".into());
    vec![
        Participant::new("IT", "Izabella Tabarovsky", Role::Interviewer),
        ag,
    ]
}

fn t(text: &str) -> Inline {
    Inline::text(text)
}

fn turn(who: &str, paras: Vec<Vec<Inline>>) -> Block {
    Block::Turn(Turn::new(who, paras))
}

fn para(content: Vec<Inline>) -> Block {
    Block::Paragraph(Paragraph { content })
}

fn section(heading: &str, blocks: Vec<Block>) -> Block {
    Block::Section(Section {
        heading: vec![t(heading)],
        blocks,
    })
}

fn build(metadata: Metadata, body: Vec<Block>) -> Transcript {
    Transcript::new(metadata, people(), body).expect("valid model")
}

#[test]
fn brackets_asterisks_and_markdown_syntax_in_text_are_literal() {
    let tricky = [
        "a [literal] bracket and a lone [ and ]",
        "2 * 3 * 4 and **not strong** and _not emphasis_ and snake_case_name",
        "a `tick`, a <b>tag</b>, <https://example.org>, &amp; and AT&T",
        "a backslash \\ and \\[ and a trailing one \\",
        "# not a heading",
        "- not a list",
        "1. not a list either",
        "2020) no",
        "> not a quote",
        "--- not a break",
        "***",
        "+ plus",
        "=== equals",
        "~~~ tildes",
        "[00:01:02] not a time",
        "![not an image](x)",
        "Wow! Exclamation!",
        "tab\tinside",
        "ends with hash #",
    ];
    for s in tricky {
        let m = build(
            Metadata::default(),
            vec![
                para(vec![t(s)]),
                turn("IT", vec![vec![t(s)], vec![t(s)]]),
                section(s, vec![turn("AG", vec![vec![t(s)]])]),
            ],
        );
        assert_round_trip(&m);
    }
}

#[test]
fn a_paragraph_starting_with_a_name_and_colon_stays_narrative_or_continuation() {
    let m = build(
        Metadata::default(),
        vec![
            para(vec![t("Amos Gilead: a general, as the page calls him.")]),
            para(vec![t("IT: initials in prose")]),
            para(vec![t("Gilead: the alias")]),
            para(vec![
                Inline::Strong {
                    content: vec![t("Warning:")],
                },
                t(" bold words with a colon are no label"),
            ]),
            para(vec![
                Inline::Strong {
                    content: vec![t("IT")],
                },
                t(": nor this"),
            ]),
            turn(
                "IT",
                vec![
                    vec![t("A question?")],
                    vec![t("AG: still Izabella speaking")],
                    vec![
                        Inline::Strong {
                            content: vec![t("AG:")],
                        },
                        t(" and here"),
                    ],
                ],
            ),
            turn("AG", vec![vec![t("Now to Russia: it is not an ally.")]]),
        ],
    );
    let out = assert_round_trip(&m);
    assert!(out.contains("\nAmos Gilead\\: a general"), "{out}");
}

#[test]
fn bold_text_with_a_marker_and_a_final_colon_is_no_label() {
    // Found by the property tests: the reader looks for a label before it
    // turns brackets into notes and markers, so this read as `**…:**`, an
    // undeclared speaker.
    let bold = |content| Inline::Strong { content };
    let laughs = Inline::Marker {
        kind: MarkerKind::Vocal,
        desc: "laughs".into(),
    };
    let note = Inline::Note {
        resp: Some("IT".into()),
        content: vec![t("sic")],
    };
    let m = build(
        Metadata::default(),
        vec![
            para(vec![bold(vec![laughs.clone(), t(" Izabella Tabarovsky:")])]),
            para(vec![bold(vec![t("So "), note, t(" then")]), t(": more")]),
            turn(
                "IT",
                vec![
                    vec![t("A question?")],
                    vec![bold(vec![t("= "), laughs, t(" Amos Gilead:")])],
                ],
            ),
        ],
    );
    let out = assert_round_trip(&m);
    assert!(out.contains("**[laughs] Izabella Tabarovsky\\:**"), "{out}");
}

#[test]
fn a_note_that_looks_like_a_time_is_no_start_time() {
    // Found by the property tests: `**IT:** [12:30] …` read as a start time.
    let note = |s: &str| Inline::Note {
        resp: None,
        content: vec![t(s)],
    };
    let m = build(
        Metadata::default(),
        vec![
            turn("IT", vec![vec![note("12:30"), t(" we met")]]),
            turn("AG", vec![vec![note(" 01:02:03.5 ")]]),
        ],
    );
    let out = assert_round_trip(&m);
    assert!(out.contains("**IT:** [12\\:30] we met"), "{out}");
}

#[test]
fn notes_markers_links_and_emphasis_survive() {
    let m = build(
        Metadata::default(),
        vec![turn(
            "AG",
            vec![
                vec![
                    t("UAV "),
                    Inline::Note {
                        resp: None,
                        content: vec![t("unmanned aerial vehicle")],
                    },
                    t(" and "),
                    Inline::Note {
                        resp: Some("IT".into()),
                        content: vec![
                            t("a signed note with "),
                            Inline::Emphasis {
                                content: vec![t("emphasis")],
                            },
                        ],
                    },
                    t(" "),
                    Inline::Marker {
                        kind: MarkerKind::Vocal,
                        desc: "laughs".into(),
                    },
                    t("(not a link) and "),
                    Inline::Note {
                        resp: None,
                        content: vec![t("note")],
                    },
                    t(": colon after"),
                ],
                vec![
                    Inline::Note {
                        resp: None,
                        content: vec![t("ref")],
                    },
                    t(": not a link definition"),
                ],
                vec![
                    t("see "),
                    Inline::Link {
                        target: "https://example.org/a_(b) c?x=1&amp;y".into(),
                        content: vec![t("the [site]")],
                    },
                    t(", "),
                    Inline::Link {
                        target: "https://example.org/plain".into(),
                        content: vec![Inline::Emphasis {
                            content: vec![t("plain")],
                        }],
                    },
                    t(" and !"),
                    Inline::Link {
                        target: "x".into(),
                        content: vec![t("bang")],
                    },
                ],
                vec![
                    Inline::Emphasis {
                        content: vec![
                            t("em "),
                            Inline::Strong {
                                content: vec![t("strong")],
                            },
                        ],
                    },
                    t(" "),
                    Inline::Strong {
                        content: vec![
                            Inline::Emphasis {
                                content: vec![t("em")],
                            },
                            t(" in strong"),
                        ],
                    },
                    t(" "),
                    Inline::Emphasis {
                        content: vec![t("a")],
                    },
                    Inline::Strong {
                        content: vec![t("b")],
                    },
                    t(" "),
                    Inline::Strong {
                        content: vec![
                            t("x "),
                            Inline::Emphasis {
                                content: vec![t("y")],
                            },
                        ],
                    },
                    t(" intra"),
                    Inline::Emphasis {
                        content: vec![t("word")],
                    },
                    t("s."),
                ],
                vec![Inline::Note {
                    resp: Some("AG".into()),
                    content: vec![],
                }],
            ],
        )],
    );
    assert_round_trip(&m);
}

#[test]
fn sections_nest_and_continued_turns_are_unlabelled() {
    let mut cont = Turn::new("AG", vec![vec![t("carries on after the heading")]]);
    cont.continues = true;
    let mut timed = Turn::new("IT", vec![vec![t("timed")]]);
    timed.start = Some(Timestamp::from_millis(3_723_500));
    let m = build(
        Metadata::default(),
        vec![
            para(vec![t("Introduction.")]),
            section(
                "One",
                vec![Block::Turn(timed), turn("AG", vec![vec![t("answer")]])],
            ),
            section(
                "Two",
                vec![
                    Block::Turn(cont),
                    section("Two point one", vec![turn("IT", vec![vec![t("deeper")]])]),
                ],
            ),
            section("About the author", vec![para(vec![t("Back matter.")])]),
        ],
    );
    let out = assert_round_trip(&m);
    assert!(
        out.contains("## Two\n\ncarries on after the heading\n"),
        "{out}"
    );
    assert!(out.contains("### Two point one"), "{out}");
    assert!(out.contains("**IT:** [01:02:03.500] timed"), "{out}");
    assert!(out.contains("---\n\n## About the author"), "{out}");
}

fn timed_turn(who: &str) -> Block {
    let mut tt = Turn::new(who, vec![vec![t("x")]]);
    tt.start = Some(Timestamp::from_millis(1000));
    Block::Turn(tt)
}

#[test]
fn narrative_after_a_turn_gets_a_thematic_break() {
    let m = build(
        Metadata::default(),
        vec![
            timed_turn("IT"),
            para(vec![t("narrative")]),
            turn("AG", vec![vec![t("y")]]),
        ],
    );
    let out = assert_round_trip(&m);
    assert!(out.contains("x\n\n---\n\nnarrative\n"), "{out}");
}

#[test]
fn inferred_is_dropped_and_written_with_a_label() {
    let mut inferred = Turn::new("AG", vec![vec![t("guessed")]]);
    inferred.inferred = true;
    let m = build(
        Metadata::default(),
        vec![turn("IT", vec![vec![t("Q?")]]), Block::Turn(inferred)],
    );
    let out = md(&m);
    assert!(out.contains("**AG:** guessed"), "{out}");
    let back = reread(&out);
    assert!(back.turns().all(|t| !t.inferred));
    assert_eq!(md(&back), out);
}

#[test]
fn yaml_special_metadata_round_trips() {
    let m = Metadata {
        title: Some("Israel and Russia: An Interview".into()),
        subtitle: Some("\"Quoted\" and 'single' # not a comment".into()),
        date: Some("2020-01-28".parse().unwrap()),
        language: Some("en".parse().unwrap()),
        publisher: Some("- leading dash".into()),
        source_url: Some("https://example.org/a?b=c#frag".into()),
        rights: Some("yes".into()),
        identifier: Some("1.0".into()),
        description: Some("Two lines\nand a tab\t and a backslash \\ and: colon".into()),
        keywords: vec![
            "null".into(),
            "[bracket]".into(),
            "{brace}".into(),
            "ok".into(),
            "*star".into(),
            "@at".into(),
            "%pct".into(),
            "~".into(),
            "007".into(),
        ],
        place: Some("Washington, DC".into()),
    };
    let mut p = people();
    p[1].name = "O'Brien: \"the\" general".into();
    p[1].aliases = vec!["true".into(), "- dash".into()];
    let t = Transcript::new(m, p, vec![turn("AG", vec![vec![t("hi")]])]).expect("valid");
    let out = assert_round_trip(&t);
    assert!(out.contains("date: 2020-01-28\n"), "{out}");
    assert!(out.contains("place: Washington, DC\n"), "{out}");
}

#[test]
fn shadowed_id_uses_a_label_that_resolves() {
    let mut a = Participant::new("X", "Xavier", Role::Interviewer);
    a.aliases.push("Y".into());
    let b = Participant::new("Y", "Yolanda", Role::Interviewee);
    let t = Transcript::new(
        Metadata::default(),
        vec![a, b],
        vec![
            turn("Y", vec![vec![t("me")]]),
            turn("X", vec![vec![t("you")]]),
        ],
    )
    .expect("valid");
    let out = assert_round_trip(&t);
    assert!(out.contains("**Yolanda:** me"), "{out}");
}

#[test]
fn empty_turns_and_narrative_only() {
    let m = build(
        Metadata::default(),
        vec![
            turn("IT", vec![vec![]]),
            turn("AG", vec![vec![], vec![t("after empty")]]),
        ],
    );
    assert_round_trip(&m);
    let only = Transcript::new(
        Metadata::default(),
        vec![],
        vec![para(vec![t("Just prose.")])],
    )
    .expect("valid");
    let out = assert_round_trip(&only);
    assert_eq!(out, "Just prose.\n");
}

// The two reader fixes the writer relies on.

#[test]
fn reader_takes_an_escaped_colon_as_no_label() {
    let src = "---\nparticipants:\n  - {id: IT, name: Izabella Tabarovsky}\n---\n\nIT\\: prose\n\n**Note\\:** also prose\n";
    let doc = reread(src);
    assert_eq!(doc.turns().count(), 0);
    assert_eq!(
        doc.body[0],
        para(vec![t("IT: prose")]),
        "escaped colon is a plain colon"
    );
    assert_eq!(
        doc.body[1],
        para(vec![
            Inline::Strong {
                content: vec![t("Note:")]
            },
            t(" also prose")
        ])
    );
}

#[test]
fn reader_keeps_escaped_brackets_in_headings_literal() {
    let doc = reread("Intro.\n\n## Part \\[one\\]\n\nText.\n");
    let Block::Section(s) = &doc.body[1] else {
        panic!("{:?}", doc.body)
    };
    assert_eq!(s.heading, vec![t("Part [one]")]);
}

#[test]
fn reader_takes_a_bracket_after_an_escaped_backslash_as_a_note() {
    let doc = reread("a \\\\[note] b \\\\\\[lit\\]\n");
    assert_eq!(
        doc.body[0],
        para(vec![
            t("a \\"),
            Inline::Note {
                resp: None,
                content: vec![t("note")]
            },
            t(" b \\[lit]"),
        ])
    );
}

#[test]
fn an_empty_transcript_is_empty_front_matter() {
    let empty = Transcript::new(Metadata::default(), vec![], vec![]).expect("valid");
    assert_eq!(assert_round_trip(&empty), "---\n---\n");
}

#[test]
fn punctuation_inside_emphasis_next_to_a_letter_goes_outside_it_with_a_warning() {
    // As in a Word transcript: `*Yeah, … voted for—*you know`.
    let em = |s: &str| Inline::Emphasis {
        content: vec![t(s)],
    };
    let body = vec![turn(
        "AG",
        vec![vec![
            t("I think, "),
            em("Yeah, they voted for—"),
            t("you know, and"),
            em("—so"),
            t("."),
        ]],
    )];
    let model = build(Metadata::default(), body);
    let (first, warnings) = to_string(&model, &MarkdownOptions::default());
    assert!(
        first.contains("*Yeah, they voted for*—you know, and—*so*."),
        "{first}"
    );
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].message.contains("2 emphasis edge(s)"),
        "{}",
        warnings[0].message
    );
    let again = reread(&first);
    assert_eq!(md(&again), first, "second Markdown differs");
}
