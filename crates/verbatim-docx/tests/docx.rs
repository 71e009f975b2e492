//! Word documents built here with the zip crate: the rules, bad archives, and
//! the `word-interview` fixture (written by this test with `VERBATIM_BLESS=1`).

use std::io::{Cursor, Write};
use std::path::Path;

use verbatim_docx::{ErrorKind, read_bytes as read};
use verbatim_model::{Block, Code, Inline, Role, Transcript, Turn};

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

const DOC_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org/cannery-museum" TargetMode="External"/></Relationships>"#;

fn styles() -> String {
    let style = |id: &str, name: &str| {
        format!(
            r#"<w:style w:type="paragraph" w:styleId="{id}"><w:name w:val="{name}"/></w:style>"#
        )
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {W}>{}{}{}{}</w:styles>"#,
        style("Normal", "Normal"),
        style("Title", "Title"),
        style("Subtitle", "Subtitle"),
        style("Heading1", "heading 1"),
    )
}

const CORE: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Cannery interview (draft)</dc:title><dc:creator>Office User</dc:creator><cp:keywords>canneries; fishing industry</cp:keywords><dc:language>en-GB</dc:language><dcterms:created xsi:type="dcterms:W3CDTF">2023-05-02T09:14:00Z</dcterms:created></cp:coreProperties>"#;

fn footnotes() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> The cannery closed in 1988; the building is now a museum.</w:t></w:r></w:p></w:footnote></w:footnotes>"#
    )
}

