//! Where outputs go, and writing them without ever leaving a partial file.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use verbatim::{InputFormat, OutputFormat};

use crate::{Input, Usage};

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

type Plan = Vec<(Input, InputFormat, Vec<(OutputFormat, Target)>)>;

/// Decides every output path before anything is read or written, so that a
/// collision or an impossible request fails with nothing written.
pub(crate) fn plan(
    inputs: &[(Input, InputFormat)],
    formats: &[OutputFormat],
    output: Option<&Path>,
) -> Result<Plan, Usage> {
    let many = inputs.len() > 1 || formats.len() > 1;
    let to_stdout = output.is_some_and(|o| o.as_os_str() == "-")
        || (output.is_none() && inputs.iter().any(|(i, _)| matches!(i, Input::Stdin)));
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
    let mut out = Vec::new();
    for (input, format) in inputs {
        let mut targets = Vec::new();
        for &f in formats {
            let target = if to_stdout {
                Target::Stdout
            } else if let Some(dir) = &dir {
                Target::File(dir.join(output_name(input, f)))
            } else if let Some(file) = output {
                Target::File(file.to_path_buf())
            } else {
                let Input::File(path) = input else {
                    return Err(Usage("standard input needs -o".into()));
                };
                let parent = path.parent().unwrap_or(Path::new(""));
                Target::File(parent.join(output_name(input, f)))
            };
            if let (Target::File(t), Input::File(src)) = (&target, input)
                && same_file(t, src)
            {
                return Err(Usage(format!(
                    "{}: the output would overwrite its input",
                    src.display()
                )));
            }
            if let Target::File(t) = &target
                && let Some(other) = seen.insert(t.clone(), input.display())
            {
                return Err(Usage(format!(
                    "{} and {} would both write {}",
                    other,
                    input.display(),
                    t.display()
                )));
            }
            targets.push((f, target));
        }
        out.push((input.clone(), *format, targets));
    }
    Ok(out)
}

fn output_name(input: &Input, f: OutputFormat) -> String {
    let stem = match input {
        Input::Stdin => "stdin".to_string(),
        Input::File(p) => p
            .file_stem()
            .map_or_else(|| "output".into(), |s| s.to_string_lossy().into_owned()),
    };
    format!("{stem}.{}", f.extension())
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
        Target::Stdout => {
            crate::write_stdout(data).map_err(|crate::Usage(m)| format!("error: {m}"))
        }
        Target::File(path) => write_atomic(path, data)
            .map_err(|e| format!("{}: error: cannot write: {e}", path.display())),
    }
}

pub(crate) fn write_atomic(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(data)?;
    tmp.as_file().sync_all()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // tempfile creates 0600; outputs are ordinary shareable files.
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
