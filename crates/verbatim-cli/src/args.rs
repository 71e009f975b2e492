use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use verbatim::OutputFormat;

use crate::Usage;

const AFTER_HELP: &str = "\
Examples:
  verbatim convert interview.md
      TEI, EPUB, PDF, text and JSON beside the source
  verbatim convert interview.md -o interview.epub
      one EPUB
  verbatim convert interview.md -t all -o out/
      the five forms into out/ (interview.tei.xml, interview.epub, …)
  verbatim convert interview.md -t txt -o -
      plain text to standard output (also without -o when it is a pipe)
  cat interview.md | verbatim convert -t json -o interview.json
  verbatim convert archive/ -t tei,pdf -o converted/ --report report.json
      a whole tree, in parallel, mirrored under converted/
  verbatim check *.md
      report problems and guesses without writing anything

Exit status: 0 when every input converted, 1 when any input failed, 2 on usage errors.
SOURCE_DATE_EPOCH sets the date formats need when the transcript has none.";

/// Convert interview transcripts to TEI, EPUB, PDF, plain text and JSON.
#[derive(Parser, Debug)]
#[command(
    name = "verbatim",
    version,
    after_help = AFTER_HELP,
    propagate_version = true,
    arg_required_else_help = true,
    args_conflicts_with_subcommands = true,
    // A defaults file's options come first; the ones typed after them win.
    args_override_self = true
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Print the input formats, one per line (name, extensions, what it is), and exit.
    #[arg(long, exclusive = true)]
    pub list_input_formats: bool,
    /// Print the output formats, one per line (name, extension, what it is), and exit.
    #[arg(long, exclusive = true)]
    pub list_output_formats: bool,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Convert transcripts to one or more formats.
    #[command(after_help = AFTER_HELP)]
    Convert(Box<ConvertArgs>),
    /// Combine transcripts into one book: each a part with its own title page and
    /// contents entry, the people of every part listed together.
    #[command(after_help = BOOK_HELP)]
    Book(Box<BookArgs>),
    /// Read transcripts, report errors and guesses, and sum up each: nothing is written.
    Check(Box<InputArgs>),
    /// Join `convert --report` files (the shards of a split) into one report, checking
    /// that every shard is there once.
    MergeReports {
        /// The reports.
        #[arg(required = true)]
        reports: Vec<PathBuf>,
        /// Write the joined report here instead of to standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Print the JSON Schema of the JSON format.
    Schema,
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), for `man -l -` or a `man1` directory.
    Man,
}

