//! The XHTML content documents: title page, contents, introduction, sections, back matter.

use verbatim_model::{
    Block, Direction, Inline, MarkerKind, Role, Section, Transcript, Turn, brackets, plain_text,
    script,
};

use crate::meta::{self, Lang};
pub use crate::xml::escape;
use crate::xml::{clean, nonempty, xml_char};

pub const STYLESHEET: &str = include_str!("stylesheet.css");
pub const STYLESHEET_FILE: &str = "stylesheet.css";

/// One content document of the spine.
pub struct Doc {
    pub file: String,
    /// Plain text, for `<title>` and the table of contents.
    pub title: String,
    pub xhtml: String,
    /// Entries for the nested sections.
    pub toc_children: Vec<TocEntry>,
    pub landmark: Option<Landmark>,
}

impl Doc {
    /// The document's own table-of-contents entry, with its sections below it.
    pub fn toc_entry(&self) -> TocEntry {
        TocEntry {
            href: self.file.clone(),
            title: self.title.clone(),
            children: self.toc_children.clone(),
        }
    }
}

/// A document's role in the navigation's landmarks and the EPUB 2 guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Landmark {
    Cover,
    TitlePage,
    Toc,
    BodyMatter,
}

#[derive(Clone)]
pub struct TocEntry {
    pub href: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// Every content document, in reading order. Each document of the transcript's own
/// parts (introduction, sections, back matter) goes to `done` as soon as it is made,
/// which may take its XHTML away: only one part is ever whole in memory.
pub fn documents(
    t: &Transcript,
    lang: &Lang,
    opts: &crate::EpubOptions,
    done: &mut dyn FnMut(&mut Doc) -> Result<(), crate::EpubError>,
) -> Result<Vec<Doc>, crate::EpubError> {
    let parts = t.parts();
    let mut w = Writer {
        t,
        lang,
        timestamps: opts.timestamps,
        turn: 0,
    };
    let mut docs = Vec::new();

    if !parts.front.is_empty() {
        let blocks: Vec<&Block> = parts.front.iter().collect();
        let intro = w.part_doc(
            "introduction.xhtml",
            "intro",
            lang.labels.introduction,
            &blocks,
            Kind::Front,
        );
        let mut intro = intro;
        done(&mut intro)?;
        docs.push(intro);
    }
    // Each top-level section is a document; so is each run of turns and paragraphs outside one.
    let mut groups: Vec<Vec<&Block>> = Vec::new();
    for b in parts.main {
        match groups.last_mut() {
            Some(run) if !is_section(b) && !is_section(run[0]) => run.push(b),
            _ => groups.push(vec![b]),
        }
    }
    for (i, group) in groups.iter().enumerate() {
        let n = i + 1;
        let mut doc = w.part_doc(
            &format!("section-{n:02}.xhtml"),
            &format!("sec-{n}"),
            lang.labels.interview,
            group,
            Kind::Main,
        );
        if i == 0 {
            doc.landmark = Some(Landmark::BodyMatter);
        }
        done(&mut doc)?;
        docs.push(doc);
    }
    if !parts.back.is_empty() {
        let blocks: Vec<&Block> = parts.back.iter().collect();
        let mut back = w.part_doc(
            "back-matter.xhtml",
            "back",
            lang.labels.back_matter,
            &blocks,
            Kind::Back,
        );
        done(&mut back)?;
        docs.push(back);
    }

    let mut all: Vec<Doc> = opts.cover.iter().map(|c| cover_page(t, lang, c)).collect();
    all.push(w.title_page());
    if opts.toc {
        all.push(contents_page(lang, &docs));
    }
    all.append(&mut docs);
    Ok(all)
}

/// The cover page: the image alone, scaled to the screen by the stylesheet.
fn cover_page(t: &Transcript, lang: &Lang, cover: &crate::Cover) -> Doc {
    let title = meta::title(t);
    let body = format!(
        "<section class=\"cover\" epub:type=\"cover\">\n\
         <img role=\"doc-cover\" src=\"{}\" alt=\"{}\"/>\n</section>\n",
        cover.file(),
        escape(&lang.labels.cover_of.replace("{t}", &title))
    );
    // Its own rules, so that publications without a cover keep the same stylesheet.
    let style = "<style>section.cover { margin: 0; text-align: center; } \
                 section.cover img { max-width: 100%; max-height: 100vh; }</style>\n</head>";
    Doc {
        file: "cover.xhtml".into(),
        xhtml: page(lang, &title, "cover", &body).replacen("</head>", style, 1),
        title: lang.labels.cover.into(),
        toc_children: Vec::new(),
        landmark: Some(Landmark::Cover),
    }
}

fn is_section(b: &Block) -> bool {
    matches!(b, Block::Section(_))
}

#[derive(Clone, Copy)]
enum Kind {
    Front,
    Main,
    Back,
}

struct Writer<'a> {
    t: &'a Transcript,
    lang: &'a Lang,
    /// Print turn start times.
    timestamps: bool,
    /// Turns written so far, for the `uN` ids.
    turn: usize,
}

