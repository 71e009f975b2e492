//! Same input, same bytes: across runs, and across threads of one process
//! that made other documents first.

mod common;

use common::{pdf, rich, small};
use verbatim_pdf::PdfOptions;

#[test]
fn two_runs_give_identical_bytes() {
    let opts = PdfOptions::default();
    let a = pdf(&rich(), &opts);
    let b = pdf(&rich(), &opts);
    assert!(a == b, "two runs differ");
}

#[test]
fn threads_that_made_other_documents_give_identical_bytes() {
    let opts = PdfOptions::default();
    let reference = pdf(&rich(), &opts);
    let results: Vec<Vec<u8>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|k| {
                let opts = opts.clone();
                scope.spawn(move || {
                    // A different number of other documents on each thread.
                    for n in 0..=k * 2 {
                        pdf(&small(n + 10 * k), &opts);
                    }
                    pdf(&rich(), &opts)
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
    let a = verbatim_inspect::describe_pdf(&pdf(&small(1), &opts)).unwrap();
    let b = pdf(&small(2), &opts);
    let a_bytes = pdf(&small(1), &opts);
    assert!(a.contains("file id: yes"));
    let id = |pdf: &[u8]| {
        let s = String::from_utf8_lossy(pdf).into_owned();
        let i = s.rfind("/ID").unwrap();
        s[i..i + 60.min(s.len() - i)].to_string()
    };
    assert_ne!(id(&a_bytes), id(&b));
}