#[derive(Args, Debug)]
pub(crate) struct InputArgs {
    /// Input files or directories (searched recursively for known formats);
    /// `-`, or no input when standard input is not a terminal, reads standard input.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// In directories, take only files whose path below the directory matches
    /// this glob (repeatable), such as `**/*.md`.
    #[arg(long, value_name = "GLOB")]
    pub glob: Vec<String>,
    /// Follow symbolic links in input directories, also out of the tree.
    #[arg(long)]
    pub follow_links: bool,
    /// Refuse inputs larger than this (bytes; K, M and G suffixes allowed).
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = parse_size)]
    pub max_input_size: u64,
    /// Refuse text inputs with a line longer than this (bytes; K, M, G allowed).
    #[arg(long, value_name = "SIZE", default_value = "16M", value_parser = parse_size)]
    pub max_line_length: u64,
    /// Refuse transcripts that declare more participants than this.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub max_participants: usize,
    /// Input format (md, json, tei, ohms, vtt, srt, docx, txt); by default told by each
    /// file's extension, then by its content.
    #[arg(short, long, value_name = "FORMAT")]
    pub from: Option<String>,
    /// Read text inputs in this encoding (such as windows-1252, iso-8859-2,
    /// utf-16le) instead of telling it from the bytes.
    #[arg(long, value_name = "NAME", value_parser = parse_encoding)]
    pub encoding: Option<String>,
    /// Who a label is: `SPEAKER_00=Ruth Okafor:interviewer` (name, and optionally
    /// role: interviewer, interviewee or other). Repeatable; the label is then
    /// always a speaker.
    #[arg(long = "speaker", value_name = "LABEL=NAME[:ROLE]", value_parser = parse_speaker)]
    pub speaker: Vec<verbatim::model::SpeakerEntry>,
    /// A YAML file of speakers: each label mapped to a name, or to `name`, `role`
    /// and `aliases`.
    #[arg(long, value_name = "FILE")]
    pub speakers: Option<PathBuf>,
    /// Show at most this many warnings per file; the rest are counted.
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,
    /// Exit with status 1 when any input has a warning.
    #[arg(long)]
    pub fail_if_warnings: bool,
    /// Print no warnings, only errors (and the failed files at the end).
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print each file read and written.
    #[arg(short, long)]
    pub verbose: bool,
    /// A YAML file of defaults: the long options as keys (`to: [tei, pdf]`, `width:
    /// 60`, `metadata: {publisher: …}`); what is typed wins. Without it, a
    /// `verbatim.yaml` in the first input's folder is used.
    #[arg(short, long, value_name = "FILE")]
    pub defaults: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub(crate) struct ConvertArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output formats, comma-separated: json, txt, tei, epub, pdf, md; or `all` (tei,
    /// epub, pdf, txt and json, never the input's own format). Without it, the format
    /// of `-o FILE`'s extension, else all.
    #[arg(short, long, value_name = "FORMATS")]
    pub to: Option<String>,
    /// Output file (one input, one format), directory, or `-` for standard output.
    /// Without it, outputs go beside each input.
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Set a metadata field, over what the transcript says (repeatable): title,
    /// subtitle, date, lang, publisher, source, rights, identifier, description (or
    /// abstract), keywords (or subject, comma-separated), place.
    #[arg(short = 'M', long = "metadata", value_name = "KEY=VALUE", value_parser = parse_metadata)]
    pub metadata: Vec<(String, String)>,
    #[command(flatten)]
    pub write: WriteArgs,
    /// Convert this many files at once (default: one per core).
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Stop at the first input that fails.
    #[arg(long)]
    pub fail_fast: bool,
    /// Skip inputs whose outputs all exist and are newer than the input (and rewrite
    /// the outputs of the others).
    #[arg(long)]
    pub skip_existing: bool,
    /// Rewrite outputs that an earlier run wrote from the same input (never other
    /// files, never an input).
    #[arg(long)]
    pub force: bool,
    /// Write a JSON report: one record per input with status, outputs (size,
    /// SHA-256), warnings and error.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Convert only shard K (from 0) of N: a stable split of the inputs by their output
    /// paths, so that N machines (a Slurm job array, a Kubernetes indexed Job) each
    /// convert their share into the same output tree. `merge-reports` joins the shards'
    /// reports.
    #[arg(long, value_name = "K/N", value_parser = crate::shard::parse)]
    pub shard: Option<crate::shard::Shard>,
}

const BOOK_HELP: &str = "\
The parts come in the order the inputs are named; a folder's transcripts in the order
of their paths. The book's metadata comes from book.yaml in the first input's folder
(or --book-metadata FILE; the keys of -M), then from -M. Without a title the book is
named after its output file, with a warning.

Examples:
  verbatim book interviews/ -t epub,pdf -o anthology.epub -M title='Cannery Voices'
      anthology.epub and anthology.pdf
  verbatim book one.md two.md --toc -o book.pdf";

/// `verbatim book`.
#[derive(Args, Debug)]
pub(crate) struct BookArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output formats, comma-separated (see --list-output-formats). Without it, the
    /// format of -o's extension, else epub and pdf.
    #[arg(short, long, value_name = "FORMATS")]
    pub to: Option<String>,
    /// The book's file. With several formats each gets the name with its own extension
    /// (-o anthology.epub -t epub,pdf writes anthology.epub and anthology.pdf).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Set a metadata field of the book (repeatable; the keys of `convert -M`).
    #[arg(short = 'M', long = "metadata", value_name = "KEY=VALUE", value_parser = parse_metadata)]
    pub metadata: Vec<(String, String)>,
    /// A YAML file of the book's metadata (title, subtitle, publisher, rights, date, lang,
    /// …). Without it, `book.yaml` in the first input's folder is used.
    #[arg(long, value_name = "FILE")]
    pub book_metadata: Option<PathBuf>,
    #[command(flatten)]
    pub write: WriteArgs,
    /// Rewrite the book's files that an earlier `verbatim book` wrote and nobody changed.
    #[arg(long)]
    pub force: bool,
}

