//! Telling the input format: by extension, then by content.

use std::path::Path;

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use crate::{ByExtension, Code, Diagnostic, InputFormat};

/// How much of an input the sniffers look at.
const PREFIX: usize = 64 * 1024;

/// What the sniffers see of an input: its first bytes, as text, and its XML root.
#[derive(Debug)]
pub struct Probe<'a> {
    /// The first bytes.
    pub bytes: &'a [u8],
    /// The first bytes as text (UTF-8 or UTF-16 with a byte order mark; invalid bytes
    /// replaced), without a byte order mark and with `\n` line ends.
    pub text: String,
    /// The root element's local name and namespace, when the text is XML.
    pub xml_root: Option<(String, Option<String>)>,
}

impl<'a> Probe<'a> {
    /// Looks at the start of an input.
    pub fn new(bytes: &'a [u8]) -> Probe<'a> {
        let bytes = &bytes[..bytes.len().min(PREFIX)];
        let text = prefix_text(bytes);
        let xml_root = xml_root(&text);
        Probe {
            bytes,
            text,
            xml_root,
        }
    }

    fn trimmed(&self) -> &str {
        self.text.trim_start()
    }
}

fn prefix_text(bytes: &[u8]) -> String {
    let utf16 = |rest: &[u8], unit: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| unit([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    };
    let text = if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        utf16(rest, u16::from_le_bytes)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        utf16(rest, u16::from_be_bytes)
    } else {
        let rest = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        String::from_utf8_lossy(rest).into_owned()
    };
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// The root element of an XML text, with its namespace.
fn xml_root(text: &str) -> Option<(String, Option<String>)> {
    if !text.trim_start().starts_with('<') {
        return None;
    }
    let mut reader = NsReader::from_str(text);
    loop {
        match reader.read_resolved_event() {
            Ok((ns, Event::Start(e) | Event::Empty(e))) => {
                let name = e.local_name().as_ref().to_string();
                let ns = match ns {
                    ResolveResult::Bound(n) => Some(n.0.to_string()),
                    _ => None,
                };
                return Some((name, ns));
            }
            Ok((_, Event::Eof)) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

/// The TEI namespace.
const TEI_NS: &str = "http://www.tei-c.org/ns/1.0";

pub(crate) fn tei(p: &Probe<'_>) -> u8 {
    match &p.xml_root {
        Some((name, Some(ns))) if ns == TEI_NS && (name == "TEI" || name == "teiCorpus") => 100,
        Some((name, None)) if name == "TEI" => 70,
        _ => 0,
    }
}

pub(crate) fn ohms(p: &Probe<'_>) -> u8 {
    match &p.xml_root {
        Some((name, ns)) if verbatim_ohms::is_ohms_root(name, ns.as_deref()) => 100,
        _ => 0,
    }
}

pub(crate) fn json(p: &Probe<'_>) -> u8 {
    let t = p.trimmed();
    if !t.starts_with('{') {
        return 0;
    }
    if t.contains("\"schema_version\"") {
        100
    } else {
        40
    }
}

pub(crate) fn markdown(p: &Probe<'_>) -> u8 {
    let t = &p.text;
    if let Some(rest) = t.strip_prefix("---\n")
        && (rest.starts_with("---\n") || rest.contains("\n---\n") || rest.ends_with("\n---"))
    {
        return 90;
    }
    let bold_label = t.lines().any(|l| {
        l.trim_start()
            .strip_prefix("**")
            .and_then(|r| r.find(":**").map(|i| (1..=60).contains(&i)))
            .unwrap_or(false)
    });
    if bold_label {
        return 70;
    }
    if t.lines()
        .any(|l| l.starts_with("# ") || l.starts_with("## "))
    {
        return 30;
    }
    0
}

/// A WebVTT or SRT cue timing line: `00:00:01.000 --> 00:00:02.000`, with `,` in SRT.
fn timing(line: &str, separator: char) -> bool {
    let Some((start, _)) = line.split_once("-->") else {
        return false;
    };
    let start = start.trim();
    let Some((clock, millis)) = start.rsplit_once(separator) else {
        return false;
    };
    millis.len() == 3
        && millis.bytes().all(|b| b.is_ascii_digit())
        && clock.split(':').count() >= 2
        && clock
            .split(':')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

pub(crate) fn vtt(p: &Probe<'_>) -> u8 {
    let t = p.trimmed();
    if t.starts_with("WEBVTT") {
        return 100;
    }
    if t.lines().take(200).any(|l| timing(l, '.')) {
        60
    } else {
        0
    }
}

pub(crate) fn srt(p: &Probe<'_>) -> u8 {
    let mut lines = p.text.lines().map(str::trim).filter(|l| !l.is_empty());
    if let (Some(n), Some(time)) = (lines.next(), lines.next())
        && n.bytes().all(|b| b.is_ascii_digit())
        && timing(time, ',')
    {
        return 95;
    }
    if p.text.lines().take(200).any(|l| timing(l, ',')) {
        60
    } else {
        0
    }
}

pub(crate) fn docx(p: &Probe<'_>) -> u8 {
    if !p.bytes.starts_with(b"PK\x03\x04") {
        return 0;
    }
    let has = |needle: &[u8]| p.bytes.windows(needle.len()).any(|w| w == needle);
    if has(b"word/") { 100 } else { 30 }
}

/// Whether a line starts with a speaker label's shape: `Name:`, `SPEAKER 1:`,
/// `[SPEAKER_00]:`, after an optional `[00:01:02]` or `0:00:14.1`.
fn labelled(line: &str) -> bool {
    let mut rest = line.trim_start();
    // A leading time.
    if let Some(r) = rest.strip_prefix('[')
        && let Some(close) = r.find(']')
        && r[..close]
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b':' || b == b'.')
        && close > 0
    {
        rest = r[close + 1..].trim_start();
    }
    let digits = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(0);
    if digits > 3 && rest[..digits].contains(':') {
        rest = rest[digits..].trim_start();
    }
    let Some(colon) = rest.find(':') else {
        return false;
    };
    let label = rest[..colon].trim_start_matches('[').trim_end_matches(']');
    let after = &rest[colon + 1..];
    (1..=40).contains(&label.chars().count())
        && label.chars().next().is_some_and(char::is_alphabetic)
        && label
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '\'' | '’' | '-' | '_'))
        && label.split_whitespace().count() <= 4
        && (after.is_empty() || after.starts_with([' ', '\t']))
}

pub(crate) fn txt(p: &Probe<'_>) -> u8 {
    if p.bytes.contains(&0)
        && !p.bytes.starts_with(b"\xFF\xFE")
        && !p.bytes.starts_with(b"\xFE\xFF")
    {
        return 0;
    }
    let labels = p.text.lines().take(400).filter(|l| labelled(l)).count();
    match labels {
        0 if p.text.trim().is_empty() => 0,
        0 | 1 => 10,
        _ => 50,
    }
}

/// The format chosen for an input, and whether it was a guess.
#[derive(Debug, Clone)]
pub struct Detected {
    /// The format.
    pub format: InputFormat,
    /// A `format-guessed` warning when the content made it likely but not certain.
    pub warning: Option<Diagnostic>,
}

/// Chooses the reader for an input: `forced` (from `-f`) always wins; otherwise the file
/// extension, with the content deciding between formats that share one (`.xml`); without
/// a known extension (standard input, an unknown extension), the content alone, with a
/// warning when that is a guess.
pub fn detect(
    path: Option<&Path>,
    forced: Option<InputFormat>,
    bytes: &[u8],
) -> Result<Detected, Diagnostic> {
    if let Some(format) = forced {
        return Ok(Detected {
            format,
            warning: None,
        });
    }
    let by_extension = match path.map(InputFormat::for_path) {
        Some(ByExtension::Format(format)) => {
            return Ok(Detected {
                format,
                warning: None,
            });
        }
        Some(ByExtension::Shared(formats)) => formats,
        Some(ByExtension::Unknown) | None => Vec::new(),
    };
    let probe = Probe::new(bytes);
    let candidates: Vec<InputFormat> = if by_extension.is_empty() {
        InputFormat::all().collect()
    } else {
        by_extension.clone()
    };
    let scored = candidates
        .iter()
        .map(|f| (f, (f.reader().sniff)(&probe)))
        .filter(|(_, s)| *s > 0)
        // The first of equals, in table order.
        .fold(None::<(InputFormat, u8)>, |best, (f, s)| match best {
            Some((_, b)) if b >= s => best,
            _ => Some((*f, s)),
        });
    match scored {
        Some((format, 100)) => Ok(Detected {
            format,
            warning: None,
        }),
        Some((format, _)) => Ok(Detected {
            format,
            warning: Some(Diagnostic::note(
                Code::FormatGuessed,
                format!(
                    "read as {} ({}), guessed from the content; name the format with -f",
                    format.name(),
                    format.reader().title
                ),
            )),
        }),
        None if !by_extension.is_empty() => {
            let ext = path
                .and_then(|p| p.extension())
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            let known = by_extension
                .iter()
                .map(|f| format!("{} ({})", f.name(), f.reader().title))
                .collect::<Vec<_>>()
                .join(", ");
            let found = match &probe.xml_root {
                Some((name, Some(ns))) => format!("the root element is <{name}> in namespace {ns}"),
                Some((name, None)) => format!("the root element is <{name}>, in no namespace"),
                None if ext == "xml" => "it is not XML".to_string(),
                None => "its content is none of them".to_string(),
            };
            Err(Diagnostic::error(
                Code::FormatUnknown,
                None,
                format!("not a known .{ext} format: {found}; known: {known}"),
            ))
        }
        None => {
            let known = InputFormat::all()
                .map(|f| f.name())
                .collect::<Vec<_>>()
                .join(", ");
            Err(Diagnostic::error(
                Code::FormatUnknown,
                None,
                format!("cannot tell the input format from its content; name it with -f ({known})"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniffed(bytes: &[u8]) -> (String, bool) {
        let d = detect(None, None, bytes).unwrap();
        (d.format.name().to_string(), d.warning.is_some())
    }

    #[test]
    fn standard_input_is_told_by_its_content() {
        let json = br#"{"schema_version": "1.0", "metadata": {}, "participants": [], "body": []}"#;
        assert_eq!(sniffed(json), ("json".into(), false));
        let tei =
            br#"<?xml version="1.0"?><TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/></TEI>"#;
        assert_eq!(sniffed(tei), ("tei".into(), false));
        assert_eq!(
            sniffed(b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhi\n"),
            ("vtt".into(), false)
        );
        assert_eq!(
            sniffed(b"1\n00:00:01,000 --> 00:00:02,000\nhi\n"),
            ("srt".into(), true)
        );
        assert_eq!(
            sniffed(b"---\ntitle: x\n---\n\n**Q:** hi\n"),
            ("md".into(), true)
        );
        assert_eq!(
            sniffed(b"**Q:** Why?\n\n**A:** Because.\n"),
            ("md".into(), true)
        );
        assert_eq!(
            sniffed(b"SOLOMON: Where did you grow up?\nTAVELA: Silver Spring.\n"),
            ("txt".into(), true)
        );
        assert_eq!(
            sniffed(b"[SPEAKER_01]: Hola.\n[SPEAKER_00]: Bon dia.\n"),
            ("txt".into(), true)
        );
        assert_eq!(
            sniffed(b"\xEF\xBB\xBF[00:00:05]\nISAACS: Sure.\nSCHNEIDER: Okay.\n").0,
            "txt"
        );
    }

    #[test]
    fn xml_files_are_told_apart_by_their_root() {
        let path = Path::new("interview.xml");
        let tei = br#"<TEI xmlns="http://www.tei-c.org/ns/1.0"/>"#;
        assert_eq!(detect(Some(path), None, tei).unwrap().format.name(), "tei");
        let other =
            br#"<?xml version="1.0"?><ROOT xmlns="https://example.org/ns"><record/></ROOT>"#;
        let e = detect(Some(path), None, other).unwrap_err();
        assert_eq!(e.code, Code::FormatUnknown);
        assert_eq!(
            e.message,
            "not a known .xml format: the root element is <ROOT> in namespace https://example.org/ns; known: tei (TEI P5 XML (u or sp encoding)), ohms (OHMS XML (Oral History Metadata Synchronizer export, 6.0 or legacy))"
        );
        let ohms = br#"<ROOT xmlns="https://www.weareavp.com/nunncenter/ohms"><record/></ROOT>"#;
        assert_eq!(
            detect(Some(path), None, ohms).unwrap().format.name(),
            "ohms"
        );
        let e = detect(Some(path), None, b"hello").unwrap_err();
        assert!(e.message.contains("it is not XML"), "{}", e.message);
    }

    #[test]
    fn the_extension_and_the_flag_win() {
        let md = InputFormat::parse("md").unwrap();
        let json = br#"{"schema_version": "1.0"}"#;
        assert_eq!(detect(None, Some(md), json).unwrap().format.name(), "md");
        assert_eq!(
            detect(Some(Path::new("a.txt")), None, json)
                .unwrap()
                .format
                .name(),
            "txt"
        );
        assert!(detect(None, None, b"\x00\x01\x02").is_err());
    }
}
