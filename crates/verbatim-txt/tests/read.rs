//! The plain-text rules, one test per rule, and the seed web capture.

use verbatim_model::{Block, Inline, MarkerKind, Parsed, Role, Section, Transcript, Turn};
use verbatim_txt::{ErrorKind, read_str as read};

fn parse(src: &str) -> Parsed<Transcript> {
    read(src).unwrap_or_else(|e| panic!("{e}"))
}

fn turns(t: &Transcript) -> Vec<&Turn> {
    t.turns().collect()
}

fn speakers(t: &Transcript) -> Vec<&str> {
    t.turns().map(|t| t.speaker.as_str()).collect()
}

fn people(t: &Transcript) -> Vec<(&str, &str, Role)> {
    t.participants
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str(), p.role))
        .collect()
}

fn warned(p: &Parsed<Transcript>, line: usize, needle: &str) -> bool {
    p.warnings
        .iter()
        .any(|w| w.line() == line && w.message.contains(needle))
}

fn sections(t: &Transcript) -> Vec<&Section> {
    t.body
        .iter()
        .filter_map(|b| match b {
            Block::Section(s) => Some(s),
            _ => None,
        })
        .collect()
}

fn heading(s: &Section) -> String {
    verbatim_model::plain_text(&s.heading)
}

#[test]
fn label_styles_are_recognised() {
    let p = parse(
        "Ann Lee: One.\n\nANN LEE: Two.\n\nQ: Three?\n\nA: Four.\n\nSPEAKER 1: Five.\n\n[SPEAKER_00]: Six.\n\nNarrator: Seven.\n",
    );
    let t = &p.value;
    assert_eq!(
        speakers(t),
        ["AL", "AL", "Q", "A", "SPEAKER_1", "SPEAKER_00", "Narrator"]
    );
    assert_eq!(turns(t)[5].paragraphs[0], vec![Inline::text("Six.")]);
}

#[test]
fn initials_join_the_full_name_they_abbreviate() {
    let p = parse(
        "Izabella Tabarovsky: First question?\n\nAmos Gilead: First answer.\n\nIT: Second?\n\nAG: Second answer.\n",
    );
    let t = &p.value;
    assert_eq!(
        people(t),
        [
            ("IT", "Izabella Tabarovsky", Role::Interviewer),
            ("AG", "Amos Gilead", Role::Interviewee)
        ]
    );
    assert_eq!(speakers(t), ["IT", "AG", "IT", "AG"]);
    assert!(warned(
        &p,
        5,
        "initials \"IT\" taken as Izabella Tabarovsky"
    ));
    assert!(warned(&p, 7, "initials \"AG\" taken as Amos Gilead"));
}

#[test]
fn upper_case_labels_and_surnames_join_the_name() {
    let p = parse("Harold Baines: One.\n\nHAROLD BAINES: Two.\n\nBaines: Three.\n\nQ: Four?\n");
    let t = &p.value;
    assert_eq!(speakers(t), ["HB", "HB", "HB", "Q"]);
    assert!(warned(&p, 5, "\"Baines\" taken as Harold Baines"));
    assert_eq!(t.participants[0].aliases, ["HAROLD BAINES", "Baines"]);
}

#[test]
fn unlabelled_paragraphs_continue_the_turn() {
    let p = parse("Q: Tell me.\n\nA: Well.\n\nAnd then more.\n\nEven more.\n");
    let t = &p.value;
    assert_eq!(turns(t).len(), 2);
    assert_eq!(turns(t)[1].paragraphs.len(), 3);
    assert!(!turns(t)[1].inferred);
}

#[test]
fn an_unlabelled_paragraph_after_a_question_is_the_answer() {
    let p =
        parse("Q: What happened?\n\nThe river rose.\n\nIt rose again.\n\nQ: And?\n\nA: Nothing.\n");
    let t = &p.value;
    assert_eq!(speakers(t), ["Q", "A", "Q", "A"]);
    assert!(turns(t)[1].inferred);
    assert_eq!(
        turns(t)[1].paragraphs.len(),
        2,
        "the next paragraph continues the answer"
    );
    assert!(warned(&p, 3, "after Q's question taken as the answer of A"));
}

