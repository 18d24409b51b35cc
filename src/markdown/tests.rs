//! Tests of the single Markdown pass: GitHub rendering, and what it collects for
//! the other stages (links with positions, anchors, sections, verify blocks).

use std::path::Path;

use super::{render, Document, LinkKind, SectionKind};
use crate::markdown::links::{Resolver, Target};

fn doc(md: &str) -> Document {
    render(
        md,
        0,
        Path::new("chapter-1/README.md"),
        Path::new("chapter-1/index.html"),
        &Resolver::default(),
        &Default::default(),
    )
}

#[test]
fn github_features_render() {
    let d = doc("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n~~old~~ text[^1]\n\n[^1]: A note.\n");
    assert!(
        d.html.contains("<div class=\"table-wrap\">\n<table>"),
        "{}",
        d.html
    );
    assert!(d.html.contains("type=\"checkbox\""));
    assert!(d.html.contains("<del>old</del>"));
    assert!(d.html.contains("footnote-reference"));
    assert!(
        d.anchors.contains(&"1".to_string()),
        "footnote definitions are anchors"
    );
}

#[test]
fn alerts_are_call_outs() {
    for (kind, title) in [
        ("NOTE", "Note"),
        ("TIP", "Tip"),
        ("IMPORTANT", "Important"),
        ("WARNING", "Warning"),
        ("CAUTION", "Caution"),
    ] {
        let d = doc(&format!("> [!{kind}]\n> Mind this.\n"));
        let class = kind.to_lowercase();
        assert!(
            d.html.contains(&format!("<div class=\"markdown-alert markdown-alert-{class}\">\n<p class=\"markdown-alert-title\">{title}</p>")),
            "{}",
            d.html
        );
        assert!(d.html.contains("Mind this.") && d.html.trim_end().ends_with("</div>"));
    }
}

#[test]
fn headings_get_github_ids_and_a_link() {
    let d = doc("# Title\n\n## Task 1: Do it\n\n## Task 1: Do it\n\n### Success Criteria 🎉\n");
    let ids: Vec<&str> = d.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "title",
            "task-1-do-it",
            "task-1-do-it-1",
            "success-criteria-"
        ]
    );
    assert_eq!(d.title.as_deref(), Some("Title"));
    assert!(d.html.contains(
        "<h2 id=\"task-1-do-it\">Task 1: Do it<a class=\"anchor\" href=\"#task-1-do-it\""
    ));
    assert_eq!(d.headings[1].line, 3);
}

#[test]
fn links_are_recorded_with_their_place_and_kind() {
    let md = "Intro.\n\nSee [docs](https://example.com/a) and ![a diagram](images/x.png).\nBare https://learn.microsoft.com/azure here.\n\n<a href=\"other.md\">raw</a>\n\n`[not](a-link.md)`\n\n```md\n[not](either.md)\n```\n";
    let d = doc(md);
    let found: Vec<(&LinkKind, &str, usize, usize)> = d
        .links
        .iter()
        .map(|l| (&l.kind, l.dest.as_str(), l.line, l.column))
        .collect();
    assert_eq!(found.len(), 4, "{found:?}");
    assert_eq!(
        (found[0].1, found[0].2, found[0].3),
        ("https://example.com/a", 3, 5)
    );
    assert_eq!(found[1].0, &LinkKind::Image);
    assert_eq!(d.links[1].text, "a diagram", "alt text");
    assert_eq!(
        (found[2].0, found[2].1, found[2].2, found[2].3),
        (
            &LinkKind::Autolink,
            "https://learn.microsoft.com/azure",
            4,
            6
        )
    );
    assert!(matches!(found[3].0, LinkKind::Html { .. }));
    assert_eq!((found[3].2, found[3].3), (6, 4), "the attribute's place");
    assert_eq!(d.links[0].resolved.target, Target::External);
    assert!(d.html.contains(
        "<a href=\"https://learn.microsoft.com/azure\">https://learn.microsoft.com/azure</a>"
    ));
}

