//! Converting whole collections: mirroring, failures, reports, re-runs, links.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn verbatim(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("verbatim runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file below `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(rd) = fs::read_dir(dir) else { return };
        for e in rd {
            let p = e.unwrap().path();
            // The record of what was written is looked at where it matters.
            if p.file_name().is_some_and(|n| n == ".verbatim-outputs") {
                continue;
            }
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.push(
                    p.strip_prefix(base)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn collection(root: &Path) {
    for (path, body) in [
        ("coll/a.md", "**Q:** one\n"),
        ("coll/sub/b.md", "**Q:** two\n"),
        ("coll/notes.rtf", "not a transcript"),
    ] {
        let p = root.join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, body).unwrap();
    }
    // A JSON transcript from elsewhere: made outside the collection and moved in, so no
    // record calls it an output of a.md.
    let o = verbatim(
        &["convert", "coll/a.md", "-t", "json", "-o", "made.json"],
        root,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    fs::create_dir_all(root.join("coll/sub/deeper")).unwrap();
    fs::rename(root.join("made.json"), root.join("coll/sub/deeper/c.json")).unwrap();
    fs::remove_file(root.join(".verbatim-outputs")).unwrap();
}

#[test]
fn mirrors_the_input_tree_under_the_output_directory() {
    let tmp = tempfile::tempdir().unwrap();
    collection(tmp.path());
    let o = verbatim(
        &["convert", "coll", "-t", "txt,json", "-o", "out", "-j", "2"],
        tmp.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        tree(&tmp.path().join("out")),
        [
            "a.json",
            "a.txt",
            "sub/b.json",
            "sub/b.txt",
            "sub/deeper/c.json",
            "sub/deeper/c.txt"
        ]
    );
    assert!(
        stderr(&o).contains("converted 3 of 3 in "),
        "{}",
        stderr(&o)
    );
}

#[test]
fn glob_selects_files() {
    let tmp = tempfile::tempdir().unwrap();
    collection(tmp.path());
    let o = verbatim(
        &[
            "convert",
            "coll",
            "--glob",
            "sub/**/*.md",
            "-t",
            "txt",
            "-o",
            "out",
        ],
        tmp.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(tree(&tmp.path().join("out")), ["sub/b.txt"]);
}

#[test]
fn a_bad_file_is_reported_and_the_rest_converts_with_a_report() {
    let tmp = tempfile::tempdir().unwrap();
    collection(tmp.path());
    fs::write(
        tmp.path().join("coll/sub/bad.md"),
        "---\nparticipants:\n  - id: A\n---\n\n**B:** x\n",
    )
    .unwrap();
    let o = verbatim(
        &[
            "convert",
            "coll",
            "-t",
            "txt",
            "-o",
            "out",
            "--report",
            "report.json",
        ],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("coll/sub/bad.md:6:1: error[speaker-undeclared]: undeclared speaker \"B\""),
        "{err}"
    );
    assert!(err.contains("converted 3 of 4 in "), "{err}");
    assert!(err.contains(", 1 failed"), "{err}");
    assert_eq!(
        tree(&tmp.path().join("out")),
        ["a.txt", "sub/b.txt", "sub/deeper/c.txt"]
    );

    let report: serde_json::Value =
        serde_json::from_slice(&fs::read(tmp.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(report["converted"], 3);
    assert_eq!(report["failed"], 1);
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 4);
    let bad = files
        .iter()
        .find(|f| f["input"] == "coll/sub/bad.md")
        .unwrap();
    assert_eq!(bad["status"], "failed");
    // Diagnostics are objects with their fields, not strings.
    let error = &bad["error"];
    assert_eq!(error["code"], "speaker-undeclared");
    assert_eq!(error["severity"], "error");
    assert_eq!(
        (error["line"].as_u64(), error["column"].as_u64()),
        (Some(6), Some(1))
    );
    assert_eq!(error["file"], "coll/sub/bad.md");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .starts_with("undeclared speaker \"B\"")
    );
    let a = files.iter().find(|f| f["input"] == "coll/a.md").unwrap();
    assert_eq!(a["status"], "converted");
    let out = &a["outputs"][0];
    let written = fs::read(tmp.path().join("out/a.txt")).unwrap();
    assert_eq!(out["path"], "out/a.txt");
    assert_eq!(out["bytes"], written.len());
    assert_eq!(out["sha256"].as_str().unwrap().len(), 64);
    let warnings = a["warnings"].as_array().unwrap();
    assert_eq!(
        warnings.len(),
        2,
        "the Q label is declared on first use; the title is the file's name"
    );
    assert_eq!(warnings[0]["code"], "speaker-declared");
    assert_eq!(warnings[0]["line"], 1);
    assert_eq!(warnings[0]["column"], 1);
    assert_eq!(warnings[1]["code"], "title-guessed");
    assert!(
        warnings[1]["message"]
            .as_str()
            .unwrap()
            .contains("\"a\", the file's name"),
        "{}",
        warnings[1]
    );
}

#[test]
fn fail_fast_stops_starting_new_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("many");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("000-bad.md"), "").unwrap();
    for i in 1..40 {
        fs::write(dir.join(format!("{i:03}.md")), "**Q:** x\n").unwrap();
    }
    let o = verbatim(
        &[
            "convert",
            "many",
            "-t",
            "txt",
            "-o",
            "out",
            "-j",
            "1",
            "--fail-fast",
            "--report",
            "r.json",
        ],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    let report: serde_json::Value =
        serde_json::from_slice(&fs::read(tmp.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(report["failed"], 1);
    // The files never started are not "skipped" (that is --skip-existing's word).
    assert_eq!(report["not_started"], 39, "{report}");
    assert_eq!(report["skipped"], 0, "{report}");
    assert!(
        stderr(&o).contains("39 not started (--fail-fast)"),
        "{}",
        stderr(&o)
    );
    let o = verbatim(
        &["convert", "many", "-t", "txt", "-o", "out2", "-j", "1"],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        tree(&tmp.path().join("out2")).len(),
        39,
        "without --fail-fast the rest converts"
    );
}

#[test]
fn colliding_outputs_are_refused_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    collection(tmp.path());
    fs::write(
        tmp.path().join("coll/a.json"),
        fs::read(tmp.path().join("coll/sub/deeper/c.json")).unwrap(),
    )
    .unwrap();
    let o = verbatim(&["convert", "coll", "-t", "txt", "-o", "out"], tmp.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("would both write"), "{}", stderr(&o));
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn skip_existing_converts_only_what_changed() {
    let tmp = tempfile::tempdir().unwrap();
    collection(tmp.path());
    let args = [
        "convert",
        "coll",
        "-t",
        "txt",
        "-o",
        "out",
        "--skip-existing",
        "--report",
        "r.json",
    ];
    let o = verbatim(&args, tmp.path());
    assert!(o.status.success());
    let o = verbatim(&args, tmp.path());
    // The seconds depend on the machine's load; the counts do not.
    let e = stderr(&o);
    assert!(e.contains("converted 0 of 3 in "), "{e}");
    assert!(e.contains(" s, 3 skipped (unchanged)"), "{e}");
    // A newer input is converted again.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let a = tmp.path().join("coll/a.md");
    fs::write(&a, "**Q:** changed\n").unwrap();
    let later = fs::metadata(tmp.path().join("out/a.txt"))
        .unwrap()
        .modified()
        .unwrap()
        + std::time::Duration::from_secs(2);
    fs::File::options()
        .write(true)
        .open(&a)
        .unwrap()
        .set_modified(later)
        .unwrap();
    let o = verbatim(&args, tmp.path());
    assert!(
        stderr(&o).contains("converted 1 of 3 in ")
            && stderr(&o).contains(", 2 skipped (unchanged)"),
        "{}",
        stderr(&o)
    );
    assert!(
        fs::read_to_string(tmp.path().join("out/a.txt"))
            .unwrap()
            .contains("changed")
    );
}

#[cfg(unix)]
#[test]
fn links_out_of_the_tree_are_not_followed_unless_asked() {
    let tmp = tempfile::tempdir().unwrap();
    collection(tmp.path());
    fs::create_dir_all(tmp.path().join("elsewhere")).unwrap();
    fs::write(tmp.path().join("elsewhere/secret.md"), "**Q:** outside\n").unwrap();
    std::os::unix::fs::symlink(tmp.path().join("elsewhere"), tmp.path().join("coll/link")).unwrap();
    std::os::unix::fs::symlink(
        tmp.path().join("coll/a.md"),
        tmp.path().join("coll/inside.md"),
    )
    .unwrap();
    let o = verbatim(&["convert", "coll", "-t", "txt", "-o", "out"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let t = tree(&tmp.path().join("out"));
    assert!(t.contains(&"inside.txt".to_string()), "{t:?}");
    assert!(!t.iter().any(|p| p.contains("secret")), "{t:?}");
    assert!(
        stderr(&o).contains("symbolic link not followed"),
        "{}",
        stderr(&o)
    );
    let o = verbatim(
        &[
            "convert",
            "coll",
            "-t",
            "txt",
            "-o",
            "out2",
            "--follow-links",
        ],
        tmp.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(tree(&tmp.path().join("out2")).contains(&"link/secret.txt".to_string()));
}

#[test]
fn quiet_and_no_progress_when_not_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    collection(tmp.path());
    let o = verbatim(
        &["convert", "coll", "-t", "txt", "-o", "out", "-q"],
        tmp.path(),
    );
    assert!(o.status.success());
    assert_eq!(stderr(&o), "");
    let o = verbatim(
        &["convert", "coll", "-t", "txt", "-o", "out3", "-v"],
        tmp.path(),
    );
    let err = stderr(&o);
    assert!(err.contains("coll/a.md -> out3/a.txt"), "{err}");
    assert!(
        !err.contains('\r') && !err.contains("eta"),
        "no progress bar into a pipe: {err}"
    );
}

/// Interrupt a large batch at some moment: what is left in the output tree is
/// complete files only, identical to an uninterrupted run's, and no temporaries.
#[cfg(unix)]
#[test]
fn an_interrupted_batch_leaves_only_complete_files() {
    let tmp = tempfile::tempdir().unwrap();
    let seed = fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/gilead-interview/gilead-interview.md"),
    )
    .unwrap();
    // One modification time for all, as that is the date of an undated run: files
    // written across a second boundary would otherwise differ from the reference.
    let mtime = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
    for i in 0..150 {
        let p = tmp.path().join(format!("many/{:02}/t{i:03}.md", i % 10));
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, &seed).unwrap();
        fs::File::options()
            .write(true)
            .open(&p)
            .and_then(|f| f.set_modified(mtime))
            .unwrap();
    }
    let reference = verbatim(
        &[
            "convert",
            "many/00/t000.md",
            "-t",
            "json,txt,tei,epub",
            "-o",
            "ref",
        ],
        tmp.path(),
    );
    assert!(reference.status.success());
    for delay_ms in [150, 400] {
        let out = format!("out-{delay_ms}");
        let child = Command::new(env!("CARGO_BIN_EXE_verbatim"))
            .args([
                "convert",
                "many",
                "-t",
                "json,txt,tei,epub",
                "-o",
                &out,
                "-q",
            ])
            .current_dir(tmp.path())
            // Captured, so the message does not land in the test run's output.
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let killed = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let done = child.wait_with_output().unwrap();
        let status = done.status;
        let files = tree(&tmp.path().join(&out));
        assert!(
            files.iter().all(|f| !f.contains(".tmp")),
            "temporaries left: {files:?}"
        );
        if status.success() {
            eprintln!("the batch finished within {delay_ms} ms; nothing was interrupted");
            continue;
        }
        assert_eq!(status.code(), Some(130), "{status:?}");
        assert!(
            String::from_utf8_lossy(&done.stderr)
                .contains("verbatim: interrupted; incomplete outputs removed"),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
        assert!(files.len() < 600, "interrupted before the end");
        for f in &files {
            let ext = f.split_once('.').unwrap().1;
            let want = fs::read(tmp.path().join(format!("ref/t000.{ext}"))).unwrap();
            // Every transcript is the seed, so every complete output equals the reference.
            assert_eq!(
                fs::read(tmp.path().join(&out).join(f)).unwrap(),
                want,
                "{f} is incomplete"
            );
        }
    }
}

#[test]
fn unwritable_targets_are_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("a.md"), "**Q:** x\n").unwrap();
    fs::write(tmp.path().join("file"), "not a directory").unwrap();
    let o = verbatim(
        &["convert", "a.md", "-t", "txt", "-o", "file/sub/", "-q"],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("file/sub/a.txt: error[io]: cannot write:"),
        "{}",
        stderr(&o)
    );
    // /proc refuses new files even to root.
    let o = verbatim(
        &[
            "convert",
            "a.md",
            "-t",
            "txt",
            "-o",
            "/proc/verbatim-test/",
            "-q",
        ],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("/proc/verbatim-test/a.txt: error[io]: cannot write:"),
        "{}",
        stderr(&o)
    );
    // A full disk, as /dev/full simulates; devices are written in place, never replaced.
    if Path::new("/dev/full").exists() {
        let o = verbatim(
            &["convert", "a.md", "-t", "txt", "-o", "/dev/full", "-q"],
            tmp.path(),
        );
        assert_eq!(o.status.code(), Some(1));
        assert!(
            stderr(&o).contains("No space left on device"),
            "{}",
            stderr(&o)
        );
        assert!(!fs::metadata("/dev/full").unwrap().is_file());
    }
}

/// `--shard K/N`: the shards convert disjoint shares that together are the whole
/// collection, into one output tree; `merge-reports` joins their reports and refuses an
/// incomplete set.
#[test]
fn shards_split_a_collection_and_their_reports_merge() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let mut all = Vec::new();
    for i in 0..40 {
        let rel = format!("box-{}/interview-{i}", i % 5);
        let p = root.join("coll").join(format!("{rel}.md"));
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, format!("**Q:** question {i}?\n\n**A:** answer {i}.\n")).unwrap();
        all.push(format!("{rel}.json"));
    }
    all.sort();
    let mut seen: Vec<String> = Vec::new();
    for k in 0..3 {
        let shard = format!("{k}/3");
        let report = format!("r{k}.json");
        let o = verbatim(
            &[
                "convert", "coll", "-t", "json", "-o", "out/", "--shard", &shard, "--report",
                &report, "-q",
            ],
            root,
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let r: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(root.join(&report)).unwrap()).unwrap();
        assert_eq!(r["shard"]["index"], k);
        assert_eq!(r["shard"]["count"], 3);
        let files = r["files"].as_array().unwrap();
        assert!(
            !files.is_empty(),
            "shard {k} is empty: the split is lopsided"
        );
        for f in files {
            let out = f["outputs"][0]["path"].as_str().unwrap();
            seen.push(out.trim_start_matches("out/").to_string());
        }
        // Each shard keeps its own record of what it wrote, never the shared file.
        let own = format!(".verbatim-outputs.shard-{k}-of-3");
        assert!(
            (0..5).any(|b| root.join(format!("out/box-{b}/{own}")).is_file()),
            "no {own}"
        );
        assert!((0..5).all(|b| !root.join(format!("out/box-{b}/.verbatim-outputs")).exists()));
    }
    seen.sort();
    // Disjoint (no output twice) and covering (every input once).
    assert_eq!(seen, all);
    let written: Vec<String> = tree(&root.join("out"))
        .into_iter()
        .filter(|f| !f.contains(".verbatim-outputs"))
        .collect();
    assert_eq!(written, all);

    // A shard run again sees every shard's record: its outputs need --force.
    let again = verbatim(
        &[
            "convert", "coll", "-t", "json", "-o", "out/", "--shard", "1/3",
        ],
        root,
    );
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));
    assert!(stderr(&again).contains("--force"), "{}", stderr(&again));

    let merged = verbatim(
        &[
            "merge-reports",
            "r0.json",
            "r1.json",
            "r2.json",
            "-o",
            "all.json",
        ],
        root,
    );
    assert!(merged.status.success(), "{}", stderr(&merged));
    let m: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(root.join("all.json")).unwrap()).unwrap();
    assert_eq!(m["converted"], 40);
    assert_eq!(m["failed"], 0);
    assert_eq!(m["files"].as_array().unwrap().len(), 40);

    let missing = verbatim(&["merge-reports", "r0.json", "r2.json"], root);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("missing shard(s): 1/3"),
        "{}",
        stderr(&missing)
    );
    let twice = verbatim(
        &["merge-reports", "r0.json", "r1.json", "r1.json", "r2.json"],
        root,
    );
    assert_eq!(twice.status.code(), Some(2));
    assert!(stderr(&twice).contains("again"), "{}", stderr(&twice));
    let bad = verbatim(&["convert", "coll", "--shard", "3/3"], root);
    assert_eq!(bad.status.code(), Some(2));
}

