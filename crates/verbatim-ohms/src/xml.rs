//! The OHMS export as plain data: the record's fields, its index points, the text of its
//! transcript, each with the line it starts on.

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use crate::{Error, ErrorKind};

/// The OHMS namespace (both flavours).
pub const OHMS_NS: &str = "https://www.weareavp.com/nunncenter/ohms";

/// Deeper than an OHMS export ever nests.
const MAX_DEPTH: usize = 32;

/// One child of `<record>` that holds text.
#[derive(Debug, Clone, Default)]
pub struct Field {
    pub name: String,
    pub text: String,
    /// Line and column where the text starts.
    pub at: (usize, usize),
    /// The `value` attribute (`<date value="2006-06-13"/>`).
    pub value: Option<String>,
}

/// An `<index><point>`.
#[derive(Debug, Clone, Default)]
pub struct Point {
    pub at: (usize, usize),
    pub fields: Vec<Field>,
}

impl Point {
    pub fn get(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map_or("", |f| f.text.trim())
    }
}

#[derive(Debug, Default)]
pub struct Record {
    pub fields: Vec<Field>,
    pub points: Vec<Point>,
}

impl Record {
    pub fn get(&self, name: &str) -> Option<&Field> {
        self.fields
            .iter()
            .find(|f| f.name == name && !f.text.trim().is_empty())
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        self.get(name).map(|f| f.text.trim())
    }

    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Field> + 'a {
        self.fields
            .iter()
            .filter(move |f| f.name == name && !f.text.trim().is_empty())
    }
}

/// Offsets to lines and columns.
pub struct Lines<'a> {
    src: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(src: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        Lines { src, starts }
    }

    pub fn at(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.src.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = self
            .src
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (line, column)
    }
}

fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

