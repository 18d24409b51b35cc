//! Properties that hold for any input, checked with proptest on generated
//! Markdown and workshops:
//! - heading ids are stable and unique in a page;
//! - link resolution is idempotent and never leaves the content or output folder;
//! - building the same workshop twice gives byte-identical sites;
//! - rendering never drops text: every word of a paragraph is in the HTML.

mod common;
mod robustness;

use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use labsite::markdown::links::{Resolver, Target};
use labsite::markdown::Rendered;
use labsite::markdown::{self, slug::Slugger, Document};
use labsite::urlpath::relative_url;
use labsite::workshop::LoadOptions;
use proptest::prelude::*;

fn render(body: &str) -> Document {
    markdown::render(
        body,
        0,
        Path::new("chapter/README.md"),
        Path::new("chapter/index.html"),
        &Resolver::default(),
        &Default::default(),
    )
}

/// Heading texts as authors write them: words, numbers, punctuation, emoji,
/// accented and CJK letters, repeated often.
fn heading_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Task".to_string()),
        Just("1".to_string()),
        Just("Success Criteria".to_string()),
        Just("💡".to_string()),
        Just("🎉🎊".to_string()),
        Just("!!!".to_string()),
        Just("?".to_string()),
        Just("C++ & C#".to_string()),
        Just("Übersicht".to_string()),
        Just("日本語".to_string()),
        Just("a - b".to_string()),
        Just("-1".to_string()),
        Just("x_y".to_string()),
        "[a-zA-Z0-9]{1,8}",
    ];
    prop::collection::vec(piece, 1..4).prop_map(|p| p.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn heading_ids_are_stable_and_unique_in_a_page(
        headings in prop::collection::vec((1..=4usize, heading_text()), 1..40)
    ) {
        let body: String = headings
            .iter()
            .map(|(level, text)| format!("{} {text}\n\ntext\n\n", "#".repeat(*level)))
            .collect();
        let doc = render(&body);
        let ids: Vec<&str> = doc.headings.iter().map(|h| h.id.as_str()).collect();
        prop_assert_eq!(ids.len(), headings.len());
        let unique: HashSet<&str> = ids.iter().copied().collect();
        prop_assert_eq!(unique.len(), ids.len(), "ids {:?}", ids);
        // Stable: the same page gives the same ids, which are GitHub's slugger's.
        let again = render(&body);
        let ids_again: Vec<&str> = again.headings.iter().map(|h| h.id.as_str()).collect();
        prop_assert_eq!(&ids, &ids_again);
        let mut slugger = Slugger::default();
        for h in &doc.headings {
            prop_assert_eq!(&h.id, &slugger.unique(&h.text));
        }
    }
}

/// A small workshop on disk, loaded once for the link properties.
fn workshop() -> &'static Rendered {
    static WS: OnceLock<(tempfile::TempDir, Rendered)> = OnceLock::new();
    &WS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        for f in [
            "content/README.md",
            "content/chapter-1/README.md",
            "content/chapter-1/extra notes.md",
            "content/chapter-1/images/a b.png",
            "content/chapter-2/Readme.md",
            "content/chapter-2/step:1.md",
            "content/odd#name?/100%.md",
            "content/assets/data/x.json",
        ] {
            let p = dir.path().join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, "# Page\n").unwrap();
        }
        let rendered = Rendered::load(dir.path(), &LoadOptions::default()).unwrap();
        (dir, rendered)
    })
    .1
}

/// Links as authors write them, from pieces of the workshop's paths and of
/// everything that makes links tricky.
fn link() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        Just(".."),
        Just("."),
        Just(""),
        Just("content"),
        Just("chapter-1"),
        Just("chapter-2"),
        Just("README.md"),
        Just("Readme.md"),
        Just("readme.md"),
        Just("images"),
        Just("a b.png"),
        Just("a%20b.png"),
        Just("extra notes.md"),
        Just("extra%20notes.md"),
        Just("step:1.md"),
        Just("step%3A1.md"),
        Just("odd%23name%3F"),
        Just("100%25.md"),
        Just("%2e%2e"),
        Just("a%2Fb"),
        Just("assets"),
        Just("nowhere.md"),
        Just("x:y"),
    ];
    let suffix = prop_oneof![
        Just(""),
        Just("#task-1"),
        Just("#Task%201"),
        Just("?view=1"),
        Just("?a#b"),
        Just("#"),
    ];
    (
        prop_oneof![Just(""), Just("/"), Just("./"), Just("//")],
        prop::collection::vec(segment, 0..6),
        suffix,
    )
        .prop_map(|(start, segments, suffix)| format!("{start}{}{suffix}", segments.join("/")))
}

