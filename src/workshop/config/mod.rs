//! `workshop.yaml`: the optional configuration at the workshop root.
//!
//! Every key is optional; a workshop with no `workshop.yaml` builds as it is.
//! Unknown keys are errors naming the line, so that a typo does not silently
//! do nothing.

pub mod checks;
pub mod duration;
pub mod git;
pub mod verify;

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::Diagnostic;

/// The name of the configuration file at the workshop root.
pub const CONFIG_FILE: &str = "workshop.yaml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Site title; defaults to the landing page's title.
    pub title: Option<String>,
    pub description: Option<String>,
    /// Where the site is published, e.g. `https://example.github.io/my-workshop/`.
    pub base_url: Option<String>,
    /// `lang` of the pages (default `en`).
    pub language: Option<String>,
    /// Source repository, for "edit this page" links (default: the `origin` remote
    /// of the git repository holding the workshop, and its current branch).
    pub repository: Option<Repository>,
    /// Explicit order: paths relative to the content folder (`chapter-2`, `intro.md`).
    pub chapters: Vec<String>,
    /// Theme folder name under `themes/` (default `default`, the built-in one).
    pub theme: Option<String>,
    /// Output folder, relative to the workshop root (default `public`).
    pub output: Option<PathBuf>,
    /// `labsite verify`: default timeout and extra environment of validators.
    pub verify: verify::VerifyConfig,
    /// `labsite check`: severity per rule, the task heading, ignore patterns.
    pub rules: checks::RulesConfig,
    /// `labsite check`: how external links are checked (timeouts, limits, cache).
    pub external_links: checks::ExternalLinksConfig,
}

/// A repository URL, written either as a string or as a map.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Repository {
    Url(String),
    Detailed(RepositoryDetails),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepositoryDetails {
    pub url: String,
    /// Branch for edit links (default `main`).
    #[serde(default)]
    pub branch: Option<String>,
    /// Where the workshop root lives inside the repository (default: its top).
    #[serde(default)]
    pub path: Option<String>,
}

impl Repository {
    pub fn url(&self) -> &str {
        match self {
            Repository::Url(u) => u,
            Repository::Detailed(d) => &d.url,
        }
    }

    pub fn branch(&self) -> &str {
        match self {
            Repository::Detailed(RepositoryDetails {
                branch: Some(b), ..
            }) => b,
            _ => "main",
        }
    }

    /// The workshop root's folder inside the repository, without slashes at the ends.
    pub fn path(&self) -> &str {
        match self {
            Repository::Detailed(RepositoryDetails { path: Some(p), .. }) => p.trim_matches('/'),
            _ => "",
        }
    }

    /// The URL that opens `file` (relative to the workshop root) in the repository's editor.
    pub fn edit_url(&self, file: &str) -> String {
        let base = self.url().trim_end_matches('/');
        let mut path = String::new();
        if !self.path().is_empty() {
            path.push_str(self.path());
            path.push('/');
        }
        path.push_str(file);
        format!(
            "{base}/edit/{}/{}",
            self.branch(),
            crate::urlpath::encode_path(&path)
        )
    }
}

impl Config {
    /// Reads `workshop.yaml` from `root`, or the defaults when there is none.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => {
                return Err(Diagnostic::error(CONFIG_FILE, format!("cannot read: {e}"))
                    .with_hint("check the file's permissions"))
            }
        };
        // Windows editors save UTF-16 or a BOM; bytes that are not text are an error here.
        let (text, not_utf8) = crate::workshop::source::decode(&bytes, Path::new(CONFIG_FILE));
        if let Some(w) = not_utf8 {
            return Err(
                Diagnostic::error(CONFIG_FILE, "the file is not valid UTF-8")
                    .at_line(w.line.unwrap_or(1))
                    .with_hint("save workshop.yaml as UTF-8 in your editor"),
            );
        }
        Config::parse(&text)
    }

    /// Parses the text of a `workshop.yaml`.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        serde_yaml::from_str::<Config>(text).map_err(|e| yaml_error(CONFIG_FILE, &e, text, 0))
    }

    pub fn theme_name(&self) -> &str {
        self.theme.as_deref().unwrap_or("default")
    }
}

