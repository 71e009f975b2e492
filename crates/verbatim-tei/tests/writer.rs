//! What the TEI writer puts where: header, ids, utterances, markers, layout.

mod common;

use common::{marker, para, section, t, ts, turn};
use verbatim_model::{Block, MarkerKind, Metadata, Participant, Role, Transcript};
use verbatim_model::{DatePolicy, WriteContext};
use verbatim_tei::{TeiError, TeiOptions, to_vec};

fn xml(t: &Transcript) -> String {
    String::from_utf8(to_vec(t, &TeiOptions::default(), &WriteContext::default()).unwrap()).unwrap()
}

fn xml_with(t: &Transcript, generator: Option<&str>, epoch: Option<i64>) -> String {
    let cx = WriteContext::new(generator.map(str::to_string), DatePolicy::new(epoch));
    String::from_utf8(to_vec(t, &TeiOptions::default(), &cx).unwrap()).unwrap()
}

/// The position of `needle`, which must occur.
fn at(hay: &str, needle: &str) -> usize {
    hay.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not found in\n{hay}"))
}

fn with_meta(metadata: Metadata) -> Transcript {
    Transcript::new(
        metadata,
        vec![Participant::new("A", "Anna", Role::Interviewee)],
        vec![Block::Turn(turn("A", vec![vec![t("Hi.")]]))],
    )
    .unwrap()
}

#[test]
fn minimal_document_is_laid_out_exactly() {
    let expected = r##"<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title type="main"/>
        <respStmt xml:id="enc">
          <resp>TEI encoding (automated conversion)</resp>
          <name>Verbatim</name>
        </respStmt>
      </titleStmt>
      <publicationStmt>
        <authority/>
      </publicationStmt>
      <sourceDesc>
        <p>No source is described in the transcript.</p>
      </sourceDesc>
    </fileDesc>
    <encodingDesc>
      <editorialDecl>
        <p>Speaker labels are removed from the text and recorded in u/@who, which points to a person in particDesc. Each speaker turn is one u; each paragraph of a turn is a seg of type "paragraph".</p>
      </editorialDecl>
    </encodingDesc>
    <profileDesc>
      <particDesc>
        <listPerson>
          <person xml:id="A" role="other">
            <persName>Anna</persName>
          </person>
        </listPerson>
      </particDesc>
    </profileDesc>
  </teiHeader>
  <text>
    <body>
      <u xml:id="u1" who="#A">
        <seg type="paragraph">Hello.</seg>
      </u>
    </body>
  </text>
</TEI>
"##;
    assert_eq!(xml(&common::minimal()), expected);
}

