//! GitHub slugging: heading ids only hold letters, marks, numbers, `_` and `-`,
//! the same text always gives the same id, and a page's ids are all different.
#![no_main]

use std::collections::HashSet;

use labsite::markdown::slug::{slug, Slugger};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let s = slug(&text);
    assert_eq!(s, slug(&text), "slugs are stable");
    assert!(
        !s.chars()
            .any(|c| c.is_whitespace() || (c.is_ascii_punctuation() && c != '-' && c != '_')),
        "{text:?} -> {s:?}"
    );

    // Each line a heading of one page.
    let mut slugger = Slugger::default();
    let mut seen = HashSet::new();
    for heading in text.split('\n').take(200) {
        let id = slugger.unique(heading);
        let base = slug(heading);
        assert!(
            id == base
                || id
                    .strip_prefix(&base)
                    .and_then(|rest| rest.strip_prefix('-'))
                    .is_some_and(|n| n.parse::<usize>().is_ok()),
            "{id:?} is not {base:?} or {base:?}-N"
        );
        assert!(seen.insert(id.clone()), "id {id:?} handed out twice");
    }
});
