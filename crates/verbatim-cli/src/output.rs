//! Where outputs go, and writing them without ever leaving a partial file.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use verbatim::OutputFormat;

use crate::Usage;
use crate::inputs::{Input, Job, is_safe_relative};
use crate::manifest::Manifests;

/// An output destination.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Target {
    Stdout,
    File(PathBuf),
}

impl Target {
    pub fn display(&self) -> String {
        match self {
            Target::Stdout => "<stdout>".into(),
            Target::File(p) => p.display().to_string(),
        }
    }
}

/// A job with every output it will write.
#[derive(Debug, Clone)]
pub(crate) struct Planned {
    pub job: Job,
    pub targets: Vec<(OutputFormat, Target)>,
    /// Why this input is not converted (an output would leave `-o` through a link);
    /// the rest of the batch goes on.
    pub refused: Option<String>,
}

/// How outputs may be placed.
pub(crate) struct Placing<'a> {
    pub formats: &'a [OutputFormat],
    /// `-t all`: an input is not written in its own format.
    pub all: bool,
    pub output: Option<&'a Path>,
    pub directory_input: bool,
    /// Rewrite outputs an earlier run wrote from the same input.
    pub force: bool,
    /// Outputs of an earlier run that are older than their input may be rewritten.
    pub skip_existing: bool,
}

/// Decides every output path before anything is read or written, so that a
/// collision or an impossible request fails with nothing written. Paths are compared
/// as the file system sees them (symbolic links and `..` resolved). An output is
/// refused when it is an input of this run, lies outside `-o`, is a pipe, socket or
/// block device, or exists without being an unchanged earlier output of the same
/// input (and those need `--force`).
pub(crate) fn plan(
    jobs: Vec<Job>,
    p: &Placing<'_>,
    manifests: &Manifests,
) -> Result<Vec<Planned>, Usage> {
    let (formats, output) = (p.formats, p.output);
    let many = jobs.len() > 1 || formats.len() > 1 || p.directory_input;
    let to_stdout = output.is_some_and(|o| o.as_os_str() == "-")
        || (output.is_none() && jobs.iter().any(|j| matches!(j.input, Input::Stdin)));
    if to_stdout && many {
        let stdin_only = output.is_none();
        return Err(Usage(if stdin_only {
            "standard input has no folder to write beside: name an output directory with -o, or one format with -t to write standard output"
        } else {
            "standard output takes one input in one format; name an output directory with -o"
        }
        .into()));
    }
    if let Some(o) = output
        && many
        && !o.is_dir()
        && let Some(f) = crate::args::output_format_of(o)
    {
        // A name like `all.pdf` is a file; made a folder it would surprise.
        let what = if jobs.len() > 1 {
            format!("{} inputs", jobs.len())
        } else {
            format!("{} formats", formats.len())
        };
        return Err(Usage(format!(
            "-o {} names one .{} file, but there are {what}: name a folder (-o out/), or make one book of several transcripts with `verbatim book`",
            o.display(),
            f.extension()
        )));
    }
    let dir = match output {
        Some(o) if o.as_os_str() != "-" => {
            let is_dir = many
                || o.is_dir()
                || o.as_os_str()
                    .to_string_lossy()
                    .ends_with(std::path::MAIN_SEPARATOR);
            is_dir.then(|| o.to_path_buf())
        }
        _ => None,
    };
    let real_dir = dir.as_deref().map(real);
    let inputs: BTreeSet<PathBuf> = jobs
        .iter()
        .filter_map(|j| match &j.input {
            Input::File(f) => Some(real(f)),
            Input::Stdin => None,
        })
        .collect();
    let mut seen: BTreeMap<PathBuf, String> = BTreeMap::new();
    let mut earlier: Vec<PathBuf> = Vec::new();
    let mut out = Vec::with_capacity(jobs.len());
    for job in jobs {
        let mut targets = Vec::new();
        let mut refused = None;
        let own = own_format(&job);
        for &f in formats {
            if p.all && own == Some(f.name()) {
                continue;
            }
            let target = if to_stdout {
                Target::Stdout
            } else if let Some(dir) = &dir {
                if !is_safe_relative(&job.rel) {
                    return Err(Usage(format!(
                        "{}: output path would leave {}",
                        job.input.display(),
                        dir.display()
                    )));
                }
                Target::File(with_extension(&dir.join(&job.rel), f))
            } else if let Some(file) = output {
                Target::File(file.to_path_buf())
            } else {
                let Input::File(path) = &job.input else {
                    return Err(Usage("standard input needs -o".into()));
                };
                let parent = path.parent().unwrap_or(Path::new(""));
                Target::File(with_extension(
                    &parent.join(job.rel.file_name().unwrap_or_default()),
                    f,
                ))
            };
            if let Target::File(t) = &target {
                let abs = real(t);
                let name = job.input.display();
                if inputs.contains(&abs) {
                    return Err(Usage(format!(
                        "{name}: the output {} is an input of this run: not overwritten",
                        t.display()
                    )));
                }
                if let Some(d) = &real_dir
                    && !abs.starts_with(d)
                {
                    refused = Some(format!(
                        "{}: outside {} once its symbolic links are followed: not written",
                        t.display(),
                        dir.as_deref().unwrap_or(Path::new("")).display()
                    ));
                    targets.clear();
                    break;
                }
                if let Some(other) = seen.insert(abs, name.clone()) {
                    return Err(Usage(format!(
                        "{other} and {name} would both write {}",
                        t.display()
                    )));
                }
                if let Some(why) = unwritable(t) {
                    return Err(Usage(format!("{}: {why}: not written", t.display())));
                }
                if std::fs::symlink_metadata(t).is_ok() && !is_char_device(t) {
                    let ours = match &job.input {
                        Input::File(src) => manifests.unchanged_output_of(t, src),
                        Input::Stdin => false,
                    };
                    if !ours {
                        return Err(Usage(format!(
                            "{} exists and is not an unchanged output verbatim wrote from {name}: not overwritten (move it away)",
                            t.display()
                        )));
                    }
                    if !p.force && !p.skip_existing {
                        earlier.push(t.clone());
                    }
                }
            }
            targets.push((f, target));
        }
        out.push(Planned {
            job,
            targets,
            refused,
        });
    }
    if let Some(first) = earlier.first() {
        return Err(Usage(format!(
            "{} output(s) of an earlier run exist ({}{}): --force rewrites them, --skip-existing converts only inputs changed since",
            earlier.len(),
            first.display(),
            if earlier.len() > 1 { ", …" } else { "" }
        )));
    }
    Ok(out)
}

