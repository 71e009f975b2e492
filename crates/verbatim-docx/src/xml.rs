//! `word/document.xml` (and footnotes) → paragraphs of lines of inline content.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use verbatim_labels::{Line, Para, Style};
use verbatim_model::Inline;

use crate::XmlError;
use crate::events::{attr, entity, xml_error};
use crate::parts::StyleDef;

/// Paragraphs of the document body.
pub(crate) struct Body {
    pub paras: Vec<Para>,
    /// Drawings, text boxes and objects left out.
    pub skipped: usize,
    /// Paragraph of the first one left out.
    pub first_skipped: usize,
    /// Note references would have copied more than [`NOTE_COPY_BUDGET`].
    pub notes_over: bool,
}

/// Elements whose content is not running text.
const SKIP: &[&str] = &[
    "drawing",
    "pict",
    "object",
    "AlternateContent",
    "txbxContent",
    "del",
    "moveFrom",
    "delText",
    "commentReference",
    "fldData",
    "sectPr",
    "footnoteRef",
    "endnoteRef",
    "sym",
    "tabs",
    "annotationRef",
];

/// Elements left out that may hold text the reader would want to know about.
const REPORTED: &[&str] = &["drawing", "pict", "object", "AlternateContent"];

#[derive(Default, Clone, Copy)]
struct RunProps {
    bold: bool,
    italic: bool,
}

struct Field {
    instr: String,
    /// The field's result is being read.
    result: bool,
    /// It opened a link.
    link: bool,
}

#[derive(Default)]
struct ParaBuild {
    style_id: Option<String>,
    outline: Option<u8>,
    /// A tab before any text: a paragraph indented to carry on the turn before it.
    indented: bool,
    lines: Vec<Vec<Inline>>,
    line: Vec<Inline>,
    /// Open links: target and content so far.
    links: Vec<(String, Vec<Inline>)>,
}

impl ParaBuild {
    fn target(&mut self) -> &mut Vec<Inline> {
        match self.links.last_mut() {
            Some((_, c)) => c,
            None => &mut self.line,
        }
    }

    fn close_link(&mut self) {
        if let Some((target, content)) = self.links.pop() {
            let node = Inline::Link { target, content };
            self.target().push(node);
        }
    }

    fn finish(mut self) -> (Option<String>, Option<u8>, Vec<Vec<Inline>>) {
        while !self.links.is_empty() {
            self.close_link();
        }
        self.lines.push(std::mem::take(&mut self.line));
        (self.style_id, self.outline, self.lines)
    }
}

fn on(e: &BytesStart) -> bool {
    !matches!(
        attr(e, "val").as_deref(),
        Some("0" | "false" | "off" | "none")
    )
}

/// Appends text with run formatting, joining it to the previous run when it
/// has the same formatting.
fn push_styled(target: &mut Vec<Inline>, s: &str, p: RunProps) {
    if s.is_empty() {
        return;
    }
    fn push_text(list: &mut Vec<Inline>, s: &str) {
        match list.last_mut() {
            Some(Inline::Text { text }) => text.push_str(s),
            _ => list.push(Inline::text(s)),
        }
    }
    match (p.bold, p.italic) {
        (false, false) => push_text(target, s),
        (false, true) => match target.last_mut() {
            Some(Inline::Emphasis { content }) => push_text(content, s),
            _ => target.push(Inline::Emphasis {
                content: vec![Inline::text(s)],
            }),
        },
        (true, italic) => {
            let inner = match target.last_mut() {
                Some(Inline::Strong { content }) => content,
                _ => {
                    target.push(Inline::Strong {
                        content: Vec::new(),
                    });
                    match target.last_mut() {
                        Some(Inline::Strong { content }) => content,
                        _ => return,
                    }
                }
            };
            push_styled(
                inner,
                s,
                RunProps {
                    bold: false,
                    italic,
                },
            );
        }
    }
}

/// A finished paragraph: number, style id, outline level, lines.
type Done = (usize, Option<String>, Option<u8>, Vec<Vec<Inline>>, bool);

