//! `labsite build` on fixture workshops: pages, navigation, heading ids, link
//! rewriting, the output folder's safety, determinism, and a site whose every
//! internal link resolves.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;
use percent_encoding::percent_decode_str;

fn build(root: &Path, out: &Path) -> std::process::Output {
    run(&["build", root.to_str().unwrap(), "-o", out.to_str().unwrap()])
}

fn read(path: impl AsRef<Path>) -> String {
    fs::read_to_string(path.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

#[test]
fn seed_chapter_builds_as_chapter_three_of_four() {
    let (dir, root) = workshop_copy("seed-workshop");
    let out = dir.path().join("site");
    let result = build(&root, &out);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(
        stderr(&result).contains("Built 5 pages"),
        "{}",
        stderr(&result)
    );

    let html = read(out.join("chapter-3/index.html"));
    let ids = attrs(&html, "main h1, main h2:not(#labsite-page-resources)", "id");
    assert_eq!(
        ids,
        vec![
            "chapter-3---backup",
            "learning-checkpoint---backup-options",
            "what-can-you-back-up",
            "task-1-enable-backup-for-the-vm",
            "task-2-enable-backup-in-cosmos-db",
            "success-criteria-ðÿž",
        ]
    );
    let links = attrs(&html, "main a", "href");
    assert!(
        links.contains(&"../chapter-4/index.html".to_string()),
        "{links:?}"
    );
    assert!(
        links.contains(&"../chapter-2/index.html".to_string()),
        "{links:?}"
    );
    // Links copied from another docs site resolve to nothing here: left as written.
    assert!(links.contains(&"backup-azure-vms-introduction.md".to_string()));

    // Navigation: the sidebar lists every chapter with chapter 3 current, and prev/next are the neighbours.
    let current = attrs(&html, "nav [aria-current=page]", "href");
    assert_eq!(
        current,
        vec!["index.html"],
        "the current page is marked in the sidebar"
    );
    assert!(attrs(&html, "link[rel=prev]", "href") == vec!["../chapter-2/index.html"]);
    assert!(attrs(&html, "link[rel=next]", "href") == vec!["../chapter-4/index.html"]);
    assert!(html.contains("Chapter 3 of 4"), "progress is shown");
    assert!(
        html.contains("<title>Chapter 3 - Backup · BCDR MicroHack</title>"),
        "title from the first H1"
    );
    // Chapter 2's link into chapter 3's heading keeps its fragment.
    let ch2 = read(out.join("chapter-2/index.html"));
    assert!(attrs(&ch2, "main a", "href")
        .contains(&"../chapter-3/index.html#task-1-enable-backup-for-the-vm".to_string()));
}

#[test]
fn unreadable_front_matter_is_a_warning_and_the_page_is_built_without_it() {
    let (dir, root) = workshop_copy("seed-workshop");
    let out = dir.path().join("public");
    // A Hugo archetype: its front matter is a Go template, not YAML.
    fs::write(
        root.join("content/chapter-2/README.md"),
        "---\ntitle: \"{{ replace .Name \"-\" \" \" | title }}\"\ndraft: true\n---\n# Two\n\nBody text.\n",
    )
    .unwrap();
    let result = build(&root, &out);
    let err = stderr(&result);
    assert!(result.status.success(), "{err}");
    assert!(
        err.contains("content/chapter-2/README.md:2")
            && err.contains("built without its front matter"),
        "{err}"
    );
    let page = read(out.join("chapter-2/index.html"));
    assert!(page.contains("Body text."), "the page is built");
    assert!(!page.contains("replace .Name"), "without its front matter");
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let (dir, root) = workshop_copy("seed-workshop");
    let out = dir.path().join("public");
    assert!(build(&root, &out).status.success());
    let before = snapshot(&out);

    fs::write(
        root.join("content/chapter-2/README.md"),
        "---\ntitle: [unclosed\n---\n# Two\n",
    )
    .unwrap();
    // Unreadable front matter fails the build only with --strict (else it warns).
    let result = run(&[
        "build",
        root.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--strict",
    ]);
    assert_eq!(result.status.code(), Some(2), "configuration errors exit 2");
    let err = stderr(&result);
    // The unclosed `[` opens on line 2; YAML notices at the closing `---` (line 3).
    assert!(
        err.contains("content/chapter-2/README.md:3:1"),
        "names the file and line: {err}"
    );
    assert!(err.contains("invalid YAML"), "{err}");
    assert_eq!(snapshot(&out), before, "the previous site is intact");
    let siblings: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        siblings.len(),
        2,
        "no temporary folder is left behind: {siblings:?}"
    );
}

#[test]
fn a_broken_template_fails_with_its_file_and_line() {
    let (dir, root) = workshop_copy("seed-workshop");
    let templates = root.join("themes/default/templates");
    fs::create_dir_all(&templates).unwrap();
    fs::write(
        templates.join("page.html"),
        "<html>\n<body>\n{% if page.title %}\n</body>",
    )
    .unwrap();
    let result = build(&root, &dir.path().join("out"));
    assert_eq!(result.status.code(), Some(2));
    let err = stderr(&result);
    assert!(err.contains("themes/default/templates/page.html"), "{err}");
    assert!(!dir.path().join("out").exists(), "nothing is half-written");
}

#[test]
fn a_workshops_own_check_widget_replaces_the_built_in_one() {
    let (dir, root) = workshop_copy("verify/kinds");
    let templates = root.join("themes/default/templates");
    fs::create_dir_all(&templates).unwrap();
    fs::write(
        templates.join("verify-widget.html"),
        "<aside class=\"my-check\" data-check=\"{{ id }}\">{{ title }}: <kbd>{{ command }}</kbd></aside>\n",
    )
    .unwrap();
    let out = dir.path().join("site");
    let result = build(&root, &out);
    assert!(result.status.success(), "{}", stderr(&result));
    let page = read(out.join("scripts/index.html"));
    let checks = attrs(&page, "aside.my-check", "data-check");
    assert_eq!(checks.len(), 10, "every verify block: {checks:?}");
    assert_eq!(checks[0], "pass");
    assert!(
        attrs(&page, "div.verify", "data-check").is_empty(),
        "{page}"
    );
    assert!(page.contains("<kbd>labsite verify --check scripts/pass</kbd>"));
    assert!(
        page.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;"),
        "the workshop's template escapes too"
    );
    let print = read(out.join("print.html"));
    assert!(print.contains("<kbd>labsite verify --check scripts/pass</kbd>"));
    assert!(!print.contains("class=\"verify\""));

    // A mistake in it fails the build, naming the template.
    fs::write(
        templates.join("verify-widget.html"),
        "<p>{{ no_such_value }}</p>\n",
    )
    .unwrap();
    let result = build(&root, &dir.path().join("site-2"));
    assert_eq!(result.status.code(), Some(2));
    assert!(
        stderr(&result).contains("themes/default/templates/verify-widget.html"),
        "{}",
        stderr(&result)
    );
}

#[test]
fn refuses_an_output_folder_it_did_not_create() {
    let (dir, root) = workshop_copy("seed-workshop");
    let out = dir.path().join("docs");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("keep.txt"), "my notes").unwrap();
    let result = build(&root, &out);
    assert_eq!(result.status.code(), Some(2));
    assert!(
        stderr(&result).contains("not created by labsite"),
        "{}",
        stderr(&result)
    );
    assert_eq!(read(out.join("keep.txt")), "my notes");

    for target in [root.clone(), root.join("content")] {
        let result = build(&root, &target);
        assert_eq!(
            result.status.code(),
            Some(2),
            "refuses {}",
            target.display()
        );
    }
    assert!(
        root.join("content/chapter-3/README.md").is_file(),
        "sources untouched"
    );
}

