//! The `verbatim` command. It wires readers to writers and owns files, exit
//! codes and messages; format logic lives in the format crates.

mod args;
mod batch;
mod inputs;
mod output;
mod speakers;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use verbatim::{DatePolicy, WriteContext, WriteOptions};

use args::{Cli, Command, ConvertArgs, InputArgs};
use batch::Status;
use inputs::Selection;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Convert(args) => convert(&args),
        Command::Check(args) => check(&args),
        Command::Schema => write_stdout(verbatim::json_schema().as_bytes()).map(|()| true),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(Usage(msg)) => {
            eprintln!("verbatim: error: {msg}");
            ExitCode::from(2)
        }
    }
}

/// A usage error: exit 2, nothing written.
struct Usage(String);

fn selection(args: &InputArgs) -> Selection<'_> {
    Selection {
        from: args.from.as_deref(),
        globs: &args.glob,
        follow_links: args.follow_links,
    }
}

fn collect(args: &InputArgs) -> Result<Vec<inputs::Job>, Usage> {
    let (jobs, notes) = inputs::collect(&args.inputs, &selection(args))?;
    if !args.quiet {
        for n in notes {
            eprintln!("{n}");
        }
    }
    Ok(jobs)
}

fn convert(args: &ConvertArgs) -> Result<bool, Usage> {
    let formats = args.formats()?;
    let jobs = collect(&args.input)?;
    let directory_input = args.input.inputs.iter().any(|p| p.is_dir());
    let planned = output::plan(jobs, &formats, args.output.as_deref(), directory_input)?;
    let opts = write_options(args);
    let dates = DatePolicy::new(source_date_epoch());
    // A bad SOURCE_DATE_EPOCH fails every format alike, before anything is read.
    if let Err(e) = dates.check() {
        return Err(Usage(e.to_string()));
    }
    let write = WriteContext::new(
        Some(format!("verbatim {}", env!("CARGO_PKG_VERSION"))),
        dates,
    );
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
    };
    output::remove_temporaries_on_interrupt();
    let records = batch::run(&planned, &settings);
    let mut ok = batch::count(&records, Status::Failed) == 0;
    if let Some(path) = &args.report
        && let Err(msg) = batch::write_report(path, &records)
    {
        eprintln!("{msg}");
        ok = false;
    }
    Ok(ok)
}

fn check(args: &InputArgs) -> Result<bool, Usage> {
    let cx = args.read_context()?;
    let jobs = collect(args)?;
    let (mut read, mut failed, mut guesses) = (0usize, 0usize, 0usize);
    let mut out = String::new();
    for job in &jobs {
        let name = job.input.display();
        match batch::load(job, &cx) {
            Err(e) => {
                eprintln!("{e}");
                failed += 1;
            }
            Ok(loaded) => {
                read += 1;
                if !args.quiet {
                    for w in &loaded.warnings {
                        eprintln!("{w}");
                    }
                }
                guesses += loaded.warnings.iter().filter(|w| w.code.is_guess()).count();
                out.push_str(&summary(
                    &name.to_string(),
                    &loaded.transcript,
                    &loaded.warnings,
                ));
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
    Ok(failed == 0)
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

fn write_options(args: &ConvertArgs) -> WriteOptions {
    let mut opts = WriteOptions::default();
    opts.text.width = args.width;
    opts.pdf.paper = args.paper.into();
    opts.pdf.justify = !args.ragged;
    opts
}

/// The one place the environment's date enters: `SOURCE_DATE_EPOCH`, never the clock.
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
