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
                // The record of what was written; tests/batch.rs looks at it.
                .filter(|n| n != ".verbatim-outputs")
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

/// Each bad input of `tests/cmd/bad-input.in`: exit 1, one line (the messages are
/// in `tests/cmd/bad-input.trycmd`), and no file written.
#[test]
fn bad_inputs_fail_cleanly_with_no_output() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/cmd/bad-input.in");
    let cases = listing(&dir);
    assert!(cases.len() >= 8, "{cases:?}");
    for name in &cases {
        let tmp = tempfile::tempdir().unwrap();
        fs::copy(dir.join(name), tmp.path().join(name)).unwrap();
        let o = verbatim(&["convert", name, "-t", "all", "-o", "out"], tmp.path());
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.starts_with(&format!("{name}:")), "{name}: {err}");
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
        &["convert", "a.md", "-t", "md", "-o", "a.md"],
        &["convert", "a.md", "-t", "all", "-o", "-"],
        &["convert"],
    ];
    for args in cases {
        let o = verbatim(args, tmp.path());
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).is_empty());
    }
    // The messages are in tests/cmd/usage.trycmd.
    assert_eq!(listing(tmp.path()), ["a.json", "a.md"]);
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
        let desc = verbatim_inspect::describe_pdf(&pdf).unwrap();
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

/// The UTC date of Unix time `secs` as `YYYY-MM-DD`, by the model's own conversion.
fn utc_date(secs: u64) -> String {
    let secs = i64::try_from(secs).expect("a time in range");
    verbatim::model::UtcDateTime::from_unix(secs)
        .expect("a year the model dates")
        .date()
        .to_string()
}

#[allow(
    clippy::disallowed_methods,
    reason = "the test checks a pipe is dated now"
)]
fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[test]
fn a_qa_file_without_front_matter_has_no_placeholders() {
    let tmp = tempfile::tempdir().unwrap();
    let src = "Q: Where were you born?\n\nA: In Leeds, in 1931.\n\nQ: And your parents?\n\nA: Both weavers.\n";
    let path = tmp.path().join("leeds-1931.txt");
    fs::write(&path, src).unwrap();
    // A file dated 2001-09-09T01:46:40Z: the outputs take that date, not 1970 or 1980.
    let when = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(when)
        .unwrap();
    let o = verbatim(
        &[
            "convert",
            "leeds-1931.txt",
            "-t",
            "pdf,epub,txt",
            "-o",
            "out/",
        ],
        tmp.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning[title-guessed]: no title: \"leeds-1931\", the file's name"),
        "{}",
        stderr(&o)
    );
    let pdf =
        verbatim_inspect::describe_pdf(&fs::read(tmp.path().join("out/leeds-1931.pdf")).unwrap())
            .unwrap();
    let epub =
        verbatim_inspect::describe_epub(&fs::read(tmp.path().join("out/leeds-1931.epub")).unwrap())
            .unwrap();
    let txt = fs::read_to_string(tmp.path().join("out/leeds-1931.txt")).unwrap();
    for (name, out) in [("pdf", &pdf), ("epub", &epub), ("txt", &txt)] {
        assert!(!out.contains("Untitled"), "{name}: {out}");
        assert!(
            !out.contains("1970") && !out.contains("1980"),
            "{name}: {out}"
        );
        assert!(
            !out.contains(">Q<") && !out.contains(">A<"),
            "{name}: {out}"
        );
    }
    assert!(pdf.contains("  Title: leeds-1931\n"), "{pdf}");
    assert!(pdf.contains("  CreationDate: D:20010909014640Z\n"), "{pdf}");
    assert!(
        pdf.contains("  Author: Interviewer, Interviewee\n"),
        "{pdf}"
    );
    assert!(epub.contains("<dc:title>leeds-1931</dc:title>"), "{epub}");
    assert!(
        epub.contains("dcterms:modified\">2001-09-09T01:46:40Z<"),
        "{epub}"
    );
    assert!(
        txt.contains("\nInterviewer: Where were you born?\n"),
        "{txt}"
    );
    assert!(txt.contains("\nInterviewee: In Leeds, in 1931.\n"), "{txt}");
}

#[test]
fn a_pipe_is_dated_now_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let before = now_secs();
    let mut child = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(["convert", "-", "-f", "txt", "-t", "epub", "-o", "out/"])
        .current_dir(tmp.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"Q: Hi?\n\nA: Hello.\n").unwrap();
    }
    let o = child.wait_with_output().unwrap();
    let after = now_secs();
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains(
            "warning[date-guessed]: a pipe has no modification time: the EPUB and PDF are dated now"
        ),
        "{err}"
    );
    // Nothing to take a title from: said, not silent.
    assert!(
        err.contains("warning[title-guessed]: no title, and no file name or heading"),
        "{err}"
    );
    let epub =
        verbatim_inspect::describe_epub(&fs::read(tmp.path().join("out/stdin.epub")).unwrap())
            .unwrap();
    assert_eq!(utc_date(1_000_000_000), "2001-09-09");
    let today = [utc_date(before), utc_date(after)];
    assert!(
        today
            .iter()
            .any(|d| epub.contains(&format!("dcterms:modified\">{d}T"))),
        "{today:?} {epub}"
    );
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
    // The messages of the size, line and participant limits are in tests/cmd/limits.trycmd.
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["big.md", "--max-input-size", "1K"], "error[limit]"),
        (vec!["big.md", "--max-line-length", "100"], "error[limit]"),
        (vec!["people.md", "--max-participants", "2"], "error[limit]"),
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
