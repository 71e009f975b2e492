//! Same input, same bytes: across runs, and across threads of one process
//! that made other documents first.

mod common;

use common::{rich, small};
use verbatim_pdf::{PdfOptions, write};

#[test]
fn two_runs_give_identical_bytes() {
    let opts = PdfOptions::default();
    let a = write(&rich(), &opts).unwrap();
    let b = write(&rich(), &opts).unwrap();
    assert!(a == b, "two runs differ");
}

#[test]
fn threads_that_made_other_documents_give_identical_bytes() {
    let opts = PdfOptions::default();
    let reference = write(&rich(), &opts).unwrap();
    let results: Vec<Vec<u8>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|k| {
                let opts = opts.clone();
                scope.spawn(move || {
                    // A different number of other documents on each thread.
                    for n in 0..=k * 2 {
                        write(&small(n + 10 * k), &opts).unwrap();
                    }
                    write(&rich(), &opts).unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (k, r) in results.iter().enumerate() {
        assert!(*r == reference, "thread {k} produced different bytes");
    }
}

#[test]
fn different_content_gives_a_different_file_id() {
    let opts = PdfOptions::default();
    let a = verbatim_pdf::describe(&write(&small(1), &opts).unwrap()).unwrap();
    let b = write(&small(2), &opts).unwrap();
    let a_bytes = write(&small(1), &opts).unwrap();
    assert!(a.contains("file id: yes"));
    let id = |pdf: &[u8]| {
        let s = String::from_utf8_lossy(pdf).into_owned();
        let i = s.rfind("/ID").unwrap();
        s[i..i + 60.min(s.len() - i)].to_string()
    };
    assert_ne!(id(&a_bytes), id(&b));
}
