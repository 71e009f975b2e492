//! Golden tests: every fixture in `fixtures/<name>/` is read from its source,
//! `<name>.<ext>`, and written in every output format; each output is compared with
//! `expected.<ext>` (binary formats with a readable projection,
//! `expected.<ext>.txt`). `VERBATIM_BLESS=1 cargo test` rewrites the expected
//! files; read the diff before committing it.

use std::fs;
use std::path::{Path, PathBuf};

use verbatim::{InputFormat, OutputFormat, WriteOptions};

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
        let Some(format) = InputFormat::from_path(&source) else {
            eprintln!(
                "SKIPPED fixture {}: no reader for its source yet",
                source.display()
            );
            continue;
        };
        out.push(Fixture {
            name: dir
                .file_name()
                .expect("named")
                .to_string_lossy()
                .into_owned(),
            dir,
            source,
            format,
        });
    }
    assert!(!out.is_empty(), "no fixtures found");
    out
}

/// The expected file for a format and the projection of output bytes compared with it.
fn expected_name(format: OutputFormat) -> String {
    if format.is_binary() {
        format!("expected.{}.txt", format.extension())
    } else {
        format!("expected.{}", format.extension())
    }
}

fn projection(format: OutputFormat, bytes: &[u8]) -> String {
    if !format.is_binary() {
        return String::from_utf8(bytes.to_vec()).expect("text output is UTF-8");
    }
    verbatim::describe(format, bytes).unwrap_or_else(|e| panic!("describing {format}: {e}"))
}

fn read_fixture(f: &Fixture) -> verbatim::Parsed<verbatim::Transcript> {
    let bytes = fs::read(&f.source).expect("readable source");
    verbatim::read(f.format, &bytes).unwrap_or_else(|e| panic!("{}: {e}", f.source.display()))
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
        for &format in OutputFormat::ALL {
            let bytes = verbatim::write(format, &parsed.value, &WriteOptions::default())
                .unwrap_or_else(|e| panic!("{}: writing {format}: {e}", f.name));
            let path = f.dir.join(expected_name(format));
            failures.extend(check(&path, &projection(format, &bytes)));
        }
        let warnings: String = parsed.warnings.iter().map(|w| format!("{w}\n")).collect();
        let path = f.dir.join("expected.warnings.txt");
        if warnings.is_empty() {
            if path.exists() {
                if bless() {
                    fs::remove_file(&path).expect("removable");
                } else {
                    failures.push(format!(
                        "{}: the reader gave no warnings now",
                        path.display()
                    ));
                }
            }
        } else {
            failures.extend(check(&path, &warnings));
        }
    }
    finish(failures);
}

#[test]
fn no_orphaned_expected_files() {
    let mut failures = Vec::new();
    for f in fixtures() {
        let known: Vec<String> = OutputFormat::ALL
            .iter()
            .map(|&fmt| expected_name(fmt))
            .chain(["expected.warnings.txt".to_string()])
            .collect();
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
    for f in fixtures() {
        let t = read_fixture(&f).value;
        let json = verbatim::write(OutputFormat::Json, &t, &WriteOptions::default()).expect("json");
        let again = verbatim::read(InputFormat::Json, &json)
            .expect("reads its own JSON")
            .value;
        assert_eq!(again, t, "{}: JSON → model differs", f.name);
        let json2 =
            verbatim::write(OutputFormat::Json, &again, &WriteOptions::default()).expect("json");
        assert_eq!(json, json2, "{}: JSON → JSON is not byte-identical", f.name);
    }
}

#[test]
fn json_schema_matches_the_committed_one() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/transcript.schema.json");
    finish(check(&path, &verbatim::json_schema()).into_iter().collect());
}

#[test]
fn tei_round_trips_every_fixture() {
    for f in fixtures() {
        let t = read_fixture(&f).value;
        let tei = verbatim::write(OutputFormat::Tei, &t, &WriteOptions::default()).expect("tei");
        let back = verbatim::read(InputFormat::Tei, &tei)
            .unwrap_or_else(|e| panic!("{}: reading its own TEI: {e}", f.name));
        assert!(back.warnings.is_empty(), "{}: {:?}", f.name, back.warnings);
        assert_eq!(
            back.value, t,
            "{}: Markdown → TEI → model differs from Markdown → model",
            f.name
        );
    }
}

#[test]
fn markdown_output_round_trips_every_fixture() {
    for f in fixtures() {
        let t = read_fixture(&f).value;
        let md = verbatim::write(OutputFormat::Markdown, &t, &WriteOptions::default()).expect("md");
        let back = verbatim::read(InputFormat::Markdown, &md)
            .unwrap_or_else(|e| panic!("{}: reading its own Markdown: {e}", f.name))
            .value;
        let md2 =
            verbatim::write(OutputFormat::Markdown, &back, &WriteOptions::default()).expect("md");
        assert_eq!(
            String::from_utf8_lossy(&md),
            String::from_utf8_lossy(&md2),
            "{}: Markdown → model → Markdown is not stable",
            f.name
        );
        if f.format == InputFormat::Markdown {
            assert_eq!(
                back, t,
                "{}: Markdown → model → Markdown → model differs",
                f.name
            );
        }
    }
}
