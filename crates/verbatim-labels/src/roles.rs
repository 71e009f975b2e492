//! Roles: from what speakers say of themselves, and guessed from who asks the questions.

use verbatim_model::{Inline, Role};

/// How one speaker talks, for [`guess`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Turns spoken.
    pub turns: usize,
    /// Turns that end in a question mark.
    pub questions: usize,
    /// The role when it is already known.
    pub role: Option<Role>,
}

/// Whether inline content ends in a question (closing quotes and brackets looked through).
pub fn ends_with_question(list: &[Inline]) -> bool {
    let s = verbatim_model::plain_text(list);
    s.trim_end()
        .trim_end_matches(['"', '\'', '”', '’', ')', ']', '»', ' '])
        .ends_with('?')
}

/// Roles for speakers whose role is unknown, with the reason for each: the
/// one who asks most (at least every other turn a question) is the
/// interviewer when there is none yet; of two speakers, when one role is
/// known, the other has the other role.
pub fn guess(stats: &[Stats]) -> Vec<(usize, Role, String)> {
    let mut roles: Vec<Option<Role>> = stats.iter().map(|s| s.role).collect();
    let mut out = Vec::new();
    let speakers: Vec<usize> = (0..stats.len()).filter(|&i| stats[i].turns > 0).collect();
    if !speakers
        .iter()
        .any(|&i| roles[i] == Some(Role::Interviewer))
    {
        let best = speakers
            .iter()
            .copied()
            .filter(|&i| roles[i].is_none() && stats[i].questions > 0)
            .max_by(|&x, &y| {
                (stats[x].questions * stats[y].turns)
                    .cmp(&(stats[y].questions * stats[x].turns))
                    .then(y.cmp(&x))
            });
        if let Some(i) = best
            && stats[i].questions * 2 >= stats[i].turns
        {
            roles[i] = Some(Role::Interviewer);
            out.push((
                i,
                Role::Interviewer,
                format!(
                    "asks {} question(s) in {} turn(s)",
                    stats[i].questions, stats[i].turns
                ),
            ));
        }
    }
    let unknown: Vec<usize> = speakers
        .iter()
        .copied()
        .filter(|&i| roles[i].is_none())
        .collect();
    let known: Vec<Role> = speakers.iter().filter_map(|&i| roles[i]).collect();
    if let [i] = unknown.as_slice() {
        let role = if known.contains(&Role::Interviewer) && !known.contains(&Role::Interviewee) {
            Some(Role::Interviewee)
        } else if known.contains(&Role::Interviewee) && !known.contains(&Role::Interviewer) {
            Some(Role::Interviewer)
        } else {
            None
        };
        if let Some(role) = role {
            out.push((*i, role, "the other speaker's role is known".to_string()));
        }
    }
    out
}

/// What a speaker says of their part in their first words: `I'm a student interviewer`,
/// `My name is David Caruso. I am interviewing…`, `This is Ruth Okafor interviewing Maria
/// Lopes`, `We are conducting … an oral history interview with Dr. André Isaacs`. Gives
/// the phrase that says so and the interviewee named, if any.
pub fn self_described(text: &str) -> Option<(&'static str, Option<String>)> {
    let lower = text.to_lowercase().replace('’', "'");
    const INTERVIEWER: &[&str] = &[
        "i'm a student interviewer",
        "i am a student interviewer",
        "i'm the interviewer",
        "i am the interviewer",
        "i'm interviewing",
        "i am interviewing",
        "i'll be interviewing",
        "i will be interviewing",
        "i'm an interviewer",
        "i am an interviewer",
    ];
    // "conducting" only with an interview after it: "we are conducting the first session
    // of an oral history interview".
    const CONDUCTING: &[&str] = &[
        "i'm conducting",
        "i am conducting",
        "we are conducting",
        "we're conducting",
    ];
    let conducting = CONDUCTING.iter().find(|p| {
        lower.find(*p).is_some_and(|i| {
            lower[i..]
                .chars()
                .take(80)
                .collect::<String>()
                .contains("interview")
        })
    });
    let phrase = INTERVIEWER
        .iter()
        .find(|p| lower.contains(*p))
        .or(conducting)?;
    // The interviewee named after "interviewing" or "interview with".
    let named = ["interviewing ", "interview with "].iter().find_map(|k| {
        let i = lower.find(k)? + k.len();
        let rest = &text[text
            .char_indices()
            .nth(lower[..i].chars().count())
            .map_or(text.len(), |(b, _)| b)..];
        let words: Vec<&str> = rest
            .split_whitespace()
            .take_while(|w| {
                let w = w.trim_end_matches([',', '.', ';']);
                w.chars().next().is_some_and(|c| c.is_uppercase())
                    || matches!(w, "de" | "van" | "von" | "da")
            })
            .take(5)
            .collect();
        let name = words
            .join(" ")
            .trim_end_matches([',', '.', ';'])
            .to_string();
        (name.split_whitespace().count() >= 2).then_some(name)
    });
    Some((phrase, named))
}

