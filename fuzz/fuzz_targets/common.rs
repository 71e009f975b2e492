// Shared by every target: read, and when the input is accepted, write the
// cheap formats too, since a model a reader accepts must be writable.
use verbatim::{ReadContext, Valid, WriteContext, WriteOptions};

pub fn check(format: &str, data: &[u8]) {
    let format = verbatim::input(format).expect("a reader");
    if let Ok(parsed) = verbatim::read(format, data.to_vec(), &ReadContext::default()) {
        let t = Valid::new(parsed.value).expect("a reader gives a valid transcript");
        for out in ["json", "txt", "tei"] {
            let out = verbatim::output(out).expect("a writer");
            let mut sink = Vec::new();
            let _ = verbatim::write(out, &t, &WriteOptions::default(), &WriteContext::default(), &mut sink);
        }
    }
}
