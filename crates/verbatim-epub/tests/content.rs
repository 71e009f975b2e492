//! What EPUBCheck does not check: accessibility metadata, languages, navigation coverage,
//! participant roles, identifiers, dates, reproducibility, and the markup of turns.

mod common;

use common::{entries, entry, write_in};
use verbatim_epub::{EpubError, EpubOptions, FALLBACK_MODIFIED};
use verbatim_inspect::describe_epub as describe;
use verbatim_model::{Block, DatePolicy, Transcript, WriteContext, plain_text};

fn epub(t: &Transcript) -> Vec<u8> {
    write_in(t, &WriteContext::default())
}

fn with_epoch(secs: i64) -> WriteContext {
    WriteContext::new(None, DatePolicy::new(Some(secs)))
}

fn with_generator(g: &str) -> WriteContext {
    WriteContext::new(Some(g.into()), DatePolicy::default())
}

fn opf(epub: &[u8]) -> String {
    entry(epub, "OEBPS/content.opf")
}

fn xhtml_entries(epub: &[u8]) -> Vec<(String, String)> {
    entries(epub)
        .into_iter()
        .filter(|(n, _)| n.ends_with(".xhtml"))
        .map(|(n, b)| (n, String::from_utf8(b).unwrap()))
        .collect()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Every section heading in the model, depth first, as the writer titles it.
fn section_titles(blocks: &[Block], out: &mut Vec<String>) {
    for b in blocks {
        if let Block::Section(s) = b {
            let text = plain_text(&s.heading)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            out.push(if text.is_empty() {
                "Untitled section".into()
            } else {
                text
            });
            section_titles(&s.blocks, out);
        }
    }
}

#[test]
fn every_package_has_accessibility_metadata() {
    for (name, t) in common::all() {
        let opf = opf(&epub(&t));
        for meta in [
            "<meta property=\"schema:accessMode\">textual</meta>",
            "<meta property=\"schema:accessModeSufficient\">textual</meta>",
            "<meta property=\"schema:accessibilityFeature\">structuralNavigation</meta>",
            "<meta property=\"schema:accessibilityFeature\">tableOfContents</meta>",
            "<meta property=\"schema:accessibilityFeature\">readingOrder</meta>",
            "<meta property=\"schema:accessibilityFeature\">displayTransformability</meta>",
            "<meta property=\"schema:accessibilityHazard\">none</meta>",
            "<meta property=\"schema:accessibilitySummary\">A transcript",
        ] {
            assert!(opf.contains(meta), "{name}: no {meta}");
        }
    }
}

#[test]
fn every_content_document_and_the_package_carry_the_language() {
    for (name, t, lang) in [
        ("interview", common::interview(), "en"),
        ("timestamped", common::timestamped(), "en-GB"),
        ("hebrew", common::hebrew(), "he"),
        ("narrative", common::narrative(), "fr"),
        ("bare", common::bare(), "und"),
        ("empty", common::empty(), "und"),
    ] {
        let epub = epub(&t);
        let docs = xhtml_entries(&epub);
        assert!(
            docs.iter().any(|(n, _)| n == "OEBPS/nav.xhtml"),
            "{name}: no nav"
        );
        for (doc, text) in &docs {
            let html = text.lines().find(|l| l.starts_with("<html")).unwrap();
            assert!(
                html.contains(&format!(" lang=\"{lang}\"")),
                "{name} {doc}: {html}"
            );
            assert!(
                html.contains(&format!(" xml:lang=\"{lang}\"")),
                "{name} {doc}: {html}"
            );
        }
        let opf = opf(&epub);
        let package = opf.lines().find(|l| l.starts_with("<package")).unwrap();
        assert!(
            package.contains(&format!(" xml:lang=\"{lang}\"")),
            "{name}: {package}"
        );
        assert!(opf.contains(&format!(">{lang}</dc:language>")), "{name}");
    }
}

#[test]
fn right_to_left_languages_set_the_direction() {
    let epub = epub(&common::hebrew());
    assert!(opf(&epub).contains("page-progression-direction=\"rtl\""));
    for (doc, text) in xhtml_entries(&epub) {
        assert!(text.contains("xml:lang=\"he\" dir=\"rtl\">"), "{doc}");
    }
    let ltr = self::epub(&common::interview());
    assert!(
        xhtml_entries(&ltr)
            .iter()
            .all(|(_, text)| !text.contains("dir="))
    );
}

#[test]
fn paragraphs_and_runs_in_another_direction_or_script_are_marked() {
    use verbatim_model::{Metadata, Participant, Role};
    let t = Transcript::new(
        Metadata {
            title: Some("The market".into()),
            language: Some("en".parse().unwrap()),
            ..Metadata::default()
        },
        vec![
            Participant::new("I", "Ian", Role::Interviewer),
            Participant::new("Y", "יעל לוי", Role::Interviewee),
        ],
        vec![
            common::turn("I", &["Where did you meet?"]),
            common::turn("Y", &["פגשנו בשוק.", "Then καλημέρα, every day."]),
        ],
    )
    .unwrap();
    let s1 = entry(&epub(&t), "OEBPS/section-01.xhtml");
    // The words set the direction, not the name: the second paragraph runs left to right.
    assert!(
        s1.contains(
            "<p class=\"turn\" id=\"u2\" dir=\"rtl\"><b class=\"speaker\"><span lang=\"und-Hebr\" xml:lang=\"und-Hebr\" dir=\"rtl\">יעל לוי</span>:</b> <span lang=\"und-Hebr\" xml:lang=\"und-Hebr\" dir=\"rtl\">פגשנו בשוק</span>.</p>"
        ),
        "{s1}"
    );
    assert!(
        s1.contains(
            "<p class=\"turn cont\">Then <span lang=\"und-Grek\" xml:lang=\"und-Grek\">καλημέρα</span>, every day.</p>"
        ),
        "{s1}"
    );
    assert!(s1.contains("<p class=\"turn\" id=\"u1\"><b class=\"speaker\">Ian:</b>"));
}

#[test]
fn the_nav_lists_every_document_and_every_section() {
    for (name, t) in common::all() {
        let epub = epub(&t);
        let nav = entry(&epub, "OEBPS/nav.xhtml");
        let toc = &nav
            [nav.find("epub:type=\"toc\"").unwrap()..nav.find("epub:type=\"landmarks\"").unwrap()];
        let mut titles = Vec::new();
        section_titles(&t.body, &mut titles);
        let contents = entry(&epub, "OEBPS/contents.xhtml");
        for title in &titles {
            let link = format!(">{}</a>", escape(title));
            assert!(
                contents.contains(&link),
                "{name}: {title} not on the contents page"
            );
            assert!(toc.contains(&link), "{name}: {title} not in\n{toc}");
        }
        let links = toc.matches("<a href=").count();
        let docs = xhtml_entries(&epub).len() - 1;
        // One entry per document, plus one per nested section (a lone top-level section is its
        // document's entry).
        assert!(
            links >= docs && links >= titles.len(),
            "{name}: {links} links\n{toc}"
        );
        for (doc, _) in xhtml_entries(&epub) {
            let file = doc.trim_start_matches("OEBPS/");
            if file != "nav.xhtml" {
                assert!(
                    toc.contains(&format!("<a href=\"{file}\">")),
                    "{name}: {file} not in toc"
                );
            }
        }
    }
}

#[test]
fn landmarks_point_to_the_title_page_contents_and_body() {
    let nav = entry(&epub(&common::interview()), "OEBPS/nav.xhtml");
    let landmarks = &nav[nav.find("epub:type=\"landmarks\"").unwrap()..];
    assert!(landmarks.contains("<a epub:type=\"titlepage\" href=\"title-page.xhtml\">"));
    assert!(landmarks.contains("<a epub:type=\"toc\" href=\"contents.xhtml\">"));
    assert!(landmarks.contains("<a epub:type=\"bodymatter\" href=\"section-01.xhtml\">"));
}

#[test]
fn documents_have_meaningful_names_and_titles() {
    let epub = epub(&common::interview());
    let names: Vec<String> = entries(&epub).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "mimetype",
            "META-INF/container.xml",
            "OEBPS/content.opf",
            "OEBPS/nav.xhtml",
            "OEBPS/toc.ncx",
            "OEBPS/stylesheet.css",
            "OEBPS/title-page.xhtml",
            "OEBPS/contents.xhtml",
            "OEBPS/introduction.xhtml",
            "OEBPS/section-01.xhtml",
            "OEBPS/section-02.xhtml",
            "OEBPS/back-matter.xhtml",
        ]
    );
    let title = |file: &str| {
        let doc = entry(&epub, file);
        doc[doc.find("<title>").unwrap() + 7..doc.find("</title>").unwrap()].to_string()
    };
    assert_eq!(
        title("OEBPS/section-01.xhtml"),
        "Israel’s relationship with Russia"
    );
    assert_eq!(title("OEBPS/introduction.xhtml"), "Introduction");
    assert_eq!(title("OEBPS/back-matter.xhtml"), "About the Author");
    assert_eq!(
        title("OEBPS/title-page.xhtml"),
        "Israel and Russia: An Interview"
    );
    let section = entry(&epub, "OEBPS/section-01.xhtml");
    assert!(section.contains("<h2>Israel’s relationship with Russia</h2>"));
}

