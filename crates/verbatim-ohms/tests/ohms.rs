//! OHMS exports built here: both flavours, the index, errors at their place.

use verbatim_model::{Block, Code, Role};
use verbatim_ohms::{ErrorKind, OHMS_NS, read_str};

fn record(inner: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<ROOT xmlns=\"{OHMS_NS}\">\n<record id=\"1\">\n{inner}\n</record>\n</ROOT>\n"
    )
}

#[test]
fn an_index_only_export_gives_its_sections_with_a_warning() {
    let src = record(
        "<title>Index only</title>\n<index><point><time>60</time><title>First</title><synopsis>One.</synopsis></point></index>",
    );
    let p = read_str(&src).unwrap();
    assert_eq!(p.value.turns().count(), 0);
    let Block::Section(s) = &p.value.body[0] else {
        panic!("a section");
    };
    assert_eq!(verbatim_model::plain_text(&s.heading), "First (00:01:00)");
    assert!(
        p.warnings
            .iter()
            .any(|w| w.code == Code::Empty && w.line() == 5)
    );
}

#[test]
fn people_named_in_the_record_name_the_labels_with_their_roles() {
    let src = record(
        "<interviewer>Okafor, Ruth</interviewer>\n<interviewee>Maria Lopes</interviewee>\n<vtt_transcript><![CDATA[00:00:01.000 --> 00:00:02.000\n<v LOPES>I was born in Porto.\n\n00:00:03.000 --> 00:00:04.000\n<v OKAFOR>When?]]></vtt_transcript>",
    );
    let t = read_str(&src).unwrap().value;
    let people: Vec<(&str, Role)> = t
        .participants
        .iter()
        .map(|p| (p.name.as_str(), p.role))
        .collect();
    assert_eq!(
        people,
        [
            ("Maria Lopes", Role::Interviewee),
            ("Ruth Okafor", Role::Interviewer)
        ]
    );
}

#[test]
fn errors_in_the_webvtt_are_placed_in_the_file() {
    let src = record(
        "<vtt_transcript><![CDATA[WEBVTT\n\n00:00:xx.000 --> 00:00:02.000\n<v A>Hi]]></vtt_transcript>",
    );
    let e = read_str(&src).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Captions(_)), "{e}");
    // The CDATA starts on line 4; its third line is line 6.
    assert_eq!(e.line, 6, "{e}");
    assert!(e.to_string().contains("in <vtt_transcript>"), "{e}");
}

#[test]
fn not_an_ohms_export_says_what_it_is() {
    let e = read_str("<ROOT><record/></ROOT>").unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "1:1: not an OHMS export: the root element is <ROOT> in no namespace; expected <ROOT> in the OHMS namespace ({OHMS_NS})"
        )
    );
    let e = read_str(&record("<title>x</title>")).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Empty);
}
