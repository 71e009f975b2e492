//! WebVTT and SRT transcripts: the captions speech recognition, podcast and
//! oral-history tools export, turned into speaker turns by the label engine
//! (`verbatim-labels`) with every word taken as speech.
//!
//! - Cues are found as the WebVTT parser finds them: a line holding `-->` starts a
//!   cue even without a blank line before it, and only an empty line ends one. In SRT a
//!   number line followed by a timing line starts one too. A missing `WEBVTT` line and
//!   a missing final blank line are fine; a cue time that cannot be read is an error
//!   giving its line and column.
//! - Speakers come from WebVTT voices (`<v Amos Gilead>`, certain), from labels at the
//!   start of a cue line (`Name:`, `SPEAKER 1:`, `[SPEAKER_00]:`, `The Minister (Jane
//!   Roe):`), also on a line of their own, and from the speaker tags of captions for the
//!   deaf and hard of hearing (`[MARIA] …`, `(Dana Bettinger)` on its own line), weighed
//!   over the whole file as in labelled text.
//! - A dialogue dash (`- `, `>>`) is a change of speaker: to the one named after it,
//!   else, of two speakers, to the other one, else to an unknown speaker (warned).
//! - Overlap voices (`<v //S02>`, `//S02: mm-hmm //` inside a cue) are turns of that
//!   speaker, S02, who is not a new person; the speaker talked over goes on after them.
//! - A cue without a speaker carries on the turn before it. Text before any speaker is
//!   named goes to an "Unknown speaker", with a warning.
//! - A turn starts at its first cue's start and ends at its last cue's end. Its text
//!   runs on from cue to cue in one paragraph; a pause of two seconds or more, or a
//!   sentence ending after 800 characters, starts a new paragraph; so does `<br><br>` (as
//!   OHMS writes).
//! - Rolling captions (each cue repeating the line before, as YouTube's automatic
//!   captions do) have the repeated lines dropped, with a warning.
//! - `<i>` is emphasis and `<b>` strong; `<u>`, `<c>`, `<lang>`, `<ruby>`, `<font>`
//!   keep their text; `<rt>` and timestamp tags are dropped, as are cue settings,
//!   `NOTE`, `STYLE` and `REGION` blocks and SRT `{\an8}` codes. A tag the format does
//!   not have is kept: its text, or a backchannel such as `<mmm>` as the marker
//!   `[mmm]`, with a warning.
//! - `[laughs]`, `(laughs)`, `[MUSIC]` and the other documented words are markers; so
//!   are a sound at a cue line's start (`[DOOR SLAMS]`) and a cue line that is only
//!   words in parentheses (`(12 seconds pause)`); other `[text]` is an editorial note.
//! - Roles: `Q`/`A` labels, what speakers say of themselves, else the speaker who asks
//!   the questions is the interviewer (a warning says so).
//!
//! ```
//! let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Ann Lee>Where were you born?\n\n00:00:03.500 --> 00:00:05.000\n<v Bo Chen>In Millbrook.\n";
//! let t = verbatim_captions::read_vtt_str(vtt).unwrap().value;
//! assert_eq!(t.turns().count(), 2);
//! ```

mod write;

use verbatim_model::{Parsed, ReadContext, Transcript};

pub use write::{CaptionOptions, WriteError, write_srt, write_vtt};

pub use verbatim_labels::captions::{
    Error, ErrorKind, read_srt_str, read_srt_text, read_vtt_str, read_vtt_text,
};

fn decode(input: Vec<u8>, cx: &ReadContext) -> Result<verbatim_model::Decoded, Error> {
    verbatim_model::decode_input(input, cx).map_err(|e| e.located(ErrorKind::Input))
}

/// Reads WebVTT captions (the format contract's reader).
pub fn read_vtt(input: Vec<u8>, cx: &ReadContext) -> Result<Parsed<Transcript>, Error> {
    let decoded = decode(input, cx)?;
    Ok(read_vtt_text(&decoded.text, &cx.speakers)?.after(decoded.warnings))
}

/// Reads SRT captions (the format contract's reader).
pub fn read_srt(input: Vec<u8>, cx: &ReadContext) -> Result<Parsed<Transcript>, Error> {
    let decoded = decode(input, cx)?;
    Ok(read_srt_text(&decoded.text, &cx.speakers)?.after(decoded.warnings))
}
