//! Code highlighting at build time with syntect: short CSS classes in the HTML
//! (see `palette.rs`), colours in one generated stylesheet with a light and a
//! dark palette.
//!
//! The syntax set (syntect's defaults plus two-face's extra syntaxes such as
//! PowerShell, TypeScript, TOML and Dockerfile) is loaded once from its binary
//! dump and shared by every thread: it never changes. What does change, the
//! blocks already highlighted and the cache file that keeps them between runs,
//! belongs to a [`Highlighter`] value that its owner (`markdown::Rendered`) holds.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use syntect::parsing::{
    ParseState, ScopeStack, SyntaxDefinition, SyntaxReference, SyntaxSet, SyntaxSetBuilder,
};
use syntect::util::LinesWithEndings;

use super::palette::class_for;
pub use super::palette::stylesheet;

/// What the highlighted HTML looks like: part of the cache file's name, so that a
/// cache written by another version of the highlighter is not read.
pub const FORMAT: &str = "v2";

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// The sources of [`own_syntaxes`].
const OWN_SYNTAXES: &[&str] = &[include_str!("syntaxes/Bicep.sublime-syntax")];

/// Syntaxes labsite adds, for languages workshops use that no bundled syntax knows.
/// A set of their own: they need none of the bundled ones, and building a small set is quick.
fn own_syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(|| {
        let mut builder = SyntaxSetBuilder::new();
        for source in OWN_SYNTAXES {
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

/// Highlights code blocks and remembers what it highlighted, by language and code:
/// highlighting is most of a build's work, and a workshop repeats blocks. With a
/// cache file, blocks highlighted by an earlier run are read back at start and the
/// ones this run used are written at the end ([`Highlighter::save`]).
#[derive(Default)]
pub struct Highlighter {
    memo: RwLock<HashMap<u64, Entry>>,
    /// Where the blocks are kept between runs, if anywhere.
    cache_file: Option<PathBuf>,
}

impl std::fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Highlighter")
            .field("cache_file", &self.cache_file)
            .finish_non_exhaustive()
    }
}

impl Highlighter {
    /// A highlighter that remembers blocks for this process only.
    pub fn new() -> Highlighter {
        Highlighter::default()
    }

    /// A highlighter that starts from the blocks saved in `file` by an earlier run
    /// (whose name should carry labsite's version: another version may highlight
    /// differently) and saves to it. A missing or damaged cache is ignored: it only
    /// ever saves time.
    pub fn with_cache(file: PathBuf) -> Highlighter {
        let h = Highlighter {
            memo: RwLock::default(),
            cache_file: Some(file),
        };
        h.load();
        h
    }

    /// The highlighted HTML of a code block's inside (without `<pre><code>`), or the
    /// escaped text when the language is unknown or empty; shared, not copied.
    pub fn highlight(&self, code: &str, lang: &str) -> Arc<str> {
        let key = cache_key(code, lang);
        if let Some(hit) = self
            .memo
            .read()
            .ok()
            .and_then(|m| m.get(&key).map(Entry::take))
        {
            return hit;
        }
        let html: Arc<str> = Arc::from(highlight_uncached(code, lang));
        if let Ok(mut m) = self.memo.write() {
            m.insert(key, Entry::new(html.clone(), true));
        }
        html
    }

    /// Forgets every remembered block, for an owner that will not render again
    /// (a build, once its pages hold their code and the cache is saved).
    pub fn forget(&self) {
        if let Ok(mut m) = self.memo.write() {
            *m = HashMap::new();
        }
    }

    fn load(&self) {
        let Some(file) = &self.cache_file else {
            return;
        };
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
        if let Ok(mut m) = self.memo.write() {
            for (key, html) in entries {
                m.entry(key).or_insert_with(|| Entry::new(html, false));
            }
        }
    }

    /// Saves the blocks this run used to the cache file, if there is one, atomically
    /// (temporary file and rename). Only a cache: a failure makes the next run slower.
    pub fn save(&self) -> std::io::Result<()> {
        let Some(file) = &self.cache_file else {
            return Ok(());
        };
        let mut used: Vec<(u64, Arc<str>)> = match self.memo.read() {
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
        crate::files::write(&tmp, &bytes)?;
        std::fs::rename(&tmp, file)
    }
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

fn cache_key(code: &str, lang: &str) -> u64 {
    // XXH3 hashes the same on every run, which a cache on disk needs.
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(lang.as_bytes());
    h.update(&[0]);
    h.update(code.as_bytes());
    h.digest()
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
    spans(code, syntax, set).unwrap_or_else(|| escape_html(code))
}

/// The code with each run of tokens of one style in a span of its classes; `None`
/// if the syntax fails on it.
fn spans(code: &str, syntax: &SyntaxReference, set: &SyntaxSet) -> Option<String> {
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut out = Spans {
        html: String::with_capacity(code.len() * 2),
        open: None,
    };
    for line in LinesWithEndings::from(code) {
        let ops = state.parse_line(line, set).ok()?;
        let mut at = 0;
        for (pos, op) in ops {
            // Syntaxes may report a position inside a character; wait for its end.
            if pos > at && line.is_char_boundary(pos) {
                out.push(&line[at..pos], class_for(stack.as_slice()));
                at = pos;
            }
            stack.apply(&op).ok()?;
        }
        out.push(&line[at..], class_for(stack.as_slice()));
    }
    Some(out.finish())
}

/// Highlighted HTML being written: runs of one class share a span.
struct Spans {
    html: String,
    /// The class of the span open at the end of `html`, if one is.
    open: Option<Rc<str>>,
}

impl Spans {
    fn push(&mut self, text: &str, class: Option<Rc<str>>) {
        if text.is_empty() {
            return;
        }
        if self.open != class {
            if self.open.is_some() {
                self.html.push_str("</span>");
            }
            if let Some(c) = &class {
                self.html.push_str("<span class=\"");
                self.html.push_str(c);
                self.html.push_str("\">");
            }
            self.open = class;
        }
        push_escaped(&mut self.html, text);
    }

    fn finish(mut self) -> String {
        if self.open.is_some() {
            self.html.push_str("</span>");
        }
        self.html
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_escaped(&mut out, text);
    out
}

fn push_escaped(out: &mut String, text: &str) {
    // A byte scan: the five characters are ASCII, so every match is a char boundary.
    let mut copied = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[copied..i]);
        out.push_str(entity);
        copied = i + 1;
    }
    out.push_str(&text[copied..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn highlight(code: &str, lang: &str) -> String {
        Highlighter::new().highlight(code, lang).to_string()
    }

    #[test]
    fn known_languages_get_classes() {
        for (lang, code) in [
            ("bash", "echo \"hi\" # note\n"),
            ("azurecli", "az group create --name \"rg\"\n"),
            ("powershell", "Get-Item \"x\" # note\n"),
            ("json", "{\"a\": 1}\n"),
            ("yaml", "a: \"b\" # note\n"),
            ("python", "def f(): return \"x\"\n"),
            ("rust", "fn main() { let x = 1; }\n"),
            ("bicep", "param x int = 1\n"),
        ] {
            let html = highlight(code, lang);
            assert!(html.contains("class=\"hl-"), "{lang}: {html}");
        }
    }

    /// The class of the span holding exactly `token`, if one does.
    fn class_of<'a>(html: &'a str, token: &str) -> Option<&'a str> {
        let end = html.find(&format!("\">{token}</span>"))?;
        let start = html[..end].rfind("<span class=\"")? + "<span class=\"".len();
        Some(&html[start..end])
    }

    #[test]
    fn bicep_has_a_syntax_of_its_own() {
        let code = "@description('Where')\nparam location string = resourceGroup().location\n\
                    var name = 'rsv-${location}\\n' // the vault\nresource v 'M/v@1' = {\n  tier: 'Standard'\n}\n";
        let html = highlight(code, "bicep");
        let class =
            |token: &str| class_of(&html, token).unwrap_or_else(|| panic!("{token} in {html}"));
        // Declarations are keywords, in both themes.
        assert_eq!(class("param"), class("resource"));
        assert!(class("param").contains("hl-l") && class("param").contains("hl-d"));
        // Functions and decorators are coloured alike; types, strings, comments each their own way.
        assert_eq!(class("resourceGroup"), class("description"));
        let distinct = [
            class("param"),
            class("string"),
            class("resourceGroup"),
            class("// the vault\n"),
        ];
        for (i, a) in distinct.iter().enumerate() {
            for b in &distinct[i + 1..] {
                assert_ne!(a, b, "{html}");
            }
        }
        assert!(html.contains("Standard"), "{html}");
        // A string left open ends with its line, not at the end of the block.
        let html = highlight("var a = 'open\nvar b = 1\n", "bicep");
        assert_eq!(class_of(&html, "var"), Some(class("param")), "{html}");
        assert!(html.ends_with("var</span> b <span class=\"hl-l3 hl-lb\">=</span> <span class=\"hl-l4 hl-d9\">1</span>\n"), "{html}");
    }

    #[test]
    fn runs_of_one_style_share_a_span_and_plain_text_has_none() {
        let html = highlight("echo a b \"c d\" \"e\"\n", "bash");
        // Spans are flat: (class, where it starts, where it ends).
        let mut spans = Vec::new();
        let mut at = 0;
        while let Some(open) = html[at..].find("<span class=\"") {
            let start = at + open;
            let class_end = start + html[start..].find("\">").unwrap();
            let end = class_end + html[class_end..].find("</span>").unwrap() + "</span>".len();
            spans.push((&html[start + "<span class=\"".len()..class_end], start, end));
            at = end;
        }
        assert!(spans.len() >= 4, "{html}");
        for pair in spans.windows(2) {
            let ((a, _, end), (b, start, _)) = (pair[0], pair[1]);
            assert!(
                !(a == b && end == start),
                "two touching spans of class {a}: {html}"
            );
        }
        assert!(
            html.contains("</span> a b "),
            "arguments are in the default style: {html}"
        );
    }

    #[test]
    fn escaping_replaces_the_five_characters_and_keeps_the_rest() {
        assert_eq!(
            escape_html("é \"a\" & 'b' <c> ✓"),
            "é &quot;a&quot; &amp; &#39;b&#39; &lt;c&gt; ✓"
        );
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("<<"), "&lt;&lt;");
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
        let unused = "echo never-asked-again\n";
        let h = Highlighter::with_cache(file.clone());
        let first = h.highlight(code, "bash");
        h.highlight(unused, "bash");
        h.save().unwrap();
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            String::from_utf8_lossy(&bytes).contains(&*first),
            "the block is saved"
        );
        let again = Highlighter::with_cache(file.clone());
        assert_eq!(again.memo.read().unwrap().len(), 2, "both blocks read back");
        assert_eq!(again.highlight(code, "bash"), first);
        again.save().unwrap();
        let third = Highlighter::with_cache(file.clone());
        assert_eq!(
            third.memo.read().unwrap().len(),
            1,
            "a block the run did not use is not saved again"
        );
        std::fs::write(&file, b"\x01\x02 damaged").unwrap();
        let damaged = Highlighter::with_cache(file.clone());
        assert_eq!(
            damaged.highlight(code, "bash"),
            first,
            "a damaged cache is ignored"
        );
    }

    #[test]
    fn stylesheet_has_both_palettes() {
        let css = stylesheet();
        assert!(css.contains(".hl-l3 {"));
        assert!(css.contains(":root[data-theme=\"dark\"] pre.code span.hl-d"));
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
    }
}