#[test]
fn no_inference_when_the_question_was_not_the_interviewers() {
    let p = parse("Q: Why?\n\nA: Because, I asked myself, why not?\n\nI still ask.\n");
    let t = &p.value;
    assert_eq!(speakers(t), ["Q", "A"]);
    assert_eq!(turns(t)[1].paragraphs.len(), 2);
}

#[test]
fn short_lines_without_punctuation_are_headings() {
    let p = parse(
        "Q: Start.\n\nA: Yes.\n\nThe early years\n\nQ: Where?\n\nA: Here.\n\nYes\n\nQ: Sure?\n",
    );
    let t = &p.value;
    let s = sections(t);
    assert_eq!(s.len(), 1);
    assert_eq!(heading(s[0]), "The early years");
    assert!(warned(
        &p,
        5,
        "\"The early years\" taken as a section heading"
    ));
    assert_eq!(speakers(t), ["Q", "A", "Q", "A", "Q"]);
    assert_eq!(
        turns(t)[3].paragraphs[1],
        vec![Inline::text("Yes")],
        "a short reply is speech"
    );
}

#[test]
fn a_continued_turn_after_a_heading_is_marked() {
    let p = parse("Q: Go on.\n\nA: First.\n\nPart two\n\nSecond.\n");
    let s = sections(&p.value);
    let Block::Turn(t) = &s[0].blocks[0] else {
        panic!("{:?}", s[0].blocks)
    };
    assert!(t.continues);
    assert_eq!(t.speaker, "A");
}

#[test]
fn consecutive_heading_shaped_lines_are_not_headings() {
    let p = parse("Q: Hi.\n\nA: Hello.\n\nFirst line\n\nSecond line\n\nThird sentence here.\n");
    assert!(sections(&p.value).len() <= 1);
    assert!(
        sections(&p.value)
            .iter()
            .all(|s| heading(s) != "First line")
    );
}

#[test]
fn header_block_fills_metadata_and_roles() {
    let p = parse(
        "Title: Mills: A History\nSubtitle: Part one\nDate: January 28, 2020\nInterviewer: Celia Marchetti\nNarrator: HAROLD BAINES\nLocation: Millbrook\nProject: Mill Voices\nLanguage: English\nKeywords: mills, unions\nURL: https://example.org/x\nRights: CC BY 4.0\nIdentifier: mv-17\nSummary: A talk.\nTranscriber: D. Osei\n\nCM: Hello?\n\nHB: Hello.\n",
    );
    let t = &p.value;
    let m = &t.metadata;
    assert_eq!(m.title.as_deref(), Some("Mills: A History"));
    assert_eq!(m.subtitle.as_deref(), Some("Part one"));
    assert_eq!(m.date.map(|d| d.to_string()).as_deref(), Some("2020-01-28"));
    assert_eq!(m.place.as_deref(), Some("Millbrook"));
    assert_eq!(m.publisher.as_deref(), Some("Mill Voices"));
    assert_eq!(m.language.as_ref().map(|l| l.as_str()), Some("en"));
    assert_eq!(m.keywords, ["mills", "unions"]);
    assert_eq!(m.source_url.as_deref(), Some("https://example.org/x"));
    assert_eq!(m.rights.as_deref(), Some("CC BY 4.0"));
    assert_eq!(m.identifier.as_deref(), Some("mv-17"));
    assert_eq!(m.description.as_deref(), Some("A talk."));
    assert_eq!(
        people(t),
        [
            ("CM", "Celia Marchetti", Role::Interviewer),
            ("HB", "Harold Baines", Role::Interviewee)
        ]
    );
    assert!(warned(&p, 14, "\"Transcriber\" has no place"));
    assert_eq!(t.body.len(), 2, "the header is not body text");
}

