//! Every writer's options in one place, each format keeping its own struct.

use verbatim_captions::CaptionOptions;
use verbatim_epub::EpubOptions;
use verbatim_json::JsonOptions;
use verbatim_markdown::MarkdownOptions;
use verbatim_pdf::{Paper, PdfOptions, Typeface};
use verbatim_tei::TeiOptions;
use verbatim_txt::TextOptions;

/// Options for every writer, one struct per format. The generator and the dates are not
/// options of any one writer: they travel in the [`WriteContext`](crate::WriteContext).
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct WriteOptions {
    /// Plain-text options.
    pub text: TextOptions,
    /// JSON options.
    pub json: JsonOptions,
    /// Markdown options.
    pub markdown: MarkdownOptions,
    /// TEI options.
    pub tei: TeiOptions,
    /// EPUB options.
    pub epub: EpubOptions,
    /// PDF options.
    pub pdf: PdfOptions,
    /// WebVTT and SRT options.
    pub captions: CaptionOptions,
    /// Formats whose output the PDF carries as attachments (`tei`, `json`), which makes
    /// it PDF/A-3u.
    pub embed: Vec<&'static str>,
}

impl WriteOptions {
    /// Sets the cover image of the EPUB and the PDF from its bytes, PNG or JPEG (told by
    /// their signature, not by a file name).
    pub fn set_cover(&mut self, data: Vec<u8>) -> Result<(), String> {
        let (media_type, kind) = if data.starts_with(b"\x89PNG\r\n\x1a\n") {
            ("image/png", verbatim_pdf::ImageKind::Png)
        } else if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
            ("image/jpeg", verbatim_pdf::ImageKind::Jpeg)
        } else {
            return Err("not a PNG or JPEG image".into());
        };
        self.pdf.cover = Some(verbatim_pdf::Cover {
            data: data.clone(),
            kind,
            alt: None,
        });
        self.epub.cover = Some(verbatim_epub::Cover { data, media_type });
        Ok(())
    }

    /// The option names [`WriteOptions::set`] takes: the command line's long options.
    pub const KEYS: &'static [(&'static str, &'static str)] = &[
        (
            "width",
            "plain text: wrap to this many columns; 0 does not wrap",
        ),
        ("paper", "PDF: a4 or letter"),
        (
            "ragged",
            "PDF: true for ragged-right paragraphs instead of justified",
        ),
        (
            "tei-style",
            "TEI: u (utterances, the default) or sp (drama-style speeches)",
        ),
        (
            "font-size",
            "PDF: body text size in points (7 to 20; headings and the measure follow)",
        ),
        (
            "margins",
            "PDF: left and right margins in millimetres (10 to 60)",
        ),
        (
            "typeface",
            "PDF: serif (Noto Serif, the default) or sans (DejaVu Sans)",
        ),
        (
            "toc",
            "EPUB and PDF: true for a printed contents page (EPUB's default), false for none",
        ),
        (
            "embed",
            "PDF: attach the transcript as tei, json, or both (tei,json or all), as PDF/A-3u",
        ),
        (
            "caption-line",
            "WebVTT and SRT: characters per caption line (two lines a cue)",
        ),
        (
            "timestamps",
            "text, EPUB and PDF: show or hide turn start times (TEI and JSON keep them)",
        ),
    ];

    /// Sets an option by its command-line name (`width`, `paper`, `ragged`), from its
    /// value as written in a defaults file or a fixture's `options.yaml`.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let value = value.trim();
        let boolean = || match value {
            "true" | "yes" | "on" => Ok(true),
            "false" | "no" | "off" => Ok(false),
            _ => Err(format!("{key}: \"{value}\" is not true or false")),
        };
        match key {
            "width" => {
                self.text.width = value
                    .parse()
                    .map_err(|_| format!("width: \"{value}\" is not a number of columns"))?;
            }
            "paper" => {
                self.pdf.paper = match value.to_ascii_lowercase().as_str() {
                    "a4" => Paper::A4,
                    "letter" => Paper::Letter,
                    _ => return Err(format!("paper: \"{value}\" is not a4 or letter")),
                }
            }
            "ragged" => self.pdf.justify = !boolean()?,
            "font-size" => {
                self.pdf.font_size = value
                    .parse::<f32>()
                    .ok()
                    .filter(|v| (7.0..=20.0).contains(v))
                    .ok_or_else(|| {
                        format!("font-size: \"{value}\" is not a size from 7 to 20 points")
                    })?;
            }
            "margins" => {
                let mm = value
                    .trim_end_matches("mm")
                    .trim()
                    .parse::<f32>()
                    .ok()
                    .filter(|v| (10.0..=60.0).contains(v))
                    .ok_or_else(|| format!("margins: \"{value}\" is not 10 to 60 millimetres"))?;
                self.pdf.margins = Some(mm * 72.0 / 25.4);
            }
            "toc" => {
                let toc = boolean()?;
                self.epub.toc = toc;
                self.pdf.toc = toc;
            }
            "typeface" => {
                self.pdf.typeface = match value.to_ascii_lowercase().as_str() {
                    "serif" => Typeface::Serif,
                    "sans" => Typeface::Sans,
                    _ => return Err(format!("typeface: \"{value}\" is not serif or sans")),
                }
            }
            "embed" => {
                self.embed.clear();
                for f in value.split(',').map(str::trim).filter(|f| !f.is_empty()) {
                    match f {
                        "all" => self.embed.extend(["tei", "json"]),
                        "tei" => self.embed.push("tei"),
                        "json" => self.embed.push("json"),
                        _ => return Err(format!("embed: \"{f}\" is not tei, json or all")),
                    }
                }
                self.embed.dedup();
            }
            "caption-line" => {
                self.captions.line = value.parse().ok().filter(|n| *n >= 10).ok_or_else(|| {
                    format!("caption-line: \"{value}\" is not a number of 10 or more")
                })?;
            }
            "tei-style" => {
                self.tei.style = match value {
                    "u" => verbatim_tei::TeiStyle::U,
                    "sp" => verbatim_tei::TeiStyle::Sp,
                    _ => return Err(format!("tei-style: \"{value}\" is not u or sp")),
                }
            }
            "timestamps" => {
                let show = match value {
                    "show" => true,
                    "hide" => false,
                    _ => boolean()
                        .map_err(|_| format!("timestamps: \"{value}\" is not show or hide"))?,
                };
                self.text.timestamps = show;
                self.epub.timestamps = show;
                self.pdf.timestamps = show;
            }
            _ => {
                let known: Vec<&str> = Self::KEYS.iter().map(|(k, _)| *k).collect();
                return Err(format!(
                    "unknown option \"{key}\" (known: {})",
                    known.join(", ")
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cover_is_told_by_its_signature() {
        let mut o = WriteOptions::default();
        o.set_cover(b"\x89PNG\r\n\x1a\nrest".to_vec()).unwrap();
        assert_eq!(o.epub.cover.as_ref().unwrap().media_type, "image/png");
        assert_eq!(o.epub.cover.as_ref().unwrap().file(), "cover.png");
        o.set_cover(vec![0xFF, 0xD8, 0xFF, 0xE0]).unwrap();
        assert_eq!(o.epub.cover.as_ref().unwrap().file(), "cover.jpg");
        assert_eq!(
            o.pdf.cover.as_ref().unwrap().kind,
            verbatim_pdf::ImageKind::Jpeg
        );
        assert!(o.set_cover(b"GIF89a".to_vec()).is_err());
    }

    #[test]
    fn every_key_can_be_set_and_bad_values_are_refused() {
        let mut o = WriteOptions::default();
        o.set("width", "40").unwrap();
        o.set("paper", "Letter").unwrap();
        o.set("ragged", "true").unwrap();
        o.set("font-size", "12.5").unwrap();
        o.set("margins", "25mm").unwrap();
        assert_eq!(o.pdf.font_size, 12.5);
        assert!(o.pdf.margins.is_some_and(|m| (m - 70.866).abs() < 0.01));
        assert!(o.set("font-size", "40").is_err() && o.set("margins", "2").is_err());
        o.set("typeface", "Sans").unwrap();
        assert_eq!(o.pdf.typeface, Typeface::Sans);
        assert!(o.set("typeface", "mono").is_err());
        o.set("toc", "false").unwrap();
        assert!(!o.epub.toc && !o.pdf.toc);
        o.set("toc", "yes").unwrap();
        assert!(o.epub.toc && o.pdf.toc);
        o.set("embed", "all").unwrap();
        assert_eq!(o.embed, ["tei", "json"]);
        assert!(o.set("embed", "epub").is_err());
        o.set("tei-style", "sp").unwrap();
        assert_eq!(o.tei.style, verbatim_tei::TeiStyle::Sp);
        assert!(o.set("tei-style", "drama").is_err());
        o.set("timestamps", "hide").unwrap();
        assert!(!o.text.timestamps && !o.epub.timestamps && !o.pdf.timestamps);
        assert!(o.set("timestamps", "sometimes").is_err());
        assert_eq!(o.text.width, 40);
        assert_eq!(o.pdf.paper, Paper::Letter);
        assert!(!o.pdf.justify);
        assert!(o.set("width", "wide").is_err());
        assert!(o.set("paper", "a5").is_err());
        assert!(o.set("ragged", "maybe").is_err());
        assert!(o.set("colour", "red").unwrap_err().contains("known: width"));
        for (key, _) in WriteOptions::KEYS {
            assert!(
                !o.set(key, "?").unwrap_err().starts_with("unknown"),
                "{key}"
            );
        }
    }
}
