//! `Key: value` header lines at the top of a transcript, and the values they hold.

use verbatim_model::Role;

/// What a header line sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Title.
    Title,
    /// Subtitle.
    Subtitle,
    /// Date of the interview.
    Date,
    /// People with a role.
    People(Role),
    /// Where it took place.
    Place,
    /// The project or collection; used as publisher when none is given.
    Project,
    /// Publisher or holding institution.
    Publisher,
    /// Source address.
    Source,
    /// Rights or licence.
    Rights,
    /// Language.
    Language,
    /// Keywords.
    Keywords,
    /// Identifier.
    Identifier,
    /// Description.
    Description,
    /// Recognised, but the model has no place for it.
    Ignored,
}

/// The field a header key names (case-insensitive).
pub fn field(key: &str) -> Option<Field> {
    let key = key.trim().to_lowercase();
    let key = key.trim_end_matches(['(', ')', 's']).trim();
    Some(match key {
        "title" => Field::Title,
        "subtitle" | "sub-title" => Field::Subtitle,
        "date" | "interview date" | "date of interview" | "recorded" | "recording date"
        | "date recorded" => Field::Date,
        "interviewer" | "interviewed by" | "interviewer name" => Field::People(Role::Interviewer),
        "interviewee" | "narrator" | "respondent" | "interviewee name" | "narrator name" => {
            Field::People(Role::Interviewee)
        }
        "participant" | "speaker" | "also present" => Field::People(Role::Other),
        "location" | "place" | "interview location" | "recorded at" | "venue" => Field::Place,
        "project" | "collection" | "serie" | "program" | "programme" => Field::Project,
        "publisher" | "repository" | "institution" | "archive" => Field::Publisher,
        "source" | "url" | "link" | "source url" | "web" | "web address" => Field::Source,
        "right" | "copyright" | "license" | "licence" | "terms of use" => Field::Rights,
        "language" | "lang" => Field::Language,
        "keyword" | "subject" | "tag" | "topic" | "subject heading" => Field::Keywords,
        "identifier" | "id" | "accession number" | "call number" | "doi" => Field::Identifier,
        "description" | "summary" | "abstract" => Field::Description,
        "transcriber" | "transcribed by" | "editor" | "edited by" | "duration" | "length"
        | "format" | "tape" | "audio file" | "file" | "media" | "time" | "reviewer"
        | "audit-checked by" => Field::Ignored,
        _ => return None,
    })
}

/// Splits a header line into its field and value, when the value fits it.
pub fn header_line(text: &str) -> Option<(Field, &str, &str)> {
    let colon = text.find(':')?;
    let (key, value) = (text[..colon].trim(), text[colon + 1..].trim());
    if key.is_empty() || value.is_empty() || key.chars().count() > 30 {
        return None;
    }
    let f = field(key)?;
    if let Field::People(_) = f
        && !looks_like_names(value)
    {
        return None;
    }
    Some((f, key, value))
}

/// A list of names, not a sentence: `Interviewer: What is your name?` is a turn.
fn looks_like_names(v: &str) -> bool {
    let last_word = v.split_whitespace().last().unwrap_or_default();
    v.chars().count() <= 120
        && !v.contains(['?', '!'])
        && (!v.ends_with('.') || last_word.chars().count() <= 3)
        && v.split_whitespace().count() <= 16
}

/// Splits `A; B and C, D` into names.
pub fn split_names(v: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in v.split([';', ',', '&']) {
        for name in part.split(" and ") {
            let name = name.trim();
            if !name.is_empty() {
                out.push(name.to_string());
            }
        }
    }
    out
}

/// Splits keywords on commas and semicolons.
pub fn split_keywords(v: &str) -> Vec<String> {
    v.split([',', ';'])
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_string)
        .collect()
}

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches(['.', ',']).to_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&w) && (w.len() >= 3))
        .map(|i| i as u32 + 1)
}

