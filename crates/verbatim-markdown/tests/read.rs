//! The Markdown transcript rules of `docs/format.md`, one test per rule.

use verbatim_markdown::{ErrorKind, read_str as read};
use verbatim_model::{Block, Inline, MarkerKind, Role, Timestamp, Transcript, Turn};

const PEOPLE: &str = "---
title: T
participants:
  - id: IT
    name: Izabella Tabarovsky
    role: interviewer
  - id: AG
    name: Amos Gilead
    role: interviewee
    aliases: [Gilead]
---
";

fn parse(body: &str) -> Transcript {
    read(&format!("{PEOPLE}\n{body}"))
        .unwrap_or_else(|e| panic!("{e}"))
        .value
}

fn turns(t: &Transcript) -> Vec<&Turn> {
    t.turns().collect()
}

#[test]
fn labels_match_id_name_and_alias_bold_or_plain() {
    let t =
        parse("**IT:** one\n\n**Amos Gilead:** two\n\nGilead: three\n\nIT: four\n\n**AG**: five\n");
    let who: Vec<&str> = turns(&t).iter().map(|t| t.speaker.as_str()).collect();
    assert_eq!(who, ["IT", "AG", "AG", "IT", "AG"]);
    assert_eq!(turns(&t)[4].paragraphs[0], vec![Inline::text("five")]);
}

#[test]
fn plain_text_before_a_colon_is_not_a_label_unless_declared() {
    let t = parse("**AG:** Russia.\n\nNow to Russia: it is not an ally.\n");
    assert_eq!(turns(&t).len(), 1);
    assert_eq!(turns(&t)[0].paragraphs.len(), 2);
}

#[test]
fn undeclared_bold_label_is_an_error_with_position() {
    let e = read(&format!("{PEOPLE}\n**IT:** hi\n\n**Zed:** who?\n")).unwrap_err();
    assert_eq!(e.kind, ErrorKind::UndeclaredSpeaker("Zed".into()));
    assert_eq!((e.line, e.column), (15, 1));
    assert!(
        e.to_string()
            .starts_with("15:1: undeclared speaker \"Zed\""),
        "{e}"
    );
}

#[test]
fn without_participants_bold_labels_declare_speakers() {
    let parsed = read("**Q:** Why?\n\n**A:** Because.\n\n**SPEAKER 3:** Me too.\n").unwrap();
    let t = parsed.value;
    let ids: Vec<(&str, &str, Role)> = t
        .participants
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str(), p.role))
        .collect();
    assert_eq!(
        ids,
        [
            ("Q", "Q", Role::Interviewer),
            ("A", "A", Role::Interviewee),
            ("SPEAKER_3", "SPEAKER 3", Role::Other)
        ]
    );
    assert_eq!(parsed.warnings.len(), 3);
    assert_eq!(parsed.warnings[2].line(), 5);
}

#[test]
fn unlabelled_paragraphs_continue_the_turn_even_after_a_heading() {
    let t = parse("## One\n\n**AG:** a\n\nb\n\n## Two\n\nc\n\n**IT:** d\n");
    let Block::Section(two) = &t.body[1] else {
        panic!()
    };
    let Block::Turn(cont) = &two.blocks[0] else {
        panic!()
    };
    assert!(cont.continues);
    assert_eq!(cont.speaker, "AG");
    assert_eq!(turns(&t)[0].paragraphs.len(), 2);
}

#[test]
fn narrative_before_first_turn_and_after_a_thematic_break() {
    let t = parse("Intro.\n\n**IT:** q\n\n---\n\n## About\n\nBio.\n");
    let parts = t.parts();
    assert_eq!(parts.front.len(), 1);
    assert_eq!(parts.back.len(), 1);
    let Block::Section(about) = &parts.back[0] else {
        panic!()
    };
    assert!(matches!(about.blocks[0], Block::Paragraph(_)));
}

#[test]
fn title_from_first_heading_when_front_matter_has_none() {
    let t = read("# The Title\n\n**Q:** x\n").unwrap().value;
    assert_eq!(t.metadata.title.as_deref(), Some("The Title"));
    assert!(t.body.iter().all(|b| !matches!(b, Block::Section(_))));
    // With a title in the front matter, `#` is a section.
    let t = parse("# Part\n\n**IT:** x\n");
    assert_eq!(t.metadata.title.as_deref(), Some("T"));
    assert!(matches!(t.body[0], Block::Section(_)));
}

#[test]
fn sections_nest_by_level() {
    let t = parse("## A\n\n### A.1\n\n**IT:** x\n\n## B\n\n**IT:** y\n");
    assert_eq!(t.body.len(), 2);
    let Block::Section(a) = &t.body[0] else {
        panic!()
    };
    assert!(matches!(&a.blocks[0], Block::Section(s) if s.blocks.len() == 1));
}

