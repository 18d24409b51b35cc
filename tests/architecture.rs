//! The floors of the library, held: every `crate::` path in `src/` (outside
//! `#[cfg(test)]` items) goes down or stays on its own floor, never up and never
//! sideways to a sibling; and nothing in the library prints or exits (the binary,
//! `src/main.rs` and `src/cmd/`, does that).
//!
//! Read the table as the design's picture of the code:
//!
//! | floor | modules                                   | may use              |
//! |-------|-------------------------------------------|----------------------|
//! | 0     | diag, files, urlpath, timings, junit, ansi | floor 0 (each other) |
//! | 1     | workshop, scaffold                        | floor 0              |
//! | 2     | markdown                                  | floors 0–1           |
//! | 3     | site, check, verify (siblings)            | floors 0–2           |
//! | 4     | serve                                     | floors 0–3           |

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Top-level module → floor. A module missing here fails the test: place it.
const FLOORS: &[(&str, u8)] = &[
    ("diag", 0),
    ("files", 0),
    ("urlpath", 0),
    ("timings", 0),
    ("junit", 0),
    ("ansi", 0),
    ("workshop", 1),
    ("scaffold", 1),
    ("markdown", 2),
    ("site", 3),
    ("check", 3),
    ("verify", 3),
    ("serve", 4),
];

/// Files allowed to print: `LABSITE_TIMINGS` output goes to stderr by design.
const MAY_PRINT: &[&str] = &["src/timings.rs"];

fn floor(module: &str) -> Option<u8> {
    FLOORS.iter().find(|(m, _)| *m == module).map(|&(_, f)| f)
}

/// Whether `from` may use `to`: the same module, a lower floor, or (on the
/// ground floor only, whose small modules build on each other) the same floor.
fn allowed(from: &str, to: &str) -> Result<bool, String> {
    if from == to {
        return Ok(true);
    }
    let f = floor(from).ok_or_else(|| format!("module `{from}` has no floor in FLOORS"))?;
    let t = floor(to).ok_or_else(|| format!("module `{to}` has no floor in FLOORS"))?;
    Ok(t < f || (t == 0 && f == 0))
}

/// Files that are test code as a whole: declared `#[cfg(test)] mod name;`.
fn test_only_files(files: &[PathBuf]) -> BTreeSet<PathBuf> {
    let mut tests = BTreeSet::new();
    for file in files {
        let text = strip_comments_and_strings(&fs::read_to_string(file).unwrap());
        let dir = if file
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "lib.rs")
        {
            file.parent().unwrap().to_path_buf()
        } else {
            file.with_extension("")
        };
        let mut rest = text.as_str();
        while let Some(at) = rest.find("#[cfg(test)]") {
            rest = &rest[at + "#[cfg(test)]".len()..];
            let item = rest.trim_start();
            let item = item.strip_prefix("pub ").unwrap_or(item);
            if let Some(name) = item.strip_prefix("mod ").and_then(|m| m.split_once(';')) {
                let name = name.0.trim();
                tests.insert(dir.join(format!("{name}.rs")));
                tests.insert(dir.join(name).join("mod.rs"));
            }
        }
    }
    tests
}

