//! Golden tests: every fixture in `fixtures/<name>/` is read from its source,
//! `<name>.<ext>`, and written in every output format; each output is compared with
//! `expected.<ext>` (binary formats with a readable projection,
//! `expected.<ext>.txt`). A fixture's `options.yaml` adds variants written with other
//! options, compared with `expected.<variant>.<ext>`. `VERBATIM_BLESS=1 cargo test`
//! rewrites the expected files; read the diff before committing it.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use support::{describe, output, read, write};
use verbatim::{DatePolicy, InputFormat, OutputFormat, WriteContext, WriteOptions};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn bless() -> bool {
    std::env::var_os("VERBATIM_BLESS").is_some_and(|v| v == "1")
}

struct Fixture {
    name: String,
    dir: PathBuf,
    source: PathBuf,
    format: InputFormat,
    variants: BTreeMap<String, Variant>,
}

/// One entry of a fixture's `options.yaml`: the formats to write, and the options to
/// write them with (the command line's long options; `source-date-epoch` and
/// `generator` set the write context).
#[derive(Debug, Deserialize)]
struct Variant {
    formats: Vec<String>,
    #[serde(flatten)]
    options: BTreeMap<String, Scalar>,
}

/// A YAML scalar as the text it was written as (`40`, `true`, `letter`).
#[derive(Debug)]
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a scalar")
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl Variant {
    fn settings(&self, fixture: &str, variant: &str) -> (WriteOptions, WriteContext) {
        let mut opts = WriteOptions::default();
        let mut epoch = None;
        let mut generator = None;
        for (key, Scalar(value)) in &self.options {
            match key.as_str() {
                "source-date-epoch" => {
                    epoch = Some(value.parse().unwrap_or_else(|_| {
                        panic!("{fixture}/options.yaml {variant}: bad source-date-epoch")
                    }))
                }
                "generator" => generator = Some(value.clone()),
                "css" => {
                    let path = fixtures_dir().join(fixture).join(value);
                    opts.epub.css = Some(
                        fs::read_to_string(&path)
                            .unwrap_or_else(|e| panic!("{fixture}/options.yaml {variant}: {e}")),
                    );
                }
                "cover" => {
                    let path = fixtures_dir().join(fixture).join(value);
                    let data = fs::read(&path)
                        .unwrap_or_else(|e| panic!("{fixture}/options.yaml {variant}: {e}"));
                    opts.set_cover(data)
                        .unwrap_or_else(|e| panic!("{fixture}/options.yaml {variant}: {e}"));
                }
                _ => opts
                    .set(key, value)
                    .unwrap_or_else(|e| panic!("{fixture}/options.yaml {variant}: {e}")),
            }
        }
        (opts, WriteContext::new(generator, DatePolicy::new(epoch)))
    }
}

fn fixtures() -> Vec<Fixture> {
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = fs::read_dir(fixtures_dir())
        .expect("fixtures/ exists")
        .map(|e| e.expect("readable fixtures/").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let name = dir.file_name().expect("named").to_owned();
        let sources: Vec<PathBuf> = fs::read_dir(&dir)
            .expect("readable fixture")
            .map(|e| e.expect("readable entry").path())
            .filter(|p| p.file_stem() == Some(&name) && !p.is_symlink())
            .collect();
        assert_eq!(
            sources.len(),
            1,
            "{}: exactly one source named after the folder expected",
            dir.display()
        );
        let source = sources.into_iter().next().expect("one source");
        let bytes = fs::read(&source).expect("readable source");
        let format = verbatim::detect(Some(&source), None, &bytes)
            .unwrap_or_else(|e| panic!("{}: {e}", source.display()))
            .format;
        let name = name.to_string_lossy().into_owned();
        let variants = match fs::read_to_string(dir.join("options.yaml")) {
            Ok(yaml) => {
                serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("{name}/options.yaml: {e}"))
            }
            Err(_) => BTreeMap::new(),
        };
        out.push(Fixture {
            name,
            dir,
            source,
            format,
            variants,
        });
    }
    assert!(!out.is_empty(), "no fixtures found");
    out
}