#[test]
fn participants_are_creators_and_contributors_with_marc_roles() {
    let opf = opf(&epub(&common::interview()));
    assert!(opf.contains(
        "<dc:contributor id=\"participant-1\">Izabella Tabarovsky</dc:contributor>\n    \
         <meta refines=\"#participant-1\" property=\"role\" scheme=\"marc:relators\">ivr</meta>"
    ));
    // A creator is an author for reading apps, and the interviewee.
    assert!(opf.contains(
        "<dc:creator id=\"participant-2\">Amos Gilead</dc:creator>\n    \
         <meta refines=\"#participant-2\" property=\"role\" scheme=\"marc:relators\">aut</meta>\n    \
         <meta refines=\"#participant-2\" property=\"role\" scheme=\"marc:relators\">ive</meta>"
    ));
    // Contributors are not authors.
    assert_eq!(opf.matches(">aut<").count(), 1);

    let opf = self::opf(&epub(&common::timestamped()));
    assert_eq!(opf.matches("scheme=\"marc:relators\">ivr<").count(), 2);
    assert!(opf.contains("<dc:creator id=\"participant-3\">Nora Narrator</dc:creator>"));
    // Role Other has no relator code.
    assert!(
        opf.contains(
            "<dc:contributor id=\"participant-4\">Xavier Interpreter</dc:contributor>\n  "
        )
    );
    assert!(!opf.contains("refines=\"#participant-4\""));
}

