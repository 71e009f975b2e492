//! The embedded font families and text shaping.
//!
//! Serif (the default): Noto Serif (regular, bold, italic) sets Latin, Greek
//! and Cyrillic; Noto Serif Hebrew (regular, bold) sets Hebrew. Sans: DejaVu
//! Sans (regular, bold, oblique) sets all of these. In both, DejaVu Sans is the
//! fallback for Arabic and symbols. A character none of them has is drawn as
//! U+FFFD but keeps its own Unicode mapping, so the text survives extraction.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, RwLock};

use krilla::text::{Font, GlyphId, KrillaGlyph};
use rustybuzz::{Direction, Script, ShapePlan, UnicodeBuffer};

static SERIF: &[u8] = include_bytes!("../fonts/NotoSerif-Regular.ttf");
static SERIF_BOLD: &[u8] = include_bytes!("../fonts/NotoSerif-Bold.ttf");
static SERIF_ITALIC: &[u8] = include_bytes!("../fonts/NotoSerif-Italic.ttf");
static HEBREW: &[u8] = include_bytes!("../fonts/NotoSerifHebrew-Regular.ttf");
static HEBREW_BOLD: &[u8] = include_bytes!("../fonts/NotoSerifHebrew-Bold.ttf");
static SANS: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static SANS_BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");
static SANS_OBLIQUE: &[u8] = include_bytes!("../fonts/DejaVuSans-Oblique.ttf");

/// The faces of each family in [`FaceId`] order.
static SERIF_DATA: [&[u8]; 6] = [SERIF, SERIF_BOLD, SERIF_ITALIC, HEBREW, HEBREW_BOLD, SANS];
static SANS_DATA: [&[u8]; 6] = [SANS, SANS_BOLD, SANS_OBLIQUE, SANS, SANS_BOLD, SANS];

/// The typeface family a PDF is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Typeface {
    /// Noto Serif, with Noto Serif Hebrew.
    #[default]
    Serif,
    /// DejaVu Sans.
    Sans,
}

/// One of the embedded faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum FaceId {
    Regular = 0,
    Bold = 1,
    Italic = 2,
    Hebrew = 3,
    HebrewBold = 4,
    Fallback = 5,
}

/// Weight and slant of a piece of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Style {
    pub bold: bool,
    pub italic: bool,
}

impl Style {
    pub const REGULAR: Style = Style {
        bold: false,
        italic: false,
    };
    pub const BOLD: Style = Style {
        bold: true,
        italic: false,
    };
    pub const ITALIC: Style = Style {
        bold: false,
        italic: true,
    };
}

/// Runs up to this many bytes are kept once shaped.
const SHAPED_LEN: usize = 32;
/// Words kept per face, size and direction (a few MiB at most per thread).
const SHAPED_WORDS: usize = 16_384;

type ShapedKey = (Typeface, FaceId, bool, u32);
type Shaped = HashMap<Box<str>, Box<[Glyph]>>;

thread_local! {
    static SHAPED: RefCell<Vec<(ShapedKey, Shaped)>> =
        const { RefCell::new(Vec::new()) };
}

/// A face, direction and script a shape plan was made for.
type PlanKey = (FaceId, Direction, Option<Script>);

pub(crate) struct Faces {
    typeface: Typeface,
    faces: Vec<rustybuzz::Face<'static>>,
    fonts: Vec<Font>,
    // Making a plan reads the font's layout tables; done per run it was a
    // third of the time of a PDF. A document needs a handful of them.
    plans: RwLock<Vec<(PlanKey, Arc<ShapePlan>)>>,
    /// Whether each face has U+0000 to U+024F: asked for every character set.
    latin: Vec<[bool; 0x250]>,
}

fn has_glyph(face: &rustybuzz::Face<'_>, c: char) -> bool {
    face.glyph_index(c).is_some_and(|g| g.0 != 0)
}