fn library_files() -> Vec<PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("src/ is readable") {
            let path = entry.expect("a directory entry").path();
            let rel = path.strip_prefix(&src).expect("under src/").to_path_buf();
            if rel == Path::new("main.rs") || rel.starts_with("cmd") {
                continue; // the binary's side
            }
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The top-level module a file under `src/` belongs to (`None` for `lib.rs`).
fn module_of(rel: &Path) -> Option<String> {
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib").then(|| name.to_string())
}

/// The text of a file without comments, string contents and `#[cfg(test)]` items.
fn code_of(text: &str) -> String {
    let without_comments = strip_comments_and_strings(text);
    strip_test_items(&without_comments)
}

/// Blanks out `//` comments, `/* */` comments and the contents of string and char
/// literals, keeping line structure, so that paths in docs or messages do not count.
fn strip_comments_and_strings(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            let end = rest.find('\n').map_or(text.len(), |n| i + n);
            i = end;
        } else if rest.starts_with("/*") {
            let end = rest.find("*/").map_or(text.len(), |n| i + n + 2);
            out.extend(text[i..end].chars().filter(|&c| c == '\n'));
            i = end;
        } else if rest.starts_with("r#\"") || rest.starts_with("r\"") || rest.starts_with("br\"") {
            let start = rest.find('"').unwrap();
            let hashes = &rest[..start].chars().filter(|&c| c == '#').count();
            let close = format!("\"{}", "#".repeat(*hashes));
            let body = &rest[start + 1..];
            let end = body
                .find(&close)
                .map_or(text.len(), |n| i + start + 1 + n + close.len());
            out.push_str("\"\"");
            out.extend(text[i..end].chars().filter(|&c| c == '\n'));
            i = end;
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            out.push_str("\"\"");
            out.extend(text[i..j.min(b.len())].chars().filter(|&c| c == '\n'));
            i = (j + 1).min(b.len());
        } else if b[i] == b'\'' && is_char_literal(&b[i..]) {
            let j = i + 1 + b[i + 1..].iter().position(|&c| c == b'\'').unwrap_or(0);
            out.push_str("' '");
            i = j + 1;
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// `'x'`, `'\n'`, `'\''` (not a lifetime such as `'a`).
fn is_char_literal(b: &[u8]) -> bool {
    match b.get(1) {
        Some(b'\\') => true,
        Some(_) => {
            // One character (maybe several bytes) then a closing quote.
            let s = std::str::from_utf8(&b[1..b.len().min(6)]).unwrap_or("");
            let mut chars = s.chars();
            chars.next();
            chars.next() == Some('\'')
        }
        None => false,
    }
}

/// Removes each item marked `#[cfg(test)]`: the attribute through the end of the
/// item's brace block (or its `;`).
fn strip_test_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let item = &rest[at..];
        let end = item_end(item);
        out.extend(item[..end].chars().filter(|&c| c == '\n'));
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

fn item_end(item: &str) -> usize {
    // A `;` before any block ends the item (`mod x;`); else its block's `}` does.
    match item.find(['{', ';']) {
        Some(at) if item[at..].starts_with(';') => at + 1,
        Some(at) => closing_brace(&item[at + 1..], 1).map_or(item.len(), |end| at + 1 + end + 1),
        None => item.len(),
    }
}

/// The index of the `}` that closes `depth` open braces, scanning `s`.
fn closing_brace(s: &str, mut depth: usize) -> Option<usize> {
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The top-level modules a piece of code names through `crate::`, grouped
/// imports (`use crate::{a::X, b}`) included.
fn crate_paths(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `$crate::` or `labsite_crate::`
        }
        if let Some(group) = rest.strip_prefix('{') {
            let close = group_end(group);
            for part in split_top_level(&group[..close]) {
                if let Some(name) = leading_ident(part.trim()) {
                    found.insert(name);
                }
            }
        } else if let Some(name) = leading_ident(rest) {
            found.insert(name);
        }
    }
    found.remove("self");
    found
}

fn group_end(group: &str) -> usize {
    closing_brace(group, 1).unwrap_or(group.len())
}

fn split_top_level(s: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0usize, 0);
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

fn leading_ident(s: &str) -> Option<String> {
    let name: String = s
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// Calls that only the binary may make.
const FORBIDDEN: &[&str] = &[
    "println!",
    "eprintln!",
    "print!",
    "eprint!",
    "process::exit",
    "dbg!",
];

fn forbidden_calls(code: &str) -> Vec<&'static str> {
    FORBIDDEN
        .iter()
        .copied()
        .filter(|call| {
            code.match_indices(call).any(|(at, _)| {
                // `eprintln!` contains `println!`; count each only as itself.
                !code[..at]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
        })
        .collect()
}

/// The library's files that are not test code: their path below `src/` and
/// their code (comments, literals and test items left out).
fn library_code() -> Vec<(PathBuf, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = library_files();
    let tests = test_only_files(&files);
    files
        .iter()
        .filter(|f| !tests.contains(*f))
        .map(|file| {
            let rel = file.strip_prefix(&src).unwrap().to_path_buf();
            (rel, code_of(&fs::read_to_string(file).unwrap()))
        })
        .collect()
}

#[test]
fn every_arrow_between_floors_goes_down() {
    let mut wrong = Vec::new();
    for (rel, code) in library_code() {
        let Some(module) = module_of(&rel) else {
            continue;
        };
        for target in crate_paths(&code) {
            match allowed(&module, &target) {
                Ok(true) => {}
                Ok(false) => wrong.push(format!(
                    "src/{}: {module} (floor {}) uses {target} (floor {})",
                    rel.display(),
                    floor(&module).unwrap(),
                    floor(&target).unwrap()
                )),
                Err(e) => wrong.push(format!("src/{}: {e}", rel.display())),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "arrows that go up or sideways:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_library_never_prints_or_exits() {
    let mut wrong = Vec::new();
    for (rel, code) in library_code() {
        let shown = format!("src/{}", rel.display()).replace('\\', "/");
        if MAY_PRINT.contains(&shown.as_str()) {
            continue;
        }
        for call in forbidden_calls(&code) {
            wrong.push(format!("{shown}: {call}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "the library prints or exits (only src/main.rs and src/cmd/ may):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn every_top_level_module_has_a_floor() {
    let lib = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    let code = code_of(&lib);
    let missing: Vec<&str> = code
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let l = l.strip_prefix("pub ").unwrap_or(l);
            l.strip_prefix("mod ")?.strip_suffix(';')
        })
        .filter(|m| floor(m).is_none())
        .collect();
    assert!(missing.is_empty(), "modules without a floor: {missing:?}");
}

// The checker itself must be able to fail: it is run on code that breaks the rules.

#[test]
fn an_upward_or_sideways_arrow_is_found() {
    let code = code_of(
        "use crate::diag::Diagnostic;\nuse crate::{site::Layout, markdown::{Rendered, links}};\n\
         // crate::serve in a comment does not count\nlet s = \"crate::serve\";\n",
    );
    let paths = crate_paths(&code);
    assert_eq!(
        paths.into_iter().collect::<Vec<_>>(),
        ["diag", "markdown", "site"]
    );
    assert_eq!(allowed("check", "site"), Ok(false), "siblings");
    assert_eq!(
        allowed("urlpath", "diag"),
        Ok(true),
        "within the ground floor"
    );
    assert_eq!(allowed("markdown", "site"), Ok(false), "up");
    assert_eq!(allowed("site", "markdown"), Ok(true), "down");
    assert!(allowed("site", "nowhere").is_err());
}

#[test]
fn test_items_and_literals_are_not_code() {
    let code = code_of(
        "fn a() {}\n#[cfg(test)]\nmod tests {\n    use crate::serve;\n    fn b() { println!(\"{}\", '}'); }\n}\n\
         fn c() { let r = r#\"crate::site \"quoted\"\"#; }\n",
    );
    assert!(crate_paths(&code).is_empty(), "{code}");
    assert!(forbidden_calls(&code).is_empty(), "{code}");
    let printing = code_of("fn main() { eprintln!(\"x\"); std::process::exit(2) }");
    assert_eq!(forbidden_calls(&printing), ["eprintln!", "process::exit"]);
}
