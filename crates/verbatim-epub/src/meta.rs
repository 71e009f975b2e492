//! Package metadata: identifier, dates, language, and the Dublin Core elements for the
//! participants and the interview's particulars.

use uuid::Uuid;
use verbatim_model::format::EpochOutOfRange;
use verbatim_model::{DatePolicy, Labels, Role, Transcript, UtcDateTime};

use crate::EpubError;
use crate::xml::{clean, escape, nonempty};

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
    /// The transcript's script; text in another is marked with its own tag.
    pub script: Option<String>,
    /// Verbatim's own words, in the transcript's language where it has them.
    pub labels: &'static Labels,
}

impl Lang {
    /// `xml:lang`, and `dir` when right-to-left, as attributes.
    pub fn xml_attrs(&self) -> String {
        let dir = if self.rtl { " dir=\"rtl\"" } else { "" };
        format!("xml:lang=\"{}\"{dir}", escape(&self.tag))
    }

    /// ` lang="en"` (with `xml:lang`) for Verbatim's own labels when they are English in a
    /// document in another language, which has no table of labels (or none is known, empty).
    pub fn english_attrs(&self) -> &'static str {
        let primary = self.tag.split('-').next().unwrap_or_default();
        if !self.labels.is_english()
            || primary.eq_ignore_ascii_case("en")
            || primary.eq_ignore_ascii_case("und")
        {
            ""
        } else {
            " lang=\"en\" xml:lang=\"en\""
        }
    }

    /// HTML's `lang` as well as [`Lang::xml_attrs`], for the `<html>` of an XHTML document.
    pub fn html_attrs(&self) -> String {
        format!("lang=\"{}\" {}", escape(&self.tag), self.xml_attrs())
    }
}

pub fn language(t: &Transcript) -> Lang {
    match &t.metadata.language {
        Some(l) => Lang {
            tag: l.to_string(),
            rtl: l.is_rtl(),
            script: t.main_script(),
            labels: Labels::for_transcript(Some(l)),
        },
        None => Lang {
            tag: "und".into(),
            rtl: false,
            script: t.main_script(),
            labels: Labels::for_transcript(None),
        },
    }
}

/// The title, or a fallback when it is missing or blank (EPUB requires one).
pub fn title(t: &Transcript) -> String {
    nonempty(&t.metadata.title).unwrap_or_else(|| t.display_title().to_string())
}

/// The package identifier when the transcript has none: a UUID v5 of its JSON form, so the
/// same transcript always gets the same identifier.
pub fn content_uuid(t: &Transcript) -> Result<Uuid, EpubError> {
    // `Uuid::new_v5` over the JSON, hashed as it is made rather than held whole.
    let mut hasher = Sha1(sha1_smol::Sha1::new());
    hasher.0.update(CONTENT_NAMESPACE.as_bytes());
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut hasher);
    serde_json::to_writer(&mut buffered, t).map_err(|e| EpubError::Identifier(e.to_string()))?;
    std::io::Write::flush(&mut buffered)?;
    drop(buffered);
    let mut bytes = [0; 16];
    bytes.copy_from_slice(&hasher.0.digest().bytes()[..16]);
    Ok(uuid::Builder::from_sha1_bytes(bytes).into_uuid())
}

struct Sha1(sha1_smol::Sha1);

impl std::io::Write for Sha1 {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `dcterms:modified`: the one date policy's modification date, else [`FALLBACK_MODIFIED`].
pub fn modified(t: &Transcript, dates: &DatePolicy) -> Result<String, EpochOutOfRange> {
    Ok(dates
        .modified(t)?
        .map_or_else(|| FALLBACK_MODIFIED.to_string(), UtcDateTime::w3c))
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
        // Reading apps (calibre, Apple Books) show as authors the creators with the role
        // `aut` or none: a creator is `aut` and then what they were in the interview.
        let mut roles: Vec<&str> = Vec::new();
        if element == "dc:creator" {
            roles.push("aut");
        }
        roles.extend(p.role.marc_relator());
        for code in roles {
            line(format!(
                "<meta refines=\"#{id}\" property=\"role\" scheme=\"marc:relators\">{code}</meta>"
            ));
        }
    }
    if let Some(d) = m.date {
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
                date: date.map(|d| d.parse().unwrap()),
                ..Metadata::default()
            },
            vec![],
            vec![],
        )
        .unwrap()
    }

    #[test]
    fn modified_prefers_epoch_then_date_then_fallback() {
        let t = with_date(Some("2020-01-28"));
        let epoch = DatePolicy::new(Some(1_700_000_000));
        assert_eq!(modified(&t, &epoch).unwrap(), "2023-11-14T22:13:20Z");
        let none = DatePolicy::default();
        assert_eq!(modified(&t, &none).unwrap(), "2020-01-28T00:00:00Z");
        assert_eq!(
            modified(&with_date(Some("2020-02")), &none).unwrap(),
            "2020-02-01T00:00:00Z"
        );
        assert_eq!(
            modified(&with_date(None), &none).unwrap(),
            FALLBACK_MODIFIED
        );
    }

    #[test]
    fn modified_rejects_epochs_beyond_year_9999() {
        let t = with_date(None);
        assert!(modified(&t, &DatePolicy::new(Some(i64::MAX))).is_err());
        assert!(modified(&t, &DatePolicy::new(Some(253_402_300_800))).is_err());
        assert!(modified(&t, &DatePolicy::new(Some(253_402_300_799))).is_ok());
    }

    #[test]
    fn language_falls_back_to_und_and_detects_rtl() {
        let lang = |l: Option<&str>| {
            let mut t = with_date(None);
            t.metadata.language = l.map(|l| l.parse().unwrap());
            language(&t)
        };
        assert_eq!(lang(Some("pt-BR")).tag, "pt-BR");
        assert_eq!(lang(None).tag, "und");
        assert!(lang(Some("he")).rtl);
        assert!(lang(Some("ar-EG")).rtl);
        assert!(!lang(Some("en")).rtl);
    }

    #[test]
    fn content_uuid_follows_content() {
        let a = with_date(Some("2020"));
        let b = with_date(Some("2021"));
        assert_eq!(content_uuid(&a).unwrap(), content_uuid(&a.clone()).unwrap());
        assert_ne!(content_uuid(&a).unwrap(), content_uuid(&b).unwrap());
        assert_eq!(content_uuid(&a).unwrap().get_version_num(), 5);
        // The name hashed is the transcript's JSON, as `Uuid::new_v5` would hash it.
        let json = serde_json::to_vec(&a).unwrap();
        assert_eq!(
            content_uuid(&a).unwrap(),
            Uuid::new_v5(&CONTENT_NAMESPACE, &json)
        );
    }
}
