//! The transcript model every Verbatim reader produces and every writer consumes.
//!
//! It knows no file format. A [`Transcript`] holds [`Metadata`], the declared
//! [`Participant`]s and a body of [`Block`]s: nested [`Section`]s, narrative
//! paragraphs and speaker [`Turn`]s made of [`Inline`] content.
//!
//! ```
//! use verbatim_model::{Transcript, Metadata, Participant, Role, Block, Turn, Inline};
//!
//! let t = Transcript::new(
//!     Metadata { title: Some("An interview".into()), ..Metadata::default() },
//!     vec![Participant::new("Q", "Questioner", Role::Interviewer)],
//!     vec![Block::Turn(Turn::new("Q", vec![vec![Inline::text("Why?")]]))],
//! )
//! .unwrap();
//! assert_eq!(t.turns().count(), 1);
//! ```

pub mod brackets;
mod date;
mod decode;
mod diag;
pub mod format;
pub mod labels;
mod lang;
pub mod script;
mod timestamp;

pub use date::{DateError, IsoDate, MONTHS_EN, UtcDateTime};
pub use decode::{
    DecodeError, Decoded, InputError, LineIndex, decode_input, decode_text, decode_text_owned,
    encoding_for,
};
pub use diag::{Code, Diagnostic, HasCode, Located, Parsed, Position, Severity, printable};
pub use format::{
    DatePolicy, Limits, ReadContext, SpeakerEntry, Speakers, ToDiagnostic, WriteContext,
};
pub use labels::Labels;
pub use lang::{Direction, LanguageTag, LanguageTagError, is_rtl_script};
pub use timestamp::{Timestamp, TimestampError};

use std::ops::ControlFlow;

pub use compact_str::CompactString;
pub use smallvec::{SmallVec, smallvec};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A whole transcript: what it is, who speaks, and what is said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Transcript {
    /// Descriptive metadata.
    pub metadata: Metadata,
    /// Everyone who speaks or annotates, in order of declaration.
    pub participants: Vec<Participant>,
    /// The body: narrative, turns and sections in reading order.
    pub body: Vec<Block>,
}

/// Descriptive metadata of a transcript. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Metadata {
    /// Main title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Subtitle.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// Date of the interview, ISO 8601 (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<IsoDate>,
    /// Language of the transcript as a BCP 47 tag, such as `en` or `pt-BR`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<LanguageTag>,
    /// Who publishes the transcript.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Where the source was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    /// Rights statement or licence (a name or a URL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rights: Option<String>,
    /// A stable identifier (DOI, URN, URL, accession number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// A short description or abstract.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Subject keywords.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// Where the interview took place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

/// The deed of a Creative Commons licence named at the start of a rights statement
/// (`CC BY 4.0`, `CC BY-NC-SA 3.0`, `CC0 1.0`).
fn creative_commons(rights: &str) -> Option<String> {
    let words: Vec<&str> = rights
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
        .collect();
    let first = words.first()?.to_ascii_uppercase();
    if first == "CC0" {
        return Some("https://creativecommons.org/publicdomain/zero/1.0/".into());
    }
    if first != "CC" {
        return None;
    }
    let kind = words.get(1)?.to_ascii_lowercase();
    let version = words.get(2)?.trim_end_matches('.');
    let known = ["by", "by-sa", "by-nc", "by-nd", "by-nc-sa", "by-nc-nd"];
    let versioned = ["1.0", "2.0", "2.5", "3.0", "4.0"];
    (known.contains(&kind.as_str()) && versioned.contains(&version))
        .then(|| format!("https://creativecommons.org/licenses/{kind}/{version}/"))
}

/// Where a rights statement's licence is stated: the statement itself when it is a
/// web address (`http://` or `https://`, no spaces), else the deed of the Creative
/// Commons licence it names (`CC BY 4.0`, `CC0 1.0`).
pub fn licence_url(rights: &str) -> Option<String> {
    let lower = rights.to_ascii_lowercase();
    let web = lower.starts_with("http://") || lower.starts_with("https://");
    if web && !rights.contains(char::is_whitespace) {
        Some(rights.to_string())
    } else {
        creative_commons(rights)
    }
}

/// Someone who speaks in, or annotates, the transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    /// Short identifier, unique in the transcript, such as `IT`. Used by turns and notes.
    pub id: String,
    /// Full name as it should be displayed.
    pub name: String,
    /// Role in the interview.
    #[serde(default)]
    pub role: Role,
    /// Other labels that name this participant in the source.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

impl Participant {
    /// A participant without aliases.
    pub fn new(id: impl Into<String>, name: impl Into<String>, role: Role) -> Self {
        Participant {
            id: id.into(),
            name: name.into(),
            role,
            aliases: Vec::new(),
        }
    }

    /// Whether `label` is this participant's id, name or one of its aliases.
    pub fn is_named(&self, label: &str) -> bool {
        self.id == label || self.name == label || self.aliases.iter().any(|a| a == label)
    }
}

