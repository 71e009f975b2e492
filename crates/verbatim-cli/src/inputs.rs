//! Turning command-line inputs (files, directories, `-`) into a list of jobs.

use std::path::{Component, Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use verbatim::InputFormat;

use crate::Usage;
use crate::manifest::Manifests;

/// One input as named on the command line or found in a directory.
#[derive(Debug, Clone)]
pub(crate) enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    pub fn display(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".into(),
            Input::File(p) => p.display().to_string(),
        }
    }
}

/// A file to convert, with where its outputs go relative to an output directory.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub input: Input,
    /// The format named with `-f`; otherwise it is told when the input is read
    /// (by extension, then by content).
    pub format: Option<InputFormat>,
    /// Output path relative to the output directory, without extension:
    /// the file's stem, under the sub-directories it had below an input directory.
    pub rel: PathBuf,
}

/// How to find inputs.
pub(crate) struct Selection<'a> {
    pub from: Option<&'a str>,
    pub globs: &'a [String],
    pub follow_links: bool,
    /// Earlier runs' outputs, which a directory search passes over.
    pub manifests: &'a Manifests,
    /// A directory whose files are never inputs (the output directory, as the file
    /// system resolves it).
    pub exclude: Option<PathBuf>,
}

pub(crate) fn collect(
    raw_inputs: &[PathBuf],
    sel: &Selection<'_>,
) -> Result<(Vec<Job>, Vec<String>), Usage> {
    let forced = match sel.from {
        Some(name) => Some(InputFormat::parse(name).ok_or_else(|| {
            Usage(format!(
                "unknown input format \"{name}\" (known: {})",
                InputFormat::all()
                    .map(|f| f.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?),
        None => None,
    };
    let globs = glob_set(sel.globs)?;
    let mut jobs = Vec::new();
    let mut notes = Vec::new();
    for raw in raw_inputs {
        if raw.as_os_str() == "-" {
            jobs.push(Job {
                input: Input::Stdin,
                format: forced,
                rel: PathBuf::from("stdin"),
            });
        } else if raw.is_dir() {
            walk(raw, forced, globs.as_ref(), sel, &mut jobs, &mut notes)?;
        } else {
            // A file named on the command line is read whatever its extension: an
            // unknown one is told by its content.
            jobs.push(Job {
                input: Input::File(raw.clone()),
                format: forced,
                rel: PathBuf::from(stem(raw)),
            });
        }
    }
    Ok((jobs, notes))
}

fn glob_set(patterns: &[String]) -> Result<Option<GlobSet>, Usage> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        b.add(Glob::new(p).map_err(|e| Usage(format!("bad --glob pattern: {e}")))?);
    }
    b.build()
        .map(Some)
        .map_err(|e| Usage(format!("bad --glob pattern: {e}")))
}

fn stem(p: &Path) -> String {
    p.file_stem()
        .map_or_else(|| "output".into(), |s| s.to_string_lossy().into_owned())
}

/// Walks a directory in a stable (sorted) order for files of known formats.
/// Symbolic links are followed only with `follow_links`; without it a link to a
/// file inside the tree is read, and anything else linked is skipped with a note.
/// Earlier outputs (those a `.verbatim-outputs` file records), files in the output
/// directory and special files (pipes, sockets, devices) are passed over, the last with a
/// note.
fn walk(
    root: &Path,
    forced: Option<InputFormat>,
    globs: Option<&GlobSet>,
    sel: &Selection<'_>,
    jobs: &mut Vec<Job>,
    notes: &mut Vec<String>,
) -> Result<(), Usage> {
    let follow_links = sel.follow_links;
    let canonical_root = root
        .canonicalize()
        .map_err(|e| Usage(format!("{}: {e}", root.display())))?;
    let walker = walkdir::WalkDir::new(root)
        .follow_links(follow_links)
        .sort_by_file_name();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                notes.push(format!(
                    "{}: warning: skipped: {e}",
                    e.path().unwrap_or(root).display()
                ));
                continue;
            }
        };
        let path = entry.path();
        if entry.file_type().is_dir() {
            continue;
        }
        if let Some(out) = &sel.exclude
            && crate::output::real(path).starts_with(out)
        {
            continue;
        }
        if entry.path_is_symlink() && !follow_links {
            match path.canonicalize() {
                Ok(target) if target.starts_with(&canonical_root) && target.is_file() => {}
                _ => {
                    notes.push(format!(
                        "{}: warning: symbolic link not followed (use --follow-links)",
                        path.display()
                    ));
                    continue;
                }
            }
        }
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        if let Some(g) = globs
            && !g.is_match(rel)
        {
            continue;
        }
        // In a directory only files a reader takes by extension are inputs (all files
        // that match a --glob when -f names the format).
        let known = InputFormat::known_extension(path);
        let format = match forced {
            Some(f) if globs.is_some() || known => Some(f),
            None if known => None,
            _ => continue,
        };
        // A pipe would hang the run until someone writes to it.
        if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
            notes.push(format!(
                "{}: warning: skipped: not a regular file",
                path.display()
            ));
            continue;
        }
        if sel.manifests.is_output(path) {
            continue;
        }
        let rel = rel.with_file_name(stem(path));
        if !is_safe_relative(&rel) {
            notes.push(format!("{}: warning: skipped: unsafe path", path.display()));
            continue;
        }
        jobs.push(Job {
            input: Input::File(path.to_path_buf()),
            format,
            rel,
        });
    }
    Ok(())
}

/// A relative path that cannot leave the directory it is joined to.
pub(crate) fn is_safe_relative(p: &Path) -> bool {
    !p.as_os_str().is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_never_escape() {
        assert!(is_safe_relative(Path::new("a/b")));
        assert!(!is_safe_relative(Path::new("../a")));
        assert!(!is_safe_relative(Path::new("/etc/passwd")));
        assert!(!is_safe_relative(Path::new("a/../../b")));
        assert!(!is_safe_relative(Path::new("")));
    }
}
