//! From the transcript to positioned lines on pages: the book design, then
//! pagination with widow, orphan and keep-with-next control.

use verbatim_model::{
    Block, Direction, Inline, Labels, LanguageTag, Role, Transcript, Turn, brackets, plain_text,
    script,
};

use crate::fonts::{Faces, Style};
use crate::text::{Align, Line, Piece, Shape, set};
use crate::{Paper, PdfOptions};

/// Body text size in points.
pub(crate) const BODY: f32 = 11.0;
/// Body leading (baseline to baseline) at the default size.
#[cfg(test)]
pub(crate) const LEADING: f32 = BODY * 1.35;
/// Hanging indent of turns and indent of continuation paragraphs.
#[cfg(test)]
const HANG: f32 = 1.5 * BODY;
/// First-line indent of narrative paragraphs.
#[cfg(test)]
const PARINDENT: f32 = 1.5 * BODY;
/// The heading of the contents page (as in the EPUB).
/// Minimum lines of a split paragraph at the foot and at the head of a page.
const ORPHANS: usize = 2;
const WIDOWS: usize = 2;

/// Page geometry in points, origin top left.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Geometry {
    pub width: f32,
    pub height: f32,
    pub left: f32,
    pub measure: f32,
    pub top: f32,
    pub bottom: f32,
    /// Body text size, and what follows from it.
    pub body: f32,
    pub leading: f32,
    pub hang: f32,
    pub parindent: f32,
}

impl Geometry {
    #[cfg(test)]
    pub(crate) fn new(paper: Paper) -> Self {
        Geometry::with(paper, BODY, None)
    }

    /// The page for a body size and, if given, side margins (points).
    pub(crate) fn with(paper: Paper, body: f32, margin: Option<f32>) -> Self {
        let (width, height): (f32, f32) = match paper {
            Paper::A4 => (595.276, 841.89),
            Paper::Letter => (612.0, 792.0),
        };
        // About 66 characters a line, as in a book set at 11 pt: the measure grows with
        // the type unless the margins are given.
        let measure = match margin {
            Some(m) => (width - 2.0 * m).max(width / 3.0),
            None => (360.0 * body / BODY).min(width - 72.0),
        };
        let leading = body * 1.35;
        let top = (height * 0.115).round();
        let lines = ((height - top - (height * 0.13).round()) / leading).floor();
        Geometry {
            width,
            height,
            left: ((width - measure) / 2.0).round(),
            measure,
            top,
            bottom: top + lines * leading,
            body,
            leading,
            hang: 1.5 * body,
            parindent: 1.5 * body,
        }
    }
}

/// The structure a block belongs to, for the tag tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A heading of the given level (1 = document title).
    Heading(u16),
    Paragraph,
}

/// A typeset block: its lines and how it behaves at page breaks.
#[derive(Debug, Clone)]
pub(crate) struct SetBlock {
    pub kind: Kind,
    pub lines: Vec<Line>,
    pub leading: f32,
    pub space_before: f32,
    pub keep_with_next: bool,
    pub splittable: bool,
    /// Left edge relative to the text block.
    pub x: f32,
    /// A line set in the margin beside the first line (a timestamp).
    pub margin: Option<Line>,
    /// A line set flush right beside the last line (a contents entry's page number).
    pub right: Option<Line>,
    /// Title for the outline (headings only).
    pub outline: Option<String>,
}

impl SetBlock {
    fn height(&self) -> f32 {
        self.lines.len() as f32 * self.leading
    }
}

/// The tag tree skeleton: sections and turns group blocks.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Section(Vec<Node>),
    /// The contents page: its heading, then one block per entry.
    Toc(Vec<Node>),
    Turn(Vec<Node>),
    Block(usize),
}

#[derive(Debug, Clone)]
enum Item {
    Block(usize),
    Space(f32),
    /// Pushes what follows, up to the next page break, to the foot of the page.
    Fill,
    PageBreak,
    Rule,
}

/// A line on a page: which block and line, and where its baseline is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Placed {
    pub block: usize,
    pub line: usize,
    pub baseline: f32,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Page {
    pub lines: Vec<Placed>,
    /// Horizontal rules: (y, half length) centred on the text block.
    pub rules: Vec<f32>,
    /// Whether the page carries running head and folio.
    pub furniture: bool,
}

/// An outline entry: title, level, page and y of its heading.
#[derive(Debug, Clone)]
pub(crate) struct Heading {
    pub title: String,
    pub level: u16,
    pub page: usize,
    pub y: f32,
}

pub(crate) struct Book {
    pub geometry: Geometry,
    pub blocks: Vec<SetBlock>,
    pub tree: Vec<Node>,
    pub pages: Vec<Page>,
    pub headings: Vec<Heading>,
    pub running_head: Option<Line>,
    /// Link targets, by the ids runs carry.
    pub links: Vec<String>,
}