/// A participant's part in the interview.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Asks the questions.
    Interviewer,
    /// Answers them.
    Interviewee,
    /// Anyone else (a second interviewer's assistant, an interpreter, a bystander).
    #[default]
    Other,
}

impl Role {
    /// The lower-case English name, as used in Markdown front matter and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Interviewer => "interviewer",
            Role::Interviewee => "interviewee",
            Role::Other => "other",
        }
    }

    /// Parses the name used in front matter; case-insensitive.
    pub fn parse(s: &str) -> Option<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "interviewer" => Some(Role::Interviewer),
            "interviewee" | "narrator" => Some(Role::Interviewee),
            "other" => Some(Role::Other),
            _ => None,
        }
    }

    /// The MARC relator code for the role, when one fits.
    pub fn marc_relator(self) -> Option<&'static str> {
        match self {
            Role::Interviewer => Some("ivr"),
            Role::Interviewee => Some("ive"),
            Role::Other => None,
        }
    }

    /// A capitalised label for display.
    pub fn label(self) -> &'static str {
        match self {
            Role::Interviewer => "Interviewer",
            Role::Interviewee => "Interviewee",
            Role::Other => "Participant",
        }
    }
}

/// A block of the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A headed section holding further blocks.
    Section(Section),
    /// A narrative paragraph: an introduction, a link paragraph, back matter.
    Paragraph(Paragraph),
    /// What one speaker says before another speaks.
    Turn(Turn),
}

/// A section with a heading. Sections nest: a subsection is a block of its parent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// The heading.
    pub heading: Vec<Inline>,
    /// The content, in order.
    pub blocks: Vec<Block>,
}

/// A narrative paragraph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Paragraph {
    /// The paragraph's content.
    pub content: Vec<Inline>,
}

/// One speaker's turn: one or more paragraphs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Turn {
    // Ids up to 24 bytes are held in place: a diarized transcript repeats a few
    // short ids a million times.
    /// The id of the participant who speaks.
    #[schemars(with = "String")]
    pub speaker: CompactString,
    /// Ids of participants who say the turn together with `speaker` (a chorus, "all
    /// laugh", `<sp who="#a #b">`), in order; empty for one voice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<String>,
    /// When the turn starts in the recording.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Timestamp>,
    /// When the turn ends in the recording, where the source says so (caption cue ends).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Timestamp>,
    /// True when the turn carries on the previous turn of the same speaker
    /// across a section heading, rather than starting a new turn.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub continues: bool,
    /// True when the speaker was inferred by an importer rather than labelled in the source.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inferred: bool,
    /// The paragraphs, each a run of inline content.
    pub paragraphs: Paragraphs,
}

/// A turn's paragraphs. Most turns have one, which is held in place rather than
/// in a vector of its own: a diarized transcript has a million such turns.
pub type Paragraphs = SmallVec<[Vec<Inline>; 1]>;

impl Turn {
    /// A labelled turn without start time.
    pub fn new(
        speaker: impl Into<CompactString>,
        paragraphs: impl IntoIterator<Item = Vec<Inline>>,
    ) -> Self {
        Turn {
            speaker: speaker.into(),
            with: Vec::new(),
            start: None,
            end: None,
            continues: false,
            inferred: false,
            // Collected, not converted: a vector's spare room would keep one paragraph
            // out of place.
            paragraphs: paragraphs.into_iter().collect(),
        }
    }

    /// The ids of everyone who says the turn, in order: the speaker, then the others.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.speaker.as_str()).chain(self.with.iter().map(String::as_str))
    }
}

/// Inline content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Inline {
    /// Plain text.
    Text {
        /// The characters, exactly as in the source.
        text: String,
    },
    /// Emphasis, usually set in italics.
    Emphasis {
        /// What is emphasised.
        content: Vec<Inline>,
    },
    /// Strong importance, usually set in bold.
    Strong {
        /// What is strong.
        content: Vec<Inline>,
    },
    /// A hyperlink.
    Link {
        /// The URL.
        target: String,
        /// The link text.
        content: Vec<Inline>,
    },
    /// An editorial note, optionally attributed to a participant.
    Note {
        /// Id of the participant responsible for the note.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        resp: Option<String>,
        /// The note's text.
        content: Vec<Inline>,
    },
    /// A transcriber's marker for something that is not words: laughter, a pause, a gap.
    Marker {
        /// What kind of event it is.
        kind: MarkerKind,
        /// The marker's words as written, such as `laughs`.
        desc: String,
    },
}

impl Inline {
    /// Plain text.
    pub fn text(s: impl Into<String>) -> Inline {
        Inline::Text { text: s.into() }
    }
}

/// The kinds of transcriber markers, after the TEI spoken-text elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MarkerKind {
    /// A non-lexical sound made by the speaker: laughs, sighs, coughs.
    Vocal,
    /// Something that happens and is not speech: crosstalk, applause, a phone rings.
    Incident,
    /// A pause or silence.
    Pause,
    /// Words that could not be made out.
    Gap,
}