/// The expected file for a format (in a variant) and the projection compared with it.
fn expected_name(variant: Option<&str>, format: OutputFormat) -> String {
    let variant = variant.map(|v| format!("{v}.")).unwrap_or_default();
    if format.is_binary() {
        format!("expected.{variant}{}.txt", format.extension())
    } else {
        format!("expected.{variant}{}", format.extension())
    }
}

fn read_fixture(f: &Fixture) -> verbatim::Parsed<verbatim::Transcript> {
    let bytes = fs::read(&f.source).expect("readable source");
    verbatim::read(f.format, bytes, &verbatim::ReadContext::default())
        .unwrap_or_else(|e| panic!("{}: {e}", f.source.display()))
}

/// Compares `actual` with the file, or writes it when blessing; returns a failure message.
fn check(path: &Path, actual: &str) -> Option<String> {
    let expected = fs::read_to_string(path).ok();
    if expected.as_deref() == Some(actual) {
        return None;
    }
    if bless() {
        fs::write(path, actual).expect("writable fixture");
        eprintln!("blessed {}", path.display());
        return None;
    }
    Some(match expected {
        None => format!(
            "{} is missing (VERBATIM_BLESS=1 cargo test writes it)",
            path.display()
        ),
        Some(expected) => format!(
            "{} differs (VERBATIM_BLESS=1 cargo test rewrites it):\n{}",
            path.display(),
            similar::TextDiff::from_lines(expected.as_str(), actual)
                .unified_diff()
                .context_radius(2)
                .header("expected", "actual")
        ),
    })
}

/// Compares warnings with their file; no warnings means no file.
fn check_warnings(path: &Path, warnings: &[verbatim::Diagnostic]) -> Option<String> {
    let text: String = warnings.iter().map(|w| format!("{w}\n")).collect();
    if !text.is_empty() {
        return check(path, &text);
    }
    if !path.exists() {
        return None;
    }
    if bless() {
        fs::remove_file(path).expect("removable");
        return None;
    }
    Some(format!("{}: there are no warnings now", path.display()))
}

fn finish(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} golden mismatch(es):\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_fixture_matches_its_goldens() {
    let mut failures = Vec::new();
    for f in fixtures() {
        let parsed = read_fixture(&f);
        let mut writer_warnings = Vec::new();
        for format in OutputFormat::all() {
            // Captions are times: an untimed transcript is refused, and has no golden.
            if matches!(format.name(), "vtt" | "srt")
                && parsed.value.turns().all(|u| u.start.is_none())
            {
                let valid = verbatim::Valid::new(parsed.value.clone()).expect("valid");
                let e = verbatim::write_to_vec(
                    format,
                    &valid,
                    &WriteOptions::default(),
                    &WriteContext::default(),
                )
                .expect_err("untimed captions are refused");
                assert!(
                    e.message.contains("the transcript has no times"),
                    "{}: {e}",
                    f.name
                );
                continue;
            }
            let (bytes, warnings) = support::write_with(
                format,
                &parsed.value,
                &WriteOptions::default(),
                &WriteContext::default(),
            );
            writer_warnings.extend(warnings.into_iter().map(|mut w| {
                w.message = format!("{format}: {}", w.message);
                w
            }));
            let path = f.dir.join(expected_name(None, format));
            failures.extend(check(&path, &describe(format, &bytes)));
        }
        let mut warnings = parsed.warnings.clone();
        warnings.extend(writer_warnings);
        failures.extend(check_warnings(
            &f.dir.join("expected.warnings.txt"),
            &warnings,
        ));
    }
    finish(failures);
}