impl Writer<'_> {
    /// A document for one part of the body. A lone section is the document; other blocks get
    /// the `fallback` heading, with any sections among them one level down.
    fn part_doc(
        &mut self,
        file: &str,
        id: &str,
        fallback: &str,
        blocks: &[&Block],
        kind: Kind,
    ) -> Doc {
        let (title, heading, inner): (String, String, Vec<&Block>) = match blocks {
            [Block::Section(s)] => (
                heading_title(&s.heading, self.lang.labels.untitled_section),
                heading_html(
                    self.t,
                    self.lang,
                    &s.heading,
                    self.lang.labels.untitled_section,
                ),
                s.blocks.iter().collect(),
            ),
            _ => (fallback.to_string(), escape(fallback), blocks.to_vec()),
        };
        let (epub_type, body_type) = match kind {
            Kind::Front => (
                " epub:type=\"introduction\" role=\"doc-introduction\"",
                "frontmatter",
            ),
            Kind::Main => (" epub:type=\"chapter\" role=\"doc-chapter\"", "bodymatter"),
            Kind::Back => ("", "backmatter"),
        };
        let mut body = format!("<section id=\"{id}\"{epub_type}>\n<h2>{heading}</h2>\n");
        let toc_children = self.blocks(&mut body, inner, id, 3, file);
        body.push_str("</section>\n");
        Doc {
            file: file.to_string(),
            xhtml: page(self.lang, &title, body_type, &body),
            title,
            toc_children,
            landmark: None,
        }
    }

    /// Writes blocks; returns the table-of-contents entries of the sections among them.
    fn blocks<'b>(
        &mut self,
        out: &mut String,
        blocks: impl IntoIterator<Item = &'b Block>,
        prefix: &str,
        level: usize,
        file: &str,
    ) -> Vec<TocEntry> {
        let mut toc = Vec::new();
        for b in blocks {
            match b {
                Block::Paragraph(p) => {
                    out.push_str(&format!("<p{}>", paragraph_dir(self.lang, &p.content)));
                    self.inlines(out, &p.content);
                    out.push_str("</p>\n");
                }
                Block::Turn(turn) => self.turn(out, turn),
                Block::Section(s) => {
                    toc.push(self.section(out, s, prefix, toc.len() + 1, level, file))
                }
            }
        }
        toc
    }

    fn section(
        &mut self,
        out: &mut String,
        s: &Section,
        prefix: &str,
        n: usize,
        level: usize,
        file: &str,
    ) -> TocEntry {
        let id = format!("{prefix}-{n}");
        let h = level.min(6);
        out.push_str(&format!(
            "<section id=\"{id}\">\n<h{h}>{}</h{h}>\n",
            heading_html(
                self.t,
                self.lang,
                &s.heading,
                self.lang.labels.untitled_section
            )
        ));
        let children = self.blocks(out, &s.blocks, &id, level + 1, file);
        out.push_str("</section>\n");
        TocEntry {
            href: format!("{file}#{id}"),
            title: heading_title(&s.heading, self.lang.labels.untitled_section),
            children,
        }
    }

    fn turn(&mut self, out: &mut String, turn: &Turn) {
        self.turn += 1;
        let name = clean(&self.t.voices_label(turn));
        let mut label = marked(self.lang, &name);
        // A guessed speaker is bracketed, as an editor supplies a word, and as the PDF prints it.
        if turn.inferred {
            label = format!("[{label}]");
        }
        if turn.continues {
            // A new document may start here, so the reader is told again who speaks.
            label.push_str(&format!(
                " <i class=\"continued\">({})</i>",
                self.lang.labels.continued
            ));
        }
        let classes = if turn.continues {
            "turn continued"
        } else {
            "turn"
        };
        let speaker_class = if turn.inferred {
            "speaker inferred"
        } else {
            "speaker"
        };
        for (i, para) in turn.paragraphs.iter().enumerate() {
            // The words, not the speaker's name, tell which way the paragraph runs.
            let dir = paragraph_dir(self.lang, para);
            if i == 0 {
                out.push_str(&format!(
                    "<p class=\"{classes}\" id=\"u{}\"{dir}>",
                    self.turn
                ));
                if let Some(ts) = turn.start.filter(|_| self.timestamps) {
                    out.push_str(&format!(
                        "<time datetime=\"{}\">{}</time> ",
                        ts.iso_duration(),
                        ts.clock()
                    ));
                }
                out.push_str(&format!("<b class=\"{speaker_class}\">{label}:</b>"));
            } else {
                out.push_str(&format!("<p class=\"turn cont\"{dir}>"));
            }
            let mut text = String::new();
            self.inlines(&mut text, para);
            if i == 0 && !text.is_empty() {
                out.push(' ');
            }
            out.push_str(&text);
            out.push_str("</p>\n");
        }
    }

    fn inlines(&self, out: &mut String, list: &[Inline]) {
        inlines(self.t, self.lang, out, list);
    }

    fn title_page(&self) -> Doc {
        let t = self.t;
        let m = &t.metadata;
        let title = meta::title(t);
        let mut body = String::from("<section class=\"titlepage\" epub:type=\"titlepage\">\n");
        body.push_str(&format!(
            "<h1 class=\"title\">{}</h1>\n",
            marked(self.lang, &title)
        ));
        if let Some(sub) = nonempty(&m.subtitle) {
            body.push_str(&format!(
                "<p class=\"subtitle\">{}</p>\n",
                marked(self.lang, &sub)
            ));
        }
        let en = self.lang.english_attrs();
        let mut rows = String::new();
        // The order of the PDF's title page: those interviewed first.
        let labels = self.lang.labels;
        for role in [Role::Interviewee, Role::Interviewer, Role::Other] {
            let names: Vec<String> = t
                .with_role(role)
                .map(|p| clean(&p.name))
                .filter(|n| !n.trim().is_empty())
                .collect();
            if names.is_empty() {
                continue;
            }
            let label = if names.len() == 1 {
                labels.role(role)
            } else {
                labels.role_plural(role)
            };
            rows.push_str(&format!("<dt{en}>{label}</dt>\n"));
            for n in names {
                rows.push_str(&format!("<dd>{}</dd>\n", marked(self.lang, &n)));
            }
        }
        if let Some(date) = m.date {
            let shown = escape(&date.display(m.language.as_ref()));
            let value = format!("<time datetime=\"{date}\">{shown}</time>");
            rows.push_str(&format!("<dt{en}>{}</dt>\n<dd>{value}</dd>\n", labels.date));
        }
        for (label, field) in [(labels.place, &m.place), (labels.publisher, &m.publisher)] {
            if let Some(v) = nonempty(field) {
                rows.push_str(&format!("<dt{en}>{label}</dt>\n<dd>{}</dd>\n", escape(&v)));
            }
        }
        if let Some(src) = nonempty(&m.source_url) {
            rows.push_str(&format!(
                "<dt{en}>Source</dt>\n<dd>{}</dd>\n",
                link_or_text(&src)
            ));
        }
        if let Some(r) = nonempty(&m.rights) {
            rows.push_str(&format!(
                "<dt{en}>Rights</dt>\n<dd>{}</dd>\n",
                link_or_text(&r)
            ));
        }
        if !rows.is_empty() {
            body.push_str(&format!("<dl class=\"about\">\n{rows}</dl>\n"));
        }
        body.push_str("</section>\n");
        Doc {
            file: "title-page.xhtml".into(),
            xhtml: page(self.lang, &title, "frontmatter", &body),
            title: self.lang.labels.title_page.into(),
            toc_children: Vec::new(),
            landmark: Some(Landmark::TitlePage),
        }
    }
}

