//! Scripts and directions in running text: which stretches of a text are in another
//! script than the transcript's, so that writers can mark them with a language tag
//! (`und-Hebr` when only the script is known) and a direction, and which way a
//! paragraph runs.

use std::collections::BTreeMap;
use std::ops::Range;

use unicode_script::{Script, UnicodeScript};

use crate::{Direction, Inline, LanguageTag, Transcript};

/// The ISO 15924 code of the script `c` is written in; None for the characters scripts
/// share (spaces, punctuation, digits, combining marks).
pub fn char_script(c: char) -> Option<&'static str> {
    // Most text is ASCII; the table lookup was a third of the time of a TEI export.
    if c.is_ascii() {
        return c.is_ascii_alphabetic().then_some("Latn");
    }
    match c.script() {
        Script::Common | Script::Inherited | Script::Unknown => None,
        s => Some(s.short_name()),
    }
}

/// Whether letters of `script` belong to text written in `main`: the same script, or
/// one of those a combined script is written with (Japanese `Jpan` is Han, Hiragana and
/// Katakana; Korean `Kore` is Hangul and Han).
pub fn script_belongs(main: &str, script: &str) -> bool {
    main.eq_ignore_ascii_case(script)
        || match main {
            "Jpan" => matches!(script, "Hani" | "Hira" | "Kana"),
            "Kore" => matches!(script, "Hang" | "Hani"),
            "Hans" | "Hant" => script == "Hani",
            "Hanb" => matches!(script, "Hani" | "Bopo"),
            _ => false,
        }
}

/// The tag that marks text of which only the script is known: `und-Hebr`.
pub fn script_tag(script: &str) -> Option<LanguageTag> {
    format!("und-{script}").parse().ok()
}

/// The stretches of `text` written in a script other than `main`, each with the tag that
/// marks it. A stretch runs from its first letter to its last one in that script, with
/// what lies between; spaces and punctuation around it stay outside. Without a main
/// script nothing is foreign.
pub fn foreign_runs(text: &str, main: Option<&str>) -> Vec<(Range<usize>, LanguageTag)> {
    let Some(main) = main else {
        return Vec::new();
    };
    if main == "Latn" && text.is_ascii() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut current: Option<(&'static str, Range<usize>)> = None;
    let mut close = |current: &mut Option<(&'static str, Range<usize>)>| {
        if let Some((s, r)) = current.take()
            && let Some(tag) = script_tag(s)
        {
            out.push((r, tag));
        }
    };
    // Per character, this was over half of a TEI export of long turns: ASCII is
    // settled without the script table.
    let latin_belongs = script_belongs(main, "Latn");
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        if c.is_ascii() && (!c.is_ascii_alphabetic() || latin_belongs) {
            if c.is_ascii_alphabetic() {
                close(&mut current);
            }
            continue;
        }
        match char_script(c) {
            None => {
                // A combining mark goes with the letter it follows.
                if c.script() == Script::Inherited
                    && let Some((_, r)) = current.as_mut()
                    && r.end == i
                {
                    r.end = end;
                }
            }
            Some(s) if script_belongs(main, s) => close(&mut current),
            Some(s) => match current.as_mut() {
                Some((cs, r)) if *cs == s => r.end = end,
                _ => {
                    close(&mut current);
                    current = Some((s, i..end));
                }
            },
        }
    }
    close(&mut current);
    out
}

/// The direction of a text from its first strong character (rules P2 and P3 of the
/// Unicode bidirectional algorithm); None when it has none.
pub fn first_strong_direction(text: &str) -> Option<Direction> {
    match unicode_bidi::get_base_direction(text) {
        unicode_bidi::Direction::Ltr => Some(Direction::Ltr),
        unicode_bidi::Direction::Rtl => Some(Direction::Rtl),
        unicode_bidi::Direction::Mixed => None,
    }
}

impl Transcript {
    /// The script the transcript is written in: its language's, else the one most of its
    /// letters are in (ties to the code first in the alphabet).
    pub fn main_script(&self) -> Option<String> {
        if let Some(s) = self
            .metadata
            .language
            .as_ref()
            .and_then(LanguageTag::script)
        {
            return Some(s.to_string());
        }
        let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
        self.each_text(&mut |t| {
            for s in t.chars().filter_map(char_script) {
                *counts.entry(s).or_default() += 1;
            }
        });
        let most = counts.values().copied().max()?;
        counts
            .into_iter()
            .find(|&(_, n)| n == most)
            .map(|(s, _)| s.to_string())
    }

    /// Every language the transcript's text is in: its language first, then the tag
    /// (`und-Hebr`) of each other script, in the order they first appear. With no declared
    /// language the main script's tag leads, and only when there are others: a list of
    /// one undetermined language says nothing.
    pub fn languages_used(&self) -> Vec<LanguageTag> {
        let main = self.main_script();
        let mut out: Vec<LanguageTag> = match &self.metadata.language {
            Some(l) => vec![l.clone()],
            None => main.as_deref().and_then(script_tag).into_iter().collect(),
        };
        self.each_text(&mut |t| {
            for (_, tag) in foreign_runs(t, main.as_deref()) {
                if !out.contains(&tag) {
                    out.push(tag);
                }
            }
        });
        if out.len() == 1 && self.metadata.language.is_none() {
            out.clear();
        }
        out
    }

