//! Small text helpers and word lists the stages share.

use verbatim_model::{Inline, brackets};

/// Lines that are page navigation, trimmed at the start and end of a text.
pub(crate) const NAV: &[&str] = &[
    "skip to main content",
    "skip to content",
    "skip to navigation",
    "skip navigation",
    "main menu",
    "menu",
    "search",
    "support",
    "donate",
    "subscribe",
    "sign up",
    "sign in",
    "log in",
    "login",
    "share",
    "share this",
    "share this page",
    "share on facebook",
    "share on twitter",
    "print",
    "email",
    "tweet",
    "facebook",
    "twitter",
    "linkedin",
    "back to top",
    "top",
    "home",
    "blog post",
    "blog",
    "article",
    "news",
    "podcast",
    "press release",
    "advertisement",
    "comments",
    "leave a comment",
    "cookie settings",
    "accept cookies",
    "next",
    "previous",
    "next article",
    "previous article",
    "toggle navigation",
];

/// Lines (or paragraph endings) that lead to another page, trimmed anywhere.
pub(crate) const READ_MORE: &[&str] = &[
    "read more",
    "continue reading",
    "learn more",
    "see more",
    "show more",
    "read the full story",
];

/// Headings after which text is back matter, not the last speaker's words.
pub(crate) const BACK_MATTER: &[&str] = &[
    "about the author",
    "about the authors",
    "about the interviewer",
    "about the interviewee",
    "about the interviewees",
    "about the narrator",
    "about the speaker",
    "about the speakers",
    "about the contributor",
    "about the contributors",
    "about this interview",
    "about the project",
    "about",
    "author",
    "authors",
    "bio",
    "biography",
    "notes",
    "footnotes",
    "endnotes",
    "references",
    "bibliography",
    "further reading",
    "acknowledgments",
    "acknowledgements",
    "credits",
    "related",
    "related content",
    "related articles",
    "comments",
    "tags",
    "topics",
    "sources",
    "appendix",
    "copyright",
    "license",
];

/// Short replies that are speech, not headings.
pub(crate) const REPLIES: &[&str] = &[
    "yes",
    "no",
    "okay",
    "ok",
    "right",
    "sure",
    "yeah",
    "yep",
    "nope",
    "mm-hmm",
    "uh-huh",
    "hmm",
    "mhm",
    "well",
    "oh",
    "exactly",
    "really",
    "thanks",
    "thank you",
    "of course",
    "i see",
    "absolutely",
    "correct",
    "true",
    "indeed",
    "maybe",
    "perhaps",
    "go on",
    "and then",
];

/// Lower case, spaces normalised, trailing arrows, dots and colons dropped.
pub(crate) fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches(['»', '›', '>', '→', '…', '.', ':'])
        .trim()
        .to_lowercase()
}

/// The text of inline content with brackets as written.
pub(crate) fn flat(list: &[Inline]) -> String {
    verbatim_model::plain_text(list)
}

/// Ends in sentence or clause punctuation or a dash, closing quotes, brackets and
/// trailing bracketed notes looked through: a line that ends so is speech, not a heading.
pub(crate) fn ends_with_punctuation(s: &str) -> bool {
    let mut s = s.trim_end();
    while let Some(open) = s.strip_suffix(']').and_then(|x| x.rfind('[')) {
        s = s[..open].trim_end();
    }
    s.trim_end_matches(['"', '\'', '”', '’', ')', ']', '»'])
        .ends_with(['.', ',', ';', ':', '!', '?', '…', '—', '–', '-'])
}

/// A short line that could be a section heading, before looking at its neighbours.
pub(crate) fn heading_shape(s: &str) -> bool {
    let s = s.trim();
    let first_alpha = s.chars().find(|c| c.is_alphanumeric());
    !s.is_empty()
        && s.chars().count() <= 100
        && s.split_whitespace().count() <= 15
        && first_alpha.is_some_and(|c| !c.is_lowercase())
        && s.chars().any(char::is_alphabetic)
        && !s.starts_with(['-', '•', '*', '–', '—', '(', '['])
        && !ends_with_punctuation(s)
        && !s.contains("://")
        && !s.to_lowercase().starts_with("www.")
        && !REPLIES.contains(&norm(s).as_str())
        && !NAV.contains(&norm(s).as_str())
        && !READ_MORE.contains(&norm(s).as_str())
}

