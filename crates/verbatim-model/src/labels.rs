//! The words Verbatim prints itself (role labels, "Contents", "continued", dates) in the
//! transcript's language. Month names and date patterns follow CLDR's long date format,
//! with Latin digits.

use crate::{Code, Diagnostic, IsoDate, LanguageTag, MONTHS_EN, Role};

/// One language's labels.
#[derive(Debug, PartialEq, Eq)]
pub struct Labels {
    /// The language's primary subtag.
    pub language: &'static str,
    pub interviewer: &'static str,
    pub interviewee: &'static str,
    pub participant: &'static str,
    pub interviewers: &'static str,
    pub interviewees: &'static str,
    pub participants: &'static str,
    pub place: &'static str,
    pub publisher: &'static str,
    /// The plain-text header's further field names.
    pub language_field: &'static str,
    pub source: &'static str,
    pub rights: &'static str,
    pub identifier: &'static str,
    pub keywords: &'static str,
    /// A transcript without a title, a section without a heading, a cover's alt
    /// text (`{t}` is the title).
    pub untitled: &'static str,
    pub untitled_section: &'static str,
    pub cover_of: &'static str,
    pub contents: &'static str,
    pub title_page: &'static str,
    /// The EPUB's documents: what comes before the interview, the interview, after it.
    pub introduction: &'static str,
    pub interview: &'static str,
    pub back_matter: &'static str,
    pub cover: &'static str,
    pub date: &'static str,
    /// After a speaker's name on a turn carried over a heading.
    pub continued: &'static str,
    pub page: &'static str,
    /// Month names as they stand in a full date (genitive where the language inflects).
    pub months: [&'static str; 12],
    /// Month names standing alone, as in a month and year.
    pub months_alone: [&'static str; 12],
    /// A full date: `{d}`, `{m}` and `{y}` are the day, the month and the year.
    pub day_month_year: &'static str,
    /// A month and year.
    pub month_year: &'static str,
}

const FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
const IT: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];
const PT: [&str; 12] = [
    "janeiro",
    "fevereiro",
    "março",
    "abril",
    "maio",
    "junho",
    "julho",
    "agosto",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
];
const NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
const HE: [&str; 12] = [
    "ינואר",
    "פברואר",
    "מרץ",
    "אפריל",
    "מאי",
    "יוני",
    "יולי",
    "אוגוסט",
    "ספטמבר",
    "אוקטובר",
    "נובמבר",
    "דצמבר",
];
const AR: [&str; 12] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];

/// English, and the fallback for a language without a table.
pub const ENGLISH: Labels = Labels {
    language: "en",
    interviewer: "Interviewer",
    interviewee: "Interviewee",
    participant: "Participant",
    interviewers: "Interviewers",
    interviewees: "Interviewees",
    participants: "Participants",
    place: "Place",
    publisher: "Publisher",
    language_field: "Language",
    source: "Source",
    rights: "Rights",
    identifier: "Identifier",
    keywords: "Keywords",
    untitled: "Untitled transcript",
    untitled_section: "Untitled section",
    cover_of: "Cover of {t}",
    contents: "Contents",
    title_page: "Title page",
    introduction: "Introduction",
    interview: "Interview",
    back_matter: "Back matter",
    cover: "Cover",
    date: "Date",
    continued: "continued",
    page: "Page",
    months: MONTHS_EN,
    months_alone: MONTHS_EN,
    day_month_year: "{d} {m} {y}",
    month_year: "{m} {y}",
};

