//! What verbatim wrote where. Each directory it writes an output to gets a
//! `.verbatim-outputs` file: one JSON line per output written, naming the output, the
//! input it was made from (relative to the directory) and the SHA-256 and size of what
//! was written. A later run reads it to tell its own earlier outputs, which `--force`
//! may rewrite, from files it must never touch, and never takes them as inputs.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub(crate) const FILE_NAME: &str = ".verbatim-outputs";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The output's file name.
    pub output: String,
    /// The input, relative to the manifest's directory.
    pub input: String,
    pub bytes: u64,
    pub sha256: String,
}

/// The manifests of the directories a run looks at, read once each.
pub(crate) struct Manifests {
    cache: Mutex<BTreeMap<PathBuf, BTreeMap<String, Entry>>>,
    /// The file this run appends to: `.verbatim-outputs`, or a shard's own.
    own: String,
}

impl Default for Manifests {
    fn default() -> Self {
        Manifests {
            cache: Mutex::default(),
            own: FILE_NAME.to_string(),
        }
    }
}

impl Manifests {
    /// Manifests that this run appends to under `own` (a shard's file), reading all.
    pub fn appending_to(own: String) -> Self {
        Manifests {
            cache: Mutex::default(),
            own,
        }
    }

    fn with_dir<T>(&self, dir: &Path, f: impl FnOnce(&mut BTreeMap<String, Entry>) -> T) -> T {
        let mut cache = self
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let entries = cache
            .entry(dir.to_path_buf())
            .or_insert_with(|| read_dir(dir));
        f(entries)
    }

    /// What the manifest beside `path` says was written there, if anything.
    pub fn entry(&self, path: &Path) -> Option<Entry> {
        let (dir, name) = split(path)?;
        self.with_dir(&dir, |m| m.get(&name).cloned())
    }

    /// Whether `path` is an output an earlier run wrote and nobody changed since (its size
    /// is the one written; the content is compared only where it matters, in
    /// [`Manifests::unchanged_output_of`]).
    pub fn is_output(&self, path: &Path) -> bool {
        self.entry(path).is_some_and(|e| {
            std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == e.bytes)
        })
    }

    /// Whether `path` holds exactly what an earlier run wrote there from `input`.
    pub fn unchanged_output_of(&self, path: &Path, input: &Path) -> bool {
        let Some(e) = self.entry(path) else {
            return false;
        };
        let Some((dir, _)) = split(path) else {
            return false;
        };
        if e.input != relative(&dir, input).to_string_lossy() {
            return false;
        }
        // Another size says enough; else hashed as it is read, since an output can be
        // as large as a book.
        if std::fs::metadata(path).map_or(true, |m| m.len() != e.bytes) {
            return false;
        }
        let hashed = std::fs::File::open(path).and_then(|mut f| {
            let mut hasher = Sha256::default();
            let len = std::io::copy(&mut f, &mut hasher)?;
            Ok((len, hex_digest(&hasher.finalize())))
        });
        hashed.is_ok_and(|(len, hash)| len == e.bytes && hash == e.sha256)
    }

    /// Records an output just written from `input`.
    pub fn record(&self, path: &Path, input: &Path, data: &[u8]) -> std::io::Result<()> {
        self.record_written(path, input, data.len() as u64, hex(data))
    }

    /// Records an output of `bytes` bytes with SHA-256 `sha256` just written from `input`.
    pub fn record_written(
        &self,
        path: &Path,
        input: &Path,
        bytes: u64,
        sha256: String,
    ) -> std::io::Result<()> {
        let Some((dir, name)) = split(path) else {
            return Ok(());
        };
        let entry = Entry {
            output: name.clone(),
            input: relative(&dir, input).to_string_lossy().into_owned(),
            bytes,
            sha256,
        };
        let mut line = serde_json::to_string(&entry).map_err(std::io::Error::other)?;
        line.push('\n');
        self.with_dir(&dir, |m| {
            // Appends are one write each, so a killed run leaves whole lines.
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(dir.join(&self.own))?
                .write_all(line.as_bytes())?;
            m.insert(name, entry);
            Ok(())
        })
    }
}

/// The directory's manifest and the shards' (`.verbatim-outputs.shard-K-of-N`), in
/// name order.
fn read_dir(dir: &Path) -> BTreeMap<String, Entry> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n == FILE_NAME
                || n.strip_prefix(FILE_NAME)
                    .is_some_and(|rest| rest.starts_with(".shard-"))
        })
        .collect();
    names.sort();
    let mut out = BTreeMap::new();
    for n in names {
        out.extend(read(&dir.join(n)));
    }
    out
}

fn read(path: &Path) -> BTreeMap<String, Entry> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return BTreeMap::new();
    };
    // The last line for an output is the latest; lines that do not read are ignored.
    text.lines()
        .filter_map(|l| serde_json::from_str::<Entry>(l).ok())
        .map(|e| (e.output.clone(), e))
        .collect()
}

/// The directory (as the file system names it) and file name of a path.
fn split(path: &Path) -> Option<(PathBuf, String)> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Some((crate::output::real(&dir), name))
}

/// `to` relative to the directory `from`, both absolute and canonical.
fn relative(from: &Path, to: &Path) -> PathBuf {
    let to = crate::output::real(to);
    let from: Vec<Component> = from.components().collect();
    let target: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for c in &target[common..] {
        out.push(c.as_os_str());
    }
    out
}

pub(crate) fn hex(data: &[u8]) -> String {
    hex_digest(&Sha256::digest(data))
}

pub(crate) fn hex_digest(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_recorded_relative_to_the_outputs() {
        assert_eq!(
            relative(Path::new("/a/out/x"), Path::new("/a/in/y.md")),
            PathBuf::from("../../in/y.md")
        );
        assert_eq!(
            relative(Path::new("/a"), Path::new("/a/y.md")),
            PathBuf::from("y.md")
        );
    }

    #[test]
    fn outputs_are_known_by_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("a.md");
        std::fs::write(&input, "x").unwrap();
        let out = dir.path().join("a.txt");
        std::fs::write(&out, "written").unwrap();
        let m = Manifests::default();
        assert!(!m.is_output(&out));
        m.record(&out, &input, b"written").unwrap();
        // A new run reads the file.
        let m = Manifests::default();
        assert!(m.is_output(&out));
        assert!(m.unchanged_output_of(&out, &input));
        assert!(!m.unchanged_output_of(&out, &dir.path().join("b.md")));
        std::fs::write(&out, "edited!").unwrap();
        assert!(!Manifests::default().unchanged_output_of(&out, &input));
    }
}