/// The contents page, listing the documents that follow it.
fn contents_page(lang: &Lang, docs: &[Doc]) -> Doc {
    fn item(out: &mut String, href: &str, title: &str, children: &[TocEntry]) {
        out.push_str(&format!(
            "<li><a href=\"{}\">{}</a>",
            escape(href),
            escape(title)
        ));
        if !children.is_empty() {
            out.push_str("\n<ol>\n");
            for c in children {
                item(out, &c.href, &c.title, &c.children);
            }
            out.push_str("</ol>\n");
        }
        out.push_str("</li>\n");
    }
    let mut body = format!(
        "<nav class=\"contents\" role=\"doc-toc\" aria-labelledby=\"contents-title\">\n\
         <h2 id=\"contents-title\"{en}>{contents}</h2>\n",
        en = lang.english_attrs(),
        contents = lang.labels.contents,
    );
    if !docs.is_empty() {
        body.push_str("<ol>\n");
        for d in docs {
            item(&mut body, &d.file, &d.title, &d.toc_children);
        }
        body.push_str("</ol>\n");
    }
    body.push_str("</nav>\n");
    Doc {
        file: "contents.xhtml".into(),
        xhtml: page(lang, lang.labels.contents, "frontmatter", &body),
        title: lang.labels.contents.into(),
        toc_children: Vec::new(),
        landmark: Some(Landmark::Toc),
    }
}