/// `a/b/../c` → `a/c`; `None` when it climbs above where it starts.
fn normalize_within(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(s) => out.push(s),
            _ => return None,
        }
    }
    Some(out)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn link_resolution_is_idempotent_and_stays_inside(link in link(), from in 0..7usize) {
        let rendered = workshop();
        let ws = &rendered.workshop;
        let r = &rendered.resolver;
        let page = &ws.pages[from % ws.pages.len()];
        let resolved = r.resolve(&page.source, &link);
        prop_assert_eq!(&resolved, &r.resolve(&page.source, &link));

        let target: Option<(PathBuf, bool)> = match &resolved.target {
            Target::Page(i) => Some((ws.pages[*i].source.clone(), false)),
            Target::File(p) | Target::Missing(p) | Target::Unlisted(p) => Some((p.clone(), false)),
            Target::Folder(p) => Some((p.clone(), true)),
            _ => None,
        };
        if let Some((path, folder)) = target {
            prop_assert!(
                path.components().all(|c| matches!(c, Component::Normal(_))),
                "{:?} leaves the content folder: {:?}", link, path
            );
            // The canonical link to what it resolved to resolves to the same thing.
            let mut canonical = relative_url(&page.source, &path);
            if folder && !canonical.ends_with('/') {
                canonical.push('/');
            }
            prop_assert_eq!(&r.resolve(&page.source, &canonical).target, &resolved.target);
        }

        if let Some(href) = r.href(&page.output, &link, &resolved) {
            let path = labsite::urlpath::decode(href.split(['?', '#']).next().unwrap_or(""));
            let from_dir = page.output.parent().unwrap_or(Path::new(""));
            let landed = normalize_within(&from_dir.join(&path));
            prop_assert!(landed.is_some(), "{:?} → {:?} leaves the output", link, href);
            let expected = match &resolved.target {
                Target::Page(i) => r.output_of(*i).to_path_buf(),
                Target::File(p) | Target::Unlisted(p) => p.clone(),
                // A folder without a page: the listing the site makes for it.
                Target::Folder(p) => labsite::markdown::links::listing_page(p),
                other => panic!("an href for {other:?}"),
            };
            prop_assert_eq!(landed.unwrap(), expected, "{:?} → {:?}", link, href);
        }
    }
}

/// A word of prose: starts with a letter so that it never opens a list, a heading
/// or a quote; no character that Markdown reads as markup.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z][a-zA-Z0-9]{0,10}",
        "[a-z]{1,5}[.,;:!?'\")(-]",
        Just("café".to_string()),
        Just("Übersicht".to_string()),
        Just("日本語".to_string()),
        Just("naïve".to_string()),
        Just("💡tip".to_string()),
    ]
}

/// A word as written in a paragraph, plain or inside inline markup.
fn written(word: &str, how: u8) -> String {
    match how {
        0 => format!("*{word}*"),
        1 => format!("**{word}**"),
        2 => format!("`{word}`"),
        3 => format!("[{word}](other.md)"),
        4 => format!("~~{word}~~"),
        5 => format!("[{word}](https://example.com/{word})"),
        _ => word.to_string(),
    }
}

/// The text of an HTML fragment: tags removed, the escapes pulldown-cmark writes decoded.
fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn rendering_never_drops_text(
        paragraphs in prop::collection::vec(
            prop::collection::vec((word(), 0..12u8, 0..10u8), 1..30),
            1..5
        )
    ) {
        let mut body = String::from("# Page\n\n");
        for words in &paragraphs {
            for (i, (w, how, sep)) in words.iter().enumerate() {
                if i > 0 {
                    body.push(if *sep == 0 { '\n' } else { ' ' });
                }
                body.push_str(&written(w, *how));
            }
            body.push_str("\n\n");
        }
        let doc = render(&body);
        let text = text_of(&doc.html);
        // Every word, in order.
        let mut rest = text.as_str();
        for (w, _, _) in paragraphs.iter().flatten() {
            match rest.find(w.as_str()) {
                Some(i) => rest = &rest[i + w.len()..],
                None => prop_assert!(false, "{:?} is missing from {:?}\nsource: {:?}", w, text, body),
            }
        }
    }
}

/// A small workshop: pages with headings, links between them, code and a file.
fn generated_workshop() -> impl Strategy<Value = Vec<(String, String)>> {
    let page = (
        prop::collection::vec(heading_text(), 1..4),
        prop::collection::vec(word(), 1..20),
        0..4usize,
        any::<bool>(),
    );
    prop::collection::vec(page, 1..5).prop_map(|pages| {
        let n = pages.len();
        let mut files = vec![(
            "content/README.md".to_string(),
            "# Home\n\n[first](chapter-0/README.md)\n".to_string(),
        )];
        for (i, (headings, words, link, code)) in pages.into_iter().enumerate() {
            let mut md = String::new();
            for h in &headings {
                md.push_str(&format!("## {h}\n\n{}\n\n", words.join(" ")));
            }
            md.push_str(&format!(
                "[next](../chapter-{}/README.md#{}) ![image](image.png)\n\n",
                (i + link) % n,
                markdown::slug::slug(&headings[0])
            ));
            if code {
                md.push_str("```rust\nfn main() { println!(\"hi\"); }\n```\n");
            }
            files.push((format!("content/chapter-{i}/README.md"), md));
            files.push((format!("content/chapter-{i}/image.png"), format!("png {i}")));
        }
        files
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]

    #[test]
    fn building_the_same_workshop_twice_is_byte_identical(files in generated_workshop()) {
        let ws = robustness::Workshop::new();
        for (path, text) in &files {
            ws.write(path, text);
        }
        let first = ws.dir.path().join("first");
        let second = ws.dir.path().join("second");
        ws.run_args(&["build", ws.root_arg(), "-o", first.to_str().unwrap()]).expect(0);
        let once = robustness::tree(&first, &[]);
        // Again over the previous site (which the build links unchanged files from),
        // and into a new folder.
        ws.run_args(&["build", ws.root_arg(), "-o", first.to_str().unwrap()]).expect(0);
        ws.run_args(&["build", ws.root_arg(), "-o", second.to_str().unwrap()]).expect(0);
        prop_assert!(once == robustness::tree(&first, &[]), "a rebuild changed the site");
        prop_assert!(once == robustness::tree(&second, &[]), "another output folder changed the site");
    }
}