/// How the outputs are written: the writers' options, shared by `convert` and `book`.
#[derive(Args, Debug)]
pub(crate) struct WriteArgs {
    /// Plain text: wrap lines to this many columns; 0 does not wrap.
    #[arg(long, value_name = "COLUMNS", default_value_t = 72)]
    pub width: usize,
    /// PDF: paper size.
    #[arg(long, value_enum, default_value_t = PaperArg::A4)]
    pub paper: PaperArg,
    /// PDF: ragged-right instead of justified paragraphs.
    #[arg(long)]
    pub ragged: bool,
    /// PDF: body text size in points (7 to 20); headings and the line length follow.
    #[arg(long, value_name = "POINTS")]
    pub font_size: Option<String>,
    /// PDF: left and right margins in millimetres (10 to 60).
    #[arg(long, value_name = "MM")]
    pub margins: Option<String>,
    /// PDF: the bundled typeface: serif (Noto Serif) or sans (DejaVu Sans).
    #[arg(long, value_enum, default_value_t = TypefaceArg::Serif)]
    pub typeface: TypefaceArg,
    /// EPUB and PDF: a printed contents page after the title page (EPUB has one by
    /// default, PDF none). The EPUB's navigation and the PDF's bookmarks are always there.
    #[arg(long, overrides_with = "no_toc")]
    pub toc: bool,
    /// EPUB and PDF: no printed contents page.
    #[arg(long, overrides_with = "toc")]
    pub no_toc: bool,
    /// EPUB and PDF: a cover image (PNG or JPEG): the EPUB's cover, the PDF's first page.
    #[arg(long, value_name = "IMAGE")]
    pub cover: Option<PathBuf>,
    /// EPUB: a stylesheet linked after the built-in one in every document (its rules win).
    #[arg(long, value_name = "FILE")]
    pub css: Option<PathBuf>,
    /// PDF: attach the transcript in these formats (tei, json, or all), byte for byte
    /// what -t writes, making the PDF a PDF/A-3u that carries its sources.
    #[arg(long, value_name = "FORMATS")]
    pub embed: Option<String>,
    /// WebVTT and SRT: characters per caption line (a cue has at most two).
    #[arg(long, value_name = "N", default_value_t = 42, value_parser = clap::value_parser!(u16).range(10..))]
    pub caption_line: u16,
    /// TEI: turns as `<u>` utterances (the default), or as drama-style `<sp>` speeches
    /// with a `<speaker>` and `<p>` paragraphs.
    #[arg(long, value_enum, default_value_t = TeiStyleArg::U)]
    pub tei_style: TeiStyleArg,
    /// Text, EPUB and PDF: show or hide each turn's start time (TEI and JSON keep the
    /// times as data either way).
    #[arg(long, value_enum, default_value_t = Shown::Show)]
    pub timestamps: Shown,
}

/// The output formats asked for.
#[derive(Debug, Clone)]
pub(crate) struct Formats {
    pub list: Vec<OutputFormat>,
    /// `all` was meant: an input is not written in its own format.
    pub all: bool,
}

impl ConvertArgs {
    /// The formats of `-t`, else the one `-o FILE`'s extension names, else all; an
    /// extension that contradicts `-t` is an error.
    pub fn formats(&self) -> Result<Formats, Usage> {
        let implied = self
            .output
            .as_deref()
            .filter(|o| o.as_os_str() != "-" && !o.is_dir())
            .and_then(output_format_of);
        let Some(to) = &self.to else {
            return Ok(match implied {
                Some(f) => Formats {
                    list: vec![f],
                    all: false,
                },
                None => Formats {
                    list: OutputFormat::forms().collect(),
                    all: true,
                },
            });
        };
        let (out, all) = parse_formats(to)?;
        if let (Some(f), Some(o)) = (implied, &self.output)
            && out != [f]
        {
            return Err(Usage(format!(
                "-o {} names a .{} file, but -t asks for {}",
                o.display(),
                f.extension(),
                out.iter().map(|f| f.name()).collect::<Vec<_>>().join(", ")
            )));
        }
        Ok(Formats { list: out, all })
    }
}

