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
    let mut ok = true;
    let cx = args.read_context()?;
    for job in collect(args)? {
        let name = job.input.display();
        match batch::load(&job, &cx) {
            Err(e) => {
                eprintln!("{e}");
                ok = false;
            }
            Ok(loaded) => {
                if !args.quiet {
                    for w in &loaded.warnings {
                        eprintln!("{w}");
                    }
                }
                if args.verbose {
                    let t = &loaded.transcript;
                    eprintln!(
                        "{name}: ok: {} participants, {} turns",
                        t.participants.len(),
                        t.turns().count()
                    );
                }
            }
        }
    }
    Ok(ok)
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