fn page(lang: &Lang, title: &str, body_type: &str, body: &str) -> String {
    let attrs = lang.html_attrs();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!DOCTYPE html>\n\
         <html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" \
         {attrs}>\n\
         <head>\n\
         <title>{}</title>\n\
         <link rel=\"stylesheet\" type=\"text/css\" href=\"{STYLESHEET_FILE}\"/>\n\
         </head>\n\
         <body epub:type=\"{body_type}\">\n\
         {body}\
         </body>\n\
         </html>\n",
        escape(title)
    )
}

/// A heading's plain text, or `fallback` when it has none.
fn heading_title(heading: &[Inline], fallback: &str) -> String {
    let text = clean(&plain_text(heading));
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        fallback.to_string()
    } else {
        text
    }
}

fn heading_html(t: &Transcript, lang: &Lang, heading: &[Inline], fallback: &str) -> String {
    if clean(&plain_text(heading)).trim().is_empty() {
        return escape(fallback);
    }
    let mut out = String::new();
    inlines(t, lang, &mut out, heading);
    out
}

/// Escaped text, each stretch in another script a `span` with its language, and its
/// direction when that is not the document's.
fn marked(lang: &Lang, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, tag) in script::foreign_runs(text, lang.script.as_deref()) {
        out.push_str(&escape(&text[at..range.start]));
        let dir = match (tag.is_rtl(), lang.rtl) {
            (true, false) => " dir=\"rtl\"",
            (false, true) => " dir=\"ltr\"",
            _ => "",
        };
        out.push_str(&format!(
            "<span lang=\"{tag}\" xml:lang=\"{tag}\"{dir}>{}</span>",
            escape(&text[range.clone()]),
            tag = escape(tag.as_str())
        ));
        at = range.end;
    }
    out.push_str(&escape(&text[at..]));
    out
}

/// ` dir="…"` for a paragraph whose first strong character runs against the document.
fn paragraph_dir(lang: &Lang, list: &[Inline]) -> &'static str {
    match (script::first_strong_direction(&plain_text(list)), lang.rtl) {
        (Some(Direction::Rtl), false) => " dir=\"rtl\"",
        (Some(Direction::Ltr), true) => " dir=\"ltr\"",
        _ => "",
    }
}

fn inlines(t: &Transcript, lang: &Lang, out: &mut String, list: &[Inline]) {
    for i in list {
        match i {
            Inline::Text { text } => out.push_str(&marked(lang, text)),
            Inline::Emphasis { content } => {
                out.push_str("<em>");
                inlines(t, lang, out, content);
                out.push_str("</em>");
            }
            Inline::Strong { content } => {
                out.push_str("<strong>");
                inlines(t, lang, out, content);
                out.push_str("</strong>");
            }
            Inline::Link { target, content } => match safe_url(target) {
                Some(url) => {
                    out.push_str(&format!("<a href=\"{}\">", escape(url)));
                    inlines(t, lang, out, content);
                    out.push_str("</a>");
                }
                None => inlines(t, lang, out, content),
            },
            Inline::Note { resp, content } => {
                out.push_str("<span class=\"ed-note\">");
                out.push(brackets::OPEN);
                inlines(t, lang, out, content);
                if let Some(r) = resp.as_deref().filter(|r| !r.trim().is_empty()) {
                    let shown = escape(r);
                    out.push(brackets::SIGNATURE);
                    match t.participant(r) {
                        Some(p) => out.push_str(&format!(
                            "<abbr title=\"{}\">{shown}</abbr>",
                            escape(&p.name)
                        )),
                        None => out.push_str(&shown),
                    }
                }
                out.push(brackets::CLOSE);
                out.push_str("</span>");
            }
            Inline::Marker { kind, desc } => {
                let kind = match kind {
                    MarkerKind::Vocal => "vocal",
                    MarkerKind::Incident => "incident",
                    MarkerKind::Pause => "pause",
                    MarkerKind::Gap => "gap",
                };
                out.push_str(&format!(
                    "<span class=\"marker {kind}\">{}</span>",
                    escape(&brackets::marker(desc))
                ));
            }
        }
    }
}