#[test]
fn interviewers_are_creators_when_there_is_no_interviewee() {
    let mut t = common::interview();
    t.participants[1].role = verbatim_model::Role::Other;
    let opf = opf(&epub(&t));
    assert!(opf.contains("<dc:creator id=\"participant-1\">Izabella Tabarovsky</dc:creator>"));
    assert!(opf.contains("<dc:contributor id=\"participant-2\">Amos Gilead</dc:contributor>"));
}

#[test]
fn package_carries_the_dublin_core_metadata() {
    let opf = opf(&epub(&common::interview()));
    for element in [
        "<dc:title>Israel and Russia: An Interview</dc:title>",
        "<dc:title id=\"subtitle\">Deconfliction &amp; its limits</dc:title>",
        "<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>",
        "<dc:date>2020-01-28</dc:date>",
        "<dc:publisher>Kennan Institute, Wilson Center</dc:publisher>",
        "<dc:rights>CC BY 4.0</dc:rights>",
        "<dc:source>https://www.wilsoncenter.org/blog-post/israel-and-russia</dc:source>",
        "<dc:subject>Israel</dc:subject>",
        "<dc:subject>Russia</dc:subject>",
        "<dc:subject>Russian-speaking Israelis</dc:subject>",
        "<dc:description>An interview on Israel’s relationship with Russia &lt;and&gt; more.</dc:description>",
        "<dc:coverage>Washington, DC</dc:coverage>",
    ] {
        assert!(opf.contains(element), "no {element} in\n{opf}");
    }
}

