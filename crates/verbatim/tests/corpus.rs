//! The real-world corpus: transcripts written by other projects, each converted and
//! compared with what `tests/corpus/expected.yaml` says a right conversion is (written
//! from reading the file). Files come from `../shared/corpus/` (or
//! `$VERBATIM_CORPUS`); without it, the in-repository copies in `fixtures/real-*/`
//! are used and the others are skipped with a message.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use verbatim::model::{Inline, Turn};
use verbatim::{Diagnostic, ReadContext, Transcript};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    file: String,
    #[serde(default)]
    fixture: Option<String>,
    #[allow(dead_code)]
    read: String,
    #[serde(default)]
    participants: Option<Vec<String>>,
    #[serde(default)]
    participants_start: Option<Vec<String>>,
    turns: usize,
    #[serde(default)]
    speakers: Vec<String>,
    #[serde(default)]
    count: BTreeMap<String, usize>,
    #[serde(default)]
    together: Option<usize>,
    #[serde(default)]
    paragraphs: BTreeMap<usize, usize>,
    #[serde(default)]
    metadata: BTreeMap<String, String>,
    #[serde(default)]
    text: Vec<TextAt>,
    #[serde(default)]
    starts: BTreeMap<usize, String>,
    #[serde(default)]
    ends: BTreeMap<usize, String>,
    #[serde(default)]
    markers: Vec<String>,
    /// The headings of the top-level sections, in order.
    #[serde(default)]
    sections: Option<Vec<String>>,
    #[serde(default)]
    warnings: Vec<String>,
    #[serde(default)]
    not_warned: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TextAt {
    turn: usize,
    paragraph: usize,
    starts: String,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn corpus_dir() -> PathBuf {
    match std::env::var_os("VERBATIM_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => root().join("../shared/corpus"),
    }
}

/// The file to read: the shared corpus's, else the fixture copy.
fn source(e: &Expected) -> Option<PathBuf> {
    let shared = corpus_dir().join(&e.file);
    if shared.is_file() {
        return Some(shared);
    }
    let name = e.fixture.as_ref()?;
    let dir = root().join("fixtures").join(name);
    let copy = std::fs::read_dir(&dir).ok()?.find_map(|entry| {
        let p = entry.ok()?.path();
        (p.file_stem()? == name.as_str()).then_some(p)
    });
    assert!(
        copy.is_some(),
        "{}: no {name}.* in {}",
        e.file,
        dir.display()
    );
    copy
}

fn turns(t: &Transcript) -> Vec<&Turn> {
    t.turns().collect()
}

fn paragraph_text(p: &[Inline]) -> String {
    verbatim::model::plain_text(p)
}

fn markers(list: &[Inline], out: &mut Vec<String>) {
    for i in list {
        match i {
            Inline::Marker { desc, .. } => out.push(desc.clone()),
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Link { content, .. }
            | Inline::Note { content, .. } => markers(content, out),
            Inline::Text { .. } => {}
        }
    }
}

/// What differs between the conversion and the expectation.
fn compare(e: &Expected, t: &Transcript, warnings: &[Diagnostic]) -> Vec<String> {
    let mut bad = Vec::new();
    let people: Vec<String> = t
        .participants
        .iter()
        .map(|p| format!("{} ({})", p.name, p.role.as_str()))
        .collect();
    let names: Vec<&str> = t.participants.iter().map(|p| p.name.as_str()).collect();
    if let Some(want) = &e.participants {
        // "Name" alone leaves the role open.
        let got: Vec<String> = want
            .iter()
            .zip(people.iter().chain(std::iter::repeat(&String::new())))
            .map(|(w, g)| {
                if w.contains(" (") {
                    g.clone()
                } else {
                    g.split(" (").next().unwrap_or_default().to_string()
                }
            })
            .collect();
        if got != *want || people.len() != want.len() {
            bad.push(format!("participants: expected {want:?}, got {people:?}"));
        }
    }
    if let Some(want) = &e.participants_start
        && people.get(..want.len()) != Some(want.as_slice())
    {
        bad.push(format!(
            "first participants: expected {want:?}, got {:?}",
            &people[..want.len().min(people.len())]
        ));
    }
    let ts = turns(t);
    if ts.len() != e.turns {
        bad.push(format!("turns: expected {}, got {}", e.turns, ts.len()));
    }
    let voices: Vec<String> = ts.iter().map(|u| t.voices_label(u)).collect();
    if !e.speakers.is_empty() && voices.get(..e.speakers.len()) != Some(e.speakers.as_slice()) {
        bad.push(format!(
            "speakers: expected {:?}, got {:?}",
            e.speakers,
            &voices[..e.speakers.len().min(voices.len())]
        ));
    }
    for (who, n) in &e.count {
        let got = voices.iter().filter(|v| *v == who).count();
        if got != *n {
            bad.push(format!("turns of {who}: expected {n}, got {got}"));
        }
    }
    if let Some(n) = e.together {
        let got = ts.iter().filter(|u| !u.with.is_empty()).count();
        if got != n {
            bad.push(format!("turns said together: expected {n}, got {got}"));
        }
    }
    for (turn, n) in &e.paragraphs {
        let got = ts.get(turn - 1).map(|u| u.paragraphs.len());
        if got != Some(*n) {
            bad.push(format!(
                "paragraphs of turn {turn}: expected {n}, got {got:?}"
            ));
        }
    }
    if let Some(want) = &e.sections {
        let got: Vec<String> = t
            .body
            .iter()
            .filter_map(|b| match b {
                verbatim::model::Block::Section(s) => Some(verbatim::model::plain_text(&s.heading)),
                _ => None,
            })
            .collect();
        if &got != want {
            bad.push(format!("sections: expected {want:?}, got {got:?}"));
        }
    }
    let m = &t.metadata;
    for (key, want) in &e.metadata {
        let got = match key.as_str() {
            "title" => m.title.clone(),
            "date" => m.date.map(|d| d.to_string()),
            "language" => m.language.as_ref().map(|l| l.as_str().to_string()),
            "place" => m.place.clone(),
            "identifier" => m.identifier.clone(),
            "description" => m.description.clone(),
            "publisher" => m.publisher.clone(),
            "source" => m.source_url.clone(),
            "rights" => m.rights.clone(),
            "keywords" => Some(m.keywords.join("; ")),
            other => panic!("{}: unknown metadata field {other}", e.file),
        };
        let ok = match key.as_str() {
            "description" | "rights" | "source" => {
                got.as_deref().is_some_and(|g| g.starts_with(want.as_str()))
            }
            "keywords" => got.as_deref().is_some_and(|g| g.contains(want.as_str())),
            _ => got.as_deref() == Some(want.as_str()),
        };
        if !ok {
            bad.push(format!("{key}: expected {want:?}, got {got:?}"));
        }
    }
    for x in &e.text {
        let got = ts
            .get(x.turn - 1)
            .and_then(|u| u.paragraphs.get(x.paragraph - 1))
            .map(|p| paragraph_text(p));
        if !got.as_deref().is_some_and(|g| g.starts_with(&x.starts)) {
            bad.push(format!(
                "turn {} paragraph {}: expected to start {:?}, got {:?}",
                x.turn,
                x.paragraph,
                x.starts,
                got.map(|g| g
                    .chars()
                    .take(x.starts.chars().count() + 20)
                    .collect::<String>())
            ));
        }
    }
    let times = |want: &BTreeMap<usize, String>, end: bool, bad: &mut Vec<String>| {
        for (turn, at) in want {
            let got = ts
                .get(turn - 1)
                .and_then(|u| if end { u.end } else { u.start })
                .map(|s| s.to_string());
            if got.as_deref() != Some(at.as_str()) {
                let what = if end { "end" } else { "start" };
                bad.push(format!("{what} of turn {turn}: expected {at}, got {got:?}"));
            }
        }
    };
    times(&e.starts, false, &mut bad);
    times(&e.ends, true, &mut bad);
    if !e.markers.is_empty() {
        let mut found = Vec::new();
        for u in &ts {
            for p in &u.paragraphs {
                markers(p, &mut found);
            }
        }
        for want in &e.markers {
            if !found.contains(want) {
                bad.push(format!("marker [{want}] not found"));
            }
        }
    }
    for w in &e.warnings {
        let (code, line) = w
            .split_once('@')
            .unwrap_or_else(|| panic!("{}: warning {w:?} is not code@line", e.file));
        let line: usize = line.parse().expect("a line number");
        if !warnings
            .iter()
            .any(|d| d.code.as_str() == code && d.line() == line)
        {
            bad.push(format!("no {code} warning at line {line}"));
        }
    }
    for code in &e.not_warned {
        for d in warnings.iter().filter(|d| d.code.as_str() == code) {
            bad.push(format!("unexpected warning: {d}"));
        }
    }
    let _ = names;
    bad
}

#[test]
fn real_transcripts_convert_as_read() {
    let path = root().join("tests/corpus/expected.yaml");
    let yaml = std::fs::read_to_string(&path).expect("tests/corpus/expected.yaml");
    let expected: Vec<Expected> =
        serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut right = 0;
    let mut failures = Vec::new();
    let mut skipped = Vec::new();
    for e in &expected {
        let Some(src) = source(e) else {
            skipped.push(e.file.clone());
            continue;
        };
        let bytes = std::fs::read(&src).expect("readable");
        let detected = verbatim::detect(Some(&src), None, &bytes)
            .unwrap_or_else(|d| panic!("{}: {d}", src.display()));
        let parsed = match verbatim::read(detected.format, bytes, &ReadContext::default()) {
            Ok(p) => p,
            Err(d) => {
                failures.push(format!("{}: not read: {d}", e.file));
                continue;
            }
        };
        let bad = compare(e, &parsed.value, &parsed.warnings);
        if bad.is_empty() {
            right += 1;
        } else {
            failures.push(format!("{}:\n  {}", e.file, bad.join("\n  ")));
        }
    }
    for s in &skipped {
        // Straight to stderr: the test harness hides eprintln! of passing tests.
        let line = format!(
            "SKIPPED: corpus file {s}: not in {} and not copied into fixtures/\n",
            corpus_dir().display()
        );
        let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
    }
    let tried = expected.len() - skipped.len();
    eprintln!(
        "corpus: {right} of {tried} files right ({} skipped)",
        skipped.len()
    );
    assert!(
        failures.is_empty(),
        "{right} of {tried} corpus files right; wrong:\n{}",
        failures.join("\n")
    );
}
