//! Running planned jobs: in parallel, with progress, a summary and a report.

use std::io::{IsTerminal, Read};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use verbatim::{Code, Diagnostic, ReadContext, Valid, WriteContext, WriteOptions};

use crate::inputs::{Input, Job};
use crate::output::{self, Planned, Target};

/// How a batch runs.
pub(crate) struct Settings<'a> {
    pub opts: &'a WriteOptions,
    pub write: &'a WriteContext,
    pub read: ReadContext,
    pub jobs: Option<usize>,
    pub quiet: bool,
    pub verbose: bool,
    pub fail_fast: bool,
    pub skip_existing: bool,
    /// Hash outputs for the report; skipped without one, as it costs time.
    pub hash: bool,
    /// Only one input: its transcript is left for the process exit to free.
    pub single: bool,
}

#[derive(Debug, Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Status {
    Converted,
    Failed,
    Skipped,
}

/// One input's line in `--report`.
#[derive(Debug, Serialize)]
pub(crate) struct Record {
    pub input: String,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub outputs: Vec<OutputRecord>,
    pub warnings: Vec<Diagnostic>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Diagnostic>,
}

#[derive(Debug, Serialize)]
pub(crate) struct OutputRecord {
    pub path: String,
    pub format: String,
    pub bytes: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Report<'a> {
    pub report_version: u32,
    pub converted: usize,
    pub failed: usize,
    pub skipped: usize,
    pub files: &'a [Record],
}

/// Runs every job; one failure never stops the others unless `fail_fast`.
pub(crate) fn run(planned: &[Planned], s: &Settings<'_>) -> Vec<Record> {
    let started = Instant::now();
    let bar = progress_bar(planned.len() as u64, s.quiet);
    let stop = AtomicBool::new(false);
    let failures = AtomicUsize::new(0);
    let work = || {
        planned
            .par_iter()
            .map(|p| {
                if stop.load(Ordering::Relaxed) {
                    return skipped(p, "not started: an earlier input failed (--fail-fast)");
                }
                let record = convert_one(p, s, &bar);
                if record.status == Status::Failed {
                    let n = failures.fetch_add(1, Ordering::Relaxed) + 1;
                    bar.set_message(format!("{n} failed"));
                    if s.fail_fast {
                        stop.store(true, Ordering::Relaxed);
                    }
                }
                bar.inc(1);
                record
            })
            .collect::<Vec<Record>>()
    };
    let records = match rayon::ThreadPoolBuilder::new()
        .num_threads(s.jobs.unwrap_or(0))
        .build()
    {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    };
    bar.finish_and_clear();
    if !s.quiet && planned.len() > 1 {
        summary(&records, started.elapsed());
    }
    records
}

fn progress_bar(len: u64, quiet: bool) -> ProgressBar {
    // Progress only for a person watching: never into a pipe or a log file.
    if quiet || !std::io::stderr().is_terminal() || len < 2 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{bar:30} {pos}/{len} files  {msg}  {per_sec}  eta {eta}")
    {
        bar.set_style(style);
    }
    bar.set_message("0 failed");
    bar
}

fn say(bar: &ProgressBar, line: String) {
    if bar.is_hidden() {
        eprintln!("{line}");
    } else {
        bar.println(line);
    }
}

fn skipped(p: &Planned, reason: &str) -> Record {
    Record {
        input: p.job.input.display(),
        status: Status::Skipped,
        reason: Some(reason.into()),
        outputs: Vec::new(),
        warnings: Vec::new(),
        error: None,
    }
}

fn failed(
    name: String,
    error: Diagnostic,
    warnings: Vec<Diagnostic>,
    outputs: Vec<OutputRecord>,
) -> Record {
    Record {
        input: name,
        status: Status::Failed,
        reason: None,
        outputs,
        warnings,
        error: Some(error),
    }
}

fn up_to_date(p: &Planned) -> bool {
    let Input::File(src) = &p.job.input else {
        return false;
    };
    let Ok(src_time) = std::fs::metadata(src).and_then(|m| m.modified()) else {
        return false;
    };
    p.targets.iter().all(|(_, t)| match t {
        Target::File(out) => std::fs::metadata(out)
            .and_then(|m| m.modified())
            .is_ok_and(|t| t >= src_time),
        Target::Stdout => false,
    })
}

/// Reads an input, refusing one over the size limit before reading it.
pub(crate) fn read_input(input: &Input, limits: &verbatim::Limits) -> Result<Vec<u8>, Diagnostic> {
    let name = input.display();
    if let Input::File(p) = input
        && let Ok(meta) = std::fs::metadata(p)
    {
        verbatim::check_size(meta.len(), limits).map_err(|d| d.in_file(&name))?;
    }
    let data = read_raw(input).map_err(|e| {
        Diagnostic::error(Code::Io, None, format!("cannot read: {e}")).in_file(&name)
    })?;
    // Standard input has no size to check beforehand.
    verbatim::check_size(data.len() as u64, limits).map_err(|d| d.in_file(&name))?;
    Ok(data)
}

