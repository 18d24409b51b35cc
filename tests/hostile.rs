//! Hostile workshops, generated into temporary folders by each test: broken
//! encodings and line endings, huge and deeply nested Markdown, odd file and
//! folder names, symbolic links, unreadable files, YAML bombs, a configuration
//! that is a list, and 50,000 files.
//!
//! For every command that applies (`build`, `check --offline`, `verify`, and
//! `serve` for some): no panic, an end within a time limit the test enforces
//! (the run is killed and the test fails after [`robustness::LIMIT`]), the exit
//! code README.md documents, a message naming the file (and the line where there
//! is one), and nothing written outside the output folder.

mod common;
mod robustness;

use std::fs;
use std::path::Path;
use std::time::Instant;

use common::{attrs, ServeProcess};
use percent_encoding::percent_decode_str;
use robustness::{permissions_are_enforced, tree, Ran, Workshop};

/// Expected exit codes of `build`, `check --offline` and `verify`.
struct Codes {
    build: i32,
    check: i32,
    verify: i32,
}

const CLEAN: Codes = Codes {
    build: 0,
    check: 0,
    verify: 0,
};

/// Runs `build`, `check --offline` and `verify` with their expected exit codes,
/// and asserts that none of them touched the workshop outside `public/`.
fn every_command(ws: &Workshop, codes: Codes) -> [Ran; 3] {
    let before = ws.snapshot();
    let build = ws.run("build", &[]);
    build.expect(codes.build);
    let check = ws.run("check", &["--offline"]);
    check.expect(codes.check);
    let verify = ws.run("verify", &[]);
    verify.expect(codes.verify);
    ws.assert_untouched(&before);
    [build, check, verify]
}

/// Starts `labsite serve` on a free port, asks for each path and its status, and
/// stops it; the server must stay up, never panic, and leave the workshop as it was.
fn serve(ws: &Workshop, requests: &[(&str, u16)]) {
    let before = ws.snapshot();
    let mut server = ServeProcess::start(&ws.root, &[]);
    for (path, want) in requests {
        let (status, body) = server.get(path);
        assert_eq!(status, *want, "GET {path}: {}", robustness::tail(&body));
    }
    assert!(server.try_wait().is_none(), "the server is still running");
    let log: Vec<String> = server.log.try_iter().collect();
    drop(server);
    assert!(
        !log.iter().any(|l| l.contains("panicked")),
        "serve panicked:\n{}",
        log.join("\n")
    );
    ws.assert_untouched(&before);
}

fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The page's own content (`article.markdown-body`), without the theme's navigation.
fn main_of(html: &str) -> &str {
    let start = html
        .find("<article class=\"markdown-body\"")
        .expect("the page's article");
    let end = html.rfind("</article>").expect("the end of the article");
    &html[start..end]
}

fn utf16(bom: [u8; 2], text: &str, unit: fn(u16) -> [u8; 2]) -> Vec<u8> {
    bom.into_iter()
        .chain(text.encode_utf16().flat_map(unit))
        .collect()
}