/// The name of the format an input is in, as far as its `-f` or extension tells.
fn own_format(job: &Job) -> Option<&'static str> {
    if let Some(f) = job.format {
        return Some(f.name());
    }
    match &job.input {
        Input::File(p) => OutputFormat::from_path(p).map(OutputFormat::name).or(
            match verbatim::InputFormat::for_path(p) {
                verbatim::ByExtension::Format(f) => Some(f.name()),
                _ => None,
            },
        ),
        Input::Stdin => None,
    }
}

/// Why an existing path cannot take an output, if it cannot: a directory, a pipe (which
/// would hang the run until read), a socket or a block device. Character devices such
/// as `/dev/null` are written as they are.
fn unwritable(path: &Path) -> Option<&'static str> {
    let meta = std::fs::metadata(path).ok()?;
    let t = meta.file_type();
    if t.is_dir() {
        return Some("is a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("is a named pipe");
        }
        if t.is_socket() {
            return Some("is a socket");
        }
        if t.is_block_device() {
            return Some("is a block device");
        }
    }
    None
}

/// A terminal, `/dev/null` or `/dev/full`: written in place, never replaced, never
/// anyone's transcript.
fn is_char_device(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        std::fs::metadata(path).is_ok_and(|m| m.file_type().is_char_device())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// The path as the file system resolves it: absolute, with `..` and the symbolic links
/// of its existing part resolved; the part that does not exist yet is appended as
/// written (without `.` and `..`).
pub(crate) fn real(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    let mut base = abs.as_path();
    loop {
        if let Ok(p) = base.canonicalize() {
            let mut out = p;
            for part in rest.iter().rev() {
                match part.to_str() {
                    Some(".") => {}
                    Some("..") => {
                        out.pop();
                    }
                    _ => out.push(part),
                }
            }
            return out;
        }
        match (base.parent(), base.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                base = parent;
            }
            _ => return abs,
        }
    }
}