impl MarkerKind {
    /// Classifies bracketed words as a marker, if they are one of the known markers.
    ///
    /// The list is documented in `docs/format.md`.
    pub fn classify(words: &str) -> Option<MarkerKind> {
        let w = words.trim().to_lowercase();
        let w = w.trim_end_matches('.');
        Some(match w {
            "laughs" | "laughter" | "laughing" | "chuckles" | "chuckle" | "sighs" | "sigh"
            | "coughs" | "cough" | "clears throat" | "cries" | "crying" | "whispers"
            | "both laugh" | "all laugh" | "groans" => MarkerKind::Vocal,
            "crosstalk"
            | "cross talk"
            | "overlapping"
            | "applause"
            | "phone rings"
            | "noise"
            | "background noise"
            | "interruption"
            | "recording interrupted"
            | "music"
            | "door closes"
            | "knock" => MarkerKind::Incident,
            "pause" | "long pause" | "short pause" | "silence" => MarkerKind::Pause,
            "inaudible" | "unintelligible" | "indistinct" | "unclear" => MarkerKind::Gap,
            other => {
                return MARKERS_IN_OTHER_LANGUAGES
                    .iter()
                    .find(|(words, _)| *words == other)
                    .map(|&(_, kind)| kind);
            }
        })
    }
}

/// The commonest markers as French, German, Spanish, Italian, Portuguese, Dutch, Russian
/// and Polish transcribers write them (lower case), beside the English ones.
pub const MARKERS_IN_OTHER_LANGUAGES: &[(&str, MarkerKind)] = &[
    ("rires", MarkerKind::Vocal),
    ("rire", MarkerKind::Vocal),
    ("soupir", MarkerKind::Vocal),
    ("tousse", MarkerKind::Vocal),
    ("lachen", MarkerKind::Vocal),
    ("lacht", MarkerKind::Vocal),
    ("seufzt", MarkerKind::Vocal),
    ("hustet", MarkerKind::Vocal),
    ("risas", MarkerKind::Vocal),
    ("ríe", MarkerKind::Vocal),
    ("suspira", MarkerKind::Vocal),
    ("ride", MarkerKind::Vocal),
    ("risate", MarkerKind::Vocal),
    ("sospira", MarkerKind::Vocal),
    ("risos", MarkerKind::Vocal),
    ("gelach", MarkerKind::Vocal),
    ("zucht", MarkerKind::Vocal),
    ("смех", MarkerKind::Vocal),
    ("смеётся", MarkerKind::Vocal),
    ("смеется", MarkerKind::Vocal),
    ("śmiech", MarkerKind::Vocal),
    ("applaudissements", MarkerKind::Incident),
    ("applaus", MarkerKind::Incident),
    ("aplausos", MarkerKind::Incident),
    ("applausi", MarkerKind::Incident),
    ("musique", MarkerKind::Incident),
    ("musik", MarkerKind::Incident),
    ("música", MarkerKind::Incident),
    ("musica", MarkerKind::Incident),
    ("muziek", MarkerKind::Incident),
    ("longue pause", MarkerKind::Pause),
    ("lange pause", MarkerKind::Pause),
    ("schweigen", MarkerKind::Pause),
    ("pausa", MarkerKind::Pause),
    ("silencio", MarkerKind::Pause),
    ("silenzio", MarkerKind::Pause),
    ("silêncio", MarkerKind::Pause),
    ("pauze", MarkerKind::Pause),
    ("stilte", MarkerKind::Pause),
    ("пауза", MarkerKind::Pause),
    ("молчание", MarkerKind::Pause),
    ("cisza", MarkerKind::Pause),
    ("przerwa", MarkerKind::Pause),
    ("incompréhensible", MarkerKind::Gap),
    ("unverständlich", MarkerKind::Gap),
    ("ininteligible", MarkerKind::Gap),
    ("incomprensibile", MarkerKind::Gap),
    ("inaudibile", MarkerKind::Gap),
    ("inaudível", MarkerKind::Gap),
    ("incompreensível", MarkerKind::Gap),
    ("onverstaanbaar", MarkerKind::Gap),
    ("неразборчиво", MarkerKind::Gap),
    ("niezrozumiałe", MarkerKind::Gap),
];