#[test]
fn identical_input_gives_identical_output() {
    let (dir, root) = workshop_copy("seed-workshop");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    assert!(build(&root, &a).status.success());
    assert!(build(&root, &b).status.success());
    assert_eq!(snapshot(&a), snapshot(&b));
}

#[test]
fn every_link_form_is_rewritten() {
    let (dir, root) = workshop_copy("links");
    let out = dir.path().join("out");
    assert!(build(&root, &out).status.success());
    let html = read(out.join("index.html"));
    let hrefs = attrs(&html, "article.markdown-body a:not(.anchor)", "href");
    assert_eq!(
        hrefs,
        vec![
            "chapter-1/index.html",
            "chapter-2/index.html",
            "chapter-2/index.html",
            "chapter-2/index.html",
            "chapter-1/index.html#task-1-do-it",
            "extra%20notes%20(old)/notes.html",
            "extra%20notes%20(old)/notes.html",
            "chapter-1/index.html",
            "chapter-2/index.html#step-2",
            "nowhere.md",
            "https://example.com/docs",
            "chapter-1/index.html",
        ]
    );
    assert_eq!(
        attrs(&html, "main img", "src"),
        vec!["chapter-1/images/diagram.svg"]
    );
    let ch1 = read(out.join("chapter-1/index.html"));
    assert_eq!(attrs(&ch1, "main img", "src"), vec!["images/diagram.svg"]);
    assert!(attrs(&ch1, "main a", "href").contains(&"../index.html".to_string()));
    let notes = read(out.join("extra notes (old)/notes.html"));
    assert!(attrs(&notes, "main a", "href").contains(&"../index.html".to_string()));
}

