//! `workshop.yaml`: the optional configuration at the workshop root.
//!
//! Every key is optional; a workshop with no `workshop.yaml` builds as it is.
//! Unknown keys are errors naming the line, so that a typo does not silently
//! do nothing.

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
    /// Source repository, for "edit this page" links.
    pub repository: Option<Repository>,
    /// Explicit order: paths relative to the content folder (`chapter-2`, `intro.md`).
    pub chapters: Vec<String>,
    /// Theme folder name under `themes/` (default `default`, the built-in one).
    pub theme: Option<String>,
    /// Output folder, relative to the workshop root (default `public`).
    pub output: Option<PathBuf>,
    /// `labsite verify`: default timeout and extra environment of validators.
    pub verify: crate::verify::VerifyConfig,
    /// `labsite check`: severity per rule, the task heading, ignore patterns.
    pub rules: crate::check::config::RulesConfig,
    /// `labsite check`: how external links are checked (timeouts, limits, cache).
    pub external_links: crate::check::config::ExternalLinksConfig,
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
            crate::links::encode_path(&path)
        )
    }
}

impl Config {
    /// Reads `workshop.yaml` from `root`, or the defaults when there is none.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => {
                return Err(Diagnostic::error(CONFIG_FILE, format!("cannot read: {e}"))
                    .with_hint("check the file's permissions"))
            }
        };
        Config::parse(&text)
    }

    /// Parses the text of a `workshop.yaml`.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        serde_yaml::from_str::<Config>(text).map_err(|e| yaml_error(CONFIG_FILE, &e, 0))
    }

    pub fn theme_name(&self) -> &str {
        self.theme.as_deref().unwrap_or("default")
    }
}

/// A YAML error as a diagnostic for `file`, its line shifted by `line_offset`.
pub fn yaml_error(
    file: impl Into<PathBuf>,
    e: &serde_yaml::Error,
    line_offset: usize,
) -> Diagnostic {
    let message = strip_yaml_location(&e.to_string());
    let d = Diagnostic::error(file, format!("invalid YAML: {message}"));
    match e.location() {
        Some(loc) => d.at(loc.line() + line_offset, loc.column()),
        None => d.at_line(line_offset + 1),
    }
    .with_hint(yaml_hint(&message))
}

fn strip_yaml_location(message: &str) -> String {
    // serde_yaml appends " at line X column Y"; the diagnostic carries the place itself.
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn yaml_hint(message: &str) -> String {
    if message.starts_with("unknown field") {
        "remove the key or correct its spelling; the expected keys are listed above".to_string()
    } else if message.contains("invalid type") {
        "this key expects another kind of value (text, list or map)".to_string()
    } else {
        "fix the YAML syntax at this place (indentation, quotes, `key: value`)".to_string()
    }
}

#[cfg(test)]
mod tests {
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
    fn a_list_is_not_a_config() {
        let e = Config::parse("- a\n- b\n").unwrap_err();
        assert!(e.message.contains("invalid type"), "{}", e.message);
    }
}