#[test]
fn header_people_take_q_and_a_labels() {
    let p = parse(
        "Interviewer: Celia Marchetti\nInterviewee: Harold Baines\n\nQ: Why?\n\nA: Because.\n",
    );
    let t = &p.value;
    assert_eq!(speakers(t), ["CM", "HB"]);
    assert!(warned(&p, 4, "\"Q\" taken as Celia Marchetti"));
}

#[test]
fn a_question_with_a_role_label_is_no_header() {
    let p = parse("Interviewer: What is your name?\n\nInterviewee: Harold.\n");
    assert_eq!(speakers(&p.value), ["Interviewer", "Interviewee"]);
    assert_eq!(p.value.participants[0].role, Role::Interviewer);
}

#[test]
fn bad_header_values_are_reported() {
    let p = parse("Date: sometime in spring\nLanguage: Klingon dialect\n\nQ: Hi?\n");
    assert!(p.value.metadata.date.is_none());
    assert!(warned(&p, 1, "date \"sometime in spring\" not understood"));
    assert!(warned(&p, 2, "language \"Klingon dialect\" not understood"));
}

#[test]
fn first_line_is_the_title_when_nothing_else_gives_one() {
    let p = parse("Keeping Bees on a City Roof\n\nQ: Why bees?\n");
    assert_eq!(
        p.value.metadata.title.as_deref(),
        Some("Keeping Bees on a City Roof")
    );
    assert!(warned(&p, 1, "taken as the title"));
    let p = parse("Q: Why bees\n\nA: Honey.\n");
    assert_eq!(p.value.metadata.title, None, "a labelled line is no title");
}

#[test]
fn roles_are_guessed_from_who_asks() {
    let p = parse(
        "Ann Lee: Where were you?\n\nBo Chen: At home.\n\nAnn Lee: And then?\n\nBo Chen: I left.\n",
    );
    assert_eq!(
        people(&p.value),
        [
            ("AL", "Ann Lee", Role::Interviewer),
            ("BC", "Bo Chen", Role::Interviewee)
        ]
    );
    assert!(warned(
        &p,
        1,
        "Ann Lee taken as the interviewer: asks 2 question(s) in 2 turn(s)"
    ));
    assert!(warned(&p, 3, "Bo Chen taken as the interviewee"));
}

#[test]
fn byline_and_title_give_roles() {
    let p = parse(
        "A Conversation with Bo Chen\n\nINTERVIEWED BY ANN LEE\n\nAL: Where were you.\n\nBC: At home.\n\nAL: Fine.\n",
    );
    let t = &p.value;
    assert_eq!(
        people(t),
        [
            ("AL", "Ann Lee", Role::Interviewer),
            ("BC", "Bo Chen", Role::Interviewee)
        ]
    );
    assert!(warned(&p, 3, "byline"));
    assert!(warned(
        &p,
        5,
        "initials \"AL\" taken as Ann Lee, named in the byline"
    ));
    assert!(warned(
        &p,
        7,
        "initials \"BC\" taken as Bo Chen, named in the title"
    ));
}

#[test]
fn web_page_chrome_is_trimmed() {
    let p = parse(
        "Skip to main content\nMenu\n\nA Title\n\nQ: Hi?\n\nA: Hello. Read more\n\nRead More\n\nShare\nPrint\n",
    );
    let t = &p.value;
    assert_eq!(t.metadata.title.as_deref(), Some("A Title"));
    for line in [1, 2, 8, 10, 12, 13] {
        assert!(warned(&p, line, "trimmed"), "line {line}: {:?}", p.warnings);
    }
    assert_eq!(turns(t)[1].paragraphs[..], [vec![Inline::text("Hello.")]]);
}

