//! `verbatim book`: several transcripts as one book, written all at once or not at all.

use std::collections::BTreeMap;
use std::path::Path;

use verbatim::model::{Code, Diagnostic, Metadata};
use verbatim::{Valid, WriteContext};

use crate::args::BookArgs;
use crate::inputs::Input;
use crate::{Usage, manifest, output, say};

/// The book's metadata file picked up beside the inputs.
const METADATA_FILE: &str = "book.yaml";

pub(crate) fn run(args: &BookArgs, write: &WriteContext) -> Result<bool, Usage> {
    let targets = args.targets()?;
    let manifests = manifest::Manifests::default();
    let jobs = crate::collect(&args.input, &manifests, None)?;
    if jobs.is_empty() {
        return Ok(crate::nothing_found(&args.input));
    }
    // What an earlier book was made from, for its manifest entry and `--force`.
    let source = args
        .input
        .inputs
        .first()
        .filter(|p| p.as_os_str() != "-")
        .cloned();
    for (_, path) in &targets {
        let real = output::real(path);
        if jobs
            .iter()
            .any(|j| matches!(&j.input, Input::File(f) if output::real(f) == real))
        {
            return Err(Usage(format!(
                "-o {}: the book would overwrite one of its inputs",
                path.display()
            )));
        }
        if std::fs::symlink_metadata(path).is_ok() {
            let ours = source
                .as_deref()
                .is_some_and(|s| manifests.unchanged_output_of(path, s));
            if !(args.force && ours) {
                let hint = if ours {
                    "--force rewrites it"
                } else {
                    "it was not written by an earlier `verbatim book` from these inputs, or changed since"
                };
                return Err(Usage(format!("{} exists: {hint}", path.display())));
            }
        }
    }
    let mut metadata = book_metadata(args)?;
    let mut warned = false;
    if metadata.title.is_none() {
        warned = true;
        let stem = title_from(&targets[0].1);
        if !args.input.quiet {
            say(Diagnostic::note(
                Code::TitleGuessed,
                format!(
                    "the book has no title (-M title=… or {METADATA_FILE}): \"{stem}\", from its file name"
                ),
            ));
        }
        metadata.title = Some(stem);
    }

    let cx = args.input.read_context()?;
    let mut parts = Vec::with_capacity(jobs.len());
    let mut failed = 0;
    for job in &jobs {
        let name = job.input.display();
        match crate::batch::load(job, &cx, &[]) {
            Ok(loaded) => {
                warned |= !loaded.warnings.is_empty();
                if !args.input.quiet {
                    crate::say_warnings(&name, &loaded.warnings, args.input.max_warnings);
                }
                parts.push(verbatim::book::Part {
                    name,
                    transcript: loaded.transcript.into_inner(),
                });
            }
            Err(e) => {
                say(&e);
                failed += 1;
            }
        }
    }
    if failed > 0 {
        say(format!(
            "verbatim: no book written: {failed} of {} input(s) failed",
            jobs.len()
        ));
        return Ok(false);
    }
    let count = parts.len();
    let combined = verbatim::book::combine(parts, metadata).map_err(|d| Usage(d.to_string()))?;
    warned |= !combined.notes.is_empty();
    if !args.input.quiet {
        for n in &combined.notes {
            say(n);
        }
    }
    let book = Valid::new(combined.transcript).map_err(|d| Usage(format!("the book: {d}")))?;
    let mut opts = crate::write_options(&args.write)?;
    opts.pdf.parts = true;
    if args.input.verbose {
        let formats: Vec<verbatim::OutputFormat> = targets.iter().map(|(f, _)| *f).collect();
        crate::say_date_rule(&formats, write);
    }
    let inputs: Vec<Input> = jobs.iter().map(|j| j.input.clone()).collect();
    let write = &crate::batch::dated(write, &inputs);

    // Every file is made, then staged beside its place, then renamed: all or none.
    let mut made = Vec::with_capacity(targets.len());
    for (format, path) in &targets {
        match verbatim::write_to_vec(*format, &book, &opts, write) {
            Ok((data, warnings)) => {
                warned |= !warnings.is_empty();
                if !args.input.quiet {
                    for w in warnings {
                        say(w.in_file(path.display().to_string()));
                    }
                }
                made.push((path, data));
            }
            Err(e) => {
                say(e.in_file(path.display().to_string()));
                say("verbatim: no book written");
                return Ok(false);
            }
        }
    }
    let mut staged = Vec::with_capacity(made.len());
    for (path, data) in &made {
        match output::stage(path, data) {
            Ok(s) => staged.push(s),
            Err(e) => {
                say(format!("verbatim: {}: cannot write: {e}", path.display()));
                return Ok(false);
            }
        }
    }
    for ((path, data), s) in made.iter().zip(staged) {
        if let Err(e) = s.commit() {
            say(format!("verbatim: {}: cannot write: {e}", path.display()));
            return Ok(false);
        }
        if let Some(src) = &source
            && let Err(e) = manifests.record(path, src, data)
        {
            say(format!(
                "verbatim: {}: cannot record it in {}: {e}",
                path.display(),
                manifest::FILE_NAME
            ));
            return Ok(false);
        }
    }
    if args.input.verbose {
        for (path, _) in &made {
            say(format!("wrote {}", path.display()));
        }
    }
    if !args.input.quiet {
        let files: Vec<String> = made.iter().map(|(p, _)| p.display().to_string()).collect();
        say(format!(
            "book of {count} part(s), {} participant(s): {}",
            book.participants.len(),
            files.join(", ")
        ));
    }
    Ok(!(args.input.fail_if_warnings && warned))
}

/// `book.yaml` (or `--book-metadata`), then `-M`.
fn book_metadata(args: &BookArgs) -> Result<Metadata, Usage> {
    let mut m = Metadata::default();
    let file = args
        .book_metadata
        .clone()
        .or_else(|| crate::defaults::beside(&args.input.inputs, METADATA_FILE));
    if let Some(file) = &file {
        let shown = file.display();
        let text = std::fs::read_to_string(file)
            .map_err(|e| Usage(format!("{shown}: cannot read: {e}")))?;
        if !text.trim().is_empty() {
            let map: BTreeMap<String, serde_json::Value> = serde_saphyr::from_str(&text)
                .map_err(|e| Usage(format!("{shown}:{}", crate::speakers::yaml_message(&e))))?;
            for (key, value) in map {
                let value = match value {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Number(n) => n.to_string(),
                    serde_json::Value::Array(items) => items
                        .iter()
                        .map(|i| match i {
                            serde_json::Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                    serde_json::Value::Null => String::new(),
                    _ => return Err(Usage(format!("{shown}: {key}: expected text or a list"))),
                };
                verbatim::metadata::set(&mut m, &key, &value)
                    .map_err(|e| Usage(format!("{shown}: {key}: {e}")))?;
            }
        }
        if args.book_metadata.is_none() && !args.input.quiet {
            say(format!(
                "verbatim: book metadata from {}",
                verbatim::model::printable(&shown.to_string())
            ));
        }
    }
    for (k, v) in &args.metadata {
        verbatim::metadata::set(&mut m, k, v).map_err(|e| Usage(format!("-M {k}: {e}")))?;
    }
    Ok(m)
}

/// A title from the book's file name: `cannery-voices.epub` → "cannery-voices".
fn title_from(path: &Path) -> String {
    let stem = crate::args::output_stem(path);
    if stem.trim().is_empty() {
        "Book".into()
    } else {
        stem
    }
}
