//! Running planned jobs: in parallel, with progress, a summary and a report.

use std::io::{IsTerminal, Read};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;
use verbatim::{Code, Diagnostic, ReadContext, Valid, WriteContext, WriteOptions};

use crate::inputs::{Input, Job};
use crate::manifest::{self, Manifests};
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
    /// Warnings shown per file (`--max-warnings`); the rest are counted.
    pub max_warnings: Option<usize>,
    /// `-M KEY=VALUE`, in order.
    pub metadata: &'a [(String, String)],
    /// What earlier runs wrote, and where this one writes.
    pub manifests: &'a Manifests,
}

#[derive(Debug, Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Status {
    Converted,
    Failed,
    Skipped,
    /// `--fail-fast` stopped the run before this input.
    NotStarted,
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
    pub bytes: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Report<'a> {
    pub report_version: u32,
    /// The shard of a split this report covers (`--shard`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardRecord>,
    pub converted: usize,
    pub failed: usize,
    pub skipped: usize,
    pub not_started: usize,
    pub files: &'a [Record],
}

#[derive(Debug, Serialize)]
pub(crate) struct ShardRecord {
    pub index: u32,
    pub count: u32,
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
                    return Record {
                        status: Status::NotStarted,
                        reason: Some("an earlier input failed (--fail-fast)".into()),
                        ..skipped(p, "")
                    };
                }
                let record = convert_one(p, s);
                tell(&bar, &record, s);
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
    if planned.len() > 1 {
        summary(&records, started.elapsed(), s.quiet);
    }
    records
}

/// What one input's conversion says, all at once so that files do not interleave:
/// its warnings (at most `--max-warnings`, the rest counted; none with `-q`), its
/// error, and with `-v` what was written.
fn tell(bar: &ProgressBar, r: &Record, s: &Settings<'_>) {
    let mut lines = Vec::new();
    if !s.quiet {
        let shown = s.max_warnings.unwrap_or(usize::MAX);
        lines.extend(r.warnings.iter().take(shown).map(ToString::to_string));
        if r.warnings.len() > shown {
            lines.push(format!(
                "{}: {} more warning(s) not shown (--max-warnings)",
                r.input,
                r.warnings.len() - shown
            ));
        }
    }
    if let Some(e) = &r.error {
        lines.push(e.to_string());
    }
    if s.verbose {
        match r.status {
            Status::Skipped => lines.push(format!(
                "{}: skipped: {}",
                r.input,
                r.reason.as_deref().unwrap_or_default()
            )),
            _ => lines.extend(
                r.outputs
                    .iter()
                    .map(|o| format!("{} -> {}", r.input, o.path)),
            ),
        }
    }
    if !lines.is_empty() {
        say(bar, lines.join("\n"));
    }
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
        crate::say(line);
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

/// Reads an input, refusing one over the size limit: a file by its size before
/// reading, standard input, pipes and devices as soon as they give more.
pub(crate) fn read_input(input: &Input, limits: &verbatim::Limits) -> Result<Vec<u8>, Diagnostic> {
    let name = input.display();
    let mut size = None;
    if let Input::File(p) = input
        && let Ok(meta) = std::fs::metadata(p)
        && meta.is_file()
    {
        verbatim::check_size(meta.len(), limits).map_err(|d| d.in_file(&name))?;
        size = Some(meta.len());
    }
    let data = read_raw(input, limits.max_input_bytes, size).map_err(|e| {
        Diagnostic::error(Code::Io, None, format!("cannot read: {e}")).in_file(&name)
    })?;
    verbatim::check_size(data.len() as u64, limits).map_err(|d| d.in_file(&name))?;
    Ok(data)
}

/// At most one byte more than `max`: enough to tell the input is too large. `size`, a
/// regular file's length, says how much to hold; doubling would leave up to half unused.
fn read_raw(input: &Input, max: u64, size: Option<u64>) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let cap = max.saturating_add(1);
    if let Some(size) = size {
        buf.reserve_exact(usize::try_from(size.min(cap)).unwrap_or(0) + 1);
    }
    match input {
        Input::Stdin => {
            std::io::stdin().lock().take(cap).read_to_end(&mut buf)?;
        }
        Input::File(p) => {
            std::fs::File::open(p)?.take(cap).read_to_end(&mut buf)?;
        }
    }
    Ok(buf)
}

