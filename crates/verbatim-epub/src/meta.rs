//! Package metadata: identifier, dates, language, and the Dublin Core elements for the
//! participants and the interview's particulars.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use uuid::Uuid;
use verbatim_model::{Role, Transcript};

use crate::EpubError;
use crate::xhtml::escape;

/// `dcterms:modified` when neither `source_date_epoch` nor a valid transcript date is given:
/// 1980-01-01T00:00:00Z, the earliest time a zip entry can carry.
pub const FALLBACK_MODIFIED: &str = "1980-01-01T00:00:00Z";

/// Namespace of the UUID v5 identifiers derived from transcript content. Fixed for good:
/// changing it would change the identifier of every EPUB written without one.
const CONTENT_NAMESPACE: Uuid = Uuid::from_u128(0x5f0c_8d3e_6a1b_4c7e_9d2f_0b4a_e1c3_7a55);

/// Language of the publication: `und` (undetermined) when the transcript has no well-formed
/// BCP 47 tag.
pub struct Lang {
    pub tag: String,
    pub rtl: bool,
}

impl Lang {
    /// `xml:lang`, and `dir` when right-to-left, as attributes.
    pub fn xml_attrs(&self) -> String {
        let dir = if self.rtl { " dir=\"rtl\"" } else { "" };
        format!("xml:lang=\"{}\"{dir}", escape(&self.tag))
    }

    /// HTML's `lang` as well as [`Lang::xml_attrs`], for the `<html>` of an XHTML document.
    pub fn html_attrs(&self) -> String {
        format!("lang=\"{}\" {}", escape(&self.tag), self.xml_attrs())
    }
}

pub fn language(t: &Transcript) -> Lang {
    let tag = t
        .metadata
        .language
        .as_deref()
        .map(str::trim)
        .filter(|l| well_formed_tag(l))
        .unwrap_or("und")
        .to_string();
    let primary = tag.split('-').next().unwrap_or("").to_ascii_lowercase();
    let rtl = matches!(
        primary.as_str(),
        "ar" | "arc" | "ckb" | "dv" | "fa" | "he" | "iw" | "ps" | "sd" | "syr" | "ug" | "ur" | "yi"
    );
    Lang { tag, rtl }
}

/// The syntax of RFC 5646 tags, loosely: a 2–8 letter primary subtag and 1–8 character
/// alphanumeric subtags.
fn well_formed_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    primary_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The title, or a fallback when it is missing or blank (EPUB requires one).
pub fn title(t: &Transcript) -> String {
    nonempty(&t.metadata.title).unwrap_or_else(|| UNTITLED.to_string())
}

/// The same fallback as [`Transcript::display_title`].
const UNTITLED: &str = "Untitled transcript";

/// A metadata field with XML-illegal characters removed, if anything but spaces is left.
pub fn nonempty(field: &Option<String>) -> Option<String> {
    field.as_deref().map(clean).filter(|s| !s.trim().is_empty())
}

/// `s` without the characters XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF).
pub fn clean(s: &str) -> String {
    s.chars().filter(|&c| xml_char(c)).collect()
}

pub fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The package identifier when the transcript has none: a UUID v5 of its JSON form, so the
/// same transcript always gets the same identifier.
pub fn content_uuid(t: &Transcript) -> Result<Uuid, EpubError> {
    let json = serde_json::to_vec(t).map_err(|e| EpubError::Identifier(e.to_string()))?;
    Ok(Uuid::new_v5(&CONTENT_NAMESPACE, &json))
}

/// `dcterms:modified`: see [`crate::EpubOptions::source_date_epoch`].
pub fn modified(t: &Transcript, epoch: Option<i64>) -> Result<DateTime<Utc>, EpubError> {
    if let Some(secs) = epoch {
        return DateTime::from_timestamp(secs, 0)
            .filter(|d| (1..=9999).contains(&d.year()))
            .ok_or(EpubError::SourceDateEpoch(secs));
    }
    let date = t.metadata.date.as_deref().and_then(parse_date);
    Ok(match date {
        Some(d) => d.and_time(chrono::NaiveTime::MIN).and_utc(),
        None => DateTime::<Utc>::UNIX_EPOCH + chrono::TimeDelta::seconds(FALLBACK_SECONDS),
    })
}

/// `d` as `dcterms:modified` wants it: `YYYY-MM-DDThh:mm:ssZ`.
pub fn w3c_datetime(d: DateTime<Utc>) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        d.year(),
        d.month(),
        d.day(),
        d.hour(),
        d.minute(),
        d.second()
    )
}

/// [`FALLBACK_MODIFIED`] as Unix seconds.
const FALLBACK_SECONDS: i64 = 315_532_800;

