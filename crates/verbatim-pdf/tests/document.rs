//! What the PDF says, read back with `describe`: metadata, outline, fonts,
//! page furniture and the text of the pages.

mod common;

use common::{para, pdf, pdf_in, rich, small, text, turn};
use verbatim_model::{Block, Metadata, Participant, Role, Transcript};
use verbatim_model::{DatePolicy, WriteContext};
use verbatim_pdf::{Paper, PdfOptions, Typeface, uncovered_chars};

fn described(t: &Transcript, opts: &PdfOptions) -> String {
    verbatim_inspect::describe_pdf(&pdf(t, opts)).unwrap()
}

/// The text lines of one page (1-based) in a description (its links and images left out).
fn page(desc: &str, n: usize) -> Vec<String> {
    let start = format!("--- page {n} ---");
    desc.lines()
        .skip_while(|l| *l != start)
        .skip(1)
        .take_while(|l| !l.starts_with("--- page ") && !l.starts_with("figures"))
        .filter(|l| !l.starts_with("link: ") && !l.starts_with("image: "))
        .map(str::to_string)
        .collect()
}

#[test]
fn metadata_is_consistent_in_info_and_xmp() {
    let d = described(&rich(), &PdfOptions::default());
    for line in [
        "  Title: Oral History of a Print Shop: Interviews from the Leipzig Archive: Letters, presses and the people who ran them",
        "  Author: Maria Ortiz, Jakob Weiss, Ольга Смирнова",
        "  Subject: A compositor remembers the shop, the war years and the presses.",
        "  Keywords: printing, oral history, Leipzig",
        "  CreationDate: D:19980512000000Z",
        "  pdfaid:part: 2",
        "  pdfaid:conformance: U",
        "  pdfuaid:part: 1",
        "  dc:title: Oral History of a Print Shop: Interviews from the Leipzig Archive: Letters, presses and the people who ran them",
        "  dc:creator: Maria Ortiz; Jakob Weiss; Ольга Смирнова",
        "  dc:rights: CC BY 4.0",
        "  xmpRights:WebStatement: https://creativecommons.org/licenses/by/4.0/",
        "  dc:identifier: urn:example:ohp:0001",
        "  dc:publisher: Example Press Archive",
        "  dc:source: https://example.org/oral-history/print-shop/interview-0001-with-a-rather-long-path",
        "  dc:description: A compositor remembers the shop, the war years and the presses.",
        "  dc:language: en",
        "  xmp:CreateDate: 1998-05-12T00:00:00+00:00",
        "  Lang: en",
        "  tagged: yes",
        "  output intent: GTS_PDFA1 (ICC profile, 3 components)",
        "encrypted: no",
        "file id: yes",
    ] {
        assert!(d.lines().any(|l| l == line), "missing {line:?} in\n{d}");
    }
    // No generator given, so no creator tool is named.
    assert!(
        !d.contains("Creator:") && !d.contains("xmp:CreatorTool"),
        "{d}"
    );
}

#[test]
fn generator_is_the_creator_tool() {
    let cx = WriteContext::new(Some("verbatim 9.9.9".into()), DatePolicy::default());
    let d =
        verbatim_inspect::describe_pdf(&pdf_in(&small(1), &PdfOptions::default(), &cx)).unwrap();
    assert!(d.contains("  Creator: verbatim 9.9.9\n"), "{d}");
    assert!(d.contains("  xmp:CreatorTool: verbatim 9.9.9\n"), "{d}");
}