/// Every language with a table, English first.
pub const LANGUAGES: [Labels; 12] = [
    ENGLISH,
    Labels {
        language: "fr",
        interviewer: "Intervieweur",
        interviewee: "Personne interviewée",
        participant: "Participant",
        interviewers: "Intervieweurs",
        interviewees: "Personnes interviewées",
        participants: "Participants",
        place: "Lieu",
        publisher: "Éditeur",
        language_field: "Langue",
        source: "Source",
        rights: "Droits",
        identifier: "Identifiant",
        keywords: "Mots-clés",
        untitled: "Transcription sans titre",
        untitled_section: "Section sans titre",
        cover_of: "Couverture de {t}",
        contents: "Table des matières",
        title_page: "Page de titre",
        introduction: "Introduction",
        interview: "Entretien",
        back_matter: "Annexes",
        cover: "Couverture",
        date: "Date",
        continued: "suite",
        page: "Page",
        months: FR,
        months_alone: FR,
        day_month_year: "{d} {m} {y}",
        month_year: "{m} {y}",
    },
    Labels {
        language: "de",
        interviewer: "Interviewer",
        interviewee: "Befragte Person",
        participant: "Teilnehmer",
        interviewers: "Interviewer",
        interviewees: "Befragte Personen",
        participants: "Teilnehmer",
        place: "Ort",
        publisher: "Verlag",
        language_field: "Sprache",
        source: "Quelle",
        rights: "Rechte",
        identifier: "Kennung",
        keywords: "Schlagwörter",
        untitled: "Transkript ohne Titel",
        untitled_section: "Abschnitt ohne Titel",
        cover_of: "Umschlag: {t}",
        contents: "Inhalt",
        title_page: "Titelseite",
        introduction: "Einleitung",
        interview: "Interview",
        back_matter: "Anhang",
        cover: "Umschlag",
        date: "Datum",
        continued: "Fortsetzung",
        page: "Seite",
        months: DE,
        months_alone: DE,
        day_month_year: "{d}. {m} {y}",
        month_year: "{m} {y}",
    },
    Labels {
        language: "es",
        interviewer: "Entrevistador",
        interviewee: "Entrevistado",
        participant: "Participante",
        interviewers: "Entrevistadores",
        interviewees: "Entrevistados",
        participants: "Participantes",
        place: "Lugar",
        publisher: "Editorial",
        language_field: "Idioma",
        source: "Fuente",
        rights: "Derechos",
        identifier: "Identificador",
        keywords: "Palabras clave",
        untitled: "Transcripción sin título",
        untitled_section: "Sección sin título",
        cover_of: "Portada de {t}",
        contents: "Índice",
        title_page: "Portada",
        introduction: "Introducción",
        interview: "Entrevista",
        back_matter: "Apéndices",
        cover: "Cubierta",
        date: "Fecha",
        continued: "continuación",
        page: "Página",
        months: ES,
        months_alone: ES,
        day_month_year: "{d} de {m} de {y}",
        month_year: "{m} de {y}",
    },
    Labels {
        language: "it",
        interviewer: "Intervistatore",
        interviewee: "Intervistato",
        participant: "Partecipante",
        interviewers: "Intervistatori",
        interviewees: "Intervistati",
        participants: "Partecipanti",
        place: "Luogo",
        publisher: "Editore",
        language_field: "Lingua",
        source: "Fonte",
        rights: "Diritti",
        identifier: "Identificativo",
        keywords: "Parole chiave",
        untitled: "Trascrizione senza titolo",
        untitled_section: "Sezione senza titolo",
        cover_of: "Copertina di {t}",
        contents: "Indice",
        title_page: "Frontespizio",
        introduction: "Introduzione",
        interview: "Intervista",
        back_matter: "Appendici",
        cover: "Copertina",
        date: "Data",
        continued: "continua",
        page: "Pagina",
        months: IT,
        months_alone: IT,
        day_month_year: "{d} {m} {y}",
        month_year: "{m} {y}",
    },
    Labels {
        language: "pt",
        interviewer: "Entrevistador",
        interviewee: "Entrevistado",
        participant: "Participante",
        interviewers: "Entrevistadores",
        interviewees: "Entrevistados",
        participants: "Participantes",
        place: "Local",
        publisher: "Editora",
        language_field: "Idioma",
        source: "Fonte",
        rights: "Direitos",
        identifier: "Identificador",
        keywords: "Palavras-chave",
        untitled: "Transcrição sem título",
        untitled_section: "Seção sem título",
        cover_of: "Capa de {t}",
        contents: "Sumário",
        title_page: "Folha de rosto",
        introduction: "Introdução",
        interview: "Entrevista",
        back_matter: "Apêndices",
        cover: "Capa",
        date: "Data",
        continued: "continuação",
        page: "Página",
        months: PT,
        months_alone: PT,
        day_month_year: "{d} de {m} de {y}",
        month_year: "{m} de {y}",
    },
    Labels {
        language: "nl",
        interviewer: "Interviewer",
        interviewee: "Geïnterviewde",
        participant: "Deelnemer",
        interviewers: "Interviewers",
        interviewees: "Geïnterviewden",
        participants: "Deelnemers",
        place: "Plaats",
        publisher: "Uitgever",
        language_field: "Taal",
        source: "Bron",
        rights: "Rechten",
        identifier: "Identificatie",
        keywords: "Trefwoorden",
        untitled: "Transcript zonder titel",
        untitled_section: "Sectie zonder titel",
        cover_of: "Omslag van {t}",
        contents: "Inhoud",
        title_page: "Titelpagina",
        introduction: "Inleiding",
        interview: "Interview",
        back_matter: "Bijlagen",
        cover: "Omslag",
        date: "Datum",
        continued: "vervolg",
        page: "Pagina",
        months: NL,
        months_alone: NL,
        day_month_year: "{d} {m} {y}",
        month_year: "{m} {y}",
    },
    Labels {
        language: "ru",
        interviewer: "Интервьюер",
        interviewee: "Респондент",
        participant: "Участник",
        interviewers: "Интервьюеры",
        interviewees: "Респонденты",
        participants: "Участники",
        place: "Место",
        publisher: "Издатель",
        language_field: "Язык",
        source: "Источник",
        rights: "Права",
        identifier: "Идентификатор",
        keywords: "Ключевые слова",
        untitled: "Расшифровка без названия",
        untitled_section: "Раздел без названия",
        cover_of: "Обложка: {t}",
        contents: "Содержание",
        title_page: "Титульный лист",
        introduction: "Введение",
        interview: "Интервью",
        back_matter: "Приложения",
        cover: "Обложка",
        date: "Дата",
        continued: "продолжение",
        page: "Страница",
        months: [
            "января",
            "февраля",
            "марта",
            "апреля",
            "мая",
            "июня",
            "июля",
            "августа",
            "сентября",
            "октября",
            "ноября",
            "декабря",
        ],
        months_alone: [
            "январь",
            "февраль",
            "март",
            "апрель",
            "май",
            "июнь",
            "июль",
            "август",
            "сентябрь",
            "октябрь",
            "ноябрь",
            "декабрь",
        ],
        day_month_year: "{d} {m} {y} г.",
        month_year: "{m} {y} г.",
    },
    Labels {
        language: "uk",
        interviewer: "Інтерв’юер",
        interviewee: "Респондент",
        participant: "Учасник",
        interviewers: "Інтерв’юери",
        interviewees: "Респонденти",
        participants: "Учасники",
        place: "Місце",
        publisher: "Видавець",
        language_field: "Мова",
        source: "Джерело",
        rights: "Права",
        identifier: "Ідентифікатор",
        keywords: "Ключові слова",
        untitled: "Розшифровка без назви",
        untitled_section: "Розділ без назви",
        cover_of: "Обкладинка: {t}",
        contents: "Зміст",
        title_page: "Титульна сторінка",
        introduction: "Вступ",
        interview: "Інтерв’ю",
        back_matter: "Додатки",
        cover: "Обкладинка",
        date: "Дата",
        continued: "продовження",
        page: "Сторінка",
        months: [
            "січня",
            "лютого",
            "березня",
            "квітня",
            "травня",
            "червня",
            "липня",
            "серпня",
            "вересня",
            "жовтня",
            "листопада",
            "грудня",
        ],
        months_alone: [
            "січень",
            "лютий",
            "березень",
            "квітень",
            "травень",
            "червень",
            "липень",
            "серпень",
            "вересень",
            "жовтень",
            "листопад",
            "грудень",
        ],
        day_month_year: "{d} {m} {y} р.",
        month_year: "{m} {y} р.",
    },
    Labels {
        language: "pl",
        interviewer: "Prowadzący wywiad",
        interviewee: "Rozmówca",
        participant: "Uczestnik",
        interviewers: "Prowadzący wywiad",
        interviewees: "Rozmówcy",
        participants: "Uczestnicy",
        place: "Miejsce",
        publisher: "Wydawca",
        language_field: "Język",
        source: "Źródło",
        rights: "Prawa",
        identifier: "Identyfikator",
        keywords: "Słowa kluczowe",
        untitled: "Transkrypcja bez tytułu",
        untitled_section: "Sekcja bez tytułu",
        cover_of: "Okładka: {t}",
        contents: "Spis treści",
        title_page: "Strona tytułowa",
        introduction: "Wstęp",
        interview: "Wywiad",
        back_matter: "Aneksy",
        cover: "Okładka",
        date: "Data",
        continued: "ciąg dalszy",
        page: "Strona",
        months: [
            "stycznia",
            "lutego",
            "marca",
            "kwietnia",
            "maja",
            "czerwca",
            "lipca",
            "sierpnia",
            "września",
            "października",
            "listopada",
            "grudnia",
        ],
        months_alone: [
            "styczeń",
            "luty",
            "marzec",
            "kwiecień",
            "maj",
            "czerwiec",
            "lipiec",
            "sierpień",
            "wrzesień",
            "październik",
            "listopad",
            "grudzień",
        ],
        day_month_year: "{d} {m} {y}",
        month_year: "{m} {y}",
    },
    Labels {
        language: "he",
        interviewer: "מראיין",
        interviewee: "מרואיין",
        participant: "משתתף",
        interviewers: "מראיינים",
        interviewees: "מרואיינים",
        participants: "משתתפים",
        place: "מקום",
        publisher: "הוצאה לאור",
        language_field: "שפה",
        source: "מקור",
        rights: "זכויות",
        identifier: "מזהה",
        keywords: "מילות מפתח",
        untitled: "תמליל ללא כותרת",
        untitled_section: "פרק ללא כותרת",
        cover_of: "כריכה: {t}",
        contents: "תוכן העניינים",
        title_page: "עמוד שער",
        introduction: "מבוא",
        interview: "ראיון",
        back_matter: "נספחים",
        cover: "כריכה",
        date: "תאריך",
        continued: "המשך",
        page: "עמוד",
        months: HE,
        months_alone: HE,
        day_month_year: "{d} ב{m} {y}",
        month_year: "{m} {y}",
    },
    Labels {
        language: "ar",
        interviewer: "المحاور",
        interviewee: "الضيف",
        participant: "مشارك",
        interviewers: "المحاورون",
        interviewees: "الضيوف",
        participants: "المشاركون",
        place: "المكان",
        publisher: "الناشر",
        language_field: "اللغة",
        source: "المصدر",
        rights: "الحقوق",
        identifier: "المعرّف",
        keywords: "الكلمات المفتاحية",
        untitled: "نص بلا عنوان",
        untitled_section: "قسم بلا عنوان",
        cover_of: "غلاف: {t}",
        contents: "المحتويات",
        title_page: "صفحة العنوان",
        introduction: "مقدمة",
        interview: "المقابلة",
        back_matter: "ملاحق",
        cover: "الغلاف",
        date: "التاريخ",
        continued: "تابع",
        page: "صفحة",
        months: AR,
        months_alone: AR,
        day_month_year: "{d} {m} {y}",
        month_year: "{m} {y}",
    },
];

