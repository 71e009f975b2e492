//! Defaults files: `-d FILE`, or a `verbatim.yaml` in the folder of the first input. The
//! keys are the command's long options (`to`, `width`, `paper`, `metadata`, …); they
//! become arguments placed before the ones typed, so what is typed wins.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::Usage;

/// The defaults file picked up beside the inputs.
pub(crate) const FILE_NAME: &str = "verbatim.yaml";

/// The file `name` (such as `verbatim.yaml`) in the first input's folder (the input
/// itself when it is a folder).
pub(crate) fn beside(inputs: &[PathBuf], name: &str) -> Option<PathBuf> {
    let first = inputs.iter().find(|p| p.as_os_str() != "-")?;
    let dir = if first.is_dir() {
        first.as_path()
    } else {
        first
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    };
    let candidate = dir.join(name);
    candidate.is_file().then_some(candidate)
}

/// The arguments a defaults file stands for, for the subcommand `cmd`. Keys only
/// `wider` knows (`convert`'s output options, when `cmd` is `check`) are passed over.
pub(crate) fn arguments(
    path: &Path,
    cmd: &clap::Command,
    wider: Option<&clap::Command>,
) -> Result<Vec<OsString>, Usage> {
    let shown = path.display();
    let text =
        std::fs::read_to_string(path).map_err(|e| Usage(format!("{shown}: cannot read: {e}")))?;
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let map: BTreeMap<String, serde_json::Value> = serde_saphyr::from_str(&text)
        .map_err(|e| Usage(format!("{shown}:{}", crate::speakers::yaml_message(&e))))?;
    let mut out = Vec::new();
    for (key, value) in map {
        let Some(arg) = cmd
            .get_arguments()
            .find(|a| a.get_long() == Some(key.as_str()) && key != "defaults")
        else {
            if wider.is_some_and(|w| {
                w.get_arguments()
                    .any(|a| a.get_long() == Some(key.as_str()))
            }) {
                continue;
            }
            let known: Vec<&str> = cmd
                .get_arguments()
                .filter_map(clap::Arg::get_long)
                .filter(|l| !matches!(*l, "defaults" | "help" | "version"))
                .collect();
            return Err(Usage(format!(
                "{shown}: unknown option \"{key}\" (known: {})",
                known.join(", ")
            )));
        };
        let flag = format!("--{key}");
        let takes_value = arg.get_action().takes_values();
        let scalar = |v: &serde_json::Value| -> Result<String, Usage> {
            match v {
                serde_json::Value::String(s) => Ok(s.clone()),
                serde_json::Value::Number(n) => Ok(n.to_string()),
                serde_json::Value::Bool(b) => Ok(b.to_string()),
                _ => Err(Usage(format!("{shown}: {key}: expected a single value"))),
            }
        };
        match &value {
            serde_json::Value::Null => {}
            serde_json::Value::Bool(b) if !takes_value => {
                if *b {
                    out.push(flag.into());
                }
            }
            _ if !takes_value => {
                return Err(Usage(format!("{shown}: {key}: expected true or false")));
            }
            serde_json::Value::Array(items) if key == "to" => {
                let names: Result<Vec<String>, Usage> = items.iter().map(scalar).collect();
                out.extend([flag.into(), names?.join(",").into()]);
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    out.extend([flag.clone().into(), scalar(item)?.into()]);
                }
            }
            // `metadata: {title: …}`, `speaker: {SPEAKER_00: "Ruth Okafor:interviewer"}`.
            serde_json::Value::Object(entries) => {
                for (k, v) in entries {
                    out.extend([flag.clone().into(), format!("{k}={}", scalar(v)?).into()]);
                }
            }
            // A file the defaults name is found beside them.
            v if key == "speakers" => {
                let file = PathBuf::from(scalar(v)?);
                let here = path.parent().unwrap_or(Path::new(""));
                out.extend([flag.into(), here.join(file).into_os_string()]);
            }
            v => out.extend([flag.into(), scalar(v)?.into()]),
        }
    }
    Ok(out)
}

/// The command line with the defaults' arguments inserted after the subcommand's name.
pub(crate) fn splice(raw: Vec<OsString>, subcommand: &str, extra: Vec<OsString>) -> Vec<OsString> {
    let at = raw
        .iter()
        .position(|a| a == subcommand)
        .map_or(raw.len(), |i| i + 1);
    let mut out = raw[..at].to_vec();
    out.extend(extra);
    out.extend_from_slice(&raw[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn convert() -> clap::Command {
        crate::args::Cli::command()
            .find_subcommand("convert")
            .expect("convert")
            .clone()
    }

    #[test]
    fn keys_are_long_options_and_values_become_arguments() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.yaml");
        std::fs::write(
            &path,
            "to: [tei, pdf]\nwidth: 60\nragged: true\nforce: false\nmetadata:\n  publisher: Nunn Center\nspeaker:\n  - S0=Ruth Okafor\n",
        )
        .unwrap();
        let args: Vec<String> = arguments(&path, &convert(), None)
            .unwrap()
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect();
        assert_eq!(
            args,
            [
                "--metadata",
                "publisher=Nunn Center",
                "--ragged",
                "--speaker",
                "S0=Ruth Okafor",
                "--to",
                "tei,pdf",
                "--width",
                "60"
            ]
        );
        std::fs::write(&path, "colour: blue\n").unwrap();
        let Err(Usage(e)) = arguments(&path, &convert(), None) else {
            panic!("an unknown key is refused");
        };
        assert!(e.contains("unknown option \"colour\""), "{e}");
        std::fs::write(&path, "width: [1\n").unwrap();
        let Err(Usage(e)) = arguments(&path, &convert(), None) else {
            panic!("bad YAML is refused");
        };
        assert!(e.contains("d.yaml:"), "{e}");
    }

    #[test]
    fn defaults_go_before_what_is_typed() {
        let raw: Vec<OsString> = ["verbatim", "convert", "a.md", "-t", "txt"]
            .into_iter()
            .map(Into::into)
            .collect();
        let spliced = splice(raw, "convert", vec!["--to".into(), "pdf".into()]);
        assert_eq!(
            spliced,
            ["verbatim", "convert", "--to", "pdf", "a.md", "-t", "txt"]
        );
    }
}
