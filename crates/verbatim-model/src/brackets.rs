//! The bracket notation that every text form of a transcript shares: `[laughs]` is a marker,
//! `[text—IT]` a note signed by participant `IT`, any other `[text]` an unsigned note; an
//! unclosed `[` or a stray `]` is literal.
//!
//! [`parse`] reads it and [`print()`] writes it; every writer that shows notes and markers as
//! text (plain text, Markdown, EPUB, PDF) takes the brackets and the signature from here.
//!
//! ```
//! use verbatim_model::{Inline, Participant, Role, brackets};
//! let people = [Participant::new("IT", "Izabella Tabarovsky", Role::Interviewer)];
//! let read = brackets::parse(vec![Inline::text("plant [a note—IT] [laughs]")], &people, Default::default());
//! assert_eq!(brackets::print(&read), "plant [a note—IT] [laughs]");
//! ```

use crate::{Inline, MarkerKind, Participant};

/// Opens a note or marker.
pub const OPEN: char = '[';
/// Closes a note or marker.
pub const CLOSE: char = ']';
/// Between a note's text and the id of the participant who signed it: `[text—IT]`.
pub const SIGNATURE: char = '—';

/// A note's signature as printed after its text: `—IT`.
pub fn signature(resp: &str) -> String {
    format!("{SIGNATURE}{resp}")
}

/// A marker as printed: `[laughs]`.
pub fn marker(desc: &str) -> String {
    format!("{OPEN}{desc}{CLOSE}")
}

/// Inline content as text in the bracket notation: notes and markers in brackets, the text
/// of emphasis, strong text and links without their markup. [`parse`] reads it back to the
/// same notes and markers.
pub fn print(list: &[Inline]) -> String {
    let mut s = String::new();
    print_into(list, &mut s);
    s
}

/// [`print()`] appending to a string.
pub fn print_into(list: &[Inline], s: &mut String) {
    for i in list {
        match i {
            Inline::Text { text } => s.push_str(text),
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Link { content, .. } => print_into(content, s),
            Inline::Note { resp, content } => {
                s.push(OPEN);
                print_into(content, s);
                if let Some(r) = resp {
                    s.push(SIGNATURE);
                    s.push_str(r);
                }
                s.push(CLOSE);
            }
            Inline::Marker { desc, .. } => {
                s.push(OPEN);
                s.push_str(desc);
                s.push(CLOSE);
            }
        }
    }
}

/// Brackets nested deeper than this stay text, so that no input can make the model deep
/// enough to exhaust a stack.
pub const MAX_NOTE_DEPTH: usize = 16;

/// Options for [`parse`].
#[derive(Debug, Clone, Copy, Default)]
pub struct BracketOptions {
    /// Also read `(laughs)` as a marker when the words are a known marker
    /// (subtitles write sounds in parentheses). Other parentheses stay text.
    pub paren_markers: bool,
}

