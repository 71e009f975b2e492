//! Drawing the laid-out book with krilla: pages, tags, outline, metadata.

use std::num::NonZeroU16;

use krilla::action::LinkAction;
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::configure::{Accessibility, Archival, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::Stroke;
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, Node as TagNode, SpanTag, Tag, TagGroup,
    TagKind, TagTree,
};
use krilla::{Document, SerializeSettings};

use crate::PdfError;
use crate::fonts::Faces;
use crate::layout::{Book, Heading, Kind, Node};
use crate::text::PlacedRun;

/// Document-level metadata, already resolved from transcript and options.
pub(crate) struct Meta {
    pub title: String,
    pub authors: Vec<String>,
    pub description: Option<String>,
    pub keywords: Vec<String>,
    pub language: Option<String>,
    pub creator: Option<String>,
    pub date: DateTime,
    pub document_id: Option<String>,
    pub extra: crate::xmp::Extra,
}

/// Where a link's words lie on one line.
struct Hotspot {
    link: u32,
    block: usize,
    order: usize,
    left: f32,
    right: f32,
    baseline: f32,
    size: f32,
}

/// A tagged piece of content: its reading position, note, link and identifier.
struct Leaf {
    order: usize,
    note: Option<u32>,
    link: Option<u32>,
    id: Identifier,
}

/// A decoded cover image and its alternative text.
pub(crate) struct CoverImage {
    image: Image,
    alt: String,
}

/// Checks the cover image now, so that a bad one is named as such. `alt` is the
/// description when the options give none ("Cover of …").
pub(crate) fn cover(c: &crate::Cover, alt: &str) -> Result<CoverImage, PdfError> {
    let data = krilla::Data::from(c.data.clone());
    // Not interpolated: PDF/A forbids asking viewers to.
    let image = match c.kind {
        crate::ImageKind::Png => Image::from_png(data, false),
        crate::ImageKind::Jpeg => Image::from_jpeg(data, false),
    }
    .map_err(PdfError::Cover)?;
    let (w, h) = image.size();
    if w == 0 || h == 0 {
        return Err(PdfError::Cover("the image has no pixels".into()));
    }
    let alt = c.alt.clone().unwrap_or_else(|| alt.to_string());
    Ok(CoverImage { image, alt })
}