/// A transcript read and checked, with every warning raised on the way.
pub(crate) struct Loaded {
    pub transcript: Valid,
    pub warnings: Vec<Diagnostic>,
}

/// Standard input's modification time when it is a file (`< a.md`); a pipe has none
/// worth using (its time is the clock's).
#[cfg(unix)]
fn stdin_file_time() -> Option<std::time::SystemTime> {
    use std::os::fd::AsFd;
    let fd = std::io::stdin().as_fd().try_clone_to_owned().ok()?;
    let meta = std::fs::File::from(fd).metadata().ok()?;
    meta.is_file().then(|| meta.modified().ok()).flatten()
}

#[cfg(not(unix))]
fn stdin_file_time() -> Option<std::time::SystemTime> {
    None
}

/// A pipe's date: the time of conversion, said in a `date-guessed` warning.
#[allow(
    clippy::disallowed_methods,
    reason = "a pipe has no date but the clock's"
)]
fn pipe_time() -> std::time::SystemTime {
    std::time::SystemTime::now()
}

/// The write context with the date to use when `SOURCE_DATE_EPOCH` is not set: the
/// newest modification time of the inputs; standard input's when it is a file, else
/// (a pipe) the time of conversion, the one place the clock is read.
pub(crate) fn dated(cx: &verbatim::WriteContext, inputs: &[Input]) -> verbatim::WriteContext {
    let secs = |t: std::time::SystemTime| {
        t.duration_since(std::time::UNIX_EPOCH)
            .ok()
            .and_then(|d| i64::try_from(d.as_secs()).ok())
    };
    let newest = inputs
        .iter()
        .filter_map(|i| match i {
            Input::File(f) => std::fs::metadata(f)
                .and_then(|m| m.modified())
                .ok()
                .and_then(secs),
            Input::Stdin => secs(stdin_file_time().unwrap_or_else(pipe_time)),
        })
        .max();
    let mut out = cx.clone();
    out.dates = cx.dates.with_fallback(newest);
    out
}

/// A title for a transcript without one, as pandoc does: the file's name (without its
/// extension), else the first heading; with a warning saying which, or that there was
/// none to take.
fn untitled(t: &mut verbatim::model::Transcript, path: Option<&Path>) -> Diagnostic {
    let Some((title, from)) = guess_title(t, path) else {
        return Diagnostic::note(
            Code::TitleGuessed,
            format!(
                "no title, and no file name or heading to take one from: the outputs have none (EPUB and PDF say \"{}\"); -M title=… sets one",
                t.display_title()
            ),
        );
    };
    let note = Diagnostic::note(
        Code::TitleGuessed,
        format!("no title: \"{title}\", {from}, is used (-M title=… sets one)"),
    );
    t.metadata.title = Some(title);
    note
}

fn guess_title(
    t: &verbatim::model::Transcript,
    path: Option<&Path>,
) -> Option<(String, &'static str)> {
    let stem = path
        .and_then(Path::file_stem)
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.trim().is_empty());
    let (title, from) = match stem {
        Some(s) => (s, "the file's name"),
        None => {
            let heading = t.body.iter().find_map(|b| match b {
                verbatim::model::Block::Section(s) => {
                    Some(verbatim::model::plain_text(&s.heading).trim().to_string())
                }
                _ => None,
            })?;
            (heading, "the first heading")
        }
    };
    (!title.is_empty()).then_some((title, from))
}

/// Reads, tells the format of, parses and checks one input. Every diagnostic names the
/// input.
pub(crate) fn load(
    job: &Job,
    cx: &ReadContext,
    metadata: &[(String, String)],
) -> Result<Loaded, Diagnostic> {
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
    let mut t = parsed.value;
    for (k, v) in metadata {
        verbatim::metadata::set(&mut t.metadata, k, v).map_err(|m| {
            Diagnostic::error(Code::Option, None, format!("-M {k}: {m}")).in_file(&name)
        })?;
    }
    if t.metadata.title.is_none() {
        warnings.push(untitled(&mut t, path));
    }
    let transcript = Valid::new(t).map_err(|d| d.in_file(&name))?;
    for w in &mut warnings {
        w.file = Some(name.clone());
    }
    Ok(Loaded {
        transcript,
        warnings,
    })
}

