//! The Markdown pipeline as a whole, on arbitrary bytes as a chapter: decoding
//! and front matter, the one render (HTML, links, headings, sections, verify
//! blocks), every offline check rule, the verify plan (block YAML, validators)
//! and `check --fix`'s repair of the text.
#![no_main]

use std::collections::HashSet;
use std::path::Path;

use labsite::check::fix::{fix_text, Spot};
use labsite::check::{self, CheckOptions};
use labsite::diag::Rule;
use labsite::markdown;
use labsite::verify::Plan;
use labsite::workshop::source;
use labsite_fuzz::{fixture, line_count, CHAPTER_SHOWN};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let shown = Path::new(CHAPTER_SHOWN);
    let (text, warning) = source::decode(data, shown);
    let lines = line_count(&text);
    if let Some(w) = warning {
        assert_eq!(w.file, shown);
        assert!(w.line.is_some_and(|l| (1..=lines).contains(&l)), "{w}");
    }
    let src = match source::split_front_matter(&text, shown) {
        Ok((src, _)) => src,
        Err(e) => {
            // Bad front matter stops the load, with the file and a line inside it.
            assert_eq!(e.file, shown);
            assert!(e.line.is_some_and(|l| (1..=lines).contains(&l)), "{e}");
            return;
        }
    };

    let mut fx = fixture();
    let i = fx.chapter;
    let rendered = &mut fx.rendered;
    let page = &mut rendered.workshop.pages[i];
    page.front = src.front;
    page.body = src.body;
    page.body_line_offset = src.body_line_offset;
    let doc = markdown::render_page(
        &rendered.workshop.pages[i],
        &rendered.resolver,
        rendered.highlighter.as_ref(),
    );

    // Heading ids are unique within a page, and every place is inside the file.
    let mut ids = HashSet::new();
    for h in &doc.headings {
        assert!(ids.insert(h.id.as_str()), "duplicate heading id {:?}", h.id);
        assert!((1..=lines).contains(&h.line), "heading line {}", h.line);
    }
    for l in &doc.links {
        assert!((1..=lines).contains(&l.line), "link line {}", l.line);
        assert!(l.column >= 1);
    }
    for b in &doc.verify_blocks {
        assert!(
            (1..=lines).contains(&b.line),
            "verify block line {}",
            b.line
        );
    }
    rendered.documents[i] = doc;

    let opts = CheckOptions {
        offline: true,
        ..CheckOptions::default()
    };
    let report = check::check(rendered, &opts);
    let mut spots = Vec::new();
    for f in &report.findings {
        if f.file != shown {
            continue;
        }
        // +1: YAML errors at the end of a verify block may point at the line after it.
        assert!(
            f.line.is_none_or(|l| (1..=lines + 1).contains(&l)),
            "finding outside the file: {f}"
        );
        if f.rule == Some(Rule::Mojibake) {
            if let (Some(line), Some(column), Some(damaged)) = (f.line, f.column, &f.target) {
                spots.push(Spot {
                    line,
                    column,
                    damaged: damaged.clone(),
                });
            }
        }
    }
    let plan = Plan::new(rendered);
    for check in &plan.checks {
        let _ = plan.timeout(check);
        let _ = check.name();
    }

    // `check --fix` repairs the file's own text (UTF-8 only), whatever the findings say.
    let raw = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    if let Ok(raw) = std::str::from_utf8(raw) {
        let (fixed, count) = fix_text(raw, &spots);
        assert!(count <= spots.len());
        if count == 0 {
            assert_eq!(fixed, raw);
        }
    }
});
