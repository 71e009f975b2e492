//! The bracket notation that every text form of a transcript shares: `[laughs]` is a marker,
//! `[text—IT]` a note signed by participant `IT`, any other `[text]` an unsigned note; an
//! unclosed `[` or a stray `]` is literal.

use crate::{Inline, MarkerKind, Participant};

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