#[test]
fn notes_attributed_and_not_markers_and_timestamps() {
    let t = parse("**AG:** [01:02] Hi [laughs] there [a gloss] and [a note.—IT] [x—Nobody].\n");
    let turn = turns(&t)[0];
    assert_eq!(turn.start, Some(Timestamp::from_millis(62_000)));
    let p = &turn.paragraphs[0];
    assert_eq!(
        p[1],
        Inline::Marker {
            kind: MarkerKind::Vocal,
            desc: "laughs".into()
        }
    );
    assert_eq!(
        p[3],
        Inline::Note {
            resp: None,
            content: vec![Inline::text("a gloss")]
        }
    );
    assert_eq!(
        p[5],
        Inline::Note {
            resp: Some("IT".into()),
            content: vec![Inline::text("a note.")]
        }
    );
    assert_eq!(
        p[7],
        Inline::Note {
            resp: None,
            content: vec![Inline::text("x—Nobody")]
        }
    );
}

#[test]
fn escaped_brackets_and_links_are_not_notes() {
    let t = parse("**IT:** \\[not a note\\] and [a link](https://example.org) and [unclosed\n");
    let p = &turns(&t)[0].paragraphs[0];
    assert_eq!(p[0], Inline::text("[not a note] and "));
    assert!(matches!(&p[1], Inline::Link { target, .. } if target == "https://example.org"));
    assert_eq!(p[2], Inline::text(" and [unclosed"));
}

#[test]
fn empty_and_whitespace_files_are_errors() {
    for src in ["", "  \n\n\t\n"] {
        assert_eq!(read(src).unwrap_err().kind, ErrorKind::Empty);
    }
}

#[test]
fn unclosed_front_matter_is_an_error() {
    let e = read("---\ntitle: x\n\nbody\n").unwrap_err();
    assert_eq!(e.kind, ErrorKind::UnclosedFrontMatter);
}

#[test]
fn invalid_front_matter_names_the_line() {
    let e = read("---\ntitle: ok\nkeywords: [a, b\n---\n\ntext\n").unwrap_err();
    assert!(matches!(e.kind, ErrorKind::FrontMatter(_)), "{e}");
    assert!(e.line >= 3, "{e}");
    // pandoc's `author` is the interviewee, said so at its line.
    let p = read("---\ntitle: ok\nauthor: someone\n---\n\ntext\n").unwrap();
    assert_eq!(
        p.value.participants[0].role,
        verbatim_model::Role::Interviewee
    );
    assert_eq!(p.warnings[0].position.map(|p| p.line), Some(3));
    let e = read("---\nparticipants:\n  - id: A\n    role: boss\n---\n\ntext\n").unwrap_err();
    assert!(e.to_string().contains("unknown role \"boss\""), "{e}");
    assert_eq!(e.line, 3);
}

#[test]
fn a_date_the_calendar_lacks_is_an_error_at_its_line() {
    let e = read("---\ntitle: ok\ndate: 2023-02-30\n---\n\ntext\n").unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Date(_)), "{e}");
    assert_eq!((e.line, e.column), (3, 1));
    assert_eq!(
        e.to_string(),
        "3:1: front matter: date \"2023-02-30\": February has no day 30"
    );
    let e = read("---\nlanguage: English\n---\n\ntext\n").unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Language(_)), "{e}");
    assert_eq!(e.line, 2);
}

#[test]
fn duplicate_participant_is_an_error_at_its_second_declaration() {
    let e = read(
        "---\nparticipants:\n  - id: A\n    name: One\n  - id: A\n    name: Two\n---\n\ntext\n",
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "5:3: duplicate participant id \"A\"");
}

#[test]
fn yaml_scalars_are_text() {
    let t = read("---\ntitle: 1984\ndate: 2020-01-28\n---\n\ntext\n")
        .unwrap()
        .value;
    assert_eq!(t.metadata.title.as_deref(), Some("1984"));
    assert_eq!(
        t.metadata.date.map(|d| d.to_string()).as_deref(),
        Some("2020-01-28")
    );
}

#[test]
fn other_blocks_are_kept_with_a_warning() {
    let parsed = read("> quoted\n\n- item one\n- item two\n\n```\ncode\n```\n").unwrap();
    let texts: Vec<String> = parsed
        .value
        .body
        .iter()
        .map(|b| match b {
            Block::Paragraph(p) => verbatim_model::plain_text(&p.content),
            _ => String::new(),
        })
        .collect();
    assert_eq!(texts, ["quoted", "item one", "item two", "code"]);
    assert_eq!(parsed.warnings.len(), 3);
}

/// A million distinct undeclared labels: refused where the limit is crossed, not after
/// a parse that grows worse than quadratically.
#[test]
fn too_many_labels_are_refused_as_they_appear() {
    let src: String = (0..1_000_000).map(|n| format!("**S{n}:** x\n\n")).collect();
    let e = read(&src).unwrap_err();
    assert_eq!(e.kind, ErrorKind::TooManyParticipants(1000));
    // The 1001st label, on line 2,001.
    assert_eq!((e.line, e.column), (2001, 1), "{e}");
}

#[test]
fn nesting_past_the_limit_is_one_error() {
    let src = format!("{}**Q:** deep\n", "> - ".repeat(20_000));
    let e = read(&src).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::TooDeep(_)), "{e}");
    assert_eq!(e.line, 1, "{e}");
    let src = format!("{}**Q:** fine\n", "> ".repeat(3));
    let p = read(&src).unwrap();
    assert_eq!(
        p.warnings.len(),
        2,
        "one warning for the quotes: {:?}",
        p.warnings
    );
}
