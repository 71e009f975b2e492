//! The `verbatim` command as a shell user meets it: files written, messages,
//! exit codes, and nothing left behind when an input is bad.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn verbatim(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("verbatim runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(name)
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn converts_the_seed_to_json_and_text_in_an_output_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let src = fixture("gilead-interview/gilead-interview.md");
    let o = verbatim(
        &[
            "convert",
            src.to_str().unwrap(),
            "-t",
            "json,txt",
            "-o",
            "out/",
        ],
        tmp.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = tmp.path().join("out");
    assert_eq!(
        listing(&out),
        ["gilead-interview.json", "gilead-interview.txt"]
    );
    assert_eq!(
        fs::read(out.join("gilead-interview.json")).unwrap(),
        fs::read(fixture("gilead-interview/expected.json")).unwrap()
    );
    assert_eq!(
        fs::read(out.join("gilead-interview.txt")).unwrap(),
        fs::read(fixture("gilead-interview/expected.txt")).unwrap()
    );
}

#[test]
fn writes_beside_the_input_without_output_option() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("a.md"), "**Q:** Hi?\n\n**A:** Hello.\n").unwrap();
    let o = verbatim(&["convert", "a.md", "-t", "txt"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(listing(tmp.path()), ["a.md", "a.txt"]);
}

#[test]
fn output_file_and_stdout() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("a.md"), "**Q:** Hi?\n").unwrap();
    let o = verbatim(
        &["convert", "a.md", "-t", "json", "-o", "named.json"],
        tmp.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(tmp.path().join("named.json").is_file());
    let o = verbatim(&["convert", "a.md", "-t", "txt", "-o", "-"], tmp.path());
    assert!(o.status.success());
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "Interviewer:  Q (Q)\n\nQ: Hi?\n"
    );
}

#[test]
fn reads_standard_input() {
    let tmp = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(["convert", "-", "-t", "json"])
        .current_dir(tmp.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"**Q:** From a pipe.\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("From a pipe."));
}

/// Each bad input: exit 1, a one-line message naming file, line and column, no file written.
#[test]
fn bad_inputs_fail_cleanly_with_position_and_no_output() {
    let cases: &[(&str, &[u8], &str)] = &[
        (
            "front.md",
            b"---\ntitle: [unclosed\n---\n\ntext\n",
            "front.md:2:",
        ),
        (
            "speaker.md",
            b"---\nparticipants:\n  - {id: A, name: Ann}\n---\n\n**A:** hi\n\n**Bob:** who?\n",
            "speaker.md:8:1: error: undeclared speaker \"Bob\"",
        ),
        (
            "dup.md",
            b"---\nparticipants:\n  - id: A\n  - id: A\n---\n\ntext\n",
            "dup.md:4:3: error: duplicate participant id \"A\"",
        ),
        (
            "latin1.md",
            b"**Q:** caf\xe9\n",
            "latin1.md:1:11: error: invalid UTF-8 at byte offset 10",
        ),
        ("empty.md", b"", "empty.md:1:1: error: empty file"),
        (
            "bad.json",
            b"{\"schema_version\": \"1.0\", \"metadata\": 5}",
            "bad.json:1:",
        ),
    ];
    for (name, content, expected) in cases {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join(name), content).unwrap();
        let o = verbatim(&["convert", name, "-t", "all", "-o", "out"], tmp.path());
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.starts_with(expected), "{name}: {err}");
        assert_eq!(err.lines().count(), 1, "{name}: one line expected: {err}");
        assert!(
            listing(&tmp.path().join("out")).is_empty(),
            "{name}: output written"
        );
        let o = verbatim(&["check", name], tmp.path());
        assert_eq!(o.status.code(), Some(1), "{name}");
    }
}

#[test]
fn one_bad_input_does_not_stop_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("good.md"), "**Q:** fine\n").unwrap();
    fs::write(tmp.path().join("bad.md"), "").unwrap();
    let o = verbatim(
        &["convert", "bad.md", "good.md", "-t", "txt", "-o", "out"],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(listing(&tmp.path().join("out")), ["good.txt"]);
}

#[test]
fn usage_errors_exit_2_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("a.md"), "**Q:** x\n").unwrap();
    fs::write(tmp.path().join("a.json"), "{}").unwrap();
    let cases: &[&[&str]] = &[
        &["convert", "a.md", "-t", "docbook"],
        &["convert", "a.md", "a.json", "-t", "txt", "-o", "out"],
        &["convert", "a.md", "-f", "odt"],
        &["convert", "a.json", "-t", "json"],
        &["convert", "a.md", "-t", "all", "-o", "-"],
        &["convert"],
    ];
    for args in cases {
        let o = verbatim(args, tmp.path());
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).is_empty());
    }
    assert_eq!(listing(tmp.path()), ["a.json", "a.md"]);
    let o = verbatim(
        &["convert", "a.md", "a.json", "-t", "txt", "-o", "out"],
        tmp.path(),
    );
    assert!(stderr(&o).contains("would both write"), "{}", stderr(&o));
    let o = verbatim(&["convert", "a.json", "-t", "json"], tmp.path());
    assert!(stderr(&o).contains("overwrite its input"), "{}", stderr(&o));
}

