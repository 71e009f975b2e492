//! Reading TEI: errors with positions, XML safety, TEI from elsewhere, drama style.

mod common;

use std::time::{Duration, Instant};

use common::{marker, t};
use verbatim_model::{
    Block, Inline, MarkerKind, Metadata, Paragraph, Parsed, Participant, Role, Section, Transcript,
    Turn,
};
use verbatim_tei::{ReadErrorKind, TeiError, read_str as read};

const NS: &str = r#"xmlns="http://www.tei-c.org/ns/1.0""#;

/// A document with a declared speaker `A` and the given body content.
fn doc(body: &str) -> String {
    format!(
        "<TEI {NS}>\n<teiHeader><profileDesc><particDesc><listPerson>\
         <person xml:id=\"A\"><persName>Ann</persName></person>\
         </listPerson></particDesc></profileDesc></teiHeader>\n<text><body>\n{body}\n</body></text>\n</TEI>\n"
    )
}

fn read_ok(src: &str) -> Parsed<Transcript> {
    read(src).unwrap_or_else(|e| panic!("{e}\n{src}"))
}

fn body(src: &str) -> Vec<Block> {
    read_ok(src).value.body
}

fn read_err(src: &str) -> (usize, usize, ReadErrorKind) {
    match read(src) {
        Err(TeiError::Read { line, column, kind }) => (line, column, kind),
        other => panic!("expected a read error, got {other:?}"),
    }
}

fn warned(p: &Parsed<Transcript>, needle: &str) -> (usize, usize) {
    p.warnings
        .iter()
        .find(|w| w.message.contains(needle))
        .map(|w| (w.line(), w.column()))
        .unwrap_or_else(|| panic!("no warning with {needle:?} in {:?}", p.warnings))
}

fn one_turn(speaker: &str, paragraphs: Vec<Vec<Inline>>) -> Block {
    Block::Turn(Turn::new(speaker, paragraphs))
}

// ----- errors and safety -----

#[test]
fn malformed_xml_is_reported_at_the_offending_markup() {
    let (line, column, kind) = read_err(&format!("<TEI {NS}>\n  <text>\n    <body></bod>\n"));
    assert!(matches!(kind, ReadErrorKind::Xml(_)), "{kind:?}");
    assert_eq!((line, column), (3, 11));
}

#[test]
fn unclosed_element_points_at_its_start() {
    let (line, column, kind) = read_err(&format!("<TEI {NS}>\n  <text>\n"));
    assert!(matches!(kind, ReadErrorKind::Xml(_)), "{kind:?}");
    assert_eq!((line, column), (2, 3), "the innermost open element");
}