    /// Calls `f` on each text a reader sees: the title lines, the people's names and the
    /// words of the body.
    fn each_text(&self, f: &mut dyn FnMut(&str)) {
        let m = &self.metadata;
        for t in m.title.iter().chain(&m.subtitle) {
            f(t);
        }
        for p in &self.participants {
            f(&p.name);
        }
        self.walk_inlines(&mut |i| match i {
            Inline::Text { text } => f(text),
            Inline::Marker { desc, .. } => f(desc),
            _ => {}
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs<'a>(text: &'a str, main: &str) -> Vec<(&'a str, String)> {
        foreign_runs(text, Some(main))
            .into_iter()
            .map(|(r, t)| (&text[r], t.to_string()))
            .collect()
    }

    #[test]
    fn foreign_stretches_leave_their_surroundings_outside() {
        assert_eq!(
            runs(
                "Mixed: עברית, a little English, и немного русского.",
                "Cyrl"
            ),
            [
                ("Mixed", "und-Latn".to_string()),
                ("עברית", "und-Hebr".to_string()),
                ("a little English", "und-Latn".to_string()),
            ]
        );
        assert_eq!(
            runs("He said «καλημέρα σας» twice.", "Latn"),
            [("καλημέρα σας", "und-Grek".to_string())]
        );
    }

    #[test]
    fn combining_marks_stay_with_their_letter() {
        // Greek alpha with a combining acute accent, then Latin.
        assert_eq!(
            runs("x \u{3b1}\u{301} y", "Latn"),
            [("\u{3b1}\u{301}", "und-Grek".to_string())]
        );
    }

    #[test]
    fn combined_scripts_cover_their_parts() {
        assert!(runs("東京はカタカナとひらがな", "Jpan").is_empty());
        assert_eq!(
            runs("한국 漢字 abc", "Kore"),
            [("abc", "und-Latn".to_string())]
        );
        assert!(foreign_runs("שלום", None).is_empty());
    }

    #[test]
    fn direction_is_the_first_strong_characters() {
        assert_eq!(first_strong_direction("12, שלום abc"), Some(Direction::Rtl));
        assert_eq!(first_strong_direction("«abc» שלום"), Some(Direction::Ltr));
        assert_eq!(first_strong_direction("12 — …"), None);
    }

    /// The walk without shortcuts: every character through the table.
    fn plain_runs(text: &str, main: &str) -> Vec<(Range<usize>, LanguageTag)> {
        let mut out = Vec::new();
        let mut current: Option<(&'static str, Range<usize>)> = None;
        let close = |current: &mut Option<(&'static str, Range<usize>)>,
                     out: &mut Vec<(Range<usize>, LanguageTag)>| {
            if let Some((s, r)) = current.take() {
                out.push((r, script_tag(s).unwrap()));
            }
        };
        for (i, c) in text.char_indices() {
            let end = i + c.len_utf8();
            let script = match c.script() {
                Script::Common | Script::Inherited | Script::Unknown => None,
                s => Some(s.short_name()),
            };
            match script {
                None => {
                    if c.script() == Script::Inherited
                        && let Some((_, r)) = current.as_mut()
                        && r.end == i
                    {
                        r.end = end;
                    }
                }
                Some(s) if script_belongs(main, s) => close(&mut current, &mut out),
                Some(s) => match current.as_mut() {
                    Some((cs, r)) if *cs == s => r.end = end,
                    _ => {
                        close(&mut current, &mut out);
                        current = Some((s, i..end));
                    }
                },
            }
        }
        close(&mut current, &mut out);
        out
    }

    proptest::proptest! {
        #[test]
        fn the_shortcuts_find_what_the_plain_walk_finds(
            text in "[a-zA-Z0-9 ,.\\-—«»\u{301}\u{3b1}\u{3b2}жщשל東かカ한]{0,40}",
            main in proptest::sample::select(vec!["Latn", "Cyrl", "Grek", "Hebr", "Jpan", "Kore"]),
        ) {
            proptest::prop_assert_eq!(foreign_runs(&text, Some(main)), plain_runs(&text, main));
        }
    }

    #[test]
    fn the_ascii_shortcut_agrees_with_the_table() {
        for c in (0u8..128).map(char::from) {
            let table = match c.script() {
                Script::Common | Script::Inherited | Script::Unknown => None,
                s => Some(s.short_name()),
            };
            assert_eq!(char_script(c), table, "{c:?}");
        }
        assert!(foreign_runs("plain ASCII, 1-2-3.", Some("Latn")).is_empty());
        assert_eq!(foreign_runs("abc", Some("Cyrl")).len(), 1);
    }
}