fn p(style: Option<&str>, runs: &str) -> String {
    let ppr = style.map_or(String::new(), |s| {
        format!(r#"<w:pPr><w:pStyle w:val="{s}"/></w:pPr>"#)
    });
    format!("<w:p>{ppr}{runs}</w:p>")
}

fn r(text: &str) -> String {
    format!(r#"<w:r><w:t xml:space="preserve">{text}</w:t></w:r>"#)
}

fn b(text: &str) -> String {
    format!(r#"<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>"#)
}

fn i(text: &str) -> String {
    format!(r#"<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>"#)
}

/// The fictional interview of the `word-interview` fixture.
fn document() -> String {
    let body = [
        p(Some("Title"), &r("Memories of the Riverside Cannery")),
        p(Some("Subtitle"), &r("An oral history interview (a fictional sample)")),
        p(None, &r("Interviewer: Tomasz Wierzbicki")),
        p(None, &r("Narrator: Grace Adeyemi-Hall")),
        p(None, &r("Date: 12 June 2019")),
        p(None, &r("Place: Port Ellery Public Library")),
        p(Some("Heading1"), &r("Early days")),
        p(None, &(b("Tomasz Wierzbicki:") + &r(" When did you start at the cannery?"))),
        p(None, &(b("Grace Adeyemi-Hall:") + &r(" In 1961. My mother ") + &i("insisted") + &r(", and I was fourteen."))),
        p(None, &r("The smell never left my coat.")),
        p(Some("Heading1"), &r("The work")),
        p(
            None,
            &(b("TW:") + &r(" What did you do there?") + r#"<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>"#),
        ),
        p(
            None,
            &(b("GA:")
                + &r(" Gutting fish, then the labelling line. There is a photograph on the ")
                + r#"<w:hyperlink r:id="rId7" w:history="1">"#
                + &r("museum’s website")
                + "</w:hyperlink>"
                + &r(". [laughs]")),
        ),
        p(None, &(r("TW: And the strike?") + "<w:r><w:br/></w:r>" + &r("GA: Which one? There were three [1971, 1979 and 1984]."))),
        p(None, ""),
        p(None, &(b("TW:") + &r(" Thank you, Grace."))),
    ]
    .concat();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {W}><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>"#
    )
}

fn zip(files: &[(&str, &str)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    // Stored and dated 1980-01-01, so the bytes never change.
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    for (name, data) in files {
        w.start_file(*name, opts).expect("zip entry");
        w.write_all(data.as_bytes()).expect("zip write");
    }
    w.finish().expect("zip finish").into_inner()
}

fn sample() -> Vec<u8> {
    zip(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("word/document.xml", &document()),
        ("word/_rels/document.xml.rels", DOC_RELS),
        ("word/styles.xml", &styles()),
        ("word/footnotes.xml", &footnotes()),
        ("docProps/core.xml", CORE),
    ])
}

fn turns(t: &Transcript) -> Vec<&Turn> {
    t.turns().collect()
}

#[test]
fn the_fixture_is_this_sample() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/word-interview/word-interview.docx");
    let bytes = sample();
    if std::env::var_os("VERBATIM_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("fixture dir");
        std::fs::write(&path, &bytes).expect("writable fixture");
    }
    let committed =
        std::fs::read(&path).expect("fixture exists (VERBATIM_BLESS=1 cargo test writes it)");
    assert!(
        committed == bytes,
        "{} differs from the sample built here",
        path.display()
    );
}

#[test]
fn a_word_interview_reads_like_plain_text_with_styles() {
    let parsed = read(&sample()).unwrap_or_else(|e| panic!("{e}"));
    let t = &parsed.value;
    let m = &t.metadata;
    assert_eq!(
        m.title.as_deref(),
        Some("Memories of the Riverside Cannery"),
        "the Title style beats the file's title"
    );
    assert_eq!(
        m.subtitle.as_deref(),
        Some("An oral history interview (a fictional sample)")
    );
    assert_eq!(
        m.date.map(|d| d.to_string()).as_deref(),
        Some("2019-06-12"),
        "the header's date beats the file's"
    );
    assert_eq!(m.place.as_deref(), Some("Port Ellery Public Library"));
    assert_eq!(m.language.as_ref().map(|l| l.as_str()), Some("en-GB"));
    assert_eq!(m.keywords, ["canneries", "fishing industry"]);
    let people: Vec<(&str, &str, Role)> = t
        .participants
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str(), p.role))
        .collect();
    assert_eq!(
        people,
        [
            ("TW", "Tomasz Wierzbicki", Role::Interviewer),
            ("GA", "Grace Adeyemi-Hall", Role::Interviewee)
        ]
    );
    let heads: Vec<String> = t
        .body
        .iter()
        .filter_map(|b| match b {
            Block::Section(s) => Some(verbatim_model::plain_text(&s.heading)),
            _ => None,
        })
        .collect();
    assert_eq!(heads, ["Early days", "The work"]);
    let ts = turns(t);
    let who: Vec<&str> = ts.iter().map(|t| t.speaker.as_str()).collect();
    assert_eq!(
        who,
        ["TW", "GA", "TW", "GA", "TW", "GA", "TW"],
        "bold, plain and after a line break"
    );
    assert_eq!(ts[1].paragraphs.len(), 2);
    assert!(ts[1].paragraphs[0].contains(&Inline::Emphasis {
        content: vec![Inline::text("insisted")]
    }));
    assert!(
        matches!(ts[2].paragraphs[0].last(), Some(Inline::Note { resp: None, content }) if verbatim_model::plain_text(content).starts_with("The cannery closed"))
    );
    assert!(ts[3].paragraphs[0].iter().any(|i| matches!(i, Inline::Link { target, .. } if target == "https://example.org/cannery-museum")));
    assert!(
        ts[3].paragraphs[0]
            .iter()
            .any(|i| matches!(i, Inline::Marker { .. }))
    );
    assert!(
        ts[5].paragraphs[0]
            .iter()
            .any(|i| matches!(i, Inline::Note { .. }))
    );
    let warned = |line: usize, s: &str| {
        parsed
            .warnings
            .iter()
            .any(|w| w.line() == line && w.message.contains(s))
    };
    assert!(
        warned(1, "document author \"Office User\""),
        "{:?}",
        parsed.warnings
    );
    assert!(
        warned(12, "initials \"TW\" taken as Tomasz Wierzbicki"),
        "{:?}",
        parsed.warnings
    );
}

#[test]
fn the_creation_date_is_not_the_interviews_date() {
    let doc = format!(
        "<w:document {W}><w:body>{}{}</w:body></w:document>",
        p(None, &r("Q: Why?")),
        p(None, &r("A: Because."))
    );
    let bytes = zip(&[("word/document.xml", &doc), ("docProps/core.xml", CORE)]);
    let parsed = read(&bytes).unwrap();
    assert_eq!(parsed.value.metadata.date, None);
    assert_eq!(
        parsed.value.metadata.title.as_deref(),
        Some("Cannery interview (draft)")
    );
    assert!(
        parsed
            .warnings
            .iter()
            .any(|w| w.code == Code::MetadataDropped
                && w.message.contains("creation date 2023-05-02"))
    );
    // A date line on the cover is the date.
    let doc = format!(
        "<w:document {W}><w:body>{}{}{}</w:body></w:document>",
        p(None, &r("7 February 1994")),
        p(None, &r("Q: Why?")),
        p(None, &r("A: Because."))
    );
    let bytes = zip(&[("word/document.xml", &doc), ("docProps/core.xml", CORE)]);
    let parsed = read(&bytes).unwrap();
    assert_eq!(
        parsed.value.metadata.date.map(|d| d.to_string()).as_deref(),
        Some("1994-02-07")
    );
}

#[test]
fn a_truncated_archive_is_a_clear_error() {
    let bytes = sample();
    for cut in [bytes.len() / 2, bytes.len() - 10, 30] {
        let e = read(&bytes[..cut]).unwrap_err();
        assert!(matches!(e.kind, ErrorKind::Archive(_)), "{cut}: {e}");
        assert!(
            e.to_string()
                .starts_with("1:1: not a readable .docx (zip) file: the archive is truncated"),
            "{e}"
        );
    }
}

#[test]
fn not_a_zip_or_no_document() {
    for bytes in [&b""[..], b"plain text, not a zip", &[0xFFu8; 300][..]] {
        assert!(matches!(
            read(bytes).unwrap_err().kind,
            ErrorKind::Archive(_)
        ));
    }
    let e = read(&zip(&[("readme.txt", "hello")])).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NoDocument);
    let e = read(&zip(&[(
        "word/document.xml",
        &format!("<w:document {W}><w:body/></w:document>"),
    )]))
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Empty);
}