#[test]
fn unknown_entities_are_refused_with_their_column_in_characters() {
    let src = doc("<p>café – naïve &nbsp; x</p>");
    let (line, column, kind) = read_err(&src);
    assert_eq!(kind, ReadErrorKind::UnknownEntity("nbsp".into()));
    assert_eq!((line, column), (4, 17));
    let attr = doc(r#"<p><ref target="a&foo;b">x</ref></p>"#);
    let (line, _, kind) = read_err(&attr);
    assert_eq!(kind, ReadErrorKind::UnknownEntity("foo".into()));
    assert_eq!(line, 4);
}

#[test]
fn predefined_entities_and_character_references_are_expanded() {
    let b = body(&doc("<p>&lt;&gt;&amp;&apos;&quot; &#233;&#x2014;</p>"));
    assert_eq!(
        b,
        vec![Block::Paragraph(Paragraph {
            content: vec![t("<>&'\" é—")]
        })]
    );
}

#[test]
fn characters_xml_forbids_are_refused() {
    let (line, column, kind) = read_err(&doc("<p>a&#1;b</p>"));
    assert_eq!((line, column, kind), (4, 5, ReadErrorKind::IllegalChar(1)));
    let (line, column, kind) = read_err(&doc("<p>a\u{7}b</p>"));
    assert_eq!((line, column, kind), (4, 5, ReadErrorKind::IllegalChar(7)));
}

#[test]
fn entity_expansion_bombs_are_refused_quickly() {
    let mut dtd = String::from("<!DOCTYPE TEI [\n  <!ENTITY lol \"lol\">\n");
    for i in 1..=9 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        dtd.push_str(&format!(
            "  <!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    dtd.push_str("]>\n");
    let src = format!("<?xml version=\"1.0\"?>\n{dtd}{}", doc("<p>&lol9;</p>"));
    let started = Instant::now();
    let (line, column, kind) = read_err(&src);
    assert_eq!(kind, ReadErrorKind::EntityDeclaration);
    assert_eq!((line, column), (2, 1));
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_doctype_without_entities_is_ignored_with_a_warning() {
    let src = format!("<!DOCTYPE TEI SYSTEM \"tei_all.dtd\">\n{}", doc("<p>x</p>"));
    let p = read_ok(&src);
    assert_eq!(warned(&p, "DOCTYPE ignored"), (1, 1));
    assert_eq!(p.value.body.len(), 1);
}

#[test]
fn deep_nesting_is_refused() {
    let deep = format!("<p>{}x{}</p>", "<hi>".repeat(300), "</hi>".repeat(300));
    let (line, _, kind) = read_err(&doc(&deep));
    assert_eq!(kind, ReadErrorKind::TooDeep(256));
    assert_eq!(line, 4);
}

#[test]
fn only_tei_documents_are_read() {
    let (line, column, kind) = read_err("<?xml version=\"1.0\"?>\n<html><body/></html>");
    assert_eq!(
        (line, column, kind),
        (2, 1, ReadErrorKind::NotTei("<html>".into()))
    );
    let (_, _, kind) = read_err(r#"<TEI xmlns="http://example.org/"><text/></TEI>"#);
    // A wrong namespace is named, not shown as "<TEI>, expected <TEI>".
    assert_eq!(
        kind.to_string(),
        "not a TEI document: the root element is <TEI> in namespace http://example.org/; expected <TEI> in the TEI namespace (http://www.tei-c.org/ns/1.0)"
    );
    let (_, _, kind) = read_err(&format!("<teiCorpus {NS}/>"));
    assert!(matches!(kind, ReadErrorKind::Unsupported(m) if m.contains("teiCorpus")));
    let (_, _, kind) = read_err(&format!("<TEI {NS}><teiHeader/></TEI>"));
    assert!(matches!(kind, ReadErrorKind::Unsupported(m) if m.contains("no <text>")));
    let (_, _, kind) = read_err("");
    assert!(matches!(kind, ReadErrorKind::Xml(m) if m.contains("no root")));
    let (_, _, kind) = read_err(&format!("{}<TEI/>", doc("")));
    assert!(matches!(kind, ReadErrorKind::Xml(m) if m.contains("after the root")));
}

#[test]
fn an_utterance_without_speaker_is_a_warning_at_its_position() {
    let p = read_ok(&doc("  <p>x</p><u>Who said this?</u>"));
    assert_eq!(p.value.turns().next().unwrap().speaker, "unknown");
    assert_eq!(warned(&p, "<u> without @who"), (4, 11));
}

#[test]
fn person_ids_must_make_participant_ids() {
    let src = format!(
        "<TEI {NS}><teiHeader><profileDesc><particDesc>\n<person xml:id=\"_x\"/></particDesc>\
         </profileDesc></teiHeader><text><body><p/></body></text></TEI>"
    );
    let (line, column, kind) = read_err(&src);
    assert!(matches!(kind, ReadErrorKind::Unsupported(m) if m.contains("\"_x\"")));
    assert_eq!((line, column), (2, 1));
    let dup = format!(
        "<TEI {NS}><teiHeader><profileDesc><particDesc><person xml:id=\"A\"/><person xml:id=\"A\"/>\
         </particDesc></profileDesc></teiHeader><text><body><p/></body></text></TEI>"
    );
    assert!(matches!(read_err(&dup).2, ReadErrorKind::Unsupported(m) if m.contains("duplicate")));
}

#[test]
fn nesting_the_model_cannot_hold_is_an_error_at_the_deepest_element() {
    let open = "<hi>".repeat(150);
    let close = "</hi>".repeat(150);
    let src = format!(
        "<TEI {NS}><teiHeader><profileDesc><particDesc><person xml:id=\"A\"/></particDesc>\
         </profileDesc></teiHeader><text><body>\n<u who=\"#A\">{open}x{close}</u></body></text></TEI>"
    );
    let (line, column, kind) = read_err(&src);
    assert_eq!(
        kind,
        ReadErrorKind::Model(verbatim_model::ModelError::TooDeep)
    );
    // The 150th <hi>, on the second line after <u who="#A">.
    assert_eq!((line, column), (2, 13 + 149 * 4));
}

#[test]
fn error_messages_carry_line_and_column() {
    let e = read(&doc("<p>&bogus;</p>")).unwrap_err();
    assert_eq!(e.position(), Some((4, 4)));
    assert!(
        e.to_string().starts_with("4:4: unknown entity '&bogus;'"),
        "{e}"
    );
}

// ----- whitespace -----

#[test]
fn line_breaks_in_markup_are_layout_but_references_are_text() {
    let b = body(&doc("<p>\n   a  b\n   c &#10; d\n</p><p>  e  </p>"));
    assert_eq!(
        b,
        vec![
            Block::Paragraph(Paragraph {
                content: vec![t("a  b c \n d")]
            }),
            Block::Paragraph(Paragraph {
                content: vec![t("  e  ")]
            }),
        ]
    );
}

#[test]
fn layout_between_inline_elements_is_one_space() {
    let b = body(&doc("<p>\n  <hi>a</hi>\n  <hi rend=\"bold\">b</hi>\n</p>"));
    assert_eq!(
        b,
        vec![Block::Paragraph(Paragraph {
            content: vec![
                Inline::Emphasis {
                    content: vec![t("a")]
                },
                t(" "),
                Inline::Strong {
                    content: vec![t("b")]
                },
            ]
        })]
    );
}

// ----- inline vocabulary -----

#[test]
fn inline_vocabulary_maps_to_the_model() {
    let p = read_ok(&doc(
        r##"<u who="#A"><hi rend="bold italic">x</hi><emph>e</emph><hi rend="underline">u</hi><ptr target="https://e.org/"/><note resp="#nobody">n</note><kinesic><desc>nods</desc></kinesic><vocal/><gap reason="illegible"/><pause dur="PT2S"/><stage>aside</stage><lb/>end</u>"##,
    ));
    assert_eq!(
        p.value.body,
        vec![one_turn(
            "A",
            vec![vec![
                Inline::Strong {
                    content: vec![Inline::Emphasis {
                        content: vec![t("x")]
                    }]
                },
                Inline::Emphasis {
                    content: vec![t("e")]
                },
                t("u"),
                Inline::Link {
                    target: "https://e.org/".into(),
                    content: vec![t("https://e.org/")]
                },
                Inline::Note {
                    resp: None,
                    content: vec![t("n")]
                },
                marker(MarkerKind::Incident, "nods"),
                marker(MarkerKind::Vocal, "vocal"),
                marker(MarkerKind::Gap, "illegible"),
                marker(MarkerKind::Pause, "pause"),
                marker(MarkerKind::Incident, "aside"),
                t(" end"),
            ]]
        )]
    );
    warned(&p, "rend=\"underline\"");
    warned(&p, "not a participant; attribution dropped");
    warned(&p, "<kinesic> read as an incident");
    warned(&p, "<pause> attribute @dur is not kept");
    let timed = read_ok(&doc(r##"<u who="#A" end="#T9" trans="overlap">x</u>"##));
    warned(&timed, "time \"#T9\" points to no timeline point");
    warned(&timed, "<u> attribute @trans");
}

// ----- TEI from elsewhere -----

const DDHI_LIKE: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title>Oral history interview with Lee Chilcote</title>
        <author>Jane Doe</author>
      </titleStmt>
      <publicationStmt>
        <distributor>Digital History Initiative</distributor>
        <idno type="local">chilcote</idno>
        <pubPlace>Hanover</pubPlace>
      </publicationStmt>
      <sourceDesc>
        <recordingStmt>
          <recording type="audio" dur="PT1H">
            <date when="2019-05-02"/>
          </recording>
        </recordingStmt>
      </sourceDesc>
    </fileDesc>
    <profileDesc>
      <langUsage><language ident="en">English</language></langUsage>
      <particDesc>
        <person xml:id="CHILCOTE" role="narrator">
          <persName>
            <forename>Lee</forename>
            <surname>Chilcote</surname>
          </persName>
          <affiliation>Dartmouth</affiliation>
        </person>
        <person xml:id="DOE" role="interviewer"><persName>Jane Doe</persName></person>
      </particDesc>
    </profileDesc>
  </teiHeader>
  <text>
    <body>
      <div>
        <p>Recorded at <placeName>Baker Library</placeName>.</p>
        <u who="DOE">Where did you
          grow up?</u>
        <u who="CHILCOTE">In <placeName>Ohio</placeName>, mostly.
          We moved a lot. <anchor synch="#T1"/>[laughs]</u>
        <u who="SMITH">Hello&#10;there</u>
        <x:extra xmlns:x="http://example.org/x">not TEI</x:extra>
      </div>
    </body>
  </text>
</TEI>
"##;

#[test]
fn reads_tei_written_elsewhere_with_the_same_vocabulary() {
    let p = read_ok(DDHI_LIKE);
    let mut expected_people = vec![
        Participant::new("CHILCOTE", "Lee Chilcote", Role::Interviewee),
        Participant::new("DOE", "Jane Doe", Role::Interviewer),
    ];
    expected_people.push(Participant::new("SMITH", "SMITH", Role::Other));
    let expected = Transcript::new(
        Metadata {
            title: Some("Oral history interview with Lee Chilcote".into()),
            date: Some("2019-05-02".parse().unwrap()),
            language: Some("en".parse().unwrap()),
            publisher: Some("Digital History Initiative".into()),
            identifier: Some("chilcote".into()),
            ..Metadata::default()
        },
        expected_people,
        vec![
            Block::Paragraph(Paragraph {
                content: vec![t("Recorded at Baker Library.")],
            }),
            one_turn("DOE", vec![vec![t("Where did you grow up?")]]),
            one_turn(
                "CHILCOTE",
                vec![vec![t("In Ohio, mostly. We moved a lot. [laughs]")]],
            ),
            one_turn("SMITH", vec![vec![t("Hello\nthere")]]),
        ],
    )
    .unwrap();
    assert_eq!(p.value, expected);
    // Nothing unmapped goes unreported, and each report has a position.
    assert_eq!(warned(&p, "<pubPlace>"), (12, 9));
    assert_eq!(warned(&p, "<affiliation>"), (30, 11));
    assert_eq!(
        warned(
            &p,
            "<placeName> is not mapped to the transcript model; its text is kept"
        ),
        (39, 24)
    );
    assert_eq!(warned(&p, "<anchor>"), (43, 27));
    assert_eq!(warned(&p, "speaker \"SMITH\" is not declared"), (44, 9));
    assert_eq!(
        warned(&p, "<extra> in namespace http://example.org/x"),
        (45, 9)
    );
    assert_eq!(p.warnings.len(), 6, "{:?}", p.warnings);
    let sorted = p
        .warnings
        .windows(2)
        .all(|w| (w[0].line(), w[0].column()) <= (w[1].line(), w[1].column()));
    assert!(sorted, "warnings in source order");
}

#[test]
fn utterance_paragraphs_may_be_p_or_seg() {
    let b = body(&doc(
        r##"<u who="#A"><p>one</p>  <seg type="paragraph">two</seg></u><u who="A"><seg>a</seg> <seg>b</seg></u>"##,
    ));
    assert_eq!(
        b,
        vec![
            one_turn("A", vec![vec![t("one")], vec![t("two")]]),
            // Every <seg> is a paragraph, whatever its @type (ParlaMint writes none).
            one_turn("A", vec![vec![t("a")], vec![t("b")]])
        ]
    );
}

#[test]
fn timelines_with_absolute_times_and_pointers_without_hash() {
    let src = format!(
        "<TEI {NS}><teiHeader/><text>\n\
         <timeline unit=\"s\" origin=\"#T0\"><when xml:id=\"T0\" absolute=\"00:00:10\"/>\
         <when xml:id=\"TS03\" absolute=\"00:00:42\"/><when xml:id=\"TS04\" interval=\"1.5\" since=\"#TS03\"/>\
         <when xml:id=\"M\" interval=\"2\" since=\"#T0\"/></timeline>\n\
         <body><u who=\"#A\" synch=\"TS03\">a</u><u who=\"#A\" start=\"#TS04\">b</u><u who=\"#A\" start=\"#M\">c</u>\n\
         <u who=\"#A\" start=\"#NOPE\">d</u></body></text></TEI>"
    );
    let p = read_ok(&src);
    let starts: Vec<Option<String>> = p
        .value
        .turns()
        .map(|u| u.start.map(|s| s.to_string()))
        .collect();
    assert_eq!(
        starts,
        [
            Some("00:00:32".into()),
            Some("00:00:33.500".into()),
            Some("00:00:02".into()),
            None
        ]
    );
    assert_eq!(warned(&p, "points to no timeline point"), (4, 1));
    let ms = format!(
        "<TEI {NS}><teiHeader/><text><timeline unit=\"ms\"><when xml:id=\"a\" interval=\"1500\"/></timeline>\
         <body><u who=\"A\" start=\"#a\">x</u></body></text></TEI>"
    );
    assert_eq!(
        read_ok(&ms)
            .value
            .turns()
            .next()
            .unwrap()
            .start
            .unwrap()
            .millis(),
        1500
    );
}

#[test]
fn iso_annotation_blocks_lend_speaker_and_time_to_their_utterance() {
    let src = format!(
        "<TEI {NS}><teiHeader/><text><timeline><when xml:id=\"T1\" interval=\"3\"/></timeline><body>\
         <annotationBlock who=\"#A\" start=\"#T1\"><u><seg type=\"contribution\">Hi <anchor synch=\"#T1\"/>there</seg></u>\
         <spanGrp type=\"pos\"><span>x</span></spanGrp></annotationBlock></body></text></TEI>"
    );
    let p = read_ok(&src);
    let u = p.value.turns().next().unwrap();
    assert_eq!(
        (u.speaker.as_str(), u.start.map(|s| s.millis())),
        ("A", Some(3000))
    );
    assert_eq!(u.paragraphs[..], [vec![t("Hi there")]]);
    warned(&p, "<spanGrp>");
}

#[test]
fn tei_without_namespace_is_read_with_a_warning() {
    let p = read_ok("<TEI><teiHeader/><text><body><p>x</p></body></text></TEI>");
    assert_eq!(warned(&p, "not in the TEI namespace"), (1, 1));
    assert_eq!(
        p.value.body,
        vec![Block::Paragraph(Paragraph {
            content: vec![t("x")]
        })]
    );
}

#[test]
fn blocks_outside_utterances_become_narrative_with_a_warning() {
    let p = read_ok(&doc(r##"<u who="#A">x</u><pause/><note>aside</note>"##));
    assert_eq!(
        p.value.body,
        vec![
            one_turn("A", vec![vec![t("x")]]),
            Block::Paragraph(Paragraph {
                content: vec![marker(MarkerKind::Pause, "pause")]
            }),
            Block::Paragraph(Paragraph {
                content: vec![Inline::Note {
                    resp: None,
                    content: vec![t("aside")]
                }]
            }),
        ]
    );
    warned(&p, "<pause> outside an utterance");
}

// ----- drama style -----

const SP_STYLE: &str = r##"<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader>
    <fileDesc>
      <titleStmt><title type="main">A conversation</title></titleStmt>
      <publicationStmt><p>Unpublished</p></publicationStmt>
      <sourceDesc><p>Born digital.</p></sourceDesc>
    </fileDesc>
    <profileDesc>
      <particDesc>
        <listPerson>
          <person xml:id="IT" role="interviewer"><persName>Izabella Tabarovsky</persName></person>
          <person xml:id="AG" role="interviewee">
            <persName>Amos Gilead</persName>
            <persName type="alias">Gilead</persName>
          </person>
        </listPerson>
      </particDesc>
    </profileDesc>
  </teiHeader>
  <text>
    <body>
      <div type="section">
        <head>Israel and Russia</head>
        <sp><speaker>Izabella Tabarovsky:</speaker><p>Can you help us?</p></sp>
        <sp>
          <speaker>gilead</speaker>
          <p>Israel has one ally.</p>
          <stage>laughs</stage>
          <p>Second paragraph.</p>
        </sp>
        <sp who="#IT"><speaker>IT:</speaker><p>And Russia?</p></sp>
        <sp><speaker>The Moderator</speaker><p>Time is up.</p></sp>
      </div>
    </body>
  </text>
</TEI>
"##;

#[test]
fn reads_drama_style_speeches() {
    let p = read_ok(SP_STYLE);
    let mut ag = Participant::new("AG", "Amos Gilead", Role::Interviewee);
    ag.aliases = vec!["Gilead".into()];
    let expected = Transcript::new(
        Metadata {
            title: Some("A conversation".into()),
            ..Metadata::default()
        },
        vec![
            Participant::new("IT", "Izabella Tabarovsky", Role::Interviewer),
            ag,
            Participant::new("The_Moderator", "The Moderator", Role::Other),
        ],
        vec![Block::Section(Section {
            heading: vec![t("Israel and Russia")],
            blocks: vec![
                one_turn("IT", vec![vec![t("Can you help us?")]]),
                one_turn(
                    "AG",
                    vec![
                        vec![t("Israel has one ally.")],
                        vec![marker(MarkerKind::Incident, "laughs")],
                        vec![t("Second paragraph.")],
                    ],
                ),
                one_turn("IT", vec![vec![t("And Russia?")]]),
                one_turn("The_Moderator", vec![vec![t("Time is up.")]]),
            ],
        })],
    )
    .unwrap();
    assert_eq!(p.value, expected);
    assert_eq!(
        warned(&p, "speaker \"The Moderator\" is not declared"),
        (32, 13)
    );
    assert_eq!(warned(&p, "<p> is not mapped"), (5, 24));
}

#[test]
fn a_speech_without_speaker_is_an_unknown_speakers_turn_with_a_warning() {
    let p = read_ok(&doc("<sp><p>Who?</p></sp><sp who=\"#A\"><p>Me.</p></sp>"));
    let speakers: Vec<&str> = p.value.turns().map(|t| t.speaker.as_str()).collect();
    assert_eq!(speakers, ["unknown", "A"]);
    assert_eq!(p.value.name_of("unknown"), "Unknown speaker");
    assert_eq!(warned(&p, "<sp> without @who or <speaker>"), (4, 1));
}

#[test]
fn the_round_trip_reads_the_header_fields_back() {
    let rich = common::rich();
    let xml = verbatim_tei::to_vec(
        &rich,
        &verbatim_tei::TeiOptions::default(),
        &verbatim_model::WriteContext::default(),
    )
    .unwrap();
    let back = read(std::str::from_utf8(&xml).unwrap()).unwrap().value;
    assert_eq!(back.metadata, rich.metadata);
    assert_eq!(back.participants, rich.participants);
}

// ----- header from elsewhere -----

const FOREIGN_HEADER: &str = r##"<?xml version="1.0" encoding="ISO-8859-1"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="de">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title>Main</title>
        <title type="sub">Sub</title>
        <title type="alt">Alternative</title>
      </titleStmt>
      <publicationStmt>
        <authority>Archive</authority>
        <availability status="restricted">
          <p>For research only.</p>
          <p>Ask first.</p>
        </availability>
      </publicationStmt>
      <sourceDesc>
        <bibl><idno type="URL">https://example.org/src</idno><date>spring 2001</date></bibl>
      </sourceDesc>
    </fileDesc>
    <profileDesc>
      <creation><date when="2001-04-02"/></creation>
      <abstract><p>One.</p><p>Two.</p></abstract>
      <textClass><keywords><list><item>a</item><item>b</item></list></keywords></textClass>
      <particDesc>
        <listPerson>
          <person role="interviewer"><persName>Nameless</persName></person>
          <person xml:id="Q" role="host"/>
          <personGrp xml:id="G"/>
        </listPerson>
      </particDesc>
    </profileDesc>
  </teiHeader>
  <text><body><u who="#Q #R">Hallo.</u><u who="Q" cert="high">Noch.</u></body></text>
</TEI>
"##;

#[test]
fn reads_header_fields_written_elsewhere() {
    let p = read_ok(FOREIGN_HEADER);
    let m = &p.value.metadata;
    assert_eq!(m.title.as_deref(), Some("Main"));
    assert_eq!(m.subtitle.as_deref(), Some("Sub"));
    assert_eq!(m.language.as_ref().map(|l| l.as_str()), Some("de"));
    assert_eq!(m.publisher.as_deref(), Some("Archive"));
    assert_eq!(
        m.rights.as_deref(),
        Some("For research only.\n\nAsk first.")
    );
    assert_eq!(m.source_url.as_deref(), Some("https://example.org/src"));
    assert_eq!(
        m.date.map(|d| d.to_string()).as_deref(),
        Some("2001-04-02"),
        "creation before bibl"
    );
    assert_eq!(m.description.as_deref(), Some("One.\n\nTwo."));
    assert_eq!(m.keywords, ["a", "b"]);
    assert_eq!(
        p.value.participants,
        [
            Participant::new("Q", "Q", Role::Other),
            Participant::new("G", "G", Role::Other),
            Participant::new("R", "R", Role::Other)
        ]
    );
    assert!(p.value.turns().all(|u| u.speaker == "Q" && !u.inferred));
    // `#Q #R` is one turn said by both.
    assert_eq!(p.value.turns().next().unwrap().with, ["R"]);
    assert_eq!(warned(&p, "further <title> ignored"), (8, 9));
    assert_eq!(warned(&p, "<person> without xml:id"), (27, 11));
    assert_eq!(warned(&p, "unknown role \"host\""), (28, 11));
    assert_eq!(warned(&p, "has no <persName>"), (28, 11));
    assert_eq!(warned(&p, "speaker \"R\" is not declared"), (34, 15));
}

#[test]
fn speaker_labels_never_reuse_an_existing_id() {
    let src = format!(
        "<TEI {NS}><teiHeader><profileDesc><particDesc><person xml:id=\"Bob\"><persName>Robert</persName>\
         </person></particDesc></profileDesc></teiHeader><text><body><sp><speaker>Bob!</speaker><p>x</p></sp>\
         <sp><speaker>ROBERT:</speaker><p>y</p></sp></body></text></TEI>"
    );
    let p = read_ok(&src);
    let speakers: Vec<&str> = p.value.turns().map(|u| u.speaker.as_str()).collect();
    assert_eq!(speakers, ["Bob-2", "Bob"]);
    assert_eq!(
        p.value.participants[1],
        Participant::new("Bob-2", "Bob!", Role::Other)
    );
}

#[test]
fn stray_text_and_headings_become_paragraphs_with_warnings() {
    let p = read_ok(&format!(
        "<TEI {NS}><teiHeader/><text>loose<body><div>bare text<head>H</head><head>Second</head>\
         <sp who=\"A\">said<p>p</p></sp><sp who=\"A\"><speaker>A</speaker></sp></div></body></text></TEI>"
    ));
    assert_eq!(
        p.value.body,
        vec![
            Block::Paragraph(Paragraph {
                content: vec![t("loose")]
            }),
            Block::Section(Section {
                heading: vec![t("H")],
                blocks: vec![
                    Block::Paragraph(Paragraph {
                        content: vec![t("bare text")]
                    }),
                    Block::Paragraph(Paragraph {
                        content: vec![t("Second")]
                    }),
                    one_turn("A", vec![vec![t("said")], vec![t("p")]]),
                ],
            }),
        ]
    );
    for w in [
        "text directly in <text>",
        "text outside a paragraph",
        "<head> that does not start",
        "text directly in <sp>",
        "<sp> without any speech",
    ] {
        warned(&p, w);
    }
    let (_, _, kind) = read_err(&format!("<TEI {NS}><text><group/></text></TEI>"));
    assert!(matches!(kind, ReadErrorKind::Unsupported(m) if m.contains("<group>")));
}

#[test]
fn choices_keep_one_alternative() {
    let p = read_ok(&doc(
        "<p><choice><abbr>UAV</abbr><expan>unmanned aerial vehicle</expan></choice> and <ref>no target</ref></p>",
    ));
    assert_eq!(
        p.value.body,
        vec![Block::Paragraph(Paragraph {
            content: vec![t("UAV and no target")]
        })]
    );
    warned(&p, "only one alternative");
    warned(&p, "<ref> is not mapped");
}

#[test]
fn never_panics_on_truncated_or_damaged_documents() {
    let xml = verbatim_tei::to_vec(
        &common::rich(),
        &verbatim_tei::TeiOptions::default(),
        &verbatim_model::WriteContext::default(),
    )
    .unwrap();
    let xml = String::from_utf8(xml).unwrap();
    let cuts: Vec<usize> = xml.char_indices().map(|(i, _)| i).step_by(13).collect();
    for &cut in &cuts {
        let _ = read(&xml[..cut]);
        // Drop one character here and there.
        let mut damaged = xml.clone();
        damaged.remove(cut);
        let _ = read(&damaged);
    }
}

#[test]
fn a_source_description_in_prose_is_reported_as_dropped() {
    let header = |p: &str| {
        format!(
            "<TEI {NS}>\n<teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>\
             <publicationStmt><publisher>P</publisher></publicationStmt>\n<sourceDesc><p>{p}</p></sourceDesc>\
             </fileDesc></teiHeader>\n<text><body><p>x</p></body></text>\n</TEI>\n"
        )
    };
    let foreign = read_ok(&header("Typed from a printed newsletter."));
    assert_eq!(warned(&foreign, "<sourceDesc>"), (3, 13));
    assert_eq!(foreign.warnings.len(), 1, "{:?}", foreign.warnings);
    assert!(foreign.warnings[0].message.contains("its text is dropped"));
    // What the writer puts there when it knows of no source is not worth a warning.
    let own = read_ok(&header("No source is described in the transcript."));
    assert!(own.warnings.is_empty(), "{:?}", own.warnings);
}