#[test]
fn text_without_labels_is_narrative_with_a_warning() {
    let p = parse("Just some prose.\n\nAnd more prose, with a colon: here.\n");
    let t = &p.value;
    assert_eq!(t.turns().count(), 0);
    assert!(t.participants.is_empty());
    assert_eq!(t.body.len(), 2);
    assert!(warned(&p, 1, "no speaker labels found"));
}

#[test]
fn prose_with_a_colon_is_no_label() {
    let p = parse("Q: So?\n\nA: Now to Russia: it is far.\n\nNote: a one-off.\n\nSome say: no.\n");
    let t = &p.value;
    assert_eq!(speakers(t), ["Q", "A"]);
    assert_eq!(turns(t)[1].paragraphs.len(), 3);
}

#[test]
fn a_text_without_blank_lines_has_a_paragraph_per_line() {
    let p = parse("Q: One?\nA: Two.\nThree.\nQ: Four?\n");
    let t = &p.value;
    assert_eq!(speakers(t), ["Q", "A", "Q"]);
    assert_eq!(turns(t)[1].paragraphs.len(), 2);
}

#[test]
fn hard_wrapped_lines_join_and_labels_split() {
    let p = parse("Q: A long\nquestion?\nA: An answer\nin two lines.\n\nMore.\n");
    let t = &p.value;
    assert_eq!(speakers(t), ["Q", "A"]);
    assert_eq!(
        turns(t)[0].paragraphs[0],
        vec![Inline::text("A long question?")]
    );
    assert_eq!(turns(t)[1].paragraphs.len(), 2);
}

#[test]
fn a_separator_line_ends_the_turn() {
    let p = parse("Q: Hi.\n\nA: Bye.\n\n* * *\n\nAbout the recording, by the editor.\n");
    let t = &p.value;
    assert!(matches!(t.body.last(), Some(Block::Paragraph(_))));
    assert_eq!(t.parts().back.len(), 1);
}

#[test]
fn times_before_or_after_labels_are_start_times() {
    let p = parse("[00:00:05] Q: One?\n\nA: [00:01:02.5] Two.\n\n00:02:00 Q: Three?\n");
    let starts: Vec<Option<u64>> = p
        .value
        .turns()
        .map(|t| t.start.map(|s| s.millis()))
        .collect();
    assert_eq!(starts, [Some(5_000), Some(62_500), Some(120_000)]);
}

#[test]
fn brackets_are_notes_and_markers() {
    let p = parse(
        "Ann Lee: A UAV [unmanned aerial vehicle]? [laughs]\n\nBo Chen: Yes. [It was 1999.—AL] [inaudible]\n\nAL: Fine.\n\nBC: Fine.\n",
    );
    let t = &p.value;
    let first = &turns(t)[0].paragraphs[0];
    assert!(matches!(&first[1], Inline::Note { resp: None, .. }));
    assert!(matches!(
        &first[3],
        Inline::Marker {
            kind: MarkerKind::Vocal,
            ..
        }
    ));
    let second = &turns(t)[1].paragraphs[0];
    assert!(matches!(&second[1], Inline::Note { resp: Some(r), .. } if r == "AL"));
    assert!(matches!(
        &second[3],
        Inline::Marker {
            kind: MarkerKind::Gap,
            ..
        }
    ));
}

#[test]
fn empty_input_is_an_error_and_garbage_does_not_panic() {
    for src in ["", "  \n\t\n"] {
        let e = read(src).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Empty);
        assert_eq!(
            e.to_string(),
            "1:1: empty file: a transcript needs at least one paragraph"
        );
    }
    let noise: String = (0u32..4000)
        .map(|i| char::from_u32((i * 7919) % 0x2FFF + 1).unwrap_or('?'))
        .collect();
    let _ = read(&noise);
    let huge = "x: ".repeat(200_000) + "IT: [[[ ]]] — ?";
    let _ = read(&huge);
    let _ = read(&"Q: [".repeat(10_000));
    let _ = read("[\n]\n:\n[SPEAKER_]:\n(:)\n[00:00:00]\n");
}

