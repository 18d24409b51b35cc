//! Reading a page file: encodings, line endings and `---` front matter. The body
//! is what follows the front matter, its line offset counts the lines before it,
//! and a bad front matter is an error naming the file and a line inside it.
#![no_main]

use std::path::Path;

use labsite::workshop::source;
use labsite_fuzz::line_count;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let shown = Path::new("content/a.md");
    let (text, _) = source::decode(data, shown);
    assert!(!text.contains('\r'), "line endings are normalised");
    match source::split_front_matter(&text, shown) {
        Ok((src, _)) => {
            assert!(text.ends_with(&src.body));
            // The body starts on the line after the closing `---`, which may end the file.
            let before = &text[..text.len() - src.body.len()];
            let closed_without_newline = !before.is_empty() && !before.ends_with('\n');
            assert_eq!(
                src.body_line_offset,
                before.matches('\n').count() + usize::from(closed_without_newline)
            );
        }
        Err(e) => {
            assert_eq!(e.file, shown);
            let lines = line_count(&text);
            assert!(e.line.is_some_and(|l| (1..=lines).contains(&l)), "{e}");
            assert!(e.hint.is_some());
        }
    }
});