#[test]
fn encodings_and_line_endings() {
    let ws = Workshop::new();
    ws.write(
        "content/README.md",
        "# Home\n\n[bad](bad.md) [le](utf16.md) [be](utf16be.md) [crlf](crlf.md) [cr](cr.md) [empty](empty.md)\n",
    );
    ws.write(
        "content/bad.md",
        b"# Bad bytes\n\nfine line\ncaf\xE9 and \xFF\xFE here\n",
    );
    ws.write(
        "content/utf16.md",
        utf16(
            [0xFF, 0xFE],
            "# Unicode é 💡\r\n\r\nSee [missing](nowhere.md).\r\n",
            u16::to_le_bytes,
        ),
    );
    ws.write(
        "content/utf16be.md",
        utf16([0xFE, 0xFF], "# Big endian\n\nText\n", u16::to_be_bytes),
    );
    // An odd number of bytes after a UTF-16 BOM: the last byte is no character.
    ws.write("content/utf16odd.md", b"\xFF\xFE#\x00 \x00x\x00\n");
    ws.write(
        "content/crlf.md",
        "# CRLF\r\n\r\nline two\r\n\r\n[gone](gone.md)\r\n",
    );
    ws.write("content/cr.md", "# Lone CR\r\rtext\r\r[lost](lost.md)\r");
    ws.write("content/empty.md", "");

    let [build, check, _] = every_command(&ws, Codes { check: 1, ..CLEAN });
    build.says("content/bad.md:4: the file is not valid UTF-8");
    // Lines count the same whatever the line endings.
    check
        .says("content/utf16.md:3:5")
        .says("content/crlf.md:5:1")
        .says("content/cr.md:5:1")
        .says("content/bad.md:4: the file is not valid UTF-8");

    let out = ws.path("public");
    let le = read(out.join("utf16.html"));
    assert!(le.contains("Unicode é 💡"), "UTF-16 is decoded");
    assert_eq!(attrs(&le, "main h1", "id"), vec!["unicode-é-"]);
    assert!(read(out.join("utf16be.html")).contains("Big endian"));
    assert!(read(out.join("utf16odd.html")).contains(">x<"));
    let cr = read(out.join("cr.html"));
    assert_eq!(attrs(&cr, "main h1", "id"), vec!["lone-cr"]);
    assert!(cr.contains("<p>text</p>"), "a lone CR ends a line");
    assert!(read(out.join("empty.html")).contains("<title>empty"));

    serve(
        &ws,
        &[
            ("/utf16.html", 200),
            ("/empty.html", 200),
            ("/bad.html", 200),
        ],
    );
}

#[test]
fn a_ten_megabyte_single_line_paragraph() {
    let ws = Workshop::new();
    let mut line = String::from("alpha ");
    while line.len() < 10 * 1024 * 1024 {
        line.push_str("lorem ipsum dolor sit amet ");
    }
    line.push_str("omega [end](missing-end.md)");
    let column = line.chars().count() - "[end](missing-end.md)".len() + 1;
    ws.write("content/README.md", format!("# Big\n\n{line}\n"));

    let [_, check, _] = every_command(&ws, Codes { check: 1, ..CLEAN });
    check.says(&format!("content/README.md:3:{column}"));
    let html = read(ws.path("public/index.html"));
    assert!(html.contains("alpha lorem") && html.contains("amet omega"));
}

#[test]
fn ten_thousand_deep_lists_and_block_quotes() {
    let ws = Workshop::new();
    ws.write("content/README.md", "# Deep\n\n[lists](lists.md)\n");
    // Alternating markers: `- - -` would be a thematic break.
    ws.write(
        "content/lists.md",
        format!("# Lists\n\n{}deepest\n", "- * ".repeat(5_000)),
    );
    ws.write(
        "content/ordered.md",
        format!("# Ordered\n\n{}deepest\n", "1. ".repeat(10_000)),
    );
    ws.write(
        "content/quotes.md",
        format!("# Quotes\n\n{} deepest\n", ">".repeat(10_000)),
    );
    ws.write(
        "content/mixed.md",
        format!(
            "# Mixed\n\n{}deepest\n\n{}x{}\n\n{}x{}\n\n{}x{}\n",
            "> - ".repeat(5_000),
            "*".repeat(10_000),
            "*".repeat(10_000),
            "[".repeat(10_000),
            "](#top)".repeat(10_000),
            "<div>".repeat(10_000),
            "</div>".repeat(10_000),
        ),
    );
    every_command(&ws, CLEAN);

    let out = ws.path("public");
    let count = |file: &str, tag: &str| main_of(&read(out.join(file))).matches(tag).count();
    assert_eq!(count("lists.html", "<li>"), 10_000);
    assert_eq!(count("ordered.html", "<li>"), 10_000);
    assert_eq!(count("quotes.html", "<blockquote>"), 10_000);
    assert_eq!(count("mixed.html", "<blockquote>"), 5_000);

    serve(&ws, &[("/quotes.html", 200), ("/mixed.html", 200)]);
}

