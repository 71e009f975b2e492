//! Editorial brackets in running text, with the rules of the Markdown format (see
//! [`verbatim_model::brackets`]), and the spacing Markdown gives inline content.

use verbatim_model::Inline;
pub use verbatim_model::brackets::{BracketOptions, merge_text, parse};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