/// Whether a report may go to `path`: not an input or output of the run, and, when the
/// file exists, an earlier report.
pub(crate) fn check_report(path: &Path, planned: &[Planned]) -> Result<(), Usage> {
    let abs = real(path);
    for p in planned {
        if let Input::File(f) = &p.job.input
            && real(f) == abs
        {
            return Err(Usage(format!(
                "--report {}: that is an input of this run",
                path.display()
            )));
        }
        for (_, t) in &p.targets {
            if let Target::File(t) = t
                && real(t) == abs
            {
                return Err(Usage(format!(
                    "--report {}: an output of this run goes there",
                    path.display()
                )));
            }
        }
    }
    if let Some(why) = unwritable(path) {
        return Err(Usage(format!("--report {}: {why}", path.display())));
    }
    if std::fs::symlink_metadata(path).is_ok() {
        let earlier = std::fs::read(path).is_ok_and(|d| {
            serde_json::from_slice::<serde_json::Value>(&d)
                .is_ok_and(|v| v.get("report_version").is_some())
        });
        if !earlier {
            return Err(Usage(format!(
                "--report {} exists and is not an earlier report: not overwritten",
                path.display()
            )));
        }
    }
    Ok(())
}

fn with_extension(base: &Path, f: OutputFormat) -> PathBuf {
    let mut name = base.as_os_str().to_owned();
    name.push(".");
    name.push(f.extension());
    PathBuf::from(name)
}

/// Temporary files being written, so that an interrupt can remove them.
/// Creating, renaming and removing them all happen under this lock, so after
/// the interrupt handler has run no temporary file is left and none is started.
static IN_PROGRESS: Mutex<InProgress> = Mutex::new(InProgress {
    stopping: false,
    paths: BTreeSet::new(),
});

struct InProgress {
    stopping: bool,
    paths: BTreeSet<PathBuf>,
}

fn in_progress() -> std::sync::MutexGuard<'static, InProgress> {
    IN_PROGRESS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Removes every temporary file being written and exits with `code`: what is left on
/// disk is complete.
pub(crate) fn abandon(code: i32) -> ! {
    let mut state = in_progress();
    state.stopping = true;
    for p in std::mem::take(&mut state.paths) {
        let _ = std::fs::remove_file(p);
    }
    // Exit while holding the lock, so no worker starts or finishes a file.
    std::process::exit(code);
}

/// On Ctrl-C, SIGTERM or SIGHUP: remove every temporary file and exit with 130,
/// leaving only complete outputs behind.
pub(crate) fn remove_temporaries_on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        crate::say("verbatim: interrupted; incomplete outputs removed");
        abandon(130);
    });
}

/// An output written to a temporary file beside its path, not yet in place (`None`: a
/// device such as `/dev/null`, written as it is).
pub(crate) struct Staged(Option<(tempfile::NamedTempFile, PathBuf)>);

impl Staged {
    /// Renames the output into place.
    pub fn commit(mut self) -> std::io::Result<()> {
        let Some((tmp, path)) = self.0.take() else {
            return Ok(());
        };
        let mut state = in_progress();
        let tmp_path = tmp.path().to_path_buf();
        let result = tmp.persist(&path).map(|_| ()).map_err(|e| e.error);
        state.paths.remove(&tmp_path);
        result
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        // An uncommitted temporary file removes itself; forget it here too.
        if let Some((tmp, _)) = &self.0 {
            in_progress().paths.remove(tmp.path());
        }
    }
}

