//! A collection as one book: several transcripts combined into one, each a part.
//!
//! Each transcript becomes a top-level section titled with its title. The section opens
//! with the part's own title lines (subtitle, people by role, date and place), then holds
//! the transcript's body, its sections one level down. The people of every part are the
//! book's participants: one person named alike with the same role in two parts is listed
//! once; two people who share an id get distinct ids (`Q-2`), with a note.

use std::collections::BTreeMap;

use verbatim_model::{
    Block, Code, Diagnostic, Inline, Metadata, Paragraph, Participant, Role, Section, Transcript,
};

/// One transcript of a book, and the name its diagnostics carry (its file).
pub struct Part {
    /// Where the transcript came from, for messages.
    pub name: String,
    /// The transcript.
    pub transcript: Transcript,
}

/// The combined transcript and notes about what was renamed.
pub struct Combined {
    /// The book.
    pub transcript: Transcript,
    /// One note per participant whose id changed.
    pub notes: Vec<Diagnostic>,
}

/// Combines the parts, in order, into one transcript with `metadata`. Without a language
/// in `metadata`, the book takes the parts' language when they all share one.
pub fn combine(parts: Vec<Part>, mut metadata: Metadata) -> Result<Combined, Diagnostic> {
    if metadata.language.is_none() {
        let mut langs = parts.iter().map(|p| &p.transcript.metadata.language);
        if let Some(first) = langs.next()
            && langs.all(|l| l == first)
        {
            metadata.language.clone_from(first);
        }
    }
    let mut people: Vec<Participant> = Vec::new();
    let mut notes = Vec::new();
    let mut body = Vec::with_capacity(parts.len());
    for (n, part) in parts.into_iter().enumerate() {
        let t = part.transcript;
        let mut ids: BTreeMap<String, String> = BTreeMap::new();
        for p in &t.participants {
            let same = people.iter().find(|q| q.name == p.name && q.role == p.role);
            let id = match same {
                Some(q) => q.id.clone(),
                None => {
                    let id = unique(&people, &p.id, n + 1);
                    if id != p.id {
                        notes.push(
                            Diagnostic::note(
                                Code::SpeakerRenamed,
                                format!(
                                    "speaker id \"{}\" ({}) is \"{id}\" in the book: an earlier part's {} has it",
                                    p.id,
                                    p.name,
                                    people
                                        .iter()
                                        .find(|q| q.id == p.id)
                                        .map_or("participant", |q| q.name.as_str())
                                ),
                            )
                            .in_file(&part.name),
                        );
                    }
                    let mut q = p.clone();
                    q.id.clone_from(&id);
                    people.push(q);
                    id
                }
            };
            ids.insert(p.id.clone(), id);
        }
        let mut blocks = title_lines(&t);
        let mut inner = t.body.clone();
        rename(&mut inner, &ids);
        blocks.extend(inner);
        body.push(Block::Section(Section {
            heading: vec![Inline::text(t.display_title())],
            blocks,
        }));
    }
    let transcript = Transcript::new(metadata, people, body)
        .map_err(|e| Diagnostic::error(Code::Model, None, format!("the book: {e}")))?;
    Ok(Combined { transcript, notes })
}

/// `id`, or `id-n` (then `id-n-2`, …) when another participant has it.
fn unique(people: &[Participant], id: &str, n: usize) -> String {
    let taken = |c: &str| people.iter().any(|q| q.id == c);
    if !taken(id) {
        return id.to_string();
    }
    let mut candidate = format!("{id}-{n}");
    let mut k = 2;
    while taken(&candidate) {
        candidate = format!("{id}-{n}-{k}");
        k += 1;
    }
    candidate
}

/// The lines that open a part: subtitle, people by role, date and place.
fn title_lines(t: &Transcript) -> Vec<Block> {
    let m = &t.metadata;
    let para = |s: String| {
        Block::Paragraph(Paragraph {
            content: vec![Inline::text(s)],
        })
    };
    let mut out = Vec::new();
    if let Some(sub) = &m.subtitle {
        out.push(Block::Paragraph(Paragraph {
            content: vec![Inline::Emphasis {
                content: vec![Inline::text(sub.clone())],
            }],
        }));
    }
    let labels = verbatim_model::Labels::for_transcript(m.language.as_ref());
    for role in [Role::Interviewee, Role::Interviewer, Role::Other] {
        let names: Vec<&str> = t.with_role(role).map(|p| p.name.as_str()).collect();
        match names.as_slice() {
            [] => {}
            [one] => out.push(para(format!("{}: {one}", labels.role(role)))),
            many => out.push(para(format!(
                "{}: {}",
                labels.role_plural(role),
                many.join(", ")
            ))),
        }
    }
    let when_where: Vec<String> = m
        .date
        .map(|d| d.display(m.language.as_ref()))
        .into_iter()
        .chain(m.place.iter().cloned())
        .collect();
    if !when_where.is_empty() {
        out.push(para(when_where.join(", ")));
    }
    out
}