/// The formats of a `-t` list, and whether `all` was among them.
pub(crate) fn parse_formats(to: &str) -> Result<(Vec<OutputFormat>, bool), Usage> {
    let mut out = Vec::new();
    let mut all = false;
    for name in to.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if name.eq_ignore_ascii_case("all") {
            out.extend(OutputFormat::forms());
            all = true;
            continue;
        }
        match OutputFormat::parse(name) {
            Some(f) => out.push(f),
            None => {
                return Err(Usage(format!(
                    "unknown output format \"{name}\" (known: {}, all)",
                    OutputFormat::all()
                        .map(|f| f.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
    }
    out.sort();
    out.dedup();
    if out.is_empty() {
        return Err(Usage("no output format given".into()));
    }
    Ok((out, all))
}

impl BookArgs {
    /// Each format with the file it goes to: `-o` itself for one format, else `-o`'s
    /// name with each format's extension in place of its own.
    pub fn targets(&self) -> Result<Vec<(OutputFormat, PathBuf)>, Usage> {
        let o = &self.output;
        if o.as_os_str() == "-" || o.is_dir() {
            return Err(Usage(format!(
                "-o {}: a book is written to a file (such as -o anthology.epub)",
                o.display()
            )));
        }
        let implied = output_format_of(o);
        let list = match (&self.to, implied) {
            (Some(to), _) => parse_formats(to)?.0,
            (None, Some(f)) => vec![f],
            (None, None) => ["epub", "pdf"]
                .into_iter()
                .filter_map(OutputFormat::parse)
                .collect(),
        };
        if let [one] = list.as_slice() {
            if implied.is_some_and(|f| f != *one) {
                return Err(Usage(format!(
                    "-o {} names a .{} file, but -t asks for {}",
                    o.display(),
                    implied.map_or("", |f| f.extension()),
                    one.name()
                )));
            }
            let path = if implied.is_some() {
                o.clone()
            } else {
                with_extension(o, *one)
            };
            return Ok(vec![(*one, path)]);
        }
        Ok(list
            .into_iter()
            .map(|f| (f, with_extension(o, f)))
            .collect())
    }
}

/// `path` with the extension of its output format (if it names one) replaced by `f`'s.
fn with_extension(path: &std::path::Path, f: OutputFormat) -> PathBuf {
    path.with_file_name(format!("{}.{}", output_stem(path), f.extension()))
}

/// A file's name without the extension of the output format it names (`a.tei.xml` →
/// `a`, `A.EPUB` → `A`); other names whole.
pub(crate) fn output_stem(path: &std::path::Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some(own) = output_format_of(path) else {
        return name;
    };
    let ext = format!(".{}", own.extension());
    if name.to_ascii_lowercase().ends_with(&ext) {
        name[..name.len() - ext.len()].to_string()
    } else {
        // `a.xml` for TEI.
        name.rsplit_once('.')
            .map_or(name.clone(), |(s, _)| s.to_string())
    }
}

/// The format an output file's name says (`book.epub`, `a.tei.xml`, `a.xml`).
pub(crate) fn output_format_of(path: &std::path::Path) -> Option<OutputFormat> {
    OutputFormat::from_path(path).or_else(|| {
        path.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
            .then(|| OutputFormat::parse("tei"))
            .flatten()
    })
}

/// TEI encodings of a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TeiStyleArg {
    U,
    Sp,
}

/// Whether something is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Shown {
    Show,
    Hide,
}

/// Typefaces, mirrored from the PDF writer so the library does not depend on clap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TypefaceArg {
    /// Noto Serif, with Noto Serif Hebrew.
    Serif,
    /// DejaVu Sans.
    Sans,
}

impl From<TypefaceArg> for verbatim::Typeface {
    fn from(t: TypefaceArg) -> Self {
        match t {
            TypefaceArg::Serif => verbatim::Typeface::Serif,
            TypefaceArg::Sans => verbatim::Typeface::Sans,
        }
    }
}

/// Paper sizes, mirrored from the PDF writer so the library does not depend on clap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum PaperArg {
    /// ISO A4 (210 × 297 mm).
    A4,
    /// US Letter (8.5 × 11 in).
    Letter,
}

impl From<PaperArg> for verbatim::Paper {
    fn from(p: PaperArg) -> Self {
        match p {
            PaperArg::A4 => verbatim::Paper::A4,
            PaperArg::Letter => verbatim::Paper::Letter,
        }
    }
}

fn parse_encoding(s: &str) -> Result<String, String> {
    match verbatim::model::encoding_for(s) {
        Some(enc) => Ok(enc.name().to_string()),
        None => Err(format!(
            "unknown encoding \"{s}\" (use a name such as windows-1252, iso-8859-2 or utf-16le)"
        )),
    }
}

fn parse_metadata(s: &str) -> Result<(String, String), String> {
    let (k, v) = s
        .split_once('=')
        .ok_or_else(|| format!("\"{s}\" is not KEY=VALUE (such as title=Cannery Voices)"))?;
    // The key and value are checked now, so a bad one fails before anything is read.
    verbatim::metadata::set(&mut verbatim::model::Metadata::default(), k, v)?;
    Ok((k.to_string(), v.to_string()))
}

fn parse_speaker(s: &str) -> Result<verbatim::model::SpeakerEntry, String> {
    crate::speakers::parse_flag(s)
}

/// Parses `1024`, `64K`, `256M` or `2G` (binary multiples).
fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (digits, factor) = match s.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&s[..s.len() - 1], 1u64 << 10),
        Some('M') => (&s[..s.len() - 1], 1 << 20),
        Some('G') => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(factor))
        .ok_or_else(|| format!("\"{s}\" is not a size (such as 1048576, 512K, 256M or 2G)"))
}

