//! Data safety: a run never overwrites a source or a file it did not write, never
//! writes outside `-o`, never hangs on special files, never panics on a closed stderr,
//! and leaves all of an input's outputs or none.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

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

/// Every file below `dir` with its bytes, sorted by relative path.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.push((rel, fs::read(e.path()).unwrap()));
        }
    }
    out
}

fn names(dir: &Path) -> Vec<String> {
    snapshot(dir).into_iter().map(|(n, _)| n).collect()
}

const SHORT: &str = "**Q:** Where were you born?\n\n**A:** In Porto.\n";

#[test]
fn a_source_is_never_overwritten_by_an_output() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("x.md"), SHORT).unwrap();
    fs::copy(
        fixture("gilead-interview/expected.tei.xml"),
        dir.join("x.tei.xml"),
    )
    .unwrap();
    let before = snapshot(&dir);
    let o = verbatim(&["convert", "in", "-t", "tei,json"], tmp.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("in/x.tei.xml") && stderr(&o).contains("input"),
        "{}",
        stderr(&o)
    );
    assert_eq!(snapshot(&dir), before, "nothing is written");
    // Named as a file it is refused the same way.
    let o = verbatim(
        &["convert", "in/x.md", "-t", "tei", "-o", "in/x.tei.xml"],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(snapshot(&dir), before);
}

#[test]
fn in_place_reruns_refuse_then_force_rewrites_and_never_read_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("a.md"), SHORT).unwrap();
    let o = verbatim(&["convert", "a.md", "-q"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let five = [
        ".verbatim-outputs",
        "a.epub",
        "a.json",
        "a.md",
        "a.pdf",
        "a.tei.xml",
        "a.txt",
    ];
    assert_eq!(names(tmp.path()), five);
    let first = snapshot(tmp.path());
    // Again: refused, nothing touched.
    let o = verbatim(&["convert", "a.md", "-q"], tmp.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(snapshot(tmp.path()), first);
    // A directory run beside the inputs takes a.md only: the outputs are not inputs.
    let o = verbatim(&["convert", ".", "--force", "-v"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(names(tmp.path()), five, "no a.tei.tei.xml, no a.json.txt");
    let outputs: Vec<(String, Vec<u8>)> = snapshot(tmp.path())
        .into_iter()
        .filter(|(n, _)| n != ".verbatim-outputs")
        .collect();
    let first: Vec<(String, Vec<u8>)> = first
        .into_iter()
        .filter(|(n, _)| n != ".verbatim-outputs")
        .collect();
    assert_eq!(outputs, first, "the same bytes again");
    // An output someone edited since is not verbatim's any more.
    fs::write(tmp.path().join("a.txt"), "my own notes").unwrap();
    let o = verbatim(&["convert", "a.md", "--force", "-q"], tmp.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("a.txt exists and is not an unchanged output"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        fs::read_to_string(tmp.path().join("a.txt")).unwrap(),
        "my own notes"
    );
}

#[test]
fn a_file_verbatim_did_not_write_is_never_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("a.md"), SHORT).unwrap();
    fs::create_dir(tmp.path().join("out")).unwrap();
    fs::write(tmp.path().join("out/a.json"), "precious").unwrap();
    for extra in [&[][..], &["--force"][..]] {
        let mut args = vec!["convert", "a.md", "-t", "json,txt", "-o", "out"];
        args.extend_from_slice(extra);
        let o = verbatim(&args, tmp.path());
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_eq!(names(&tmp.path().join("out")), ["a.json"], "{args:?}");
    }
    assert_eq!(
        fs::read_to_string(tmp.path().join("out/a.json")).unwrap(),
        "precious"
    );
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_inside_the_output_directory_cannot_lead_outside() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("in/sub")).unwrap();
    fs::write(tmp.path().join("in/sub/x.md"), SHORT).unwrap();
    fs::create_dir_all(tmp.path().join("out")).unwrap();
    fs::create_dir_all(tmp.path().join("elsewhere")).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("elsewhere"), tmp.path().join("out/sub")).unwrap();
    fs::write(tmp.path().join("in/y.md"), SHORT).unwrap();
    let o = verbatim(&["convert", "in", "-t", "json", "-o", "out"], tmp.path());
    // That input fails, said so; the rest converts.
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("in/sub/x.md: error[io]: out/sub/x.json: outside out once its symbolic links are followed: not written"),
        "{}",
        stderr(&o)
    );
    assert!(names(&tmp.path().join("elsewhere")).is_empty());
    assert!(tmp.path().join("out/y.json").is_file());
}