#[test]
fn dates_come_from_the_epoch_then_the_transcript_then_1970() {
    let opts = PdfOptions::default();
    let cx = WriteContext::new(None, DatePolicy::new(Some(1_700_000_000)));
    let described_in = |t: &Transcript, cx: &WriteContext| {
        verbatim_inspect::describe_pdf(&pdf_in(t, &opts, cx)).unwrap()
    };
    // The epoch, when set, is when the file was made, whatever the interview's date.
    let d = described_in(&small(1), &cx);
    assert!(d.contains("  CreationDate: D:20231114221320"), "{d}");
    assert!(described_in(&rich(), &cx).contains("  CreationDate: D:20231114221320"));
    // Without it, the interview's date.
    let d = described(&rich(), &opts);
    assert!(d.contains("  CreationDate: D:19980512000000"), "{d}");
    let d = described(&small(1), &opts);
    assert!(d.contains("  CreationDate: D:19700101000000"), "{d}");
    // An epoch no PDF date can hold fails, before anything is written.
    let far = WriteContext::new(None, DatePolicy::new(Some(i64::MAX)));
    let mut out = Vec::new();
    assert!(verbatim_pdf::write(&small(1), &opts, &far, &mut out).is_err());
    assert!(out.is_empty());
}

#[test]
fn paper_sizes() {
    assert!(described(&small(1), &PdfOptions::default()).contains("page size: 595.28 × 841.89 pt"));
    let mut opts = PdfOptions::default();
    opts.paper = Paper::Letter;
    assert!(described(&small(1), &opts).contains("page size: 612.00 × 792.00 pt"));
}

