//! What krilla's XMP cannot say, added after export: one `dc:creator` entry per
//! person (krilla folds all names into one for PDF 1.x, as PDF/A-1 asked;
//! PDF/A-2 has no such rule, and hyperxmp and pdfx split them the same way),
//! and the rights, identifier, publisher and source of the transcript. The
//! metadata stream is unfiltered (PDF/A forbids a filter on it), so the packet
//! is edited as text and the cross-reference offsets after it are shifted.

use crate::PdfError;

/// The Dublin Core and XMP Rights properties the packet gains.
#[derive(Debug, Default)]
pub(crate) struct Extra {
    pub creators: Vec<String>,
    pub rights: Option<String>,
    /// A URL where the licence is stated (`xmpRights:WebStatement`).
    pub web_statement: Option<String>,
    pub identifier: Option<String>,
    pub publisher: Option<String>,
    pub source: Option<String>,
}

const RIGHTS_NS: &str = "http://ns.adobe.com/xap/1.0/rights/";

/// The packet with the properties of `extra`, or `None` when it needs none.
fn edit_packet(packet: &str, extra: &Extra) -> Option<String> {
    let mut creators = String::new();
    if extra.creators.len() > 1 {
        creators.push_str("<dc:creator><rdf:Seq>");
        for c in &extra.creators {
            wrapped(&mut creators, "<rdf:li>", c, "</rdf:li>");
        }
        creators.push_str("</rdf:Seq></dc:creator>");
    }
    let mut added = String::new();
    let properties = [
        (
            &extra.rights,
            "<dc:rights><rdf:Alt><rdf:li xml:lang=\"x-default\">",
            "</rdf:li></rdf:Alt></dc:rights>",
        ),
        (
            &extra.web_statement,
            "<xmpRights:WebStatement>",
            "</xmpRights:WebStatement>",
        ),
        (&extra.identifier, "<dc:identifier>", "</dc:identifier>"),
        (
            &extra.publisher,
            "<dc:publisher><rdf:Bag><rdf:li>",
            "</rdf:li></rdf:Bag></dc:publisher>",
        ),
        (&extra.source, "<dc:source>", "</dc:source>"),
    ];
    for (value, open, close) in properties {
        if let Some(v) = value {
            wrapped(&mut added, open, v, close);
        }
    }
    if creators.is_empty() && added.is_empty() {
        return None;
    }
    let mut out = packet.to_string();
    if !creators.is_empty() {
        let start = out.find("<dc:creator>")?;
        let end = out[start..].find("</dc:creator>")? + start + "</dc:creator>".len();
        out.replace_range(start..end, &creators);
    }
    let end = out.rfind("</rdf:Description>")?;
    out.insert_str(end, &added);
    if extra.web_statement.is_some() {
        let open = "<rdf:Description rdf:about=\"\"";
        let at = out.find(open)? + open.len();
        out.insert_str(at, &format!(" xmlns:xmpRights=\"{RIGHTS_NS}\""));
    }
    Some(out)
}

/// `value`, escaped, between `open` and `close`.
fn wrapped(out: &mut String, open: &str, value: &str, close: &str) {
    out.push_str(open);
    escape_into(out, value);
    out.push_str(close);
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
}

/// `pdf` with its document metadata stream completed by `extra` ([`amend_into`], in
/// memory).
#[cfg(test)]
pub(crate) fn amend(pdf: Vec<u8>, extra: &Extra) -> Result<Vec<u8>, PdfError> {
    let mut out = Vec::with_capacity(pdf.len() + 4096);
    amend_into(&pdf, extra, &mut out)?;
    Ok(out)
}