/// Every `href`/`src` that stays in the site points at a file in the output,
/// and every fragment at an id in the target page.
fn assert_internal_links_resolve(out: &Path) {
    let mut checked = 0;
    for (rel, bytes) in snapshot(out) {
        if rel.extension().and_then(|e| e.to_str()) != Some("html") || rel == Path::new("404.html")
        {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let mut urls = attrs(&html, "a[href]", "href");
        urls.extend(attrs(&html, "link[href]", "href"));
        urls.extend(attrs(&html, "img[src], script[src]", "src"));
        urls.extend(attrs(&html, "form[data-index]", "data-index"));
        for url in urls {
            if url.contains("://")
                || url.starts_with("mailto:")
                || url.ends_with(".md")
                || url.contains(".md#")
            {
                continue;
            }
            let (path, fragment) = url
                .split_once('#')
                .map_or((url.as_str(), None), |(p, f)| (p, Some(f)));
            let target: PathBuf = if path.is_empty() {
                rel.clone()
            } else {
                let decoded = percent_decode_str(path).decode_utf8().unwrap().into_owned();
                normalize(&rel.parent().unwrap().join(decoded))
            };
            let file = out.join(&target);
            assert!(
                file.is_file(),
                "{}: {url} → {} does not exist",
                rel.display(),
                target.display()
            );
            if let (Some(fragment), Some("html")) =
                (fragment, target.extension().and_then(|e| e.to_str()))
            {
                let fragment = percent_decode_str(fragment).decode_utf8().unwrap();
                let ids = attrs(&read(&file), "[id]", "id");
                assert!(
                    ids.iter().any(|id| *id == fragment),
                    "{}: #{fragment} not in {}",
                    rel.display(),
                    target.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 50, "the crawl saw the site ({checked} links)");
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                assert!(out.pop(), "{} leaves the site", p.display())
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

#[test]
fn every_internal_link_of_the_sample_site_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let result = run(&[
        "build",
        repo().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--base-url",
        "/sub/path/",
    ]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert_internal_links_resolve(&out);
    for chapter in 1..=4 {
        assert!(out.join(format!("chapter-{chapter}/index.html")).is_file());
    }
    assert!(out.join("404.html").is_file() && out.join("_labsite/highlight.css").is_file());
}

#[test]
fn every_internal_link_of_the_seed_site_resolves() {
    let (dir, root) = workshop_copy("seed-workshop");
    let out = dir.path().join("site");
    assert!(build(&root, &out).status.success());
    assert_internal_links_resolve(&out);
}

#[test]
fn new_scaffolds_a_workshop_that_builds_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("my-lab");
    let result = run(&["new", ws.to_str().unwrap()]);
    assert!(result.status.success(), "{}", stderr(&result));
    let result = run(&["build", ws.to_str().unwrap()]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(ws.join("public/chapter-1/index.html").is_file());
    let again = run(&["new", ws.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2), "never scaffolds over files");
}

#[test]
fn every_command_has_help_and_the_binary_a_version() {
    let version = run(&["--version"]);
    assert!(
        stdout(&version).starts_with("labsite "),
        "{}",
        stdout(&version)
    );
    let help = run(&["--help"]);
    let text = stdout(&help);
    let commands: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(
        commands.contains(&"build") && commands.contains(&"new"),
        "{text}"
    );
    for command in commands {
        let out = run(&[command, "--help"]);
        assert!(out.status.success(), "{command} --help");
        assert!(
            stdout(&out).contains("Usage: labsite"),
            "{command} --help prints usage"
        );
    }
    assert_eq!(run(&["build", "--no-such-flag"]).status.code(), Some(2));
}

#[test]
fn a_build_keeps_its_highlighted_code_for_the_next_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    fs::create_dir_all(root.join("content")).unwrap();
    fs::write(
        root.join("content/README.md"),
        "# Home\n\n```python\ndef greet(name):\n    return f\"hi {name}\"\n```\n",
    )
    .unwrap();
    let cache = dir.path().join("cache");
    let out = dir.path().join("site");
    let build = || {
        let result = labsite()
            .args(["build", root.to_str().unwrap(), "-o", out.to_str().unwrap()])
            .env("LABSITE_CACHE_DIR", &cache)
            .output()
            .unwrap();
        assert!(result.status.success(), "{}", stderr(&result));
        read(out.join("index.html"))
    };
    let first = build();
    let files: Vec<PathBuf> = fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("highlight-") && name.ends_with(".bin"),
        "{name}"
    );
    // The cache holds the block as the page shows it.
    let saved = String::from_utf8_lossy(&fs::read(&files[0]).unwrap()).into_owned();
    let code = first
        .split_once("<code class=\"language-python\">")
        .and_then(|(_, rest)| rest.split_once("</code>"))
        .map(|(code, _)| code.to_string())
        .expect("the page has the code block");
    assert!(code.contains("<span class="), "{code}");
    assert!(saved.contains(&code), "{saved}");
    // Built again from the cache: the same page.
    assert_eq!(build(), first);
}