/// A YAML error in `yaml` as a diagnostic for `file`, whose line `line_offset + 1`
/// is the first line of `yaml`.
pub fn yaml_error(
    file: impl Into<PathBuf>,
    e: &serde_yaml::Error,
    yaml: &str,
    line_offset: usize,
) -> Diagnostic {
    let message = strip_yaml_location(&e.to_string());
    // A duration the grammar refused is a value the YAML holds well: its message
    // says what is wrong and what is allowed, without "invalid YAML".
    let d = if message.contains(duration::ERROR_PREFIX) {
        Diagnostic::error(file, message.clone())
    } else {
        Diagnostic::error(file, format!("invalid YAML: {message}"))
    };
    match e.location() {
        Some(loc) => d.at(text_line(yaml, loc.line()) + line_offset, loc.column()),
        None => d.at_line(line_offset + 1),
    }
    .with_hint(yaml_hint(&message))
}

/// The line of `text`, as editors and labsite count them, of YAML's 1-based line
/// `yaml_line`: YAML also breaks lines at NEL, LS and PS (U+0085, U+2028, U+2029).
fn text_line(text: &str, yaml_line: usize) -> usize {
    let (mut yaml, mut line) = (1, 1);
    let mut chars = text.chars().peekable();
    while yaml < yaml_line {
        let Some(c) = chars.next() else { break };
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                yaml += 1;
                line += 1;
            }
            '\n' => {
                yaml += 1;
                line += 1;
            }
            '\u{85}' | '\u{2028}' | '\u{2029}' => yaml += 1,
            _ => {}
        }
    }
    line
}