#[test]
fn report_never_replaces_an_input_or_an_output() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("in")).unwrap();
    fs::write(tmp.path().join("in/a.md"), SHORT).unwrap();
    let o = verbatim(
        &[
            "convert", "in", "-t", "json", "-o", "out", "--report", "in/a.md",
        ],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("that is an input of this run"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        fs::read_to_string(tmp.path().join("in/a.md")).unwrap(),
        SHORT
    );
    let o = verbatim(
        &["convert", "in/a.md", "-o", "b.json", "--report", "b.json"],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("an output of this run goes there"),
        "{}",
        stderr(&o)
    );
    assert!(!tmp.path().join("b.json").exists());
    assert!(!tmp.path().join("out").exists());
    // A file that is not an earlier report is not replaced either.
    fs::write(tmp.path().join("notes.json"), "{}").unwrap();
    let o = verbatim(
        &[
            "convert",
            "in",
            "-t",
            "json",
            "-o",
            "out",
            "--report",
            "notes.json",
        ],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        fs::read_to_string(tmp.path().join("notes.json")).unwrap(),
        "{}"
    );
}

#[test]
fn paths_are_compared_as_the_file_system_sees_them() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("sub")).unwrap();
    fs::write(tmp.path().join("a.md"), SHORT).unwrap();
    fs::copy(
        fixture("gilead-interview/expected.json"),
        tmp.path().join("a.json"),
    )
    .unwrap();
    for args in [
        &["convert", "./a.md", "a.json", "-t", "txt"][..],
        &["convert", "sub/../a.md", "a.json", "-t", "txt", "-o", "out"][..],
        &[
            "convert",
            "a.md",
            "./sub/../a.json",
            "-t",
            "txt",
            "-o",
            "./out/",
        ][..],
    ] {
        let o = verbatim(args, tmp.path());
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("would both write"),
            "{args:?}: {}",
            stderr(&o)
        );
        assert!(!tmp.path().join("a.txt").exists() && !tmp.path().join("out").exists());
    }
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(ok.success());
}

#[cfg(unix)]
#[test]
fn named_pipes_are_skipped_as_inputs_and_refused_as_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("in")).unwrap();
    fs::write(tmp.path().join("in/a.md"), SHORT).unwrap();
    mkfifo(&tmp.path().join("in/b.md"));
    for cmd in ["convert", "check"] {
        let mut args = vec![cmd, "in"];
        if cmd == "convert" {
            args.extend(["-t", "txt", "-o", "out"]);
        }
        // A hang would stall here; the pipe has no writer.
        let o = verbatim(&args, tmp.path());
        assert!(o.status.success(), "{cmd}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("in/b.md: warning: skipped: not a regular file"),
            "{cmd}: {}",
            stderr(&o)
        );
    }
    assert_eq!(
        names(&tmp.path().join("out")),
        [".verbatim-outputs", "a.txt"]
    );
    mkfifo(&tmp.path().join("pipe.txt"));
    let o = verbatim(
        &["convert", "in/a.md", "-t", "txt", "-o", "pipe.txt"],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("pipe.txt: is a named pipe: not written"),
        "{}",
        stderr(&o)
    );
}

/// `verbatim … 2>&1 | head -1`: the reader of stderr goes away after one line.
#[cfg(unix)]
#[test]
fn a_closed_stderr_ends_the_run_quietly_without_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("in")).unwrap();
    // Each file warns (speakers declared on first use).
    for i in 0..300 {
        fs::write(tmp.path().join(format!("in/t{i:03}.md")), SHORT).unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(["convert", "in", "-t", "txt", "-o", "out", "-j", "1"])
        .current_dir(tmp.path())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    assert_ne!(status.code(), Some(101), "panicked");
    assert!(status.code().is_some(), "killed by a signal: {status:?}");
    let files = names(&tmp.path().join("out"));
    assert!(files.iter().all(|f| !f.contains(".tmp")), "{files:?}");
    for f in files.iter().filter(|f| f.ends_with(".txt")) {
        let text = fs::read_to_string(tmp.path().join("out").join(f)).unwrap();
        assert!(
            text.ends_with("Interviewee: In Porto.\n"),
            "{f} is incomplete"
        );
    }
    // A full disk under stderr is an error, not a panic.
    if Path::new("/dev/full").exists() {
        let o = Command::new(env!("CARGO_BIN_EXE_verbatim"))
            .args(["convert", "in", "-t", "txt", "-o", "out2"])
            .current_dir(tmp.path())
            .stderr(
                fs::OpenOptions::new()
                    .write(true)
                    .open("/dev/full")
                    .unwrap(),
            )
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{:?}", o.status);
        assert_eq!(names(&tmp.path().join("out2")).len(), 301);
    }
}