#[test]
fn every_option_variant_matches_its_goldens() {
    let mut failures = Vec::new();
    let mut variants = 0;
    for f in fixtures() {
        if f.variants.is_empty() {
            continue;
        }
        let parsed = read_fixture(&f);
        for (name, variant) in &f.variants {
            variants += 1;
            let (opts, cx) = variant.settings(&f.name, name);
            for format in &variant.formats {
                let format = output(format);
                let (bytes, _) = support::write_with(format, &parsed.value, &opts, &cx);
                let path = f.dir.join(expected_name(Some(name), format));
                failures.extend(check(&path, &describe(format, &bytes)));
            }
        }
    }
    assert!(variants > 0, "no fixture has an options.yaml");
    finish(failures);
}

#[test]
fn no_orphaned_expected_files() {
    let mut failures = Vec::new();
    for f in fixtures() {
        let mut known: Vec<String> = OutputFormat::all()
            .map(|fmt| expected_name(None, fmt))
            .chain(["expected.warnings.txt".to_string()])
            .collect();
        for (name, v) in &f.variants {
            known.extend(
                v.formats
                    .iter()
                    .map(|fmt| expected_name(Some(name), output(fmt))),
            );
        }
        for entry in fs::read_dir(&f.dir).expect("readable") {
            let name = entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            if name.starts_with("expected") && !known.contains(&name) {
                failures.push(format!("{}/{name}: no output format produces it", f.name));
            }
        }
    }
    finish(failures);
}

#[test]
fn json_round_trips_every_fixture() {
    let json = output("json");
    for f in fixtures() {
        let t = read_fixture(&f).value;
        let bytes = write(json, &t);
        let again = read("json", &bytes).expect("reads its own JSON").value;
        assert_eq!(again, t, "{}: JSON → model differs", f.name);
        assert_eq!(
            bytes,
            write(json, &again),
            "{}: JSON → JSON is not byte-identical",
            f.name
        );
    }
}

#[test]
fn json_schema_matches_the_committed_one() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/transcript.schema.json");
    finish(check(&path, &verbatim::json_schema()).into_iter().collect());
}

#[test]
fn tei_round_trips_every_fixture() {
    let mut sp = verbatim::WriteOptions::default();
    sp.set("tei-style", "sp").expect("an option");
    for f in fixtures() {
        let t = read_fixture(&f).value;
        for (style, opts) in [("u", verbatim::WriteOptions::default()), ("sp", sp.clone())] {
            let (tei, _) = support::write_with(output("tei"), &t, &opts, &Default::default());
            let back = read("tei", &tei)
                .unwrap_or_else(|e| panic!("{} ({style}): reading its own TEI: {e}", f.name));
            assert!(
                back.warnings.is_empty(),
                "{} ({style}): {:?}",
                f.name,
                back.warnings
            );
            // What `sp` says it leaves out: an end time without a start.
            let mut want = t.clone();
            if style == "sp" {
                fn drop_ends(blocks: &mut [verbatim::model::Block]) {
                    for b in blocks {
                        match b {
                            verbatim::model::Block::Turn(u) if u.start.is_none() => u.end = None,
                            verbatim::model::Block::Section(s) => drop_ends(&mut s.blocks),
                            _ => {}
                        }
                    }
                }
                drop_ends(&mut want.body);
            }
            assert_eq!(
                back.value, want,
                "{}: source → TEI ({style}) → model differs from source → model",
                f.name
            );
        }
    }
}

#[test]
fn markdown_output_round_trips_every_fixture() {
    let md = output("md");
    for f in fixtures() {
        let t = read_fixture(&f).value;
        let first = write(md, &t);
        let back = read("md", &first)
            .unwrap_or_else(|e| panic!("{}: reading its own Markdown: {e}", f.name))
            .value;
        let second = write(md, &back);
        assert_eq!(
            String::from_utf8_lossy(&first),
            String::from_utf8_lossy(&second),
            "{}: Markdown → model → Markdown is not stable",
            f.name
        );
        if f.format.name() == "md" {
            assert_eq!(
                back, t,
                "{}: Markdown → model → Markdown → model differs",
                f.name
            );
        }
    }
}