/// A broken model invariant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// Two participants share an id.
    #[error("duplicate participant id \"{0}\"")]
    DuplicateParticipant(String),
    /// A participant has an empty id or one that cannot serve as an identifier.
    #[error("participant id \"{0}\" must be a letter followed by letters, digits, '_', '-' or '.'")]
    BadParticipantId(String),
    /// A turn names a speaker that is not declared.
    #[error("turn by undeclared speaker \"{0}\"")]
    UndeclaredSpeaker(String),
    /// A note is attributed to a participant that is not declared.
    #[error("note attributed to undeclared participant \"{0}\"")]
    UndeclaredNoteAuthor(String),
    /// A turn has no paragraphs.
    #[error("turn by \"{0}\" has no paragraphs")]
    EmptyTurn(String),
    /// A turn's fellow speakers name the speaker again, or one of them twice.
    #[error("turn by \"{0}\" lists \"{1}\" twice among its speakers")]
    RepeatedSpeaker(String, String),
    /// A turn ends before it starts.
    #[error("turn by \"{0}\" ends at {2} before it starts at {1}")]
    EndBeforeStart(String, Timestamp, Timestamp),
    /// Sections or inline content nested deeper than [`MAX_NESTING`].
    #[error("content nested deeper than {MAX_NESTING} levels")]
    TooDeep,
    /// Two participants whose names are spelt differently but print the same (see
    /// [`printed_form`]).
    #[error("participants \"{0}\" and \"{1}\" have names that print the same")]
    SameName(String, String),
    /// A character XML 1.0 cannot hold (a control character, U+FFFE, U+FFFF), which no
    /// writer could write faithfully.
    #[error("the character U+{:04X} cannot be written (XML 1.0 has no place for it)", u32::from(*.0))]
    BadCharacter(char),
}

/// A name as it prints: NFC, without the characters that print as nothing (zero-width
/// spaces and joiners, the soft hyphen, bidirectional controls, variation selectors,
/// U+FEFF). Two labels or names with the same printed form cannot be told apart by a
/// reader.
pub fn printed_form(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // ASCII is in NFC and holds nothing invisible; a diarized file asks this per turn.
    if s.is_ascii() {
        return s.to_string();
    }
    s.chars().filter(|&c| !invisible(c)).nfc().collect()
}

fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}' | '\u{FFA0}' | '\u{E0100}'..='\u{E01EF}')
}

/// The first character of `s` that XML 1.0 cannot hold: the C0 controls but tab, line
/// feed and carriage return, and U+FFFE and U+FFFF.
pub fn xml_unsafe(s: &str) -> Option<char> {
    // By bytes, as every input's text passes here: the controls are ASCII, and
    // U+FFFE and U+FFFF are EF BF BE and EF BF BF. Blocks without a byte that could
    // start one are passed over by a test the compiler can vectorise.
    let suspect =
        |x: u8| u8::from(x < 0x20 && x != b'\t' && x != b'\n' && x != b'\r') | u8::from(x == 0xEF);
    let b = s.as_bytes();
    for (n, block) in b.chunks(64).enumerate() {
        if block.iter().fold(0, |any, &x| any | suspect(x)) == 0 {
            continue;
        }
        for i in n * 64..n * 64 + block.len() {
            let x = b[i];
            if x < 0x20 && !matches!(x, b'\t' | b'\n' | b'\r') {
                return Some(char::from(x));
            }
            if x == 0xEF && b.get(i + 1) == Some(&0xBF) && matches!(b.get(i + 2), Some(0xBE | 0xBF))
            {
                return s[i..].chars().next();
            }
        }
    }
    None
}

/// The deepest nesting of sections plus inline content a transcript may have.
/// Readers refuse deeper input, so writers can recurse without risking the stack.
pub const MAX_NESTING: usize = 100;

impl Transcript {
    /// Builds a transcript, checking its invariants.
    pub fn new(
        metadata: Metadata,
        participants: Vec<Participant>,
        body: Vec<Block>,
    ) -> Result<Transcript, ModelError> {
        let t = Transcript {
            metadata,
            participants,
            body,
        };
        t.validate()?;
        Ok(t)
    }