/// Writes `pdf` to `out` with its XMP packet completed by `extra` and the cross-reference
/// offsets after it moved, piece by piece: the file is never copied whole.
pub(crate) fn amend_into(
    pdf: &[u8],
    extra: &Extra,
    out: &mut dyn std::io::Write,
) -> Result<(), PdfError> {
    let layout = Layout::of(pdf).ok_or_else(|| {
        PdfError::Export("the XMP metadata could not be found to complete it".into())
    })?;
    let Some(packet) = std::str::from_utf8(&pdf[layout.data.clone()])
        .ok()
        .map(|p| edit_packet(p, extra))
    else {
        return Err(PdfError::Export("the XMP metadata is not UTF-8".into()));
    };
    let Some(packet) = packet else {
        out.write_all(pdf)?;
        return Ok(());
    };
    let length = packet.len().to_string();
    let delta =
        (length.len() + packet.len()) as i64 - (layout.length.len() + layout.data.len()) as i64;
    let shift = |at: usize| (at as i64 + delta) as usize;
    out.write_all(&pdf[..layout.length.start])?;
    out.write_all(length.as_bytes())?;
    out.write_all(&pdf[layout.length.end..layout.data.start])?;
    out.write_all(packet.as_bytes())?;
    out.write_all(&pdf[layout.data.end..layout.xref])?;
    out.write_all(&pdf[layout.xref..layout.entries])?;
    // The cross-reference table, gathered: an entry is 20 bytes.
    let mut table = Vec::with_capacity(20 * layout.offsets.len());
    for (i, e) in layout.offsets.iter().enumerate() {
        let entry = &pdf[layout.entries + 20 * i..layout.entries + 20 * (i + 1)];
        match e {
            Some(at) if *at > layout.object => {
                table.extend_from_slice(format!("{:010}", shift(*at)).as_bytes());
                table.extend_from_slice(&entry[10..]);
            }
            _ => table.extend_from_slice(entry),
        }
    }
    out.write_all(&table)?;
    let after = layout.entries + 20 * layout.offsets.len();
    out.write_all(&pdf[after..layout.startxref.start])?;
    out.write_all(shift(layout.xref).to_string().as_bytes())?;
    out.write_all(&pdf[layout.startxref.end..])?;
    Ok(())
}

/// Where the parts of a krilla PDF lie: one classic cross-reference table at
/// the end, no incremental updates.
struct Layout {
    /// The metadata object's offset.
    object: usize,
    /// Its `/Length` value's digits.
    length: std::ops::Range<usize>,
    /// Its stream data.
    data: std::ops::Range<usize>,
    /// The `xref` keyword, and the first entry after its subsection line.
    xref: usize,
    entries: usize,
    /// Each entry's offset, `None` for free entries.
    offsets: Vec<Option<usize>>,
    /// The number after `startxref`.
    startxref: std::ops::Range<usize>,
}

impl Layout {
    fn of(pdf: &[u8]) -> Option<Layout> {
        let sx = rfind(pdf, b"startxref")?;
        let startxref = digits(pdf, sx + b"startxref".len())?;
        let xref = number(pdf, &startxref)?;
        if !pdf.get(xref..)?.starts_with(b"xref\n0 ") {
            return None;
        }
        let count_at = digits(pdf, xref + b"xref\n0 ".len())?;
        let count = number(pdf, &count_at)?;
        let entries = count_at.end + 1;
        let mut offsets = Vec::with_capacity(count);
        for i in 0..count {
            let e = pdf.get(entries + 20 * i..entries + 20 * (i + 1))?;
            let at = std::str::from_utf8(&e[..10]).ok()?.parse().ok()?;
            offsets.push((e[17] == b'n').then_some(at));
        }
        let trailer = entries + 20 * count;
        let tail = pdf.get(trailer..sx)?;
        if !tail.starts_with(b"trailer") || find(tail, b"/Prev", 0).is_some() {
            return None;
        }
        let root = number(pdf, &digits(pdf, trailer + find(tail, b"/Root", 0)? + 5)?)?;
        let catalog = (*offsets.get(root)?)?;
        let catalog_end = find(pdf, b"endobj", catalog)?;
        let m = find(pdf.get(..catalog_end)?, b"/Metadata", catalog)?;
        let meta = number(pdf, &digits(pdf, m + b"/Metadata".len())?)?;
        let object = (*offsets.get(meta)?)?;
        let stream = find(pdf, b">>\nstream\n", object)?;
        let len_key = find(pdf.get(..stream)?, b"/Length", object)?;
        let length = digits(pdf, len_key + b"/Length".len())?;
        let start = stream + b">>\nstream\n".len();
        let data = start..start.checked_add(number(pdf, &length)?)?;
        if !pdf.get(data.end..)?.starts_with(b"\nendstream") || xref < data.end {
            return None;
        }
        Some(Layout {
            object,
            length,
            data,
            xref,
            entries,
            offsets,
            startxref,
        })
    }
}