/// The seed web capture, as it is.
#[test]
fn the_seed_capture_converts() {
    let src = include_str!("../../../fixtures/gilead-capture/gilead-capture.txt");
    let p = parse(src);
    let t = &p.value;
    assert_eq!(
        t.metadata.title.as_deref(),
        Some("Israel and Russia: An Interview with Maj. Gen. (Res.) Amos Gilead")
    );
    assert_eq!(
        people(t),
        [
            ("IT", "Izabella Tabarovsky", Role::Interviewer),
            ("AG", "Amos Gilead", Role::Interviewee)
        ]
    );
    let heads: Vec<String> = sections(t).iter().map(|s| heading(s)).collect();
    assert_eq!(
        heads,
        [
            "Israel’s relationship with Russia",
            "Deconfliction, not cooperation",
            "Russian-speaking Israelis",
            "The release of Naama Issachar",
            "Putin at the commemoration of the liberation of Auschwitz in Jerusalem",
            "About the Author",
            "Kennan Institute",
        ]
    );
    let parts = t.parts();
    assert_eq!(
        parts.front.len(),
        5,
        "four introductory paragraphs and the editing note"
    );
    let Block::Paragraph(last) = &parts.front[4] else {
        panic!()
    };
    assert_eq!(
        last.content,
        vec![Inline::text(
            "This interview has been edited for length and clarity."
        )]
    );
    assert_eq!(
        parts.back.len(),
        2,
        "About the Author and the institute's blurb"
    );
    let Block::Section(about) = &parts.back[0] else {
        panic!()
    };
    assert_eq!(about.blocks.len(), 2, "name once, then the position");
    let inferred: Vec<&Turn> = t.turns().filter(|t| t.inferred).collect();
    assert_eq!(inferred.len(), 1);
    assert_eq!(inferred[0].speaker, "AG");
    assert!(
        verbatim_model::plain_text(&inferred[0].paragraphs[0])
            .starts_with("When Putin looks at Israel")
    );
    let note = inferred[0].paragraphs[0]
        .iter()
        .find(|i| matches!(i, Inline::Note { .. }));
    assert!(matches!(note, Some(Inline::Note { resp: Some(r), .. }) if r == "IT"));
    assert_eq!(t.turns().count(), 13);
    for (line, what) in [
        (1, "\"Skip to main content\" trimmed"),
        (2, "\"Support\" trimmed"),
        (3, "\"Blog post\" trimmed"),
        (5, "taken as the title"),
        (7, "byline"),
        (9, "byline"),
        (43, "initials \"IT\""),
        (45, "initials \"AG\""),
        (
            53,
            "after IT's question taken as the answer of Amos Gilead (AG)",
        ),
        (81, "repeated line"),
        (84, "\"Read More\" trimmed"),
        (88, "\"Read more\" trimmed"),
    ] {
        assert!(
            warned(&p, line, what),
            "line {line}: {what}: {:#?}",
            p.warnings
        );
    }
    let blurb = match &parts.back[1] {
        Block::Section(s) => verbatim_model::plain_text(match &s.blocks[0] {
            Block::Paragraph(p) => &p.content,
            _ => panic!(),
        }),
        _ => panic!(),
    };
    assert!(blurb.ends_with("research and exchange."), "{blurb}");
}

#[test]
fn at_most_200_speakers_the_rest_stay_text() {
    let src: String = (0..250)
        .map(|i| format!("SPEAKER {i}: hello.\n\nSPEAKER {i}: again.\n\n"))
        .chain(std::iter::once("SPEAKER 7: most used.\n\n".to_string()))
        .collect();
    let p = parse(&src);
    assert_eq!(p.value.participants.len(), 200);
    assert!(p.value.participants.iter().any(|x| x.id == "SPEAKER_7"));
    assert!(p.warnings.iter().any(|w| {
        w.message
            .contains("50 labels beyond the 200 most used are left as text")
    }));
    let header: String = (0..300)
        .map(|i| format!("Interviewer: Person Number{i}\n"))
        .collect();
    let p = parse(&(header + "\nQ: Hi?\n"));
    assert!(p.value.participants.len() <= 200);
    assert_eq!(
        p.warnings
            .iter()
            .filter(|w| w.message.contains("more than 200 people"))
            .count(),
        1
    );
}

