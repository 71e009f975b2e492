//! Language tags: parsed once by the readers, used by every writer for `xml:lang`, the
//! writing direction and the script.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A well-formed BCP 47 language tag, such as `en`, `pt-BR`, `sr-Latn` or `und-Hebr`.
///
/// Well-formed means RFC 5646's shape, with the primary subtag held to the 2–3 letters
/// every registered language has (or `x`/`i` for private and grandfathered tags), so that
/// a language's name (`english`) is not mistaken for a tag, followed by subtags of 1–8
/// letters or digits. Whether the subtags are registered is not checked.
///
/// ```
/// use verbatim_model::{Direction, LanguageTag};
/// let he: LanguageTag = "he".parse().unwrap();
/// assert_eq!(he.direction(), Direction::Rtl);
/// assert_eq!(he.script(), Some("Hebr"));
/// assert_eq!("sr-Latn".parse::<LanguageTag>().unwrap().script(), Some("Latn"));
/// assert!("english".parse::<LanguageTag>().is_err());
/// assert_eq!(LanguageTag::from_name_or_tag("French").unwrap().as_str(), "fr");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LanguageTag(String);

/// Why a string is not a [`LanguageTag`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a BCP 47 language tag (such as en, pt-BR or sr-Latn)")]
pub struct LanguageTagError(pub String);

/// Writing direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Left to right.
    Ltr,
    /// Right to left.
    Rtl,
}

/// Scripts written right to left (ISO 15924 codes).
const RTL_SCRIPTS: &[&str] = &[
    "Adlm", "Arab", "Aran", "Armi", "Avst", "Cprt", "Hebr", "Khar", "Mand", "Mani", "Mend", "Narb",
    "Nbat", "Nkoo", "Orkh", "Palm", "Phli", "Phlp", "Phnx", "Prti", "Rohg", "Samr", "Sarb", "Sogd",
    "Syrc", "Thaa", "Yezi",
];

/// The script a language is written in when its tag names none (the CLDR likely script),
/// for the languages transcripts are most often in.
const DEFAULT_SCRIPTS: &[(&str, &str)] = &[
    ("ar", "Arab"),
    ("arc", "Armi"),
    ("az", "Latn"),
    ("be", "Cyrl"),
    ("bg", "Cyrl"),
    ("bn", "Beng"),
    ("ca", "Latn"),
    ("ckb", "Arab"),
    ("cs", "Latn"),
    ("cy", "Latn"),
    ("da", "Latn"),
    ("de", "Latn"),
    ("dv", "Thaa"),
    ("el", "Grek"),
    ("en", "Latn"),
    ("es", "Latn"),
    ("et", "Latn"),
    ("eu", "Latn"),
    ("fa", "Arab"),
    ("fi", "Latn"),
    ("fr", "Latn"),
    ("ga", "Latn"),
    ("gu", "Gujr"),
    ("he", "Hebr"),
    ("hi", "Deva"),
    ("hr", "Latn"),
    ("hu", "Latn"),
    ("hy", "Armn"),
    ("id", "Latn"),
    ("is", "Latn"),
    ("it", "Latn"),
    ("iw", "Hebr"),
    ("ja", "Jpan"),
    ("ka", "Geor"),
    ("kk", "Cyrl"),
    ("km", "Khmr"),
    ("ko", "Kore"),
    ("ks", "Arab"),
    ("ky", "Cyrl"),
    ("lt", "Latn"),
    ("lv", "Latn"),
    ("mk", "Cyrl"),
    ("mn", "Cyrl"),
    ("mr", "Deva"),
    ("ms", "Latn"),
    ("ne", "Deva"),
    ("nl", "Latn"),
    ("no", "Latn"),
    ("pa", "Guru"),
    ("pl", "Latn"),
    ("ps", "Arab"),
    ("pt", "Latn"),
    ("ro", "Latn"),
    ("ru", "Cyrl"),
    ("sd", "Arab"),
    ("sk", "Latn"),
    ("sl", "Latn"),
    ("sq", "Latn"),
    ("sr", "Cyrl"),
    ("sv", "Latn"),
    ("sw", "Latn"),
    ("syr", "Syrc"),
    ("ta", "Taml"),
    ("te", "Telu"),
    ("tg", "Cyrl"),
    ("th", "Thai"),
    ("tr", "Latn"),
    ("ug", "Arab"),
    ("uk", "Cyrl"),
    ("ur", "Arab"),
    ("uz", "Latn"),
    ("vi", "Latn"),
    ("yi", "Hebr"),
    ("yue", "Hant"),
    ("zh", "Hans"),
];

/// English names of languages, for headers that name one (`Language: Hebrew`).
const NAMES_EN: &[(&str, &str)] = &[
    ("arabic", "ar"),
    ("bengali", "bn"),
    ("cantonese", "yue"),
    ("catalan", "ca"),
    ("chinese", "zh"),
    ("czech", "cs"),
    ("danish", "da"),
    ("dutch", "nl"),
    ("english", "en"),
    ("farsi", "fa"),
    ("finnish", "fi"),
    ("french", "fr"),
    ("german", "de"),
    ("greek", "el"),
    ("hebrew", "he"),
    ("hindi", "hi"),
    ("hungarian", "hu"),
    ("irish", "ga"),
    ("italian", "it"),
    ("japanese", "ja"),
    ("korean", "ko"),
    ("mandarin", "zh"),
    ("norwegian", "no"),
    ("persian", "fa"),
    ("polish", "pl"),
    ("portuguese", "pt"),
    ("romanian", "ro"),
    ("russian", "ru"),
    ("spanish", "es"),
    ("swahili", "sw"),
    ("swedish", "sv"),
    ("turkish", "tr"),
    ("ukrainian", "uk"),
    ("urdu", "ur"),
    ("vietnamese", "vi"),
    ("welsh", "cy"),
    ("yiddish", "yi"),
];

