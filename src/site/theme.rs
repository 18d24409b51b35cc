//! The theme: tera templates and static files, built into the binary from
//! `themes/default/`, each overridable by a workshop's `themes/<name>/` file of the same name.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use include_dir::{include_dir, Dir};
use regex::Regex;
use tera::Tera;

use crate::diag::{display_path, Diagnostic, Errors};
use crate::workshop::config::CONFIG_FILE;
use crate::workshop::Config;
use crate::workshop::Workshop;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Where the theme's static files go in the output.
pub const STATIC_DIR: &str = "_labsite";

/// A loaded theme.
pub struct Theme {
    pub tera: Tera,
    /// Static files by path relative to the theme's `static/` folder.
    pub static_files: BTreeMap<PathBuf, Vec<u8>>,
    /// Where each template came from, for error messages.
    origins: BTreeMap<String, PathBuf>,
}

impl Theme {
    /// Loads the built-in theme with the workshop's overrides.
    pub fn load(ws: &Workshop) -> Result<Theme, Errors> {
        Theme::for_config(&ws.root, &ws.config)
    }

    /// Loads the built-in theme with the overrides of the theme `config` names, in
    /// the workshop at `root`: for a page shown when the workshop itself does not
    /// load (the preview server's error page), as well as for the site.
    pub fn for_config(root: &Path, config: &Config) -> Result<Theme, Errors> {
        let name = config.theme_name();
        let dir = root.join("themes").join(name);
        if name != "default" && !dir.is_dir() {
            return Err(
                Diagnostic::error(CONFIG_FILE, format!("theme `{name}` not found"))
                    .with_hint(format!(
                        "create the folder themes/{name}/ or remove the `theme:` key"
                    ))
                    .into(),
            );
        }
        let overrides = dir.is_dir().then_some(dir.as_path());
        Theme::from_parts(overrides, root)
    }

    /// The built-in theme alone.
    pub fn builtin() -> Result<Theme, Errors> {
        Theme::from_parts(None, Path::new(""))
    }

    fn from_parts(overrides: Option<&Path>, root: &Path) -> Result<Theme, Errors> {
        let mut templates: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
        let mut static_files = BTreeMap::new();
        for file in embedded_files(&DEFAULT_THEME) {
            let path = file.path();
            if let Ok(rel) = path.strip_prefix("templates") {
                let text = String::from_utf8_lossy(file.contents()).into_owned();
                let origin = Path::new("(built-in theme)").join(path);
                templates.insert(display_path(rel), (text, origin));
            } else if let Ok(rel) = path.strip_prefix("static") {
                static_files.insert(rel.to_path_buf(), file.contents().to_vec());
            }
        }
        if let Some(dir) = overrides {
            let shown = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
            for (rel, abs) in files_under(&dir.join("templates")) {
                let text = std::fs::read_to_string(&abs).map_err(|e| {
                    Diagnostic::error(shown(&abs), format!("cannot read template: {e}"))
                        .with_hint("templates must be readable UTF-8 text")
                })?;
                templates.insert(display_path(&rel), (text, shown(&abs)));
            }
            for (rel, abs) in files_under(&dir.join("static")) {
                let bytes = std::fs::read(&abs).map_err(|e| {
                    Diagnostic::error(shown(&abs), format!("cannot read: {e}"))
                        .with_hint("check the file's permissions")
                })?;
                static_files.insert(rel, bytes);
            }
        }
        let origins: BTreeMap<String, PathBuf> = templates
            .iter()
            .map(|(n, (_, o))| (n.clone(), o.clone()))
            .collect();
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        // tera's default escaper also turns `/` into `&#x2F;`, bloating every URL.
        tera.set_escape_fn(escape_for_tera);
        let raw: Vec<(String, String)> = templates.into_iter().map(|(n, (t, _))| (n, t)).collect();
        if let Err(e) = tera.add_raw_templates(raw) {
            return Err(template_error(&e, &origins).into());
        }
        Ok(Theme {
            tera,
            static_files,
            origins,
        })
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.origins.contains_key(name)
    }

    /// Renders a template into a buffer made for about `size_hint` bytes (tera's own
    /// starts at 2 KB and grows by copying), turning tera's error into a diagnostic
    /// naming the template file.
    pub fn render(
        &self,
        name: &str,
        context: &tera::Context,
        size_hint: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut html = Vec::with_capacity(size_hint);
        self.tera
            .render_to(name, context, &mut html)
            .map_err(|e| template_error(&e, &self.origins))?;
        Ok(html)
    }
}

fn escape_for_tera(text: &str) -> String {
    crate::markdown::highlight::escape_html(text)
}

fn embedded_files<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut out = Vec::new();
    for entry in dir.entries() {
        match entry {
            include_dir::DirEntry::Dir(d) => out.extend(embedded_files(d)),
            include_dir::DirEntry::File(f) => out.push(f),
        }
    }
    out
}

/// Files below `dir` as (path relative to `dir`, absolute path), sorted.
fn files_under(dir: &Path) -> Vec<(PathBuf, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("under dir").to_path_buf();
            (rel, e.path().to_path_buf())
        })
        .collect()
}

/// A tera error as a diagnostic: the template's file, the line when tera gives one,
/// and the whole chain of causes as the message.
fn template_error(e: &tera::Error, origins: &BTreeMap<String, PathBuf>) -> Diagnostic {
    static NAME: OnceLock<Regex> = OnceLock::new();
    static LINE: OnceLock<Regex> = OnceLock::new();
    let name_re =
        NAME.get_or_init(|| Regex::new(r"'([^']+\.(?:html|xml|txt))'").expect("valid regex"));
    let line_re = LINE.get_or_init(|| Regex::new(r"--> (\d+):(\d+)").expect("valid regex"));
    let mut parts = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    let full = parts.join(": ");
    // The innermost template named is the one at fault (an include or a parent).
    let file = name_re
        .captures_iter(&full)
        .filter_map(|c| origins.get(&c[1]).cloned())
        .last()
        .unwrap_or_else(|| PathBuf::from("templates"));
    let message = full.split_whitespace().collect::<Vec<_>>().join(" ");
    let d = Diagnostic::error(file, format!("template error: {message}"))
        .with_hint("fix the template; see https://keats.github.io/tera/docs/ for the syntax");
    match line_re.captures(&full) {
        Some(c) => d.at(c[1].parse().unwrap_or(1), c[2].parse().unwrap_or(1)),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_theme_has_its_templates_and_assets() {
        let theme = Theme::builtin().unwrap();
        assert!(theme.has_template("page.html"));
        assert!(theme.has_template("404.html"));
        assert!(theme.static_files.contains_key(Path::new("style.css")));
        assert!(theme.static_files.contains_key(Path::new("labsite.js")));
    }

    #[test]
    fn a_broken_override_names_its_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("themes/default/templates");
        std::fs::create_dir_all(&t).unwrap();
        std::fs::write(t.join("page.html"), "<p>\n{% if %}\n</p>").unwrap();
        let err = Theme::from_parts(Some(&dir.path().join("themes/default")), dir.path())
            .err()
            .unwrap();
        let d = &err.0[0];
        assert_eq!(d.file, PathBuf::from("themes/default/templates/page.html"));
        assert_eq!(d.line, Some(2), "{d}");
    }
}