fn strip_yaml_location(message: &str) -> String {
    // serde_yaml appends " at line X column Y"; the diagnostic carries the place itself.
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn yaml_hint(message: &str) -> String {
    if message.contains(duration::ERROR_PREFIX) {
        duration::HINT.to_string()
    } else if message.contains("unknown field") {
        "remove the key or correct its spelling; the expected keys are listed above".to_string()
    } else if message.contains("repetition limit") || message.contains("recursion limit") {
        "anchors and aliases (`&a`, `*a`) expand to too much, or the values nest too deep: write the values out".to_string()
    } else if message.contains("invalid type") {
        "this key expects another kind of value (text, list or map)".to_string()
    } else {
        "fix the YAML syntax at this place (indentation, quotes, `key: value`)".to_string()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn empty_and_full_configs_parse() {
        assert!(Config::parse("").unwrap().title.is_none());
        let c = Config::parse(
            "title: Lab\nrepository: { url: https://github.com/a/b, branch: dev, path: labs/one }\nchapters: [intro, chapter-2]\n",
        )
        .unwrap();
        assert_eq!(c.title.as_deref(), Some("Lab"));
        assert_eq!(c.chapters, vec!["intro", "chapter-2"]);
        let repo = c.repository.unwrap();
        assert_eq!(
            repo.edit_url("content/chapter 1/README.md"),
            "https://github.com/a/b/edit/dev/labs/one/content/chapter%201/README.md"
        );
    }

    #[test]
    fn repository_as_plain_url_defaults_to_main() {
        let c = Config::parse("repository: https://github.com/a/b/\n").unwrap();
        assert_eq!(
            c.repository.unwrap().edit_url("README.md"),
            "https://github.com/a/b/edit/main/README.md"
        );
    }

    #[test]
    fn unknown_key_is_an_error_with_its_line() {
        let e = Config::parse("title: x\ntitel: y\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("unknown field `titel`"), "{}", e.message);
    }

    #[test]
    fn yaml_lines_are_the_lines_editors_show() {
        // Found by fuzz/fuzz_targets/front_matter.rs: YAML also breaks lines at NEL.
        let e = Config::parse("title: a\u{85}b\ntheme: [x\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert_eq!(text_line("a\u{2028}b\u{2029}c\nd", 4), 2);
        assert_eq!(text_line("a\r\nb\rc", 3), 3);
        assert_eq!(text_line("short", 9), 1, "never past the end");
    }

    #[test]
    fn alias_bombs_are_refused_with_a_hint() {
        let mut yaml = "verify:\n  env:\n    a: &a [x, x, x, x, x, x, x, x, x]\n".to_string();
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            yaml.push_str(&format!(
                "    {name}: &{name} [{}]\n",
                vec![format!("*{prev}"); 9].join(", ")
            ));
        }
        let e = Config::parse(&yaml).unwrap_err();
        assert!(e.message.contains("repetition limit"), "{e}");
        assert!(e.hint.unwrap().contains("aliases"));
    }

    #[test]
    fn utf16_and_bom_configs_load_and_bad_bytes_name_their_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CONFIG_FILE);
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "title: Sixteen\r\n"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        std::fs::write(&path, utf16).unwrap();
        assert_eq!(
            Config::load(dir.path()).unwrap().title.as_deref(),
            Some("Sixteen")
        );
        std::fs::write(&path, b"\xEF\xBB\xBFtitle: Bom\r\n").unwrap();
        assert_eq!(
            Config::load(dir.path()).unwrap().title.as_deref(),
            Some("Bom")
        );
        std::fs::write(&path, b"title: a\nlanguage: \xFF\n").unwrap();
        let e = Config::load(dir.path()).unwrap_err();
        assert_eq!(
            (e.line, e.message.as_str()),
            (Some(2), "the file is not valid UTF-8")
        );
    }

    #[test]
    fn every_duration_setting_takes_one_grammar_and_says_what_is_allowed() {
        let c = Config::parse(
            "verify:\n  timeout: 1d\nexternal_links:\n  timeout: 1m30s\n  interval: 1.5s\n  cache_ttl: 90\n  deadline: 1h 30m\n",
        )
        .unwrap();
        assert_eq!(c.verify.timeout, Some(Duration::from_secs(86_400)));
        let links = &c.external_links;
        assert_eq!(links.timeout, Duration::from_secs(90));
        assert_eq!(links.interval, Duration::from_millis(1_500));
        assert_eq!(links.cache_ttl, Duration::from_secs(90));
        assert_eq!(links.deadline, Duration::from_secs(5_400));
        for (yaml, line, allowed) in [
            ("verify:\n  timeout: 8d\n", 2, "1ms to 7d"),
            ("title: x\nverify:\n  timeout: 0\n", 3, "1ms to 7d"),
            (
                "external_links:\n  timeout: 18446744073709551615s\n",
                2,
                "1ms to 1h",
            ),
            (
                "external_links:\n  interval: 99999999999999999999d\n",
                2,
                "0 to 1h",
            ),
            (
                "external_links:\n  cache_ttl: 307445734561825861m\n",
                2,
                "0 to 365d",
            ),
            (
                "external_links:\n  retries: 1\n  deadline: soon\n",
                3,
                "1ms to 7d",
            ),
            ("external_links:\n  deadline: -1\n", 2, "1ms to 7d"),
            ("external_links:\n  deadline: .inf\n", 2, "1ms to 7d"),
            (
                "external_links:\n  per_host: 1\n  timeout:\n",
                3,
                "1ms to 1h",
            ),
        ] {
            let e = Config::parse(yaml).unwrap_err();
            assert_eq!(e.line, Some(line), "{yaml}: {e}");
            assert!(e.message.contains("invalid duration"), "{yaml}: {e}");
            assert!(
                e.message.contains(&format!("allowed here: {allowed}")),
                "{yaml}: {e}"
            );
            assert!(!e.message.contains("invalid YAML"), "the YAML is fine: {e}");
            assert_eq!(e.hint.as_deref(), Some(duration::HINT), "{yaml}");
        }
    }

    #[test]
    fn a_list_is_not_a_config() {
        let e = Config::parse("- a\n- b\n").unwrap_err();
        assert!(e.message.contains("invalid type"), "{}", e.message);
    }
}
