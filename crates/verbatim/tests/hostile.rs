//! Hostile input: every reader over the corpus in `tests/hostile/` and a few
//! large generated inputs. Each must return a model or a clear error: no panic,
//! no stack overflow, no hang.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

mod support;

use verbatim::{InputFormat, OutputFormat, ReadContext};

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/hostile");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("tests/hostile exists")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    let mut out: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                fs::read(&p).unwrap(),
            )
        })
        .collect();
    // Too big to commit: generated here.
    out.push(("10mb-single-line.md".into(), {
        let mut v = b"**Q:** ".to_vec();
        v.extend(std::iter::repeat_n(b"word ".as_slice(), 2_000_000).flatten());
        v
    }));
    out.push(("10mb-no-spaces.md".into(), vec![b'x'; 10_000_000]));
    out.push((
        "10mb-brackets.md".into(),
        b"[".repeat(5_000_000)
            .into_iter()
            .chain(b"]".repeat(5_000_000))
            .collect(),
    ));
    out.push((
        "many-labels.md".into(),
        b"**Q:** a\n\n**A:** b\n\n".repeat(100_000),
    ));
    out
}

/// Runs `f` on its own thread with a generous deadline: a hang fails the test
/// instead of stalling CI. Speed itself is measured by the benchmarks.
fn bounded<T: Send + 'static>(what: String, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name(what.clone())
        .spawn(move || {
            let _ = tx.send(std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)));
        })
        .expect("thread");
    match rx.recv_timeout(Duration::from_secs(120)) {
        Ok(Ok(v)) => v,
        Ok(Err(_)) => panic!("{what}: panicked"),
        Err(_) => panic!("{what}: no answer after 120 s"),
    }
}

#[test]
fn every_reader_survives_the_hostile_corpus() {
    let mut report = Vec::new();
    for (name, bytes) in corpus() {
        for format in InputFormat::all() {
            let what = format!("{name} as {format}");
            let data = bytes.clone();
            let small = data.len() < 200_000;
            let started = std::time::Instant::now();
            let result = bounded(what.clone(), move || {
                match verbatim::read(format, data, &ReadContext::default()) {
                    // A model read from hostile input must also write without trouble
                    // (checked on the small inputs; large ones are the benchmarks' job).
                    Ok(parsed) => {
                        // Captions need times: an untimed transcript is refused, clearly.
                        let timed = parsed.value.turns().any(|u| u.start.is_some());
                        for out in OutputFormat::all().filter(|_| small) {
                            if !timed && matches!(out.name(), "vtt" | "srt") {
                                continue;
                            }
                            support::write(out, &parsed.value);
                        }
                        Ok(parsed.warnings.len())
                    }
                    Err(e) => Err(e.to_string()),
                }
            });
            if let Err(msg) = &result {
                assert!(!msg.trim().is_empty(), "{what}: empty error message");
                assert!(!msg.contains('\n'), "{what}: error is not one line: {msg}");
            }
            let took = started.elapsed();
            report.push(format!(
                "{what} ({:.2} s): {}",
                took.as_secs_f64(),
                match result {
                    Ok(w) => format!("ok, {w} warnings"),
                    Err(e) => format!("error: {}", e.chars().take(100).collect::<String>()),
                }
            ));
        }
    }
    eprintln!("{}", report.join("\n"));
}

/// The same transcript with a byte order mark, CRLF or CR line endings, or as
/// UTF-16, reads to the same model as plain UTF-8 with LF.
#[test]
fn encodings_and_line_endings_give_the_same_model() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut checked = 0;
    for entry in fs::read_dir(fixtures).unwrap() {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let src = dir.join(format!("{name}.md"));
        let Ok(text) = fs::read_to_string(&src) else {
            continue;
        };
        let base = support::read("md", text.as_bytes()).unwrap().value;
        let crlf = text.replace('\n', "\r\n");
        let variants: Vec<(&str, Vec<u8>)> = vec![
            (
                "BOM + CRLF",
                [b"\xEF\xBB\xBF".as_slice(), crlf.as_bytes()].concat(),
            ),
            ("CR", text.replace('\n', "\r").into_bytes()),
            (
                "UTF-16LE",
                [
                    vec![0xFF, 0xFE],
                    crlf.encode_utf16().flat_map(u16::to_le_bytes).collect(),
                ]
                .concat(),
            ),
            (
                "UTF-16BE",
                [
                    vec![0xFE, 0xFF],
                    text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
                ]
                .concat(),
            ),
        ];
        for (label, bytes) in variants {
            let t = support::read("md", &bytes).unwrap_or_else(|e| panic!("{name} {label}: {e}"));
            assert_eq!(t.value, base, "{name}: {label} reads differently");
        }
        checked += 1;
    }
    assert!(checked >= 5);
}

#[test]
fn invalid_bytes_are_refused_with_their_offset() {
    // UTF-8 with a bad byte in it is refused at that byte…
    let e = support::read(
        "md",
        "**Q:** café\n"
            .as_bytes()
            .iter()
            .chain(b"\xC3\x28")
            .copied()
            .collect::<Vec<u8>>()
            .as_slice(),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "2:1: error[encoding]: invalid UTF-8 at byte offset 13"
    );
    // …while bytes with no UTF-8 in them are read in the legacy encoding they look
    // like, with a warning naming it.
    let p = support::read("md", b"**Q:** caf\xe9 cr\xe8me\n").unwrap();
    assert_eq!(p.warnings[0].code, verbatim::Code::EncodingGuessed);
    assert!(
        verbatim::model::plain_text(&p.value.turns().next().unwrap().paragraphs[0])
            .contains("café crème")
    );
    // UTF-16 without a byte order mark is recognised by its zero bytes.
    let p = support::read(
        "md",
        "**Q:** x"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect::<Vec<u8>>()
            .as_slice(),
    )
    .unwrap();
    assert!(
        p.warnings[0].message.contains("UTF-16LE"),
        "{:?}",
        p.warnings
    );
}