struct Composer<'a> {
    t: &'a Transcript,
    faces: &'a Faces,
    geometry: Geometry,
    rtl: Option<bool>,
    /// The transcript's script; text in another carries its language in the tags.
    script: Option<String>,
    /// The language body text is hyphenated in (none without a declared language).
    hyphens: Option<hypher::Lang>,
    /// Verbatim's own words, in the transcript's language where it has them.
    labels: &'static Labels,
    timestamps: bool,
    justify: bool,
    /// Top-level sections are the parts of a book.
    parts: bool,
    /// Link targets, by the ids pieces carry.
    links: Vec<String>,
    blocks: Vec<SetBlock>,
    items: Vec<Item>,
    notes: u32,
    /// The next narrative paragraph starts flush (after a heading or a break).
    flush: bool,
}

/// The hyphenation patterns for a language, by its two-letter primary subtag.
fn hyphenation(tag: &LanguageTag) -> Option<hypher::Lang> {
    let code: [u8; 2] = tag.primary().as_bytes().try_into().ok()?;
    hypher::Lang::from_iso(code)
}

pub(crate) fn compose(t: &Transcript, opts: &PdfOptions, faces: &Faces) -> Book {
    let geometry = Geometry::with(opts.paper, opts.font_size, opts.margins);
    let mut c = Composer {
        t,
        faces,
        geometry,
        rtl: t.metadata.language.as_ref().map(LanguageTag::is_rtl),
        script: t.main_script(),
        hyphens: t.metadata.language.as_ref().and_then(hyphenation),
        labels: Labels::for_transcript(t.metadata.language.as_ref()),
        timestamps: opts.timestamps,
        justify: opts.justify,
        parts: opts.parts,
        links: Vec::new(),
        blocks: Vec::new(),
        items: Vec::new(),
        notes: 0,
        flush: true,
    };
    let mut tree = c.title_page();
    let parts = t.parts();
    c.items.push(Item::PageBreak);
    let contents_at = (c.items.len(), tree.len());
    if !parts.front.is_empty() {
        tree.extend(c.blocks_of(parts.front, 1));
        c.rule();
    }
    tree.extend(c.blocks_of(parts.main, 1));
    if !parts.back.is_empty() {
        c.rule();
        tree.extend(c.blocks_of(parts.back, 1));
    }
    let running_head = c.running_head();
    let (mut pages, mut headings) = paginate(&c.blocks, &c.items, &geometry);
    if opts.toc {
        // Sections and their subsections; the title page's title is not an entry.
        let entries: Vec<(String, u16, usize)> = headings
            .iter()
            .filter(|h| h.page > 0 && (2..=3).contains(&h.level))
            .map(|h| (h.title.clone(), h.level, h.page))
            .collect();
        let base = c.blocks.len();
        let first_folio = 1 + usize::from(opts.cover.is_some());
        let body = c.items.split_off(contents_at.0);
        let with_contents = |c: &mut Composer<'_>, shift: usize| {
            c.blocks.truncate(base);
            c.items.truncate(contents_at.0);
            let (items, node) = c.contents(&entries, shift);
            c.items.extend(items);
            c.items.extend_from_slice(&body);
            let (p, h) = paginate(&c.blocks, &c.items, &geometry);
            (p, h, node)
        };
        // The numbers wait on how many pages the contents take. The numbers stand in a
        // column of their own, so those pages do not depend on them: set once to count,
        // then again with the count.
        let (counted, _, _) = with_contents(&mut c, first_folio);
        let taken = counted.len() - pages.len();
        let (p, h, node) = with_contents(&mut c, first_folio + taken);
        (pages, headings) = (p, h);
        tree.insert(contents_at.1, node);
    }
    Book {
        geometry,
        blocks: c.blocks,
        tree,
        pages,
        headings,
        running_head,
        links: c.links,
    }
}