/// The document as krilla writes it; [`crate::xmp::amend_into`] completes its XMP.
pub(crate) fn render(
    mut book: Book,
    meta: &Meta,
    faces: &Faces,
    attachments: &[crate::Attachment],
    cover: Option<CoverImage>,
) -> Result<Vec<u8>, PdfError> {
    // PDF/A-3 is PDF/A-2 that allows associated files.
    let archival = if attachments.is_empty() {
        Archival::A2_U
    } else {
        Archival::A3_U
    };
    let mut config = ConfigurationBuilder::new().with_archival_validator(archival);
    if meta.language.is_some() {
        config = config.with_accessibility_validator(Accessibility::UA1);
    }
    let config = config
        .finish()
        .map_err(|e| PdfError::Export(format!("{e:?}")))?;
    let settings = SerializeSettings {
        configuration: config,
        enable_tagging: true,
        ..SerializeSettings::default()
    };
    let mut doc = Document::new_with(settings);
    let g = &book.geometry;
    let mut leaves: Vec<Vec<Leaf>> = (0..book.blocks.len()).map(|_| Vec::new()).collect();
    let mut figure = None;
    if let Some(c) = &cover {
        let settings = PageSettings::from_wh(g.width, g.height)
            .ok_or_else(|| PdfError::Export("bad page size".into()))?;
        let mut p = doc.start_page_with(settings);
        let mut s = p.surface();
        // Scaled to fit the page, keeping its proportions, centred.
        let (w, h) = c.image.size();
        let scale = (g.width / w as f32).min(g.height / h as f32);
        let (dw, dh) = (w as f32 * scale, h as f32 * scale);
        s.push_transform(&Transform::from_translate(
            (g.width - dw) / 2.0,
            (g.height - dh) / 2.0,
        ));
        let id = s.start_tagged(ContentTag::Other);
        if let Some(size) = Size::from_wh(dw, dh) {
            s.draw_image(c.image.clone(), size);
        }
        s.end_tagged();
        s.pop();
        s.finish();
        p.finish();
        figure = Some(id);
    }
    // Pages of the book come after the cover.
    let offset = usize::from(cover.is_some());
    for (number, page) in book.pages.iter().enumerate() {
        let settings = PageSettings::from_wh(g.width, g.height)
            .ok_or_else(|| PdfError::Export("bad page size".into()))?;
        let mut p = doc.start_page_with(settings);
        let mut s = p.surface();
        let mut hotspots: Vec<Hotspot> = Vec::new();
        if page.furniture {
            if let Some(head) = &book.running_head {
                artifact(
                    &mut s,
                    faces,
                    &head.runs,
                    ArtifactType::PaginationOther,
                    g.left,
                    g.top - 30.0,
                );
            }
            let folio = crate::text::set(
                faces,
                &[crate::text::Piece::new(
                    (number + 1 + offset).to_string(),
                    crate::fonts::Style::REGULAR,
                    9.0,
                )],
                &crate::text::Shape {
                    width: g.measure,
                    first_indent: 0.0,
                    indent: 0.0,
                    align: crate::text::Align::Center,
                    rtl: Some(false),
                    hyphens: None,
                },
            );
            if let Some(folio) = folio.first() {
                artifact(
                    &mut s,
                    faces,
                    &folio.runs,
                    ArtifactType::PaginationOther,
                    g.left,
                    g.bottom + 36.0,
                );
            }
        }
        for &y in &page.rules {
            rule(&mut s, g.left + g.measure / 2.0, y);
        }
        for placed in &page.lines {
            let block = &book.blocks[placed.block];
            if placed.line == 0
                && let Some(margin) = &block.margin
            {
                let x = g.left - 12.0 - margin.width;
                for run in &margin.runs {
                    let id = draw_tagged(&mut s, faces, run, x, placed.baseline);
                    leaves[placed.block].push(Leaf {
                        order: 0,
                        note: None,
                        link: None,
                        id,
                    });
                }
            }
            if placed.line + 1 == block.lines.len()
                && let Some(right) = &block.right
            {
                let x = g.left + g.measure - right.width;
                for run in &right.runs {
                    let id = draw_tagged(&mut s, faces, run, x, placed.baseline);
                    leaves[placed.block].push(Leaf {
                        order: usize::MAX,
                        note: None,
                        link: None,
                        id,
                    });
                }
            }
            let Some(line) = block.lines.get(placed.line) else {
                continue;
            };
            let x0 = g.left + block.x;
            let mut here: Vec<Hotspot> = Vec::new();
            for run in &line.runs {
                if run.hyphen {
                    // Not in the structure tree; pdftotext joins the word across the line.
                    artifact(
                        &mut s,
                        faces,
                        std::slice::from_ref(run),
                        ArtifactType::Layout,
                        x0,
                        placed.baseline,
                    );
                    continue;
                }
                let id = draw_tagged(&mut s, faces, run, x0, placed.baseline);
                leaves[placed.block].push(Leaf {
                    order: run.order as usize,
                    note: run.note,
                    link: run.link,
                    id,
                });
                if let Some(link) = run.link {
                    let (left, right) = (x0 + run.x, x0 + run.x + run.width);
                    match here.iter_mut().find(|h| h.link == link) {
                        Some(h) => {
                            h.left = h.left.min(left);
                            h.right = h.right.max(right);
                            h.order = h.order.min(run.order as usize);
                        }
                        None => here.push(Hotspot {
                            link,
                            block: placed.block,
                            order: run.order as usize,
                            left,
                            right,
                            baseline: placed.baseline,
                            size: run.size,
                        }),
                    }
                }
            }
            hotspots.extend(here);
            // A block's glyphs are not needed once its last line is drawn; freeing
            // them as pages are made keeps the peak at the larger of the laid-out
            // book and the PDF, not their sum.
            if placed.line + 1 >= book.blocks[placed.block].lines.len() {
                let b = &mut book.blocks[placed.block];
                b.lines = Vec::new();
                b.margin = None;
                b.right = None;
            }
        }
        s.finish();
        // A link is an annotation over its words on each line, tagged with them.
        for h in hotspots {
            let (Some(url), Some(rect)) = (
                book.links.get(h.link as usize),
                Rect::from_xywh(
                    h.left,
                    h.baseline - 0.8 * h.size,
                    h.right - h.left,
                    1.05 * h.size,
                ),
            ) else {
                continue;
            };
            let annotation =
                LinkAnnotation::new(rect, Target::Action(LinkAction::new(url.clone()).into()));
            let id = p.add_tagged_annotation(Annotation::new_link(annotation, Some(url.clone())));
            leaves[h.block].push(Leaf {
                order: h.order,
                note: None,
                link: Some(h.link),
                id,
            });
        }
        p.finish();
    }

    let mut tree = TagTree::new().with_lang(meta.language.clone());
    if let (Some(id), Some(c)) = (figure, &cover) {
        let mut g = TagGroup::new(Tag::Figure(Some(c.alt.clone())));
        g.push(id);
        tree.push(g);
    }
    let mut slots: Vec<Option<Vec<Leaf>>> = leaves.into_iter().map(Some).collect();
    for node in &book.tree {
        if let Some(n) = tag_node(&book, node, &mut slots) {
            tree.push(n);
        }
    }
    doc.set_tag_tree(tree);
    doc.set_outline(outline(&book.headings, g.left, offset));
    // What is left of the laid-out book is not needed to write the file, which is
    // where the peak is.
    drop(slots);
    drop(book);
    doc.set_metadata(metadata(meta));
    for a in attachments {
        let file = krilla::embed::EmbeddedFile {
            path: a.name.clone(),
            mime_type: krilla::embed::MimeType::new(&a.mime_type),
            description: Some(a.description.clone()),
            association_kind: match a.relationship {
                crate::Relationship::Source => krilla::embed::AssociationKind::Source,
                crate::Relationship::Data => krilla::embed::AssociationKind::Data,
            },
            data: a.data.clone().into(),
            modification_date: Some(meta.date),
            compress: Some(true),
            location: None,
        };
        doc.embed_file(file)
            .ok_or_else(|| PdfError::Export(format!("two attachments are named {}", a.name)))?;
    }
    doc.finish().map_err(|e| PdfError::Export(format!("{e:?}")))
}

