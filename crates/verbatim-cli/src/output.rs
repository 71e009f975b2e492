//! Where outputs go, and writing them without ever leaving a partial file.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use verbatim::OutputFormat;

use crate::Usage;
use crate::inputs::{Input, Job, is_safe_relative};

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
}

/// Decides every output path before anything is read or written, so that a
/// collision or an impossible request fails with nothing written.
pub(crate) fn plan(
    jobs: Vec<Job>,
    formats: &[OutputFormat],
    output: Option<&Path>,
    directory_input: bool,
) -> Result<Vec<Planned>, Usage> {
    let many = jobs.len() > 1 || formats.len() > 1 || directory_input;
    let to_stdout = output.is_some_and(|o| o.as_os_str() == "-")
        || (output.is_none() && jobs.iter().any(|j| matches!(j.input, Input::Stdin)));
    if to_stdout && many {
        return Err(Usage(
            "standard output takes one input in one format; name an output directory with -o"
                .into(),
        ));
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
    let mut seen: BTreeMap<PathBuf, String> = BTreeMap::new();
    let mut out = Vec::with_capacity(jobs.len());
    for job in jobs {
        let mut targets = Vec::new();
        for &f in formats {
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
            if let (Target::File(t), Input::File(src)) = (&target, &job.input)
                && same_file(t, src)
            {
                return Err(Usage(format!(
                    "{}: the output would overwrite its input",
                    src.display()
                )));
            }
            if let Target::File(t) = &target
                && let Some(other) = seen.insert(t.clone(), job.input.display())
            {
                return Err(Usage(format!(
                    "{} and {} would both write {}",
                    other,
                    job.input.display(),
                    t.display()
                )));
            }
            targets.push((f, target));
        }
        out.push(Planned { job, targets });
    }
    Ok(out)
}

fn with_extension(base: &Path, f: OutputFormat) -> PathBuf {
    let mut name = base.as_os_str().to_owned();
    name.push(".");
    name.push(f.extension());
    PathBuf::from(name)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Writes data to a target: a file is written to a temporary file beside it and
/// renamed into place, so readers see the old file or the whole new one.
pub(crate) fn deliver(target: &Target, data: &[u8]) -> Result<(), String> {
    match target {
        Target::Stdout => crate::write_stdout(data).map_err(|crate::Usage(m)| m),
        Target::File(path) => write_atomic(path, data).map_err(|e| format!("cannot write: {e}")),
    }
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

/// On Ctrl-C, SIGTERM or SIGHUP: remove every temporary file and exit with 130,
/// leaving only complete outputs behind.
pub(crate) fn remove_temporaries_on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        let mut state = in_progress();
        state.stopping = true;
        for p in std::mem::take(&mut state.paths) {
            let _ = std::fs::remove_file(p);
        }
        eprintln!("verbatim: interrupted; incomplete outputs removed");
        // Exit while holding the lock, so no worker starts or finishes a file.
        std::process::exit(130);
    });
}

pub(crate) fn write_atomic(path: &Path, data: &[u8]) -> std::io::Result<()> {
    // A device or pipe (`-o /dev/stdout`) is written as it is: renaming over it would replace it.
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
        && !meta.is_dir()
    {
        return std::fs::OpenOptions::new()
            .write(true)
            .open(path)?
            .write_all(data);
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let tmp = {
        let mut state = in_progress();
        if state.stopping {
            return Err(std::io::Error::new(
                std::io::ErrorKind::Interrupted,
                "interrupted",
            ));
        }
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(dir)?;
        state.paths.insert(tmp.path().to_path_buf());
        tmp
    };
    let result = fill(&tmp, data);
    let mut state = in_progress();
    state.paths.remove(tmp.path());
    result?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn fill(tmp: &tempfile::NamedTempFile, data: &[u8]) -> std::io::Result<()> {
    let mut f = tmp.as_file();
    // No fsync: a killed process loses nothing the kernel has; power loss is
    // the file system's business, and an fsync per file would cost batches dearly.
    f.write_all(data)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // tempfile creates 0600; outputs are ordinary shareable files.
        f.set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    Ok(())
}
