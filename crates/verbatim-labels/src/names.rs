//! Personal names: initials, ids, case folding.

use verbatim_model::is_valid_id;

/// Honorifics and ranks left out of initials (`Maj. Gen. Amos Gilead` is AG).
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "rev",
    "fr",
    "sr",
    "jr",
    "sir",
    "dame",
    "lord",
    "lady",
    "hon",
    "maj",
    "gen",
    "col",
    "capt",
    "cpt",
    "lt",
    "sgt",
    "cpl",
    "pvt",
    "adm",
    "cdr",
    "res",
    "ret",
    "rabbi",
    "imam",
    "pastor",
    "judge",
    "gov",
    "sen",
    "rep",
    "amb",
    "president",
    "professor",
    "doctor",
    "general",
    "colonel",
    "captain",
    "major",
];

/// Lower-case name particles that may stand between capitalised words of a name.
pub(crate) const PARTICLES: &[&str] = &[
    "de", "da", "das", "do", "dos", "del", "della", "der", "den", "di", "du", "van", "von", "bin",
    "ibn", "al", "el", "la", "le", "ten", "ter", "y", "e", "st.", "zu", "af",
];

/// The words of a name without honorifics, ranks and parenthesised parts.
pub fn name_words(name: &str) -> Vec<&str> {
    let mut depth = 0usize;
    let mut out = Vec::new();
    for w in name.split_whitespace() {
        let opens = w.starts_with('(');
        if opens {
            depth += 1;
        }
        let closes = w.ends_with(')');
        if depth == 0 {
            let bare = w.trim_end_matches('.').to_lowercase();
            if !TITLES.contains(&bare.as_str()) && w.chars().any(char::is_alphabetic) {
                out.push(w);
            }
        }
        if closes {
            depth = depth.saturating_sub(1);
        }
    }
    out
}

/// Initials of a name: the first letter of each word, particles left out
/// (`Izabella Tabarovsky` → `IT`, `Ludwig van Beethoven` → `LB`).
pub fn initials(name: &str) -> String {
    name_words(name)
        .iter()
        .filter(|w| !PARTICLES.contains(&w.to_lowercase().as_str()))
        .filter_map(|w| w.chars().find(|c| c.is_alphabetic()))
        .flat_map(char::to_uppercase)
        .collect()
}

/// Whether `label` (such as `IT` or `I.T.`) abbreviates `name`: all initials, or
/// first and last.
pub fn abbreviates(label: &str, name: &str) -> bool {
    let label: String = label
        .chars()
        .filter(|c| *c != '.' && !c.is_whitespace())
        .collect();
    let ini = initials(name);
    if ini.chars().count() < 2 || label.is_empty() {
        return false;
    }
    let first_last = {
        let v: Vec<char> = ini.chars().collect();
        [v[0], v[v.len() - 1]].iter().collect::<String>()
    };
    label == ini || label == first_last
}

/// A name lower-cased with its spaces normalised, for comparing names.
pub fn folded(s: &str) -> String {
    verbatim_model::printed_form(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Case-insensitive comparison with spaces normalised.
pub fn same_name(a: &str, b: &str) -> bool {
    folded(a) == folded(b)
}

/// Whether `word` is the first or last word of `name` (case-insensitive), as
/// in `Gilead` for `Amos Gilead`.
/// A class year or rank on the word is looked through (`MILLER ’71`).
pub fn is_part_of(word: &str, name: &str) -> bool {
    let words = name_words(name);
    let bare = name_words(word).join(" ");
    words.len() >= 2
        && [words.first(), words.last()]
            .into_iter()
            .flatten()
            .any(|w| {
                let w = w.trim_end_matches([',', '.']);
                same_name(w, word) || !bare.is_empty() && same_name(w, &bare)
            })
}

/// At most `max` characters of `s`, with `…` when cut: for quoting input in messages.
pub fn excerpt(s: &str, max: usize) -> String {
    let s = s.trim();
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// `HAROLD O'BRIEN-SMITH` → `Harold O'Brien-Smith`.
pub fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphabetic();
    }
    out
}

/// Whether every cased letter is upper case and there is at least one.
pub fn is_upper(s: &str) -> bool {
    s.chars().any(char::is_uppercase) && !s.chars().any(char::is_lowercase)
}

/// A participant id for a label or name that `taken` does not hold yet:
/// initials for a name of two or more words, else the label with spaces as `_`
/// (`SPEAKER 1` → `SPEAKER_1`); a number is added when taken.
pub fn make_id(label: &str, is_full_name: bool, taken: impl Fn(&str) -> bool) -> String {
    let base = if is_full_name && name_words(label).len() >= 2 {
        initials(label)
    } else {
        label
            .trim()
            .chars()
            .filter_map(|c| match c {
                c if c.is_alphanumeric() || matches!(c, '-' | '.' | '_') => Some(c),
                c if c.is_whitespace() => Some('_'),
                _ => None,
            })
            .collect()
    };
    let base = if is_valid_id(&base) {
        base
    } else {
        format!("S{base}")
    };
    let base = if is_valid_id(&base) {
        base
    } else {
        "S".to_string()
    };
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|c| !taken(c))
        .unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_skip_titles_and_particles() {
        assert_eq!(initials("Izabella Tabarovsky"), "IT");
        assert_eq!(initials("Maj. Gen. (Res.) Amos Gilead"), "AG");
        assert_eq!(initials("Ludwig van Beethoven"), "LB");
        assert_eq!(initials("Анна Никитина"), "АН");
        assert!(abbreviates("I.T.", "Izabella Tabarovsky"));
        assert!(abbreviates("JS", "John Paul Smith"));
        assert!(abbreviates("JPS", "John Paul Smith"));
        assert!(!abbreviates("AG", "Izabella Tabarovsky"));
        assert!(!abbreviates("A", "Amos"));
    }

    #[test]
    fn ids_are_valid_and_unique() {
        let none = |_: &str| false;
        assert_eq!(make_id("Izabella Tabarovsky", true, none), "IT");
        assert_eq!(make_id("Ivan Turgenev", true, |s: &str| s == "IT"), "IT2");
        assert_eq!(make_id("SPEAKER 1", false, none), "SPEAKER_1");
        assert_eq!(make_id("1", false, none), "S1");
        assert_eq!(make_id("???", false, none), "S");
    }

    #[test]
    fn case_helpers() {
        assert_eq!(title_case("HAROLD O'BRIEN-SMITH"), "Harold O'Brien-Smith");
        assert!(is_upper("HB"));
        assert!(!is_upper("Hb"));
        assert!(same_name("harold  BAINES", "Harold Baines"));
        assert!(is_part_of("Gilead", "Amos Gilead"));
        assert!(!is_part_of("Gilead", "Gilead"));
    }
}