#[test]
fn identifier_is_the_transcripts_own_else_a_content_uuid() {
    let opf = opf(&epub(&common::timestamped()));
    assert!(opf.contains("unique-identifier=\"pub-id\"",));
    assert!(opf.contains(
        "<dc:identifier id=\"pub-id\">urn:example:oral-history:harbour&amp;docks/12</dc:identifier>"
    ));
    assert_eq!(opf.matches("<dc:identifier").count(), 1);

    let uuid_of = |t: &Transcript| {
        let opf = self::opf(&epub(t));
        let start = opf.find("urn:uuid:").unwrap();
        opf[start..start + 45].to_string()
    };
    let t = common::interview();
    let id = uuid_of(&t);
    // Version 5: the 13th hex digit of the UUID.
    assert_eq!(&id[9 + 14..9 + 15], "5", "{id}");
    assert_eq!(uuid_of(&t), id);
    let mut changed = t.clone();
    changed.metadata.title = Some("Another title".into());
    assert_ne!(uuid_of(&changed), id);
}

fn modified(epub: &[u8]) -> String {
    let opf = opf(epub);
    assert_eq!(opf.matches("property=\"dcterms:modified\"").count(), 1);
    let start = opf.find("<meta property=\"dcterms:modified\">").unwrap() + 34;
    opf[start..start + 20].to_string()
}

#[test]
fn modified_date_comes_from_the_epoch_the_transcript_or_the_fallback() {
    let t = common::interview();
    assert_eq!(modified(&epub(&t)), "2020-01-28T00:00:00Z");
    assert_eq!(
        modified(&write_in(&t, &with_epoch(1_600_000_000))),
        "2020-09-13T12:26:40Z"
    );
    assert_eq!(modified(&epub(&common::empty())), FALLBACK_MODIFIED);
    assert_eq!(
        modified(&epub(&common::timestamped())),
        "1998-06-01T00:00:00Z"
    );

    let mut out = Vec::new();
    assert!(matches!(
        verbatim_epub::write(&t, &EpubOptions::default(), &with_epoch(i64::MIN), &mut out),
        Err(EpubError::SourceDateEpoch(_))
    ));
    assert!(out.is_empty());
}

#[test]
fn two_writes_give_identical_bytes() {
    for (name, t) in common::all() {
        for cx in [WriteContext::default(), with_epoch(1_700_000_000)] {
            let a = write_in(&t, &cx);
            let b = write_in(&t.clone(), &cx);
            assert!(a == b, "{name}: two writes differ");
        }
    }
}

#[test]
fn zip_entries_are_fixed_and_mimetype_comes_first_stored() {
    let epub = epub(&common::interview());
    assert_eq!(
        &epub[30..38],
        b"mimetype",
        "mimetype must be the first entry"
    );
    assert_eq!(
        &epub[38..58],
        b"application/epub+zip",
        "mimetype must be stored, no extra field"
    );
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&epub)).unwrap();
    for i in 0..archive.len() {
        let f = archive.by_index(i).unwrap();
        assert_eq!(
            f.last_modified(),
            Some(zip::DateTime::default()),
            "{}",
            f.name()
        );
        assert_eq!(f.unix_mode(), Some(0o100644), "{}", f.name());
        let method = if i == 0 {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        assert_eq!(f.compression(), method, "{}", f.name());
        assert!(!f.name().contains("com.apple.ibooks"));
    }
}

#[test]
fn turns_are_paragraphs_with_a_speaker_label() {
    let epub = epub(&common::interview());
    let s1 = entry(&epub, "OEBPS/section-01.xhtml");
    assert!(s1.contains(
        "<p class=\"turn\" id=\"u2\"><b class=\"speaker\">Amos Gilead:</b> Israel has one real ally—the United States of America.</p>\n\
         <p class=\"turn cont\">Now to Russia: …</p>"
    ));
    let s2 = entry(&epub, "OEBPS/section-02.xhtml");
    assert!(s2.contains(
        "<p class=\"turn continued\" id=\"u3\"><b class=\"speaker\">Amos Gilead <i class=\"continued\">(continued)</i>:</b> What we have"
    ));
    assert!(s2.contains(
        "UAV <span class=\"ed-note\">[unmanned aerial vehicle—<abbr title=\"Izabella Tabarovsky\">IT</abbr>]</span> technology. \
         <span class=\"marker vocal\">[laughs]</span></p>"
    ));
    assert!(s2.contains(
        "See <a href=\"https://www.wilsoncenter.org/\"><em>the Center</em></a> and <strong>nothing else</strong>."
    ));
}

