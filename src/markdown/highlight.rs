//! Code highlighting at build time with syntect: CSS classes in the HTML, colours in
//! one generated stylesheet with a light and a dark palette.
//!
//! The syntax set (syntect's defaults plus two-face's extra syntaxes such as
//! PowerShell, TypeScript, TOML and Dockerfile) is loaded once from its binary
//! dump and shared by every thread.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxDefinition, SyntaxReference, SyntaxSet, SyntaxSetBuilder};
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
const LIGHT_THEME: &str = "InspiredGitHub";
const DARK_THEME: &str = "base16-ocean.dark";

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// Syntaxes labsite adds, for languages workshops use that no bundled syntax knows.
/// A set of their own: they need none of the bundled ones, and building a small set is quick.
fn own_syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(|| {
        let mut builder = SyntaxSetBuilder::new();
        for source in [include_str!("syntaxes/Bicep.sublime-syntax")] {
            builder.add(
                SyntaxDefinition::load_from_str(source, true, None)
                    .expect("labsite's own syntaxes are valid (tested)"),
            );
        }
        builder.build()
    })
}

/// Names authors use in fences that syntect knows by another name.
fn alias(lang: &str) -> &str {
    match lang {
        "shell" | "console" | "azurecli" | "azcli" | "azure-cli" | "zsh" | "sh" => "bash",
        "ps" | "ps1" | "pwsh" => "powershell",
        "yml" => "yaml",
        "jsonc" | "json5" => "json",
        "tf" | "hcl" => "terraform",
        "dockerfile" => "Dockerfile",
        "kusto" | "kql" => "sql",
        other => other,
    }
}

/// The syntax for a fence's language, with the set it belongs to.
fn find_syntax(lang: &str) -> Option<(&'static SyntaxReference, &'static SyntaxSet)> {
    let lang = alias(lang);
    [own_syntaxes(), syntaxes()].into_iter().find_map(|set| {
        set.find_syntax_by_token(lang)
            .or_else(|| set.find_syntax_by_name(lang))
            .or_else(|| {
                set.syntaxes()
                    .iter()
                    .find(|s| s.name.eq_ignore_ascii_case(lang))
            })
            .map(|syntax| (syntax, set))
    })
}

/// The highlighted HTML of a code block's inside (without `<pre><code>`), or the
/// escaped text when the language is unknown or empty. Results are remembered by
/// language and code (see [`load_cache`]): highlighting is most of a build's work.
pub fn highlight(code: &str, lang: &str) -> String {
    let key = cache_key(code, lang);
    if let Some(hit) = memo()
        .read()
        .ok()
        .and_then(|m| m.get(&key).map(Entry::take))
    {
        return hit.to_string();
    }
    let html = highlight_uncached(code, lang);
    if let Ok(mut m) = memo().write() {
        m.insert(key, Entry::new(Arc::from(html.as_str()), true));
    }
    html
}

struct Entry {
    html: Arc<str>,
    /// Used by this process: only used entries are saved, so the cache follows the content.
    used: AtomicBool,
}

impl Entry {
    fn new(html: Arc<str>, used: bool) -> Self {
        Entry {
            html,
            used: AtomicBool::new(used),
        }
    }

    fn take(&self) -> Arc<str> {
        self.used.store(true, Ordering::Relaxed);
        self.html.clone()
    }
}

/// Frees the remembered blocks, for a process that will not render again (a build).
pub fn release_memo() {
    if let Ok(mut m) = memo().write() {
        *m = HashMap::new();
    }
}

fn memo() -> &'static RwLock<HashMap<u64, Entry>> {
    static MEMO: OnceLock<RwLock<HashMap<u64, Entry>>> = OnceLock::new();
    MEMO.get_or_init(|| RwLock::new(HashMap::new()))
}

fn cache_key(code: &str, lang: &str) -> u64 {
    // XXH3 hashes the same on every run, which a cache on disk needs.
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(lang.as_bytes());
    h.update(&[0]);
    h.update(code.as_bytes());
    h.digest()
}

/// Loads highlighted blocks saved by an earlier build from `file` (whose name should
/// carry labsite's version: another version may highlight differently). A missing or
/// damaged cache is ignored: it only ever saves time.
pub fn load_cache(file: &Path) {
    let Ok(bytes) = std::fs::read(file) else {
        return;
    };
    let mut entries = Vec::new();
    let mut rest = bytes.as_slice();
    while rest.len() >= 12 {
        let key = u64::from_le_bytes(rest[..8].try_into().expect("8 bytes"));
        let len = u32::from_le_bytes(rest[8..12].try_into().expect("4 bytes")) as usize;
        let Some(html) = rest
            .get(12..12 + len)
            .and_then(|b| std::str::from_utf8(b).ok())
        else {
            return;
        };
        entries.push((key, Arc::<str>::from(html)));
        rest = &rest[12 + len..];
    }
    if let Ok(mut m) = memo().write() {
        for (key, html) in entries {
            m.entry(key).or_insert_with(|| Entry::new(html, false));
        }
    }
}

/// Saves the blocks this process used to `file`, atomically (temporary file and rename).
pub fn save_cache(file: &Path) -> std::io::Result<()> {
    let mut used: Vec<(u64, Arc<str>)> = match memo().read() {
        Ok(m) => m
            .iter()
            .filter(|(_, e)| e.used.load(Ordering::Relaxed))
            .map(|(k, e)| (*k, e.html.clone()))
            .collect(),
        Err(_) => return Ok(()),
    };
    used.sort_by_key(|(k, _)| *k);
    let mut bytes = Vec::with_capacity(used.iter().map(|(_, h)| h.len() + 12).sum());
    for (key, html) in &used {
        bytes.extend_from_slice(&key.to_le_bytes());
        bytes.extend_from_slice(&(html.len() as u32).to_le_bytes());
        bytes.extend_from_slice(html.as_bytes());
    }
    if std::fs::read(file).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".highlight-{}.tmp", std::process::id()));
    std::fs::write(&tmp, &bytes)?;
    std::fs::rename(&tmp, file)
}