#[test]
fn broken_xml_names_part_line_and_column() {
    let doc =
        format!("<w:document {W}>\n<w:body>\n<w:p><w:r><w:t>x</w:r></w:p>\n</w:body></w:document>");
    let e = read(&zip(&[("word/document.xml", &doc)])).unwrap_err();
    assert!(
        matches!(&e.kind, ErrorKind::Xml { part, .. } if part == "word/document.xml"),
        "{e}"
    );
    assert_eq!(e.line, 3, "{e}");
    assert!(e.to_string().starts_with("3:"), "{e}");
}

#[test]
fn broken_optional_parts_are_left_out_with_a_warning() {
    let doc = format!(
        "<w:document {W}><w:body>{}</w:body></w:document>",
        p(None, &r("Q: Why?"))
    );
    let parsed = read(&zip(&[
        ("word/document.xml", &doc),
        ("word/styles.xml", "<w:styles><w:style></w:styles>"),
        (
            "docProps/core.xml",
            "<cp:coreProperties><dc:title>x</cp:coreProperties>",
        ),
    ]))
    .unwrap();
    assert_eq!(parsed.value.turns().count(), 1);
    let left_out: Vec<&str> = parsed
        .warnings
        .iter()
        .filter(|w| w.message.contains("left out: invalid XML"))
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(left_out.len(), 2, "{left_out:?}");
    assert!(
        left_out[0].starts_with("word/styles.xml left out: invalid XML at 1:"),
        "{left_out:?}"
    );
}

#[test]
fn zip_bombs_are_refused_before_inflating() {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("word/document.xml", opts).unwrap();
    w.write_all(&vec![b' '; 8 * 1024 * 1024]).unwrap();
    let bytes = w.finish().unwrap().into_inner();
    let e = read(&bytes).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Ratio { .. }), "{e}");
}

