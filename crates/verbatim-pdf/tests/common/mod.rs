//! Hand-built transcripts shared by the integration tests.
#![allow(dead_code)]

use verbatim_model::{
    Block, Inline, MarkerKind, Metadata, Paragraph, Participant, Role, Section, Transcript, Turn,
    WriteContext,
};
use verbatim_pdf::PdfOptions;

/// The PDF of a transcript, with the default context.
pub fn pdf(t: &Transcript, opts: &PdfOptions) -> Vec<u8> {
    pdf_in(t, opts, &WriteContext::default())
}

/// The PDF of a transcript in a context.
pub fn pdf_in(t: &Transcript, opts: &PdfOptions, cx: &WriteContext) -> Vec<u8> {
    let mut out = Vec::new();
    verbatim_pdf::write(t, opts, cx, &mut out).expect("PDF written");
    out
}

pub fn text(s: &str) -> Inline {
    Inline::text(s)
}

pub fn turn(speaker: &str, start: Option<&str>, paragraphs: Vec<Vec<Inline>>) -> Block {
    let mut t = Turn::new(speaker, paragraphs);
    t.start = start.map(|s| s.parse().expect("timestamp"));
    Block::Turn(t)
}

pub fn section(heading: &str, blocks: Vec<Block>) -> Block {
    Block::Section(Section {
        heading: vec![text(heading)],
        blocks,
    })
}

pub fn para(content: Vec<Inline>) -> Block {
    Block::Paragraph(Paragraph { content })
}

/// A long answer, to fill pages.
pub const LONG: &str = "The shop had four presses, and each of them had a name, a temper and a history that the old compositor liked to tell to anyone who would listen—apprentices, customers, even the inspector who came twice a year to look at the books. We learned the case by heart before we were allowed to touch a forme, and we learned to read type upside down and backwards long before we could set a straight line of it.";

/// A transcript that uses every part of the model: front and back matter,
/// nested sections, timestamps, continued and inferred turns, notes,
/// markers, links, emphasis, and Latin, Cyrillic, Greek and Hebrew text.
pub fn rich() -> Transcript {
    let meta = Metadata {
        title: Some("Oral History of a Print Shop: Interviews from the Leipzig Archive".into()),
        subtitle: Some("Letters, presses and the people who ran them".into()),
        date: "1998-05-12".parse().ok(),
        language: "en".parse().ok(),
        publisher: Some("Example Press Archive".into()),
        source_url: Some(
            "https://example.org/oral-history/print-shop/interview-0001-with-a-rather-long-path"
                .into(),
        ),
        rights: Some("CC BY 4.0".into()),
        identifier: Some("urn:example:ohp:0001".into()),
        description: Some("A compositor remembers the shop, the war years and the presses.".into()),
        keywords: vec!["printing".into(), "oral history".into(), "Leipzig".into()],
        place: Some("Leipzig".into()),
    };
    let participants = vec![
        Participant::new("INT", "Maria Ortiz", Role::Interviewer),
        Participant::new("NAR", "Jakob Weiss", Role::Interviewee),
        Participant::new("TR", "Ольга Смирнова", Role::Other),
    ];
    let note = Inline::Note {
        resp: Some("INT".into()),
        content: vec![text("The shop stood on Karl-Heine-Straße until 1943.")],
    };
    let laughs = Inline::Marker {
        kind: MarkerKind::Vocal,
        desc: "laughs".into(),
    };
    let mut inferred = Turn::new(
        "TR",
        vec![vec![text(
            "Он сказал: «типография была его домом». Ελληνικά: «Καλημέρα», φίλε μου.",
        )]],
    );
    inferred.inferred = true;
    let mut continued = Turn::new("NAR", vec![vec![text(LONG)], vec![text(LONG)]]);
    continued.continues = true;
    let body = vec![
        para(vec![
            text("This is the first of the "),
            Inline::Emphasis {
                content: vec![text("Leipzig interviews")],
            },
            text(
                ", recorded for the archive’s “living memory” series—a project that began in 1996. ",
            ),
            Inline::Strong {
                content: vec![text("All times are approximate.")],
            },
        ]),
        para(vec![
            text("The recordings are online at "),
            Inline::Link {
                target: "https://example.org/ohp".into(),
                content: vec![text("the project site")],
            },
            text("."),
        ]),
        section(
            "Beginnings",
            vec![
                turn(
                    "INT",
                    Some("00:00:05"),
                    vec![vec![text("When did you first see a press?")]],
                ),
                turn(
                    "NAR",
                    Some("00:00:12"),
                    vec![
                        vec![
                            text("I was nine. "),
                            laughs,
                            text(" My uncle took me in through the back door. "),
                            note,
                            text(
                                " He said “don’t touch anything”—and of course I touched everything.",
                            ),
                        ],
                        vec![text(
                            "A Hebrew greeting hung over the door: שלום עולם, and next to it a Russian poster: Наша типография.",
                        )],
                    ],
                ),
                section(
                    "The war years",
                    vec![Block::Turn(continued), Block::Turn(inferred)],
                ),
            ],
        ),
        section(
            "Later",
            (0..6)
                .flat_map(|i| {
                    [
                        turn(
                            "INT",
                            Some(&format!("00:{:02}:00", 10 + i)),
                            vec![vec![text("And then?")]],
                        ),
                        turn(
                            "NAR",
                            None,
                            vec![vec![text(LONG)], vec![text(LONG)], vec![text(LONG)]],
                        ),
                    ]
                })
                .collect(),
        ),
        para(vec![text(
            "Transcribed by the archive staff; edited for clarity.",
        )]),
    ];
    Transcript::new(meta, participants, body).expect("valid model")
}

