//! The `verbatim` command. It wires readers to writers and owns files, exit
//! codes and messages; format logic lives in the format crates.

mod args;
mod batch;
mod inputs;
mod output;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use verbatim::WriteOptions;

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
    let settings = batch::Settings {
        opts: &opts,
        limits: args.input.limits(),
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
    for job in collect(args)? {
        let name = job.input.display();
        let limits = args.limits();
        match batch::read_input(&job.input, &limits) {
            Err(msg) => {
                eprintln!("{name}:{msg}");
                ok = false;
            }
            Ok(bytes) => match verbatim::read_limited(job.format, bytes, &limits) {
                Ok(parsed) => {
                    if !args.quiet {
                        for w in &parsed.warnings {
                            eprintln!("{name}:{w}");
                        }
                    }
                    if args.verbose {
                        let t = &parsed.value;
                        eprintln!(
                            "{name}: ok: {} participants, {} turns",
                            t.participants.len(),
                            t.turns().count()
                        );
                    }
                }
                Err(e) => {
                    eprintln!("{name}:{}", located(&e.to_string()));
                    ok = false;
                }
            },
        }
    }
    Ok(ok)
}

/// Formats a reader error as `LINE:COL: error: message`.
fn located(msg: &str) -> String {
    let mut parts = msg.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(l), Some(c), Some(rest))
            if l.parse::<usize>().is_ok() && c.parse::<usize>().is_ok() =>
        {
            format!("{l}:{c}: error:{rest}")
        }
        _ => format!(" error: {msg}"),
    }
}

fn write_options(args: &ConvertArgs) -> WriteOptions {
    let mut opts = WriteOptions::default();
    opts.text.width = args.width;
    opts.pdf.paper = args.paper.into();
    opts.pdf.justify = !args.ragged;
    opts.generator = Some(format!("verbatim {}", env!("CARGO_PKG_VERSION")));
    opts.source_date_epoch = source_date_epoch();
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

#[cfg(test)]
mod tests {
    use super::located;

    #[test]
    fn located_keeps_positions() {
        assert_eq!(located("3:4: bad"), "3:4: error: bad");
        assert_eq!(located("no position"), " error: no position");
    }
}