impl Composer<'_> {
    fn shape(&self, first_indent: f32, indent: f32, align: Align) -> Shape {
        Shape {
            width: self.geometry.measure,
            first_indent,
            indent,
            align,
            rtl: self.rtl,
            hyphens: None,
        }
    }

    fn body_align(&self) -> Align {
        if self.justify {
            Align::Justify
        } else {
            Align::Start
        }
    }

    fn push(&mut self, block: SetBlock) -> Option<Node> {
        if block.lines.is_empty() {
            return None;
        }
        self.blocks.push(block);
        let i = self.blocks.len() - 1;
        self.items.push(Item::Block(i));
        Some(Node::Block(i))
    }

    fn block(&self, kind: Kind, pieces: &[Piece], shape: &Shape, leading: f32) -> SetBlock {
        SetBlock {
            kind,
            lines: set(self.faces, &self.marked(pieces), shape),
            leading,
            space_before: 0.0,
            keep_with_next: false,
            splittable: true,
            x: 0.0,
            margin: None,
            right: None,
            outline: None,
        }
    }

    /// The pieces, those with text in another script split so that it carries its language.
    fn marked(&self, pieces: &[Piece]) -> Vec<Piece> {
        let mut out = Vec::with_capacity(pieces.len());
        for p in pieces {
            let runs = match p.lang {
                Some(_) => Vec::new(),
                None => script::foreign_runs(&p.text, self.script.as_deref()),
            };
            if runs.is_empty() {
                out.push(p.clone());
                continue;
            }
            let mut at = 0;
            let mut part = |range: std::ops::Range<usize>, lang: Option<String>| {
                if !range.is_empty() {
                    out.push(Piece {
                        text: p.text[range].to_string(),
                        lang,
                        ..p.clone()
                    });
                }
            };
            for (range, tag) in runs {
                part(at..range.start, None);
                at = range.end;
                part(range, Some(tag.to_string()));
            }
            part(at..p.text.len(), None);
        }
        out
    }

    /// `en` for Verbatim's own labels when they are English in a document in another
    /// language (one without a table of labels).
    fn english(&self) -> Option<String> {
        let primary = self.t.metadata.language.as_ref()?.primary();
        (self.labels.is_english() && primary != "en").then(|| "en".to_string())
    }

    /// A body paragraph's shape: hyphenated in the transcript's language, its direction
    /// from its first strong character (the words', so a speaker's name does not turn it)
    /// or else the document's.
    fn directed(&self, mut shape: Shape, words: &[Inline]) -> Shape {
        if let Some(d) = script::first_strong_direction(&plain_text(words)) {
            shape.rtl = Some(d == Direction::Rtl);
        }
        shape.hyphens = self.hyphens;
        shape
    }

    fn centered(
        &mut self,
        kind: Kind,
        text: &str,
        style: Style,
        size: f32,
        leading: f32,
    ) -> Option<Node> {
        let shape = self.shape(0.0, 0.0, Align::Center);
        let mut b = self.block(kind, &[Piece::new(text, style, size)], &shape, leading);
        b.splittable = false;
        self.push(b)
    }

    fn title_page(&mut self) -> Vec<Node> {
        let t = self.t;
        let m = &t.metadata;
        let mut nodes = Vec::new();
        self.items.push(Item::Space(self.geometry.height * 0.12));
        let title = t.display_title().to_string();
        nodes.extend(self.centered(Kind::Heading(1), &title, Style::REGULAR, 22.0, 27.0));
        if let Some(sub) = &m.subtitle {
            self.items.push(Item::Space(8.0));
            nodes.extend(self.centered(Kind::Paragraph, sub, Style::ITALIC, 14.0, 18.0));
        }
        if !t.participants.is_empty() {
            self.items.push(Item::Space(3.0 * self.geometry.leading));
        }
        let mut order: Vec<_> = t.with_role(Role::Interviewee).collect();
        order.extend(t.with_role(Role::Interviewer));
        order.extend(t.with_role(Role::Other));
        for p in order {
            nodes.extend(self.centered(Kind::Paragraph, &p.name, Style::REGULAR, 13.0, 16.0));
            let label = Piece {
                lang: self.english(),
                ..Piece::new(self.labels.role(p.role), Style::ITALIC, 9.5)
            };
            let shape = self.shape(0.0, 0.0, Align::Center);
            let mut b = self.block(Kind::Paragraph, &[label], &shape, 13.0);
            b.splittable = false;
            nodes.extend(self.push(b));
            self.items.push(Item::Space(8.0));
        }
        let when_where: Vec<String> = m
            .place
            .iter()
            .cloned()
            .chain(m.date.map(|d| d.display(m.language.as_ref())))
            .collect();
        if !when_where.is_empty() {
            self.items.push(Item::Space(2.0 * self.geometry.leading));
            nodes.extend(self.centered(
                Kind::Paragraph,
                &when_where.join(", "),
                Style::REGULAR,
                self.geometry.body,
                self.geometry.leading,
            ));
        }
        self.items.push(Item::Fill);
        if let Some(p) = &m.publisher {
            nodes.extend(self.centered(Kind::Paragraph, p, Style::REGULAR, 10.5, 14.0));
        }
        for small in [&m.source_url, &m.rights, &m.identifier]
            .into_iter()
            .flatten()
        {
            let piece = self.url_piece(small, 9.0);
            let shape = self.shape(0.0, 0.0, Align::Center);
            let mut b = self.block(Kind::Paragraph, &[piece], &shape, 12.0);
            b.splittable = false;
            nodes.extend(self.push(b));
        }
        nodes
    }

    /// The contents page's items and node: a heading, then each entry with the folio of
    /// its page (`page` counts from 0 at the title page; `shift` is added).
    fn contents(&mut self, entries: &[(String, u16, usize)], shift: usize) -> (Vec<Item>, Node) {
        let g = self.geometry;
        let mut items = Vec::new();
        let mut nodes = Vec::new();
        let size = 12.5 * g.body / BODY;
        let shape = self.shape(0.0, 0.0, Align::Start);
        let mut h = self.block(
            Kind::Heading(2),
            &[Piece {
                lang: self.english(),
                ..Piece::new(self.labels.contents, Style::BOLD, size)
            }],
            &shape,
            size * 1.3,
        );
        h.outline = Some(self.labels.contents.into());
        h.splittable = false;
        h.keep_with_next = true;
        let column = 3.0 * g.body;
        let set_entries: Vec<SetBlock> = entries
            .iter()
            .map(|(title, level, page)| {
                let indent = if *level > 2 { g.hang } else { 0.0 };
                let shape = Shape {
                    width: g.measure - column,
                    first_indent: indent,
                    indent: indent + g.hang,
                    align: Align::Start,
                    rtl: self.rtl,
                    hyphens: None,
                };
                let style = Style::REGULAR;
                let mut b = self.block(
                    Kind::Paragraph,
                    &[Piece::new(title, style, g.body)],
                    &shape,
                    g.leading,
                );
                b.space_before = if *level == 2 { 0.4 * g.leading } else { 0.0 };
                b.splittable = false;
                let number = (page + shift).to_string();
                b.right = set(
                    self.faces,
                    &[Piece::new(number, style, g.body)],
                    &self.shape(0.0, 0.0, Align::Start),
                )
                .into_iter()
                .next();
                b
            })
            .collect();
        for (i, block) in std::iter::once(h).chain(set_entries).enumerate() {
            let i_block = self.blocks.len();
            if block.lines.is_empty() {
                continue;
            }
            self.blocks.push(block);
            items.push(Item::Block(i_block));
            if i == 0 {
                items.push(Item::Space(0.5 * g.leading));
            }
            nodes.push(Node::Block(i_block));
        }
        items.push(Item::PageBreak);
        (items, Node::Toc(nodes))
    }

    fn rule(&mut self) {
        self.items.push(Item::Rule);
        self.flush = true;
    }

    fn running_head(&self) -> Option<Line> {
        let title = self.t.display_title();
        // The part before a colon is the short title.
        let short = title.split_once(": ").map_or(title, |(s, _)| s).trim();
        let mut chars: Vec<char> = short.chars().collect();
        let shape = Shape {
            width: self.geometry.measure,
            first_indent: 0.0,
            indent: 0.0,
            align: Align::Center,
            rtl: self.rtl,
            hyphens: None,
        };
        loop {
            let mut text: String = chars.iter().collect();
            if text.chars().count() < short.chars().count() {
                text = format!("{}…", text.trim_end());
            }
            let lines = set(self.faces, &[Piece::new(text, Style::ITALIC, 9.0)], &shape);
            if lines.len() <= 1 || chars.len() <= 1 {
                return lines.into_iter().next();
            }
            let keep = chars.len() * 9 / 10;
            chars.truncate(keep.max(1));
        }
    }

    fn blocks_of(&mut self, blocks: &[Block], depth: u16) -> Vec<Node> {
        let mut nodes = Vec::new();
        for b in blocks {
            match b {
                Block::Section(s) if depth == 1 && self.parts => {
                    nodes.push(Node::Section(self.part(s)));
                }
                Block::Section(s) => {
                    let mut children = Vec::new();
                    children.extend(self.heading(&s.heading, depth));
                    children.extend(self.blocks_of(&s.blocks, depth + 1));
                    nodes.push(Node::Section(children));
                }
                Block::Paragraph(p) => {
                    let pieces = self.pieces(&p.content, Style::REGULAR);
                    let indent = if self.flush {
                        0.0
                    } else {
                        self.geometry.parindent
                    };
                    let shape = self.shape(indent, 0.0, self.body_align());
                    let shape = self.directed(shape, &p.content);
                    let block = self.block(Kind::Paragraph, &pieces, &shape, self.geometry.leading);
                    nodes.extend(self.push(block));
                    self.flush = false;
                }
                Block::Turn(turn) => {
                    let children = self.turn(turn);
                    if !children.is_empty() {
                        nodes.push(Node::Turn(children));
                    }
                    self.flush = true;
                }
            }
        }
        nodes
    }

    /// A part of a book: a title page of its own (the heading, then the paragraphs before
    /// the first turn or subsection: short ones centred, longer ones as body text), and
    /// the rest from the next page.
    fn part(&mut self, s: &verbatim_model::Section) -> Vec<Node> {
        let g = self.geometry;
        let mut nodes = Vec::new();
        self.items.push(Item::PageBreak);
        self.items.push(Item::Space(g.height * 0.12));
        let pieces: Vec<Piece> = self
            .pieces(&s.heading, Style::REGULAR)
            .into_iter()
            .map(|p| Piece { size: 18.0, ..p })
            .collect();
        let shape = self.shape(0.0, 0.0, Align::Center);
        let mut h = self.block(Kind::Heading(2), &pieces, &shape, 23.0);
        h.splittable = false;
        h.outline = Some(
            pieces
                .iter()
                .map(|p| p.text.as_str())
                .collect::<String>()
                .trim()
                .to_string(),
        );
        nodes.extend(self.push(h));
        self.items.push(Item::Space(2.0 * g.leading));
        let lead = s
            .blocks
            .iter()
            .take_while(|b| matches!(b, Block::Paragraph(_)))
            .count();
        for b in &s.blocks[..lead] {
            let Block::Paragraph(p) = b else { continue };
            let pieces = self.pieces(&p.content, Style::REGULAR);
            let centred = self.shape(0.0, 0.0, Align::Center);
            let mut block = self.block(Kind::Paragraph, &pieces, &centred, g.leading);
            if block.lines.len() > 1 {
                let body = self.shape(0.0, 0.0, self.body_align());
                block = self.block(Kind::Paragraph, &pieces, &body, g.leading);
                block.space_before = 0.5 * g.leading;
            }
            nodes.extend(self.push(block));
        }
        if lead < s.blocks.len() {
            self.items.push(Item::PageBreak);
        }
        self.flush = true;
        nodes.extend(self.blocks_of(&s.blocks[lead..], 2));
        nodes
    }

    fn heading(&mut self, heading: &[Inline], depth: u16) -> Option<Node> {
        let g = &self.geometry;
        let (style, size, before, after) = match depth {
            1 => (
                Style::BOLD,
                12.5 * g.body / BODY,
                1.6 * g.leading,
                0.5 * g.leading,
            ),
            _ => (Style::ITALIC, g.body, 1.0 * g.leading, 0.25 * g.leading),
        };
        let pieces = self.pieces(heading, style);
        let pieces: Vec<Piece> = pieces.into_iter().map(|p| Piece { size, ..p }).collect();
        let shape = self.shape(0.0, 0.0, Align::Start);
        let mut b = self.block(Kind::Heading(depth + 1), &pieces, &shape, size * 1.3);
        b.space_before = before;
        b.keep_with_next = true;
        b.splittable = false;
        let mut title = plain_text(heading).trim().to_string();
        if title.is_empty() {
            // Only an empty link's target is shown; PDF/UA needs every heading titled.
            title = pieces.iter().map(|p| p.text.as_str()).collect::<String>();
            title = title.trim().to_string();
        }
        b.outline = Some(title);
        let node = self.push(b);
        if node.is_some() {
            self.items.push(Item::Space(after));
        }
        self.flush = true;
        node
    }

    fn turn(&mut self, turn: &Turn) -> Vec<Node> {
        let name = self.t.voices_label(turn);
        let mut nodes = Vec::new();
        for (i, para) in turn.paragraphs.iter().enumerate() {
            let mut pieces = Vec::new();
            let shape = if i == 0 {
                let label = if turn.inferred {
                    format!("[{name}]")
                } else {
                    name.clone()
                };
                pieces.push(Piece::new(label, Style::BOLD, self.geometry.body));
                if turn.continues {
                    pieces.push(Piece {
                        lang: self.english(),
                        ..Piece::new(
                            format!(" ({})", self.labels.continued),
                            Style::ITALIC,
                            self.geometry.body,
                        )
                    });
                }
                pieces.push(Piece::new(": ", Style::BOLD, self.geometry.body));
                self.shape(0.0, self.geometry.hang, self.body_align())
            } else {
                self.shape(
                    self.geometry.hang + self.geometry.parindent,
                    self.geometry.hang,
                    self.body_align(),
                )
            };
            pieces.extend(self.pieces(para, Style::REGULAR));
            let shape = self.directed(shape, para);
            let mut b = self.block(Kind::Paragraph, &pieces, &shape, self.geometry.leading);
            if i == 0 {
                b.space_before = 0.5 * self.geometry.leading;
                if self.timestamps
                    && let Some(ts) = turn.start
                {
                    let s = Shape {
                        width: self.geometry.left,
                        first_indent: 0.0,
                        indent: 0.0,
                        align: Align::Start,
                        rtl: Some(false),
                        hyphens: None,
                    };
                    b.margin = set(
                        self.faces,
                        &[Piece::new(ts.clock(), Style::REGULAR, 8.0)],
                        &s,
                    )
                    .into_iter()
                    .next();
                }
            }
            nodes.extend(self.push(b));
        }
        nodes
    }

    fn pieces(&mut self, list: &[Inline], style: Style) -> Vec<Piece> {
        let mut out = Vec::new();
        self.push_pieces(list, style, None, None, &mut out);
        out
    }

    /// A link's id in [`Book::links`], for targets a reader can open.
    fn link(&mut self, target: &str) -> Option<u32> {
        let t = target.trim();
        let openable = ["http://", "https://", "ftp://", "mailto:"]
            .iter()
            .any(|s| t.len() > s.len() && t[..s.len()].eq_ignore_ascii_case(s));
        if !openable || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return None;
        }
        self.links.push(t.to_string());
        u32::try_from(self.links.len() - 1).ok()
    }

    /// A line of small print (a source, a licence) that is a link when it is a URL.
    fn url_piece(&mut self, text: &str, size: f32) -> Piece {
        let link = self.link(text);
        Piece {
            link,
            url: link.is_some(),
            ..Piece::new(text, Style::REGULAR, size)
        }
    }

    fn push_pieces(
        &mut self,
        list: &[Inline],
        style: Style,
        note: Option<u32>,
        link: Option<u32>,
        out: &mut Vec<Piece>,
    ) {
        let size = self.geometry.body;
        let piece = |text: String, style: Style| Piece {
            note,
            link,
            ..Piece::new(text, style, size)
        };
        for inline in list {
            match inline {
                Inline::Text { text } => out.push(piece(text.clone(), style)),
                Inline::Emphasis { content } => {
                    let s = Style {
                        italic: !style.italic,
                        ..style
                    };
                    self.push_pieces(content, s, note, link, out);
                }
                Inline::Strong { content } => {
                    self.push_pieces(
                        content,
                        Style {
                            bold: true,
                            ..style
                        },
                        note,
                        link,
                        out,
                    );
                }
                Inline::Link { target, content } => {
                    // An outer link keeps its target; links do not nest in PDF.
                    let here = link.or_else(|| self.link(target));
                    let bare = plain_text(content).trim() == target.trim();
                    let start = out.len();
                    self.push_pieces(content, style, note, here, out);
                    if bare {
                        for p in &mut out[start..] {
                            p.url = true;
                        }
                    } else {
                        // Print cannot be clicked: show where the link goes.
                        out.push(Piece {
                            link: here,
                            ..piece(" (".to_string(), style)
                        });
                        out.push(Piece {
                            link: here,
                            url: true,
                            ..piece(target.clone(), style)
                        });
                        out.push(Piece {
                            link: here,
                            ..piece(")".to_string(), style)
                        });
                    }
                }
                Inline::Note { resp, content } => {
                    self.notes += 1;
                    let id = Some(self.notes);
                    let s = Style {
                        italic: !style.italic,
                        ..style
                    };
                    let mut inner = vec![Piece {
                        note: id,
                        ..piece(brackets::OPEN.to_string(), s)
                    }];
                    self.push_pieces(content, s, id, link, &mut inner);
                    if let Some(r) = resp {
                        inner.push(Piece {
                            note: id,
                            ..piece(brackets::signature(r), s)
                        });
                    }
                    inner.push(Piece {
                        note: id,
                        ..piece(brackets::CLOSE.to_string(), s)
                    });
                    out.extend(inner);
                }
                Inline::Marker { desc, .. } => {
                    let s = Style {
                        italic: !style.italic,
                        ..style
                    };
                    out.push(piece(brackets::marker(desc), s));
                }
            }
        }
    }
}