/// An ISO date of the form `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as its first day.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = s.trim().split('-').collect();
    let num = |p: &str, len: usize| {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let year = num(parts.first()?, 4)?;
    let month = match parts.get(1) {
        Some(m) => num(m, 2)?,
        None => 1,
    };
    let day = match parts.get(2) {
        Some(d) => num(d, 2)?,
        None => 1,
    };
    if parts.len() > 3 || year == 0 {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// Dublin Core elements beyond title, language, description, subjects and rights, as indented
/// OPF lines:
/// subtitle, participants with MARC relator roles, date, place, publisher and source.
///
/// Interviewees are the creators, as in library catalogues of oral histories, and everyone
/// else a contributor; without interviewees the interviewers are the creators.
pub fn package_metadata(t: &Transcript) -> String {
    let m = &t.metadata;
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str("    ");
        out.push_str(&s);
        out.push('\n');
    };
    if let Some(sub) = nonempty(&m.subtitle) {
        line(format!(
            "<dc:title id=\"subtitle\">{}</dc:title>",
            escape(&sub)
        ));
        line("<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>".into());
    }
    let creator_role = if t.with_role(Role::Interviewee).next().is_some() {
        Role::Interviewee
    } else {
        Role::Interviewer
    };
    for (i, p) in t.participants.iter().enumerate() {
        let name = clean(&p.name);
        if name.trim().is_empty() {
            continue;
        }
        let element = if p.role == creator_role {
            "dc:creator"
        } else {
            "dc:contributor"
        };
        let id = format!("participant-{}", i + 1);
        line(format!(
            "<{element} id=\"{id}\">{}</{element}>",
            escape(&name)
        ));
        if let Some(code) = p.role.marc_relator() {
            line(format!(
                "<meta refines=\"#{id}\" property=\"role\" scheme=\"marc:relators\">{code}</meta>"
            ));
        }
    }
    if let Some(d) = m
        .date
        .as_deref()
        .map(str::trim)
        .filter(|d| parse_date(d).is_some())
    {
        line(format!("<dc:date>{d}</dc:date>"));
    }
    for (element, value) in [
        ("dc:coverage", &m.place),
        ("dc:publisher", &m.publisher),
        ("dc:source", &m.source_url),
    ] {
        if let Some(v) = nonempty(value) {
            line(format!("<{element}>{}</{element}>", escape(&v)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use verbatim_model::Metadata;

    fn with_date(date: Option<&str>) -> Transcript {
        Transcript::new(
            Metadata {
                date: date.map(Into::into),
                ..Metadata::default()
            },
            vec![],
            vec![],
        )
        .unwrap()
    }

    fn stamp(d: DateTime<Utc>) -> String {
        w3c_datetime(d)
    }

    #[test]
    fn modified_prefers_epoch_then_date_then_fallback() {
        let t = with_date(Some("2020-01-28"));
        assert_eq!(
            stamp(modified(&t, Some(1_700_000_000)).unwrap()),
            "2023-11-14T22:13:20Z"
        );
        assert_eq!(stamp(modified(&t, None).unwrap()), "2020-01-28T00:00:00Z");
        assert_eq!(
            stamp(modified(&with_date(Some("2020-02")), None).unwrap()),
            "2020-02-01T00:00:00Z"
        );
        assert_eq!(
            stamp(modified(&with_date(Some("last spring")), None).unwrap()),
            FALLBACK_MODIFIED
        );
        assert_eq!(
            stamp(modified(&with_date(None), None).unwrap()),
            FALLBACK_MODIFIED
        );
    }

    #[test]
    fn modified_rejects_epochs_beyond_year_9999() {
        let t = with_date(None);
        assert!(matches!(
            modified(&t, Some(i64::MAX)),
            Err(EpubError::SourceDateEpoch(_))
        ));
        assert!(matches!(
            modified(&t, Some(253_402_300_800)),
            Err(EpubError::SourceDateEpoch(_))
        ));
        assert!(modified(&t, Some(253_402_300_799)).is_ok());
    }

    #[test]
    fn parses_only_iso_calendar_dates() {
        assert_eq!(parse_date("2020"), NaiveDate::from_ymd_opt(2020, 1, 1));
        assert_eq!(
            parse_date("2020-02-29"),
            NaiveDate::from_ymd_opt(2020, 2, 29)
        );
        for bad in [
            "2019-02-29",
            "20-01-01",
            "2020-1-1",
            "2020-01-01-01",
            "0000",
            "",
            "2020-01-01T10:00",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn language_falls_back_to_und_and_detects_rtl() {
        let lang = |l: Option<&str>| {
            let mut t = with_date(None);
            t.metadata.language = l.map(Into::into);
            language(&t)
        };
        assert_eq!(lang(Some("pt-BR")).tag, "pt-BR");
        assert_eq!(lang(None).tag, "und");
        assert_eq!(lang(Some("en US")).tag, "und");
        assert_eq!(lang(Some("e")).tag, "und");
        assert!(lang(Some("he")).rtl);
        assert!(lang(Some("ar-EG")).rtl);
        assert!(!lang(Some("en")).rtl);
    }

    #[test]
    fn clean_drops_xml_illegal_characters() {
        assert_eq!(clean("a\u{1}b\u{FFFF}c\td"), "abc\td");
    }

    #[test]
    fn content_uuid_follows_content() {
        let a = with_date(Some("2020"));
        let b = with_date(Some("2021"));
        assert_eq!(content_uuid(&a).unwrap(), content_uuid(&a.clone()).unwrap());
        assert_ne!(content_uuid(&a).unwrap(), content_uuid(&b).unwrap());
        assert_eq!(content_uuid(&a).unwrap().get_version_num(), 5);
    }
}