/// A link for `text` when it is a URL we can link to, else the escaped text.
fn link_or_text(text: &str) -> String {
    match safe_url(text) {
        Some(url) => format!("<a href=\"{0}\">{0}</a>", escape(url)),
        None => escape(text),
    }
}

/// `target` if it is an absolute http(s), mailto or ftp URL made only of characters a valid
/// URL may contain; other targets are not linked, so the EPUB never references a missing
/// resource or carries an invalid URL.
fn safe_url(target: &str) -> Option<&str> {
    let url = target.trim();
    let (scheme, rest) = url.split_once(':')?;
    let hierarchical = match scheme.to_ascii_lowercase().as_str() {
        "http" | "https" | "ftp" => true,
        "mailto" => false,
        _ => return None,
    };
    if hierarchical && !(rest.starts_with("//") && rest.len() > 2 && !rest[2..].starts_with('/')) {
        return None;
    }
    if !hierarchical && rest.is_empty() {
        return None;
    }
    let bytes = rest.as_bytes();
    let mut hashes = 0;
    for (i, c) in rest.char_indices() {
        let ok = match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => true,
            '!' | '$' | '&' | '\'' | '(' | ')' | '*' | '+' | ',' | '-' | '.' | '/' | ':' | ';'
            | '=' | '?' | '@' | '_' | '~' => true,
            '#' => {
                hashes += 1;
                hashes == 1
            }
            '%' => bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)),
            c => !c.is_ascii() && !c.is_whitespace() && !c.is_control() && xml_char(c),
        };
        if !ok {
            return None;
        }
    }
    Some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_part_is_handed_over_before_the_next_is_made() {
        use verbatim_model::{Inline, Metadata, Participant, Role, Section, Turn};
        let section = |n: usize| {
            Block::Section(Section {
                heading: vec![Inline::text(format!("Part {n}"))],
                blocks: vec![Block::Turn(Turn::new(
                    "A",
                    vec![vec![Inline::text("Words.")]],
                ))],
            })
        };
        let t = Transcript::new(
            Metadata::default(),
            vec![Participant::new("A", "Ann", Role::Interviewee)],
            vec![section(1), section(2), section(3)],
        )
        .unwrap();
        let lang = crate::meta::language(&t);
        let mut handed = Vec::new();
        let docs = documents(&t, &lang, &crate::EpubOptions::default(), &mut |d| {
            // Each part as it is made, in reading order.
            handed.push((
                d.file.clone(),
                d.xhtml.contains(&format!("Part {}", handed.len() + 1)),
            ));
            d.xhtml.clear();
            Ok(())
        })
        .unwrap();
        assert_eq!(
            handed,
            [1, 2, 3].map(|n| (format!("section-{n:02}.xhtml"), true))
        );
        // The pages before the parts keep their content; the parts' was taken.
        let files: Vec<(&str, bool)> = docs
            .iter()
            .map(|d| (d.file.as_str(), d.xhtml.is_empty()))
            .collect();
        assert_eq!(
            files[..2],
            [("title-page.xhtml", false), ("contents.xhtml", false)]
        );
        assert!(files[2..].iter().all(|(_, empty)| *empty));
    }

    #[test]
    fn escape_handles_markup_and_illegal_characters() {
        assert_eq!(escape("a<b>&\"c\u{0}"), "a&lt;b&gt;&amp;&quot;c");
        assert_eq!(
            escape("\t\u{1}é\u{FFFE}\u{FFFD}\u{FFFF}\u{F000}\r\n"),
            "\té\u{FFFD}\u{F000}\r\n"
        );
    }

    #[test]
    fn links_only_safe_absolute_urls() {
        assert_eq!(
            safe_url(" https://example.org/a?b=c#d "),
            Some("https://example.org/a?b=c#d")
        );
        assert_eq!(
            safe_url("mailto:someone@example.org"),
            Some("mailto:someone@example.org")
        );
        assert_eq!(
            safe_url("https://example.org/%C3%A9"),
            Some("https://example.org/%C3%A9")
        );
        assert_eq!(
            safe_url("https://example.org/é"),
            Some("https://example.org/é")
        );
        for bad in [
            "chapter2.xhtml",
            "javascript:alert(1)",
            "https://exa mple.org",
            "https://example.org/<x>",
            "https://example.org/%zz",
            "https://example.org/#a#b",
            "http:/relative",
            "https://",
            "mailto:",
        ] {
            assert_eq!(safe_url(bad), None, "{bad}");
        }
    }
}