fn entity(r: &BytesRef) -> String {
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

/// Whether the text's root element is OHMS's `ROOT`.
pub fn is_ohms_root(name: &str, ns: Option<&str>) -> bool {
    name == "ROOT" && ns == Some(OHMS_NS)
}

/// Reads the export: the first `<record>` under `<ROOT>`.
pub fn parse(src: &str) -> Result<Record, Error> {
    let lines = Lines::new(src);
    let mut reader = NsReader::from_str(src);
    let mut path: Vec<String> = Vec::new();
    let mut record = Record::default();
    let mut field: Option<Field> = None;
    let mut point: Option<Point> = None;
    let mut records = 0usize;
    let err = |offset: u64, kind: ErrorKind| {
        let (line, column) = lines.at(usize::try_from(offset).unwrap_or(usize::MAX));
        Error { line, column, kind }
    };
    loop {
        let before = reader.buffer_position();
        let (ns, ev) = match reader.read_resolved_event() {
            Ok(v) => v,
            Err(e) => {
                let message = e.to_string();
                return Err(err(reader.error_position(), ErrorKind::Xml(message)));
            }
        };
        let ns = match ns {
            ResolveResult::Bound(n) => Some(n.0.to_string()),
            _ => None,
        };
        match ev {
            Event::DocType(_) => {
                return Err(err(before, ErrorKind::Doctype));
            }
            Event::Start(ref e) | Event::Empty(ref e) if path.is_empty() => {
                let name = e.local_name().as_ref().to_string();
                if !is_ohms_root(&name, ns.as_deref()) {
                    let what = match &ns {
                        Some(ns) => format!("<{name}> in namespace {ns}"),
                        None => format!("<{name}> in no namespace"),
                    };
                    return Err(err(before, ErrorKind::NotOhms(what)));
                }
                if matches!(ev, Event::Empty(_)) {
                    break;
                }
                path.push(name);
            }
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_string();
                if path.len() >= MAX_DEPTH {
                    return Err(err(before, ErrorKind::TooDeep(MAX_DEPTH)));
                }
                start(
                    &name,
                    &e,
                    &path,
                    &lines,
                    before,
                    &mut field,
                    &mut point,
                    &mut records,
                );
                path.push(name);
            }
            Event::Empty(e) => {
                let name = e.local_name().as_ref().to_string();
                start(
                    &name,
                    &e,
                    &path,
                    &lines,
                    before,
                    &mut field,
                    &mut point,
                    &mut records,
                );
                end(&name, &path, &mut record, &mut field, &mut point);
            }
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                end(&name, &path, &mut record, &mut field, &mut point);
            }
            Event::Text(t) => {
                if let Some(f) = &mut field {
                    // Where the text starts (the element's start until there is text).
                    if f.text.is_empty() {
                        f.at = lines.at(usize::try_from(before).unwrap_or(0));
                    }
                    f.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(f) = &mut field {
                    // The text starts after `<![CDATA[`.
                    f.at = lines.at(usize::try_from(before).unwrap_or(0) + 9);
                    f.text
                        .push_str(&t.xml_content(quick_xml::XmlVersion::Implicit1_0));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(f) = &mut field {
                    f.text.push_str(&entity(&r));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if records == 0 {
        return Err(Error {
            line: 1,
            column: 1,
            kind: ErrorKind::NoRecord,
        });
    }
    Ok(record)
}

/// Where an element sits: `ROOT/record/NAME` is a field, `…/index/point` a point and
/// `…/point/NAME` (or deeper, as `gpspoints/gps_text`) one of its fields.
#[allow(clippy::too_many_arguments)]
fn start(
    name: &str,
    e: &BytesStart,
    path: &[String],
    lines: &Lines<'_>,
    offset: u64,
    field: &mut Option<Field>,
    point: &mut Option<Point>,
    records: &mut usize,
) {
    let at = lines.at(usize::try_from(offset).unwrap_or(0));
    let in_record = path.len() >= 2 && path[1] == "record" && *records == 1;
    match path.len() {
        1 if name == "record" => *records += 1,
        2 if in_record && name != "index" => {
            *field = Some(Field {
                name: name.to_string(),
                value: attr(e, "value"),
                at,
                ..Field::default()
            });
        }
        3 if in_record && path[2] == "index" && name == "point" => {
            *point = Some(Point {
                at,
                fields: Vec::new(),
            });
        }
        n if n >= 4 && in_record && point.is_some() => {
            *field = Some(Field {
                name: name.to_string(),
                at,
                ..Field::default()
            });
        }
        _ => {}
    }
}

fn end(
    name: &str,
    path: &[String],
    record: &mut Record,
    field: &mut Option<Field>,
    point: &mut Option<Point>,
) {
    match path.len() {
        2 if path[1] == "record" => {
            if let Some(f) = field.take().filter(|f| f.name == name) {
                record.fields.push(f);
            }
        }
        3 if name == "point" => {
            if let Some(p) = point.take() {
                record.points.push(p);
            }
        }
        n if n >= 4 => {
            if let (Some(f), Some(p)) = (field.take().filter(|f| f.name == name), point.as_mut()) {
                p.fields.push(f);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_points_and_positions() {
        let src = format!(
            "<ROOT xmlns=\"{OHMS_NS}\">\n<record id=\"1\">\n<title>A &amp; B</title>\n<date value=\"2006-06-13\"/>\n<index><point><time>212</time><title>Moore</title><gpspoints><gps_text>Pescadero</gps_text></gpspoints></point></index>\n<vtt_transcript><![CDATA[WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v A>Hi]]></vtt_transcript>\n</record></ROOT>"
        );
        let r = parse(&src).unwrap();
        assert_eq!(r.text("title"), Some("A & B"));
        assert_eq!(
            r.fields
                .iter()
                .find(|f| f.name == "date")
                .unwrap()
                .value
                .as_deref(),
            Some("2006-06-13")
        );
        assert_eq!(r.points.len(), 1);
        assert_eq!(r.points[0].get("time"), "212");
        assert_eq!(r.points[0].get("gps_text"), "Pescadero");
        let vtt = r.get("vtt_transcript").unwrap();
        assert!(vtt.text.starts_with("WEBVTT"));
        assert_eq!(vtt.at, (6, 26));
    }

    #[test]
    fn other_roots_and_doctypes_are_refused() {
        let e = parse("<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"/>").unwrap_err();
        assert_eq!(
            e.kind,
            ErrorKind::NotOhms("<TEI> in namespace http://www.tei-c.org/ns/1.0".into())
        );
        let e = parse(&format!(
            "<!DOCTYPE ROOT [<!ENTITY a \"b\">]><ROOT xmlns=\"{OHMS_NS}\"/>"
        ))
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Doctype);
        let e = parse(&format!("<ROOT xmlns=\"{OHMS_NS}\"/>")).unwrap_err();
        assert_eq!(e.kind, ErrorKind::NoRecord);
    }
}