struct Parser<'a> {
    links: &'a [(String, String)],
    notes: &'a [(String, Vec<Inline>)],
    para_no: usize,
    skip: usize,
    skipped: usize,
    first_skipped: usize,
    para: Option<ParaBuild>,
    in_ppr: bool,
    in_rpr: bool,
    in_run: bool,
    in_text: bool,
    in_instr: bool,
    run: RunProps,
    fields: Vec<Field>,
    done: Vec<Done>,
    /// Footnote or endnote being read, and the first of its paragraphs.
    note: Option<(String, usize)>,
    note_out: Vec<(String, Vec<Inline>)>,
    /// Characters of note text that references may still copy.
    note_budget: usize,
    /// A reference found the budget spent.
    notes_over: bool,
}

/// Links nested deeper than this keep their text without being links: Word nests
/// none, and nesting is what the model must bound.
const MAX_LINK_DEPTH: usize = 8;

/// Characters of note text all references together may copy (each reference holds the
/// whole note).
pub(crate) const NOTE_COPY_BUDGET: usize = 64 * 1024 * 1024;

/// Characters of inline text, for the note budget.
fn size_of(list: &[Inline]) -> usize {
    verbatim_model::plain_text(list).len()
}

impl<'a> Parser<'a> {
    fn new(links: &'a [(String, String)], notes: &'a [(String, Vec<Inline>)]) -> Self {
        Parser {
            links,
            notes,
            para_no: 0,
            skip: 0,
            skipped: 0,
            first_skipped: 0,
            para: None,
            in_ppr: false,
            in_rpr: false,
            in_run: false,
            in_text: false,
            in_instr: false,
            run: RunProps::default(),
            fields: Vec::new(),
            done: Vec::new(),
            note: None,
            note_out: Vec::new(),
            note_budget: NOTE_COPY_BUDGET,
            notes_over: false,
        }
    }

    fn run(&mut self, xml: &str) -> Result<(), XmlError> {
        let mut reader = Reader::from_str(xml);
        loop {
            let ev = reader.read_event().map_err(|e| xml_error(&reader, e))?;
            match ev {
                Event::Start(e) => {
                    if self.skip > 0 {
                        self.skip += 1;
                        continue;
                    }
                    let name = e.local_name().as_ref().to_string();
                    if SKIP.contains(&name.as_str()) {
                        self.skip = 1;
                        if REPORTED.contains(&name.as_str()) {
                            self.skipped += 1;
                            if self.first_skipped == 0 {
                                self.first_skipped = self.para_no.max(1);
                            }
                        }
                        continue;
                    }
                    self.start(&name, &e, false);
                }
                Event::Empty(e) => {
                    if self.skip > 0 {
                        continue;
                    }
                    let name = e.local_name().as_ref().to_string();
                    if !SKIP.contains(&name.as_str()) {
                        self.start(&name, &e, true);
                    }
                }
                Event::End(e) => {
                    if self.skip > 0 {
                        self.skip -= 1;
                        continue;
                    }
                    self.end(e.local_name().as_ref());
                }
                Event::Text(t) if self.skip == 0 => self.text(&t.xml10_content()),
                Event::CData(t) if self.skip == 0 => {
                    self.text(&t.xml_content(quick_xml::XmlVersion::Implicit1_0))
                }
                Event::GeneralRef(r) if self.skip == 0 => self.text(&entity(&r)),
                Event::Eof => return Ok(()),
                _ => {}
            }
        }
    }

    fn text(&mut self, s: &str) {
        if self.in_instr {
            if let Some(f) = self.fields.last_mut() {
                f.instr.push_str(s);
            }
            return;
        }
        if !self.in_text {
            return;
        }
        // Field codes between `begin` and `separate` are not text.
        if self.fields.last().is_some_and(|f| !f.result) {
            return;
        }
        let props = self.run;
        if let Some(p) = &mut self.para {
            push_styled(p.target(), s, props);
        }
    }