fn draw_tagged(s: &mut Surface<'_>, faces: &Faces, run: &PlacedRun, x: f32, y: f32) -> Identifier {
    let id = s.start_tagged(ContentTag::Span(SpanTag {
        lang: run.lang.as_deref(),
        ..SpanTag::empty()
    }));
    draw_run(s, faces, run, x, y);
    s.end_tagged();
    id
}

fn draw_run(s: &mut Surface<'_>, faces: &Faces, run: &PlacedRun, x: f32, y: f32) {
    let glyphs = crate::fonts::to_krilla(&run.glyphs, &run.offsets, run.text.len(), run.size);
    s.draw_glyphs(
        Point::from_xy(x + run.x, y),
        &glyphs,
        faces.font(run.face),
        &run.text,
        run.size,
        false,
    );
}

fn artifact(
    s: &mut Surface<'_>,
    faces: &Faces,
    runs: &[PlacedRun],
    kind: ArtifactType,
    x: f32,
    y: f32,
) {
    s.start_tagged(ContentTag::Artifact(Artifact::with_kind(kind)));
    for run in runs {
        draw_run(s, faces, run, x, y);
    }
    s.end_tagged();
}

fn rule(s: &mut Surface<'_>, centre: f32, y: f32) {
    let mut pb = PathBuilder::new();
    pb.move_to(centre - 30.0, y);
    pb.line_to(centre + 30.0, y);
    let Some(path) = pb.finish() else {
        return;
    };
    s.start_tagged(ContentTag::Artifact(Artifact::with_kind(
        ArtifactType::Layout,
    )));
    s.set_fill(None);
    s.set_stroke(Some(Stroke {
        paint: rgb::Color::new(0, 0, 0).into(),
        width: 0.5,
        ..Stroke::default()
    }));
    s.draw_path(&path);
    s.set_stroke(None);
    s.end_tagged();
}

