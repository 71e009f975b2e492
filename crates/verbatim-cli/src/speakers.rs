//! `--speaker LABEL=NAME[:ROLE]` and `--speakers FILE`: what the user knows about the
//! speakers.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use verbatim::model::{Role, SpeakerEntry, Speakers};

/// Parses `SPEAKER_00=Ruth Okafor:interviewer`. The role is the last `:` part when it
/// names a role, so names with a colon still work.
pub(crate) fn parse_flag(s: &str) -> Result<SpeakerEntry, String> {
    let Some((label, rest)) = s.split_once('=') else {
        return Err(format!("\"{s}\" is not LABEL=NAME or LABEL=NAME:ROLE"));
    };
    let label = label.trim();
    if label.is_empty() {
        return Err(format!("\"{s}\": the label before '=' is empty"));
    }
    let (name, role) = match rest.rsplit_once(':') {
        Some((name, role)) if Role::parse(role).is_some() => (name.trim(), Role::parse(role)),
        _ => (rest.trim(), None),
    };
    Ok(SpeakerEntry {
        label: label.to_string(),
        name: (!name.is_empty()).then(|| name.to_string()),
        role,
        aliases: Vec::new(),
    })
}

/// One label's entry in a speakers file: a name, or the full form.
#[derive(Deserialize)]
#[serde(untagged)]
enum Entry {
    Name(String),
    Full {
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        role: Option<String>,
        #[serde(default)]
        aliases: Vec<String>,
    },
}

/// Reads a speakers file (YAML): each label mapped to a name, or to `name`, `role` and
/// `aliases`.
pub(crate) fn from_file(path: &Path) -> Result<Speakers, String> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{shown}: cannot read: {e}"))?;
    parse_file(&text).map_err(|e| format!("{shown}:{e}"))
}

/// A YAML error in plain words: `LINE:COLUMN: message`, without the parser's snippet.
pub(crate) fn yaml_message(e: &serde_saphyr::Error) -> String {
    let at = e
        .location()
        .map_or_else(String::new, |l| format!("{}:{}:", l.line(), l.column()));
    let msg = e.without_snippet().to_string();
    let msg = msg.lines().next().unwrap_or("invalid YAML");
    let msg = msg.split(" at line ").next().unwrap_or(msg);
    format!("{at} {msg}")
}

fn parse_file(text: &str) -> Result<Speakers, String> {
    let map: BTreeMap<String, Entry> =
        serde_saphyr::from_str(text).map_err(|e| yaml_message(&e))?;
    let mut entries = Vec::new();
    for (label, entry) in map {
        let (name, role, aliases) = match entry {
            Entry::Name(n) => (Some(n), None, Vec::new()),
            Entry::Full {
                name,
                role,
                aliases,
            } => {
                let role = match role {
                    None => None,
                    Some(r) => Some(Role::parse(&r).ok_or_else(|| {
                        format!(
                            " speaker \"{label}\": unknown role \"{r}\" (interviewer, interviewee or other)"
                        )
                    })?),
                };
                (name, role, aliases)
            }
        };
        entries.push(SpeakerEntry {
            label,
            name,
            role,
            aliases,
        });
    }
    Ok(Speakers { entries })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags() {
        let e = parse_flag("SPEAKER_00=Ruth Okafor:interviewer").unwrap();
        assert_eq!(e.label, "SPEAKER_00");
        assert_eq!(e.name.as_deref(), Some("Ruth Okafor"));
        assert_eq!(e.role, Some(Role::Interviewer));
        let e = parse_flag("P1=Dr. Who: The Return").unwrap();
        assert_eq!(e.name.as_deref(), Some("Dr. Who: The Return"));
        assert_eq!(e.role, None);
        assert!(parse_flag("no equals sign").is_err());
        assert!(parse_flag("=Name").is_err());
    }

    #[test]
    fn files() {
        let s = parse_file(
            "SPEAKER_00: Ruth Okafor\nSPEAKER_01:\n  name: Daniel Weiss\n  role: interviewee\n  aliases: [DW]\n",
        )
        .unwrap();
        assert_eq!(s.entries.len(), 2);
        assert_eq!(s.entries[1].aliases, ["DW"]);
        assert_eq!(s.entries[1].role, Some(Role::Interviewee));
        let e = parse_file("A:\n  role: boss\n").unwrap_err();
        assert!(e.contains("unknown role \"boss\""), "{e}");
        assert!(parse_file("A: [1, 2").unwrap_err().starts_with("1:"));
    }
}