#[test]
fn garbage_inside_a_zip_does_not_panic() {
    let noise: String = (0u32..3000)
        .map(|i| char::from_u32((i * 7919) % 0x2FFF + 1).unwrap_or('<'))
        .collect();
    for doc in [
        noise.as_str(),
        "<w:p>",
        "<w:document><w:body><w:p><w:r><w:t>&bogus;&#0;&#x110000;</w:t></w:r></w:p></w:body></w:document>",
        "<w:body><w:hyperlink><w:hyperlink><w:r><w:t>x</w:t></w:r></w:body>",
        "<w:body><w:p><w:r><w:fldChar w:fldCharType=\"end\"/><w:t>Q: hi</w:t></w:r></w:p></w:body>",
    ] {
        let _ = read(&zip(&[("word/document.xml", doc)]));
    }
    let _ = read(&zip(&[
        ("word/document.xml", "<a/>"),
        ("word/styles.xml", &noise),
        ("docProps/core.xml", &noise),
    ]));
}

/// What Word files written elsewhere do: a label split over two paragraphs, a label
/// glued to its text, a tab-indented paragraph carrying on a turn.
#[test]
fn labels_split_glued_and_tab_indented_turns() {
    let tab = |t: &str| format!(r#"<w:r><w:tab/><w:t xml:space="preserve">{t}</w:t></w:r>"#);
    let doc = format!(
        "<w:document {W}><w:body>{}</w:body></w:document>",
        [
            p(None, &r("JOHN R.")),
            p(
                None,
                &r("MILLER ’71: Today is May 2. What do you remember?")
            ),
            p(None, &r("TAVELA:Silver Spring, Maryland.")),
            p(None, &tab("Keeping the light")),
            p(None, &r("MILLER ’71: And then?")),
            p(None, &r("TAVELA: We left.")),
        ]
        .concat()
    );
    let bytes = zip(&[("word/document.xml", &doc)]);
    let parsed = read(&bytes).unwrap();
    let t = &parsed.value;
    let who: Vec<&str> = t.turns().map(|u| t.name_of(&u.speaker)).collect();
    assert_eq!(
        who,
        [
            "John R. Miller ’71",
            "Tavela",
            "John R. Miller ’71",
            "Tavela"
        ]
    );
    let second: &Turn = t.turns().nth(1).unwrap();
    assert_eq!(
        second.paragraphs.len(),
        2,
        "the indented paragraph carries on"
    );
    assert!(!t.body.iter().any(|b| matches!(b, Block::Section(_))));
}

/// A minimal archive: the document and, if given, footnotes.
fn parts(document_body: &str, footnotes: Option<&str>) -> Vec<u8> {
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{document_body}</w:body></w:document>"#
    );
    let mut files = vec![
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("word/document.xml", doc),
        ("word/_rels/document.xml.rels", DOC_RELS.to_string()),
    ];
    if let Some(f) = footnotes {
        files.push(("word/footnotes.xml", f.to_string()));
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(n, d)| (*n, d.as_str())).collect();
    zip(&refs)
}

/// Runs `f` on a thread with a small stack, as a worker of a batch has: deep input
/// that recursed would overflow it and abort the test binary.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .expect("no panic")
}

#[test]
fn nested_hyperlinks_and_fields_never_overflow_the_stack() {
    for depth in [200, 5_000, 25_000] {
        let links = format!(
            "<w:p>{}{}{}{}</w:p>",
            r("Q: "),
            r#"<w:hyperlink r:id="rId7">"#.repeat(depth),
            r("where?"),
            "</w:hyperlink>".repeat(depth)
        );
        let fields = format!(
            "<w:p>{}{}{}{}</w:p>",
            r("Q: "),
            r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>HYPERLINK "https://example.org/"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>"#.repeat(depth),
            r("where?"),
            r#"<w:r><w:fldChar w:fldCharType="end"/></w:r>"#.repeat(depth)
        );
        for body in [links, fields] {
            let bytes = parts(&(body + &p(None, &r("A: Here."))), None);
            // Either read, its text intact, or refused as too deep: never a crash.
            match on_small_stack(move || read(&bytes)) {
                Ok(p) => {
                    let turns = turns(&p.value)
                        .iter()
                        .map(|t| {
                            format!(
                                "{}: {}",
                                t.speaker,
                                verbatim_model::plain_text(&t.paragraphs[0])
                            )
                        })
                        .collect::<Vec<_>>();
                    assert_eq!(turns, ["Q: where?", "A: Here."], "depth {depth}");
                }
                Err(e) => assert!(e.to_string().contains("deep"), "depth {depth}: {e}"),
            }
        }
    }
}

