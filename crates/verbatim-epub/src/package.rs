//! The package document (`content.opf`), the navigation document, the EPUB 2 `toc.ncx` and the
//! OCF container file.

use verbatim_model::Transcript;

use crate::meta::{self, Lang};
use crate::xhtml::{Doc, Landmark, STYLESHEET_FILE, TocEntry};
use crate::xml::{clean, escape, nonempty};

/// `META-INF/container.xml`: where the package document is.
pub const CONTAINER: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"#;

pub const NAV_FILE: &str = "nav.xhtml";
pub const NCX_FILE: &str = "toc.ncx";

/// The accessibility discovery metadata (EPUB Accessibility 1.1); the summary is
/// [`accessibility_summary`].
const ACCESSIBILITY: [(&str, &str); 7] = [
    ("schema:accessMode", "textual"),
    ("schema:accessModeSufficient", "textual"),
    ("schema:accessibilityFeature", "structuralNavigation"),
    ("schema:accessibilityFeature", "tableOfContents"),
    ("schema:accessibilityFeature", "readingOrder"),
    ("schema:accessibilityFeature", "displayTransformability"),
    ("schema:accessibilityHazard", "none"),
];

/// What a reader learns before opening the book; a cover adds a picture, described by
/// its alternative text.
fn accessibility_summary(cover: bool) -> String {
    let content = if cover {
        "text with a cover picture that its alternative text describes"
    } else {
        "text only"
    };
    format!(
        "A transcript of a spoken interview, in {content}. Every turn starts with the \
         speaker's name as text, timestamps are marked up as times, editorial notes and \
         transcriber markers stay visible in brackets, sections have headings and a table \
         of contents, and the styling sets no fixed fonts, sizes or colours."
    )
}

/// What the package says about the publication beyond the transcript's own metadata.
pub struct Package<'a> {
    pub lang: &'a Lang,
    /// The `dc:identifier`: the transcript's identifier or a `urn:uuid:`.
    pub identifier: &'a str,
    /// `dcterms:modified`, as `YYYY-MM-DDThh:mm:ssZ`.
    pub modified: &'a str,
    /// The title, or its fallback.
    pub title: &'a str,
}

/// `content.opf`.
pub fn opf(t: &Transcript, docs: &[Doc], p: &Package, cover: Option<&crate::Cover>) -> String {
    let m = &t.metadata;
    let mut o = String::with_capacity(4096);
    o.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    o.push_str(&format!(
        "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" \
         unique-identifier=\"pub-id\" {}>\n",
        p.lang.xml_attrs()
    ));
    o.push_str("  <metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n");
    o.push_str(&format!(
        "    <dc:identifier id=\"pub-id\">{}</dc:identifier>\n",
        escape(p.identifier)
    ));
    o.push_str(&format!("    <dc:title>{}</dc:title>\n", escape(p.title)));
    o.push_str(&format!(
        "    <dc:language>{}</dc:language>\n",
        escape(&p.lang.tag)
    ));
    o.push_str(&format!(
        "    <meta property=\"dcterms:modified\">{}</meta>\n",
        p.modified
    ));
    if let Some(d) = nonempty(&m.description) {
        o.push_str(&format!(
            "    <dc:description>{}</dc:description>\n",
            escape(&d)
        ));
    }
    for k in &m.keywords {
        let k = clean(k);
        if !k.trim().is_empty() {
            o.push_str(&format!("    <dc:subject>{}</dc:subject>\n", escape(&k)));
        }
    }
    if let Some(r) = nonempty(&m.rights) {
        o.push_str(&format!("    <dc:rights>{}</dc:rights>\n", escape(&r)));
    }
    o.push_str(&meta::package_metadata(t));
    let summary = accessibility_summary(cover.is_some());
    let summary = [("schema:accessibilitySummary", summary.as_str())];
    for (property, value) in ACCESSIBILITY.into_iter().chain(summary) {
        o.push_str(&format!(
            "    <meta property=\"{property}\">{}</meta>\n",
            escape(value)
        ));
        if property == "schema:accessMode" && cover.is_some() {
            o.push_str("    <meta property=\"schema:accessMode\">visual</meta>\n");
        }
    }
    if cover.is_some() {
        // EPUB 2 reading systems (and calibre) find the cover here.
        o.push_str("    <meta name=\"cover\" content=\"cover-image\"/>\n");
    }
    o.push_str("  </metadata>\n  <manifest>\n");
    if let Some(c) = cover {
        o.push_str(&format!(
            "    <item id=\"cover-image\" href=\"{}\" media-type=\"{}\" properties=\"cover-image\"/>\n",
            c.file(),
            c.media_type
        ));
    }
    o.push_str(&format!(
        "    <item id=\"nav\" href=\"{NAV_FILE}\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n\
         \x20   <item id=\"ncx\" href=\"{NCX_FILE}\" media-type=\"application/x-dtbncx+xml\"/>\n\
         \x20   <item id=\"stylesheet\" href=\"{STYLESHEET_FILE}\" media-type=\"text/css\"/>\n"
    ));
    for d in docs {
        o.push_str(&format!(
            "    <item id=\"{}\" href=\"{}\" media-type=\"application/xhtml+xml\"/>\n",
            item_id(&d.file),
            escape(&d.file)
        ));
    }
    let direction = if p.lang.rtl { "rtl" } else { "ltr" };
    o.push_str(&format!(
        "  </manifest>\n  <spine toc=\"ncx\" page-progression-direction=\"{direction}\">\n"
    ));
    for d in docs {
        o.push_str(&format!("    <itemref idref=\"{}\"/>\n", item_id(&d.file)));
    }
    o.push_str("  </spine>\n");
    // EPUB 2 reading systems find the title page, contents and start of the text here.
    let guide: Vec<String> = docs
        .iter()
        .filter_map(|d| {
            d.landmark.map(|l| {
                format!(
                    "    <reference type=\"{}\" title=\"{}\" href=\"{}\"/>\n",
                    l.guide_type(),
                    escape(&d.title),
                    escape(&d.file)
                )
            })
        })
        .collect();
    if !guide.is_empty() {
        o.push_str("  <guide>\n");
        o.extend(guide);
        o.push_str("  </guide>\n");
    }
    o.push_str("</package>\n");
    o
}