#[test]
fn characters_xml_cannot_hold_are_replaced_with_a_warning_at_their_place() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("a.md"),
        "**Q:** Where\u{1} were you?\n\n**A:** Here\u{FFFE}.\n",
    )
    .unwrap();
    let check = verbatim(&["check", "a.md"], tmp.path());
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(
        stderr(&check).contains("a.md:1:13: warning[character-replaced]"),
        "{}",
        stderr(&check)
    );
    let o = verbatim(&["convert", "a.md", "-o", "out", "-q"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        names(&tmp.path().join("out")).len(),
        6,
        "five forms and the record"
    );
    let txt = fs::read_to_string(tmp.path().join("out/a.txt")).unwrap();
    assert!(
        txt.contains("Where\u{FFFD} were you?") && txt.contains("Here\u{FFFD}."),
        "{txt}"
    );
    // JSON escapes the same.
    fs::write(
        tmp.path().join("b.json"),
        fs::read_to_string(tmp.path().join("out/a.json"))
            .unwrap()
            .replace("Where\u{FFFD}", "Where\\u0001"),
    )
    .unwrap();
    let o = verbatim(&["check", "b.json"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning[character-replaced]"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn one_failing_format_leaves_none_of_that_inputs_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("a.md"), SHORT).unwrap();
    // An epoch no EPUB date can hold fails the EPUB after the others were made.
    let o = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(["convert", "a.md", "-t", "json,txt,epub", "-o", "out"])
        .current_dir(tmp.path())
        .env("SOURCE_DATE_EPOCH", "999999999999999")
        .output()
        .unwrap();
    assert_ne!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!tmp.path().join("out").exists() || names(&tmp.path().join("out")).is_empty());
}

#[test]
fn long_metadata_is_shortened_in_the_pdf_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("a.md"), SHORT).unwrap();
    let title = format!("title=Интервью {}", "о жизни ".repeat(3_000));
    let o = verbatim(
        &["convert", "a.md", "-t", "pdf", "-o", "a.pdf", "-M", &title],
        tmp.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning[output-lossy]"),
        "{}",
        stderr(&o)
    );
    assert!(
        fs::read(tmp.path().join("a.pdf"))
            .unwrap()
            .starts_with(b"%PDF-")
    );
}

#[test]
fn names_that_print_alike_are_one_label_or_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    // A zero-width space inside a label: the same speaker, said so.
    fs::write(
        tmp.path().join("a.md"),
        "**Maria:** One.\n\n**Q:** Two?\n\n**Ma\u{200B}ria:** Three.\n",
    )
    .unwrap();
    let o = verbatim(&["convert", "a.md", "-t", "txt", "-o", "-"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("a.md:5:1: warning[label-normalised]"),
        "{}",
        stderr(&o)
    );
    let txt = String::from_utf8(o.stdout).unwrap();
    assert!(txt.contains("Maria: Three."), "{txt}");
    assert!(!txt.contains('\u{200B}'));
    // Two declared people whose names differ only by a soft hyphen cannot be told apart.
    fs::write(
        tmp.path().join("b.md"),
        "---\nparticipants:\n  - id: m1\n    name: Maria\n    role: interviewee\n  - id: m2\n    name: Ma\u{AD}ria\n    role: interviewer\n---\n\n**m1:** Hi.\n\n**m2:** Hello.\n",
    )
    .unwrap();
    let o = verbatim(&["check", "b.md"], tmp.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(
            "b.md:6:3: error[model]: participants \"m1\" and \"m2\" have names that print the same"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn file_names_and_labels_cannot_forge_message_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let name = "a\nb.md: error: forged\u{1b}[31m.md";
    fs::write(tmp.path().join(name), "").unwrap();
    let o = verbatim(&["check", name], tmp.path());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(
        err.lines().filter(|l| l.contains("forged")).count(),
        1,
        "{err}"
    );
    assert!(!err.contains('\u{1b}'), "{err}");
}

#[cfg(unix)]
#[test]
fn input_size_limits_apply_while_reading_devices_and_standard_input() {
    let tmp = tempfile::tempdir().unwrap();
    // /dev/zero never ends: the read stops at the limit.
    let o = verbatim(
        &[
            "check",
            "/dev/zero",
            "-f",
            "md",
            "--max-input-size",
            "1000000",
        ],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("error[limit]"), "{}", stderr(&o));
    let o = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(["check", "-", "--max-input-size", "1000000"])
        .current_dir(tmp.path())
        .stdin(fs::File::open("/dev/zero").unwrap())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("error[limit]"), "{}", stderr(&o));
}

/// `kill -9` leaves a temporary beside the output; the next run of that output removes
/// it, and leaves other files that merely look alike.
#[test]
fn temporaries_of_a_killed_run_are_removed_by_the_next() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("a.md"), SHORT).unwrap();
    fs::create_dir(tmp.path().join("out")).unwrap();
    fs::write(tmp.path().join("out/.a.txt.Xy12Ab.tmp"), "half").unwrap();
    fs::write(tmp.path().join("out/.a.txt.notes.tmp"), "someone's").unwrap();
    let o = verbatim(&["convert", "a.md", "-t", "txt", "-o", "out/"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        names(&tmp.path().join("out")),
        [".a.txt.notes.tmp", ".verbatim-outputs", "a.txt"]
    );
}