/// Whether `path` is a device such as `/dev/null`: written as it is, since renaming
/// over it would replace it.
pub(crate) fn is_device(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|meta| !meta.is_file() && !meta.is_dir())
}

/// Writes data to a temporary file beside `path` (removing what a killed earlier run
/// left there for the same output); [`Staged::commit`] puts it in place.
pub(crate) fn stage(path: &Path, data: &[u8]) -> std::io::Result<Staged> {
    if is_device(path) {
        std::fs::OpenOptions::new()
            .write(true)
            .open(path)?
            .write_all(data)?;
        return Ok(Staged(None));
    }
    let staged = begin(path)?;
    if let Some((tmp, _)) = &staged.0 {
        fill(tmp, data)?;
    }
    Ok(staged)
}

/// Streams an output into a temporary file beside `path` (not a device: see
/// [`is_device`]) as `write` makes it, so the output is never whole in memory. Gives
/// the staged file, its size and its SHA-256; a failure of `write` or of the disk
/// leaves no temporary file.
pub(crate) fn stage_streamed<E>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(Staged, u64, String), Streamed<E>> {
    let staged = begin(path).map_err(Streamed::Io)?;
    let Some((tmp, _)) = &staged.0 else {
        return Err(Streamed::Io(std::io::Error::other("no temporary file")));
    };
    let (len, hash) = {
        let mut sink = Hashing {
            inner: std::io::BufWriter::with_capacity(1 << 16, tmp.as_file()),
            hasher: sha2::Sha256::default(),
            len: 0,
        };
        write(&mut sink).map_err(Streamed::Write)?;
        sink.inner.flush().map_err(Streamed::Io)?;
        (sink.len, sha2::Digest::finalize(sink.hasher))
    };
    shareable(tmp.as_file()).map_err(Streamed::Io)?;
    Ok((staged, len, crate::manifest::hex_digest(&hash)))
}

/// Why [`stage_streamed`] failed: the writer, or the file system.
pub(crate) enum Streamed<E> {
    Write(E),
    Io(std::io::Error),
}

/// Counts and hashes what goes through it.
struct Hashing<W> {
    inner: W,
    hasher: sha2::Sha256,
    len: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        sha2::Digest::update(&mut self.hasher, &buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A temporary file beside `path`, registered so an interrupt removes it.
fn begin(path: &Path) -> std::io::Result<Staged> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let prefix = format!(".{name}.");
    let mut state = in_progress();
    if state.stopping {
        return Err(std::io::Error::new(
            std::io::ErrorKind::Interrupted,
            "interrupted",
        ));
    }
    remove_stale(dir, &prefix, &state.paths);
    let tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(dir)?;
    state.paths.insert(tmp.path().to_path_buf());
    drop(state);
    Ok(Staged(Some((tmp, path.to_path_buf()))))
}

/// Temporary files of an output (`.NAME.XXXXXX.tmp`) that no one in this process writes:
/// left by a run that was killed.
fn remove_stale(dir: &Path, prefix: &str, ours: &BTreeSet<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let random = name
            .strip_prefix(prefix)
            .and_then(|r| r.strip_suffix(".tmp"));
        if random.is_some_and(|r| r.len() == 6 && r.chars().all(char::is_alphanumeric))
            && !ours.contains(&e.path())
            && e.file_type().is_ok_and(|t| t.is_file())
        {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Writes a file atomically: readers see the old file or the whole new one.
pub(crate) fn write_atomic(path: &Path, data: &[u8]) -> std::io::Result<()> {
    stage(path, data)?.commit()
}

fn fill(tmp: &tempfile::NamedTempFile, data: &[u8]) -> std::io::Result<()> {
    let mut f = tmp.as_file();
    // No fsync: a killed process loses nothing the kernel has; power loss is
    // the file system's business, and an fsync per file would cost batches dearly.
    f.write_all(data)?;
    shareable(f)
}

fn shareable(f: &std::fs::File) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // tempfile creates 0600; outputs are ordinary shareable files.
        f.set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    #[cfg(not(unix))]
    let _ = f;
    Ok(())
}