/// SHA-256 as the report and the record of outputs write it.
fn sha256(data: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn outputs_streamed_to_files_are_what_standard_output_gets_and_what_is_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    // Long enough that the writers hand their output over in many chunks.
    let mut src =
        String::from("---\ntitle: Long\nparticipants:\n  - id: Q\n    name: Quinn\n---\n\n");
    for i in 0..6_000 {
        src += &format!(
            "**Q:** [00:{:02}:{:02}] Turn {i} & more <words> [laughs].\n\n",
            i / 60 % 60,
            i % 60
        );
    }
    fs::write(tmp.path().join("long.md"), &src).unwrap();
    let o = verbatim(
        &[
            "convert",
            "long.md",
            "-t",
            "tei,txt,json",
            "-o",
            "out/",
            "--report",
            "r.json",
            "-q",
        ],
        tmp.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value =
        serde_json::from_slice(&fs::read(tmp.path().join("r.json")).unwrap()).unwrap();
    let outputs = report["files"][0]["outputs"].as_array().unwrap();
    assert_eq!(outputs.len(), 3);
    let record = fs::read_to_string(tmp.path().join("out/.verbatim-outputs")).unwrap();
    for out in outputs {
        let written = fs::read(tmp.path().join(out["path"].as_str().unwrap())).unwrap();
        assert!(
            written.len() > 200_000,
            "{} is {} bytes",
            out["path"],
            written.len()
        );
        assert_eq!(out["bytes"], written.len());
        assert_eq!(out["sha256"], sha256(&written));
        assert!(
            record.contains(&format!(
                "\"bytes\":{},\"sha256\":\"{}\"",
                written.len(),
                sha256(&written)
            )),
            "{record}"
        );
        let format = out["format"].as_str().unwrap();
        let piped = verbatim(
            &["convert", "long.md", "-t", format, "-o", "-", "-q"],
            tmp.path(),
        );
        assert!(piped.status.success(), "{}", stderr(&piped));
        assert!(
            piped.stdout == written,
            "{format}: the file differs from standard output"
        );
    }
    assert_eq!(
        tree(&tmp.path().join("out")),
        ["long.json", "long.tei.xml", "long.txt"],
        "no temporary file is left"
    );
}