    /// Checks the invariants: participant ids unique and well formed, every turn's
    /// speaker and every note's author declared, no empty turn.
    pub fn validate(&self) -> Result<(), ModelError> {
        let m = &self.metadata;
        let texts = [
            &m.title,
            &m.subtitle,
            &m.publisher,
            &m.source_url,
            &m.rights,
            &m.identifier,
            &m.description,
            &m.place,
        ];
        let people = self
            .participants
            .iter()
            .flat_map(|p| std::iter::once(&p.id).chain([&p.name]).chain(&p.aliases));
        if let Some(c) = texts
            .into_iter()
            .flatten()
            .chain(&m.keywords)
            .chain(people)
            .find_map(|s| xml_unsafe(s))
        {
            return Err(ModelError::BadCharacter(c));
        }
        // Names spelt differently that print alike are a spoof; names spelt alike (two
        // "Servants" of a play's cast list, told apart by id) are the source's own choice.
        let mut printed: std::collections::BTreeMap<String, (&str, &str)> =
            std::collections::BTreeMap::new();
        for p in &self.participants {
            let key = printed_form(&p.name);
            if let Some((id, name)) = printed.insert(key, (&p.id, &p.name))
                && name != p.name
            {
                return Err(ModelError::SameName(id.to_string(), p.id.clone()));
            }
        }
        let mut ids = std::collections::BTreeSet::new();
        for p in &self.participants {
            if !is_valid_id(&p.id) {
                return Err(ModelError::BadParticipantId(p.id.clone()));
            }
            if !ids.insert(p.id.as_str()) {
                return Err(ModelError::DuplicateParticipant(p.id.clone()));
            }
        }
        let declared = |id: &str| ids.contains(id);
        // One pass without recursion: the depth is checked before anything deeper is visited.
        let checked = visit(&self.body, &mut |node, depth| {
            if depth > MAX_NESTING {
                return ControlFlow::Break(ModelError::TooDeep);
            }
            match node {
                Node::Block(Block::Turn(turn)) if !declared(&turn.speaker) => {
                    ControlFlow::Break(ModelError::UndeclaredSpeaker(turn.speaker.to_string()))
                }
                Node::Block(Block::Turn(turn)) if turn.paragraphs.is_empty() => {
                    ControlFlow::Break(ModelError::EmptyTurn(turn.speaker.to_string()))
                }
                Node::Block(Block::Turn(turn)) if !turn.with.is_empty() => {
                    let mut seen = std::collections::BTreeSet::from([turn.speaker.as_str()]);
                    for w in &turn.with {
                        if !declared(w) {
                            return ControlFlow::Break(ModelError::UndeclaredSpeaker(w.clone()));
                        }
                        if !seen.insert(w) {
                            return ControlFlow::Break(ModelError::RepeatedSpeaker(
                                turn.speaker.to_string(),
                                w.clone(),
                            ));
                        }
                    }
                    check_times(turn)
                }
                Node::Block(Block::Turn(turn)) => check_times(turn),
                Node::Inline(Inline::Note { resp: Some(r), .. }) if !declared(r) => {
                    ControlFlow::Break(ModelError::UndeclaredNoteAuthor(r.clone()))
                }
                Node::Inline(
                    Inline::Text { text: s }
                    | Inline::Marker { desc: s, .. }
                    | Inline::Link { target: s, .. },
                ) => match xml_unsafe(s) {
                    Some(c) => ControlFlow::Break(ModelError::BadCharacter(c)),
                    None => ControlFlow::Continue(()),
                },
                _ => ControlFlow::Continue(()),
            }
        });
        match checked {
            ControlFlow::Break(e) => Err(e),
            ControlFlow::Continue(()) => Ok(()),
        }
    }

    /// The participant with this id.
    pub fn participant(&self, id: &str) -> Option<&Participant> {
        self.participants.iter().find(|p| p.id == id)
    }

    /// The display name of a participant id, falling back to the id itself.
    pub fn name_of<'a>(&'a self, id: &'a str) -> &'a str {
        self.participant(id).map_or(id, |p| p.name.as_str())
    }

    /// How writers name the voices of a turn: the speaker's name, or for a turn said
    /// together the names joined with ` & ` (`Adam & Jen & Dave`).
    pub fn voices_label(&self, turn: &Turn) -> String {
        self.voices(turn).join(" & ")
    }

    /// The names of everyone who says a turn, in order: the speaker, then the others.
    pub fn voices<'a>(&'a self, turn: &'a Turn) -> Vec<&'a str> {
        turn.ids().map(|id| self.name_of(id)).collect()
    }

    /// Every turn, in reading order, sections included.
    pub fn turns(&self) -> impl Iterator<Item = &Turn> {
        let mut out = Vec::new();
        collect_turns(&self.body, &mut out);
        out.into_iter()
    }

    /// Whether any turn has a start time.
    pub fn has_timestamps(&self) -> bool {
        self.turns().any(|t| t.start.is_some())
    }

    /// Calls `f` on every inline node, depth first in reading order, headings included; no
    /// recursion, so any depth is safe.
    pub fn walk_inlines(&self, f: &mut dyn FnMut(&Inline)) {
        let _ = visit(&self.body, &mut |node, _| {
            if let Node::Inline(i) = node {
                f(i);
            }
            ControlFlow::<()>::Continue(())
        });
    }

    /// Splits the top-level body into front matter (narrative before anything
    /// with a turn), the main part, and back matter (narrative after the last
    /// block with a turn). Without any turn everything is main.
    pub fn parts(&self) -> Parts<'_> {
        let has = |b: &Block| block_has_turn(b);
        let Some(first) = self.body.iter().position(has) else {
            return Parts {
                front: &[],
                main: &self.body,
                back: &[],
            };
        };
        let last = self.body.iter().rposition(has).unwrap_or(first);
        Parts {
            front: &self.body[..first],
            main: &self.body[first..=last],
            back: &self.body[last + 1..],
        }
    }

    /// The title, or a fallback in the transcript's language for formats that require
    /// one ("Untitled transcript"): also for a title that is blank.
    pub fn display_title(&self) -> &str {
        match self.metadata.title.as_deref() {
            Some(t) if !t.trim().is_empty() => t,
            _ => Labels::for_transcript(self.metadata.language.as_ref()).untitled,
        }
    }

    /// The participants with a given role.
    pub fn with_role(&self, role: Role) -> impl Iterator<Item = &Participant> {
        self.participants.iter().filter(move |p| p.role == role)
    }
}

fn check_times(turn: &Turn) -> ControlFlow<ModelError> {
    match (turn.start, turn.end) {
        (Some(s), Some(e)) if e < s => {
            ControlFlow::Break(ModelError::EndBeforeStart(turn.speaker.to_string(), s, e))
        }
        _ => ControlFlow::Continue(()),
    }
}