fn load(typeface: Typeface, data: &[&'static [u8]; 6]) -> Option<Faces> {
    let mut faces = Vec::new();
    let mut fonts = Vec::new();
    let mut latin = Vec::new();
    for &data in data {
        let face = rustybuzz::Face::from_slice(data, 0)?;
        latin.push(std::array::from_fn(|i| {
            char::from_u32(i as u32).is_some_and(|c| has_glyph(&face, c))
        }));
        faces.push(face);
        fonts.push(Font::new(krilla::Data::from(data), 0)?);
    }
    Some(Faces {
        typeface,
        faces,
        fonts,
        plans: RwLock::new(Vec::new()),
        latin,
    })
}

// Parsed once per process; the data is static, so every document sees the same faces.
static SERIF_FACES: LazyLock<Option<Faces>> = LazyLock::new(|| load(Typeface::Serif, &SERIF_DATA));
static SANS_FACES: LazyLock<Option<Faces>> = LazyLock::new(|| load(Typeface::Sans, &SANS_DATA));

pub(crate) fn faces_of(typeface: Typeface) -> Option<&'static Faces> {
    match typeface {
        Typeface::Serif => SERIF_FACES.as_ref(),
        Typeface::Sans => SANS_FACES.as_ref(),
    }
}

#[cfg(test)]
pub(crate) fn faces() -> Option<&'static Faces> {
    faces_of(Typeface::Serif)
}

/// A glyph with its advance and offsets in points, and the text it stands for
/// (relative to the run's text).
#[derive(Debug, Clone)]
pub(crate) struct Glyph {
    pub id: u16,
    pub advance: f32,
    pub dx: f32,
    pub dy: f32,
    /// Where its cluster starts; it ends where the next cluster starts.
    pub start: u32,
}

/// A glyph as a set line keeps it until its page is drawn, which for a book is most
/// of the run: 12 bytes. Where its text ends is where the next cluster starts, as
/// [`Faces::shape`] made it; the rare offsets (marks) are kept beside the run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Kept {
    pub id: u16,
    pub advance: f32,
    pub start: u32,
}

/// A kept glyph's offsets: its index in the run, dx and dy in points.
pub(crate) type Offset = (u32, f32, f32);

/// The glyphs of a run for krilla, their ends and offsets restored.
pub(crate) fn to_krilla(
    glyphs: &[Kept],
    offsets: &[Offset],
    text_len: usize,
    size: f32,
) -> Vec<KrillaGlyph> {
    let mut starts: Vec<u32> = glyphs.iter().map(|g| g.start).collect();
    starts.sort_unstable();
    starts.dedup();
    let mut offsets = offsets.iter().peekable();
    glyphs
        .iter()
        .enumerate()
        .map(|(i, g)| {
            // Binary search: a linear scan made long words quadratic.
            let next = starts.partition_point(|&s| s <= g.start);
            let end = starts.get(next).map_or(text_len, |&e| e as usize);
            let (dx, dy) = match offsets.next_if(|o| o.0 as usize == i) {
                Some(&(_, dx, dy)) => (dx, dy),
                None => (0.0, 0.0),
            };
            KrillaGlyph::new(
                GlyphId::new(u32::from(g.id)),
                g.advance / size,
                dx / size,
                dy / size,
                0.0,
                g.start as usize..end.max(g.start as usize),
                None,
            )
        })
        .collect()
}

/// A byte offset within a run of one paragraph; inputs are limited far below 4 GiB.
pub(crate) fn offset(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Characters that have no glyph of their own and need none.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{FE00}'..='\u{FE0F}')
}

/// Punctuation and spaces that take the font of the text around them.
fn is_neutral(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_punctuation()
        || matches!(c, '\u{2000}'..='\u{206F}' | '\u{0300}'..='\u{036F}' | '\u{00A0}'..='\u{00BF}')
        || is_invisible(c)
}

impl Faces {
    pub(crate) fn font(&self, id: FaceId) -> Font {
        self.fonts[id as usize].clone()
    }

    pub(crate) fn covers(&self, id: FaceId, c: char) -> bool {
        match self.latin[id as usize].get(c as usize) {
            Some(&known) => known,
            None => has_glyph(&self.faces[id as usize], c),
        }
    }