#[test]
fn a_table_with_five_thousand_columns() {
    let ws = Workshop::new();
    let row = |cell: &dyn Fn(usize) -> String| {
        format!("|{}|\n", (0..5_000).map(cell).collect::<Vec<_>>().join("|"))
    };
    let mut table = row(&|i| format!("c{i}"));
    table.push_str(&row(&|_| "-".into()));
    for r in 0..3 {
        table.push_str(&row(&|i| format!("r{r}v{i}")));
    }
    ws.write("content/README.md", format!("# Wide\n\n{table}"));
    every_command(&ws, CLEAN);
    let html = read(ws.path("public/index.html"));
    let main = main_of(&html);
    assert_eq!(main.matches("<th>").count(), 5_000);
    assert_eq!(main.matches("<td>").count(), 15_000);
    assert!(html.contains("<td>r2v4999</td>"));
}

#[test]
fn headings_of_emoji_or_punctuation_and_a_thousand_identical_headings() {
    let ws = Workshop::new();
    let mut md = String::from("# 🎉🎊\n\n## !!!\n\n## ???\n\n## 💡\n\n## ...\n\n");
    for _ in 0..1_000 {
        md.push_str("## Task 1\n\ntext\n\n");
    }
    md.push_str("[last](#task-1-999) [emoji](#-3)\n\n[none](#task-1-1000)\n");
    let none_line = md.lines().count();
    ws.write("content/README.md", &md);

    let [_, check, _] = every_command(&ws, Codes { check: 1, ..CLEAN });
    check
        .says(&format!("content/README.md:{none_line}:1"))
        .says("no heading or id `#task-1-1000`");
    assert!(
        !check.stdout.contains("#task-1-999`") && !check.stdout.contains("`#-3`"),
        "the 1000th duplicate and the emoji heading have ids:\n{}",
        robustness::tail(&check.stdout)
    );

    let html = read(ws.path("public/index.html"));
    let ids = attrs(&html, "main h1, main h2", "id");
    assert_eq!(ids.len(), 1_005);
    let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "heading ids are unique in a page");
    assert_eq!(&ids[..6], ["", "-1", "-2", "-3", "-4", "task-1"]);
    assert_eq!(ids[1_004], "task-1-999");
}

#[test]
fn links_with_every_byte_value_percent_encoded() {
    let ws = Workshop::new();
    let mut md = String::from("# Links\n\n");
    for b in 0..=255u8 {
        md.push_str(&format!(
            "[b{b}](%{b:02X}.md) [f{b}](#%{b:02X}) <a href=\"x%{b:02X}/y\">h{b}</a>\n"
        ));
    }
    let all: String = (0..=255u8).map(|b| format!("%{b:02X}")).collect();
    md.push_str(&format!("\n[all](a{all}) [all-fragment](#{all})\n"));
    md.push_str("\n[escape](/%2e%2e/%2e%2e/%2e%2e/etc/passwd) [up](..%2F..%2F..%2Fetc%2Fpasswd)\n");
    md.push_str("\n[doubled](https://learn.microsoft.com//en-us/azure/)\n");
    ws.write("content/README.md", &md);

    let [build, check, _] = every_command(&ws, Codes { check: 1, ..CLEAN });
    build.says("[broken-link]");
    check
        .says("content/README.md:3:1")
        .says("content/README.md:258:1")
        .says("points outside")
        .says("remove `/en-us`: the site then picks the reader's language: `https://learn.microsoft.com/azure/`");
    // Nothing from outside the workshop reaches the site.
    for (path, entry) in tree(&ws.path("public"), &[]) {
        if let robustness::Entry::File(Some(bytes)) = entry {
            assert!(
                !String::from_utf8_lossy(&bytes).contains("root:x:0:0"),
                "{} holds /etc/passwd",
                path.display()
            );
        }
    }
    ws.run("build", &["--strict"])
        .expect(1)
        .says("found by the checks (--strict)");
}

