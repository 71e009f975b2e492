//! A small element tree built with quick-xml, with the XML safety rules applied.

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;
use verbatim_model::{Code, Diagnostic, LineIndex};

use crate::{ReadErrorKind, TeiError};

pub(crate) const TEI_NS: &str = "http://www.tei-c.org/ns/1.0";

/// Stands for a run of literal whitespace that contains a line break: layout, not
/// content. U+FFFF cannot occur in an XML document, so it cannot be confused with text.
pub(crate) const LAYOUT: char = '\u{FFFF}';
/// Layout with a blank line in it (two line breaks or more): a paragraph break where a
/// text has no paragraph elements. Otherwise it is read as [`LAYOUT`].
pub(crate) const BLANK_LINE: char = '\u{FFFE}';
/// Both layout marks.
pub(crate) const LAYOUTS: [char; 2] = [LAYOUT, BLANK_LINE];

/// Deepest element nesting accepted; the mapping recurses over the tree.
pub(crate) const MAX_DEPTH: usize = 256;

/// The namespace of an element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ns {
    Tei,
    None,
    Other(String),
}

#[derive(Debug, Clone)]
pub(crate) struct Elem {
    /// Local name.
    pub name: String,
    pub ns: Ns,
    /// Qualified attribute names as written (`xml:id`, `who`) with normalised values.
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
    /// Byte offset of the `<`.
    pub pos: usize,
}

#[derive(Debug, Clone)]
pub(crate) enum Node {
    Elem(Box<Elem>),
    /// Text with [`LAYOUT`] in place of line-breaking whitespace; byte offset.
    Text(String, usize),
}

impl Elem {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether this is a TEI element (in the TEI namespace or in none).
    pub fn is_tei(&self) -> bool {
        matches!(self.ns, Ns::Tei | Ns::None)
    }

    pub fn elems(&self) -> impl Iterator<Item = &Elem> {
        self.children.iter().filter_map(|n| match n {
            Node::Elem(e) => Some(&**e),
            Node::Text(..) => None,
        })
    }

    /// The first TEI child element with this name.
    pub fn child(&self, name: &str) -> Option<&Elem> {
        self.elems().find(|e| e.is_tei() && e.name == name)
    }
}

/// Whether a text node holds only whitespace or layout.
pub(crate) fn is_blank(s: &str) -> bool {
    s.chars()
        .all(|c| LAYOUTS.contains(&c) || matches!(c, ' ' | '\t' | '\n' | '\r'))
}

/// A parsed document: the root element and what was noticed on the way.
pub(crate) struct Document {
    pub root: Elem,
    pub warnings: Vec<Diagnostic>,
}

fn err(idx: &LineIndex, offset: usize, kind: ReadErrorKind) -> TeiError {
    let (line, column) = idx.position(offset);
    TeiError::Read { line, column, kind }
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Replaces each run of XML whitespace that contains a line break with [`LAYOUT`].
fn mark_layout(s: &str, out: &mut String) {
    if !s.contains('\n') {
        out.push_str(s);
        return;
    }
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.matches('\n').count() >= 2 {
            out.push(BLANK_LINE);
        } else if run.contains('\n') {
            out.push(LAYOUT);
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in s.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            run.push(c);
        } else {
            flush(&mut run, out);
            out.push(c);
        }
    }
    flush(&mut run, out);
}

fn push_text(parent: &mut Elem, text: &str, pos: usize) {
    if let Some(Node::Text(prev, _)) = parent.children.last_mut() {
        prev.push_str(text);
    } else {
        push_child(parent, Node::Text(text.to_string(), pos));
    }
}

/// Adds a child. Most elements have one (`<u>` its text), and a first push would
/// make room for four: that slack was most of a large document's tree.
fn push_child(parent: &mut Elem, node: Node) {
    if parent.children.capacity() == 0 {
        parent.children.reserve_exact(1);
    }
    parent.children.push(node);
}