    fn primary(style: Style) -> FaceId {
        match (style.bold, style.italic) {
            (true, _) => FaceId::Bold,
            (false, true) => FaceId::Italic,
            (false, false) => FaceId::Regular,
        }
    }

    /// The face that draws `c` in `style`, or None when no face has it.
    pub(crate) fn pick(&self, c: char, style: Style, previous: Option<FaceId>) -> Option<FaceId> {
        if is_neutral(c)
            && let Some(p) = previous
            && (self.covers(p, c) || is_invisible(c))
        {
            return Some(p);
        }
        let hebrew = if style.bold {
            FaceId::HebrewBold
        } else {
            FaceId::Hebrew
        };
        [Self::primary(style), hebrew, FaceId::Fallback]
            .into_iter()
            .find(|&f| self.covers(f, c))
    }

    /// The face used for characters no face covers.
    pub(crate) fn missing_face(style: Style) -> FaceId {
        Self::primary(style)
    }

    /// Shapes `text` in one face and direction. Glyphs come in visual order.
    ///
    /// Runs are words, and a transcript uses a few thousand words many times over:
    /// short ones are shaped once per thread and copied after (shaping is a pure
    /// function of face, text, size and direction, so the bytes do not change).
    pub(crate) fn shape(&self, id: FaceId, text: &str, size: f32, rtl: bool) -> Vec<Glyph> {
        if text.len() > SHAPED_LEN {
            return self.shape_now(id, text, size, rtl);
        }
        let key = (self.typeface, id, rtl, size.to_bits());
        SHAPED.with_borrow_mut(|cache| {
            let words = match cache.iter().position(|(k, _)| *k == key) {
                Some(i) => &mut cache[i].1,
                None => {
                    cache.push((key, HashMap::new()));
                    &mut cache.last_mut().expect("just pushed").1
                }
            };
            if let Some(glyphs) = words.get(text) {
                return glyphs.to_vec();
            }
            let glyphs = self.shape_now(id, text, size, rtl);
            if words.len() >= SHAPED_WORDS {
                words.clear();
            }
            words.insert(text.into(), glyphs.as_slice().into());
            glyphs
        })
    }

    fn shape_now(&self, id: FaceId, text: &str, size: f32, rtl: bool) -> Vec<Glyph> {
        let face = &self.faces[id as usize];
        let scale = size / face.units_per_em() as f32;
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        buffer.set_direction(if rtl {
            Direction::RightToLeft
        } else {
            Direction::LeftToRight
        });
        // Guessing never sets Unknown, so Unknown means no script was found.
        let script = Some(buffer.script()).filter(|&s| s != rustybuzz::script::UNKNOWN);
        let plan = self.plan((id, buffer.direction(), script));
        let out = rustybuzz::shape_with_plan(face, &plan, buffer);
        out.glyph_infos()
            .iter()
            .zip(out.glyph_positions())
            .map(|(info, pos)| Glyph {
                id: u16::try_from(info.glyph_id).unwrap_or(0),
                advance: pos.x_advance as f32 * scale,
                dx: pos.x_offset as f32 * scale,
                dy: pos.y_offset as f32 * scale,
                start: info.cluster,
            })
            .collect()
    }

    /// The shape plan for a face, direction and script, made once per process.
    fn plan(&self, key: PlanKey) -> Arc<ShapePlan> {
        let find = |plans: &[(PlanKey, Arc<ShapePlan>)]| {
            plans
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, p)| p.clone())
        };
        // A poisoned lock still holds whole plans: each is pushed complete.
        if let Some(plan) = find(&self.plans.read().unwrap_or_else(|e| e.into_inner())) {
            return plan;
        }
        let mut plans = self.plans.write().unwrap_or_else(|e| e.into_inner());
        if let Some(plan) = find(&plans) {
            return plan;
        }
        let (id, direction, script) = key;
        let plan = Arc::new(ShapePlan::new(
            &self.faces[id as usize],
            direction,
            script,
            None,
            &[],
        ));
        plans.push((key, plan.clone()));
        plan
    }

    /// Glyphs for characters no face has: one replacement glyph per character.
    pub(crate) fn replacement(&self, id: FaceId, text: &str, size: f32) -> Vec<Glyph> {
        let face = &self.faces[id as usize];
        let scale = size / face.units_per_em() as f32;
        let gid = face.glyph_index('\u{FFFD}').map_or(0, |g| g.0);
        let advance = face
            .glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(gid))
            .map_or(size / 2.0, |a| f32::from(a) * scale);
        text.char_indices()
            .map(|(i, _)| Glyph {
                id: gid,
                advance,
                dx: 0.0,
                dy: 0.0,
                start: offset(i),
            })
            .collect()
    }
}