/// The three parts of a body, see [`Transcript::parts`].
#[derive(Debug, Clone, Copy)]
pub struct Parts<'a> {
    /// Narrative before the interview.
    pub front: &'a [Block],
    /// The interview itself.
    pub main: &'a [Block],
    /// Narrative after the interview.
    pub back: &'a [Block],
}

/// The deepest nesting of sections and inline content, computed without recursion. Top-level
/// blocks are at depth 1; counting stops past [`MAX_NESTING`].
pub fn nesting_depth(blocks: &[Block]) -> usize {
    let mut max = 0;
    let _ = visit(blocks, &mut |_, depth| {
        max = max.max(depth);
        if depth > MAX_NESTING {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    max
}

/// The deepest nesting of a run of inline content (a text alone is 1), computed without
/// recursion; counting stops past [`MAX_NESTING`].
pub fn inline_depth(list: &[Inline]) -> usize {
    let mut max = 0;
    let mut stack: Vec<(std::slice::Iter<'_, Inline>, usize)> = vec![(list.iter(), 1)];
    while let Some((it, depth)) = stack.last_mut() {
        let depth = *depth;
        let Some(node) = it.next() else {
            stack.pop();
            continue;
        };
        max = max.max(depth);
        if depth > MAX_NESTING {
            break;
        }
        if let Inline::Emphasis { content }
        | Inline::Strong { content }
        | Inline::Link { content, .. }
        | Inline::Note { content, .. } = node
        {
            stack.push((content.iter(), depth + 1));
        }
    }
    max
}

/// A block or an inline, as [`visit`] meets it.
#[derive(Clone, Copy)]
enum Node<'a> {
    Block(&'a Block),
    Inline(&'a Inline),
}

/// Calls `f` on every block and inline in reading order (a section's heading before its
/// blocks) with its depth, top-level blocks being 1, until `f` breaks. Iterative, so any
/// depth is safe.
fn visit<'a, B>(
    blocks: &'a [Block],
    f: &mut impl FnMut(Node<'a>, usize) -> ControlFlow<B>,
) -> ControlFlow<B> {
    /// The rest of one list of children, all at the same depth.
    enum Rest<'a> {
        Blocks(std::slice::Iter<'a, Block>),
        Inlines(std::slice::Iter<'a, Inline>),
        /// A turn's paragraphs: each is a list of inlines at this depth.
        Paragraphs(std::slice::Iter<'a, Vec<Inline>>),
    }
    let mut stack = vec![(Rest::Blocks(blocks.iter()), 1)];
    while let Some((rest, depth)) = stack.last_mut() {
        let depth = *depth;
        let node = match rest {
            Rest::Blocks(it) => it.next().map(Node::Block),
            Rest::Inlines(it) => it.next().map(Node::Inline),
            Rest::Paragraphs(it) => {
                if let Some(p) = it.next() {
                    stack.push((Rest::Inlines(p.iter()), depth));
                } else {
                    stack.pop();
                }
                continue;
            }
        };
        let Some(node) = node else {
            stack.pop();
            continue;
        };
        f(node, depth)?;
        let child = depth + 1;
        match node {
            Node::Block(Block::Section(s)) => {
                stack.push((Rest::Blocks(s.blocks.iter()), child));
                stack.push((Rest::Inlines(s.heading.iter()), child));
            }
            Node::Block(Block::Paragraph(p)) => {
                stack.push((Rest::Inlines(p.content.iter()), child))
            }
            Node::Block(Block::Turn(t)) => {
                stack.push((Rest::Paragraphs(t.paragraphs.iter()), child))
            }
            Node::Inline(
                Inline::Emphasis { content }
                | Inline::Strong { content }
                | Inline::Link { content, .. }
                | Inline::Note { content, .. },
            ) => stack.push((Rest::Inlines(content.iter()), child)),
            Node::Inline(Inline::Text { .. } | Inline::Marker { .. }) => {}
        }
    }
    ControlFlow::Continue(())
}

/// Whether a block is, or contains, a turn.
pub fn block_has_turn(b: &Block) -> bool {
    match b {
        Block::Turn(_) => true,
        Block::Paragraph(_) => false,
        Block::Section(s) => s.blocks.iter().any(block_has_turn),
    }
}

fn collect_turns<'a>(blocks: &'a [Block], out: &mut Vec<&'a Turn>) {
    for b in blocks {
        match b {
            Block::Turn(t) => out.push(t),
            Block::Section(s) => collect_turns(&s.blocks, out),
            Block::Paragraph(_) => {}
        }
    }
}

/// Whether `id` can serve as a participant id (and so as an XML `xml:id`).
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic())
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// The text of inline content without markup: notes and markers in brackets
/// ([`brackets::print`]).
pub fn plain_text(list: &[Inline]) -> String {
    brackets::print(list)
}

#[cfg(test)]
mod tests {

    #[test]
    fn xml_unsafe_finds_the_first_character_xml_cannot_hold() {
        let by_char = |s: &str| {
            s.chars().find(|&c| {
                (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
                    || matches!(c, '\u{FFFE}' | '\u{FFFF}')
            })
        };
        for s in [
            "",
            "plain\ttext\r\n",
            "a\u{1}b",
            "\u{0}",
            "é\u{FFFE}\u{7}",
            "\u{FFFD}\u{FFFF}",
            "\u{EFBF}\u{FFBE}\u{FEFF}\u{F8FF}",
            "\u{1F600}\u{1B}",
            "\u{7F}\u{9F}",
            &format!("{}\u{FFFF}", "x".repeat(63)),
            &format!("{}\u{FFFE}", "x".repeat(62)),
            &format!("{}\u{2}", "y".repeat(200)),
            &format!("{}\u{FF01}", "z".repeat(127)),
        ] {
            assert_eq!(super::xml_unsafe(s), by_char(s), "{s:?}");
        }
    }

    #[test]
    fn a_turn_takes_no_more_room_than_its_fields_need() {
        // A diarized recording is a million short turns: each byte here is a megabyte.
        assert!(std::mem::size_of::<super::Turn>() <= 104);
        assert!(std::mem::size_of::<super::Block>() <= 104);
    }

    #[test]
    fn a_short_id_and_one_paragraph_are_held_in_the_turn_however_handed_over() {
        let mut roomy = Vec::with_capacity(8);
        roomy.push(vec![Inline::text("Yes.")]);
        let t = Turn::new(String::from("SPEAKER_01"), roomy);
        assert!(!t.paragraphs.spilled());
        assert!(!t.speaker.is_heap_allocated());
        let json = r#"{"speaker":"SPEAKER_01","paragraphs":[[{"type":"text","text":"Yes."}]]}"#;
        let read: Turn = serde_json::from_str(json).unwrap();
        assert!(!read.paragraphs.spilled());
        assert!(!read.speaker.is_heap_allocated());
        assert_eq!(read, t);
        let two = Turn::new("A", vec![vec![Inline::text("a")], vec![Inline::text("b")]]);
        assert!(two.paragraphs.spilled());
        assert_eq!(two.paragraphs.capacity(), 2);
    }

    #[test]
    fn markers_in_other_languages() {
        assert_eq!(MarkerKind::classify("Rires."), Some(MarkerKind::Vocal));
        assert_eq!(MarkerKind::classify("lacht"), Some(MarkerKind::Vocal));
        assert_eq!(
            MarkerKind::classify("Longue pause"),
            Some(MarkerKind::Pause)
        );
        assert_eq!(MarkerKind::classify("неразборчиво"), Some(MarkerKind::Gap));
        assert_eq!(
            MarkerKind::classify("Applaudissements"),
            Some(MarkerKind::Incident)
        );
        assert_eq!(MarkerKind::classify("une note"), None);
        let mut seen = std::collections::BTreeSet::new();
        for (words, _) in MARKERS_IN_OTHER_LANGUAGES {
            assert_eq!(*words, words.to_lowercase(), "listed in lower case");
            assert!(seen.insert(*words), "{words} twice");
        }
    }
    use super::*;

    #[test]
    fn creative_commons_licences_get_their_deed() {
        assert_eq!(
            creative_commons("CC BY 4.0").as_deref(),
            Some("https://creativecommons.org/licenses/by/4.0/")
        );
        assert_eq!(
            creative_commons("cc by-nc-sa 3.0, Port Ellery Library").as_deref(),
            Some("https://creativecommons.org/licenses/by-nc-sa/3.0/")
        );
        assert_eq!(
            creative_commons("CC0 1.0").as_deref(),
            Some("https://creativecommons.org/publicdomain/zero/1.0/")
        );
        assert_eq!(creative_commons("All rights reserved."), None);
        assert_eq!(creative_commons("CC BY 9.9"), None);
        assert_eq!(
            licence_url("HTTPS://e.org/licence").as_deref(),
            Some("HTTPS://e.org/licence")
        );
        assert_eq!(
            licence_url("CC BY 4.0").as_deref(),
            Some("https://creativecommons.org/licenses/by/4.0/")
        );
        assert_eq!(licence_url("see https://e.org/licence"), None);
    }

    fn p(id: &str) -> Participant {
        Participant::new(id, id, Role::Other)
    }

    #[test]
    fn rejects_duplicate_ids() {
        let e = Transcript::new(Metadata::default(), vec![p("A"), p("A")], vec![]).unwrap_err();
        assert_eq!(e, ModelError::DuplicateParticipant("A".into()));
    }

    #[test]
    fn rejects_undeclared_speaker_inside_sections() {
        let body = vec![Block::Section(Section {
            heading: vec![Inline::text("H")],
            blocks: vec![Block::Turn(Turn::new("B", vec![vec![Inline::text("x")]]))],
        })];
        let e = Transcript::new(Metadata::default(), vec![p("A")], body).unwrap_err();
        assert_eq!(e, ModelError::UndeclaredSpeaker("B".into()));
    }

    #[test]
    fn rejects_undeclared_note_author() {
        let note = Inline::Note {
            resp: Some("Z".into()),
            content: vec![Inline::text("n")],
        };
        let body = vec![Block::Turn(Turn::new("A", vec![vec![note]]))];
        let e = Transcript::new(Metadata::default(), vec![p("A")], body).unwrap_err();
        assert_eq!(e, ModelError::UndeclaredNoteAuthor("Z".into()));
    }

    #[test]
    fn rejects_bad_ids() {
        assert!(!is_valid_id(""));
        assert!(!is_valid_id("1A"));
        assert!(!is_valid_id("A B"));
        assert!(is_valid_id("SPEAKER_1"));
        let e = Transcript::new(Metadata::default(), vec![p("a b")], vec![]).unwrap_err();
        assert_eq!(e, ModelError::BadParticipantId("a b".into()));
    }

    #[test]
    fn parts_split_front_main_back() {
        let para = || {
            Block::Paragraph(Paragraph {
                content: vec![Inline::text("n")],
            })
        };
        let turn = || Block::Turn(Turn::new("A", vec![vec![Inline::text("t")]]));
        let t = Transcript::new(
            Metadata::default(),
            vec![p("A")],
            vec![para(), turn(), para(), turn(), para(), para()],
        )
        .unwrap();
        let parts = t.parts();
        assert_eq!(
            (parts.front.len(), parts.main.len(), parts.back.len()),
            (1, 3, 2)
        );
    }

    #[test]
    fn refuses_deep_nesting_without_recursing() {
        let mut inline = Inline::text("x");
        for _ in 0..200_000 {
            inline = Inline::Emphasis {
                content: vec![inline],
            };
        }
        let body = vec![Block::Paragraph(Paragraph {
            content: vec![inline],
        })];
        let t = Transcript {
            metadata: Metadata::default(),
            participants: vec![],
            body,
        };
        assert_eq!(t.validate(), Err(ModelError::TooDeep));
        // Dropping it must not recurse either; leak it instead of overflowing here.
        std::mem::forget(t);
    }

    #[test]
    fn nesting_depth_counts_every_level() {
        let emph = |content| Inline::Emphasis { content };
        let para = |content| Block::Paragraph(Paragraph { content });
        let section = |heading, blocks| Block::Section(Section { heading, blocks });
        assert_eq!(nesting_depth(&[]), 0);
        assert_eq!(nesting_depth(&[para(vec![])]), 1);
        assert_eq!(nesting_depth(&[para(vec![Inline::text("x")])]), 2);
        let turn = Block::Turn(Turn::new(
            "A",
            vec![vec![], vec![emph(vec![emph(vec![Inline::text("x")])])]],
        ));
        assert_eq!(nesting_depth(&[turn]), 4);
        // section > section > paragraph > emphasis > text, beside a shallower heading.
        let deep = section(
            vec![Inline::text("h")],
            vec![section(
                vec![],
                vec![para(vec![emph(vec![Inline::text("x")])])],
            )],
        );
        assert_eq!(nesting_depth(&[para(vec![]), deep]), 5);
        let nested = |n| {
            let mut inline = Inline::text("x");
            for _ in 0..n {
                inline = emph(vec![inline]);
            }
            para(vec![inline])
        };
        // The paragraph, the emphases and the text; beyond the limit it stops counting.
        assert_eq!(nesting_depth(&[nested(MAX_NESTING - 2)]), MAX_NESTING);
        assert!(nesting_depth(&[nested(MAX_NESTING - 1)]) > MAX_NESTING);
    }

    #[test]
    fn inline_depth_counts_nested_inlines() {
        let emph = |content| Inline::Emphasis { content };
        assert_eq!(inline_depth(&[]), 0);
        assert_eq!(inline_depth(&[Inline::text("x")]), 1);
        assert_eq!(
            inline_depth(&[Inline::text("a"), emph(vec![emph(vec![Inline::text("x")])])]),
            3
        );
    }

    #[test]
    fn classifies_markers() {
        assert_eq!(MarkerKind::classify("Laughs"), Some(MarkerKind::Vocal));
        assert_eq!(MarkerKind::classify("inaudible"), Some(MarkerKind::Gap));
        assert_eq!(MarkerKind::classify("long pause"), Some(MarkerKind::Pause));
        assert_eq!(
            MarkerKind::classify("crosstalk"),
            Some(MarkerKind::Incident)
        );
        assert_eq!(MarkerKind::classify("unmanned aerial vehicle"), None);
    }

    #[test]
    fn plain_text_brackets_notes() {
        let list = vec![
            Inline::text("a "),
            Inline::Note {
                resp: Some("IT".into()),
                content: vec![Inline::text("n")],
            },
            Inline::Marker {
                kind: MarkerKind::Vocal,
                desc: "laughs".into(),
            },
        ];
        assert_eq!(plain_text(&list), "a [n—IT][laughs]");
    }
}