/// The name a speaker gives themselves: `This is Hanna Solomon.`, `My name is Sarah
/// Schneider and …`, `I'm Adam Garrett-Harris`: two to four capitalised words.
pub fn self_named(text: &str) -> Option<String> {
    let lower = text.to_lowercase().replace('’', "'");
    let keys = ["this is ", "my name is ", "i'm ", "i am "];
    let mut at: Vec<usize> = keys
        .iter()
        .flat_map(|k| lower.match_indices(k).map(|(i, k)| i + k.len()))
        .collect();
    at.sort_unstable();
    at.into_iter().find_map(|i| {
        let start = text.char_indices().nth(lower[..i].chars().count())?.0;
        let mut words: Vec<&str> = Vec::new();
        let mut ended = true;
        for w in text[start..].split_whitespace() {
            if !w.chars().next().is_some_and(char::is_uppercase) {
                break;
            }
            if words.len() == 4 {
                ended = false;
                break;
            }
            words.push(w);
            if w.ends_with([',', '.', ';']) {
                break;
            }
        }
        let name = words
            .join(" ")
            .trim_end_matches([',', '.', ';'])
            .to_string();
        (words.len() >= 2 && ended).then_some(name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(turns: usize, questions: usize, role: Option<Role>) -> Stats {
        Stats {
            turns,
            questions,
            role,
        }
    }

    #[test]
    fn the_asker_interviews_and_the_other_answers() {
        let g = guess(&[s(3, 3, None), s(3, 0, None)]);
        assert_eq!(
            g.iter().map(|g| (g.0, g.1)).collect::<Vec<_>>(),
            [(0, Role::Interviewer), (1, Role::Interviewee)]
        );
        let g = guess(&[s(3, 0, None), s(3, 1, Some(Role::Interviewee))]);
        assert_eq!(
            g.iter().map(|g| (g.0, g.1)).collect::<Vec<_>>(),
            [(0, Role::Interviewer)]
        );
        assert!(guess(&[s(4, 1, None), s(4, 1, None), s(2, 0, None)]).is_empty());
        assert!(ends_with_question(&[Inline::text("Really?” ")]));
    }

    #[test]
    fn speakers_say_what_they_are() {
        let (p, n) = self_described("Hello. This is Hanna Solomon. I’m a student interviewer with the Dartmouth Vietnam Project").unwrap();
        assert_eq!((p, n), ("i'm a student interviewer", None));
        let (_, n) = self_described(
            "We are conducting the first session of an oral history interview with Dr. André Isaacs online.",
        )
        .unwrap();
        assert_eq!(n.as_deref(), Some("Dr. André Isaacs"));
        let (_, n) =
            self_described("My name is David Caruso. I am interviewing Maria Lopes today.")
                .unwrap();
        assert_eq!(n.as_deref(), Some("Maria Lopes"));
        assert_eq!(self_described("I was interviewing for a job then."), None);
        assert_eq!(self_described("I am conducting research on bees."), None);
        assert_eq!(
            self_named("Hello. This is Hanna Solomon. I’m a student").as_deref(),
            Some("Hanna Solomon")
        );
        assert_eq!(
            self_named("So today is Monday. My name is Sarah Schneider and I am joined by")
                .as_deref(),
            Some("Sarah Schneider")
        );
        assert_eq!(
            self_named("I’m Adam Garrett-Harris, and as usual").as_deref(),
            Some("Adam Garrett-Harris")
        );
        assert_eq!(self_named("This is the Science History Institute"), None);
        assert_eq!(
            self_named("So this is the second session. My name is David Caruso. I am").as_deref(),
            Some("David Caruso")
        );
    }
}