/// `---`, `***`, `* * *` and the like.
pub(crate) fn is_separator(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    t.chars().count() >= 3
        && (t.chars().all(|c| c == '-')
            || t.chars().all(|c| c == '*')
            || t.chars().all(|c| c == '_')
            || t.chars().all(|c| c == '=')
            || t.chars().all(|c| c == '#')
            || t.chars().all(|c| c == '~'))
}

/// `Interviewed by X`, `Interview by X`, `Interview conducted by X`.
pub(crate) fn byline(s: &str) -> Option<&str> {
    let lower = s.to_lowercase();
    for p in [
        "interviewed by ",
        "interview by ",
        "interview conducted by ",
        "conducted by ",
    ] {
        if let Some(i) = lower.find(p)
            && (i == 0 || lower.starts_with("interview"))
        {
            let name = s.get(i + p.len()..)?.trim().trim_end_matches('.');
            return (!name.is_empty() && name.split_whitespace().count() <= 6).then_some(name);
        }
    }
    None
}

/// A credit on a cover page: `Transcribed by Mim Eisenberg/WordCraft`, `Edited by …`.
pub(crate) fn credit(s: &str) -> bool {
    let lower = s.trim().to_lowercase();
    [
        "transcribed by",
        "transcription by",
        "transcriber:",
        "edited by",
        "audit-checked by",
        "audit checked by",
        "reviewed by",
        "recorded by",
        "copyright",
        "©",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
}

/// Trims the spaces at the edges of inline content and drops empty text.
pub(crate) fn trim_inlines(list: &mut Vec<Inline>) {
    if let Some(Inline::Text { text }) = list.first_mut() {
        let t = text.trim_start();
        if t.len() != text.len() {
            *text = t.to_string();
        }
    }
    if let Some(Inline::Text { text }) = list.last_mut() {
        let t = text.trim_end();
        if t.len() != text.len() {
            *text = t.to_string();
        }
    }
    list.retain(|i| !matches!(i, Inline::Text { text } if text.is_empty()));
}

/// The lines of a paragraph as one run of inline content, joined by spaces.
pub(crate) fn join_lines<'a>(lines: impl IntoIterator<Item = &'a [Inline]>) -> Vec<Inline> {
    let mut out = Vec::new();
    for (i, l) in lines.into_iter().enumerate() {
        if i > 0 {
            out.push(Inline::text(" "));
        }
        out.extend(l.iter().cloned());
    }
    brackets::merge_text(out)
}

/// X in "… an interview with X" or "A conversation with X".
pub(crate) fn title_name(title: &str) -> Option<&str> {
    let lower = title.to_lowercase();
    let i = lower.rfind(" with ")?;
    let before = &lower[..i];
    if !before.contains("interview") && !before.contains("conversation") {
        return None;
    }
    let name = title.get(i + " with ".len()..)?.trim();
    let name = name.split([',', ';']).next().unwrap_or(name).trim();
    (!name.is_empty() && name.split_whitespace().count() <= 8).then_some(name)
}

/// Words of a bracketed line that mark a break in the recording, not speech:
/// `[END OF AUDIO, FILE 1.1]`, `[End of interview.]`, `[Tape 2, side A]`.
pub(crate) fn recording_break(s: &str) -> bool {
    let t = s.trim();
    let Some(inner) = t.strip_prefix('[').and_then(|x| x.strip_suffix(']')) else {
        return false;
    };
    if inner.contains(['[', ']']) {
        return false;
    }
    let lower = inner.to_lowercase();
    let words = [
        "end of",
        "audio",
        "tape",
        "file",
        "session",
        "interview",
        "recording",
        "break",
        "side",
    ];
    lower.split_whitespace().count() <= 8 && words.iter().any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_and_speech() {
        assert!(heading_shape("Keeping the light"));
        assert!(!heading_shape("All right. Well,—"));
        assert!(!heading_shape(
            "that’s not really about John—[Both chuckle.]"
        ));
        assert!(!heading_shape(
            "to tell you something that you shouldn’t admit to—"
        ));
        assert!(!heading_shape("Yes"));
    }

    #[test]
    fn titles_and_breaks() {
        assert_eq!(
            title_name("Oral history interview with Harold Baines"),
            Some("Harold Baines")
        );
        assert_eq!(
            title_name("Interview with Maria Lopes, 2015"),
            Some("Maria Lopes")
        );
        assert_eq!(title_name("Dinner with friends"), None);
        assert!(recording_break("[END OF AUDIO, FILE 1.1]"));
        assert!(recording_break("[End of interview.]"));
        assert!(!recording_break("[laughs]"));
        assert!(!recording_break("[Chuckles.] Thank you."));
    }
}
