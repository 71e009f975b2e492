//! A readable projection of a PDF for golden files, computed by parsing the
//! bytes: document info, XMP, outline, fonts and the text of each page.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::Error;

static NO_MCIDS: Vec<i64> = Vec::new();

/// Describes a PDF: page count and size, document info, catalog flags, the
/// XMP values that matter for PDF/A and PDF/UA, the outline, the fonts
/// (embedded? ToUnicode?), and the text of each page.
///
/// The text is extracted from the content streams: glyph codes are decoded
/// through each font's ToUnicode map (and `/ActualText` where present). In a
/// tagged PDF the marked-content pieces are put in the order of the structure
/// tree, which is the reading order (right-to-left text included); otherwise
/// content-stream order is used. A new line starts where the baseline
/// changes. Running heads and page numbers (marked as artifacts) are listed
/// after each page's text as `furniture:`.
pub fn describe(pdf: &[u8]) -> Result<String, Error> {
    let doc = Document::load_mem(pdf).map_err(|e| Error::Pdf(e.to_string()))?;
    let mut out = String::new();
    let pages = doc.get_pages();
    let _ = writeln!(out, "version: {}", doc.version);
    let _ = writeln!(out, "pages: {}", pages.len());
    if let Some(&first) = pages.values().next()
        && let Some(size) = page_size(&doc, first)
    {
        let _ = writeln!(out, "page size: {size}");
    }
    let _ = writeln!(out, "encrypted: {}", yes(doc.trailer.has(b"Encrypt")));
    let _ = writeln!(out, "file id: {}", yes(doc.trailer.has(b"ID")));

    out.push_str("info:\n");
    if let Some(info) = doc.trailer.get(b"Info").ok().and_then(|o| dict(&doc, o)) {
        for key in [
            "Title",
            "Author",
            "Subject",
            "Keywords",
            "Creator",
            "Producer",
            "CreationDate",
            "ModDate",
        ] {
            if let Some(v) = info
                .get(key.as_bytes())
                .ok()
                .and_then(|o| text_string(&doc, o))
            {
                let _ = writeln!(out, "  {key}: {v}");
            }
        }
    }

    let catalog = doc.catalog().ok();
    out.push_str("catalog:\n");
    if let Some(cat) = catalog {
        if let Some(lang) = cat.get(b"Lang").ok().and_then(|o| text_string(&doc, o)) {
            let _ = writeln!(out, "  Lang: {lang}");
        }
        let marked = flag(&doc, cat, b"MarkInfo", b"Marked");
        let _ = writeln!(
            out,
            "  tagged: {}",
            yes(marked && cat.has(b"StructTreeRoot"))
        );
        let display_title = flag(&doc, cat, b"ViewerPreferences", b"DisplayDocTitle");
        let _ = writeln!(out, "  DisplayDocTitle: {}", yes(display_title));
        for intent in cat
            .get(b"OutputIntents")
            .ok()
            .and_then(|o| resolve(&doc, o).as_array().ok())
            .into_iter()
            .flatten()
        {
            let Some(d) = dict(&doc, intent) else {
                continue;
            };
            let s = d
                .get(b"S")
                .ok()
                .and_then(|o| o.as_name().ok())
                .map(String::from_utf8_lossy);
            let n = d
                .get(b"DestOutputProfile")
                .ok()
                .and_then(|o| resolve(&doc, o).as_stream().ok())
                .and_then(|s| s.dict.get(b"N").ok())
                .and_then(|o| o.as_i64().ok());
            let _ = writeln!(
                out,
                "  output intent: {} (ICC profile, {} components)",
                s.unwrap_or_default(),
                n.map_or("?".to_string(), |n| n.to_string())
            );
        }
    }

    out.push_str("xmp:\n");
    if let Some(xmp) = catalog
        .and_then(|c| c.get(b"Metadata").ok())
        .and_then(|o| resolve(&doc, o).as_stream().ok())
        .and_then(|s| s.decompressed_content().ok())
    {
        let xmp = String::from_utf8_lossy(&xmp);
        for key in [
            "pdfaid:part",
            "pdfaid:conformance",
            "pdfuaid:part",
            "dc:title",
            "dc:creator",
            "dc:description",
            "dc:rights",
            "xmpRights:WebStatement",
            "dc:identifier",
            "dc:publisher",
            "dc:source",
            "dc:language",
            "pdf:Keywords",
            "xmp:CreateDate",
            "xmp:ModifyDate",
            "xmp:CreatorTool",
            "pdf:Producer",
        ] {
            if let Some(v) = xmp_value(&xmp, key) {
                let _ = writeln!(out, "  {key}: {v}");
            }
        }
    }

    out.push_str("outline:\n");
    let page_numbers: BTreeMap<ObjectId, u32> = pages.iter().map(|(n, id)| (*id, *n)).collect();
    if let Some(first) = catalog
        .and_then(|c| c.get(b"Outlines").ok())
        .and_then(|o| dict(&doc, o))
        .and_then(|o| o.get(b"First").ok())
    {
        outline(&doc, first, 1, &page_numbers, &mut out);
    }

    out.push_str("fonts:\n");
    let mut fonts: BTreeMap<String, String> = BTreeMap::new();
    for &page in pages.values() {
        for font in doc.get_page_fonts(page).unwrap_or_default().values() {
            let (name, desc) = font_summary(&doc, font);
            fonts.insert(name, desc);
        }
    }
    for (name, desc) in &fonts {
        let _ = writeln!(out, "  {name}: {desc}");
    }

    let order = structure_order(&doc);
    let _ = writeln!(
        out,
        "text ({}; glyphs decoded via ToUnicode and ActualText):",
        if order.is_some() {
            "in structure tree order"
        } else {
            "in content stream order"
        }
    );
    for (n, &page) in &pages {
        let _ = writeln!(out, "--- page {n} ---");
        let (lines, furniture, langs) = page_text(
            &doc,
            page,
            order.as_ref().map(|o| o.get(&page).unwrap_or(&NO_MCIDS)),
        );
        for line in lines {
            let _ = writeln!(out, "{line}");
        }
        for (lang, text) in langs {
            let _ = writeln!(out, "lang {lang}: {}", text.trim());
        }
        if !furniture.is_empty() {
            let _ = writeln!(out, "furniture: {}", furniture.join(" | "));
        }
        for image in page_images(&doc, page) {
            let _ = writeln!(out, "image: {image}");
        }
        for uri in page_links(&doc, page) {
            let _ = writeln!(out, "link: {uri}");
        }
    }
    let figures = figures(&doc);
    if !figures.is_empty() {
        out.push_str("figures (alternative text):\n");
        for alt in figures {
            let _ = writeln!(out, "  {alt}");
        }
    }
    Ok(out)
}