    fn start(&mut self, name: &str, e: &BytesStart, empty: bool) {
        match name {
            "p" => {
                self.para_no += 1;
                if !empty && self.para.is_none() {
                    self.para = Some(ParaBuild::default());
                }
            }
            "pPr" if !empty => self.in_ppr = true,
            "pStyle" if self.in_ppr => {
                if let Some(p) = &mut self.para {
                    p.style_id = attr(e, "val");
                }
            }
            "outlineLvl" if self.in_ppr => {
                if let Some(p) = &mut self.para {
                    p.outline = attr(e, "val").and_then(|v| v.parse().ok());
                }
            }
            "r" if !empty => {
                self.in_run = true;
                self.run = RunProps::default();
            }
            "rPr" if !empty && !self.in_ppr => self.in_rpr = true,
            "b" if self.in_rpr => self.run.bold = on(e),
            "i" if self.in_rpr => self.run.italic = on(e),
            "t" if !empty => self.in_text = true,
            "instrText" if !empty => self.in_instr = true,
            "tab" | "ptab" if self.in_run && !self.in_ppr => {
                if let Some(p) = &mut self.para
                    && p.lines.is_empty()
                    && p.line
                        .iter()
                        .all(|i| matches!(i, Inline::Text { text } if text.trim().is_empty()))
                {
                    p.indented = true;
                }
                self.styled(" ")
            }
            "noBreakHyphen" if self.in_run => self.styled("-"),
            "br" | "cr" if self.in_run => {
                let kind = attr(e, "type");
                if matches!(kind.as_deref(), Some("page" | "column")) {
                    self.styled(" ");
                } else if let Some(p) = &mut self.para {
                    let line = std::mem::take(&mut p.line);
                    p.lines.push(line);
                }
            }
            "hyperlink" => {
                let target = attr(e, "id").and_then(|id| {
                    self.links
                        .iter()
                        .find(|(i, _)| *i == id)
                        .map(|(_, t)| t.clone())
                });
                if let (Some(t), Some(p)) = (target, &mut self.para)
                    && !empty
                    && p.links.len() < MAX_LINK_DEPTH
                {
                    p.links.push((t, Vec::new()));
                } else if !empty && let Some(p) = &mut self.para {
                    // An internal anchor: a marker so that the end tag closes nothing.
                    p.links.push((String::new(), Vec::new()));
                }
            }
            "fldSimple" if !empty => {
                let target = attr(e, "instr").and_then(|i| hyperlink_target(&i));
                if let Some(p) = &mut self.para {
                    let target = target.filter(|_| p.links.len() < MAX_LINK_DEPTH);
                    p.links.push((target.unwrap_or_default(), Vec::new()));
                }
            }
            "fldChar" => match attr(e, "fldCharType").as_deref() {
                Some("begin") => self.fields.push(Field {
                    instr: String::new(),
                    result: false,
                    link: false,
                }),
                Some("separate") => {
                    if let Some(f) = self.fields.last_mut() {
                        f.result = true;
                        if let Some(t) = hyperlink_target(&f.instr)
                            && let Some(p) = &mut self.para
                            && p.links.len() < MAX_LINK_DEPTH
                        {
                            p.links.push((t, Vec::new()));
                            f.link = true;
                        }
                    }
                }
                Some("end") => {
                    if let Some(f) = self.fields.pop()
                        && f.link
                        && let Some(p) = &mut self.para
                    {
                        p.close_link();
                    }
                }
                _ => {}
            },
            "footnoteReference" | "endnoteReference" => {
                let kind = name.trim_end_matches("Reference");
                let key = format!("{kind}:{}", attr(e, "id").unwrap_or_default());
                if let Some((_, content)) = self.notes.iter().find(|(k, _)| *k == key) {
                    let cost = size_of(content);
                    if cost > self.note_budget {
                        self.notes_over = true;
                        return;
                    }
                    self.note_budget -= cost;
                    let note = Inline::Note {
                        resp: None,
                        content: content.clone(),
                    };
                    if let Some(p) = &mut self.para {
                        p.target().push(note);
                    }
                }
            }
            "footnote" | "endnote" if !empty => {
                let separator = attr(e, "type").is_some_and(|t| t != "normal");
                let key = format!("{name}:{}", attr(e, "id").unwrap_or_default());
                self.note = (!separator).then_some((key, self.done.len()));
            }
            _ => {}
        }
    }