/// The manifest id of a content document: its file name without the extension.
fn item_id(file: &str) -> String {
    escape(file.strip_suffix(".xhtml").unwrap_or(file))
}

/// The navigation document: the table of contents and the landmarks.
pub fn nav(docs: &[Doc], toc: &[TocEntry], lang: &Lang, generator: &str) -> String {
    let mut o = String::with_capacity(2048);
    o.push_str(&format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
         <html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" \
         {attrs}>\n<head>\n  <meta charset=\"utf-8\"/>\n  \
         <meta name=\"generator\" content=\"{g}\"/>\n  <title>{contents}</title>\n  \
         <link rel=\"stylesheet\" type=\"text/css\" href=\"{STYLESHEET_FILE}\"/>\n</head>\n<body>\n  \
         <nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\">\n    <h1 id=\"toc-title\"{en}>{contents}</h1>\n",
        attrs = lang.html_attrs(),
        g = escape(generator),
        en = lang.english_attrs(),
        contents = lang.labels.contents,
    ));
    nav_list(&mut o, toc, 2);
    o.push_str("  </nav>\n  <nav epub:type=\"landmarks\" hidden=\"hidden\">\n    <ol>\n");
    for d in docs {
        if let Some(l) = d.landmark {
            o.push_str(&format!(
                "      <li><a epub:type=\"{}\" href=\"{}\">{}</a></li>\n",
                l.epub_type(),
                escape(&d.file),
                escape(&d.title)
            ));
        }
    }
    o.push_str("    </ol>\n  </nav>\n</body>\n</html>\n");
    o
}

fn nav_list(o: &mut String, entries: &[TocEntry], depth: usize) {
    if entries.is_empty() {
        return;
    }
    let pad = "  ".repeat(depth);
    o.push_str(&format!("{pad}<ol>\n"));
    for e in entries {
        let link = format!("<a href=\"{}\">{}</a>", escape(&e.href), escape(&e.title));
        if e.children.is_empty() {
            o.push_str(&format!("{pad}  <li>{link}</li>\n"));
        } else {
            o.push_str(&format!("{pad}  <li>\n{pad}    {link}\n"));
            nav_list(o, &e.children, depth + 2);
            o.push_str(&format!("{pad}  </li>\n"));
        }
    }
    o.push_str(&format!("{pad}</ol>\n"));
}

/// `toc.ncx`, the table of contents of EPUB 2 reading systems.
pub fn ncx(toc: &[TocEntry], p: &Package) -> String {
    let depth = toc.iter().map(TocEntry::depth).max().unwrap_or(1);
    let mut o = String::with_capacity(2048);
    o.push_str(&format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" version=\"2005-1\">\n  <head>\n    \
         <meta name=\"dtb:uid\" content=\"{}\"/>\n    <meta name=\"dtb:depth\" content=\"{depth}\"/>\n    \
         <meta name=\"dtb:totalPageCount\" content=\"0\"/>\n    \
         <meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n  </head>\n  \
         <docTitle>\n    <text>{}</text>\n  </docTitle>\n  <navMap>\n",
        escape(p.identifier),
        escape(p.title)
    ));
    let mut order = 0;
    nav_points(&mut o, toc, 2, &mut order);
    o.push_str("  </navMap>\n</ncx>\n");
    o
}

fn nav_points(o: &mut String, entries: &[TocEntry], depth: usize, order: &mut usize) {
    let pad = "  ".repeat(depth);
    for e in entries {
        *order += 1;
        o.push_str(&format!(
            "{pad}<navPoint id=\"navpoint-{n}\" playOrder=\"{n}\">\n\
             {pad}  <navLabel><text>{}</text></navLabel>\n\
             {pad}  <content src=\"{}\"/>\n",
            escape(&e.title),
            escape(&e.href),
            n = *order
        ));
        nav_points(o, &e.children, depth + 1, order);
        o.push_str(&format!("{pad}</navPoint>\n"));
    }
}

impl Landmark {
    /// The `epub:type` of a landmarks entry.
    fn epub_type(self) -> &'static str {
        match self {
            Landmark::Cover => "cover",
            Landmark::TitlePage => "titlepage",
            Landmark::Toc => "toc",
            Landmark::BodyMatter => "bodymatter",
        }
    }

    /// The type of an EPUB 2 guide reference.
    fn guide_type(self) -> &'static str {
        match self {
            Landmark::Cover => "cover",
            Landmark::TitlePage => "title-page",
            Landmark::Toc => "toc",
            Landmark::BodyMatter => "text",
        }
    }
}

impl TocEntry {
    fn depth(&self) -> usize {
        1 + self.children.iter().map(TocEntry::depth).max().unwrap_or(0)
    }
}