/// A folder as collections arrive: sources, outputs of an earlier run beside them, a
/// named pipe, an output subfolder linked elsewhere, and one hostile Word file among
/// 500 good transcripts.
#[cfg(unix)]
#[test]
fn a_hostile_folder_converts_every_good_input_once_and_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    fs::create_dir_all(root.join("coll/linked")).unwrap();
    for i in 0..500 {
        let body = SHORT.replace("Porto", &format!("Porto {i}"));
        fs::write(root.join(format!("coll/t{i:03}.md")), body).unwrap();
    }
    fs::write(root.join("coll/linked/l.md"), SHORT).unwrap();
    // Outputs an earlier run left beside a source.
    let o = verbatim(&["convert", "coll/t000.md", "-t", "txt,json", "-q"], root);
    assert!(o.status.success(), "{}", stderr(&o));
    mkfifo(&root.join("coll/pipe.md"));
    // A footnote of 1 MiB referenced 20,000 times.
    fs::write(root.join("coll/hostile.docx"), hostile_docx()).unwrap();
    fs::create_dir_all(root.join("out")).unwrap();
    fs::create_dir_all(root.join("elsewhere")).unwrap();
    std::os::unix::fs::symlink(root.join("elsewhere"), root.join("out/linked")).unwrap();
    let before = snapshot(&root.join("coll"));
    let o = verbatim(
        &[
            "convert",
            "coll",
            "-t",
            "txt,json",
            "-o",
            "out",
            "--report",
            "report.json",
            "-q",
        ],
        root,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        snapshot(&root.join("coll")),
        before,
        "the sources are untouched"
    );
    assert!(
        names(&root.join("elsewhere")).is_empty(),
        "nothing outside -o"
    );
    let report: serde_json::Value =
        serde_json::from_slice(&fs::read(root.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["converted"], 500, "{report}");
    assert_eq!(
        report["failed"], 2,
        "the Word file and the linked folder's input"
    );
    let failed: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "failed")
        .map(|f| f["input"].as_str().unwrap())
        .collect();
    assert_eq!(failed, ["coll/hostile.docx", "coll/linked/l.md"]);
    for i in 0..500 {
        let txt = fs::read_to_string(root.join(format!("out/t{i:03}.txt"))).unwrap();
        assert!(
            txt.ends_with(&format!("Interviewee: In Porto {i}.\n")),
            "t{i:03}.txt"
        );
        assert!(root.join(format!("out/t{i:03}.json")).is_file());
    }
    // Once each: the earlier outputs beside t000.md were not inputs.
    assert_eq!(
        names(&root.join("out")).len(),
        1000 + 1,
        "{:?}",
        names(&root.join("out"))
    );
}

fn hostile_docx() -> Vec<u8> {
    use std::io::Write;
    let w = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
    let note = format!(
        r#"<w:footnotes {w}><w:footnote w:id="1"><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:footnote></w:footnotes>"#,
        "x".repeat(1024 * 1024)
    );
    let refs = r#"<w:r><w:footnoteReference w:id="1"/></w:r>"#.repeat(20_000);
    let doc = format!(
        r#"<w:document {w}><w:body><w:p><w:r><w:t>Q: why?</w:t></w:r>{refs}</w:p></w:body></w:document>"#
    );
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>"#;
    for (name, data) in [
        ("word/document.xml", doc),
        ("word/_rels/document.xml.rels", rels.to_string()),
        ("word/footnotes.xml", note),
    ] {
        z.start_file(name, opts).unwrap();
        z.write_all(data.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}
