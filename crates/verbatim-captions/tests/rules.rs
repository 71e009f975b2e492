//! The WebVTT and SRT rules, one test per rule.

use verbatim_captions::{ErrorKind, read_srt_str as read_srt, read_vtt_str as read_vtt};
use verbatim_model::{Code, Inline, MarkerKind, Parsed, Role, Transcript, Turn};

fn vtt(src: &str) -> Parsed<Transcript> {
    read_vtt(src).unwrap_or_else(|e| panic!("{e}"))
}

fn turns(t: &Transcript) -> Vec<&Turn> {
    t.turns().collect()
}

fn text(t: &Turn) -> Vec<String> {
    t.paragraphs
        .iter()
        .map(|p| verbatim_model::plain_text(p))
        .collect()
}

#[test]
fn consecutive_cues_of_one_voice_merge_and_keep_the_first_start() {
    let p = vtt(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ann Lee>Hello\n\n00:00:02.500 --> 00:00:03.000\n<v Ann Lee>there.\n\n00:00:04.000 --> 00:00:05.000\n<v Bo Chen>Hi.\n",
    );
    let t = &p.value;
    let ts = turns(t);
    assert_eq!(ts.len(), 2);
    assert_eq!(text(ts[0]), ["Hello there."]);
    assert_eq!(ts[0].start.map(|s| s.millis()), Some(1_000));
    assert_eq!(ts[1].start.map(|s| s.millis()), Some(4_000));
    assert_eq!(
        t.participants
            .iter()
            .map(|p| (p.id.as_str(), p.name.as_str()))
            .collect::<Vec<_>>(),
        [("AL", "Ann Lee"), ("BC", "Bo Chen")]
    );
}

#[test]
fn a_cue_without_a_speaker_continues_the_previous_one() {
    let p = vtt(
        "00:00:01.000 --> 00:00:02.000\n<v Ann Lee>One\n\n00:00:02.000 --> 00:00:03.000\ntwo [laughs]\n",
    );
    let ts = turns(&p.value);
    assert_eq!(ts.len(), 1);
    assert!(matches!(
        ts[0].paragraphs[0].last(),
        Some(Inline::Marker {
            kind: MarkerKind::Vocal,
            ..
        })
    ));
}

#[test]
fn two_voices_in_one_cue_are_two_turns() {
    let p = vtt(
        "WEBVTT\n\n00:00:06.000 --> 00:00:08.000\n<v Mary Ames>Why did the chicken cross the road</v>\n<v Doug Rand>To get to the other side</v>\n",
    );
    let ts = turns(&p.value);
    assert_eq!(ts.len(), 2);
    assert_eq!(ts[0].start.map(|s| s.millis()), Some(6_000));
    assert_eq!(ts[1].start, None, "the second voice's time is unknown");
}

#[test]
fn text_labels_name_speakers() {
    let p = read_srt(
        "1\n00:00:01,000 --> 00:00:02,000\n[SPEAKER_00]: One?\n\n2\n00:00:02,000 --> 00:00:03,000\nSPEAKER 1: Two.\n\n3\n00:00:03,000 --> 00:00:04,000\n- Ann Lee: Three.\n- >> Bo: Four.\n\n4\n00:00:05,000 --> 00:00:06,000\n>> Bo: Five.\n",
    )
    .unwrap();
    let ids: Vec<&str> = p.value.turns().map(|t| t.speaker.as_str()).collect();
    assert_eq!(ids, ["SPEAKER_00", "SPEAKER_1", "AL", "Bo"]);
    assert_eq!(text(turns(&p.value)[3]), ["Four. Five."]);
}

#[test]
fn a_word_and_colon_used_once_is_text() {
    let p = vtt(
        "00:00:01.000 --> 00:00:02.000\n<v Ann Lee>Look.\n\n00:00:02.000 --> 00:00:03.000\nTomorrow: rain.\n",
    );
    let ts = turns(&p.value);
    assert_eq!(ts.len(), 1);
    assert_eq!(text(ts[0]), ["Look. Tomorrow: rain."]);
}

#[test]
fn without_speakers_everything_goes_to_an_unknown_speaker_with_a_warning() {
    let p = vtt(
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nHello.\n\n2\n00:00:03.000 --> 00:00:04.000\nHow are you?\n",
    );
    let t = &p.value;
    assert_eq!(t.participants.len(), 1);
    assert_eq!(
        (
            t.participants[0].id.as_str(),
            t.participants[0].name.as_str()
        ),
        ("unknown", "Unknown speaker")
    );
    assert_eq!(t.participants[0].role, Role::Other);
    assert_eq!(turns(t).len(), 1);
    assert_eq!(turns(t)[0].start.map(|s| s.millis()), Some(1_000));
    assert_eq!(turns(t)[0].end.map(|s| s.millis()), Some(4_000));
    // The pause of a second is short: one paragraph.
    assert_eq!(text(turns(t)[0]), ["Hello. How are you?"]);
    let guessed: Vec<usize> = p
        .warnings
        .iter()
        .filter(|w| w.code == Code::SpeakerGuessed)
        .map(|w| w.line())
        .collect();
    assert_eq!(guessed, [5]);
    assert!(p.warnings.iter().any(|w| w.code == Code::LabelsMissing));
}