#[test]
fn timestamps_markers_and_inferred_speakers_are_marked_up() {
    let epub = epub(&common::timestamped());
    let s2 = entry(&epub, "OEBPS/section-02.xhtml");
    assert!(s2.contains(
        "<p class=\"turn\" id=\"u4\"><time datetime=\"PT1M10.500S\">00:01:10</time> \
         <b class=\"speaker\">Nora Narrator:</b> By the harbour.</p>"
    ));
    assert!(s2.contains("<b class=\"speaker inferred\">[Xavier Interpreter]:</b>"));
    for marker in [
        "<span class=\"marker gap\">[inaudible]</span>",
        "<span class=\"marker pause\">[long pause]</span>",
        "<span class=\"marker incident\">[crosstalk]</span>",
        "<span class=\"ed-note\">[unclear which boats]</span>",
    ] {
        assert!(s2.contains(marker), "{marker}");
    }
    assert!(s2.contains("<section id=\"sec-2-1\">\n<h3>The war years</h3>"));
    let deep = entry(&epub, "OEBPS/section-03.xhtml");
    assert!(deep.contains("<h6>Level 7</h6>"), "headings stop at h6");
    // Turns before the first section have a document of their own.
    let s1 = entry(&epub, "OEBPS/section-01.xhtml");
    assert!(s1.contains(
        "<h2>Interview</h2>\n<p class=\"turn\" id=\"u1\"><time datetime=\"PT0S\">00:00:00</time>"
    ));
}

#[test]
fn odd_input_still_gives_well_formed_text() {
    let epub = write_in(&common::bare(), &with_generator("gen\u{1}erator"));
    let s1 = entry(&epub, "OEBPS/section-01.xhtml");
    assert!(s1.contains("<title>Untitled section</title>"));
    assert!(s1.contains(
        "<b class=\"speaker\">A Speaker &lt;1&gt;:</b> Control characters &amp; &lt;markup&gt;.</p>"
    ));
    // Links that would point into the package or are not valid URLs are not links.
    assert!(s1.contains("<p class=\"turn cont\">a relative link</p>"));
    assert!(s1.contains("<p class=\"turn cont\">a bad URL</p>"));
    let s2 = entry(&epub, "OEBPS/section-02.xhtml");
    assert!(s2.contains("<h2>Untitled section</h2>"));
    assert!(s2.contains("<b class=\"speaker\">A Speaker &lt;1&gt;:</b></p>"));
    let opf = opf(&epub);
    assert!(opf.contains("<dc:title>Untitled transcript</dc:title>"));
    assert!(opf.contains("<dc:subject>key word</dc:subject>"));
    assert_eq!(
        opf.matches("<dc:subject>").count(),
        1,
        "blank keywords are dropped"
    );
    assert!(
        !opf.contains("<dc:publisher>"),
        "a blank publisher is dropped"
    );
    assert!(!opf.contains("<dc:date>"), "no date, no dc:date");
    assert!(opf.contains(">id 1</dc:identifier>"));
    let tp = entry(&epub, "OEBPS/title-page.xhtml");
    assert!(tp.contains("<dt>Source</dt>\n<dd>https://exa mple.org/</dd>"));
    for (name, bytes) in entries(&epub) {
        assert!(
            !bytes.iter().any(|&b| b < 0x20 && !b"\t\n\r".contains(&b)),
            "{name} has a control character"
        );
    }
}

#[test]
fn title_page_names_participants_by_role() {
    let epub = epub(&common::timestamped());
    let tp = entry(&epub, "OEBPS/title-page.xhtml");
    assert!(tp.contains(
        "<dt>Interviewee</dt>\n<dd>Nora Narrator</dd>\n\
         <dt>Interviewers</dt>\n<dd>Ann Questioner</dd>\n<dd>Bob Second</dd>\n\
         <dt>Participant</dt>\n<dd>Xavier Interpreter</dd>\n\
         <dt>Date</dt>\n<dd><time datetime=\"1998-06\">June 1998</time></dd>"
    ));
    let tp = entry(&self::epub(&common::interview()), "OEBPS/title-page.xhtml");
    assert!(tp.contains("<h1 class=\"title\">Israel and Russia: An Interview</h1>\n<p class=\"subtitle\">Deconfliction &amp; its limits</p>"));
    assert!(tp.contains("<dt>Publisher</dt>\n<dd>Kennan Institute, Wilson Center</dd>"));
    assert!(tp.contains(
        "<dt>Source</dt>\n<dd><a href=\"https://www.wilsoncenter.org/blog-post/israel-and-russia\">"
    ));
}

