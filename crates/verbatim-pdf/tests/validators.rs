//! External validators on PDFs of rich hand-built models: qpdf, pdffonts,
//! pdfinfo and pdftotext (poppler-utils). Skipped with a message when the
//! tools are missing, unless VERBATIM_REQUIRE_VALIDATORS=1.

mod common;

use std::collections::BTreeMap;

use common::printed;
use common::{missing, pdf, rich, run_tool, write_temp};
use verbatim_model::Block;
use verbatim_pdf::{Paper, PdfOptions};

fn rich_pdf(name: &str) -> common::TempPdf {
    write_temp(name, &pdf(&rich(), &PdfOptions::default()))
}

#[test]
fn qpdf_finds_no_errors() {
    let path = rich_pdf("qpdf.pdf");
    let Some(out) = run_tool("qpdf", &["--check", path.path()]) else {
        return missing("qpdf");
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "qpdf --check failed:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("No syntax or stream encoding errors found"),
        "{stdout}"
    );
}

#[test]
fn every_font_is_embedded_with_unicode_map() {
    for paper in [Paper::A4, Paper::Letter] {
        let mut opts = PdfOptions::default();
        opts.paper = paper;
        let path = write_temp(&format!("fonts-{paper:?}.pdf"), &pdf(&rich(), &opts));
        let Some(out) = run_tool("pdffonts", &[path.path()]) else {
            return missing("pdffonts");
        };
        assert!(out.status.success());
        let stdout = String::from_utf8_lossy(&out.stdout);
        let rows: Vec<&str> = stdout
            .lines()
            .skip(2)
            .filter(|l| !l.trim().is_empty())
            .collect();
        // Regular, bold, italic, Hebrew.
        assert!(rows.len() >= 4, "{stdout}");
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            // name type... encoding emb sub uni object ID: the flags are columns -5..-3.
            let n = cols.len();
            assert_eq!(
                &cols[n - 5..n - 2],
                ["yes", "yes", "yes"],
                "font not embedded+subset+unicode: {row}"
            );
        }
    }
}

#[test]
fn xmp_claims_pdfa_2u() {
    let path = rich_pdf("meta.pdf");
    let Some(out) = run_tool("pdfinfo", &["-meta", path.path()]) else {
        return missing("pdfinfo");
    };
    let xmp = String::from_utf8_lossy(&out.stdout);
    assert!(xmp.contains("<pdfaid:part>2</pdfaid:part>"), "{xmp}");
    assert!(
        xmp.contains("<pdfaid:conformance>U</pdfaid:conformance>"),
        "{xmp}"
    );
    assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "{xmp}");
    assert!(xmp.contains("Oral History of a Print Shop"), "{xmp}");
    // One entry per person (krilla alone joins them into one), and the
    // transcript's rights, identifier, publisher and source.
    for want in [
        "<dc:creator><rdf:Seq><rdf:li>Maria Ortiz</rdf:li><rdf:li>Jakob Weiss</rdf:li>\
         <rdf:li>Ольга Смирнова</rdf:li></rdf:Seq></dc:creator>",
        "<dc:rights><rdf:Alt><rdf:li xml:lang=\"x-default\">CC BY 4.0</rdf:li></rdf:Alt></dc:rights>",
        "<xmpRights:WebStatement>https://creativecommons.org/licenses/by/4.0/</xmpRights:WebStatement>",
        "<dc:identifier>urn:example:ohp:0001</dc:identifier>",
        "<dc:publisher><rdf:Bag><rdf:li>Example Press Archive</rdf:li></rdf:Bag></dc:publisher>",
    ] {
        assert!(xmp.contains(want), "{want} missing from\n{xmp}");
    }
    assert!(xmp.contains("<dc:source>https://"), "{xmp}");
    assert_eq!(xmp.matches("<dc:creator>").count(), 1, "{xmp}");
    let Some(info) = run_tool("pdfinfo", &[path.path()]) else {
        return missing("pdfinfo");
    };
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(info.contains("Encrypted:       no"), "{info}");
    assert!(
        info.contains("Author:          Maria Ortiz, Jakob Weiss, Ольга Смирнова"),
        "{info}"
    );
    assert!(
        info.contains("CreationDate:    Tue May 12 00:00:00 1998 UTC"),
        "{info}"
    );
}

fn words(s: &str) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for w in s.split_whitespace() {
        *m.entry(w.to_string()).or_default() += 1;
    }
    m
}

fn collect_text(blocks: &[Block], out: &mut String) {
    for b in blocks {
        match b {
            Block::Section(s) => {
                out.push_str(&printed(&s.heading));
                out.push('\n');
                collect_text(&s.blocks, out);
            }
            Block::Paragraph(p) => {
                out.push_str(&printed(&p.content));
                out.push('\n');
            }
            Block::Turn(t) => {
                for p in &t.paragraphs {
                    out.push_str(&printed(p));
                    out.push('\n');
                }
            }
        }
    }
}

#[test]
fn pdftotext_gives_back_the_words() {
    let t = rich();
    let path = write_temp("text.pdf", &pdf(&t, &PdfOptions::default()));
    let Some(out) = run_tool("pdftotext", &["-enc", "UTF-8", path.path(), "-"]) else {
        return missing("pdftotext");
    };
    assert!(out.status.success());
    let extracted = String::from_utf8(out.stdout).unwrap();
    // pdftotext wraps right-to-left text in embedding marks; they are not ours.
    let unmarked: String = extracted
        .chars()
        .filter(|c| !('\u{202A}'..='\u{202E}').contains(c))
        .collect();
    let flat = unmarked.split_whitespace().collect::<Vec<_>>().join(" ");
    // Curly quotes, apostrophes and em dashes come back exactly, and no
    // word is broken or dehyphenated.
    for phrase in [
        "archive’s “living memory” series—a project that began in 1996.",
        "He said “don’t touch anything”—and of course I touched everything.",
        "[The shop stood on Karl-Heine-Straße until 1943.—INT]",
        "[laughs]",
        "Jakob Weiss: I was nine.",
        "Maria Ortiz: When did you first see a press?",
        "Он сказал: «типография была его домом».",
        "Ελληνικά: «Καλημέρα», φίλε μου.",
        "the project site (https://example.org/ohp).",
        "A Hebrew greeting hung over the door: שלום עולם, and next to it a Russian poster: Наша типография.",
    ] {
        assert!(flat.contains(phrase), "missing {phrase:?} in:\n{extracted}");
    }
    let mut source = String::new();
    collect_text(&t.body, &mut source);
    let got = words(&unmarked);
    for (w, n) in words(&source) {
        let found = got.get(&w).copied().unwrap_or(0);
        assert!(found >= n, "word {w:?}: {found} of {n} found");
    }
}
