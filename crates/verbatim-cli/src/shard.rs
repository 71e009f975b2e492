//! `--shard K/N`: one machine's share of a collection, and `merge-reports`, which joins
//! the shares' reports into one.
//!
//! An input belongs to shard `hash(rel) mod N`, where `rel` is its output path below the
//! output directory (its path below the named input folder, without extension) and the
//! hash is the first 8 bytes of its SHA-256. The split does not depend on the machine,
//! the order of listing, or where the collection is mounted; and inputs that would write
//! the same output (`a.md`, `a.json`) fall in the same shard, so the check that refuses
//! them still sees both.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// Shard `index` (from 0) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shard {
    pub index: u32,
    pub count: u32,
}

/// Parses `K/N` with 0 ≤ K < N.
pub(crate) fn parse(s: &str) -> Result<Shard, String> {
    let (k, n) = s
        .split_once('/')
        .ok_or_else(|| format!("\"{s}\" is not K/N (such as 0/4: the first of four shards)"))?;
    let index: u32 = k
        .trim()
        .parse()
        .map_err(|_| format!("\"{k}\" is not a shard number"))?;
    let count: u32 = n
        .trim()
        .parse()
        .map_err(|_| format!("\"{n}\" is not a number of shards"))?;
    if count == 0 || index >= count {
        return Err(format!(
            "shard {index} of {count}: K counts from 0 and must be less than N (0/{count} to {}/{count})",
            count.saturating_sub(1)
        ));
    }
    Ok(Shard { index, count })
}

impl Shard {
    /// Whether the input whose outputs go to `rel` is this shard's.
    pub fn owns(self, rel: &Path) -> bool {
        of(rel, self.count) == self.index
    }

    /// The name of this shard's manifest beside the shared one, so that machines never
    /// append to the same file.
    pub fn manifest_name(self) -> String {
        format!(
            "{}.shard-{}-of-{}",
            crate::manifest::FILE_NAME,
            self.index,
            self.count
        )
    }
}

/// The shard of `rel` among `count`.
pub(crate) fn of(rel: &Path, count: u32) -> u32 {
    // Separators as `/` on every system, so that Windows and Unix machines agree.
    let key: String = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    let digest = Sha256::digest(key.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    (u64::from_be_bytes(first) % u64::from(count)) as u32
}

/// Joins `--report` files into one: the counts summed, the files listed by input. When
/// the reports are shards, every shard of the split must be there exactly once.
pub(crate) fn merge_reports(paths: &[PathBuf]) -> Result<Value, String> {
    let mut files: Vec<Value> = Vec::new();
    let mut sums = [0u64; 4];
    const COUNTS: [&str; 4] = ["converted", "failed", "skipped", "not_started"];
    let mut shards: Vec<(u64, u64, &Path)> = Vec::new();
    let mut plain = 0;
    let mut version = None;
    for path in paths {
        let shown = path.display();
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("{shown}: cannot read: {e}"))?;
        let report: Value = serde_json::from_str(&text)
            .map_err(|e| format!("{shown}:{}:{}: not a report: {e}", e.line(), e.column()))?;
        let v = report.get("report_version").and_then(Value::as_u64);
        if v.is_none() || version.is_some_and(|w| Some(w) != v) {
            return Err(format!(
                "{shown}: report_version {} (the others: {})",
                v.map_or("missing".into(), |v| v.to_string()),
                version.map_or("none".into(), |w: u64| w.to_string())
            ));
        }
        version = v;
        for (sum, key) in sums.iter_mut().zip(COUNTS) {
            *sum += report.get(key).and_then(Value::as_u64).unwrap_or(0);
        }
        match report.get("shard") {
            Some(s) => {
                let index = s.get("index").and_then(Value::as_u64);
                let count = s.get("count").and_then(Value::as_u64);
                match (index, count) {
                    (Some(i), Some(n)) => shards.push((i, n, path)),
                    _ => return Err(format!("{shown}: shard without index and count")),
                }
            }
            None => plain += 1,
        }
        match report.get("files") {
            Some(Value::Array(list)) => files.extend(list.iter().cloned()),
            _ => return Err(format!("{shown}: no files list")),
        }
    }
    if !shards.is_empty() {
        if plain > 0 {
            return Err("some reports are shards of a split and some are not".into());
        }
        let count = shards[0].1;
        if let Some((_, n, p)) = shards.iter().find(|s| s.1 != count) {
            return Err(format!(
                "{}: a shard of {n}, the others of {count}",
                p.display()
            ));
        }
        let mut seen: std::collections::BTreeMap<u64, &Path> = std::collections::BTreeMap::new();
        for &(i, _, p) in &shards {
            if i >= count {
                return Err(format!("{}: shard {i} of {count}", p.display()));
            }
            if let Some(first) = seen.insert(i, p) {
                return Err(format!(
                    "{}: shard {i}/{count} again (also {})",
                    p.display(),
                    first.display()
                ));
            }
        }
        // Counted, not listed, past the first few: N may be large.
        let missing: Vec<String> = (0..count)
            .filter(|i| !seen.contains_key(i))
            .take(10)
            .map(|i| format!("{i}/{count}"))
            .collect();
        if !missing.is_empty() {
            let total = count - seen.len() as u64;
            let more = if total > 10 {
                format!(" and {} more", total - 10)
            } else {
                String::new()
            };
            return Err(format!("missing shard(s): {}{more}", missing.join(", ")));
        }
    }
    files.sort_by(|a, b| {
        let key = |v: &Value| {
            v.get("input")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        key(a).cmp(&key(b))
    });
    let mut out = json!({ "report_version": version.unwrap_or(2) });
    for (sum, key) in sums.iter().zip(COUNTS) {
        out[key] = json!(sum);
    }
    out["files"] = Value::Array(files);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_parsed_and_checked() {
        assert_eq!(parse("0/4"), Ok(Shard { index: 0, count: 4 }));
        assert_eq!(parse(" 3 / 4 "), Ok(Shard { index: 3, count: 4 }));
        assert!(parse("4/4").is_err());
        assert!(parse("1/0").is_err());
        assert!(parse("a/4").is_err());
        assert!(parse("2").is_err());
    }

    #[test]
    fn every_input_is_in_exactly_one_shard_and_the_split_is_stable() {
        let rels: Vec<PathBuf> = (0..1000)
            .map(|i| PathBuf::from(format!("box-{}/interview-{i}", i % 7)))
            .collect();
        for count in [1, 2, 3, 8] {
            let mut sizes = vec![0usize; count as usize];
            for rel in &rels {
                let owners: Vec<u32> = (0..count)
                    .filter(|&k| Shard { index: k, count }.owns(rel))
                    .collect();
                assert_eq!(owners.len(), 1, "{rel:?} in {owners:?} of {count}");
                sizes[owners[0] as usize] += 1;
            }
            // Roughly even: no shard holds twice its share.
            assert!(
                sizes.iter().all(|&s| s * count as usize <= 2 * rels.len()),
                "{sizes:?}"
            );
        }
        // Fixed values: a change of the hash would move files between machines.
        assert_eq!((0..8).map(|i| of(&rels[i], 4)).collect::<Vec<_>>(), FIXED);
    }

    // Computed independently: Python hashlib, first 8 bytes big-endian, mod 4.
    const FIXED: [u32; 8] = [3, 2, 0, 1, 1, 3, 1, 1];
}