#[test]
fn lines_count_from_the_file_including_front_matter() {
    let d = render(
        "[x](y.md)\n",
        4,
        Path::new("a.md"),
        Path::new("a.html"),
        &Resolver::default(),
        &Default::default(),
    );
    assert_eq!(d.links[0].line, 5);
}

#[test]
fn raw_html_ids_are_anchors() {
    let d = doc("<a id=\"custom-spot\"></a>\n\n<details><summary>More</summary>\n\n<p id=\"inner\">x</p>\n</details>\n");
    assert!(d.anchors.contains(&"custom-spot".to_string()));
    assert!(d.anchors.contains(&"inner".to_string()));
}

#[test]
fn learning_resources_and_success_criteria_are_sections() {
    let md = "## Task 1: Build\n\nDo it.\n\n💡 **Learning Resources**:\n- [One](https://a.example/1)\n- [Two](https://b.example/2)\n\nAfter [three](https://c.example/3).\n\n## Success Criteria ✅\n\n- [ ] It works.\n";
    let d = doc(md);
    let kinds: Vec<SectionKind> = d.sections.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        vec![SectionKind::LearningResources, SectionKind::SuccessCriteria]
    );
    let resources = &d.sections[0];
    assert!(!resources.is_heading);
    assert_eq!(resources.heading, Some(0), "under the task heading");
    let dests: Vec<&str> = resources
        .links
        .iter()
        .map(|&i| d.links[i].dest.as_str())
        .collect();
    assert_eq!(
        dests,
        vec!["https://a.example/1", "https://b.example/2"],
        "the list after the label, not later links"
    );
    assert!(d.sections[1].is_heading);
}

#[test]
fn verify_blocks_bind_to_the_task_item_before_them() {
    let md = "## Success Criteria\n\n- [ ] The VM is running.\n\n```verify\nid: vm\nvalidator: v\n```\n\nSome text.\n\n```verify\nvalidator: w\n```\n";
    let d = doc(md);
    assert_eq!(d.verify_blocks.len(), 2);
    let first = &d.verify_blocks[0];
    assert_eq!(first.line, 5);
    assert_eq!(first.body, "id: vm\nvalidator: v\n");
    assert_eq!(
        first.task.as_ref().map(|t| t.text.as_str()),
        Some("The VM is running.")
    );
    assert_eq!(first.heading, Some(0));
    assert!(
        d.verify_blocks[1].task.is_none(),
        "a paragraph in between unbinds it"
    );
}

#[test]
fn code_is_highlighted_and_text_runs_skip_it() {
    let d = doc("Text ðŸ’¡ here.\n\n```bash\necho ðŸ’¡\n```\n");
    assert!(d
        .html
        .contains("<pre class=\"code\" data-lang=\"bash\"><code class=\"language-bash\">"));
    assert!(d.html.contains("hl-"), "highlighted with classes");
    assert_eq!(d.texts.len(), 1, "prose only: {:?}", d.texts);
    assert_eq!((d.texts[0].line, d.texts[0].column), (1, 1));
}

#[test]
fn the_first_paragraph_is_the_summary() {
    let d = doc("# T\n\n💡 **Learning Resources**:\n\nThe real summary.\n");
    assert_eq!(d.summary.as_deref(), Some("The real summary."));
}