#[test]
fn notes_styles_regions_and_header_are_skipped() {
    let p = vtt(
        "WEBVTT - a title\nKind: captions\nLanguage: pt-BR\n\nNOTE a comment\n00:00:01.000 --> 00:00:02.000 is not a cue here\n\nSTYLE\n::cue { color: red }\n\nREGION\nid:fred\n\n00:00:01.000 --> 00:00:02.000\n<v Ann Lee>Olá.\n\nNOTE\nTRANSCRIPTION END",
    );
    let t = &p.value;
    assert_eq!(
        t.metadata.language.as_ref().map(|l| l.as_str()),
        Some("pt-BR")
    );
    assert_eq!(turns(t).len(), 1);
    assert_eq!(text(turns(t)[0]), ["Olá."]);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn styling_tags_become_emphasis_and_strong_or_are_dropped() {
    let p = vtt(
        "00:00:01.000 --> 00:00:02.000 align:left size:50%\n<v.loud Ann Lee><i>Blue</i> <b>red</b> <u>green</u> <c.yellow>gold</c> <lang fr>oui</lang> <00:00:01.500>on <script>x</script>\n",
    );
    let p0 = &turns(&p.value)[0].paragraphs[0];
    assert_eq!(
        p0[0],
        Inline::Emphasis {
            content: vec![Inline::text("Blue")]
        }
    );
    assert_eq!(
        p0[2],
        Inline::Strong {
            content: vec![Inline::text("red")]
        }
    );
    assert_eq!(
        verbatim_model::plain_text(p0),
        "Blue red green gold oui on x"
    );
}

#[test]
fn double_br_is_a_paragraph_break() {
    let p =
        vtt("00:00:01.000 --> 00:00:02.000\n<v Ann Lee>One<br>still one<br><br>Two\nstill two\n");
    assert_eq!(text(turns(&p.value)[0]), ["One still one", "Two still two"]);
}

#[test]
fn missing_header_and_final_newline_are_fine() {
    let p = vtt(
        "00:01.000 --> 00:02.000\n<v Ann Lee>Short times\n\n00:02.000 --> 00:03.000\n<v Bo Chen>no newline",
    );
    let ts = turns(&p.value);
    assert_eq!(ts.len(), 2);
    assert_eq!(text(ts[1]), ["no newline"]);
}

#[test]
fn broken_times_are_errors_with_line_and_column() {
    let e = read_vtt(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nok\n\n00:00:03.000 --> 00:0x:04.000\nbad\n",
    )
    .unwrap_err();
    assert_eq!((e.line, e.column), (6, 18));
    assert_eq!(e.kind, ErrorKind::BadTime("00:0x:04.000".into()));
    assert!(
        e.to_string()
            .starts_with("6:18: \"00:0x:04.000\" is not a cue time"),
        "{e}"
    );
    let e = read_srt("1\n00:00:01,000 -> 00:00:02,000\ntext\n").unwrap_err();
    assert_eq!((e.line, e.column), (2, 1));
    assert!(matches!(e.kind, ErrorKind::BadTiming(_)));
    let e = read_srt("1\n00:61:01,000 --> 00:00:02,000\ntext\n").unwrap_err();
    assert_eq!((e.line, e.column), (2, 1));
}

#[test]
fn srt_cues_lines_and_override_codes() {
    let p = read_srt(
        "1\r\n00:00:01,000 --> 00:00:02,500 X1:10 X2:20\r\n{\\an8}<font color=\"red\">Q:</font> Hello?\r\n\r\n2\r\n00:00:03,000 --> 00:00:04,000\r\nA: Two\r\nlines.\r\n",
    )
    .unwrap();
    let t = &p.value;
    let ts = turns(t);
    assert_eq!(ts.len(), 2);
    assert_eq!(ts[0].start.map(|s| s.millis()), Some(1_000));
    assert_eq!(text(ts[1]), ["Two lines."]);
    let roles: Vec<Role> = t.participants.iter().map(|p| p.role).collect();
    assert_eq!(roles, [Role::Interviewer, Role::Interviewee]);
}

#[test]
fn roles_come_from_who_asks() {
    let p = vtt(
        "00:00:01.000 --> 00:00:02.000\n<v Ann Lee>Why?\n\n00:00:02.000 --> 00:00:03.000\n<v Bo Chen>Because.\n\n00:00:03.000 --> 00:00:04.000\n<v Ann Lee>Really?\n",
    );
    let roles: Vec<Role> = p.value.participants.iter().map(|p| p.role).collect();
    assert_eq!(roles, [Role::Interviewer, Role::Interviewee]);
    assert!(
        p.warnings[0]
            .message
            .contains("asks 2 question(s) in 2 turn(s)")
    );
}

#[test]
fn no_cues_is_an_error_and_garbage_does_not_panic() {
    for src in [
        "",
        "WEBVTT\n",
        "WEBVTT\n\nNOTE only\n",
        "00:00:01.000 --> 00:00:02.000\n<b></b>\n",
    ] {
        assert_eq!(
            read_vtt(src).unwrap_err().kind,
            ErrorKind::NoCues,
            "{src:?}"
        );
    }
    assert_eq!(
        read_srt("just some words\n").unwrap_err().kind,
        ErrorKind::NoCues
    );
    let noise: String = (0u32..5000)
        .map(|i| char::from_u32((i * 104_729) % 0x3000 + 1).unwrap_or('<'))
        .collect();
    let _ = read_vtt(&noise);
    let _ = read_srt(&noise);
    let huge = format!(
        "00:00:01.000 --> 00:00:02.000\n<v A>{}\n",
        "<i>x&amp;[".repeat(50_000)
    );
    let _ = read_vtt(&huge);
    for s in [
        "-->",
        "0:\n-->",
        "<",
        "<v",
        "1\n-->\n",
        "00:00:01.000 -->",
        "\u{FEFF}WEBVTT\n\n-->",
    ] {
        let _ = read_vtt(s);
        let _ = read_srt(s);
    }
}

fn srt(src: &str) -> Parsed<Transcript> {
    read_srt(src).unwrap_or_else(|e| panic!("{e}"))
}

fn speakers(t: &Transcript) -> Vec<&str> {
    t.turns().map(|u| t.name_of(&u.speaker)).collect()
}

#[test]
fn a_timing_line_after_text_starts_a_cue_and_rolling_lines_are_dropped() {
    // youtube-dl: no blank line before a cue; each cue repeats the line before.
    let p = vtt(
        "WEBVTT\nKind: captions\nLanguage: en\n\n00:00:01.000 --> 00:00:01.500 align:start position:0%\nyeah\n\n00:00:01.500 --> 00:00:03.000 align:start position:0%\nyeah\n<c.colorCCCCCC>what</c>\n00:00:03.000 --> 00:00:04.000 align:start position:0%\nthis<00:00:03.200><c> will</c> happen\n\n00:00:04.000 --> 00:00:04.500 align:start position:0%\nthis will happen\n \n",
    );
    let ts = turns(&p.value);
    assert_eq!(ts.len(), 1);
    assert_eq!(text(ts[0]), ["yeah what this will happen"]);
    // The last cue only repeats, but shows the words until its end.
    assert_eq!(ts[0].end.map(|e| e.millis()), Some(4_500));
    let dropped: Vec<_> = p
        .warnings
        .iter()
        .filter(|w| w.code == Code::TextDropped)
        .collect();
    assert_eq!(dropped.len(), 1);
    assert!(
        dropped[0].message.starts_with("2 caption line(s)"),
        "{}",
        dropped[0].message
    );
    assert_eq!(dropped[0].line(), 9);
}

#[test]
fn parenthesised_labels_on_their_own_line_or_inside_a_cue() {
    let p = srt(
        "1\n00:00:01,000 --> 00:00:03,000\nThe Minister (Jane Roe):\nWe will act.\n\n2\n00:00:03,000 --> 00:00:05,000\nBob Smith (Northfield) (Lab): When?\n\n3\n00:00:05,000 --> 00:00:07,000\nThe Minister (Jane Roe): Soon.\n",
    );
    let t = &p.value;
    assert_eq!(turns(t).len(), 3);
    let people: Vec<&str> = t.participants.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(people, ["Jane Roe", "Bob Smith"]);
    assert_eq!(text(turns(t)[0]), ["We will act."]);
    // Zoom-like: `(Name)` on a line of its own, `-` between speakers in one cue.
    let p = vtt(
        "WEBVTT\n\n00:00:08.000 --> 00:00:12.000\n(Danyel Fisher)\nWhat is your\n\n00:00:12.000 --> 00:00:16.000\n(Danyel Fisher)\nbackground?\n-\n \n(Dana Bettinger)\nSafari wise\n\n00:00:16.000 --> 00:00:20.000\n(Danyel Fisher)\nJewish wise\n-\n \n(Dana Bettinger)\nor Jewish\n",
    );
    assert_eq!(
        speakers(&p.value),
        [
            "Danyel Fisher",
            "Dana Bettinger",
            "Danyel Fisher",
            "Dana Bettinger"
        ]
    );
    assert_eq!(text(turns(&p.value)[0]), ["What is your background?"]);
}

#[test]
fn overlap_voices_are_the_speaker_they_name() {
    let p = vtt(
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v S01>So I went to the</v>\n<v //S02>mm-hmm\n\n00:00:04.000 --> 00:00:06.000\n<v S01>market. //S02: right // And then\n\n00:00:06.000 --> 00:00:08.000\n<v S02>Where?\n",
    );
    let t = &p.value;
    let ids: Vec<&str> = t.participants.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["S01", "S02"], "no new person for an overlap");
    assert_eq!(speakers(t), ["S01", "S02", "S01", "S02", "S01", "S02"]);
    assert_eq!(text(turns(t)[3]), ["right"]);
    assert_eq!(text(turns(t)[4]), ["And then"]);
}