impl LanguageTag {
    /// The tag as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The primary language subtag, lower case (`pt` for `pt-BR`).
    pub fn primary(&self) -> String {
        self.0
            .split('-')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase()
    }

    /// The script: the tag's own script subtag (`sr-Latn`), else the language's usual
    /// script when it is one this crate knows; `None` otherwise.
    pub fn script(&self) -> Option<&str> {
        let explicit = self
            .0
            .split('-')
            .skip(1)
            .take_while(|s| s.len() != 1)
            .find(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_alphabetic()));
        if let Some(s) = explicit {
            return RTL_SCRIPTS
                .iter()
                .chain(DEFAULT_SCRIPTS.iter().map(|(_, s)| s))
                .find(|k| k.eq_ignore_ascii_case(s))
                .copied()
                .or(Some(s));
        }
        let primary = self.primary();
        DEFAULT_SCRIPTS
            .iter()
            .find(|(l, _)| *l == primary)
            .map(|(_, s)| *s)
    }

    /// The writing direction: right to left for the scripts written so (Hebrew, Arabic,
    /// Syriac, Thaana, …), left to right otherwise.
    pub fn direction(&self) -> Direction {
        match self.script() {
            Some(s) if is_rtl_script(s) => Direction::Rtl,
            _ => Direction::Ltr,
        }
    }

    /// Whether the language is written right to left.
    pub fn is_rtl(&self) -> bool {
        self.direction() == Direction::Rtl
    }

    /// A tag from a header value: a tag (`pt-BR`) or an English language name (`Hebrew`),
    /// taking the first of a list (`English, Spanish`).
    pub fn from_name_or_tag(v: &str) -> Option<LanguageTag> {
        let first = v.split([',', ';', '/']).next().unwrap_or_default().trim();
        let name = first.to_lowercase();
        if let Some((_, tag)) = NAMES_EN.iter().find(|(n, _)| *n == name) {
            return Some(LanguageTag((*tag).to_string()));
        }
        first.parse().ok()
    }
}

/// Whether an ISO 15924 script code is written right to left.
pub fn is_rtl_script(script: &str) -> bool {
    RTL_SCRIPTS.iter().any(|s| s.eq_ignore_ascii_case(script))
}

impl FromStr for LanguageTag {
    type Err = LanguageTagError;

    fn from_str(s: &str) -> Result<LanguageTag, LanguageTagError> {
        let bad = || LanguageTagError(s.to_string());
        let mut parts = s.split('-');
        let primary = parts.next().unwrap_or_default();
        let alpha = |p: &str| p.bytes().all(|b| b.is_ascii_alphabetic());
        let primary_ok = alpha(primary)
            && (matches!(primary.len(), 2..=3)
                || primary.eq_ignore_ascii_case("x")
                || primary.eq_ignore_ascii_case("i"));
        let rest_ok = parts
            .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
        if primary_ok && rest_ok {
            Ok(LanguageTag(s.to_string()))
        } else {
            Err(bad())
        }
    }
}

impl fmt::Display for LanguageTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for LanguageTag {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for LanguageTag {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<LanguageTag, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for LanguageTag {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "LanguageTag".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A BCP 47 language tag, such as en, pt-BR or sr-Latn.",
            "pattern": "^([A-Za-z]{2,3}|[xXiI])(-[A-Za-z0-9]{1,8})*$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_tags() {
        for ok in [
            "en",
            "pt-BR",
            "sr-Latn-RS",
            "und-Hebr",
            "yue",
            "x-klingon",
            "zh-Hant-TW",
        ] {
            assert!(ok.parse::<LanguageTag>().is_ok(), "{ok}");
        }
        for bad in [
            "",
            "e",
            "english",
            "en_US",
            "en-",
            "en--US",
            "1en",
            "en-toolongsubtag",
        ] {
            assert!(bad.parse::<LanguageTag>().is_err(), "{bad}");
        }
    }

    #[test]
    fn scripts_and_directions() {
        let tag = |s: &str| s.parse::<LanguageTag>().unwrap();
        assert_eq!(tag("ar-EG").direction(), Direction::Rtl);
        assert_eq!(tag("yi").direction(), Direction::Rtl);
        assert_eq!(tag("und-Hebr").direction(), Direction::Rtl);
        assert_eq!(tag("und-hebr").script(), Some("Hebr"));
        assert_eq!(tag("en").direction(), Direction::Ltr);
        assert_eq!(tag("ru").script(), Some("Cyrl"));
        assert_eq!(tag("az-Arab").direction(), Direction::Rtl);
        assert_eq!(tag("tlh").script(), None);
        assert_eq!(tag("tlh").direction(), Direction::Ltr);
    }

    #[test]
    fn names_and_tags_from_headers() {
        let from = |s| LanguageTag::from_name_or_tag(s).map(|t| t.to_string());
        assert_eq!(from("Hebrew").as_deref(), Some("he"));
        assert_eq!(from("English, Spanish").as_deref(), Some("en"));
        assert_eq!(from("pt-BR").as_deref(), Some("pt-BR"));
        assert_eq!(from("Klingon"), None);
    }
}
