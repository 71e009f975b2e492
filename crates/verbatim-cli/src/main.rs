//! The `verbatim` command. It wires readers to writers and owns files, exit
//! codes and messages; format logic lives in the format crates.

mod args;
mod batch;
mod book;
mod defaults;
mod inputs;
mod manifest;
mod output;
mod shard;
mod speakers;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Parser;
use verbatim::{DatePolicy, WriteContext, WriteOptions};

use args::{Cli, Command, ConvertArgs, InputArgs};
use batch::Status;
use inputs::Selection;

/// The command line, with a defaults file's options before the typed ones.
fn parse() -> Result<Cli, Usage> {
    let raw: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = Cli::parse_from(&raw);
    let (name, input) = match &cli.command {
        Some(Command::Convert(a)) => ("convert", &a.input),
        Some(Command::Book(a)) => ("book", &a.input),
        Some(Command::Check(a)) => ("check", &**a),
        _ => return Ok(cli),
    };
    let Some(file) = input
        .defaults
        .clone()
        .or_else(|| defaults::beside(&input.inputs, defaults::FILE_NAME))
    else {
        return Ok(cli);
    };
    let found = input.defaults.is_none();
    let cmd = <Cli as clap::CommandFactory>::command();
    let sub = cmd
        .find_subcommand(name)
        .ok_or_else(|| Usage(format!("no {name} command")))?;
    let extra = defaults::arguments(&file, sub, cmd.find_subcommand("convert"))?;
    let cli = Cli::parse_from(defaults::splice(raw, name, extra));
    let quiet = match &cli.command {
        Some(Command::Convert(a)) => a.input.quiet,
        Some(Command::Book(a)) => a.input.quiet,
        Some(Command::Check(a)) => a.quiet,
        _ => false,
    };
    // A file nobody named on the command line is said to be used.
    if found && !quiet {
        say(format!(
            "verbatim: defaults from {}",
            verbatim::model::printable(&file.display().to_string())
        ));
    }
    Ok(cli)
}

fn main() -> ExitCode {
    let cli = match parse() {
        Ok(cli) => cli,
        Err(Usage(msg)) => {
            say(format!(
                "verbatim: error: {}",
                verbatim::model::printable(&msg)
            ));
            return ExitCode::from(2);
        }
    };
    let result = match cli.command {
        _ if cli.list_input_formats => write_stdout(list_inputs().as_bytes()).map(|()| true),
        _ if cli.list_output_formats => write_stdout(list_outputs().as_bytes()).map(|()| true),
        Some(Command::Convert(args)) => convert(&args),
        Some(Command::Book(args)) => write_context().and_then(|cx| {
            output::remove_temporaries_on_interrupt();
            book::run(&args, &cx)
        }),
        Some(Command::Check(args)) => check(&args),
        Some(Command::MergeReports { reports, output }) => {
            merge_reports(&reports, output.as_deref())
        }
        Some(Command::Schema) => write_stdout(verbatim::json_schema().as_bytes()).map(|()| true),
        Some(Command::Completions { shell }) => {
            let mut out = Vec::new();
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "verbatim",
                &mut out,
            );
            write_stdout(&out).map(|()| true)
        }
        Some(Command::Man) => {
            let mut out = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
                .render(&mut out)
                .map_err(|e| Usage(e.to_string()))
                .and_then(|()| write_stdout(&out))
                .map(|()| true)
        }
        None => Err(Usage("no command given (see --help)".into())),
    };
    let code = match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(Usage(msg)) => {
            say(format!(
                "verbatim: error: {}",
                verbatim::model::printable(&msg)
            ));
            ExitCode::from(2)
        }
    };
    if STDERR_FAILED.load(Ordering::Relaxed) && code == ExitCode::SUCCESS {
        return ExitCode::from(1);
    }
    code
}

/// A message could not be written to standard error (a full disk).
static STDERR_FAILED: AtomicBool = AtomicBool::new(false);

/// Writes a line to standard error, never panicking: when the reader of a pipe has gone
/// (`verbatim … 2>&1 | head -1`) the run ends quietly, its temporary files removed,
/// with status 141; any other failure (a full disk) makes the run end with status 1.
pub(crate) fn say(line: impl std::fmt::Display) {
    let mut err = io::stderr().lock();
    if let Err(e) = writeln!(err, "{line}") {
        if e.kind() == io::ErrorKind::BrokenPipe {
            output::abandon(141);
        }
        STDERR_FAILED.store(true, Ordering::Relaxed);
    }
}