fn tag_node(book: &Book, node: &Node, slots: &mut [Option<Vec<Leaf>>]) -> Option<TagNode> {
    let group = |tag: TagKind, children: &[Node], slots: &mut [Option<Vec<Leaf>>]| {
        let mut kids: Vec<TagNode> = children
            .iter()
            .filter_map(|c| tag_node(book, c, slots))
            .collect();
        // The tree lives until the document is written, a node per block and run:
        // the room a growing vector keeps would be up to half of it.
        kids.shrink_to_fit();
        (!kids.is_empty()).then(|| TagGroup::with_children(tag, kids).into())
    };
    match node {
        Node::Section(children) => group(Tag::Section.into(), children, slots),
        Node::Turn(children) => group(Tag::Div.into(), children, slots),
        Node::Toc(children) => {
            // The heading stays a heading; each entry is a TOCI of the TOC.
            let mut kids = children.iter().filter_map(|c| tag_node(book, c, slots));
            let heading = kids.next()?;
            let items: Vec<TagNode> = kids
                .map(|k| TagGroup::with_children(Tag::TOCI, vec![k]).into())
                .collect();
            let mut section = vec![heading];
            if !items.is_empty() {
                section.push(TagGroup::with_children(Tag::TOC, items).into());
            }
            Some(TagGroup::with_children(Tag::Section, section).into())
        }
        Node::Block(i) => {
            let mut leaves = slots.get_mut(*i)?.take()?;
            if leaves.is_empty() {
                return None;
            }
            leaves.sort_by_key(|l| l.order);
            let block = &book.blocks[*i];
            let tag: TagKind = match block.kind {
                Kind::Heading(level) => {
                    let title = block.outline.clone().or_else(|| Some(line_texts(block)));
                    Tag::Hn(NonZeroU16::new(level).unwrap_or(NonZeroU16::MIN), title).into()
                }
                Kind::Paragraph => Tag::P.into(),
            };
            // Runs of one note become a Note; within them and outside, runs of one
            // link a Link.
            let mut children: Vec<TagNode> = Vec::new();
            for run in leaves.chunk_by(|a, b| a.note == b.note) {
                let linked = with_links(run);
                if run[0].note.is_some() {
                    children.push(TagGroup::with_children(Tag::Note, linked).into());
                } else {
                    children.extend(linked);
                }
            }
            children.shrink_to_fit();
            Some(TagGroup::with_children(tag, children).into())
        }
    }
}

/// Leaves in order, with each run of one link's grouped as a `Link`.
fn with_links(leaves: &[Leaf]) -> Vec<TagNode> {
    let mut out: Vec<TagNode> = Vec::new();
    for run in leaves.chunk_by(|a, b| a.link == b.link) {
        let ids = run.iter().map(|l| TagNode::from(l.id));
        match run[0].link {
            Some(_) => out.push(TagGroup::with_children(Tag::Link, ids.collect()).into()),
            None => out.extend(ids),
        }
    }
    out
}

pub(crate) fn line_texts(block: &crate::layout::SetBlock) -> String {
    crate::text::lines_text(&block.lines)
}

fn outline(headings: &[Heading], x: f32, offset: usize) -> Outline {
    let mut root = Outline::new();
    let mut stack: Vec<(u16, OutlineNode)> = Vec::new();
    fn attach(stack: &mut [(u16, OutlineNode)], root: &mut Outline, node: OutlineNode) {
        match stack.last_mut() {
            Some((_, parent)) => parent.push_child(node),
            None => root.push_child(node),
        }
    }
    for h in headings {
        while stack.last().is_some_and(|(l, _)| *l >= h.level) {
            if let Some((_, done)) = stack.pop() {
                attach(&mut stack, &mut root, done);
            }
        }
        let dest = XyzDestination::new(h.page + offset, Point::from_xy(x, h.y));
        stack.push((
            h.level,
            OutlineNode::new(h.title.clone(), dest).with_open(true),
        ));
    }
    while let Some((_, done)) = stack.pop() {
        attach(&mut stack, &mut root, done);
    }
    root
}

fn metadata(m: &Meta) -> Metadata {
    let mut md = Metadata::new()
        .title(m.title.clone())
        .authors(m.authors.clone())
        .keywords(m.keywords.clone())
        .creation_date(m.date);
    if let Some(d) = &m.description {
        md = md.description(d.clone());
    }
    if let Some(l) = &m.language {
        md = md.language(l.clone());
    }
    if let Some(c) = &m.creator {
        md = md.creator(c.clone());
    }
    if let Some(id) = &m.document_id {
        md = md.document_id(id.clone());
    }
    md
}
