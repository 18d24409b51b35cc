//! The search index, built with the site: for every page its title and URL, and
//! for every heading section its heading, id and plain text (from the single
//! parse, [`crate::markdown::Document::plain`]).
//!
//! It is written as a script, `_labsite/search-index.js`, that assigns one global
//! (`labsiteSearchIndex`): a page opened from `file://` may load a script but not
//! fetch a JSON file. The theme's `search.js` adds that script to the page the
//! first time the search box is used, so pages that are only read never load it.
//!
//! The format is compact arrays rather than objects:
//! `{"pages":[[title,url],…],"sections":[[page,id,heading,text],…]}`, URLs
//! relative to the site root, `id` empty for a page's top, text with its
//! whitespace collapsed.

use serde::Serialize;

use crate::markdown::Document;
use crate::urlpath::site_path;
use crate::workshop::Workshop;

/// The index's file name, in the theme's static folder of the output.
pub const INDEX_FILE: &str = "search-index.js";

/// The global the index script assigns.
const GLOBAL: &str = "labsiteSearchIndex";

#[derive(Serialize)]
struct Index<'a> {
    pages: Vec<(&'a str, String)>,
    sections: Vec<(usize, &'a str, &'a str, String)>,
}

/// The index script of a workshop; `titles` are the final page titles, in page order.
pub fn index_js(ws: &Workshop, documents: &[Document], titles: &[String]) -> String {
    let mut index = Index {
        pages: Vec::with_capacity(ws.pages.len()),
        sections: Vec::new(),
    };
    for (i, (page, doc)) in ws.pages.iter().zip(documents).enumerate() {
        index.pages.push((&titles[i], site_path(&page.output)));
        for (s, text) in doc.plain.iter().enumerate() {
            let text = collapse_whitespace(text);
            // `plain[0]` comes before any heading; `plain[s]` stands under `headings[s - 1]`.
            let (id, heading) = match s.checked_sub(1).map(|h| &doc.headings[h]) {
                // A page's H1 is its title: a hit there leads to the top of the page.
                Some(h) if h.level > 1 => (h.id.as_str(), h.text.as_str()),
                Some(_) | None => ("", ""),
            };
            if text.is_empty() && heading.is_empty() {
                continue;
            }
            index.sections.push((i, id, heading, text));
        }
    }
    // The text holds no U+2028/U+2029 (whitespace, collapsed), which JSON allows in
    // strings but JavaScript before ES2019 did not.
    // Written straight after the assignment: the index is megabytes for a large workshop.
    let mut js = format!("window.{GLOBAL}=").into_bytes();
    serde_json::to_writer(&mut js, &index).expect("the index serializes");
    js.extend_from_slice(b";\n");
    String::from_utf8(js).expect("JSON is UTF-8")
}

/// `text` with every run of whitespace made one space, trimmed.
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::Rendered;
    use crate::workshop::LoadOptions;

    fn index_of(files: &[(&str, &str)]) -> (String, serde_json::Value) {
        let dir = crate::testing::tree(files);
        let r = Rendered::load(dir.path(), &LoadOptions::default()).unwrap();
        let js = index_js(&r.workshop, &r.documents, &r.titles());
        let json = js
            .strip_prefix("window.labsiteSearchIndex=")
            .and_then(|j| j.strip_suffix(";\n"))
            .expect("one assignment");
        (js.clone(), serde_json::from_str(json).unwrap())
    }

    #[test]
    fn sections_carry_their_heading_and_plain_text() {
        let (_, index) = index_of(&[
            ("README.md", "# Welcome\n\nIntro *text*  here.\n"),
            (
                "chapter 1/README.md",
                "# Backup\n\nBefore tasks.\n\n## Task 1: Create the vault\n\n\
                 Run `az backup vault create`:\n\n```bash\naz backup vault create --name rsv-lab\n```\n\n\
                 - one\n- two\n\n<div>raw html</div>\n\n## Empty\n\n```verify\nvalidator: x\n```\n",
            ),
        ]);
        assert_eq!(
            index["pages"],
            serde_json::json!([
                ["Welcome", "index.html"],
                ["Backup", "chapter%201/index.html"]
            ])
        );
        assert_eq!(
            index["sections"],
            serde_json::json!([
                [0, "", "", "Intro text here."],
                [1, "", "", "Before tasks."],
                [
                    1,
                    "task-1-create-the-vault",
                    "Task 1: Create the vault",
                    "Run az backup vault create: az backup vault create --name rsv-lab one two"
                ],
                [1, "empty", "Empty", ""]
            ])
        );
    }

    #[test]
    fn the_index_is_a_script_and_about_the_size_of_the_text() {
        let body = "## Part\n\nThe quick brown fox jumps over the lazy dog.\n\n".repeat(200);
        let (js, index) = index_of(&[("README.md", &format!("# Big\n\n{body}"))]);
        assert!(js.starts_with("window.labsiteSearchIndex={"));
        assert_eq!(index["sections"].as_array().unwrap().len(), 200);
        let text = 200 * "The quick brown fox jumps over the lazy dog.".len();
        assert!(
            js.len() < text + 200 * 40,
            "{} bytes for {text} bytes of text",
            js.len()
        );
        let (js, _) = index_of(&[("README.md", "# A\n\nline\u{2028}separator\n")]);
        assert!(js.contains("line separator"), "{js}");
    }
}
