//! Writing a transcript as TEI and reading it back gives the same transcript.

mod common;

use verbatim_model::{DatePolicy, WriteContext};
use verbatim_tei::{TeiOptions, read_str as read, to_vec};

fn contexts() -> Vec<WriteContext> {
    let with_all = WriteContext::new(
        Some("verbatim 0.1.0".into()),
        DatePolicy::new(Some(1_768_435_200)),
    );
    vec![WriteContext::default(), with_all]
}

#[test]
fn every_model_reads_back_equal_and_without_warnings() {
    for (name, t) in common::all() {
        for cx in contexts() {
            let xml = to_vec(&t, &TeiOptions::default(), &cx).unwrap();
            let xml = String::from_utf8(xml).unwrap();
            let back = read(&xml).unwrap_or_else(|e| panic!("{name}: {e}\n{xml}"));
            assert_eq!(back.value, t, "{name} with {cx:?}:\n{xml}");
            assert!(back.warnings.is_empty(), "{name}: {:?}", back.warnings);
        }
    }
}

#[test]
fn output_is_deterministic() {
    for (name, t) in common::all() {
        let a = to_vec(&t, &TeiOptions::default(), &WriteContext::default()).unwrap();
        let b = to_vec(&t.clone(), &TeiOptions::default(), &WriteContext::default()).unwrap();
        assert_eq!(a, b, "{name}");
    }
}

#[test]
fn writing_what_was_read_gives_the_same_bytes() {
    for (name, t) in common::all() {
        let first = to_vec(&t, &TeiOptions::default(), &WriteContext::default()).unwrap();
        let back = read(std::str::from_utf8(&first).unwrap()).unwrap();
        let second = to_vec(
            &back.value,
            &TeiOptions::default(),
            &WriteContext::default(),
        )
        .unwrap();
        assert_eq!(first, second, "{name}");
    }
}

#[test]
fn values_invalid_in_attributes_are_kept_in_text_or_made_valid() {
    use verbatim_model::Inline;
    let t = common::awkward_values();
    let xml =
        String::from_utf8(to_vec(&t, &TeiOptions::default(), &WriteContext::default()).unwrap())
            .unwrap();
    assert!(
        xml.contains(r#"<ref target="http://example.org/a%5B1%5D">http://example.org/a[1]</ref>"#)
    );
    assert!(xml.contains("<licence>https://example.org/%zz</licence>"));
    assert!(xml.contains(r#"<ref target="50%25 off#a%23b">odd</ref><ref>empty</ref>"#));
    let back = read(&xml).unwrap();
    // The header comes back exactly; link targets as made valid.
    assert_eq!(back.value.metadata, t.metadata);
    let para = &back.value.turns().next().unwrap().paragraphs[0];
    assert_eq!(
        para,
        &vec![
            Inline::Link {
                target: "50%25 off#a%23b".into(),
                content: vec![Inline::text("odd")]
            },
            Inline::text("empty"),
        ]
    );
    assert_eq!(back.warnings.len(), 1, "{:?}", back.warnings);
}