/// Parses `src` into an element tree.
pub(crate) fn parse(src: &str) -> Result<Document, TeiError> {
    let idx = LineIndex::new(src);
    if let Some((offset, c)) = src.char_indices().find(|&(_, c)| !is_xml_char(c)) {
        return Err(err(&idx, offset, ReadErrorKind::IllegalChar(c as u32)));
    }
    let mut reader = NsReader::from_str(src);
    let config = reader.config_mut();
    config.expand_empty_elements = false;
    config.check_end_names = true;
    config.trim_text(false);

    let mut warnings = Vec::new();
    let mut stack: Vec<Elem> = Vec::new();
    let mut root: Option<Elem> = None;
    loop {
        let pos = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let (ns, event) = match reader.read_resolved_event() {
            Ok((ns, event)) => (to_ns(&ns), event),
            Err(e) => {
                let at = usize::try_from(reader.error_position()).unwrap_or(pos);
                return Err(err(&idx, at, ReadErrorKind::Xml(e.to_string())));
            }
        };
        match event {
            Event::Start(e) | Event::Empty(e) if root.is_some() => {
                let _ = e;
                return Err(err(
                    &idx,
                    pos,
                    ReadErrorKind::Xml("content after the root element".into()),
                ));
            }
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(err(&idx, pos, ReadErrorKind::TooDeep(MAX_DEPTH)));
                }
                let ns = ns.map_err(|m| err(&idx, pos, ReadErrorKind::Xml(m)))?;
                stack.push(element(&e, ns, pos, &idx)?);
            }
            Event::Empty(e) => {
                let ns = ns.map_err(|m| err(&idx, pos, ReadErrorKind::Xml(m)))?;
                let el = element(&e, ns, pos, &idx)?;
                match stack.last_mut() {
                    Some(parent) => push_child(parent, Node::Elem(Box::new(el))),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                let Some(mut el) = stack.pop() else {
                    return Err(err(
                        &idx,
                        pos,
                        ReadErrorKind::Xml("unexpected end tag".into()),
                    ));
                };
                el.children.shrink_to_fit();
                match stack.last_mut() {
                    Some(parent) => push_child(parent, Node::Elem(Box::new(el))),
                    None => root = Some(el),
                }
            }
            Event::Text(t) => {
                let raw = t.xml10_content();
                match stack.last_mut() {
                    Some(parent) => {
                        let mut s = String::with_capacity(raw.len());
                        mark_layout(&raw, &mut s);
                        push_text(parent, &s, pos);
                    }
                    None if raw
                        .trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
                        .is_empty() => {}
                    None => {
                        let what = if root.is_some() { "after" } else { "before" };
                        return Err(err(
                            &idx,
                            pos,
                            ReadErrorKind::Xml(format!("text {what} the root element")),
                        ));
                    }
                }
            }
            Event::CData(t) => {
                let text = t.xml10_content();
                match stack.last_mut() {
                    Some(parent) => push_text(parent, &text, pos),
                    None => {
                        return Err(err(
                            &idx,
                            pos,
                            ReadErrorKind::Xml("CDATA outside the root element".into()),
                        ));
                    }
                }
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => match predefined(&r) {
                        Some(c) => c,
                        None => {
                            return Err(err(
                                &idx,
                                pos,
                                ReadErrorKind::UnknownEntity(r.to_string()),
                            ));
                        }
                    },
                    Err(e) => return Err(err(&idx, pos, ReadErrorKind::Xml(e.to_string()))),
                };
                if !is_xml_char(c) {
                    return Err(err(&idx, pos, ReadErrorKind::IllegalChar(c as u32)));
                }
                match stack.last_mut() {
                    Some(parent) => push_text(parent, c.encode_utf8(&mut [0; 4]), pos),
                    None => {
                        return Err(err(
                            &idx,
                            pos,
                            ReadErrorKind::Xml("reference outside the root element".into()),
                        ));
                    }
                }
            }
            Event::DocType(d) => {
                let body: &str = &d;
                if body.contains("<!ENTITY") {
                    return Err(err(&idx, pos, ReadErrorKind::EntityDeclaration));
                }
                let (line, column) = idx.position(pos);
                warnings.push(Diagnostic::warning(
                    Code::Doctype,
                    line,
                    column,
                    "DOCTYPE ignored: no DTD is loaded or processed",
                ));
            }
            Event::Decl(_) => {}
            Event::Comment(_) | Event::PI(_) => {}
            Event::Eof => {
                if let Some(open) = stack.last() {
                    return Err(err(
                        &idx,
                        open.pos,
                        ReadErrorKind::Xml(format!("<{}> is never closed", open.name)),
                    ));
                }
                return match root {
                    Some(root) => Ok(Document { root, warnings }),
                    None => Err(err(&idx, pos, ReadErrorKind::Xml("no root element".into()))),
                };
            }
        }
    }
}

fn predefined(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => return None,
    })
}

fn to_ns(r: &ResolveResult) -> Result<Ns, String> {
    match r {
        ResolveResult::Bound(ns) if ns.0 == TEI_NS => Ok(Ns::Tei),
        ResolveResult::Bound(ns) => Ok(Ns::Other(ns.0.to_string())),
        ResolveResult::Unbound => Ok(Ns::None),
        ResolveResult::Unknown(p) => Err(format!("undeclared namespace prefix '{p}'")),
    }
}

fn element(e: &BytesStart, ns: Ns, pos: usize, idx: &LineIndex) -> Result<Elem, TeiError> {
    let name = e.local_name().as_ref().to_string();
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|x| err(idx, pos, ReadErrorKind::Xml(x.to_string())))?;
        let key = a.key.as_ref();
        if key == "xmlns" || key.starts_with("xmlns:") {
            continue;
        }
        let value =
            a.normalized_value(XmlVersion::Implicit1_0)
                .map_err(|x| match x {
                    quick_xml::Error::Escape(
                        quick_xml::escape::EscapeError::UnrecognizedEntity(_, name),
                    ) => err(idx, pos, ReadErrorKind::UnknownEntity(name)),
                    other => err(idx, pos, ReadErrorKind::Xml(other.to_string())),
                })?;
        if let Some(c) = value.chars().find(|&c| !is_xml_char(c)) {
            return Err(err(idx, pos, ReadErrorKind::IllegalChar(c as u32)));
        }
        attrs.push((key.to_string(), value.into_owned()));
    }
    attrs.shrink_to_fit();
    Ok(Elem {
        name,
        ns,
        attrs,
        children: Vec::new(),
        pos,
    })
}
