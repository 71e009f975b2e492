// Shared by every target: read, and when the input is accepted, write the
// cheap formats too, since a model a reader accepts must be writable.
use verbatim::{InputFormat, OutputFormat, WriteOptions};

pub fn check(format: InputFormat, data: &[u8]) {
    if let Ok(parsed) = verbatim::read(format, data) {
        for out in [OutputFormat::Json, OutputFormat::Text, OutputFormat::Tei] {
            let _ = verbatim::write(out, &parsed.value, &WriteOptions::default());
        }
    }
}