/// The images a page draws directly, as pixel sizes.
fn page_images(doc: &Document, page: ObjectId) -> Vec<String> {
    let Some(xobjects) = doc
        .get_dictionary(page)
        .ok()
        .and_then(|d| d.get(b"Resources").ok())
        .and_then(|r| dict(doc, r))
        .and_then(|r| r.get(b"XObject").ok())
        .and_then(|x| dict(doc, x))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (_, o) in xobjects.iter() {
        if let Ok(stream) = resolve(doc, o).as_stream()
            && stream.dict.get(b"Subtype").and_then(|s| s.as_name()).ok() == Some(b"Image")
        {
            let n = |k: &[u8]| {
                stream
                    .dict
                    .get(k)
                    .ok()
                    .and_then(|v| resolve(doc, v).as_i64().ok())
            };
            out.push(format!(
                "{} × {} px",
                n(b"Width").unwrap_or(0),
                n(b"Height").unwrap_or(0)
            ));
        }
    }
    out
}

/// The URIs of a page's link annotations, in order.
fn page_links(doc: &Document, page: ObjectId) -> Vec<String> {
    let Some(annots) = doc
        .get_dictionary(page)
        .ok()
        .and_then(|d| d.get(b"Annots").ok())
        .and_then(|a| resolve(doc, a).as_array().ok())
    else {
        return Vec::new();
    };
    annots
        .iter()
        .filter_map(|a| dict(doc, a))
        .filter(|a| a.get(b"Subtype").and_then(|s| s.as_name()).ok() == Some(b"Link"))
        .map(|a| {
            a.get(b"A")
                .ok()
                .and_then(|x| dict(doc, x))
                .and_then(|x| x.get(b"URI").ok())
                .and_then(|u| text_string(doc, u))
                .unwrap_or_else(|| "(no URI)".into())
        })
        .collect()
}