/// Characters of `text` that no face of `typeface` can draw.
pub fn uncovered_chars(text: &str, typeface: Typeface) -> Vec<char> {
    let Some(faces) = faces_of(typeface) else {
        return text.chars().collect();
    };
    let mut out: Vec<char> = text
        .chars()
        .filter(|&c| !c.is_control() && !is_invisible(c))
        .filter(|&c| faces.pick(c, Style::REGULAR, None).is_none())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faces_cover_the_required_scripts() {
        let text = "Aé Ωμέγα Ж щёлк שָׁלוֹם עברית “quotes” — ‘x’ … €";
        for typeface in [Typeface::Serif, Typeface::Sans] {
            assert_eq!(uncovered_chars(text, typeface), Vec::<char>::new());
            let faces = faces_of(typeface).unwrap();
            for style in [Style::REGULAR, Style::BOLD, Style::ITALIC] {
                for c in "AéΩЖש“—".chars() {
                    let face = faces.pick(c, style, None);
                    // Each style is drawn by its own face, not by the fallback.
                    assert!(
                        face.is_some_and(|f| f != FaceId::Fallback),
                        "{c} in {style:?} {typeface:?}"
                    );
                }
            }
        }
        let faces = faces().unwrap();
        assert_eq!(faces.pick('ש', Style::BOLD, None), Some(FaceId::HebrewBold));
        assert_eq!(
            faces.pick('ش', Style::REGULAR, None),
            Some(FaceId::Fallback)
        );
    }

    #[test]
    fn reports_what_no_face_has() {
        assert_eq!(uncovered_chars("a漢b", Typeface::Sans), vec!['漢']);
    }

    #[test]
    fn shaping_measures_from_the_font() {
        let faces = faces().unwrap();
        let w = |s: &str| {
            faces
                .shape(FaceId::Regular, s, 10.0, false)
                .iter()
                .map(|g| g.advance)
                .sum::<f32>()
        };
        assert!(w("WWWW") > w("iiii") * 2.0);
        assert!((w("ab") - (w("a") + w("b"))).abs() < 0.5);
        let hebrew = faces.shape(FaceId::Hebrew, "שלום", 10.0, true);
        assert_eq!(hebrew.len(), 4);
        // Visual order: the last letter comes first.
        assert_eq!(hebrew[0].start, 6);
    }

    #[test]
    fn a_shape_plan_is_made_once_per_face_direction_and_script() {
        let faces = faces().unwrap();
        let latin = (
            FaceId::Regular,
            Direction::LeftToRight,
            Some(rustybuzz::script::LATIN),
        );
        assert!(Arc::ptr_eq(&faces.plan(latin), &faces.plan(latin)));
        let hebrew = (
            FaceId::Hebrew,
            Direction::RightToLeft,
            Some(rustybuzz::script::HEBREW),
        );
        assert!(!Arc::ptr_eq(&faces.plan(latin), &faces.plan(hebrew)));
        // Text shaped with the kept plan measures as with a plan of its own.
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str("AVAWAY");
        let fresh = rustybuzz::shape(&faces.faces[0], &[], buffer);
        let kept: Vec<f32> = faces
            .shape(FaceId::Regular, "AVAWAY", 1000.0, false)
            .iter()
            .map(|g| g.advance)
            .collect();
        let scale = 1000.0 / faces.faces[0].units_per_em() as f32;
        let fresh: Vec<f32> = fresh
            .glyph_positions()
            .iter()
            .map(|p| p.x_advance as f32 * scale)
            .collect();
        assert_eq!(kept, fresh);
    }
}