/// An ISO 8601 date from common ways of writing one: `2020-01-28`, `2020/01/28`,
/// `January 28, 2020`, `28 January 2020`, `Jan. 2020`, `1998`.
pub fn iso_date(v: &str) -> Option<String> {
    let v = v.trim();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let ymd = |y: &str, m: u32, d: Option<u32>| -> Option<String> {
        if !digits(y, 4) || !(1..=12).contains(&m) || d.is_some_and(|d| !(1..=31).contains(&d)) {
            return None;
        }
        Some(match d {
            Some(d) => format!("{y}-{m:02}-{d:02}"),
            None => format!("{y}-{m:02}"),
        })
    };
    let parts: Vec<&str> = v.split(['-', '/']).collect();
    if parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) && digits(parts[0], 4) {
        return match parts.as_slice() {
            [y] => Some((*y).to_string()),
            [y, m] if m.len() <= 2 => ymd(y, m.parse().ok()?, None),
            [y, m, d] if m.len() <= 2 && d.len() <= 2 => {
                ymd(y, m.parse().ok()?, Some(d.parse().ok()?))
            }
            _ => None,
        };
    }
    let words: Vec<&str> = v
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let day = |w: &str| -> Option<u32> {
        let w = w.trim_end_matches(['.', 's', 't', 'n', 'd', 'r', 'h']);
        if (1..=2).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit()) {
            w.parse().ok()
        } else {
            None
        }
    };
    match words.as_slice() {
        [m, d, y] if month(m).is_some() => ymd(y, month(m)?, Some(day(d)?)),
        [d, m, y] if month(m).is_some() => ymd(y, month(m)?, Some(day(d)?)),
        [m, y] if month(m).is_some() => ymd(y, month(m)?, None),
        _ => None,
    }
}

/// A BCP 47 tag from a tag or an English language name.
pub fn language_tag(v: &str) -> Option<String> {
    let first = v.split([',', ';', '/']).next().unwrap_or_default().trim();
    let name = first.to_lowercase();
    let known = [
        ("english", "en"),
        ("french", "fr"),
        ("german", "de"),
        ("spanish", "es"),
        ("italian", "it"),
        ("portuguese", "pt"),
        ("russian", "ru"),
        ("hebrew", "he"),
        ("arabic", "ar"),
        ("chinese", "zh"),
        ("mandarin", "zh"),
        ("cantonese", "yue"),
        ("japanese", "ja"),
        ("korean", "ko"),
        ("polish", "pl"),
        ("dutch", "nl"),
        ("greek", "el"),
        ("ukrainian", "uk"),
        ("yiddish", "yi"),
        ("swedish", "sv"),
        ("norwegian", "no"),
        ("danish", "da"),
        ("finnish", "fi"),
        ("turkish", "tr"),
        ("hindi", "hi"),
        ("czech", "cs"),
        ("hungarian", "hu"),
        ("romanian", "ro"),
        ("welsh", "cy"),
        ("irish", "ga"),
        ("vietnamese", "vi"),
        ("persian", "fa"),
        ("farsi", "fa"),
        ("urdu", "ur"),
        ("bengali", "bn"),
        ("swahili", "sw"),
    ];
    if let Some((_, tag)) = known.iter().find(|(n, _)| *n == name) {
        return Some((*tag).to_string());
    }
    let mut subtags = first.split('-');
    let primary = subtags.next().unwrap_or_default();
    let ok = (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && subtags
            .all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()));
    ok.then(|| first.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_keys_and_person_values() {
        assert_eq!(
            header_line("INTERVIEWEE: HAROLD BAINES").map(|h| h.0),
            Some(Field::People(Role::Interviewee))
        );
        assert_eq!(
            header_line("Interviewers: A and B").map(|h| h.0),
            Some(Field::People(Role::Interviewer))
        );
        assert_eq!(header_line("Interviewer: What is your name?"), None);
        assert_eq!(
            header_line(
                "Interviewer: I was born in 1950, in a village near the river, and then we moved."
            ),
            None
        );
        assert_eq!(header_line("Title: A: B").map(|h| h.2), Some("A: B"));
        assert_eq!(header_line("Favourite colour: blue"), None);
        assert_eq!(
            split_names("Ann Lee; Bo Chen and Cy Diaz"),
            ["Ann Lee", "Bo Chen", "Cy Diaz"]
        );
    }

    #[test]
    fn dates_become_iso() {
        assert_eq!(iso_date("2020-01-28").as_deref(), Some("2020-01-28"));
        assert_eq!(iso_date("2020/1/8").as_deref(), Some("2020-01-08"));
        assert_eq!(iso_date("January 28, 2020").as_deref(), Some("2020-01-28"));
        assert_eq!(iso_date("28th Jan. 2020").as_deref(), Some("2020-01-28"));
        assert_eq!(iso_date("March 1998").as_deref(), Some("1998-03"));
        assert_eq!(iso_date("1998").as_deref(), Some("1998"));
        assert_eq!(iso_date("03/04/1998"), None);
        assert_eq!(iso_date("sometime in spring"), None);
        assert_eq!(iso_date("2020-13-01"), None);
    }

    #[test]
    fn languages_become_tags() {
        assert_eq!(language_tag("English").as_deref(), Some("en"));
        assert_eq!(language_tag("pt-BR").as_deref(), Some("pt-BR"));
        assert_eq!(language_tag("English, Spanish").as_deref(), Some("en"));
        assert_eq!(language_tag("Klingon dialect"), None);
    }
}