fn find(h: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    h.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

fn rfind(h: &[u8], needle: &[u8]) -> Option<usize> {
    h.windows(needle.len()).rposition(|w| w == needle)
}

/// The run of ASCII digits after optional white space at `at`.
fn digits(h: &[u8], mut at: usize) -> Option<std::ops::Range<usize>> {
    while h.get(at)?.is_ascii_whitespace() {
        at += 1;
    }
    let n = h[at..].iter().take_while(|b| b.is_ascii_digit()).count();
    (n > 0).then_some(at..at + n)
}

fn number(h: &[u8], r: &std::ops::Range<usize>) -> Option<usize> {
    std::str::from_utf8(&h[r.clone()]).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACKET: &str = "<x:xmpmeta><rdf:RDF><rdf:Description rdf:about=\"\" xmlns:dc=\"d\" >\
        <dc:creator><rdf:Seq><rdf:li>Ann Lee, Bo &amp; Co</rdf:li></rdf:Seq></dc:creator>\
        </rdf:Description></rdf:RDF></x:xmpmeta>";

    #[test]
    fn each_person_is_a_creator_and_the_rights_and_sources_are_added() {
        let extra = Extra {
            creators: vec!["Ann Lee".into(), "Bo & Co".into()],
            rights: Some("CC BY 4.0".into()),
            web_statement: Some("https://creativecommons.org/licenses/by/4.0/".into()),
            identifier: Some("urn:x:1".into()),
            publisher: Some("<Press>".into()),
            source: Some("https://example.org/a?b=1&c=2".into()),
        };
        let out = edit_packet(PACKET, &extra).unwrap();
        assert!(out.contains(
            "<dc:creator><rdf:Seq><rdf:li>Ann Lee</rdf:li><rdf:li>Bo &amp; Co</rdf:li></rdf:Seq></dc:creator>"
        ));
        assert!(!out.contains("Ann Lee, Bo"));
        assert!(out.contains(
            "<dc:rights><rdf:Alt><rdf:li xml:lang=\"x-default\">CC BY 4.0</rdf:li></rdf:Alt></dc:rights>"
        ));
        assert!(out.contains(
            "<dc:publisher><rdf:Bag><rdf:li>&lt;Press&gt;</rdf:li></rdf:Bag></dc:publisher>"
        ));
        assert!(out.contains("<dc:source>https://example.org/a?b=1&amp;c=2</dc:source>"));
        assert!(out.contains("<dc:identifier>urn:x:1</dc:identifier>"));
        assert!(out.contains(&format!("rdf:about=\"\" xmlns:xmpRights=\"{RIGHTS_NS}\"")));
        assert!(out.ends_with("</dc:source></rdf:Description></rdf:RDF></x:xmpmeta>"));
    }

    #[test]
    fn one_creator_and_nothing_else_leaves_the_packet_alone() {
        let extra = Extra {
            creators: vec!["Ann Lee".into()],
            ..Extra::default()
        };
        assert_eq!(edit_packet(PACKET, &extra), None);
    }

    #[test]
    fn offsets_after_the_stream_move_and_those_before_do_not() {
        let mut pdf = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        let mut obj = |pdf: &mut Vec<u8>, body: &[u8]| {
            offsets.push(pdf.len());
            pdf.extend_from_slice(body);
        };
        obj(&mut pdf, b"1 0 obj\n<</Type/Pages>>\nendobj\n");
        let packet = PACKET.as_bytes();
        let mut meta = format!(
            "2 0 obj\n<</Length {}/Type/Metadata/Subtype/XML>>\nstream\n",
            packet.len()
        )
        .into_bytes();
        meta.extend_from_slice(packet);
        meta.extend_from_slice(b"\nendstream\nendobj\n");
        obj(&mut pdf, &meta);
        obj(
            &mut pdf,
            b"3 0 obj\n<</Type/Catalog/Pages 1 0 R/Metadata 2 0 R>>\nendobj\n",
        );
        let xref = pdf.len();
        pdf.extend_from_slice(b"xref\n0 4\n0000000000 65535 f\r\n");
        for at in &offsets {
            pdf.extend_from_slice(format!("{at:010} 00000 n\r\n").as_bytes());
        }
        pdf.extend_from_slice(
            format!("trailer\n<</Size 4/Root 3 0 R>>\nstartxref\n{xref}\n%%EOF").as_bytes(),
        );
        let extra = Extra {
            creators: vec!["Ann Lee".into(), "Bo & Co".into()],
            rights: Some("All rights reserved.".into()),
            ..Extra::default()
        };
        let out = amend(pdf.clone(), &extra).unwrap();
        let layout = Layout::of(&out).expect("the amended file keeps its structure");
        let obj_at = |n: usize| layout.offsets[n].unwrap();
        assert_eq!(obj_at(1), offsets[0]);
        assert_eq!(obj_at(2), offsets[1]);
        assert!(out[obj_at(3)..].starts_with(b"3 0 obj\n<</Type/Catalog"));
        assert!(out[layout.xref..].starts_with(b"xref\n"));
        let packet = std::str::from_utf8(&out[layout.data]).unwrap();
        assert!(packet.contains("<rdf:li>Bo &amp; Co</rdf:li>"));
        assert!(packet.contains("All rights reserved."));
        // A file krilla did not write that way is refused, not damaged.
        assert!(amend(b"%PDF-1.7\nnot a pdf".to_vec(), &extra).is_err());
    }
}