/// Height of the blocks from `from` up to the next page break (for `Fill`).
fn rest_height(blocks: &[SetBlock], items: &[Item], from: usize, leading: f32) -> f32 {
    let mut h = 0.0;
    for item in &items[from..] {
        match item {
            Item::Block(b) => h += blocks[*b].space_before + blocks[*b].height(),
            Item::Space(s) => h += s,
            Item::Rule => h += 2.0 * leading,
            Item::Fill => {}
            Item::PageBreak => break,
        }
    }
    h
}

/// How much of a block must fit at the foot of a page for it to start there.
fn min_start(b: &SetBlock) -> f32 {
    let n = b.lines.len();
    let lines = if b.splittable && n >= ORPHANS + WIDOWS {
        ORPHANS
    } else {
        n
    };
    b.space_before + lines as f32 * b.leading
}

struct Cursor {
    pages: Vec<Page>,
    y: f32,
    /// Lines placed on the current page.
    placed: usize,
}

impl Cursor {
    fn page(&mut self) -> &mut Page {
        if self.pages.is_empty() {
            self.pages.push(Page::default());
        }
        let n = self.pages.len();
        &mut self.pages[n - 1]
    }

    fn new_page(&mut self, top: f32) {
        self.pages.push(Page {
            furniture: true,
            ..Page::default()
        });
        self.y = top;
        self.placed = 0;
    }
}