/// The `/Alt` texts of the structure tree's figures, in tree order.
fn figures(doc: &Document) -> Vec<String> {
    fn walk(doc: &Document, o: &Object, out: &mut Vec<String>, budget: &mut usize) {
        if *budget == 0 {
            return;
        }
        *budget -= 1;
        match resolve(doc, o) {
            Object::Array(kids) => kids.iter().for_each(|k| walk(doc, k, out, budget)),
            Object::Dictionary(d) => {
                if d.get(b"S").and_then(|s| s.as_name()).ok() == Some(b"Figure") {
                    let alt = d.get(b"Alt").ok().and_then(|a| text_string(doc, a));
                    out.push(alt.unwrap_or_else(|| "(none)".into()));
                }
                if let Ok(k) = d.get(b"K") {
                    walk(doc, k, out, budget);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(root) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"StructTreeRoot").ok())
        .and_then(|r| dict(doc, r))
        && let Ok(k) = root.get(b"K")
    {
        walk(doc, k, &mut out, &mut 1_000_000);
    }
    out
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn resolve<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map_or(o, |(_, o)| o)
}

fn dict<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Dictionary> {
    resolve(doc, o).as_dict().ok()
}

/// A boolean `key` of the dictionary `outer` in `d`; false when any of it is missing.
fn flag(doc: &Document, d: &Dictionary, outer: &[u8], key: &[u8]) -> bool {
    d.get(outer)
        .ok()
        .and_then(|o| dict(doc, o))
        .and_then(|inner| inner.get(key).ok())
        .and_then(|o| o.as_bool().ok())
        .unwrap_or(false)
}

fn page_size(doc: &Document, page: ObjectId) -> Option<String> {
    let d = doc.get_dictionary(page).ok()?;
    let b = resolve(doc, d.get(b"MediaBox").ok()?).as_array().ok()?;
    let v: Vec<f32> = b
        .iter()
        .filter_map(|o| resolve(doc, o).as_float().ok())
        .collect();
    match v.as_slice() {
        [x0, y0, x1, y1] => Some(format!("{:.2} × {:.2} pt", x1 - x0, y1 - y0)),
        _ => None,
    }
}

/// A PDF text string: UTF-16BE with a byte order mark, or PDFDocEncoding
/// (read as Latin-1, which agrees with it on printable ASCII and most accents).
fn text_string(doc: &Document, o: &Object) -> Option<String> {
    let bytes = match resolve(doc, o) {
        Object::String(b, _) => b.as_slice(),
        Object::Name(n) => n.as_slice(),
        _ => return None,
    };
    Some(decode_text_string(bytes))
}

fn decode_text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let units = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]));
        char::decode_utf16(units)
            .map(|r| r.unwrap_or('\u{FFFD}'))
            .collect()
    } else if let Ok(s) = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
    {
        s.to_string()
    } else {
        bytes.iter().map(|&b| char::from(b)).collect()
    }
}

fn xml_unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';') else { break };
        let entity = &rest[1..end];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The value of an XMP property, in element or attribute form; list items