/// Points turns and notes at the book's ids.
fn rename(blocks: &mut [Block], ids: &BTreeMap<String, String>) {
    let new = |id: &mut String| {
        if let Some(n) = ids.get(id.as_str()) {
            id.clone_from(n);
        }
    };
    for b in blocks {
        match b {
            Block::Section(s) => {
                rename_inlines(&mut s.heading, ids);
                rename(&mut s.blocks, ids);
            }
            Block::Paragraph(p) => rename_inlines(&mut p.content, ids),
            Block::Turn(t) => {
                if let Some(n) = ids.get(t.speaker.as_str()) {
                    t.speaker = n.into();
                }
                t.with.iter_mut().for_each(new);
                for p in &mut t.paragraphs {
                    rename_inlines(p, ids);
                }
            }
        }
    }
}

fn rename_inlines(inlines: &mut [Inline], ids: &BTreeMap<String, String>) {
    for i in inlines {
        match i {
            Inline::Note { resp, content } => {
                if let Some(r) = resp
                    && let Some(n) = ids.get(r.as_str())
                {
                    r.clone_from(n);
                }
                rename_inlines(content, ids);
            }
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Link { content, .. } => rename_inlines(content, ids),
            Inline::Text { .. } | Inline::Marker { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use verbatim_model::{IsoDate, Turn};

    fn interview(title: &str, q: (&str, &str), a: (&str, &str), note_by: &str) -> Transcript {
        let mut m = Metadata {
            title: Some(title.into()),
            language: "en".parse().ok(),
            ..Metadata::default()
        };
        m.date = "2019-06-11".parse::<IsoDate>().ok();
        Transcript::new(
            m,
            vec![
                Participant::new(q.0, q.1, Role::Interviewer),
                Participant::new(a.0, a.1, Role::Interviewee),
            ],
            vec![
                Block::Turn(Turn::new(q.0, vec![vec![Inline::text("Why?")]])),
                Block::Turn(Turn::new(
                    a.0,
                    vec![vec![
                        Inline::text("Because."),
                        Inline::Note {
                            resp: Some(note_by.into()),
                            content: vec![Inline::text("laughs")],
                        },
                    ]],
                )),
            ],
        )
        .unwrap()
    }

    #[test]
    fn parts_keep_their_people_apart_and_share_the_same_person() {
        let parts = vec![
            Part {
                name: "one.md".into(),
                transcript: interview("One", ("Q", "Ann Lee"), ("A", "Bo Chen"), "Q"),
            },
            Part {
                name: "two.md".into(),
                transcript: interview("Two", ("Q", "Ann Lee"), ("A", "Cy Diaz"), "A"),
            },
        ];
        let meta = Metadata {
            title: Some("Voices".into()),
            ..Metadata::default()
        };
        let c = combine(parts, meta).unwrap();
        let t = &c.transcript;
        let ids: Vec<(&str, &str)> = t
            .participants
            .iter()
            .map(|p| (p.id.as_str(), p.name.as_str()))
            .collect();
        // Ann Lee interviews both: listed once. Two different "A"s: the second renamed.
        assert_eq!(
            ids,
            [("Q", "Ann Lee"), ("A", "Bo Chen"), ("A-2", "Cy Diaz")]
        );
        assert_eq!(c.notes.len(), 1);
        assert!(c.notes[0].message.contains("\"A-2\""), "{}", c.notes[0]);
        assert_eq!(c.notes[0].file.as_deref(), Some("two.md"));
        assert_eq!(
            t.metadata
                .language
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            Some("en")
        );
        let Block::Section(second) = &t.body[1] else {
            panic!("a part is a section")
        };
        assert_eq!(second.heading, vec![Inline::text("Two")]);
        let texts: Vec<String> = second
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(verbatim_model::plain_text(&p.content)),
                _ => None,
            })
            .collect();
        assert_eq!(
            texts,
            [
                "Interviewee: Cy Diaz",
                "Interviewer: Ann Lee",
                "11 June 2019"
            ]
        );
        let turns: Vec<&Turn> = second
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Turn(t) => Some(t),
                _ => None,
            })
            .collect();
        assert_eq!(turns[1].speaker, "A-2");
        assert!(matches!(
            &turns[1].paragraphs[0][1],
            Inline::Note { resp: Some(r), .. } if r == "A-2"
        ));
    }

    #[test]
    fn parts_in_different_languages_leave_the_book_undeclared() {
        let mut fr = interview("Deux", ("Q", "Ann"), ("A", "Bo"), "Q");
        fr.metadata.language = "fr".parse().ok();
        let parts = vec![
            Part {
                name: "a".into(),
                transcript: interview("One", ("Q", "Ann"), ("A", "Bo"), "Q"),
            },
            Part {
                name: "b".into(),
                transcript: fr,
            },
        ];
        let c = combine(parts, Metadata::default()).unwrap();
        assert!(c.transcript.metadata.language.is_none());
        // The same two people in both parts: no renaming.
        assert!(c.notes.is_empty());
        assert_eq!(c.transcript.participants.len(), 2);
    }
}