/// A usage error: exit 2, nothing written.
#[derive(Debug)]
struct Usage(String);

/// `--list-input-formats`: name, extensions, title.
fn list_inputs() -> String {
    verbatim::InputFormat::all()
        .map(|f| {
            let r = f.reader();
            let exts: Vec<String> = r
                .extensions
                .iter()
                .chain(r.shared_extensions)
                .map(|e| format!(".{e}"))
                .collect();
            format!("{}\t{}\t{}\n", r.name, exts.join(" "), r.title)
        })
        .collect()
}

/// `--list-output-formats`: name, extension, whether `-t all` writes it, title.
fn list_outputs() -> String {
    verbatim::OutputFormat::all()
        .map(|f| {
            let w = f.writer();
            let all = if w.in_all { "all" } else { "-" };
            format!("{}\t.{}\t{all}\t{}\n", w.name, w.extension, w.title)
        })
        .collect()
}

fn collect(
    args: &InputArgs,
    manifests: &manifest::Manifests,
    exclude: Option<std::path::PathBuf>,
) -> Result<Vec<inputs::Job>, Usage> {
    let sel = Selection {
        from: args.from.as_deref(),
        globs: &args.glob,
        follow_links: args.follow_links,
        manifests,
        exclude,
    };
    let stdin = [std::path::PathBuf::from("-")];
    let named: &[std::path::PathBuf] = if !args.inputs.is_empty() {
        &args.inputs
    } else if io::stdin().is_terminal() {
        return Err(Usage(
            "no input: name files or directories, or pipe a transcript in (see --help)".into(),
        ));
    } else {
        &stdin
    };
    let (jobs, notes) = inputs::collect(named, &sel)?;
    if !args.quiet {
        for n in notes {
            say(verbatim::model::printable(&n));
        }
    }
    Ok(jobs)
}

/// Says that no input was found; the run then ends with status 1.
fn nothing_found(args: &InputArgs) -> bool {
    let names: Vec<String> = args
        .inputs
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    say(format!(
        "verbatim: error: no inputs found in {} (known extensions: {})",
        names.join(", "),
        verbatim::InputFormat::all()
            .flat_map(|f| f
                .reader()
                .extensions
                .iter()
                .chain(f.reader().shared_extensions))
            .map(|e| format!(".{e}"))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
            .join(" ")
    ));
    false
}

fn merge_reports(
    reports: &[std::path::PathBuf],
    out: Option<&std::path::Path>,
) -> Result<bool, Usage> {
    let merged = shard::merge_reports(reports).map_err(Usage)?;
    let mut data = serde_json::to_vec_pretty(&merged).map_err(|e| Usage(e.to_string()))?;
    data.push(b'\n');
    match out {
        Some(path) => output::write_atomic(path, &data)
            .map_err(|e| Usage(format!("{}: cannot write: {e}", path.display())))?,
        None => write_stdout(&data)?,
    }
    Ok(merged["failed"] == 0 && merged["not_started"] == 0)
}