    fn styled(&mut self, s: &str) {
        let props = self.run;
        if let Some(p) = &mut self.para {
            push_styled(p.target(), s, props);
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "p" => {
                if let Some(p) = self.para.take() {
                    let indented = p.indented;
                    let (style, outline, lines) = p.finish();
                    self.done
                        .push((self.para_no, style, outline, lines, indented));
                }
            }
            "pPr" => self.in_ppr = false,
            "rPr" => self.in_rpr = false,
            "r" => {
                self.in_run = false;
                self.run = RunProps::default();
            }
            "t" => self.in_text = false,
            "instrText" => self.in_instr = false,
            "hyperlink" | "fldSimple" => {
                if let Some(p) = &mut self.para {
                    match p.links.last() {
                        Some((t, _)) if t.is_empty() => {
                            // No target: keep the text, drop the link.
                            if let Some((_, content)) = p.links.pop() {
                                p.target().extend(content);
                            }
                        }
                        Some(_) => p.close_link(),
                        None => {}
                    }
                }
            }
            "footnote" | "endnote" => {
                if let Some((key, from)) = self.note.take() {
                    let mut content = Vec::new();
                    for (_, _, _, lines, _) in self.done.drain(from..) {
                        for line in lines {
                            if !content.is_empty() && !line.is_empty() {
                                content.push(Inline::text(" "));
                            }
                            content.extend(line);
                        }
                    }
                    self.note_out.push((key, trim(content)));
                }
            }
            _ => {}
        }
    }
}

fn trim(mut list: Vec<Inline>) -> Vec<Inline> {
    if let Some(Inline::Text { text }) = list.first_mut() {
        *text = text.trim_start().to_string();
    }
    if let Some(Inline::Text { text }) = list.last_mut() {
        *text = text.trim_end().to_string();
    }
    verbatim_labels::brackets::merge_text(list)
}

/// The URL of a `HYPERLINK "url"` field instruction (not `\l` anchors).
fn hyperlink_target(instr: &str) -> Option<String> {
    let rest = instr.trim().strip_prefix("HYPERLINK")?.trim_start();
    if rest.starts_with("\\l") {
        return None;
    }
    let rest = rest.strip_prefix('"')?;
    let end = rest.find('"')?;
    let url = rest[..end].trim();
    (!url.is_empty()).then(|| url.to_string())
}

fn style_of(id: Option<&str>, outline: Option<u8>, styles: &[StyleDef]) -> Style {
    if let Some(o) = outline
        && o < 9
    {
        return Style::Heading(o + 1);
    }
    let mut id = id.map(str::to_string);
    for _ in 0..10 {
        let Some(cur) = id.take() else { break };
        let def = styles.iter().find(|s| s.id == cur);
        let names = [
            cur.to_lowercase(),
            def.map(|d| d.name.to_lowercase()).unwrap_or_default(),
        ];
        for n in &names {
            let compact: String = n.chars().filter(|c| !c.is_whitespace()).collect();
            match compact.as_str() {
                "title" => return Style::Title,
                "subtitle" => return Style::Subtitle,
                _ => {}
            }
            if let Some(level) = compact
                .strip_prefix("heading")
                .and_then(|l| l.parse::<u8>().ok())
                && (1..=9).contains(&level)
            {
                return Style::Heading(level);
            }
        }
        if let Some(o) = def.and_then(|d| d.outline)
            && o < 9
        {
            return Style::Heading(o + 1);
        }
        id = def.and_then(|d| d.based_on.clone());
    }
    Style::Body
}

pub(crate) fn document(
    xml: &str,
    links: &[(String, String)],
    styles: &[StyleDef],
    notes: &[(String, Vec<Inline>)],
) -> Result<Body, XmlError> {
    let mut p = Parser::new(links, notes);
    p.run(xml)?;
    let paras = p
        .done
        .into_iter()
        .map(|(no, style, outline, lines, indented)| Para {
            lines: lines
                .into_iter()
                .map(|content| Line {
                    line: no,
                    column: 1,
                    content,
                    ..Line::default()
                })
                .collect(),
            style: style_of(style.as_deref(), outline, styles),
            indented,
            time: None,
            segment: false,
            runs_on: false,
        })
        .filter(|p| {
            p.lines
                .iter()
                .any(|l| !verbatim_model::plain_text(&l.content).trim().is_empty())
        })
        .collect();
    Ok(Body {
        paras,
        skipped: p.skipped,
        first_skipped: p.first_skipped,
        notes_over: p.notes_over,
    })
}