impl Labels {
    /// The table for a language, by its primary subtag; None for a language without one.
    pub fn of(language: &LanguageTag) -> Option<&'static Labels> {
        let primary = language.primary();
        LANGUAGES.iter().find(|l| l.language == primary)
    }

    /// The labels a transcript is printed with: its language's, else English (with no
    /// language, or one without a table: [`Labels::of`] tells which).
    pub fn for_transcript(language: Option<&LanguageTag>) -> &'static Labels {
        language.and_then(Labels::of).unwrap_or(&LANGUAGES[0])
    }

    /// The warning a writer that prints labels gives for a language without a table.
    pub fn english_warning(language: Option<&LanguageTag>) -> Option<Diagnostic> {
        let l = language?;
        if Labels::of(l).is_some() {
            return None;
        }
        Some(Diagnostic::note(
            Code::LabelsEnglish,
            format!(
                "no labels in {l}: Verbatim's own words (Interviewer, Contents, continued) are \
                 printed in English, marked as English, and dates as YYYY-MM-DD"
            ),
        ))
    }

    /// Whether these are the English labels.
    pub fn is_english(&self) -> bool {
        self.language == "en"
    }

    /// A role's label.
    pub fn role(&self, role: Role) -> &'static str {
        match role {
            Role::Interviewer => self.interviewer,
            Role::Interviewee => self.interviewee,
            Role::Other => self.participant,
        }
    }

    /// A role's label for more than one person.
    pub fn role_plural(&self, role: Role) -> &'static str {
        match role {
            Role::Interviewer => self.interviewers,
            Role::Interviewee => self.interviewees,
            Role::Other => self.participants,
        }
    }

    /// A date in words: `28 janvier 2020`, `28. Januar 2020`, `январь 2020 г.`, `2020`.
    pub fn date(&self, d: IsoDate) -> String {
        let month = |names: &[&'static str; 12], m: u8| names[usize::from(m.clamp(1, 12) - 1)];
        // CLDR's `y`: the year as it is written, not padded to four digits.
        let year = d.year().to_string();
        match (d.month(), d.day()) {
            (Some(m), Some(day)) => self
                .day_month_year
                .replace("{d}", &day.to_string())
                .replace("{m}", month(&self.months, m))
                .replace("{y}", &year),
            (Some(m), None) => self
                .month_year
                .replace("{m}", month(&self.months_alone, m))
                .replace("{y}", &year),
            _ => year,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(s: &str) -> LanguageTag {
        s.parse().unwrap()
    }

    #[test]
    fn every_language_the_table_promises() {
        for code in [
            "en", "fr", "de", "es", "it", "pt", "nl", "ru", "uk", "pl", "he", "ar",
        ] {
            let l = Labels::of(&tag(code)).unwrap_or_else(|| panic!("{code}"));
            assert_eq!(l.language, code);
            for name in l.months.iter().chain(&l.months_alone) {
                assert!(
                    !name.is_empty() && name.chars().all(char::is_alphabetic),
                    "{name}"
                );
            }
        }
        assert_eq!(
            Labels::of(&tag("fr-CA")).unwrap().contents,
            "Table des matières"
        );
        assert!(Labels::of(&tag("ja")).is_none());
        assert!(Labels::for_transcript(Some(&tag("ja"))).is_english());
        assert!(Labels::for_transcript(None).is_english());
        let w = Labels::english_warning(Some(&tag("ja"))).unwrap();
        assert_eq!(w.code, Code::LabelsEnglish);
        assert!(w.message.contains("no labels in ja"), "{}", w.message);
        assert!(Labels::english_warning(Some(&tag("de-AT"))).is_none());
        assert!(Labels::english_warning(None).is_none());
    }

    #[test]
    fn dates_in_words() {
        let d = |s: &str| s.parse::<IsoDate>().unwrap();
        let of = |code: &str| Labels::of(&tag(code)).unwrap();
        assert_eq!(of("en").date(d("2020-01-28")), "28 January 2020");
        assert_eq!(of("fr").date(d("2020-01-28")), "28 janvier 2020");
        assert_eq!(of("de").date(d("2020-03-02")), "2. März 2020");
        assert_eq!(of("es").date(d("2020-08")), "agosto de 2020");
        assert_eq!(of("ru").date(d("2021-03-02")), "2 марта 2021 г.");
        assert_eq!(of("ru").date(d("2021-03")), "март 2021 г.");
        assert_eq!(of("pl").date(d("1998-05-12")), "12 maja 1998");
        assert_eq!(of("he").date(d("2020-01-28")), "28 בינואר 2020");
        assert_eq!(of("it").date(d("1998")), "1998");
        assert_eq!(of("fr").date(d("0950-03")), "mars 950");
        assert_eq!(d("0950-03-01").long_en(), "1 March 950");
    }
}
