//! Editorial brackets in running text, with the rules of the Markdown format:
//! `[laughs]` is a marker, `[text—IT]` a note signed by a participant, any
//! other `[text]` an unsigned note; an unclosed `[` is literal.

use verbatim_model::{Inline, MarkerKind, Participant};

const MAX_NESTING: usize = 16;

/// Options for [`parse`].
#[derive(Debug, Clone, Copy, Default)]
pub struct BracketOptions {
    /// Also read `(laughs)` as a marker when the words are a known marker
    /// (subtitles write sounds in parentheses). Other parentheses stay text.
    pub paren_markers: bool,
}

/// Turns bracketed text into notes and markers.
pub fn parse(list: Vec<Inline>, participants: &[Participant], opts: BracketOptions) -> Vec<Inline> {
    // Each open bracket collects the inlines after it; the bottom level is the output.
    let mut stack: Vec<Vec<Inline>> = vec![Vec::new()];
    // Brackets nested deeper than any transcript needs stay text, so the
    // model never gets deep enough to exhaust the stack.
    let mut literal = 0usize;
    for node in list {
        match node {
            Inline::Text { text } => {
                let mut buf = String::new();
                let mut rest = text.as_str();
                while let Some(c) = rest.chars().next() {
                    let len = c.len_utf8();
                    if opts.paren_markers
                        && c == '('
                        && let Some(close) = rest.find(')')
                        && let Some(kind) = MarkerKind::classify(&rest[1..close])
                    {
                        flush(&mut stack, &mut buf);
                        top(&mut stack).push(Inline::Marker {
                            kind,
                            desc: rest[1..close].trim().to_string(),
                        });
                        rest = &rest[close + 1..];
                        continue;
                    }
                    match c {
                        '[' if stack.len() > MAX_NESTING => {
                            literal += 1;
                            buf.push(c);
                        }
                        ']' if literal > 0 => {
                            literal -= 1;
                            buf.push(c);
                        }
                        '[' => {
                            flush(&mut stack, &mut buf);
                            stack.push(Vec::new());
                        }
                        ']' if stack.len() > 1 => {
                            flush(&mut stack, &mut buf);
                            let content = stack.pop().unwrap_or_default();
                            let node = bracket_node(content, participants);
                            top(&mut stack).push(node);
                        }
                        _ => buf.push(c),
                    }
                    rest = &rest[len..];
                }
                flush(&mut stack, &mut buf);
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
    while stack.len() > 1 {
        let content = stack.pop().unwrap_or_default();
        let t = top(&mut stack);
        t.push(Inline::text("["));
        t.extend(content);
    }
    merge_text(stack.pop().unwrap_or_default())
}

fn top(stack: &mut Vec<Vec<Inline>>) -> &mut Vec<Inline> {
    if stack.is_empty() {
        stack.push(Vec::new());
    }
    let n = stack.len() - 1;
    &mut stack[n]
}

fn flush(stack: &mut Vec<Vec<Inline>>, buf: &mut String) {
    if !buf.is_empty() {
        top(stack).push(Inline::text(std::mem::take(buf)));
    }
}

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

/// Normalises spacing the way Markdown reads it back: no spaces at the edges
/// of a paragraph, spaces at the edges of emphasis and strong moved outside,
/// empty emphasis and strong dropped, adjacent texts joined.
pub fn tidy(list: Vec<Inline>) -> Vec<Inline> {
    let mut out = merge_text(spread(list));
    if let Some(Inline::Text { text }) = out.first_mut() {
        *text = text.trim_start().to_string();
    }
    if let Some(Inline::Text { text }) = out.last_mut() {
        *text = text.trim_end().to_string();
    }
    merge_text(out)
}

/// Moves edge spaces out of emphasis and strong, recursively.
fn spread(list: Vec<Inline>) -> Vec<Inline> {
    let mut out = Vec::with_capacity(list.len());
    for node in list {
        let (content, strong) = match node {
            Inline::Emphasis { content } => (content, false),
            Inline::Strong { content } => (content, true),
            Inline::Link { target, content } => {
                out.push(Inline::Link {
                    target,
                    content: merge_text(spread(content)),
                });
                continue;
            }
            Inline::Note { resp, content } => {
                out.push(Inline::Note {
                    resp,
                    content: merge_text(spread(content)),
                });
                continue;
            }
            other => {
                out.push(other);
                continue;
            }
        };
        let mut inner = merge_text(spread(content));
        let mut lead = String::new();
        let mut trail = String::new();
        if let Some(Inline::Text { text }) = inner.first_mut() {
            let t = text.trim_start();
            lead = text[..text.len() - t.len()].to_string();
            *text = t.to_string();
        }
        if let Some(Inline::Text { text }) = inner.last_mut() {
            let t = text.trim_end();
            trail = text[t.len()..].to_string();
            *text = t.to_string();
        }
        let inner = merge_text(inner);
        out.push(Inline::text(lead));
        if !inner.is_empty() {
            out.push(if strong {
                Inline::Strong { content: inner }
            } else {
                Inline::Emphasis { content: inner }
            });
        }
        out.push(Inline::text(trail));
    }
    out
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
    use verbatim_model::Role;

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
        assert_eq!(depth, MAX_NESTING);
    }

    #[test]
    fn tidy_moves_spaces_out_of_emphasis() {
        let out = tidy(vec![
            Inline::text(" a"),
            Inline::Emphasis {
                content: vec![
                    Inline::text(" b "),
                    Inline::Strong {
                        content: vec![Inline::text("c ")],
                    },
                ],
            },
            Inline::Strong {
                content: vec![Inline::text("  ")],
            },
            Inline::text("d "),
        ]);
        assert_eq!(
            out,
            vec![
                Inline::text("a "),
                Inline::Emphasis {
                    content: vec![
                        Inline::text("b "),
                        Inline::Strong {
                            content: vec![Inline::text("c")]
                        }
                    ],
                },
                Inline::text("   d"),
            ]
        );
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