/// One output of an input, made and not yet in place.
enum Made {
    /// In memory: for standard output and devices, written once every format is made.
    Held(Vec<u8>),
    /// In its temporary file, with its size and SHA-256.
    Streamed(output::Staged, u64, String),
}

fn convert_one(p: &Planned, s: &Settings<'_>) -> Record {
    let name = p.job.input.display();
    if let Some(why) = &p.refused {
        let e = Diagnostic::error(Code::Io, None, why.clone()).in_file(&name);
        return failed(name, e, Vec::new(), Vec::new());
    }
    if s.skip_existing && up_to_date(p) {
        return skipped(p, "outputs are up to date");
    }
    let loaded = match load(&p.job, &s.read, s.metadata) {
        Ok(l) => l,
        Err(e) => return failed(name, e, Vec::new(), Vec::new()),
    };
    let mut warnings = loaded.warnings;
    let dated = dated(s.write, std::slice::from_ref(&p.job.input));
    let needs_date = p
        .targets
        .iter()
        .any(|(f, _)| matches!(f.name(), "epub" | "pdf"));
    if needs_date
        && dated.dates.source_date_epoch.is_none()
        && matches!(p.job.input, Input::Stdin)
        && stdin_file_time().is_none()
    {
        // A pipe's date is the clock's, so two runs differ: say so.
        warnings.push(
            Diagnostic::note(
                Code::DateGuessed,
                "a pipe has no modification time: the EPUB and PDF are dated now; SOURCE_DATE_EPOCH sets the date and makes the bytes reproducible",
            )
            .in_file(&name),
        );
    }
    // Every output is written beside its place (streamed into a temporary file, or held
    // in memory for standard output and devices), then all are renamed into place: a
    // failure leaves none of this input's outputs.
    let mut made = Vec::with_capacity(p.targets.len());
    for (format, target) in &p.targets {
        let streamed_to = match target {
            Target::File(path) if !output::is_device(path) => Some(path),
            _ => None,
        };
        let written = match streamed_to {
            Some(path) => {
                let mut said = Vec::new();
                let streamed = output::stage_streamed(path, |out| {
                    said = verbatim::write(*format, &loaded.transcript, s.opts, &dated, out)?;
                    Ok(())
                });
                match streamed {
                    Ok((st, len, hash)) => Ok((Made::Streamed(st, len, hash), said)),
                    Err(output::Streamed::Write(e)) => Err(e),
                    Err(output::Streamed::Io(err)) => {
                        let e = Diagnostic::error(Code::Io, None, format!("cannot write: {err}"))
                            .in_file(target.display());
                        return failed(name, e, warnings, Vec::new());
                    }
                }
            }
            None => verbatim::write_to_vec(*format, &loaded.transcript, s.opts, &dated)
                .map(|(data, said)| (Made::Held(data), said)),
        };
        let (data, written_warnings) = match written {
            Ok(d) => d,
            Err(mut e) => {
                e.message = format!("writing {format}: {}", e.message);
                let e = e.in_file(&name);
                return failed(name, e, warnings, Vec::new());
            }
        };
        for mut w in written_warnings {
            w.message = format!("{format}: {}", w.message);
            warnings.push(w.in_file(&name));
        }
        made.push((*format, target, data));
    }
    // Every output in its temporary file (standard output written), with its size and
    // SHA-256 (standard output's only for the report).
    let mut staged = Vec::with_capacity(made.len());
    for (format, target, data) in made {
        let step = match (target, data) {
            (_, Made::Streamed(st, len, hash)) => Ok((Some(st), len, hash)),
            (Target::Stdout, Made::Held(data)) => crate::write_stdout(&data)
                .map(|()| {
                    let hash = if s.hash {
                        manifest::hex(&data)
                    } else {
                        String::new()
                    };
                    (None, data.len() as u64, hash)
                })
                .map_err(|crate::Usage(m)| m),
            (Target::File(path), Made::Held(data)) => output::stage(path, &data)
                .map(|st| (Some(st), data.len() as u64, manifest::hex(&data)))
                .map_err(|e| format!("cannot write: {e}")),
        };
        match step {
            Ok((st, bytes, sha256)) => staged.push((format, target, st, bytes, sha256)),
            Err(msg) => {
                let e = Diagnostic::error(Code::Io, None, msg).in_file(target.display());
                return failed(name, e, warnings, Vec::new());
            }
        }
    }
    let mut outputs = Vec::new();
    for (format, target, st, bytes, sha256) in staged {
        if let Some(st) = st
            && let Err(err) = st.commit()
        {
            let e = Diagnostic::error(Code::Io, None, format!("cannot write: {err}"))
                .in_file(target.display());
            return failed(name, e, warnings, outputs);
        }
        if let (Target::File(path), Input::File(src)) = (target, &p.job.input)
            && let Err(err) = s.manifests.record_written(path, src, bytes, sha256.clone())
        {
            let e = Diagnostic::error(
                Code::Io,
                None,
                format!("cannot record the output in {}: {err}", manifest::FILE_NAME),
            )
            .in_file(target.display());
            return failed(name, e, warnings, outputs);
        }
        outputs.push(OutputRecord {
            path: target.display(),
            format: format.name().to_string(),
            bytes,
            sha256: s.hash.then_some(sha256),
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

pub(crate) fn count(records: &[Record], status: Status) -> usize {
    records.iter().filter(|r| r.status == status).count()
}

/// The end of a batch: the counts, and every failed file with its error (also with
/// `-q`, which hides warnings, not failures).
fn summary(records: &[Record], elapsed: Duration, quiet: bool) {
    let secs = elapsed.as_secs_f64();
    let done = count(records, Status::Converted);
    let rate = if secs > 0.0 { done as f64 / secs } else { 0.0 };
    let warned = records.iter().filter(|r| !r.warnings.is_empty()).count();
    let warnings: usize = records.iter().map(|r| r.warnings.len()).sum();
    let not_started = count(records, Status::NotStarted);
    let mut head = format!("converted {done} of {} in {secs:.2} s", records.len());
    if done > 0 && secs >= 0.01 {
        head += &format!(" ({rate:.0} files/s)");
    }
    for (n, what) in [
        (count(records, Status::Failed), "failed"),
        (count(records, Status::Skipped), "skipped (unchanged)"),
        (not_started, "not started (--fail-fast)"),
    ] {
        if n > 0 {
            head += &format!(", {n} {what}");
        }
    }
    if warnings > 0 {
        head += &format!("; {warnings} warning(s) in {warned} file(s)");
    }
    let mut lines = vec![head];
    let failed: Vec<&Record> = records
        .iter()
        .filter(|r| r.status == Status::Failed)
        .collect();
    if !failed.is_empty() {
        lines.push("failed:".into());
        for r in failed {
            let why = r
                .error
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            lines.push(format!("  {why}"));
        }
    }
    if quiet && lines.len() == 1 {
        return;
    }
    crate::say(lines.join("\n"));
}

/// Writes the `--report` JSON atomically.
pub(crate) fn write_report(
    path: &Path,
    records: &[Record],
    shard: Option<crate::shard::Shard>,
) -> Result<(), String> {
    let report = Report {
        report_version: 2,
        shard: shard.map(|s| ShardRecord {
            index: s.index,
            count: s.count,
        }),
        converted: count(records, Status::Converted),
        failed: count(records, Status::Failed),
        skipped: count(records, Status::Skipped),
        not_started: count(records, Status::NotStarted),
        files: records,
    };
    let mut data = serde_json::to_vec_pretty(&report).map_err(|e| e.to_string())?;
    data.push(b'\n');
    output::write_atomic(path, &data)
        .map_err(|e| format!("{}: error: cannot write report: {e}", path.display()))
}