/// Turns bracketed text into notes and markers, inside emphasis, strong and links too.
pub fn parse(list: Vec<Inline>, participants: &[Participant], opts: BracketOptions) -> Vec<Inline> {
    let specials: &[char] = if opts.paren_markers {
        &['[', ']', '(']
    } else {
        &['[', ']']
    };
    // Each open bracket collects the inlines after it; the bottom level is the output.
    let mut stack: Vec<Vec<Inline>> = vec![Vec::new()];
    // Brackets opened beyond MAX_NOTE_DEPTH, whose closers are text too.
    let mut literal_depth = 0usize;
    for node in list {
        match node {
            Inline::Text { text } => {
                if !text.contains(specials) {
                    top(&mut stack).push(Inline::Text { text });
                    continue;
                }
                let mut rest = text.as_str();
                while let Some(i) = rest.find(specials) {
                    let (before, special) = (&rest[..i], rest.as_bytes()[i]);
                    push_str(top(&mut stack), before);
                    rest = &rest[i + 1..];
                    match special {
                        b'(' => {
                            let marker = rest.find(')').and_then(|close| {
                                MarkerKind::classify(&rest[..close]).map(|kind| (close, kind))
                            });
                            match marker {
                                Some((close, kind)) => {
                                    top(&mut stack).push(Inline::Marker {
                                        kind,
                                        desc: rest[..close].trim().to_string(),
                                    });
                                    rest = &rest[close + 1..];
                                }
                                None => push_str(top(&mut stack), "("),
                            }
                        }
                        b'[' if stack.len() > MAX_NOTE_DEPTH => {
                            literal_depth += 1;
                            push_str(top(&mut stack), "[");
                        }
                        b']' if stack.len() == 1 || literal_depth > 0 => {
                            literal_depth = literal_depth.saturating_sub(1);
                            push_str(top(&mut stack), "]");
                        }
                        b'[' => stack.push(Vec::new()),
                        _ => {
                            let content = stack.pop().unwrap_or_default();
                            let note = bracket_node(content, participants);
                            top(&mut stack).push(note);
                        }
                    }
                }
                push_str(top(&mut stack), rest);
            }
            Inline::Emphasis { content } => top(&mut stack).push(Inline::Emphasis {
                content: parse(content, participants, opts),
            }),
            Inline::Strong { content } => top(&mut stack).push(Inline::Strong {
                content: parse(content, participants, opts),
            }),
            Inline::Link { target, content } => top(&mut stack).push(Inline::Link {
                target,
                content: parse(content, participants, opts),
            }),
            other => top(&mut stack).push(other),
        }
    }
    // Unclosed brackets are literal text.
    while stack.len() > 1 {
        let content = stack.pop().unwrap_or_default();
        let t = top(&mut stack);
        t.push(Inline::text("["));
        t.extend(content);
    }
    merge_text(stack.pop().unwrap_or_default())
}

fn top(stack: &mut [Vec<Inline>]) -> &mut Vec<Inline> {
    // The stack always holds the bottom level.
    let n = stack.len() - 1;
    &mut stack[n]
}

fn push_str(level: &mut Vec<Inline>, s: &str) {
    if s.is_empty() {
        return;
    }
    match level.last_mut() {
        Some(Inline::Text { text }) => text.push_str(s),
        _ => level.push(Inline::text(s)),
    }
}

/// What a bracketed span is: a marker, or a note, signed when it ends in `—ID` of a participant.
fn bracket_node(content: Vec<Inline>, participants: &[Participant]) -> Inline {
    let mut content = merge_text(content);
    if let [Inline::Text { text }] = content.as_slice()
        && let Some(kind) = MarkerKind::classify(text)
    {
        return Inline::Marker {
            kind,
            desc: text.trim().to_string(),
        };
    }
    let mut resp = None;
    if let Some(Inline::Text { text }) = content.last_mut()
        && let Some(dash) = text.rfind('—')
    {
        let who = text[dash + '—'.len_utf8()..].trim();
        if let Some(p) = participants.iter().find(|p| p.id == who) {
            resp = Some(p.id.clone());
            let kept = text[..dash].trim_end().to_string();
            if kept.is_empty() {
                content.pop();
            } else {
                *text = kept;
            }
        }
    }
    Inline::Note { resp, content }
}