// `?` and newlines cannot be in Windows file names.
#[cfg(unix)]
#[test]
fn file_and_folder_names_with_spaces_hash_percent_question_mark_unicode_and_newlines() {
    let ws = Workshop::new();
    let folders = [
        "dir with space",
        "ha#sh",
        "pct%20x",
        "q?m",
        "ünï😀",
        "new\nline",
    ];
    let encode = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    let mut home = String::from("# Home\n\n");
    for f in folders {
        home.push_str(&format!(
            "[{}]({}/) [page]({}/{}) [img]({}/{})\n",
            f.replace('\n', " "),
            encode(f),
            encode(f),
            encode("x y#%?.md"),
            encode(f),
            encode("i m#g?.png"),
        ));
        ws.write(
            Path::new("content").join(f).join("README.md"),
            format!(
                "# In {}\n\n[home](../README.md) [sibling]({})\n",
                f.replace('\n', " "),
                encode("x y#%?.md")
            ),
        );
        ws.write(
            Path::new("content").join(f).join("x y#%?.md"),
            "# Odd page\n",
        );
        ws.write(Path::new("content").join(f).join("i m#g?.png"), "png");
    }
    ws.write("content/README.md", &home);

    let [_, check, _] = every_command(&ws, CLEAN);
    check.says("no problems");

    let out = ws.path("public");
    for f in folders {
        for file in ["index.html", "x y#%?.html", "i m#g?.png"] {
            assert!(out.join(f).join(file).is_file(), "{f:?}/{file}");
        }
    }
    // Every relative link of the landing page leads to a file of the site.
    let html = read(out.join("index.html"));
    let hrefs: Vec<String> = attrs(&html, "main a", "href")
        .into_iter()
        .filter(|h| !h.starts_with('#'))
        .collect();
    assert!(hrefs.len() >= 3 * folders.len(), "{hrefs:?}");
    for href in hrefs {
        let path = percent_decode_str(&href).decode_utf8().unwrap();
        let target = out.join(path.as_ref());
        assert!(
            target.is_file() || target.join("index.html").is_file(),
            "{href} -> {}",
            target.display()
        );
    }

    serve(
        &ws,
        &[
            ("/ha%23sh/", 200),
            ("/new%0Aline/", 200),
            ("/q%3Fm/x%20y%23%25%3F.html", 200),
            ("/%C3%BCn%C3%AF%F0%9F%98%80/i%20m%23g%3F.png", 200),
        ],
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_loops_and_links_out_of_the_workshop() {
    use std::os::unix::fs::symlink;
    let ws = Workshop::new();
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.md"), "# TOP SECRET\n").unwrap();
    fs::write(outside.path().join("key.txt"), "TOP SECRET KEY").unwrap();
    let outside_before = tree(outside.path(), &[]);

    ws.write(
        "content/README.md",
        "# Home\n\n[alias](alias.md) [secret](outside.md)\n",
    );
    let content = ws.path("content");
    symlink(outside.path().join("secret.md"), content.join("outside.md")).unwrap();
    symlink(outside.path().join("key.txt"), content.join("key.txt")).unwrap();
    symlink(outside.path(), content.join("outside-dir")).unwrap();
    symlink(content.join("loop-b"), content.join("loop-a")).unwrap();
    symlink(content.join("loop-a"), content.join("loop-b")).unwrap();
    symlink(".", content.join("self")).unwrap();
    fs::create_dir_all(content.join("chapter")).unwrap();
    symlink("..", content.join("chapter/up")).unwrap();
    symlink("README.md", content.join("alias.md")).unwrap();

    let [build, check, _] = every_command(&ws, Codes { check: 1, ..CLEAN });
    build
        .says("content/outside.md: symbolic link not followed: it points outside the workshop")
        .says("content/key.txt: symbolic link not followed")
        .says("content/outside-dir: symbolic link not followed")
        .says("content/loop-a: symbolic link not followed: its target cannot be read");
    check.says("content/README.md:3:19");
    for (path, entry) in tree(&ws.path("public"), &[]) {
        if let robustness::Entry::File(Some(bytes)) = entry {
            assert!(
                !String::from_utf8_lossy(&bytes).contains("TOP SECRET"),
                "{} holds a file from outside the workshop",
                path.display()
            );
        }
    }
    assert!(
        ws.path("public/alias.html").is_file(),
        "a link inside is followed"
    );
    robustness::assert_same(
        &outside_before,
        &tree(outside.path(), &[]),
        "the outside folder",
    );
}

#[cfg(unix)]
#[test]
fn an_output_folder_that_is_a_symbolic_link_out_of_the_workshop_is_refused() {
    let ws = Workshop::new();
    ws.write("content/README.md", "# Home\n");
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("keep.txt"), "keep").unwrap();
    std::os::unix::fs::symlink(outside.path(), ws.path("public")).unwrap();
    let before = tree(outside.path(), &[]);
    ws.run("build", &[])
        .expect(2)
        .says("refusing to write the site");
    robustness::assert_same(&before, &tree(outside.path(), &[]), "the link's target");
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_folders() {
    use std::os::unix::fs::PermissionsExt;
    let lock = |p: &Path| fs::set_permissions(p, fs::Permissions::from_mode(0o000)).unwrap();
    let unlock = |p: &Path, mode| fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();

    // An unreadable page.
    let ws = Workshop::new();
    ws.write("content/README.md", "# Home\n");
    let page = ws.write("content/locked.md", "# Locked page\n");
    lock(&page);
    // Root reads every file whatever its mode: then the page simply builds.
    let enforced = permissions_are_enforced(ws.dir.path());
    if enforced {
        let [build, check, verify] = every_command(
            &ws,
            Codes {
                build: 2,
                check: 2,
                verify: 2,
            },
        );
        for ran in [&build, &check, &verify] {
            ran.says("content/locked.md: cannot read");
        }
    } else {
        every_command(&ws, CLEAN);
        assert!(read(ws.path("public/locked.html")).contains("Locked page"));
    }
    unlock(&page, 0o644);

    // An unreadable folder of pages.
    let ws = Workshop::new();
    ws.write("content/README.md", "# Home\n");
    ws.write("content/locked/README.md", "# Inside\n");
    let dir = ws.path("content/locked");
    lock(&dir);
    if enforced {
        let [build, ..] = every_command(
            &ws,
            Codes {
                build: 2,
                check: 2,
                verify: 2,
            },
        );
        build.says("content/locked: cannot read");
    } else {
        every_command(&ws, CLEAN);
        assert!(ws.path("public/locked/index.html").is_file());
    }
    unlock(&dir, 0o755);

    // An unreadable file to copy: only `build` reads it.
    let ws = Workshop::new();
    ws.write("content/README.md", "# Home\n\n![a](a.png)\n");
    let image = ws.write("content/a.png", "png");
    lock(&image);
    if enforced {
        let [build, ..] = every_command(&ws, Codes { build: 2, ..CLEAN });
        build.says("content/a.png: cannot copy");
    } else {
        every_command(&ws, CLEAN);
        assert!(ws.path("public/a.png").is_file());
    }
    unlock(&image, 0o644);
}

#[test]
fn an_empty_file_and_front_matter_that_never_closes() {
    let ws = Workshop::new();
    ws.write(
        "content/README.md",
        "---\ntitle: Never closed\n# Heading\n\ntext\n",
    );
    ws.write("content/empty.md", "");
    ws.write("content/dashes.md", "---");
    ws.write("content/dashes-newline.md", "---\n");
    let [build, check, _] = every_command(&ws, CLEAN);
    for ran in [&build, &check] {
        ran.says("content/README.md:1: front matter opened with `---` is never closed")
            .says("content/dashes-newline.md:1: front matter opened with `---` is never closed");
    }
    let html = read(ws.path("public/index.html"));
    assert_eq!(attrs(&html, "main h1", "id"), vec!["heading"]);
    assert!(
        html.contains("title: Never closed"),
        "the text is kept as Markdown"
    );
    assert!(ws.path("public/empty.html").is_file());
}

/// YAML whose aliases expand to 9^10 values: a "billion laughs".
fn alias_bomb(indent: &str) -> String {
    let mut yaml = format!("{indent}a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(", ");
        yaml.push_str(&format!("{indent}{}: &{} [{refs}]\n", pair[1], pair[1]));
    }
    yaml
}

#[test]
fn yaml_bombs_in_front_matter_workshop_yaml_and_verify_blocks() {
    let started = Instant::now();

    // Under keys a page does not use: read without expanding.
    let ws = Workshop::new();
    ws.write(
        "content/README.md",
        format!("---\ntitle: Bomb page\n{}---\n# Hi\n", alias_bomb("")),
    );
    every_command(&ws, CLEAN);
    assert!(read(ws.path("public/index.html")).contains("Bomb page"));

    // Under a key that wants text: a warning at its line, the page built without
    // its front matter; with --strict, refused.
    let ws = Workshop::new();
    ws.write(
        "content/README.md",
        format!("---\n{}description: *j\n---\n# Hi\n", alias_bomb("")),
    );
    let [build, ..] = every_command(&ws, CLEAN);
    build.says("built without its front matter");
    assert!(read(ws.path("public/index.html")).contains("Hi"));
    let strict = ws.run("build", &["--strict"]);
    strict.expect(2);
    strict.says("content/README.md:2: invalid YAML: repetition limit exceeded");

    // Under `verify.env` in workshop.yaml, which keeps any value: refused.
    let ws = Workshop::new();
    ws.write(
        "workshop.yaml",
        format!("verify:\n  env:\n{}", alias_bomb("    ")),
    );
    ws.write("content/README.md", "# Hi\n");
    let results = every_command(
        &ws,
        Codes {
            build: 2,
            check: 2,
            verify: 2,
        },
    );
    for ran in &results {
        ran.says("workshop.yaml").says("repetition limit exceeded");
    }

    // Nesting 10,000 deep in workshop.yaml.
    let ws = Workshop::new();
    ws.write(
        "workshop.yaml",
        format!(
            "verify:\n  env:\n    X: {}{}\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ),
    );
    ws.write("content/README.md", "# Hi\n");
    let results = every_command(
        &ws,
        Codes {
            build: 2,
            check: 2,
            verify: 2,
        },
    );
    for ran in &results {
        ran.says("workshop.yaml:3").says("recursion limit exceeded");
    }

    // In a verify block's `with:`.
    let ws = Workshop::new();
    ws.write(
        "content/README.md",
        format!(
            "# Hi\n\n```verify\nvalidator: ok\nwith:\n{}```\n",
            alias_bomb("  ")
        ),
    );
    ws.write("validators/ok.sh", "#!/bin/sh\necho ok\n");
    let [build, check, verify] = every_command(
        &ws,
        Codes {
            build: 2,
            check: 1,
            verify: 2,
        },
    );
    for ran in [&build, &check, &verify] {
        ran.says("content/README.md:")
            .says("repetition limit exceeded");
    }
    assert!(
        started.elapsed() < robustness::LIMIT,
        "YAML bombs are refused quickly: {:?}",
        started.elapsed()
    );
}

#[test]
fn a_workshop_yaml_that_is_a_list_a_scalar_or_not_text() {
    for (yaml, says) in [
        (
            &b"- chapter-1\n- chapter-2\n"[..],
            "workshop.yaml:1:1: invalid YAML: invalid type: sequence",
        ),
        (
            b"just some text\n",
            "workshop.yaml:1:1: invalid YAML: invalid type: string",
        ),
        (
            b"title: ok\nlanguage: \xFF\xFE\n",
            "workshop.yaml:2: the file is not valid UTF-8",
        ),
    ] {
        let ws = Workshop::new();
        ws.write("workshop.yaml", yaml);
        ws.write("content/README.md", "# Hi\n");
        let results = every_command(
            &ws,
            Codes {
                build: 2,
                check: 2,
                verify: 2,
            },
        );
        for ran in &results {
            ran.says(says);
        }
    }

    // The preview server stays up and shows the error.
    let ws = Workshop::new();
    ws.write("workshop.yaml", "- a\n- b\n");
    ws.write("content/README.md", "# Hi\n");
    serve(&ws, &[("/", 503), ("/nothing-here.html", 503)]);
    let server = ServeProcess::start(&ws.root, &[]);
    let (_, page) = server.get("/");
    assert!(page.contains("workshop.yaml:1:1: invalid YAML"), "{page}");
    assert!(page.contains("/_labsite/live.js"), "it reloads once fixed");
}

#[test]
fn the_preview_server_survives_hostile_edits() {
    use std::time::Duration;
    let ws = Workshop::new();
    ws.write(
        "content/README.md",
        "# Home\n\n[chapter](chapter/README.md)\n",
    );
    ws.write("content/chapter/README.md", "# Chapter\n\nFirst version.\n");
    let before_edits = Instant::now();
    let server = ServeProcess::start(&ws.root, &[]);
    let mut events = server.events();
    let wait = Duration::from_secs(20);

    // A YAML bomb in a verify block: an error naming the file, the last good site
    // served. (One in front matter is only a warning: the page builds without it.)
    ws.write(
        "content/chapter/README.md",
        format!(
            "# Chapter\n\n```verify\n{}validator: *j\n```\n",
            alias_bomb("")
        ),
    );
    let error = events
        .wait_for(wait, |v| v["type"] == "error")
        .expect("an error event");
    assert_eq!(
        error["errors"][0]["file"], "content/chapter/README.md",
        "{error}"
    );
    let (status, body) = server.get("/chapter/index.html");
    assert_eq!(status, 200);
    assert!(body.contains("First version."), "the last good site stays");

    // Invalid UTF-8, 10,000-deep nesting and a 5,000-column table: rebuilt.
    let mut hostile = b"# Chapter\n\nbad \xFF bytes\n\n".to_vec();
    hostile.extend(format!("{}deep\n\n", "> - ".repeat(5_000)).bytes());
    hostile.extend(format!("|{}|\n|{}|\n", "c|".repeat(5_000), "-|".repeat(5_000)).bytes());
    ws.write("content/chapter/README.md", hostile);
    events
        .wait_for(wait, |v| v["type"] == "reload")
        .expect("a reload event");
    let (status, body) = server.get("/chapter/index.html");
    assert_eq!(status, 200);
    assert!(body.contains("bad \u{FFFD} bytes"));

    // A workshop.yaml that is a list, then removed again.
    ws.write("workshop.yaml", "- a\n- b\n");
    let error = events
        .wait_for(wait, |v| v["type"] == "error")
        .expect("an error event");
    assert_eq!(error["errors"][0]["file"], "workshop.yaml", "{error}");
    fs::remove_file(ws.path("workshop.yaml")).unwrap();
    events
        .wait_for(wait, |v| v["type"] == "reload")
        .expect("a reload event once it is fixed");
    assert!(server.alive());
    let log: Vec<String> = server.log.try_iter().collect();
    assert!(
        !log.iter().any(|l| l.contains("panicked")),
        "{}",
        log.join("\n")
    );
    assert!(before_edits.elapsed() < robustness::LIMIT);
}

/// Every file a page but one in ten: the sidebar, search index and output of
/// 45,000 pages, and 5,000 files to copy.
#[test]
fn fifty_thousand_empty_files() {
    let ws = Workshop::new();
    ws.write("content/README.md", "# Many\n");
    for d in 0..50 {
        let dir = ws.path(format!("content/part-{d:02}"));
        fs::create_dir_all(&dir).unwrap();
        for i in 0..1_000 {
            let name = if i % 10 == 9 {
                format!("file-{i:04}.png")
            } else {
                format!("page-{i:04}.md")
            };
            fs::write(dir.join(name), "").unwrap();
        }
    }
    let [build, check, _] = every_command(&ws, CLEAN);
    build.says("Built 45001 pages, copied 5000 files");
    check.says("45001 files");
    assert!(ws.path("public/part-49/page-0998.html").is_file());
    assert!(ws.path("public/part-49/file-0999.png").is_file());
    eprintln!(
        "50,000 files: build {:?}, check {:?}",
        build.elapsed, check.elapsed
    );
}
