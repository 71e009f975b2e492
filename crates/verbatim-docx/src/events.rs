//! Small helpers over quick-xml events, shared by the part readers.

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart};

use crate::XmlError;

/// An attribute by local name, unescaped.
pub(crate) fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

pub(crate) fn xml_error(reader: &Reader<&[u8]>, e: impl std::fmt::Display) -> XmlError {
    XmlError {
        offset: usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX),
        message: e.to_string(),
    }
}

/// The text of an entity or character reference.
pub(crate) fn entity(r: &BytesRef) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    match &**r {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        _ => "",
    }
    .to_string()
}