fn convert(args: &ConvertArgs) -> Result<bool, Usage> {
    let formats = args.formats()?;
    let manifests = match args.shard {
        Some(s) => manifest::Manifests::appending_to(s.manifest_name()),
        None => manifest::Manifests::default(),
    };
    // Files already in the output directory are never inputs.
    let exclude = args
        .output
        .as_deref()
        .filter(|o| o.as_os_str() != "-" && o.is_dir())
        .map(output::real);
    let mut jobs = collect(&args.input, &manifests, exclude)?;
    if jobs.is_empty() {
        return Ok(nothing_found(&args.input));
    }
    if let Some(s) = args.shard {
        let all = jobs.len();
        jobs.retain(|j| s.owns(&j.rel));
        if !args.input.quiet {
            say(format!(
                "verbatim: shard {}/{}: {} of {all} input(s)",
                s.index,
                s.count,
                jobs.len()
            ));
        }
        if jobs.is_empty() {
            // Another machine has them all; an empty report still says so.
            if let Some(path) = &args.report
                && let Err(msg) = batch::write_report(path, &[], args.shard)
            {
                say(msg);
                return Ok(false);
            }
            return Ok(true);
        }
    }
    let directory_input = args.input.inputs.iter().any(|p| p.is_dir());
    // One input in one named format, no -o, into a pipe: standard output, as pandoc.
    let piped = args.output.is_none()
        && args.to.is_some()
        && formats.list.len() == 1
        && jobs.len() == 1
        && !directory_input
        && !io::stdout().is_terminal();
    let stdout = std::path::PathBuf::from("-");
    let placing = output::Placing {
        formats: &formats.list,
        all: formats.all,
        output: if piped {
            Some(stdout.as_path())
        } else {
            args.output.as_deref()
        },
        directory_input,
        force: args.force,
        skip_existing: args.skip_existing,
    };
    let planned = output::plan(jobs, &placing, &manifests)?;
    if let Some(report) = &args.report {
        output::check_report(report, &planned)?;
    }
    let opts = write_options(&args.write)?;
    let write = write_context()?;
    if args.input.verbose {
        say_date_rule(&formats.list, &write);
    }
    let settings = batch::Settings {
        opts: &opts,
        write: &write,
        read: args.input.read_context()?,
        jobs: args.jobs.map(usize::from),
        quiet: args.input.quiet,
        verbose: args.input.verbose,
        fail_fast: args.fail_fast,
        skip_existing: args.skip_existing,
        hash: args.report.is_some(),
        single: planned.len() == 1,
        manifests: &manifests,
        max_warnings: args.input.max_warnings,
        metadata: &args.metadata,
    };
    output::remove_temporaries_on_interrupt();
    let records = batch::run(&planned, &settings);
    let mut ok = batch::count(&records, Status::Failed) == 0
        && batch::count(&records, Status::NotStarted) == 0;
    if args.input.fail_if_warnings && records.iter().any(|r| !r.warnings.is_empty()) {
        ok = false;
    }
    if let Some(path) = &args.report
        && let Err(msg) = batch::write_report(path, &records, args.shard)
    {
        say(msg);
        ok = false;
    }
    Ok(ok)
}

fn check(args: &InputArgs) -> Result<bool, Usage> {
    let cx = args.read_context()?;
    let manifests = manifest::Manifests::default();
    let jobs = collect(args, &manifests, None)?;
    if jobs.is_empty() {
        return Ok(nothing_found(args));
    }
    let (mut read, mut failed, mut guesses) = (0usize, 0usize, 0usize);
    let mut warned = false;
    let mut out = String::new();
    for job in &jobs {
        let name = job.input.display();
        match batch::load(job, &cx, &[]) {
            Err(e) => {
                say(&e);
                failed += 1;
            }
            Ok(loaded) => {
                read += 1;
                if !args.quiet {
                    say_warnings(&name, &loaded.warnings, args.max_warnings);
                }
                warned |= !loaded.warnings.is_empty();
                guesses += loaded.warnings.iter().filter(|w| w.code.is_guess()).count();
                out.push_str(&summary(
                    &name.to_string(),
                    &loaded.transcript,
                    &loaded.warnings,
                ));
                if jobs.len() == 1 {
                    // As in `convert`: the process ends next, and freeing a large
                    // transcript node by node would only delay that.
                    std::mem::forget(loaded.transcript);
                }
            }
        }
    }
    if jobs.len() > 1 {
        out.push_str(&format!(
            "{} files: {read} read, {failed} failed; {guesses} guess(es) in all\n",
            jobs.len()
        ));
    }
    if !args.quiet {
        write_stdout(out.as_bytes())?;
    }
    Ok(failed == 0 && !(args.fail_if_warnings && warned))
}

/// What `check` says of one transcript: its people, its turns and the guesses made.
fn summary(
    name: &str,
    t: &verbatim::model::Transcript,
    warnings: &[verbatim::model::Diagnostic],
) -> String {
    use std::collections::BTreeMap;
    const SHOWN: usize = 12;
    let mut people: Vec<String> = t
        .participants
        .iter()
        .take(SHOWN)
        .map(|p| format!("{} ({})", p.name, p.role.as_str()))
        .collect();
    if t.participants.len() > SHOWN {
        people.push(format!("and {} more", t.participants.len() - SHOWN));
    }
    let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
    for w in warnings.iter().filter(|w| w.code.is_guess()) {
        *by_code.entry(w.code.as_str()).or_default() += 1;
    }
    let n: usize = by_code.values().sum();
    let guesses = if n == 0 {
        "no guesses".to_string()
    } else {
        let list: Vec<String> = by_code.iter().map(|(c, k)| format!("{c} {k}")).collect();
        format!("{n} guess(es): {}", list.join(", "))
    };
    format!(
        "{name}: {} turn(s), {} participant(s): {}; {guesses}\n",
        t.turns().count(),
        t.participants.len(),
        if people.is_empty() {
            "none".to_string()
        } else {
            people.join(", ")
        }
    )
}