#[test]
fn a_workshop_renders_as_its_pages_do_alone() {
    // The workshop's code is highlighted after all pages are parsed, grouped by
    // language; each page alone highlights as it goes. Both must give the same HTML.
    let chapter = |n: usize| {
        format!(
            "# Chapter {n}\n\n```bash\naz group create -n rg-{n}\n```\n\n\
             - item\n\n  ```python\n  print({n})\n  ```\n\n> ```json\n> {{\"n\": {n}}}\n> ```\n\n\
             [^1]: A note with code:\n\n    ```yaml\n    n: {n}\n    ```\n\n\
             Text[^1] and `inline`.\n\n```\nplain <{n}>\n```\n\n\
             - [ ] done\n\n```verify\nid: a\nvalidator: [unclosed\n```\n\n```bash\naz group create -n rg-{n}\n```\n"
        )
    };
    let dir = crate::testing::tree(&[
        ("README.md", "# Lab\n\n```powershell\nGet-AzVM\n```\n"),
        ("chapter-1/README.md", &chapter(1)),
        ("chapter-2/README.md", &chapter(2)),
    ]);
    let ws = crate::workshop::Workshop::load(dir.path(), &Default::default()).unwrap();
    let resolver = Resolver::new(&ws);
    let together = super::render_workshop(&ws, &resolver, Some(&Default::default()));
    assert_eq!(together.len(), 3);
    for (page, doc) in ws.pages.iter().zip(&together) {
        let alone = super::render_page(page, &resolver, Some(&Default::default()));
        assert_eq!(doc.html, alone.html, "{}", page.key);
        assert_eq!(
            doc.html.matches("<pre class=\"code\"").count(),
            doc.html.matches("</code></pre>").count()
        );
    }
    let html = &together[1].html;
    for lang in ["bash", "python", "json", "yaml"] {
        let open = format!("<code class=\"language-{lang}\">");
        let at = html
            .find(&open)
            .unwrap_or_else(|| panic!("{lang} block in {html}"));
        let inside = &html[at + open.len()..];
        let inside = &inside[..inside.find("</code>").unwrap()];
        assert!(
            inside.contains("hl-"),
            "{lang} highlighted in place: {inside}"
        );
    }
    assert!(html.contains("<code>plain &lt;1&gt;\n</code>"), "{html}");
    let verify = &html[html
        .find("<code class=\"language-verify\">")
        .expect("verify block as code")..];
    assert!(
        verify[..verify.find("</code>").unwrap()].contains("unclosed"),
        "a verify block that is not YAML shows as code: {verify}"
    );
    let unhighlighted = super::render_workshop(&ws, &resolver, None);
    assert!(!unhighlighted[1].html.contains("hl-"));
    assert!(unhighlighted[1]
        .html
        .contains("az group create -n rg-1\n</code>"));
}

/// The `href`s of a page's links that hold a fragment, in order; the links
/// headings get (`a.anchor`) aside.
fn fragment_hrefs(html: &str) -> Vec<String> {
    crate::markdown::html::tags(html)
        .into_iter()
        .filter(|t| t.attr("class").map_or(true, |c| c.value != "anchor"))
        .filter_map(|t| t.attr("href").map(|a| a.value.clone()))
        .filter(|href| href.contains('#'))
        .collect()
}

#[test]
fn fragment_links_are_rewritten_to_the_ids_their_pages_have() {
    let dir = crate::testing::tree(&[
        (
            "README.md",
            "# Lab\n\n```bash\necho 1\n```\n\n\
             [a](a/README.md#Setup) [b](a/README.md#user-content-setup) [c](a/README.md#SETUP)\n\n\
             ## See [the setup](a/README.md#SeTuP)\n\n\
             <a href=\"a/README.md#Setup\">raw</a> <a href=\"#intro\" title=\"x\">raw</a>\n\n\
             ```python\nprint(1)\n```\n\n\
             [self](#INTRO) [u](#%C3%9Cber-Uns) [t](#top) [x](#:~:text=Lab) [gone](a/README.md#nowhere)\n\n\
             ## Intro\n\n## Über uns\n\n![img](a/d.png#Setup)\n",
        ),
        (
            "a/README.md",
            "# A\n\n## Setup\n\n<a id=\"Raw-Id\"></a>\n\n[home](../README.md#Intro) [raw](#raw-id)\n",
        ),
        ("a/d.png", ""),
    ]);
    let ws = crate::workshop::Workshop::load(dir.path(), &Default::default()).unwrap();
    let resolver = Resolver::new(&ws);
    let docs = super::render_workshop(&ws, &resolver, Some(&Default::default()));
    assert_eq!(
        fragment_hrefs(&docs[0].html),
        [
            "a/index.html#setup",
            "a/index.html#setup",
            "a/index.html#setup",
            "a/index.html#setup",
            "a/index.html#setup",
            "#intro",
            "#intro",
            "#%C3%BCber-uns",
            "#top",
            "#:~:text=Lab",
            "a/index.html#nowhere",
        ],
        "{}",
        docs[0].html
    );
    assert!(
        docs[0].html.contains("src=\"a/d.png#Setup\""),
        "an image's fragment is not an id"
    );
    assert_eq!(
        fragment_hrefs(&docs[1].html),
        ["../index.html#intro", "#Raw-Id"]
    );
    assert_eq!(
        docs[0].html.matches("class=\"hl-").count(),
        render_page_html(&ws, &resolver, 0)
            .matches("class=\"hl-")
            .count(),
        "code still highlighted in place"
    );
    // The refs follow the bytes they stand on through highlighting and rewriting.
    for doc in &docs {
        for r in &doc.fragment_refs {
            let link = &doc.links[r.link];
            let written = crate::urlpath::decode(&doc.html[r.at.clone()]);
            let fragment = link.resolved.fragment.as_deref().unwrap();
            let target = match link.resolved.target {
                Target::Page(t) => &docs[t],
                _ => doc,
            };
            match super::fragments::resolve(&target.anchors, fragment) {
                super::fragments::FragmentMatch::Id(id) => assert_eq!(written, id),
                _ => assert_eq!(written, fragment),
            }
        }
    }
    assert_eq!(docs[0].fragment_refs.len(), 11);
}