impl InputArgs {
    pub fn read_context(&self) -> Result<verbatim::ReadContext, Usage> {
        let mut cx = verbatim::ReadContext::default();
        cx.limits = self.limits();
        cx.encoding.clone_from(&self.encoding);
        if let Some(path) = &self.speakers {
            cx.speakers = crate::speakers::from_file(path).map_err(Usage)?;
        }
        // Flags come after the file, so that they win.
        for e in &self.speaker {
            cx.speakers
                .entries
                .retain(|x| !x.label.eq_ignore_ascii_case(&e.label));
            cx.speakers.entries.push(e.clone());
        }
        Ok(cx)
    }

    pub fn limits(&self) -> verbatim::Limits {
        let mut l = verbatim::Limits::default();
        l.max_input_bytes = self.max_input_size;
        l.max_line_bytes = usize::try_from(self.max_line_length).unwrap_or(usize::MAX);
        l.max_participants = self.max_participants;
        l
    }
}

#[cfg(test)]
mod tests {
    use super::{OutputFormat, PathBuf, output_stem, parse_size, with_extension};

    #[test]
    fn an_output_stem_drops_only_its_format_extension() {
        let stem = |p: &str| output_stem(std::path::Path::new(p));
        assert_eq!(stem("out/anthology.epub"), "anthology");
        assert_eq!(stem("a.tei.xml"), "a");
        assert_eq!(stem("A.TEI.XML"), "A");
        assert_eq!(stem("a.xml"), "a");
        assert_eq!(stem("notes.v2"), "notes.v2");
        let pdf = OutputFormat::parse("pdf").unwrap();
        assert_eq!(
            with_extension(std::path::Path::new("d/a.tei.xml"), pdf),
            PathBuf::from("d/a.pdf")
        );
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1024"), Ok(1024));
        assert_eq!(parse_size("64k"), Ok(65536));
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("99999999999999G").is_err());
    }
}