/// are joined with "; ".
fn xmp_value(xmp: &str, key: &str) -> Option<String> {
    let open = format!("<{key}>");
    let open_attrs = format!("<{key} ");
    let close = format!("</{key}>");
    if let Some(start) = xmp.find(&open).map(|i| i + open.len()).or_else(|| {
        xmp.find(&open_attrs)
            .and_then(|i| xmp[i..].find('>').map(|j| i + j + 1))
    }) && let Some(len) = xmp[start..].find(&close)
    {
        let inner = &xmp[start..start + len];
        let mut items = Vec::new();
        let mut text = String::new();
        let mut in_tag = false;
        for c in inner.chars() {
            match c {
                '<' => {
                    in_tag = true;
                    if !text.trim().is_empty() {
                        items.push(xml_unescape(text.trim()));
                    }
                    text.clear();
                }
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        if !text.trim().is_empty() {
            items.push(xml_unescape(text.trim()));
        }
        return Some(items.join("; "));
    }
    let attr = format!("{key}=\"");
    let start = xmp.find(&attr)? + attr.len();
    let len = xmp[start..].find('"')?;
    Some(xml_unescape(&xmp[start..start + len]))
}

fn outline(
    doc: &Document,
    item: &Object,
    depth: usize,
    pages: &BTreeMap<ObjectId, u32>,
    out: &mut String,
) {
    let mut next = Some(item);
    let mut seen = 0;
    while let Some(o) = next {
        seen += 1;
        let Some(d) = dict(doc, o) else { break };
        if seen > 10_000 {
            break;
        }
        let title = d
            .get(b"Title")
            .ok()
            .and_then(|t| text_string(doc, t))
            .unwrap_or_default();
        let page = d
            .get(b"Dest")
            .ok()
            .and_then(|o| resolve(doc, o).as_array().ok())
            .and_then(|a| a.first())
            .and_then(|o| o.as_reference().ok())
            .and_then(|r| pages.get(&r));
        let _ = write!(out, "{}{title}", "  ".repeat(depth));
        match page {
            Some(p) => {
                let _ = writeln!(out, " (page {p})");
            }
            None => out.push('\n'),
        }
        if let Ok(first) = d.get(b"First") {
            outline(doc, first, depth + 1, pages, out);
        }
        next = d.get(b"Next").ok();
    }
}

/// Strips the six-letter subset tag (`ABCDEF+`) from a font name.
fn base_name(name: &str) -> (&str, bool) {
    match name.split_once('+') {
        Some((tag, rest)) if tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()) => {
            (rest, true)
        }
        _ => (name, false),
    }
}

fn font_summary(doc: &Document, font: &Dictionary) -> (String, String) {
    let name_of = |d: &Dictionary, key: &[u8]| {
        d.get(key)
            .ok()
            .and_then(|o| resolve(doc, o).as_name().ok())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default()
    };
    let subtype = name_of(font, b"Subtype");
    let base = name_of(font, b"BaseFont");
    let (name, subset) = base_name(&base);
    let descendant = font
        .get(b"DescendantFonts")
        .ok()
        .and_then(|o| resolve(doc, o).as_array().ok())
        .and_then(|a| a.first())
        .and_then(|o| dict(doc, o));
    let mut kind = subtype.clone();
    if let Some(d) = descendant {
        kind = format!("{subtype}/{}", name_of(d, b"Subtype"));
    }
    let descriptor = descendant
        .unwrap_or(font)
        .get(b"FontDescriptor")
        .ok()
        .and_then(|o| dict(doc, o));
    let embedded = subtype == "Type3"
        || descriptor
            .is_some_and(|d| d.has(b"FontFile") || d.has(b"FontFile2") || d.has(b"FontFile3"));
    let name = if name.is_empty() {
        "(unnamed)".to_string()
    } else {
        name.to_string()
    };
    let desc = format!(
        "{kind}, embedded {}, subset {}, ToUnicode {}",
        yes(embedded),
        yes(subset),
        yes(font.has(b"ToUnicode"))
    );
    (name, desc)
}

/// What a page's text extraction needs to know about one font.
#[derive(Default)]
struct FontMap {
    two_byte: bool,
    unicode: BTreeMap<u32, String>,
    widths: BTreeMap<u32, f32>,
    default_width: f32,
}

fn font_map(doc: &Document, font: &Dictionary) -> FontMap {
    let mut map = FontMap {
        default_width: 1000.0,
        ..FontMap::default()
    };
    map.two_byte =
        font.get(b"Subtype").ok().and_then(|o| o.as_name().ok()) == Some(b"Type0".as_slice());
    if let Some(cmap) = font
        .get(b"ToUnicode")
        .ok()
        .and_then(|o| resolve(doc, o).as_stream().ok())
        .and_then(|s| s.decompressed_content().ok())
    {
        map.unicode = parse_cmap(&cmap);
    }
    let descendant = font
        .get(b"DescendantFonts")
        .ok()
        .and_then(|o| resolve(doc, o).as_array().ok())
        .and_then(|a| a.first())
        .and_then(|o| dict(doc, o));
    if let Some(d) = descendant {
        if let Some(dw) = d
            .get(b"DW")
            .ok()
            .and_then(|o| resolve(doc, o).as_float().ok())
        {
            map.default_width = dw;
        }
        if let Some(w) = d
            .get(b"W")
            .ok()
            .and_then(|o| resolve(doc, o).as_array().ok())
        {
            let mut i = 0;
            while i < w.len() {
                let first = resolve(doc, &w[i]).as_i64().unwrap_or(0) as u32;
                match w.get(i + 1).map(|o| resolve(doc, o)) {
                    Some(Object::Array(ws)) => {
                        for (k, o) in ws.iter().enumerate() {
                            map.widths.insert(
                                first.saturating_add(k as u32),
                                resolve(doc, o).as_float().unwrap_or(0.0),
                            );
                        }
                        i += 2;
                    }
                    Some(last) => {
                        let last = last.as_i64().unwrap_or(0) as u32;
                        let width = w
                            .get(i + 2)
                            .and_then(|o| resolve(doc, o).as_float().ok())
                            .unwrap_or(0.0);
                        for c in first..=last.min(first.saturating_add(65_535)) {
                            map.widths.insert(c, width);
                        }
                        i += 3;
                    }
                    None => break,
                }
            }
        }
    } else if let Some(widths) = font
        .get(b"Widths")
        .ok()
        .and_then(|o| resolve(doc, o).as_array().ok())
    {
        let first = font
            .get(b"FirstChar")
            .ok()
            .and_then(|o| o.as_i64().ok())
            .unwrap_or(0) as u32;
        for (k, o) in widths.iter().enumerate() {
            map.widths.insert(
                first.saturating_add(k as u32),
                resolve(doc, o).as_float().unwrap_or(0.0),
            );
        }
    }
    map
}

fn hex_value(s: &str) -> Option<u32> {
    u32::from_str_radix(s, 16).ok()
}

fn utf16_hex(s: &str) -> String {
    let bytes: Vec<u8> = (0..s.len() / 2)
        .filter_map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok())
        .collect();
    let units = bytes
        .chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]));
    char::decode_utf16(units)
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .collect()
}