fn render_page_html(ws: &crate::workshop::Workshop, resolver: &Resolver, i: usize) -> String {
    super::render_page(&ws.pages[i], resolver, Some(&Default::default())).html
}

#[test]
fn a_page_rendered_again_relinks_the_pages_that_link_into_it() {
    let dir = crate::testing::tree(&[
        ("README.md", "# Lab\n\n[a](a.md#SETUP) [b](b.md#x)\n"),
        ("a.md", "# A\n\n## Setup\n"),
        ("b.md", "# B\n\n[a](a.md#Setup)\n"),
    ]);
    let mut r = super::Rendered::load(dir.path(), &Default::default()).unwrap();
    let page = |r: &super::Rendered, key: &str| {
        r.workshop.pages.iter().position(|p| p.key == key).unwrap()
    };
    let (home, a, b) = (page(&r, "index"), page(&r, "a"), page(&r, "b"));
    assert_eq!(fragment_hrefs(&r.documents[home].html)[0], "a.html#setup");
    let edit = |r: &mut super::Rendered, body: &str| {
        r.workshop.pages[a].body = body.to_string();
        let doc = super::render_page(&r.workshop.pages[a], &r.resolver, r.highlighter.as_ref());
        r.replace_document(a, doc)
    };
    assert_eq!(
        edit(&mut r, "# A\n\n## Setup\n\nMore text, same ids.\n"),
        Vec::<usize>::new()
    );
    let mut changed = edit(&mut r, "# A\n\n<a id=\"SETUP\"></a>\n\n## Prepare\n");
    changed.sort();
    assert_eq!(changed, [home.min(b), home.max(b)]);
    assert_eq!(fragment_hrefs(&r.documents[home].html)[0], "a.html#SETUP");
    assert_eq!(fragment_hrefs(&r.documents[b].html), ["a.html#SETUP"]);
    edit(&mut r, "# A\n\n## Prepare\n");
    assert_eq!(
        fragment_hrefs(&r.documents[home].html),
        ["a.html#SETUP", "b.html#x"],
        "a fragment to nothing is left as written"
    );
    assert_eq!(fragment_hrefs(&r.documents[b].html), ["a.html#Setup"]);
    edit(&mut r, "# A\n\n## Setup\n\n[home](README.md#LAB)\n");
    assert_eq!(fragment_hrefs(&r.documents[home].html)[0], "a.html#setup");
    assert_eq!(
        fragment_hrefs(&r.documents[a].html),
        ["index.html#lab"],
        "the edited page's own links"
    );
}