fn read_raw(input: &Input) -> std::io::Result<Vec<u8>> {
    match input {
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin().lock().read_to_end(&mut buf)?;
            Ok(buf)
        }
        Input::File(p) => std::fs::read(p),
    }
}

/// A transcript read and checked, with every warning raised on the way.
pub(crate) struct Loaded {
    pub transcript: Valid,
    pub warnings: Vec<Diagnostic>,
}

/// Reads, tells the format of, parses and checks one input. Every diagnostic names the
/// input.
pub(crate) fn load(job: &Job, cx: &ReadContext) -> Result<Loaded, Diagnostic> {
    let name = job.input.display();
    let bytes = read_input(&job.input, &cx.limits)?;
    let path = match &job.input {
        Input::File(p) => Some(p.as_path()),
        Input::Stdin => None,
    };
    let detected = verbatim::detect(path, job.format, &bytes).map_err(|d| d.in_file(&name))?;
    let mut warnings: Vec<Diagnostic> = detected.warning.into_iter().collect();
    let parsed = verbatim::read(detected.format, bytes, cx).map_err(|d| d.in_file(&name))?;
    warnings.extend(parsed.warnings);
    let transcript = Valid::new(parsed.value).map_err(|d| d.in_file(&name))?;
    for w in &mut warnings {
        w.file = Some(name.clone());
    }
    Ok(Loaded {
        transcript,
        warnings,
    })
}

fn convert_one(p: &Planned, s: &Settings<'_>, bar: &ProgressBar) -> Record {
    let name = p.job.input.display();
    if s.skip_existing && up_to_date(p) {
        if s.verbose {
            say(bar, format!("{name}: skipped: outputs are up to date"));
        }
        return skipped(p, "outputs are up to date");
    }
    let loaded = match load(&p.job, &s.read) {
        Ok(l) => l,
        Err(e) => {
            say(bar, e.to_string());
            return failed(name, e, Vec::new(), Vec::new());
        }
    };
    let mut warnings = loaded.warnings;
    if !s.quiet {
        for w in &warnings {
            say(bar, w.to_string());
        }
    }
    let mut outputs = Vec::new();
    for (format, target) in &p.targets {
        let written = verbatim::write_to_vec(*format, &loaded.transcript, s.opts, s.write);
        let (data, written_warnings) = match written {
            Ok(d) => d,
            Err(mut e) => {
                e.message = format!("writing {format}: {}", e.message);
                let e = e.in_file(&name);
                say(bar, e.to_string());
                return failed(name, e, warnings, outputs);
            }
        };
        for mut w in written_warnings {
            w.message = format!("{format}: {}", w.message);
            let w = w.in_file(&name);
            if !s.quiet {
                say(bar, w.to_string());
            }
            warnings.push(w);
        }
        if let Err(msg) = output::deliver(target, &data) {
            let e = Diagnostic::error(Code::Io, None, msg).in_file(target.display());
            say(bar, e.to_string());
            return failed(name, e, warnings, outputs);
        }
        if s.verbose {
            say(bar, format!("{name} -> {}", target.display()));
        }
        outputs.push(OutputRecord {
            path: target.display(),
            format: format.name().to_string(),
            bytes: data.len(),
            sha256: s.hash.then(|| hex(&Sha256::digest(&data))),
        });
    }
    if s.single {
        // The process ends next; freeing a large transcript node by node would
        // only delay that (about a tenth of a 10 MB conversion).
        std::mem::forget(loaded.transcript);
    }
    Record {
        input: name,
        status: Status::Converted,
        reason: None,
        outputs,
        warnings,
        error: None,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn count(records: &[Record], status: Status) -> usize {
    records.iter().filter(|r| r.status == status).count()
}

fn summary(records: &[Record], elapsed: Duration) {
    let secs = elapsed.as_secs_f64();
    let done = count(records, Status::Converted);
    let rate = if secs > 0.0 { done as f64 / secs } else { 0.0 };
    eprintln!(
        "converted {done}, failed {}, skipped {} in {secs:.2} s ({rate:.0} files/s)",
        count(records, Status::Failed),
        count(records, Status::Skipped),
    );
}

/// Writes the `--report` JSON atomically.
pub(crate) fn write_report(path: &Path, records: &[Record]) -> Result<(), String> {
    let report = Report {
        report_version: 2,
        converted: count(records, Status::Converted),
        failed: count(records, Status::Failed),
        skipped: count(records, Status::Skipped),
        files: records,
    };
    let mut data = serde_json::to_vec_pretty(&report).map_err(|e| e.to_string())?;
    data.push(b'\n');
    output::write_atomic(path, &data)
        .map_err(|e| format!("{}: error: cannot write report: {e}", path.display()))
}