#[test]
fn a_cue_of_only_a_sound_is_a_marker_not_a_speaker() {
    let p = vtt(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n(12 seconds pause)\n\n00:00:14.000 --> 00:00:16.000\n<v Ann Lee>Where was I?\n\n00:00:16.000 --> 00:00:17.000\n(coughs)\n",
    );
    let t = &p.value;
    assert_eq!(t.participants.len(), 1, "{:?}", t.participants);
    assert!(matches!(
        t.body[0],
        verbatim_model::Block::Paragraph(ref para) if matches!(para.content.as_slice(), [Inline::Marker { kind: MarkerKind::Pause, .. }])
    ));
    let ts = turns(t);
    assert!(matches!(
        ts[0].paragraphs[0].last(),
        Some(Inline::Marker {
            kind: MarkerKind::Vocal,
            ..
        })
    ));
}

#[test]
fn unknown_tags_are_kept_with_a_warning() {
    let p =
        vtt("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Ann Lee>And then <mmm> we left. <yeah>\n");
    let ts = turns(&p.value);
    let markers: Vec<&str> = ts[0].paragraphs[0]
        .iter()
        .filter_map(|i| match i {
            Inline::Marker { desc, .. } => Some(desc.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(markers, ["mmm", "yeah"]);
    let warned: Vec<(usize, usize)> = p
        .warnings
        .iter()
        .filter(|w| w.code == Code::MarkupSimplified)
        .map(|w| (w.line(), w.column()))
        .collect();
    assert_eq!(warned, [(4, 21), (4, 36)]);
}

#[test]
fn sdh_speaker_tags_and_dialogue_dashes_change_speakers() {
    let p = srt(
        "1\n00:00:01,000 --> 00:00:03,000\n[MARIA] Where were you?\n\n2\n00:00:03,000 --> 00:00:05,000\n[JOHN] At the market.\n[DOOR SLAMS]\n\n3\n00:00:05,000 --> 00:00:07,000\n- With whom?\n- Alone.\n\n4\n00:00:07,000 --> 00:00:09,000\n[MARIA] Really?\n",
    );
    let t = &p.value;
    let names: Vec<&str> = t.participants.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Maria", "John"]);
    assert_eq!(speakers(t), ["Maria", "John", "Maria", "John", "Maria"]);
    // The dashes' speakers are guesses, said at their lines.
    let guessed: Vec<usize> = p
        .warnings
        .iter()
        .filter(|w| w.code == Code::SpeakerGuessed)
        .map(|w| w.line())
        .collect();
    assert_eq!(guessed, [12, 13]);
    // The sound stays in John's turn, as a marker.
    assert!(matches!(
        turns(t)[1].paragraphs[0].last(),
        Some(Inline::Marker { .. })
    ));
}

#[test]
fn paragraphs_split_at_long_pauses_and_keep_cue_ends() {
    let p = vtt(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ann Lee>One\n\n00:00:02.100 --> 00:00:03.000\n<v Ann Lee>two.\n\n00:00:06.000 --> 00:00:07.500\n<v Ann Lee>Three.\n\n00:00:08.000 --> 00:00:09.000\n<v Bo Chen>Four.\n",
    );
    let ts = turns(&p.value);
    assert_eq!(text(ts[0]), ["One two.", "Three."]);
    assert_eq!(ts[0].end.map(|e| e.millis()), Some(7_500));
    assert_eq!(ts[1].end.map(|e| e.millis()), Some(9_000));
}