#[test]
fn a_note_referenced_many_times_is_not_copied_past_a_budget() {
    let big = "x".repeat(1024 * 1024);
    let notes = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {W}><w:footnote w:id="1"><w:p>{}</w:p></w:footnote></w:footnotes>"#,
        r(&big)
    );
    let reference = r#"<w:r><w:footnoteReference w:id="1"/></w:r>"#;
    let body = p(None, &(r("Q: why?") + &reference.repeat(20_000)));
    let e = read(&parts(&body, Some(&notes))).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::NotesTooLarge { .. }), "{e}");
    // Referenced a few times it is read, each reference a note.
    let body = p(None, &(r("Q: why?") + &reference.repeat(3)));
    let t = read(&parts(&body, Some(&notes))).unwrap().value;
    let mut notes_seen = 0;
    t.walk_inlines(&mut |i| {
        if matches!(i, Inline::Note { .. }) {
            notes_seen += 1;
        }
    });
    assert_eq!(notes_seen, 3);
}

/// Sets the uncompressed size of every entry, in the local headers and the central
/// directory, to `size`: a zip whose headers lie.
fn lie_about_sizes(mut bytes: Vec<u8>, size: u32) -> Vec<u8> {
    let mut i = 0;
    while i + 30 <= bytes.len() {
        match &bytes[i..i + 4] {
            [0x50, 0x4b, 0x03, 0x04] => bytes[i + 22..i + 26].copy_from_slice(&size.to_le_bytes()),
            [0x50, 0x4b, 0x01, 0x02] => bytes[i + 24..i + 28].copy_from_slice(&size.to_le_bytes()),
            _ => {}
        }
        i += 1;
    }
    bytes
}

#[test]
fn sizes_are_counted_as_inflated_not_as_the_headers_claim() {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("word/document.xml", opts).unwrap();
    let body = format!("<w:document {W}><w:body>{}", " ".repeat(150 * 1024 * 1024));
    w.write_all(body.as_bytes()).unwrap();
    let honest = w.finish().unwrap().into_inner();
    let lying = lie_about_sizes(honest, 2_000);
    let e = read(&lying).unwrap_err();
    assert!(
        matches!(
            e.kind,
            ErrorKind::Ratio { .. } | ErrorKind::TooLarge { .. } | ErrorKind::Archive(_)
        ),
        "{e}"
    );
}

#[test]
fn duplicate_parts_and_doctypes_are_refused() {
    let doc = format!(
        "<w:document {W}><w:body>{}</w:body></w:document>",
        p(None, &r("Q: hi"))
    );
    // The zip crate writes no duplicates: a second name of the same length, renamed.
    let bytes = zip(&[("word/document.xml", &doc), ("word/documenX.xml", &doc)]);
    let mut bytes = bytes;
    let (from, to) = (b"word/documenX.xml", b"word/document.xml");
    let mut i = 0;
    while i + from.len() <= bytes.len() {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + from.len()].copy_from_slice(to);
        }
        i += 1;
    }
    let e = read(&bytes);
    // The zip crate may refuse the duplicate itself; either way it is not read.
    match e {
        Err(e) => assert!(
            matches!(e.kind, ErrorKind::DuplicatePart(_) | ErrorKind::Archive(_)),
            "{e}"
        ),
        Ok(_) => panic!("a duplicate part was read"),
    }
    let with_dtd =
        format!(r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "Q: hi">]>{doc}"#);
    let e = read(&zip(&[("word/document.xml", &with_dtd)])).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Doctype { .. }), "{e}");
}