fn highlight_uncached(code: &str, lang: &str) -> String {
    let lang = lang.trim().to_ascii_lowercase();
    let syntax = if lang.is_empty() || lang == "text" || lang == "plain" {
        None
    } else {
        find_syntax(&lang)
    };
    let Some((syntax, set)) = syntax else {
        return escape_html(code);
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return escape_html(code);
        }
    }
    generator.finalize()
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The stylesheet for highlighted code: light by default, dark when the system or
/// the page (`data-theme="dark"`) asks for it.
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let light = css_for_theme_with_class_style(&themes.themes[LIGHT_THEME], CLASS_STYLE)
        .expect("built-in theme converts to CSS");
    let dark = css_for_theme_with_class_style(&themes.themes[DARK_THEME], CLASS_STYLE)
        .expect("built-in theme converts to CSS");
    let mut css =
        String::from("/* Code highlighting generated by labsite from syntect themes. */\n");
    css.push_str(&scope_rules(&light, ""));
    css.push_str(&scope_rules(&dark, ":root[data-theme=\"dark\"] "));
    css.push_str("@media (prefers-color-scheme: dark) {\n");
    css.push_str(&scope_rules(&dark, ":root:not([data-theme=\"light\"]) "));
    css.push_str("}\n");
    css
}

/// Prefixes every selector of syntect's generated CSS with `scope`, dropping its comments
/// and its `.hl-code` background rule (the theme's stylesheet owns code block backgrounds).
fn scope_rules(css: &str, scope: &str) -> String {
    let mut out = String::new();
    let css = strip_comments(css);
    let mut rest = css.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let selectors = rest[..open].trim();
        let body = rest[open + 1..open + close].trim();
        rest = &rest[open + close + 1..];
        if selectors.is_empty() || selectors == ".hl-code" {
            continue;
        }
        let scoped: Vec<String> = selectors
            .split(',')
            .map(|s| format!("{scope}{}", s.trim()))
            .collect();
        let body = body
            .lines()
            .map(str::trim)
            .filter(|l| !l.starts_with("background-color"))
            .collect::<Vec<_>>()
            .join(" ");
        out.push_str(&format!("{} {{ {} }}\n", scoped.join(", "), body));
    }
    out
}

fn strip_comments(css: &str) -> String {
    let mut out = String::new();
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        match rest[start..].find("*/") {
            Some(end) => rest = &rest[start + end + 2..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classes() {
        for lang in [
            "bash",
            "azurecli",
            "powershell",
            "json",
            "yaml",
            "python",
            "rust",
            "bicep",
        ] {
            let html = highlight("echo \"hi\" # note\n", lang);
            assert!(html.contains("class=\"hl-"), "{lang}: {html}");
        }
    }

    #[test]
    fn bicep_has_a_syntax_of_its_own() {
        let code = "@description('Where')\nparam location string = resourceGroup().location\n\
                    var name = 'rsv-${location}-\\'x' // the vault\nresource v 'M/v@1' = {\n  sku: { tier: 'Standard' }\n}\n";
        let html = highlight(code, "bicep");
        for scope in [
            "hl-source hl-bicep",
            "hl-entity hl-name hl-function hl-decorator",
            "hl-keyword hl-control hl-declaration",
            "hl-support hl-type hl-primitive",
            "hl-entity hl-name hl-function hl-bicep\">resourceGroup",
            "hl-meta hl-interpolation",
            "hl-constant hl-character hl-escape",
            "hl-comment hl-line",
            "hl-variable hl-other hl-property hl-bicep\">tier",
        ] {
            assert!(html.contains(scope), "{scope} missing in {html}");
        }
        // A string left open ends with its line, not at the end of the block.
        let html = highlight("var a = 'open\nvar b = 1\n", "bicep");
        assert!(
            html.contains("hl-keyword hl-control hl-declaration hl-bicep\">var</span> b <span class=\"hl-keyword hl-operator"),
            "{html}"
        );
    }

    #[test]
    fn unknown_languages_are_escaped_text() {
        assert_eq!(
            highlight("<b>&</b>", "nosuchlang"),
            "&lt;b&gt;&amp;&lt;/b&gt;"
        );
        assert_eq!(highlight("a < b", ""), "a &lt; b");
    }

    #[test]
    fn the_cache_survives_a_round_trip_and_keeps_only_used_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("cache/highlight.bin");
        let code = "echo cached-round-trip\n";
        let first = highlight(code, "bash");
        save_cache(&file).unwrap();
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            String::from_utf8_lossy(&bytes).contains(&first),
            "the block is saved"
        );
        load_cache(&file);
        assert_eq!(highlight(code, "bash"), first);
        std::fs::write(&file, b"\x01\x02 damaged").unwrap();
        load_cache(&file);
        assert_eq!(highlight(code, "bash"), first, "a damaged cache is ignored");
    }

    #[test]
    fn stylesheet_has_both_palettes() {
        let css = stylesheet();
        assert!(css.contains(".hl-comment"));
        assert!(css.contains(":root[data-theme=\"dark\"] .hl-"));
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
        assert!(!css.contains("/*\n"), "syntect's comments are dropped");
    }
}