fn paginate(blocks: &[SetBlock], items: &[Item], g: &Geometry) -> (Vec<Page>, Vec<Heading>) {
    let mut c = Cursor {
        pages: vec![Page::default()],
        y: g.top,
        placed: 0,
    };
    let mut headings = Vec::new();
    let mut after_break = true;
    for (idx, item) in items.iter().enumerate() {
        match item {
            Item::PageBreak => {
                after_break = true;
                if c.placed > 0 || !c.page().rules.is_empty() {
                    c.new_page(g.top);
                }
            }
            Item::Space(s) => {
                if c.placed > 0 || after_break {
                    c.y += s;
                }
            }
            Item::Fill => {
                let rest = rest_height(blocks, items, idx + 1, g.leading);
                c.y = c.y.max(g.bottom - rest);
            }
            Item::Rule => {
                if c.placed > 0 {
                    if c.y + 2.0 * g.leading > g.bottom {
                        c.new_page(g.top);
                    } else {
                        let y = c.y + g.leading;
                        c.page().rules.push(y);
                        c.y += 2.0 * g.leading;
                    }
                }
            }
            Item::Block(i) => {
                after_break = false;
                let b = &blocks[*i];
                // What must fit here: this block's start, or a chain of
                // keep-with-next blocks and the start of the block after them.
                let mut need = min_start(b);
                if b.keep_with_next {
                    need = b.space_before + b.height();
                    for next in items[idx + 1..].iter() {
                        match next {
                            Item::Block(j) if blocks[*j].keep_with_next => {
                                need += blocks[*j].space_before + blocks[*j].height();
                            }
                            Item::Block(j) => {
                                need += min_start(&blocks[*j]);
                                break;
                            }
                            Item::Space(s) => need += s,
                            _ => break,
                        }
                    }
                }
                if c.placed > 0 && c.y + need > g.bottom + 0.01 {
                    c.new_page(g.top);
                }
                place_block(&mut c, b, *i, g, &mut headings);
            }
        }
    }
    let mut pages = c.pages;
    while pages.len() > 1
        && pages
            .last()
            .is_some_and(|p| p.lines.is_empty() && p.rules.is_empty())
    {
        pages.pop();
    }
    (pages, headings)
}