/// A short, different transcript, for making "other" documents first.
pub fn small(n: usize) -> Transcript {
    Transcript::new(
        Metadata {
            title: Some(format!("Small {n}")),
            ..Metadata::default()
        },
        vec![Participant::new("A", "Ann", Role::Interviewer)],
        vec![turn(
            "A",
            None,
            vec![vec![text(&format!("Number {n}: “quoted”—dashed."))]],
        )],
    )
    .expect("valid model")
}

/// Runs an external tool, or None when it is not installed.
pub fn run_tool(tool: &str, args: &[&str]) -> Option<std::process::Output> {
    match std::process::Command::new(tool).args(args).output() {
        Ok(out) => Some(out),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => panic!("{tool}: {e}"),
    }
}

/// Whether a missing validator should fail the test instead of skipping it.
pub fn validators_required() -> bool {
    std::env::var("VERBATIM_REQUIRE_VALIDATORS").is_ok_and(|v| v == "1")
}

/// Skips (visibly) or fails when a validator is missing.
pub fn missing(tool: &str) {
    if validators_required() {
        panic!(
            "{tool} not found and VERBATIM_REQUIRE_VALIDATORS=1 (apt-get install qpdf poppler-utils)"
        );
    }
    // Straight to stderr: the test harness hides eprintln! of passing tests.
    let msg = format!(
        "SKIPPED: {tool} not found (apt-get install qpdf poppler-utils); \
         set VERBATIM_REQUIRE_VALIDATORS=1 to fail instead\n"
    );
    let _ = std::io::Write::write_all(&mut std::io::stderr(), msg.as_bytes());
}

/// A PDF written to the temporary directory, removed when dropped.
pub struct TempPdf(pub std::path::PathBuf);

impl TempPdf {
    pub fn path(&self) -> &str {
        self.0.to_str().expect("utf-8 temp path")
    }
}

impl Drop for TempPdf {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

pub fn write_temp(name: &str, bytes: &[u8]) -> TempPdf {
    let dir = std::env::temp_dir().join(format!("verbatim-pdf-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write temp");
    TempPdf(path)
}

/// The text the PDF prints for inline content: like `plain_text`, but a link
/// whose text differs from its target is followed by the target in parentheses.
pub fn printed(list: &[Inline]) -> String {
    let mut s = String::new();
    for i in list {
        match i {
            Inline::Link { target, content } => {
                let inner = printed(content);
                s.push_str(&inner);
                if inner.trim() != target.trim() {
                    s.push_str(&format!(" ({target})"));
                }
            }
            Inline::Emphasis { content } | Inline::Strong { content } => {
                s.push_str(&printed(content))
            }
            Inline::Note { resp, content } => {
                s.push('[');
                s.push_str(&printed(content));
                if let Some(r) = resp {
                    s.push('—');
                    s.push_str(r);
                }
                s.push(']');
            }
            other => s.push_str(&verbatim_model::plain_text(std::slice::from_ref(other))),
        }
    }
    s
}