#[test]
fn generator_is_recorded_without_a_version_unless_given() {
    let t = common::empty();
    let nav = entry(&epub(&t), "OEBPS/nav.xhtml");
    assert!(nav.contains("<meta name=\"generator\" content=\"verbatim\"/>"));
    let nav = entry(
        &write_in(&t, &with_generator("verbatim 9.9.9")),
        "OEBPS/nav.xhtml",
    );
    assert!(nav.contains("<meta name=\"generator\" content=\"verbatim 9.9.9\"/>"));
}

#[test]
fn describe_lists_entries_then_their_text() {
    let epub = epub(&common::interview());
    let d = describe(&epub).unwrap();
    assert!(d.starts_with(
        "mimetype  stored\nMETA-INF/container.xml  deflated\nOEBPS/content.opf  deflated\n"
    ));
    assert!(d.contains(
        "\n==> mimetype <==\napplication/epub+zip\n\n==> META-INF/container.xml <==\n<?xml"
    ));
    for (name, _) in entries(&epub) {
        assert_eq!(
            d.matches(&format!("\n==> {name} <==\n")).count(),
            1,
            "{name}"
        );
    }
    assert!(d.contains(&opf(&epub)));
    assert!(d.contains(&entry(&epub, "OEBPS/section-02.xhtml")));
}

#[test]
fn the_ncx_names_the_book_and_nests_sections() {
    for (name, t) in common::all() {
        let epub = epub(&t);
        let ncx = entry(&epub, "OEBPS/toc.ncx");
        let opf = opf(&epub);
        let id_start = opf.find("<dc:identifier id=\"pub-id\">").unwrap() + 27;
        let id = &opf[id_start..id_start + opf[id_start..].find('<').unwrap()];
        assert!(
            ncx.contains(&format!("<meta name=\"dtb:uid\" content=\"{id}\"/>")),
            "{name}: dtb:uid is not the package identifier\n{ncx}"
        );
        let title = t.metadata.title.clone().unwrap_or_default();
        if !title.trim().is_empty() {
            assert!(
                ncx.contains(&format!("<docTitle>\n    <text>{}</text>", escape(&title))),
                "{name}: docTitle\n{ncx}"
            );
        }
        // Every navPoint closes, and playOrder runs 1, 2, 3… in document order.
        assert_eq!(
            ncx.matches("<navPoint ").count(),
            ncx.matches("</navPoint>").count()
        );
        for (i, _) in ncx.match_indices("<navPoint ").enumerate() {
            assert!(ncx.contains(&format!("playOrder=\"{}\"", i + 1)), "{name}");
        }
    }
    let nested = epub(&common::nested());
    let ncx = entry(&nested, "OEBPS/toc.ncx");
    assert!(
        ncx.contains("<meta name=\"dtb:depth\" content=\"2\"/>"),
        "{ncx}"
    );
    assert!(
        ncx.contains("<content src=\"section-01.xhtml\"/>\n      <navPoint "),
        "a nested section is a navPoint inside its document's\n{ncx}"
    );
}

#[test]
fn the_guide_has_one_reference_per_landmark() {
    let opf = opf(&epub(&common::interview()));
    let guide = &opf[opf.find("<guide>").unwrap()..opf.find("</guide>").unwrap()];
    assert_eq!(guide.matches("<reference ").count(), 3, "{guide}");
    for r in [
        "<reference type=\"title-page\" title=\"Title page\" href=\"title-page.xhtml\"/>",
        "<reference type=\"toc\" title=\"Contents\" href=\"contents.xhtml\"/>",
        "type=\"text\"",
    ] {
        assert!(guide.contains(r), "no {r} in\n{guide}");
    }
    // The navigation document is not in the spine, so the guide does not point to it.
    assert!(!guide.contains("nav.xhtml"));
}