/// Parses the `bfchar` and `bfrange` sections of a ToUnicode CMap.
fn parse_cmap(data: &[u8]) -> BTreeMap<u32, String> {
    #[derive(Debug)]
    enum Tok {
        Hex(String),
        Open,
        Close,
        Word(String),
    }
    let text = String::from_utf8_lossy(data);
    let mut toks = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' => {
                let mut h = String::new();
                for d in chars.by_ref() {
                    if d == '>' {
                        break;
                    }
                    if !d.is_whitespace() {
                        h.push(d);
                    }
                }
                toks.push(Tok::Hex(h));
            }
            '[' => toks.push(Tok::Open),
            ']' => toks.push(Tok::Close),
            c if c.is_whitespace() => {}
            c => {
                let mut w = String::from(c);
                while let Some(&d) = chars.peek() {
                    if d.is_whitespace() || matches!(d, '<' | '[' | ']') {
                        break;
                    }
                    w.push(d);
                    chars.next();
                }
                toks.push(Tok::Word(w));
            }
        }
    }
    let mut map = BTreeMap::new();
    let mut i = 0;
    let mut mode = "";
    while i < toks.len() {
        match &toks[i] {
            Tok::Word(w) if w == "beginbfchar" => mode = "char",
            Tok::Word(w) if w == "beginbfrange" => mode = "range",
            Tok::Word(w) if w.starts_with("end") => mode = "",
            Tok::Hex(src) if mode == "char" => {
                if let (Some(code), Some(Tok::Hex(dst))) = (hex_value(src), toks.get(i + 1)) {
                    map.insert(code, utf16_hex(dst));
                    i += 1;
                }
            }
            Tok::Hex(lo) if mode == "range" => {
                let (Some(lo), Some(Tok::Hex(hi))) = (hex_value(lo), toks.get(i + 1)) else {
                    i += 1;
                    continue;
                };
                let hi = hex_value(hi).unwrap_or(lo).min(lo.saturating_add(65_535));
                match toks.get(i + 2) {
                    Some(Tok::Hex(dst)) => {
                        let base = utf16_hex(dst);
                        let mut units: Vec<u16> = base.encode_utf16().collect();
                        for code in lo..=hi {
                            map.insert(code, String::from_utf16_lossy(&units));
                            if let Some(last) = units.last_mut() {
                                *last = last.wrapping_add(1);
                            }
                        }
                        i += 2;
                    }
                    Some(Tok::Open) => {
                        let mut k = i + 3;
                        let mut code = lo;
                        while let Some(Tok::Hex(dst)) = toks.get(k) {
                            if code <= hi {
                                map.insert(code, utf16_hex(dst));
                            }
                            code = code.saturating_add(1);
                            k += 1;
                        }
                        i = k;
                    }
                    _ => i += 1,
                }
            }
            _ => {}
        }
        i += 1;
    }
    map
}

/// Text drawn inside one marked-content sequence (or one untagged show).
#[derive(Debug, Clone)]
struct Segment {
    mcid: Option<i64>,
    /// The marked content's `/Lang`.
    lang: Option<String>,
    artifact: bool,
    /// An artifact of the layout (a hyphen a line end was given), not furniture.
    layout: bool,
    y: f32,
    x0: f32,
    x1: f32,
    size: f32,
    text: String,
}

struct Marked {
    mcid: Option<i64>,
    lang: Option<String>,
    actual: Option<String>,
    artifact: bool,
    layout: bool,
    /// The text of each glyph (or ActualText span), in drawing order.
    pieces: Vec<String>,
    x0: f32,
    x1: f32,
    y: f32,
    size: f32,
    started: bool,
}

struct Extractor<'a> {
    font: Option<&'a FontMap>,
    size: f32,
    x: f32,
    y: f32,
    line_x: f32,
    line_y: f32,
    marked: Vec<Marked>,
    segments: Vec<Segment>,
}

