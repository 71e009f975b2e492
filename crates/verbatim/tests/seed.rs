//! What the seed interview must come out as, format by format: the checks a
//! librarian or publisher would make by eye, made by machine.

use std::path::Path;

mod support;

use support::output;
use verbatim::Transcript;

fn seed() -> Transcript {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/gilead-interview/gilead-interview.md");
    support::read_path(&path).unwrap().value
}

fn write(format: &str) -> Vec<u8> {
    support::write(output(format), &seed())
}

#[test]
fn model_has_two_participants_twelve_turns_and_five_sections() {
    let t = seed();
    assert_eq!(t.participants.len(), 2);
    let turns: Vec<&str> = t
        .turns()
        .filter(|t| !t.continues)
        .map(|t| t.speaker.as_str())
        .collect();
    assert_eq!(
        turns,
        [
            "IT", "AG", "IT", "AG", "IT", "AG", "IT", "AG", "IT", "AG", "IT", "AG"
        ]
    );
    let parts = t.parts();
    assert_eq!(
        parts.front.len(),
        5,
        "four introduction paragraphs and the editing statement"
    );
    assert_eq!(parts.back.len(), 1, "About the Author");
}

#[test]
fn tei_has_persons_utterances_note_and_front() {
    let tei = String::from_utf8(write("tei")).unwrap();
    assert_eq!(tei.matches("<person xml:id=").count(), 2);
    assert!(tei.contains(r#"<person xml:id="IT" role="interviewer">"#));
    assert!(tei.contains(r#"<person xml:id="AG" role="interviewee">"#));
    let starts: Vec<&str> = tei
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("<u ") && !l.contains(" prev="))
        .map(|l| {
            if l.contains(r##"who="#IT""##) {
                "IT"
            } else {
                "AG"
            }
        })
        .collect();
    assert_eq!(
        starts,
        [
            "IT", "AG", "IT", "AG", "IT", "AG", "IT", "AG", "IT", "AG", "IT", "AG"
        ]
    );
    assert!(tei.contains(r##"<note type="editorial" place="inline" resp="#IT">Avigdor Liberman’s Israel Our Home party"##));
    let front = &tei[tei.find("<front>").unwrap()..tei.find("</front>").unwrap()];
    assert!(front.contains("Major General (Res.) Amos Gilead is a well-known figure"));
    let back = &tei[tei.find("<back>").unwrap()..tei.find("</back>").unwrap()];
    assert!(back.contains("About the Author"));
}

#[test]
fn epub_credits_both_participants_and_lists_every_section() {
    let desc = support::describe(output("epub"), &write("epub"));
    assert!(
        desc.contains(r#"<dc:contributor id="participant-1">Izabella Tabarovsky</dc:contributor>"#)
    );
    assert!(desc.contains(
        r##"<meta refines="#participant-1" property="role" scheme="marc:relators">ivr</meta>"##
    ));
    assert!(desc.contains(r#"<dc:creator id="participant-2">Amos Gilead</dc:creator>"#));
    assert!(desc.contains(
        r##"<meta refines="#participant-2" property="role" scheme="marc:relators">ive</meta>"##
    ));
    let nav = &desc[desc.find("==> OEBPS/nav.xhtml <==").unwrap()..];
    for section in [
        "Israel’s relationship with Russia",
        "Deconfliction, not cooperation",
        "Russian-speaking Israelis",
        "The release of Naama Issachar",
        "Putin at the commemoration of the liberation of Auschwitz in Jerusalem",
        "About the Author",
    ] {
        assert!(nav.contains(section), "nav lacks {section}");
    }
}

#[test]
fn pdf_has_an_outline_entry_per_section_and_extracts_every_paragraph_word_for_word() {
    let desc = support::describe(output("pdf"), &write("pdf"));
    let outline = &desc[desc.find("outline").expect("an outline")..];
    for section in [
        "Israel’s relationship with Russia",
        "Deconfliction, not cooperation",
        "Russian-speaking Israelis",
        "The release of Naama Issachar",
        "Putin at the commemoration of the liberation of Auschwitz in Jerusalem",
        "About the Author",
    ] {
        assert!(
            outline.contains(section),
            "outline lacks {section}:\n{desc}"
        );
    }
    assert!(
        desc.contains("pdfaid:part: 2") && desc.contains("pdfaid:conformance: U"),
        "{desc}"
    );

    // The extracted text, page furniture left out, holds every paragraph word for word,
    // once the words hyphenated at line ends are joined (the seed has no line that
    // ends in a hyphen of its own).
    let text = &desc[desc.find("--- page 1 ---").expect("page text")..];
    let mut extracted = String::from(" ");
    for line in text
        .lines()
        .filter(|l| !l.starts_with("--- page") && !l.starts_with("furniture:"))
    {
        let mut end = line.chars().rev();
        match (end.next(), end.next()) {
            (Some('-'), Some(c)) if c.is_alphabetic() => {
                extracted.push_str(&line[..line.len() - 1]);
            }
            _ => {
                extracted.push_str(line);
                extracted.push(' ');
            }
        }
    }
    let extracted = format!(
        " {} ",
        extracted.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    let t = seed();
    let mut paragraphs: Vec<String> = t
        .turns()
        .flat_map(|turn| turn.paragraphs.iter())
        .map(|p| verbatim::model::plain_text(p))
        .collect();
    for block in t.parts().front {
        if let verbatim::model::Block::Paragraph(p) = block {
            paragraphs.push(verbatim::model::plain_text(&p.content));
        }
    }
    assert_eq!(paragraphs.len(), 28);
    for p in paragraphs {
        let want = format!(" {} ", p.split_whitespace().collect::<Vec<_>>().join(" "));
        assert!(
            extracted.contains(&want),
            "not extracted word for word:\n{p}"
        );
    }
}

/// The web capture as it was saved, read by the plain-text importer.
#[test]
fn the_capture_converts_as_it_is() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/gilead-capture/gilead-capture.txt");
    let parsed = support::read("txt", &std::fs::read(path).unwrap()).unwrap();
    let t = &parsed.value;
    let people: Vec<(&str, &str, verbatim::model::Role)> = t
        .participants
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str(), p.role))
        .collect();
    use verbatim::model::Role::{Interviewee, Interviewer};
    assert_eq!(
        people,
        [
            ("IT", "Izabella Tabarovsky", Interviewer),
            ("AG", "Amos Gilead", Interviewee)
        ]
    );
    let turns: Vec<&str> = t
        .turns()
        .filter(|t| !t.continues)
        .map(|t| t.speaker.as_str())
        .collect();
    assert_eq!(
        turns,
        [
            "IT", "AG", "IT", "AG", "IT", "AG", "IT", "AG", "IT", "AG", "IT", "AG"
        ]
    );
    let headings: Vec<String> = t
        .body
        .iter()
        .filter_map(|b| match b {
            verbatim::model::Block::Section(s) => Some(verbatim::model::plain_text(&s.heading)),
            _ => None,
        })
        .collect();
    assert_eq!(
        headings[..5],
        [
            "Israel’s relationship with Russia",
            "Deconfliction, not cooperation",
            "Russian-speaking Israelis",
            "The release of Naama Issachar",
            "Putin at the commemoration of the liberation of Auschwitz in Jerusalem",
        ]
    );
    assert_eq!(t.parts().front.len(), 5, "the introduction is narrative");
    assert!(t.turns().any(|turn| turn.inferred && turn.speaker == "AG"));
    for format in ["tei", "epub"] {
        support::write(output(format), t);
    }
}
