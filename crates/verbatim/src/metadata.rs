//! Setting a transcript's metadata by key, as `-M KEY=VALUE` does: the keys of the
//! Markdown front matter, and pandoc's names for them.

use verbatim_model::{IsoDate, LanguageTag, Metadata};

/// The keys [`set`] takes, with the field each sets.
pub const KEYS: &[(&str, &str)] = &[
    ("title", "title"),
    ("subtitle", "subtitle"),
    ("date", "date (ISO: 2020-01-28, 2020-01, 2020)"),
    (
        "language, lang",
        "language (a BCP 47 tag such as en or pt-BR, or a name)",
    ),
    ("publisher", "publisher"),
    ("source, url", "source_url"),
    ("rights", "rights"),
    ("identifier, id", "identifier"),
    ("description, abstract", "description"),
    ("keywords, subject", "keywords (comma-separated)"),
    ("place, location", "place"),
];

/// Sets one metadata field; an empty value clears it. An unknown key, a date that is
/// not a date of the calendar, or a language that is not a tag is an error naming it.
pub fn set(m: &mut Metadata, key: &str, value: &str) -> Result<(), String> {
    let value = value.trim();
    let text = (!value.is_empty()).then(|| value.to_string());
    match key.trim().to_ascii_lowercase().replace('_', "-").as_str() {
        "title" => m.title = text,
        "subtitle" => m.subtitle = text,
        "date" => {
            m.date = match text {
                None => None,
                Some(v) => Some(
                    v.parse::<IsoDate>()
                        .map_err(|e| format!("date \"{v}\": {e}"))?,
                ),
            }
        }
        "language" | "lang" => {
            m.language = match text {
                None => None,
                Some(v) => Some(
                    LanguageTag::from_name_or_tag(&v)
                        .ok_or_else(|| format!("language \"{v}\" is not a language tag or name"))?,
                ),
            }
        }
        "publisher" => m.publisher = text,
        "source" | "url" | "source-url" => m.source_url = text,
        "rights" => m.rights = text,
        "identifier" | "id" => m.identifier = text,
        "description" | "abstract" => m.description = text,
        "keywords" | "subject" => {
            m.keywords = value
                .split(',')
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(String::from)
                .collect();
        }
        "place" | "location" => m.place = text,
        other => {
            let known: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
            return Err(format!(
                "unknown metadata key \"{other}\" (known: {})",
                known.join(", ")
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_set_their_fields_and_bad_values_are_errors() {
        let mut m = Metadata::default();
        set(&mut m, "title", "Cannery Voices").unwrap();
        set(&mut m, "lang", "pt-BR").unwrap();
        set(&mut m, "date", "1994-02-07").unwrap();
        set(&mut m, "subject", "fishing, Porto").unwrap();
        set(&mut m, "abstract", "Two sessions.").unwrap();
        assert_eq!(m.title.as_deref(), Some("Cannery Voices"));
        assert_eq!(m.language.as_ref().map(|l| l.as_str()), Some("pt-BR"));
        assert_eq!(m.keywords, ["fishing", "Porto"]);
        assert_eq!(m.description.as_deref(), Some("Two sessions."));
        assert!(
            set(&mut m, "date", "2023-02-30")
                .unwrap_err()
                .contains("2023-02-30")
        );
        assert!(
            set(&mut m, "colour", "red")
                .unwrap_err()
                .starts_with("unknown metadata key")
        );
        set(&mut m, "title", "").unwrap();
        assert_eq!(m.title, None);
    }
}