#[test]
fn check_reports_warnings_and_succeeds() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("qa.md"), "**Q:** x\n\n**A:** y\n").unwrap();
    let o = verbatim(&["check", "qa.md"], tmp.path());
    assert!(o.status.success());
    assert_eq!(
        stderr(&o),
        "qa.md:1:1: warning: speaker \"Q\" declared on first use as interviewer\n\
         qa.md:3:1: warning: speaker \"A\" declared on first use as interviewee\n"
    );
    let o = verbatim(&["check", "-q", "qa.md"], tmp.path());
    assert!(stderr(&o).is_empty());
    assert!(listing(tmp.path()) == ["qa.md"]);
}

#[test]
fn help_shows_examples() {
    let o = verbatim(&["convert", "--help"], Path::new("."));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("Examples:") && out.contains("verbatim convert interview.md -t all -o out/")
    );
}

#[test]
fn paper_letter_changes_the_page_size() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("a.md"), "**Q:** Hi?\n").unwrap();
    for (paper, width) in [("a4", "595.28"), ("letter", "612")] {
        let out = format!("{paper}.pdf");
        let o = verbatim(
            &["convert", "a.md", "-t", "pdf", "--paper", paper, "-o", &out],
            tmp.path(),
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let pdf = fs::read(tmp.path().join(&out)).unwrap();
        let desc = verbatim::describe(verbatim::OutputFormat::Pdf, &pdf).unwrap();
        assert!(
            desc.contains(&format!("page size: {width}")),
            "{paper}: {}",
            &desc[..200]
        );
    }
}

#[test]
fn source_date_epoch_dates_outputs_when_the_transcript_has_no_date() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("a.md"), "**Q:** Hi?\n").unwrap();
    let run = |epoch: &str, out: &str| {
        Command::new(env!("CARGO_BIN_EXE_verbatim"))
            .args(["convert", "a.md", "-t", "tei", "-o", out])
            .env("SOURCE_DATE_EPOCH", epoch)
            .current_dir(tmp.path())
            .output()
            .unwrap()
    };
    assert!(run("1700000000", "one.tei.xml").status.success());
    assert!(run("1700000000", "two.tei.xml").status.success());
    let one = fs::read_to_string(tmp.path().join("one.tei.xml")).unwrap();
    assert_eq!(
        one,
        fs::read_to_string(tmp.path().join("two.tei.xml")).unwrap()
    );
    assert!(one.contains("2023-11-14"), "{one}");
}

fn hostile(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/hostile")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// Each limit refuses with a one-line message naming it, exit 1, nothing written.
#[test]
fn limits_refuse_hostile_input_with_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("big.md"),
        format!("**Q:** {}\n", "word ".repeat(300)),
    )
    .unwrap();
    fs::write(
        tmp.path().join("people.md"),
        "---\nparticipants:\n  - {id: A}\n  - {id: B}\n  - {id: C}\n---\n\n**A:** hi\n",
    )
    .unwrap();
    let bomb = hostile("zip-bomb.docx");
    let entities = hostile("entity-bomb.tei.xml");
    let deep = hostile("deep-json.json");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["big.md", "--max-input-size", "1K"],
            "big.md:1:1: error: input of 1508 bytes is larger than the limit of 1024 bytes (--max-input-size)",
        ),
        (
            vec!["big.md", "--max-line-length", "100"],
            "big.md:1:1: error: line of 1507 bytes is longer than the limit of 100 bytes (--max-line-length)",
        ),
        (
            vec!["people.md", "--max-participants", "2"],
            "people.md:1:1: error: 3 participants, more than the limit of 2 (--max-participants)",
        ),
        (
            vec![&bomb, "-f", "docx"],
            "inflates to 314572967 bytes, more than the 104857600-byte limit",
        ),
        (
            vec![&entities, "-f", "tei"],
            "DOCTYPE with entity declarations refused",
        ),
        (vec![&deep, "-f", "json"], "recursion limit exceeded"),
    ];
    for (args, expected) in cases {
        let mut all = vec!["convert"];
        all.extend(&args);
        all.extend(["-t", "txt", "-o", "out/"]);
        let o = verbatim(&all, tmp.path());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(listing(&tmp.path().join("out")).is_empty());
    }
}