fn write_options(args: &args::WriteArgs) -> Result<WriteOptions, Usage> {
    let mut opts = WriteOptions::default();
    opts.text.width = args.width;
    opts.pdf.paper = args.paper.into();
    opts.pdf.justify = !args.ragged;
    opts.pdf.typeface = args.typeface.into();
    opts.captions.line = usize::from(args.caption_line);
    if args.tei_style == args::TeiStyleArg::Sp {
        let _ = opts.set("tei-style", "sp");
    }
    let shown = args.timestamps == args::Shown::Show;
    opts.text.timestamps = shown;
    opts.epub.timestamps = shown;
    opts.pdf.timestamps = shown;
    for (key, value) in [("font-size", &args.font_size), ("margins", &args.margins)] {
        if let Some(v) = value {
            opts.set(key, v).map_err(|e| Usage(format!("--{e}")))?;
        }
    }
    if args.toc || args.no_toc {
        let _ = opts.set("toc", if args.toc { "true" } else { "false" });
    }
    if let Some(cover) = &args.cover {
        let data = std::fs::read(cover)
            .map_err(|e| Usage(format!("--cover {}: cannot read: {e}", cover.display())))?;
        opts.set_cover(data)
            .map_err(|e| Usage(format!("--cover {}: {e}", cover.display())))?;
    }
    if let Some(css) = &args.css {
        let text = std::fs::read_to_string(css)
            .map_err(|e| Usage(format!("--css {}: cannot read: {e}", css.display())))?;
        opts.epub.css = Some(text);
    }
    if let Some(embed) = &args.embed {
        opts.set("embed", embed)
            .map_err(|e| Usage(format!("--embed: {e}")))?;
    }
    Ok(opts)
}

/// Says a file's warnings, at most `max` of them (`--max-warnings`), counting the rest.
fn say_warnings(name: &str, warnings: &[verbatim::model::Diagnostic], max: Option<usize>) {
    let shown = max.unwrap_or(usize::MAX);
    for w in warnings.iter().take(shown) {
        say(w);
    }
    if warnings.len() > shown {
        say(format!(
            "{name}: {} more warning(s) not shown (--max-warnings)",
            warnings.len() - shown
        ));
    }
}

/// Says where EPUB and PDF dates come from when `SOURCE_DATE_EPOCH` does not give them.
fn say_date_rule(formats: &[verbatim::OutputFormat], cx: &WriteContext) {
    let dated = formats.iter().any(|f| matches!(f.name(), "epub" | "pdf"));
    if dated && cx.dates.source_date_epoch.is_none() {
        say(
            "verbatim: SOURCE_DATE_EPOCH is not set: EPUB and PDF files are dated with their input's modification time (standard input: now)",
        );
    }
}

/// The generator and the dates every writer is given.
fn write_context() -> Result<WriteContext, Usage> {
    let dates = DatePolicy::new(source_date_epoch());
    // A bad SOURCE_DATE_EPOCH fails every format alike, before anything is read.
    if let Err(e) = dates.check() {
        return Err(Usage(e.to_string()));
    }
    Ok(WriteContext::new(
        Some(format!("verbatim {}", env!("CARGO_PKG_VERSION"))),
        dates,
    ))
}

/// The environment's date: `SOURCE_DATE_EPOCH`. (The clock is read only for a pipe,
/// in `batch::dated`.)
fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
}

fn write_stdout(data: &[u8]) -> Result<(), Usage> {
    let mut out = io::stdout().lock();
    match out.write_all(data).and_then(|()| out.flush()) {
        // A closed pipe (`verbatim … | head`) is the reader's choice, not a failure.
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(Usage(format!("cannot write to stdout: {e}")))
        }
        _ => Ok(()),
    }
}
