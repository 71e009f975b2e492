//! The TEI written for hand-built transcripts validates against `tei_all` with jing.
//!
//! Skips (with a message) when jing or the schema is missing, unless
//! `VERBATIM_REQUIRE_VALIDATORS=1`, in which case it fails. The schema is
//! `$VERBATIM_TEI_SCHEMA`, else the vendored `schemas/tei_all.rng`.

mod common;

use std::path::PathBuf;
use std::process::Command;

use verbatim_model::{DatePolicy, WriteContext};
use verbatim_tei::{TeiOptions, to_vec};

fn required() -> bool {
    std::env::var("VERBATIM_REQUIRE_VALIDATORS").is_ok_and(|v| v == "1")
}

fn skip(why: &str) {
    assert!(!required(), "VERBATIM_REQUIRE_VALIDATORS=1 but {why}");
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("SKIPPED: TEI schema validation: {why}\n").as_bytes(),
    );
}

fn schema() -> PathBuf {
    match std::env::var_os("VERBATIM_TEI_SCHEMA") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schemas/tei_all.rng"),
    }
}

#[test]
fn written_tei_is_valid_against_tei_all() {
    let schema = schema();
    if !schema.is_file() {
        return skip(&format!("schema {} not found", schema.display()));
    }
    if Command::new("jing").arg("-h").output().is_err() {
        return skip("jing is not installed (apt-get install jing)");
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("verbatim-tei-jing");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let with_all = WriteContext::new(
        Some("verbatim 0.1.0".into()),
        DatePolicy::new(Some(1_768_435_200)),
    );
    let mut files = Vec::new();
    let mut models = common::all();
    models.push(("awkward_values", common::awkward_values()));
    for (name, t) in models {
        for (suffix, cx) in [
            ("plain", WriteContext::default()),
            ("dated", with_all.clone()),
        ] {
            let path = dir.join(format!("{name}-{suffix}.tei.xml"));
            std::fs::write(&path, to_vec(&t, &TeiOptions::default(), &cx).unwrap()).unwrap();
            files.push(path);
        }
    }
    let out = Command::new("jing")
        .arg(&schema)
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "jing reported errors:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
