//! The small parts of a .docx: relationships, styles, core properties.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::XmlError;
use crate::events::{attr, entity, xml_error};

/// Calls `f` on every start or empty element.
fn each_element(xml: &str, mut f: impl FnMut(&BytesStart)) -> Result<(), XmlError> {
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => f(&e),
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(xml_error(&reader, e)),
        }
    }
}

/// The main document's part name from `_rels/.rels`.
pub(crate) fn main_document(rels: &str) -> Option<String> {
    let mut found = None;
    let _ = each_element(rels, |e| {
        if e.local_name().as_ref() == "Relationship"
            && attr(e, "Type").is_some_and(|t| t.ends_with("/officeDocument"))
        {
            found = attr(e, "Target").map(|t| t.trim_start_matches('/').to_string());
        }
    });
    found
}

/// Relationship id → external target, for hyperlinks.
pub(crate) fn hyperlinks(rels: &str) -> Result<Vec<(String, String)>, XmlError> {
    let mut out = Vec::new();
    each_element(rels, |e| {
        if e.local_name().as_ref() == "Relationship"
            && attr(e, "Type").is_some_and(|t| t.ends_with("/hyperlink"))
            && let (Some(id), Some(target)) = (attr(e, "Id"), attr(e, "Target"))
        {
            out.push((id, target));
        }
    })?;
    Ok(out)
}

/// A paragraph style as far as headings are concerned.
#[derive(Debug, Clone, Default)]
pub(crate) struct StyleDef {
    pub id: String,
    pub name: String,
    pub based_on: Option<String>,
    pub outline: Option<u8>,
}

pub(crate) fn styles(xml: &str) -> Result<Vec<StyleDef>, XmlError> {
    let mut out: Vec<StyleDef> = Vec::new();
    let mut reader = Reader::from_str(xml);
    let mut current: Option<StyleDef> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "style" => {
                current = Some(StyleDef {
                    id: attr(&e, "styleId").unwrap_or_default(),
                    ..StyleDef::default()
                });
            }
            Ok(Event::Start(e) | Event::Empty(e)) => {
                if let Some(s) = &mut current {
                    match e.local_name().as_ref() {
                        "name" => s.name = attr(&e, "val").unwrap_or_default(),
                        "basedOn" => s.based_on = attr(&e, "val"),
                        "outlineLvl" => s.outline = attr(&e, "val").and_then(|v| v.parse().ok()),
                        _ => {}
                    }
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "style" => {
                out.extend(current.take());
            }
            Ok(Event::Eof) => return Ok(out),
            Ok(_) => {}
            Err(e) => return Err(xml_error(&reader, e)),
        }
    }
}

/// What `docProps/core.xml` says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Core {
    pub title: Option<String>,
    pub creator: Option<String>,
    pub description: Option<String>,
    pub keywords: Vec<String>,
    pub language: Option<String>,
    /// The day of `dcterms:created`.
    pub created: Option<verbatim_model::IsoDate>,
}

pub(crate) fn core(xml: &str) -> Result<Core, XmlError> {
    let mut out = Core::default();
    let mut reader = Reader::from_str(xml);
    let mut field: Option<String> = None;
    let mut text = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                field = Some(e.local_name().as_ref().to_string());
                text.clear();
            }
            Ok(Event::Text(t)) => text.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(r)) => text.push_str(&entity(&r)),
            Ok(Event::End(_)) => {
                let value = text.trim().to_string();
                text.clear();
                if value.is_empty() {
                    field = None;
                    continue;
                }
                match field.take().as_deref() {
                    Some("title") => out.title = Some(value),
                    Some("creator") => out.creator = Some(value),
                    Some("description") => out.description = Some(value),
                    Some("language") => out.language = Some(value),
                    Some("keywords") => {
                        out.keywords = verbatim_labels::header::split_keywords(&value)
                    }
                    Some("created") => {
                        out.created = value
                            .get(..10)
                            .and_then(|d| d.parse::<verbatim_model::IsoDate>().ok())
                    }
                    _ => {}
                }
            }
            Ok(Event::Eof) => return Ok(out),
            Ok(_) => {}
            Err(e) => return Err(xml_error(&reader, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationships_styles_and_core() {
        let rels = r#"<Relationships xmlns="x"><Relationship Id="rId1" Type="http://x/officeDocument" Target="/word/document2.xml"/><Relationship Id="rId5" Type="http://x/hyperlink" Target="https://example.org/?a=1&amp;b=2" TargetMode="External"/></Relationships>"#;
        assert_eq!(main_document(rels).as_deref(), Some("word/document2.xml"));
        assert_eq!(
            hyperlinks(rels).unwrap(),
            [(
                "rId5".to_string(),
                "https://example.org/?a=1&b=2".to_string()
            )]
        );
        let st = styles(r#"<w:styles xmlns:w="w"><w:style w:styleId="Q1"><w:name w:val="Question"/><w:basedOn w:val="Heading2"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style></w:styles>"#).unwrap();
        assert_eq!(
            (st[0].id.as_str(), st[0].name.as_str(), st[0].outline),
            ("Q1", "Question", Some(1))
        );
        let c = core(r#"<cp:coreProperties xmlns:cp="c" xmlns:dc="d" xmlns:dcterms="t"><dc:title>A &amp; B</dc:title><dc:creator>Ann</dc:creator><cp:keywords>x; y</cp:keywords><dcterms:created>2021-03-04T10:00:00Z</dcterms:created></cp:coreProperties>"#).unwrap();
        assert_eq!(c.title.as_deref(), Some("A & B"));
        assert_eq!(c.keywords, ["x", "y"]);
        assert_eq!(
            c.created.map(|d| d.to_string()).as_deref(),
            Some("2021-03-04")
        );
        assert!(core("<a><b></a>").is_err());
    }
}