#[test]
fn outline_has_one_entry_per_section() {
    let d = described(&rich(), &PdfOptions::default());
    let outline: Vec<&str> = d
        .lines()
        .skip_while(|l| *l != "outline:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect();
    assert_eq!(outline.len(), 3, "{outline:?}");
    assert!(outline[0].starts_with("  Beginnings (page "));
    assert!(outline[1].starts_with("    The war years (page "));
    assert!(outline[2].starts_with("  Later (page "));
}

#[test]
fn every_font_is_embedded_with_tounicode() {
    let d = described(&rich(), &PdfOptions::default());
    let fonts: Vec<&str> = d
        .lines()
        .skip_while(|l| *l != "fonts:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect();
    assert!(
        fonts
            .iter()
            .any(|f| f.starts_with("  NotoSerifHebrew-Regular:")),
        "{fonts:?}"
    );
    for f in fonts {
        assert!(
            f.ends_with("embedded yes, subset yes, ToUnicode yes"),
            "{f}"
        );
    }
}

#[test]
fn title_page_then_numbered_pages_with_running_head() {
    let d = described(&rich(), &PdfOptions::default());
    let title = page(&d, 1);
    assert_eq!(
        title[..3],
        [
            "Oral History of a Print",
            "Shop: Interviews from",
            "the Leipzig Archive"
        ]
    );
    for expected in [
        "Jakob Weiss",
        "Interviewee",
        "Maria Ortiz",
        "Interviewer",
        "Ольга Смирнова",
        "Leipzig, 12 May 1998",
        "Example Press Archive",
        "CC BY 4.0",
        "urn:example:ohp:0001",
    ] {
        assert!(
            title.iter().any(|l| l == expected),
            "{expected:?} not on the title page: {title:?}"
        );
    }
    assert!(
        !title.iter().any(|l| l.starts_with("furniture:")),
        "{title:?}"
    );
    assert_eq!(
        page(&d, 2).last().unwrap(),
        "furniture: Oral History of a Print Shop | 2"
    );
    // Greek in a German interview carries its script as its language.
    assert!(
        page(&d, 2)
            .iter()
            .any(|l| l == "lang und-Grek: Ελληνικά: «Καλημέρα», φίλε μου"),
        "{:?}",
        page(&d, 2)
    );
    assert_eq!(
        page(&d, 3).last().unwrap(),
        "furniture: Oral History of a Print Shop | 3"
    );
    // The introduction starts on its own page.
    assert!(page(&d, 2)[0].starts_with("This is the first of the Leipzig interviews"));
}

#[test]
fn turns_notes_markers_and_timestamps_read_in_order() {
    let d = described(&rich(), &PdfOptions::default());
    let text: String = d
        .lines()
        .skip_while(|l| !l.starts_with("text ("))
        .collect::<Vec<_>>()
        .join(" ");
    for phrase in [
        "00:00:05 Maria Ortiz: When did you first see a press?",
        "00:00:12 Jakob Weiss: I was nine. [laughs] My uncle",
        "[The shop stood on Karl-Heine-Straße until 1943.—INT]",
        "door: שלום עולם, and next",
        "Jakob Weiss (continued): The shop had four presses",
        "[Ольга Смирнова]: Он сказал: «типография была его домом».",
        // A URL that fits on a line is never broken.
        "the project site (https://example.org/ohp).",
        "Transcribed by the archive staff; edited for clarity.",
    ] {
        assert!(text.contains(phrase), "missing {phrase:?} in {text}");
    }
    // The links can be clicked: one annotation for each line their words are on.
    let links = d
        .lines()
        .filter(|l| *l == "link: https://example.org/ohp")
        .count();
    assert!((1..=2).contains(&links), "{d}");
    let long = "https://example.org/oral-history/print-shop/interview-0001-with-a-rather-long-path";
    assert!(page(&d, 1).iter().any(|l| l == long), "{d}");
    assert_eq!(
        d.lines().filter(|l| *l == format!("link: {long}")).count(),
        1,
        "{d}"
    );
    let mut opts = PdfOptions::default();
    opts.timestamps = false;
    let d = described(&rich(), &opts);
    assert!(!d.contains("00:00:05"));
    assert!(d.contains("Maria Ortiz: When did you first see a press?"));
}

#[test]
fn headings_never_end_a_page() {
    // Sections of growing length put headings at every position on a page.
    let blocks: Vec<Block> = (1..40)
        .map(|i| {
            common::section(
                &format!("Heading number {i}"),
                vec![turn(
                    "A",
                    None,
                    vec![vec![text(&"Words and more words. ".repeat(i % 9 + 1))]],
                )],
            )
        })
        .collect();
    let t = Transcript::new(
        Metadata {
            title: Some("Headings".into()),
            ..Metadata::default()
        },
        vec![Participant::new("A", "Ann", Role::Interviewer)],
        blocks,
    )
    .unwrap();
    let d = described(&t, &PdfOptions::default());
    let pages: usize = d
        .lines()
        .find_map(|l| l.strip_prefix("pages: "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(pages > 3);
    for n in 2..=pages {
        let lines: Vec<String> = page(&d, n)
            .into_iter()
            .filter(|l| !l.starts_with("furniture:"))
            .collect();
        let last = lines.last().unwrap();
        assert!(
            !last.starts_with("Heading number"),
            "page {n} ends with {last:?}"
        );
    }
    // Each outline entry points at the page its heading is on.
    let entries: Vec<&str> = d
        .lines()
        .filter(|l| l.starts_with("  Heading number"))
        .collect();
    assert_eq!(entries.len(), 39);
    for e in entries {
        let (title, rest) = e.trim().split_once(" (page ").unwrap();
        let n: usize = rest.trim_end_matches(')').parse().unwrap();
        assert!(
            page(&d, n).iter().any(|l| l == title),
            "{title} is not on page {n}"
        );
    }
}

#[test]
fn multilingual_text_has_every_glyph() {
    let t = rich();
    assert_eq!(uncovered_chars(&t, Typeface::Serif), Vec::<char>::new());
    // PDF/A-2u export fails on .notdef glyphs, so writing at all proves it;
    // the text must also come back.
    let d = described(&t, &PdfOptions::default());
    for w in ["типография", "Καλημέρα", "שלום", "Смирнова"] {
        assert!(d.contains(w), "{w}");
    }
}

#[test]
fn arabic_and_uncovered_characters_still_write() {
    let t = Transcript::new(
        Metadata {
            title: Some("Mixed".into()),
            language: "en".parse().ok(),
            ..Metadata::default()
        },
        vec![Participant::new("A", "Ann", Role::Interviewer)],
        vec![turn(
            "A",
            None,
            vec![vec![text("Arabic مرحبا بالعالم and Chinese 漢字 here.")]],
        )],
    )
    .unwrap();
    assert_eq!(uncovered_chars(&t, Typeface::Serif), vec!['字', '漢']);
    let mut out = Vec::new();
    let warnings = verbatim_pdf::write(
        &t,
        &PdfOptions::default(),
        &WriteContext::default(),
        &mut out,
    )
    .unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].code, verbatim_model::Code::GlyphMissing);
    assert!(
        warnings[0].message.contains("字 (U+5B57), 漢 (U+6F22)"),
        "{}",
        warnings[0].message
    );
    let d = verbatim_inspect::describe_pdf(&out).unwrap();
    assert!(
        d.contains("Ann: Arabic مرحبا بالعالم and Chinese 漢字 here."),
        "{d}"
    );
    assert!(d.contains("  DejaVuSans:"), "{d}");
}

#[test]
fn right_to_left_document() {
    let t = Transcript::new(
        Metadata {
            title: Some("ראיון".into()),
            language: "he".parse().ok(),
            ..Metadata::default()
        },
        vec![Participant::new("A", "דנה", Role::Interviewer)],
        vec![turn("A", None, vec![vec![text("שלום, מה שלומך היום?")]])],
    )
    .unwrap();
    let d = described(&t, &PdfOptions::default());
    assert!(d.contains("\nדנה: שלום, מה שלומך היום?\n"), "{d}");
    assert!(d.contains("  Lang: he"), "{d}");
}

#[test]
fn heading_of_an_empty_link_is_titled_by_its_target() {
    // Found by the property tests: PDF/UA refused a heading whose plain text is
    // empty although the link's target is printed.
    let t = Transcript::new(
        Metadata {
            language: "en".parse().ok(),
            ..Metadata::default()
        },
        vec![],
        vec![Block::Section(verbatim_model::Section {
            heading: vec![verbatim_model::Inline::Link {
                target: "https://example.org/a".into(),
                content: vec![],
            }],
            blocks: vec![para(vec![text("Prose.")])],
        })],
    )
    .unwrap();
    let d = described(&t, &PdfOptions::default());
    assert!(d.contains("pdfuaid:part: 1"), "{d}");
    assert!(
        d.lines()
            .any(|l| l.starts_with("  (https://example.org/a) (page ")),
        "{d}"
    );
}

#[test]
fn empty_and_minimal_transcripts_write() {
    let t = Transcript::new(Metadata::default(), vec![], vec![]).unwrap();
    let d = described(&t, &PdfOptions::default());
    assert!(d.contains("pages: 1"), "{d}");
    assert!(d.contains("  Title: Untitled transcript"), "{d}");
    // PDF/UA needs a language; without one only PDF/A-2u is claimed.
    assert!(
        d.contains("  pdfaid:conformance: U") && !d.contains("pdfuaid"),
        "{d}"
    );
    // Narrative only, no turns, blank paragraphs.
    let t = Transcript::new(
        Metadata::default(),
        vec![],
        vec![
            para(vec![text("  ")]),
            para(vec![text("Just prose.\nWith a line break\tand a tab.")]),
        ],
    )
    .unwrap();
    let d = described(&t, &PdfOptions::default());
    assert!(
        d.contains("Just prose. With a line break and a tab."),
        "{d}"
    );
}

#[test]
fn refuses_nesting_no_valid_model_has() {
    let mut inline = text("deep");
    for _ in 0..500 {
        inline = verbatim_model::Inline::Emphasis {
            content: vec![inline],
        };
    }
    // Built without Transcript::new, so unvalidated.
    let t = Transcript {
        metadata: Metadata::default(),
        participants: vec![],
        body: vec![para(vec![inline])],
    };
    let mut out = Vec::new();
    assert!(matches!(
        verbatim_pdf::write(
            &t,
            &PdfOptions::default(),
            &WriteContext::default(),
            &mut out
        ),
        Err(verbatim_pdf::PdfError::TooDeep)
    ));
}

#[test]
fn parts_of_a_book_open_on_title_pages_of_their_own() {
    use common::section;
    let part = |title: &str, who: &str| {
        section(
            title,
            vec![
                para(vec![text(&format!("Interviewee: {who}"))]),
                para(vec![text("11 June 2019")]),
                turn("A", None, vec![vec![text(&format!("{who} speaks."))]]),
                section("Later", vec![turn("A", None, vec![vec![text("More.")]])]),
            ],
        )
    };
    let t = Transcript::new(
        Metadata {
            title: Some("The book".into()),
            language: "en".parse().ok(),
            ..Metadata::default()
        },
        vec![Participant::new("A", "Ann", Role::Interviewee)],
        vec![part("One", "Ann"), part("Two", "Bea")],
    )
    .unwrap();
    let mut opts = PdfOptions::default();
    opts.parts = true;
    opts.toc = true;
    let d = described(&t, &opts);
    // Title page, contents, then each part: its title page, then the interview.
    assert_eq!(
        page(&d, 3)[..3],
        ["One", "Interviewee: Ann", "11 June 2019"]
    );
    assert!(!page(&d, 3).iter().any(|l| l.contains("speaks")), "{d}");
    assert!(page(&d, 4)[0].contains("Ann speaks."), "{d}");
    assert_eq!(page(&d, 5)[0], "Two");
    assert!(page(&d, 6)[0].contains("Bea speaks."), "{d}");
    let contents = page(&d, 2);
    assert_eq!(contents[0], "Contents");
    assert_eq!(contents[1], "One 3");
    assert_eq!(contents[2], "Later 4");
    assert_eq!(contents[3], "Two 5");
    // Without parts the same sections run on.
    let run_on = described(&t, &PdfOptions::default());
    assert!(run_on.contains("pages: 2"), "{run_on}");
}

#[test]
fn labels_are_in_the_language_or_english_marked_as_such_with_a_warning() {
    let mut t = rich();
    t.metadata.language = Some("fr".parse().unwrap());
    let mut opts = PdfOptions::default();
    opts.toc = true;
    let d = described(&t, &opts);
    let title = page(&d, 1);
    for label in [
        "Personne interviewée",
        "Intervieweur",
        "Leipzig, 12 mai 1998",
    ] {
        assert!(title.iter().any(|l| l == label), "{label}: {title:?}");
    }
    assert_eq!(page(&d, 2)[0], "Table des matières");
    assert!(!d.contains("lang en:"), "{d}");

    t.metadata.language = Some("ja".parse().unwrap());
    let mut out = Vec::new();
    let warnings = verbatim_pdf::write(&t, &opts, &WriteContext::default(), &mut out).unwrap();
    assert_eq!(warnings[0].code, verbatim_model::Code::LabelsEnglish);
    let d = verbatim_inspect::describe_pdf(&out).unwrap();
    assert!(page(&d, 1).iter().any(|l| l == "Interviewee"));
    assert!(d.contains("lang en: Interviewee"), "{d}");
    assert!(d.contains("lang en: Contents"), "{d}");
}

#[test]
fn the_cover_is_described_in_the_transcript_language() {
    let mut t = rich();
    t.metadata.language = "fr".parse().ok();
    t.metadata.subtitle = None;
    t.metadata.title = Some("Mémoires d’une imprimerie".into());
    let png = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/gilead-interview/cover.png"
    ))
    .unwrap();
    let mut opts = PdfOptions::default();
    opts.cover = Some(verbatim_pdf::Cover {
        data: png,
        kind: verbatim_pdf::ImageKind::Png,
        alt: None,
    });
    let d = described(&t, &opts);
    assert!(d.contains("Couverture de Mémoires d’une imprimerie"), "{d}");
}