fn page_segments(doc: &Document, page: ObjectId) -> Vec<Segment> {
    let mut fonts = BTreeMap::new();
    for (name, font) in doc.get_page_fonts(page).unwrap_or_default() {
        fonts.insert(name, font_map(doc, font));
    }
    let Ok(content) = Content::decode(&doc.get_page_content(page)) else {
        return Vec::new();
    };
    let mut ex = Extractor {
        font: None,
        size: 0.0,
        x: 0.0,
        y: 0.0,
        line_x: 0.0,
        line_y: 0.0,
        marked: Vec::new(),
        segments: Vec::new(),
    };
    let num = |o: Option<&Object>| o.and_then(|o| o.as_float().ok()).unwrap_or(0.0);
    for op in &content.operations {
        let args = &op.operands;
        match op.operator.as_str() {
            "BT" => {
                ex.x = 0.0;
                ex.y = 0.0;
                ex.line_x = 0.0;
                ex.line_y = 0.0;
            }
            "Tf" => {
                ex.font = args
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|n| fonts.get(n));
                ex.size = num(args.get(1));
            }
            "Tm" => {
                ex.x = num(args.get(4));
                ex.y = num(args.get(5));
                ex.line_x = ex.x;
                ex.line_y = ex.y;
            }
            "Td" | "TD" => {
                ex.line_x += num(args.first());
                ex.line_y += num(args.get(1));
                ex.x = ex.line_x;
                ex.y = ex.line_y;
            }
            "Tj" | "'" | "\"" => {
                if let Some(s) = args.last().and_then(|o| o.as_str().ok()) {
                    show(&mut ex, s);
                }
            }
            "TJ" => {
                for item in args
                    .first()
                    .and_then(|o| o.as_array().ok())
                    .into_iter()
                    .flatten()
                {
                    match item {
                        Object::String(s, _) => show(&mut ex, s),
                        other => ex.x -= other.as_float().unwrap_or(0.0) / 1000.0 * ex.size,
                    }
                }
            }
            "BMC" | "BDC" => {
                let tag = args
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .unwrap_or_default();
                let props = match args.get(1) {
                    Some(Object::Dictionary(d)) => Some(d),
                    _ => None,
                };
                let actual = props
                    .and_then(|d| d.get(b"ActualText").ok())
                    .and_then(|o| o.as_str().ok())
                    .map(decode_text_string);
                let mcid = props
                    .and_then(|d| d.get(b"MCID").ok())
                    .and_then(|o| o.as_i64().ok());
                let lang = props
                    .and_then(|d| d.get(b"Lang").ok())
                    .and_then(|o| o.as_str().ok())
                    .map(decode_text_string);
                ex.marked.push(Marked {
                    mcid,
                    lang,
                    actual,
                    artifact: tag == b"Artifact",
                    layout: tag == b"Artifact"
                        && props
                            .and_then(|d| d.get(b"Type").ok())
                            .and_then(|o| o.as_name().ok())
                            == Some(b"Layout".as_slice()),
                    pieces: Vec::new(),
                    x0: 0.0,
                    x1: 0.0,
                    y: 0.0,
                    size: 0.0,
                    started: false,
                });
            }
            "EMC" => {
                let Some(m) = ex.marked.pop() else { continue };
                let pieces = match &m.actual {
                    Some(a) => vec![a.clone()],
                    None => m.pieces,
                };
                let artifact = m.artifact || ex.marked.iter().any(|p| p.artifact);
                match ex.marked.last_mut() {
                    Some(parent) if m.mcid.is_none() && !m.artifact => {
                        append(parent, pieces, m.x0, m.x1, m.y, m.size, m.started);
                    }
                    _ if m.started || !pieces.is_empty() => ex.segments.push(Segment {
                        mcid: m.mcid,
                        lang: m.lang,
                        artifact,
                        layout: m.layout,
                        y: m.y,
                        x0: m.x0,
                        x1: m.x1,
                        size: m.size,
                        text: reading_order(pieces),
                    }),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    ex.segments
}

/// Glyph texts in reading order: a run whose first strong character is
/// right to left was drawn in visual order, so its glyphs are reversed.
fn reading_order(mut pieces: Vec<String>) -> String {
    use unicode_bidi::BidiClass;
    let first_strong = pieces
        .iter()
        .flat_map(|p| p.chars())
        .map(unicode_bidi::bidi_class)
        .find(|c| matches!(c, BidiClass::L | BidiClass::R | BidiClass::AL));
    if matches!(first_strong, Some(BidiClass::R | BidiClass::AL)) {
        pieces.reverse();
    }
    pieces.concat()
}

fn append(m: &mut Marked, pieces: Vec<String>, x0: f32, x1: f32, y: f32, size: f32, started: bool) {
    if !started {
        m.pieces.extend(pieces);
        return;
    }
    if !m.started {
        m.x0 = x0;
        m.y = y;
        m.size = size;
        m.started = true;
    }
    m.x0 = m.x0.min(x0);
    m.x1 = m.x1.max(x1);
    m.pieces.extend(pieces);
}

fn show(ex: &mut Extractor<'_>, bytes: &[u8]) {
    let Some(font) = ex.font else { return };
    let codes: Vec<u32> = if font.two_byte {
        bytes
            .chunks(2)
            .map(|c| c.iter().fold(0u32, |a, &b| a << 8 | u32::from(b)))
            .collect()
    } else {
        bytes.iter().map(|&b| u32::from(b)).collect()
    };
    let start = ex.x;
    let mut pieces = Vec::new();
    for code in codes {
        pieces.push(match font.unicode.get(&code) {
            Some(s) => s.clone(),
            None if !font.two_byte => char::from(code as u8).to_string(),
            None => '\u{FFFD}'.to_string(),
        });
        ex.x += font
            .widths
            .get(&code)
            .copied()
            .unwrap_or(font.default_width)
            / 1000.0
            * ex.size;
    }
    let (end, y, size) = (ex.x, ex.y, ex.size);
    match ex.marked.last_mut() {
        Some(m) => append(m, pieces, start, end, y, size, true),
        None => ex.segments.push(Segment {
            mcid: None,
            lang: None,
            artifact: false,
            layout: false,
            y,
            x0: start,
            x1: end,
            size,
            text: reading_order(pieces),
        }),
    }
}

/// Marked-content ids per page, in the order of the structure tree.
fn structure_order(doc: &Document) -> Option<BTreeMap<ObjectId, Vec<i64>>> {
    let root = doc
        .catalog()
        .ok()?
        .get(b"StructTreeRoot")
        .ok()
        .and_then(|o| dict(doc, o))?;
    let mut out: BTreeMap<ObjectId, Vec<i64>> = BTreeMap::new();
    let mut budget = 1_000_000usize;
    if let Ok(k) = root.get(b"K") {
        walk_struct(doc, k, None, &mut out, &mut budget);
    }
    Some(out)
}

fn walk_struct(
    doc: &Document,
    kid: &Object,
    page: Option<ObjectId>,
    out: &mut BTreeMap<ObjectId, Vec<i64>>,
    budget: &mut usize,
) {
    if *budget == 0 {
        return;
    }
    *budget -= 1;
    match resolve(doc, kid) {
        Object::Integer(mcid) => {
            if let Some(p) = page {
                out.entry(p).or_default().push(*mcid);
            }
        }
        Object::Array(kids) => {
            for k in kids {
                walk_struct(doc, k, page, out, budget);
            }
        }
        Object::Dictionary(d) => {
            let page = d
                .get(b"Pg")
                .ok()
                .and_then(|o| o.as_reference().ok())
                .or(page);
            match d.get(b"Type").ok().and_then(|o| o.as_name().ok()) {
                Some(b"MCR") => {
                    if let (Some(p), Some(mcid)) =
                        (page, d.get(b"MCID").ok().and_then(|o| o.as_i64().ok()))
                    {
                        out.entry(p).or_default().push(mcid);
                    }
                }
                Some(b"OBJR") => {}
                _ => {
                    if let Ok(k) = d.get(b"K") {
                        walk_struct(doc, k, page, out, budget);
                    }
                }
            }
        }
        _ => {}
    }
}

/// Joins segments into lines: a new line when the baseline changes, a space
/// where two pieces on one line do not touch.
fn lines_of<'a>(segments: impl Iterator<Item = &'a Segment>) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    // The pieces already on the current line.
    let mut on_line: Vec<&Segment> = Vec::new();
    for seg in segments {
        match (on_line.first(), lines.last_mut()) {
            (Some(first), Some(line)) if (first.y - seg.y).abs() < 0.5 => {
                // Pieces of a right-to-left run come in reading order, not
                // left to right, so look for any neighbour on the line.
                let touches = on_line.iter().any(|p| {
                    let tol = p.size.max(seg.size) * 0.2;
                    (seg.x0 - p.x1).abs() < tol || (p.x0 - seg.x1).abs() < tol
                });
                if !touches
                    && !line.ends_with(char::is_whitespace)
                    && !seg.text.starts_with(char::is_whitespace)
                {
                    line.push(' ');
                }
                line.push_str(&seg.text);
            }
            _ => {
                lines.push(seg.text.clone());
                on_line.clear();
            }
        }
        on_line.push(seg);
    }
    lines
}

/// The page's text lines in reading order, and its furniture (artifacts).
/// A page's text lines, its furniture, and the stretches of text marked with a language
/// of their own.
fn page_text(
    doc: &Document,
    page: ObjectId,
    order: Option<&Vec<i64>>,
) -> (Vec<String>, Vec<String>, Vec<(String, String)>) {
    let segments = page_segments(doc, page);
    let furniture = lines_of(segments.iter().filter(|s| s.artifact && !s.layout));
    let content: Vec<&Segment> = match order {
        Some(order) => {
            let by_mcid: BTreeMap<i64, &Segment> = segments
                .iter()
                .filter(|s| !s.artifact)
                .filter_map(|s| s.mcid.map(|m| (m, s)))
                .collect();
            let mut v: Vec<&Segment> = order
                .iter()
                .filter_map(|m| by_mcid.get(m).copied())
                .collect();
            // Content outside the structure tree still counts, after it.
            v.extend(
                segments
                    .iter()
                    .filter(|s| !s.artifact && s.mcid.is_none_or(|m| !order.contains(&m))),
            );
            v
        }
        None => segments.iter().filter(|s| !s.artifact).collect(),
    };
    // A hyphen a line end was given follows the piece it ends, as it is printed.
    let mut content = content;
    for h in segments.iter().filter(|s| s.layout) {
        let before = content
            .iter()
            .enumerate()
            .filter(|(_, s)| (s.y - h.y).abs() < 0.5 && s.x1 <= h.x0 + 0.5)
            .max_by(|a, b| a.1.x1.total_cmp(&b.1.x1))
            .map(|(i, _)| i);
        match before {
            Some(i) => content.insert(i + 1, h),
            None => content.push(h),
        }
    }
    // Stretches are joined within a line.
    let mut langs: Vec<(String, String)> = Vec::new();
    let mut open: Option<f32> = None;
    for s in &content {
        match &s.lang {
            Some(l)
                if open.is_some_and(|y| (y - s.y).abs() < 0.5)
                    && langs.last().is_some_and(|(last, _)| last == l) =>
            {
                if let Some((_, text)) = langs.last_mut() {
                    text.push_str(&s.text);
                }
            }
            Some(l) => {
                langs.push((l.clone(), s.text.clone()));
                open = Some(s.y);
            }
            None => open = None,
        }
    }
    (lines_of(content.into_iter()), furniture, langs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tounicode_cmaps() {
        let cmap = b"/CIDInit /ProcSet findresource begin\n2 beginbfchar\n<0003> <0020>\n<0010> <00660069>\nendbfchar\n1 beginbfrange\n<0020> <0022> <0041>\nendbfrange\n1 beginbfrange\n<0030> <0031> [<05E9> <D83DDE00>]\nendbfrange\nend";
        let m = parse_cmap(cmap);
        assert_eq!(m[&3], " ");
        assert_eq!(m[&0x10], "fi");
        assert_eq!(m[&0x22], "C");
        assert_eq!(m[&0x30], "ש");
        assert_eq!(m[&0x31], "😀");
    }

    #[test]
    fn reads_xmp_in_both_forms() {
        let xmp = r#"<rdf:Description pdfaid:part="2"><pdfaid:conformance>U</pdfaid:conformance><dc:creator><rdf:Seq><rdf:li>A &amp; B</rdf:li><rdf:li>C</rdf:li></rdf:Seq></dc:creator>"#;
        assert_eq!(xmp_value(xmp, "pdfaid:part").as_deref(), Some("2"));
        assert_eq!(xmp_value(xmp, "pdfaid:conformance").as_deref(), Some("U"));
        assert_eq!(xmp_value(xmp, "dc:creator").as_deref(), Some("A & B; C"));
        assert_eq!(xmp_value(xmp, "dc:title"), None);
    }

    #[test]
    fn decodes_text_strings() {
        assert_eq!(decode_text_string(b"\xFE\xFF\x00A\x20\x14"), "A—");
        assert_eq!(decode_text_string(b"plain"), "plain");
    }

    #[test]
    fn refuses_non_pdf() {
        assert!(matches!(describe(b"not a pdf"), Err(Error::Pdf(_))));
    }
}