/// `docs/diagnostics.md` lists every code with its summary, generated from the model.
#[test]
fn diagnostic_codes_are_documented() {
    let mut doc = String::from(
        "# Diagnostics\n\n\
         Every warning and error has a stable code, printed as\n\
         `file:line:column: warning[code]: message` and written as `\"code\"` in\n\
         `--report`. Lines and columns count characters from 1. A code is never renamed\n\
         or given another meaning.\n\n\
         This list is generated from `crates/verbatim-model/src/diag.rs` by the golden\n\
         tests (`VERBATIM_BLESS=1 cargo test -p verbatim --test golden`).\n\n\
         | code | what it means |\n|---|---|\n",
    );
    for code in verbatim::Code::ALL {
        doc.push_str(&format!("| `{}` | {} |\n", code.as_str(), code.summary()));
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/diagnostics.md");
    finish(check(&path, &doc).into_iter().collect());
}

/// The registry row shown in `docs/architecture.md` is the real one.
#[test]
fn the_architecture_page_shows_a_real_registry_row() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = fs::read_to_string(root.join("../../docs/architecture.md")).unwrap();
    let start = doc
        .find("```rust\n    Reader {")
        .expect("a Reader row in docs/architecture.md");
    let row = &doc[start + 8..];
    let row = &row[..row.find("```").unwrap()];
    let lib = fs::read_to_string(root.join("src/lib.rs")).unwrap();
    assert!(
        lib.contains(row),
        "docs/architecture.md shows a row that is not in the table:\n{row}"
    );
}

/// Every timed fixture as WebVTT and SRT reads back to the same speakers, turns and
/// start times (turns of one speaker in a row are one turn in captions, and captions
/// name speakers, not their roles).
#[test]
fn captions_round_trip_speakers_turns_and_times() {
    let mut checked = 0;
    let mut srt_checked = 0;
    for f in fixtures() {
        let t = read_fixture(&f).value;
        if !t.turns().all(|u| u.start.is_some()) || t.turns().next().is_none() {
            continue;
        }
        // What captions can say: one speaker after another, each with a start.
        let mut want: Vec<(String, u64)> = Vec::new();
        for u in t.turns() {
            let name = t.voices_label(u);
            if want.last().is_some_and(|(n, _)| *n == name) {
                continue;
            }
            want.push((name, u.start.map_or(0, |s| s.millis())));
        }
        for format in ["vtt", "srt"] {
            // SRT has no voices, only `Name:` where the speaker changes: a turn said
            // together is a label of all the names, and a one-word name said once is as
            // much a label as `Note:` (the reader warns that it found no labels).
            let once = |name: &str| want.iter().filter(|(n, _)| n == name).count() < 2;
            if format == "srt"
                && (t.turns().any(|u| !u.with.is_empty())
                    || want.iter().any(|(n, _)| once(n) && !n.contains(' ')))
            {
                continue;
            }
            srt_checked += usize::from(format == "srt");
            let bytes = write(output(format), &t);
            let back = read(format, &bytes).unwrap_or_else(|e| {
                panic!(
                    "{} as {format}: {e}\n{}",
                    f.name,
                    String::from_utf8_lossy(&bytes)
                )
            });
            let got: Vec<(String, u64)> = back
                .value
                .turns()
                .map(|u| {
                    (
                        back.value.voices_label(u),
                        u.start.map_or(0, |s| s.millis()),
                    )
                })
                .collect();
            assert_eq!(got, want, "{} as {format}", f.name);
        }
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} timed fixtures");
    assert!(
        srt_checked >= 3,
        "only {srt_checked} fixtures checked as SRT"
    );
    eprintln!("captions: {checked} timed fixtures as WebVTT, {srt_checked} as SRT");
}