fn place_block(
    c: &mut Cursor,
    b: &SetBlock,
    index: usize,
    g: &Geometry,
    headings: &mut Vec<Heading>,
) {
    if c.placed > 0 {
        c.y += b.space_before;
    }
    let n = b.lines.len();
    let mut next = 0;
    while next < n {
        let room = ((g.bottom - c.y + 0.01) / b.leading).floor().max(0.0) as usize;
        let remaining = n - next;
        let take = if remaining <= room {
            remaining
        } else if !b.splittable {
            0
        } else {
            let mut k = room.min(remaining.saturating_sub(WIDOWS));
            // A word is not hyphenated over a page turn (text extractors do not join it
            // again across pages either) when a line fewer still keeps the orphans.
            if k > ORPHANS && b.lines[next + k - 1].ends_in_hyphen() {
                k -= 1;
            }
            if k < ORPHANS {
                k = 0;
            }
            k
        };
        // An empty page takes what fits, whatever the rules say.
        let take = if take == 0 && c.placed == 0 {
            room.clamp(1, remaining)
        } else {
            take
        };
        if take == 0 {
            c.new_page(g.top);
            continue;
        }
        for line in next..next + take {
            if line == 0
                && let Some(title) = &b.outline
                && let Kind::Heading(level) = b.kind
            {
                // Recorded here, after any page break the block needed.
                headings.push(Heading {
                    title: title.clone(),
                    level,
                    page: c.pages.len() - 1,
                    y: c.y,
                });
            }
            let baseline = c.y + b.leading * 0.78;
            c.page().lines.push(Placed {
                block: index,
                line,
                baseline,
            });
            c.y += b.leading;
            c.placed += 1;
        }
        next += take;
        if next < n {
            c.new_page(g.top);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(n: usize, keep: bool) -> SetBlock {
        SetBlock {
            kind: if keep {
                Kind::Heading(2)
            } else {
                Kind::Paragraph
            },
            lines: vec![Line::default(); n],
            leading: LEADING,
            space_before: 0.0,
            keep_with_next: keep,
            splittable: !keep,
            x: 0.0,
            margin: None,
            right: None,
            outline: keep.then(|| "h".to_string()),
        }
    }

    /// Lines of each block on each page.
    fn run(blocks: &[SetBlock]) -> Vec<Vec<(usize, usize)>> {
        let items: Vec<Item> = (0..blocks.len()).map(Item::Block).collect();
        let g = Geometry::new(Paper::A4);
        let (pages, _) = paginate(blocks, &items, &g);
        pages
            .iter()
            .map(|p| {
                let mut per: Vec<(usize, usize)> = Vec::new();
                for l in &p.lines {
                    match per.last_mut() {
                        Some((b, n)) if *b == l.block => *n += 1,
                        _ => per.push((l.block, 1)),
                    }
                }
                per
            })
            .collect()
    }

    fn capacity() -> usize {
        let g = Geometry::new(Paper::A4);
        ((g.bottom - g.top) / LEADING).round() as usize
    }

    #[test]
    fn page_holds_whole_lines() {
        let cap = capacity();
        assert!((38..=48).contains(&cap), "{cap}");
        let pages = run(&[block(cap, false)]);
        assert_eq!(pages, vec![vec![(0, cap)]]);
    }

    #[test]
    fn no_orphan_at_the_foot_of_a_page() {
        let cap = capacity();
        // One line of room left: the next paragraph moves on whole.
        let pages = run(&[block(cap - 1, false), block(5, false)]);
        assert_eq!(pages, vec![vec![(0, cap - 1)], vec![(1, 5)]]);
    }

    #[test]
    fn no_word_hyphenated_over_a_page_turn() {
        let cap = capacity();
        let hyphen = Line {
            runs: vec![crate::text::PlacedRun {
                x: 0.0,
                face: crate::fonts::FaceId::Regular,
                size: 11.0,
                text: "-".into(),
                glyphs: Box::new([]),
                offsets: Box::new([]),
                note: None,
                link: None,
                lang: None,
                order: 0,
                width: 4.0,
                hyphen: true,
            }],
            width: 4.0,
        };
        let mut b = block(cap + 5, false);
        b.lines[cap - 1] = hyphen.clone();
        assert_eq!(run(&[b]), vec![vec![(0, cap - 1)], vec![(0, 6)]]);
        // Without a hyphen at the foot the page is full.
        assert_eq!(
            run(&[block(cap + 5, false)]),
            vec![vec![(0, cap)], vec![(0, 5)]]
        );
    }

    #[test]
    fn no_widow_at_the_head_of_a_page() {
        let cap = capacity();
        // Three lines of room for a four-line paragraph: two go, two follow.
        let pages = run(&[block(cap - 3, false), block(4, false)]);
        assert_eq!(pages, vec![vec![(0, cap - 3), (1, 2)], vec![(1, 2)]]);
    }

    #[test]
    fn short_paragraphs_are_not_split() {
        let cap = capacity();
        let pages = run(&[block(cap - 2, false), block(3, false)]);
        assert_eq!(pages, vec![vec![(0, cap - 2)], vec![(1, 3)]]);
    }

    #[test]
    fn heading_stays_with_the_next_paragraph() {
        let cap = capacity();
        // Room for the heading and one line: the heading moves on too.
        let pages = run(&[block(cap - 2, false), block(1, true), block(6, false)]);
        assert_eq!(pages, vec![vec![(0, cap - 2)], vec![(1, 1), (2, 6)]]);
        // With room for two lines of the paragraph, they stay together here.
        let pages = run(&[block(cap - 3, false), block(1, true), block(6, false)]);
        assert_eq!(
            pages,
            vec![vec![(0, cap - 3), (1, 1), (2, 2)], vec![(2, 4)]]
        );
    }

    fn interview(paragraphs: usize) -> Transcript {
        use verbatim_model::{Metadata, Participant};
        let long =
            "Words that go on and on so that the paragraph needs several lines of text. ".repeat(4);
        Transcript::new(
            Metadata::default(),
            vec![Participant::new("A", "Ann", Role::Interviewer)],
            vec![Block::Turn(Turn::new(
                "A",
                vec![vec![Inline::text(long)]; paragraphs],
            ))],
        )
        .unwrap()
    }

    fn first_x(line: &Line) -> f32 {
        line.runs.iter().map(|r| r.x).fold(f32::MAX, f32::min)
    }

    #[test]
    fn turns_hang_and_continuations_indent() {
        let faces = crate::fonts::faces().unwrap();
        let book = compose(&interview(2), &PdfOptions::default(), faces);
        let turn: Vec<&SetBlock> = book.blocks.iter().filter(|b| b.lines.len() > 2).collect();
        assert_eq!(turn.len(), 2);
        assert_eq!(first_x(&turn[0].lines[0]), 0.0);
        assert_eq!(first_x(&turn[0].lines[1]), HANG);
        assert_eq!(first_x(&turn[1].lines[0]), HANG + PARINDENT);
        assert_eq!(first_x(&turn[1].lines[1]), HANG);
    }

    #[test]
    fn justify_option_switches_between_flush_and_ragged() {
        let faces = crate::fonts::faces().unwrap();
        let right_edges = |justify: bool| -> Vec<f32> {
            let opts = PdfOptions {
                justify,
                ..PdfOptions::default()
            };
            let book = compose(&interview(1), &opts, faces);
            let b = book.blocks.iter().find(|b| b.lines.len() > 2).unwrap();
            b.lines[..b.lines.len() - 1]
                .iter()
                .map(|l| first_x(l) + l.width)
                .collect()
        };
        let measure = Geometry::new(Paper::A4).measure;
        assert!(
            right_edges(true)
                .iter()
                .all(|&e| (e - measure).abs() < 0.05)
        );
        assert!(right_edges(false).iter().any(|&e| e < measure - 1.0));
    }

    #[test]
    fn a_turn_runs_the_way_its_words_do_and_marks_other_scripts() {
        use verbatim_model::{Metadata, Participant};
        let t = Transcript::new(
            Metadata {
                language: Some("en".parse().unwrap()),
                ..Metadata::default()
            },
            vec![Participant::new("Y", "Yael", Role::Interviewee)],
            vec![Block::Turn(Turn::new(
                "Y",
                vec![vec![Inline::text(
                    "פגשנו זה את זה בשוק, ליד דוכן התבלינים.",
                )]],
            ))],
        )
        .unwrap();
        let faces = crate::fonts::faces().unwrap();
        let book = compose(&t, &PdfOptions::default(), faces);
        let b = book.blocks.last().unwrap();
        let line = &b.lines[0];
        let measure = Geometry::new(Paper::A4).measure;
        // Right to left although the name is Latin: flush right, the name at the right.
        assert!((first_x(line) + line.width - measure).abs() < 0.05);
        let rightmost = line.runs.iter().max_by(|a, b| a.x.total_cmp(&b.x)).unwrap();
        assert_eq!(&*rightmost.text, "Yael");
        let hebrew: Vec<&crate::text::PlacedRun> =
            line.runs.iter().filter(|r| &*r.text == "בשוק").collect();
        assert_eq!(hebrew.len(), 1);
        assert_eq!(hebrew[0].lang.as_deref(), Some("und-Hebr"));
        assert!(
            line.runs
                .iter()
                .filter(|r| &*r.text == "Yael")
                .all(|r| r.lang.is_none())
        );
    }
}
