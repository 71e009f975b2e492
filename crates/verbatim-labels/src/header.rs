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
}