/// Footnotes or endnotes: `footnote:ID` → content.
pub(crate) fn notes(
    xml: &str,
    links: &[(String, String)],
) -> Result<Vec<(String, Vec<Inline>)>, XmlError> {
    let mut p = Parser::new(links, &[]);
    p.run(xml)?;
    Ok(p.note_out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

    fn doc(body: &str) -> Body {
        let xml = format!("<w:document {W}><w:body>{body}</w:body></w:document>");
        let links = vec![("rId9".to_string(), "https://example.org/".to_string())];
        let notes = vec![("footnote:2".to_string(), vec![Inline::text("A note.")])];
        document(&xml, &links, &[], &notes).unwrap()
    }

    #[test]
    fn runs_become_inlines() {
        let b = doc(
            r#"<w:p><w:pPr><w:pStyle w:val="Heading2"/><w:rPr><w:b/></w:rPr></w:pPr><w:r><w:t>Part</w:t></w:r></w:p>
<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Ann</w:t></w:r><w:r><w:rPr><w:b w:val="1"/></w:rPr><w:t xml:space="preserve"> Lee:</w:t></w:r><w:r><w:t xml:space="preserve"> a </w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>b</w:t></w:r><w:r><w:rPr><w:b/><w:i w:val="0"/></w:rPr><w:t>c</w:t></w:r><w:hyperlink r:id="rId9"><w:r><w:t>link</w:t></w:r></w:hyperlink><w:r><w:footnoteReference w:id="2"/></w:r><w:r><w:br/><w:t>x&amp;y</w:t><w:tab/><w:t>z</w:t></w:r></w:p>"#,
        );
        assert_eq!(b.paras.len(), 2);
        assert_eq!(b.paras[0].style, Style::Heading(2));
        let l = &b.paras[1].lines;
        assert_eq!(l.len(), 2);
        assert_eq!(
            l[0].content,
            vec![
                Inline::Strong {
                    content: vec![Inline::text("Ann Lee:")]
                },
                Inline::text(" a "),
                Inline::Emphasis {
                    content: vec![Inline::text("b")]
                },
                Inline::Strong {
                    content: vec![Inline::text("c")]
                },
                Inline::Link {
                    target: "https://example.org/".into(),
                    content: vec![Inline::text("link")]
                },
                Inline::Note {
                    resp: None,
                    content: vec![Inline::text("A note.")]
                },
            ]
        );
        assert_eq!(l[1].content, vec![Inline::text("x&y z")]);
        assert_eq!(l[1].line, 2);
    }

    #[test]
    fn deletions_fields_and_drawings_are_left_out() {
        let b = doc(
            r#"<w:p><w:r><w:t>kept </w:t></w:r><w:del><w:r><w:delText>gone</w:delText></w:r></w:del><w:ins><w:r><w:t>inserted </w:t></w:r></w:ins><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "https://example.org/f" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>field</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:drawing><w:t>box</w:t></w:drawing></w:r><w:hyperlink w:anchor="x"><w:r><w:t> anchor</w:t></w:r></w:hyperlink></w:p>"#,
        );
        assert_eq!(
            b.paras[0].lines[0].content,
            vec![
                Inline::text("kept inserted "),
                Inline::Link {
                    target: "https://example.org/f".into(),
                    content: vec![Inline::text("field")]
                },
                Inline::text(" anchor"),
            ]
        );
        assert_eq!((b.skipped, b.first_skipped), (1, 1));
    }

    #[test]
    fn styles_resolve_through_based_on_and_outline() {
        let styles = vec![
            StyleDef {
                id: "Q".into(),
                name: "Question heading".into(),
                based_on: Some("Heading3".into()),
                outline: None,
            },
            StyleDef {
                id: "Ueberschrift1".into(),
                name: "heading 1".into(),
                based_on: None,
                outline: None,
            },
        ];
        assert_eq!(style_of(Some("Q"), None, &styles), Style::Heading(3));
        assert_eq!(
            style_of(Some("Ueberschrift1"), None, &styles),
            Style::Heading(1)
        );
        assert_eq!(style_of(Some("Title"), None, &[]), Style::Title);
        assert_eq!(style_of(Some("Normal"), Some(0), &[]), Style::Heading(1));
        assert_eq!(style_of(Some("Normal"), Some(9), &[]), Style::Body);
    }

    #[test]
    fn notes_are_read_without_separators() {
        let xml = format!(
            r#"<w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> See </w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>this</w:t></w:r></w:p></w:footnote></w:footnotes>"#
        );
        let n = notes(&xml, &[]).unwrap();
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].0, "footnote:2");
        assert_eq!(
            n[0].1,
            vec![
                Inline::text("See "),
                Inline::Emphasis {
                    content: vec![Inline::text("this")]
                }
            ]
        );
    }
}