/// The writer's header in every language of the labels table reads back as the same
/// header: no field name taken for a speaker, no person or field lost.
#[test]
fn the_header_in_every_labelled_language_reads_back() {
    use verbatim_model::{Metadata, Participant};
    for l in &verbatim_model::labels::LANGUAGES {
        let m = Metadata {
            title: Some("Cotton and coal".into()),
            date: "1987-03-09".parse().ok(),
            language: l.language.parse().ok(),
            place: Some("Leeds".into()),
            publisher: Some("West Riding Archive".into()),
            source_url: Some("https://example.org/wr/0042".into()),
            rights: Some("CC BY 4.0".into()),
            identifier: Some("WR-0042".into()),
            keywords: vec!["mills".into(), "unions".into()],
            ..Metadata::default()
        };
        let t = Transcript::new(
            m.clone(),
            vec![
                Participant::new("RO", "Ruth Okafor", Role::Interviewer),
                Participant::new("DP", "Dennis Prior", Role::Interviewee),
                Participant::new("MP", "Mary Prior", Role::Other),
            ],
            vec![
                Block::Turn(Turn::new(
                    "RO",
                    vec![vec![Inline::text("Where did you work?")]],
                )),
                Block::Turn(Turn::new("DP", vec![vec![Inline::text("At the mill.")]])),
                Block::Turn(Turn::new("MP", vec![vec![Inline::text("We both did.")]])),
            ],
        )
        .unwrap();
        let text = verbatim_txt::to_string(&t, &verbatim_txt::TextOptions::default());
        let lang = l.language;
        assert!(
            text.contains(&format!("{}:", l.interviewer)),
            "{lang}: {text}"
        );
        let back = parse(&text).value;
        assert_eq!(
            people(&back),
            [
                ("RO", "Ruth Okafor", Role::Interviewer),
                ("DP", "Dennis Prior", Role::Interviewee),
                ("MP", "Mary Prior", Role::Other)
            ],
            "{lang}: {text}"
        );
        assert_eq!(speakers(&back), ["RO", "DP", "MP"], "{lang}: {text}");
        let b = &back.metadata;
        assert_eq!(b.title, m.title, "{lang}");
        assert_eq!(b.date, m.date, "{lang}");
        assert_eq!(b.language, m.language, "{lang}");
        assert_eq!(b.place, m.place, "{lang}");
        assert_eq!(b.publisher, m.publisher, "{lang}");
        assert_eq!(b.source_url, m.source_url, "{lang}");
        assert_eq!(b.rights, m.rights, "{lang}");
        assert_eq!(b.identifier, m.identifier, "{lang}");
        assert_eq!(b.keywords, m.keywords, "{lang}");
    }
}

#[test]
fn underlined_lines_are_the_title_and_headings_but_a_short_rule_is_not() {
    let src = "Cotton and coal\n===============\n\nThe mill\n--------\n\n\
               Ruth Okafor: Where did you work?\n\nDennis Prior: At the mill.\n-----\n\n\
               Ruth Okafor: And after?\n\nA: No.\n---\n\nDennis Prior: The pit.\n";
    let p = parse(src);
    let t = &p.value;
    assert_eq!(t.metadata.title.as_deref(), Some("Cotton and coal"));
    let s = sections(t);
    assert_eq!(s.len(), 1, "{:?}", t.body);
    assert_eq!(verbatim_model::plain_text(&s[0].heading), "The mill");
    // The short rule under a turn is not an underline: the turn stays a turn.
    assert_eq!(speakers(t).len(), 5, "{:?}", t.body);
}