/// Joins adjacent text nodes and drops empty ones.
pub fn merge_text(list: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(list.len());
    for node in list {
        if let Inline::Text { text } = &node {
            if text.is_empty() {
                continue;
            }
            if let Some(Inline::Text { text: prev }) = out.last_mut() {
                prev.push_str(text);
                continue;
            }
        }
        out.push(node);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;
    use proptest::prelude::*;

    fn people() -> Vec<Participant> {
        vec![Participant::new(
            "IT",
            "Izabella Tabarovsky",
            Role::Interviewer,
        )]
    }

    #[test]
    fn markers_notes_and_signed_notes() {
        let out = parse(
            vec![Inline::text(
                "UAV [unmanned aerial vehicle] [Laughs.] [a note—IT] [x—ZZ] [open",
            )],
            &people(),
            BracketOptions::default(),
        );
        assert_eq!(
            out,
            vec![
                Inline::text("UAV "),
                Inline::Note {
                    resp: None,
                    content: vec![Inline::text("unmanned aerial vehicle")]
                },
                Inline::text(" "),
                Inline::Marker {
                    kind: MarkerKind::Vocal,
                    desc: "Laughs.".into()
                },
                Inline::text(" "),
                Inline::Note {
                    resp: Some("IT".into()),
                    content: vec![Inline::text("a note")]
                },
                Inline::text(" "),
                Inline::Note {
                    resp: None,
                    content: vec![Inline::text("x—ZZ")]
                },
                Inline::text(" [open"),
            ]
        );
    }

    /// Inline content the notation can carry: text without brackets or dashes, markers,
    /// and notes (signed or not) holding such text and markers, nested a little.
    fn notation_inlines() -> impl Strategy<Value = Vec<Inline>> {
        let text = "[a-zA-Z0-9 ,.?'é–]{1,12}".prop_map(Inline::text);
        let marker =
            prop::sample::select(vec!["laughs", "Laughs.", "pause", "inaudible", "crosstalk"])
                .prop_map(|d| Inline::Marker {
                    kind: MarkerKind::classify(d).unwrap(),
                    desc: d.to_string(),
                });
        let leaf = prop_oneof![3 => text, 1 => marker];
        let inline = leaf.prop_recursive(3, 12, 4, |inner| {
            (
                prop::collection::vec(inner, 1..4),
                prop::option::of(Just("IT".to_string())),
            )
                .prop_map(|(content, resp)| Inline::Note {
                    resp,
                    content: merge_text(content),
                })
        });
        prop::collection::vec(inline, 0..6).prop_map(merge_text)
    }

    /// What printing cannot tell apart: a note holding only marker words is a marker, and
    /// a note's text is trimmed before its signature.
    fn representable(list: &[Inline]) -> bool {
        list.iter().all(|i| match i {
            Inline::Note { content, resp } => {
                let only_text = match content.as_slice() {
                    [Inline::Text { text }] => Some(text),
                    _ => None,
                };
                let marker_like =
                    resp.is_none() && only_text.is_some_and(|t| MarkerKind::classify(t).is_some());
                let ends_in_space = resp.is_some()
                    && matches!(content.last(), Some(Inline::Text { text }) if text.ends_with(' '));
                let blank = only_text.is_some_and(|t| t.trim().is_empty()) && resp.is_some();
                !content.is_empty()
                    && !marker_like
                    && !ends_in_space
                    && !blank
                    && representable(content)
            }
            Inline::Marker { desc, .. } => desc.trim() == desc,
            _ => true,
        })
    }

    proptest! {
        #[test]
        fn printing_then_parsing_gives_the_same_inlines(list in notation_inlines()) {
            prop_assume!(representable(&list));
            let printed = print(&list);
            let read = parse(vec![Inline::text(printed.clone())], &people(), BracketOptions::default());
            prop_assert_eq!(read, list, "printed as {:?}", printed);
        }
    }

    #[test]
    fn deep_nesting_stays_text() {
        let src = format!("{}x{}", "[".repeat(10_000), "]".repeat(10_000));
        let out = parse(vec![Inline::text(src)], &[], BracketOptions::default());
        let mut depth = 0;
        let mut node = out.first();
        while let Some(Inline::Note { content, .. }) = node {
            depth += 1;
            node = content.first();
        }
        assert_eq!(depth, MAX_NOTE_DEPTH);
    }

    #[test]
    fn parenthesised_markers_only_when_asked() {
        let src = || vec![Inline::text("well (laughs) (I think)")];
        let plain = parse(src(), &[], BracketOptions::default());
        assert_eq!(plain, src());
        let subs = parse(
            src(),
            &[],
            BracketOptions {
                paren_markers: true,
            },
        );
        assert_eq!(subs.len(), 3);
        assert!(matches!(
            subs[1],
            Inline::Marker {
                kind: MarkerKind::Vocal,
                ..
            }
        ));
        assert_eq!(subs[2], Inline::text(" (I think)"));
    }

    #[test]
    fn brackets_inside_emphasis_and_stray_closers() {
        let out = parse(
            vec![
                Inline::text("a ] b "),
                Inline::Emphasis {
                    content: vec![Inline::text("[pause]")],
                },
            ],
            &[],
            BracketOptions::default(),
        );
        assert_eq!(out[0], Inline::text("a ] b "));
        assert!(
            matches!(&out[1], Inline::Emphasis { content } if matches!(content[0], Inline::Marker { kind: MarkerKind::Pause, .. }))
        );
    }
}