#[test]
fn language_goes_to_root_and_lang_usage_or_nowhere() {
    let with = xml(&with_meta(Metadata {
        language: Some("pt-BR".parse().unwrap()),
        ..Metadata::default()
    }));
    assert!(with.contains(r#"<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="pt-BR">"#));
    assert!(with.contains(r#"<language ident="pt-BR"/>"#));
    let without = xml(&with_meta(Metadata::default()));
    assert!(!without.contains("xml:lang"));
    assert!(!without.contains("langUsage"));
}

#[test]
fn publication_statement_has_an_agency_first_and_schema_order() {
    let t = with_meta(Metadata {
        publisher: Some("Example Library".into()),
        identifier: Some("https://example.org/id/1".into()),
        rights: Some("https://creativecommons.org/licenses/by/4.0/".into()),
        ..Metadata::default()
    });
    let x = xml_with(&t, None, Some(0));
    let (publisher, date, idno, availability) = (
        at(&x, "<publisher>Example Library</publisher>"),
        at(&x, r#"<date when="1970-01-01"/>"#),
        at(&x, r#"<idno type="URL">https://example.org/id/1</idno>"#),
        at(
            &x,
            r#"<licence target="https://creativecommons.org/licenses/by/4.0/">https://creativecommons.org/licenses/by/4.0/</licence>"#,
        ),
    );
    assert!(publisher < date && date < idno && idno < availability);
    assert!(!x.contains("<authority"));

    let x = xml(&with_meta(Metadata {
        rights: Some("All rights reserved.".into()),
        identifier: Some("acc-7".into()),
        ..Metadata::default()
    }));
    assert!(at(&x, "<authority/>") < at(&x, "<idno>acc-7</idno>"));
    assert!(x.contains("<licence>All rights reserved.</licence>"));
}

#[test]
fn file_dates_come_only_from_the_epoch() {
    let t = with_meta(Metadata {
        date: Some("2020-01-28".parse().unwrap()),
        ..Metadata::default()
    });
    let undated = xml(&t);
    assert!(!undated.contains("revisionDesc"));
    assert!(!undated.contains("<publicationStmt>\n        <authority/>\n        <date"));
    assert_eq!(
        undated.matches(r#"<date when="2020-01-28"/>"#).count(),
        2,
        "bibl and setting"
    );
    let dated = xml_with(&t, Some("verbatim 0.1.0"), Some(1_768_435_200));
    assert!(dated.contains(
        r##"<change when="2026-01-15" who="#enc">Converted to TEI by verbatim 0.1.0.</change>"##
    ));
    assert!(dated.contains("<authority/>\n        <date when=\"2026-01-15\"/>"));
}

#[test]
fn app_info_needs_a_version() {
    let t = common::minimal();
    let x = xml_with(&t, Some("verbatim 0.1.0"), None);
    assert!(x.contains(r#"<application ident="verbatim" version="0.1.0">"#));
    assert!(x.contains("<label>verbatim 0.1.0</label>"));
    assert!(x.contains("<name>verbatim 0.1.0</name>"));
    let x = xml_with(&t, Some("verbatim dev"), None);
    assert!(!x.contains("appInfo"));
    assert!(x.contains("<name>verbatim dev</name>"));
    assert!(!xml(&t).contains("appInfo"));
}

#[test]
fn title_statement_credits_interviewers_and_interviewees() {
    let x = xml(&common::rich());
    // The interviewee is the author; the interviewer is credited by role only.
    assert!(!x.contains(r##"<author ref="#IT">"##));
    assert!(x.contains(r##"<author ref="#AG">Amos Gilead</author>"##));
    assert!(
        !x.contains("<author ref=\"#X.1\""),
        "other roles are no authors"
    );
    assert!(x.contains(
        "<resp ref=\"http://id.loc.gov/vocabulary/relators/ivr\">Interviewer</resp>\n          \
         <persName ref=\"#IT\">Izabella Tabarovsky</persName>"
    ));
    assert!(
        x.contains("<resp ref=\"http://id.loc.gov/vocabulary/relators/ive\">Interviewee</resp>")
    );
    assert!(x.contains(r#"<title type="sub">With a subtitle</title>"#));
}

#[test]
fn profile_holds_persons_setting_keywords_and_abstract() {
    let x = xml(&common::rich());
    assert!(x.contains(
        "<person xml:id=\"IT\" role=\"interviewer\">\n            <persName>Izabella Tabarovsky</persName>\n            \
         <persName type=\"alias\">Izabella</persName>"
    ));
    assert!(x.contains(r#"<person xml:id="X.1" role="other">"#));
    assert!(x.contains("<placeName>Washington, DC</placeName>"));
    assert!(x.contains("<term>Russian-speaking Israelis</term>"));
    assert!(
        x.contains("<abstract>\n        <p>Two lines&#10;of description, with  two spaces.</p>")
    );
}

#[test]
fn source_description_and_recording() {
    let x = xml(&common::rich());
    assert!(x.contains(
        "<ref target=\"https://example.org/interview?id=1&amp;lang=en\">https://example.org/interview?id=1&amp;lang=en</ref>"
    ));
    assert!(x.contains("<recordingStmt>"));
    let untimed = xml(&with_meta(Metadata {
        source_url: Some("https://example.org/".into()),
        ..Metadata::default()
    }));
    assert!(!untimed.contains("recordingStmt"));
    assert!(!untimed.contains("No source is described"));
}

#[test]
fn editorial_declaration_states_only_conventions_in_use() {
    let rich = xml(&common::rich());
    for phrase in [
        "@prev and @next",
        "@cert=\"medium\"",
        "note elements",
        "vocal, incident, pause and gap",
        "timeline",
    ] {
        assert!(rich.contains(phrase), "{phrase}");
    }
    let plain = xml(&common::minimal());
    for phrase in [
        "@prev and @next",
        "@cert",
        "note elements",
        "vocal, incident",
        "timeline",
    ] {
        assert!(!plain.contains(phrase), "{phrase}");
    }
}

#[test]
fn utterances_are_numbered_in_reading_order_and_linked() {
    let x = xml(&common::rich());
    let ids: Vec<&str> = x
        .match_indices("<u xml:id=\"")
        .map(|(i, m)| {
            let rest = &x[i + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    assert_eq!(ids, ["u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9"]);
    assert!(x.contains(r##"<u xml:id="u5" who="#AG" next="#u6">"##));
    assert!(x.contains(r##"<u xml:id="u6" who="#AG" start="#T2" prev="#u5">"##));
    assert!(x.contains(r##"<u xml:id="u8" who="#AG" start="#T2" cert="medium">"##));
    assert_eq!(
        x.matches("<u ").count() - x.matches(" prev=").count(),
        8,
        "real turns"
    );
}

#[test]
fn a_continuing_first_turn_has_nothing_to_point_to() {
    let mut first = turn("A", vec![vec![t("x")]]);
    first.continues = true;
    let t = Transcript::new(
        Metadata::default(),
        vec![Participant::new("A", "A", Role::Other)],
        vec![Block::Turn(first)],
    )
    .unwrap();
    let x = xml(&t);
    assert!(x.contains(r##"<u xml:id="u1" who="#A">"##));
}

#[test]
fn timeline_points_are_numbered_by_time_and_shared() {
    let mut a = turn("A", vec![vec![t("late")]]);
    a.start = Some(ts("00:10:00"));
    let mut b = turn("A", vec![vec![t("early")]]);
    b.start = Some(ts("00:00:01.250"));
    let mut c = turn("A", vec![vec![t("late again")]]);
    c.start = Some(ts("00:10:00"));
    let t = Transcript::new(
        Metadata::default(),
        vec![Participant::new("A", "A", Role::Other)],
        vec![Block::Turn(a), Block::Turn(b), Block::Turn(c)],
    )
    .unwrap();
    let x = xml(&t);
    assert!(x.contains(
        "<timeline unit=\"s\" origin=\"#T0\">\n        <when xml:id=\"T0\"/>\n        \
         <when xml:id=\"T1\" interval=\"1.25\" since=\"#T0\"/>\n        \
         <when xml:id=\"T2\" interval=\"600\" since=\"#T0\"/>\n      </timeline>"
    ));
    assert!(x.contains(r##"<u xml:id="u1" who="#A" start="#T2">"##));
    assert!(x.contains(r##"<u xml:id="u2" who="#A" start="#T1">"##));
    assert!(x.contains(r##"<u xml:id="u3" who="#A" start="#T2">"##));
}

#[test]
fn generated_ids_avoid_participant_ids() {
    let x = xml(&common::clashing_ids());
    assert!(x.contains(r##"<u xml:id="_u1" who="#u1" start="#_T1">"##));
    assert!(x.contains(r#"<respStmt xml:id="_enc">"#));
    assert!(x.contains(r##"<timeline unit="s" origin="#_T0">"##));
    assert!(x.contains(r##"<note type="editorial" place="inline" resp="#enc">"##));
}

#[test]
fn markers_notes_and_emphasis() {
    let x = xml(&common::rich());
    for piece in [
        "<vocal><desc>laughs</desc></vocal>",
        "<incident><desc>crosstalk</desc></incident>",
        "<incident><desc/></incident>",
        "<gap reason=\"inaudible\"><desc>inaudible</desc></gap>",
        "<pause/>",
        "<pause type=\"long\"/>",
        "<pause dur=\"PT3S\" n=\"silence of 3 s\"/>",
        "<note type=\"editorial\" place=\"inline\">unmanned aerial vehicle</note>",
        "<note type=\"editorial\" place=\"inline\" resp=\"#IT\">Avigdor",
        "<hi rend=\"bold\">Russia <hi rend=\"italic\">today</hi></hi>",
        "<ref target=\"https://example.org/\">link</ref>",
    ] {
        assert!(x.contains(piece), "{piece}");
    }
}

#[test]
fn front_and_back_matter() {
    let x = xml(&common::rich());
    let front = at(
        &x,
        "<front>\n      <div type=\"introduction\">\n        <p>An introduction",
    );
    let body = at(&x, "<body>");
    let back = at(
        &x,
        "<back>\n      <div type=\"appendix\">\n        <p>Back matter paragraph.</p>",
    );
    assert!(front < body && body < back);
    let none = xml(&common::minimal());
    assert!(!none.contains("<front>") && !none.contains("<back>"));
}

#[test]
fn content_after_a_subsection_is_wrapped_in_a_headless_div() {
    let doc = Transcript::new(
        Metadata::default(),
        vec![Participant::new("A", "A", Role::Other)],
        vec![
            Block::Turn(turn("A", vec![vec![t("before")]])),
            section("Sub", vec![para(vec![t("inside")])]),
            Block::Turn(turn("A", vec![vec![t("after")]])),
            para(vec![t("narrative after")]),
            Block::Turn(turn("A", vec![vec![t("last")]])),
        ],
    )
    .unwrap();
    let x = xml(&doc);
    assert!(x.contains(
        "</div>\n      <div>\n        <u xml:id=\"u2\" who=\"#A\">\n          <seg type=\"paragraph\">after</seg>\n        \
         </u>\n        <p>narrative after</p>\n        <u xml:id=\"u3\" who=\"#A\">\n          \
         <seg type=\"paragraph\">last</seg>\n        </u>\n      </div>\n    </body>"
    ));
}

#[test]
fn mixed_content_gets_no_added_whitespace_and_line_breaks_are_references() {
    let mut doc = with_meta(Metadata::default());
    doc.body = vec![Block::Turn(turn(
        "A",
        vec![vec![
            t("a\nb "),
            marker(MarkerKind::Vocal, "sighs"),
            t(" c"),
        ]],
    ))];
    let x = xml(&doc);
    assert!(
        x.contains("<seg type=\"paragraph\">a&#10;b <vocal><desc>sighs</desc></vocal> c</seg>")
    );
}

#[test]
fn refuses_invalid_models_and_unwritable_characters() {
    let mut bad = common::minimal();
    bad.body = vec![Block::Turn(turn("Z", vec![vec![t("x")]]))];
    assert!(matches!(
        to_vec(&bad, &TeiOptions::default(), &WriteContext::default()),
        Err(TeiError::Model(_))
    ));
    let mut ctrl = common::minimal();
    ctrl.body = vec![Block::Turn(turn("A", vec![vec![t("bell \u{7}")]]))];
    // The model refuses it before the writer meets it.
    assert_eq!(
        to_vec(&ctrl, &TeiOptions::default(), &WriteContext::default()),
        Err(TeiError::Model(verbatim_model::ModelError::BadCharacter(
            '\u{7}'
        )))
    );
}

fn nested_emphasis(levels: usize) -> Transcript {
    let mut inline = t("deep");
    for _ in 0..levels {
        inline = verbatim_model::Inline::Emphasis {
            content: vec![inline],
        };
    }
    // Built without `Transcript::new`, whose own nesting limit (MAX_NESTING)
    // is below the writer's: the writer must hold its limit on any model.
    Transcript {
        metadata: Metadata::default(),
        participants: vec![Participant::new("A", "A", Role::Other)],
        body: vec![Block::Turn(turn("A", vec![vec![inline]]))],
    }
}

#[test]
fn nesting_is_bounded_by_what_the_reader_reads() {
    let ok = nested_emphasis(verbatim_model::MAX_NESTING - 5);
    let x = to_vec(&ok, &TeiOptions::default(), &WriteContext::default()).unwrap();
    assert_eq!(
        verbatim_tei::read_str(std::str::from_utf8(&x).unwrap())
            .unwrap()
            .value,
        ok
    );
    // The model's own check refuses it before the writer's deeper XML limit.
    assert_eq!(
        to_vec(
            &nested_emphasis(300),
            &TeiOptions::default(),
            &WriteContext::default()
        ),
        Err(TeiError::Model(verbatim_model::ModelError::TooDeep))
    );
}

#[test]
fn text_in_another_script_is_foreign_with_its_script_and_listed_in_lang_usage() {
    let out = xml(&common::scripts(Some("en")));
    assert!(
        out.contains(
            "<language ident=\"en\"/>\n        <language ident=\"und-Hebr\"/>\n        <language ident=\"und-Grek\"/>"
        ),
        "{out}"
    );
    assert!(
        out.contains("<foreign xml:lang=\"und-Hebr\">פגשנו זה את זה בשוק</foreign>."),
        "{out}"
    );
    assert!(
        out.contains("Mixed: <foreign xml:lang=\"und-Hebr\">עברית</foreign>, and <hi rend=\"italic\"><foreign xml:lang=\"und-Grek\">καλημέρα</foreign></hi>"),
        "{out}"
    );
    // Without a declared language the most used script is the main one; `und-` tags
    // name scripts, never the language.
    let out = xml(&common::scripts(None));
    assert!(
        out.contains(
            "<language ident=\"und-Latn\"/>\n        <language ident=\"und-Hebr\"/>\n        <language ident=\"und-Grek\"/>"
        ),
        "{out}"
    );
    assert!(!out.contains("xml:lang=\"und-Latn\""), "{out}");
    let back = verbatim_tei::read_str(&out).unwrap();
    assert_eq!(back.value.metadata.language, None);
}
