//! The `verbatim` command. It wires readers to writers and owns files, exit
//! codes and messages; format logic lives in the format crates.

mod args;
mod output;

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use verbatim::{InputFormat, WriteOptions};

use args::{Cli, Command, ConvertArgs, InputArgs};

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

/// One input as named on the command line.
#[derive(Debug, Clone)]
enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    fn display(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".into(),
            Input::File(p) => p.display().to_string(),
        }
    }
}

fn inputs(args: &InputArgs) -> Result<Vec<(Input, InputFormat)>, Usage> {
    let forced = match &args.from {
        Some(name) => Some(InputFormat::parse(name).ok_or_else(|| {
            Usage(format!(
                "unknown input format \"{name}\" (known: {})",
                InputFormat::ALL
                    .iter()
                    .map(|f| f.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?),
        None => None,
    };
    let mut out = Vec::new();
    for raw in &args.inputs {
        if raw.as_os_str() == "-" {
            out.push((Input::Stdin, forced.unwrap_or(InputFormat::Markdown)));
            continue;
        }
        let format = match forced.or_else(|| InputFormat::from_path(raw)) {
            Some(f) => f,
            None => {
                return Err(Usage(format!(
                    "{}: cannot tell the input format from the extension; name it with -f",
                    raw.display()
                )));
            }
        };
        out.push((Input::File(raw.clone()), format));
    }
    Ok(out)
}

fn read_input(input: &Input) -> io::Result<Vec<u8>> {
    match input {
        Input::Stdin => {
            let mut buf = Vec::new();
            io::stdin().lock().read_to_end(&mut buf)?;
            Ok(buf)
        }
        Input::File(p) => std::fs::read(p),
    }
}

fn print_warnings(name: &str, warnings: &[verbatim::Diagnostic], quiet: bool) {
    if quiet {
        return;
    }
    for w in warnings {
        eprintln!("{name}:{w}");
    }
}

fn convert(args: &ConvertArgs) -> Result<bool, Usage> {
    let inputs = inputs(&args.input)?;
    let formats = args.formats()?;
    let plan = output::plan(&inputs, &formats, args.output.as_deref())?;
    let opts = write_options(args);
    let mut ok = true;
    for (input, format, targets) in plan {
        let name = input.display();
        let bytes = match read_input(&input) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{name}: error: cannot read: {e}");
                ok = false;
                continue;
            }
        };
        let parsed = match verbatim::read(format, &bytes) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{name}:{}", located(&e.to_string()));
                ok = false;
                continue;
            }
        };
        print_warnings(&name, &parsed.warnings, args.input.quiet);
        for (out_format, target) in targets {
            let result = verbatim::write(out_format, &parsed.value, &opts)
                .map_err(|e| format!("{name}: error: writing {out_format}: {e}"))
                .and_then(|data| output::deliver(&target, &data));
            match result {
                Ok(()) => {
                    if args.input.verbose {
                        eprintln!("{name} -> {}", target.display());
                    }
                }
                Err(msg) => {
                    eprintln!("{msg}");
                    ok = false;
                }
            }
        }
    }
    Ok(ok)
}

fn check(args: &InputArgs) -> Result<bool, Usage> {
    let mut ok = true;
    for (input, format) in inputs(args)? {
        let name = input.display();
        match read_input(&input) {
            Err(e) => {
                eprintln!("{name}: error: cannot read: {e}");
                ok = false;
            }
            Ok(bytes) => match verbatim::read(format, &bytes) {
                Ok(parsed) => {
                    print_warnings(&name, &parsed.warnings, args.quiet);
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