#[test]
fn a_publishers_stylesheet_comes_after_the_built_in_one_everywhere() {
    let mut opts = EpubOptions::default();
    opts.css = Some("body { font-family: serif; }\n".into());
    let mut out = Vec::new();
    verbatim_epub::write(
        &common::interview(),
        &opts,
        &WriteContext::default(),
        &mut out,
    )
    .unwrap();
    assert_eq!(
        entry(&out, "OEBPS/user.css"),
        "body { font-family: serif; }\n"
    );
    assert!(
        opf(&out)
            .contains("<item id=\"user-stylesheet\" href=\"user.css\" media-type=\"text/css\"/>")
    );
    let pages = xhtml_entries(&out);
    assert!(pages.len() >= 3);
    for (name, x) in pages {
        let built_in = x
            .find("href=\"stylesheet.css\"")
            .unwrap_or_else(|| panic!("{name}"));
        let user = x
            .find("href=\"user.css\"")
            .unwrap_or_else(|| panic!("{name}: no user.css"));
        assert!(built_in < user, "{name}: user.css must come last");
    }
    // Without it, no trace of it.
    let plain = epub(&common::interview());
    assert!(!opf(&plain).contains("user.css"));
}

#[test]
fn interviewees_are_authors_for_reading_apps() {
    let o = opf(&epub(&common::interview()));
    let creator = o
        .lines()
        .find(|l| l.contains("<dc:creator id="))
        .expect("a creator");
    let id = creator.split('"').nth(1).unwrap();
    assert!(o.contains(&format!(
        "<meta refines=\"#{id}\" property=\"role\" scheme=\"marc:relators\">aut</meta>"
    )));
    assert!(o.contains(&format!(
        "<meta refines=\"#{id}\" property=\"role\" scheme=\"marc:relators\">ive</meta>"
    )));
    let nav = entry(&epub(&common::interview()), "OEBPS/nav.xhtml");
    assert!(nav.contains("<nav epub:type=\"toc\" role=\"doc-toc\""));
}

#[test]
fn labels_are_in_the_language_or_english_marked_as_such_with_a_warning() {
    // The content documents' text, and the writer's warnings.
    let written = |t: &Transcript| {
        let mut out = Vec::new();
        let warnings = verbatim_epub::write(
            t,
            &EpubOptions::default(),
            &WriteContext::default(),
            &mut out,
        )
        .unwrap();
        let all: String = xhtml_entries(&out).into_iter().map(|(_, x)| x).collect();
        (all, warnings)
    };
    let mut t = common::interview();
    t.metadata.date = Some("2019-02-14".parse().unwrap());
    t.metadata.language = Some("de".parse().unwrap());
    let (all, warnings) = written(&t);
    assert!(warnings.is_empty(), "{warnings:?}");
    for label in [
        "<dt>Datum</dt>",
        "14. Februar 2019",
        ">Inhalt</h",
        "title-page.xhtml\">Titelseite</a>",
    ] {
        assert!(all.contains(label), "{label} missing");
    }
    assert!(!all.contains("lang=\"en\""));

    t.metadata.language = Some("ja".parse().unwrap());
    let (all, warnings) = written(&t);
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].code, verbatim_model::Code::LabelsEnglish);
    assert!(all.contains("<dt lang=\"en\" xml:lang=\"en\">Date</dt>"));
    assert!(all.contains(">2019-02-14</time>"));
}

#[test]
fn fallback_words_and_the_cover_description_are_in_the_transcript_language() {
    let mut t = common::bare();
    t.metadata.language = "fr".parse().ok();
    let epub = write_in(&t, &WriteContext::default());
    let s1 = entry(&epub, "OEBPS/section-01.xhtml");
    assert!(s1.contains("<title>Section sans titre</title>"), "{s1}");
    assert!(opf(&epub).contains("<dc:title>Transcription sans titre</dc:title>"));

    t.metadata.title = Some("Mémoires d’une imprimerie".into());
    let png = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/gilead-interview/cover.png"
    ))
    .unwrap();
    let mut opts = EpubOptions::default();
    opts.cover = Some(verbatim_epub::Cover {
        data: png,
        media_type: "image/png",
    });
    let mut out = Vec::new();
    verbatim_epub::write(&t, &opts, &WriteContext::default(), &mut out).unwrap();
    let cover = xhtml_entries(&out)
        .into_iter()
        .find(|(_, x)| x.contains("doc-cover"))
        .expect("a cover page")
        .1;
    assert!(
        cover.contains("alt=\"Couverture de Mémoires d’une imprimerie\""),
        "{cover}"
    );
}
