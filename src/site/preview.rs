//! The site as the preview server holds it: built in memory, updated in place
//! after a save. This is the site's incremental build; `serve` only watches
//! files, classifies the changes into [`Changes`] and serves what this holds. A changed chapter is re-read, re-rendered and laid out alone
//! (all pages only when its title, and so every sidebar, changed; with the pages
//! whose `#fragment` links into it were rewritten, when its ids changed); a theme
//! change re-lays pages out; anything else rebuilds the whole site. A failed
//! update keeps the last good site and remembers the errors for the overlay.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Diagnostic, Errors};
use crate::markdown;
use crate::markdown::links::Target;
use crate::markdown::Rendered;
use crate::site::layout::Layout;
use crate::site::output::{Contents, OutputFile};
use crate::site::theme::Theme;
use crate::site::{self, BuildOptions};

/// One file the server can answer with.
#[derive(Debug, Clone)]
pub enum Served {
    Bytes(Arc<Vec<u8>>),
    /// A workshop file, read from disk when asked for.
    File(PathBuf),
}

/// What changed on disk, as the watcher classified it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Markdown pages edited in place (absolute paths).
    pub pages: Vec<PathBuf>,
    /// Theme files changed; `css_only` when only stylesheets did.
    pub theme: bool,
    pub css_only: bool,
    /// Copied files of the site changed in place (served from disk: pages just reload).
    pub assets: bool,
    /// Anything else: files added or removed, configuration, validators.
    pub full: bool,
}

/// What an update means for open pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// These site paths changed (`None`: every page).
    Reload(Option<Vec<String>>),
    /// Only stylesheets changed.
    Css,
    Failed(Vec<Diagnostic>),
    Unchanged,
}

struct Model<T> {
    rendered: Rendered,
    theme: Theme,
    titles: Vec<String>,
    /// What the front end derives from the pages (serve: the checks the verify API may run).
    derived: T,
}

/// What a front end derives from every good build and keeps beside it: serve, the
/// checks of the verify blocks, which this floor cannot judge. Its errors fail an
/// update like the site's own. It is derived again only when a page's verify
/// blocks change, or on a full rebuild.
pub type Derive<T> = fn(&Rendered) -> Result<T, Errors>;

/// The preview's site and the model it was built from.
pub struct Preview<T> {
    root: PathBuf,
    opts: BuildOptions,
    derive: Derive<T>,
    model: Option<Model<T>>,
    files: HashMap<String, Served>,
    /// Errors of the last update, shown as an overlay until a good one.
    pub errors: Vec<Diagnostic>,
    /// Bumped by every successful update.
    pub version: u64,
    /// Site paths made from the whole workshop (search index, print view, …), and
    /// whether edits since the last full build left them behind: they are remade
    /// when asked for, so that a save re-renders one page only.
    workshop_paths: std::collections::HashSet<String>,
    workshop_stale: bool,
}

/// A site path as the server looks it up: `/`-separated, no leading slash.
fn key(path: &Path) -> String {
    crate::diag::display_path(path)
}

impl<T: Clone> Preview<T> {
    /// Builds the site in memory; errors are kept for the overlay, not fatal.
    pub fn new(root: &Path, opts: BuildOptions, derive: Derive<T>) -> Preview<T> {
        let mut p = Preview {
            root: root.to_path_buf(),
            opts,
            derive,
            model: None,
            files: HashMap::new(),
            errors: Vec::new(),
            version: 0,
            workshop_paths: Default::default(),
            workshop_stale: false,
        };
        p.rebuild();
        p
    }

    /// The workshop folder, as given.
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn get(&self, path: &str) -> Option<Served> {
        self.files.get(path).cloned()
    }

    pub fn has(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// Whether `path` is made from the whole workshop and out of date.
    pub fn is_stale(&self, path: &str) -> bool {
        self.workshop_stale && self.workshop_paths.contains(path)
    }

    /// Remakes the files made from the whole workshop after edits.
    pub fn refresh_workshop_pages(&mut self) {
        let Some(model) = &self.model else { return };
        if !self.workshop_stale {
            return;
        }
        let layout = Layout::new(&model.rendered, &model.theme, &self.opts);
        match site::workshop_pages(&model.rendered, &layout) {
            Ok((files, _)) => {
                for f in files {
                    self.files.insert(key(&f.path), served(f));
                }
                self.workshop_stale = false;
            }
            Err(e) => self.errors = vec![e],
        }
    }

    /// What the front end derived from the last good build.
    pub fn derived(&self) -> Option<T> {
        self.model.as_ref().map(|m| m.derived.clone())
    }

    /// The workshop as last loaded, if a build ever succeeded.
    pub fn rendered(&self) -> Option<&Rendered> {
        self.model.as_ref().map(|m| &m.rendered)
    }

    pub fn content_dir(&self) -> Option<&Path> {
        self.rendered().map(|r| r.workshop.content_dir.as_path())
    }

    pub fn output_dir(&self) -> Option<&Path> {
        self.rendered().map(|r| r.workshop.output_dir.as_path())
    }

    /// Applies changes found on disk.
    pub fn update(&mut self, changes: &Changes) -> Outcome {
        if changes.full || self.model.is_none() {
            return self.rebuild();
        }
        let mut changed: Option<Vec<String>> = Some(Vec::new());
        if changes.theme {
            match self.reload_theme() {
                Ok(()) if changes.css_only && changes.pages.is_empty() => return Outcome::Css,
                Ok(()) => changed = None,
                Err(errors) => return self.fail(errors),
            }
        }
        for path in &changes.pages {
            match self.update_page(path) {
                Ok(Some(paths)) => {
                    if let Some(c) = changed.as_mut() {
                        c.extend(paths);
                    }
                }
                Ok(None) => changed = None,
                Err(PageUpdate::Rebuild) => return self.rebuild(),
                Err(PageUpdate::Failed(errors)) => return self.fail(errors),
            }
        }
        self.errors.clear();
        self.version += 1;
        self.workshop_stale = true;
        if changes.assets {
            changed = None;
        }
        match changed {
            Some(c) if c.is_empty() => Outcome::Unchanged,
            other => Outcome::Reload(other),
        }
    }

    fn fail(&mut self, errors: Errors) -> Outcome {
        self.errors = errors.0.clone();
        Outcome::Failed(errors.0)
    }

    /// Loads, renders and lays out everything again.
    pub fn rebuild(&mut self) -> Outcome {
        let built = Rendered::load(&self.root, &self.opts.load).and_then(|rendered| {
            rendered.save_highlight_cache();
            let derived = (self.derive)(&rendered)?;
            let theme = Theme::load(&rendered.workshop)?;
            let files = std::sync::Mutex::new(Vec::new());
            site::render_site(&rendered, &theme, &self.opts, &|f| {
                files.lock().unwrap_or_else(|e| e.into_inner()).push(f);
                Ok(())
            })?;
            let files = files.into_inner().unwrap_or_else(|e| e.into_inner());
            Ok((rendered, derived, theme, files))
        });
        match built {
            Ok((rendered, derived, theme, files)) => {
                self.files = files
                    .into_iter()
                    .map(|f| (key(&f.path), served(f)))
                    .collect();
                self.workshop_paths = site::workshop_page_paths().into_iter().collect();
                self.workshop_stale = false;
                let titles = rendered.titles();
                self.model = Some(Model {
                    rendered,
                    theme,
                    titles,
                    derived,
                });
                self.errors.clear();
                self.version += 1;
                Outcome::Reload(None)
            }
            Err(errors) => self.fail(errors),
        }
    }

    fn reload_theme(&mut self) -> Result<(), Errors> {
        let model = self.model.as_mut().expect("checked by update");
        let theme = Theme::load(&model.rendered.workshop)?;
        let layout = Layout::new(&model.rendered, &theme, &self.opts);
        let mut pages = Vec::with_capacity(model.rendered.workshop.pages.len());
        for i in 0..model.rendered.workshop.pages.len() {
            pages.push(layout.page(i)?);
        }
        for (rel, bytes) in &theme.static_files {
            let path = Path::new(site::theme::STATIC_DIR).join(rel);
            self.files
                .insert(key(&path), Served::Bytes(Arc::new(bytes.clone())));
        }
        for f in pages {
            self.files.insert(key(&f.path), served(f));
        }
        model.theme = theme;
        Ok(())
    }

    /// Re-renders one edited page; `Ok(Some(paths))` lists the site paths that changed,
    /// `Ok(None)` means every page did (its title is in every sidebar).
    fn update_page(&mut self, path: &Path) -> Result<Option<Vec<String>>, PageUpdate> {
        let model = self.model.as_mut().expect("checked by update");
        let ws = &mut model.rendered.workshop;
        let Some(i) = path
            .strip_prefix(&ws.content_dir)
            .ok()
            .and_then(|rel| ws.page_by_source(rel))
        else {
            return Err(PageUpdate::Rebuild);
        };
        let before = (ws.pages[i].front.draft, ws.pages[i].front.weight);
        ws.reload_page(i)
            .map_err(|e| PageUpdate::Failed(e.into()))?;
        if (ws.pages[i].front.draft, ws.pages[i].front.weight) != before {
            return Err(PageUpdate::Rebuild);
        }
        let doc = markdown::render_page(
            &ws.pages[i],
            &model.rendered.resolver,
            model.rendered.highlighter.as_ref(),
        );
        // A new link to a folder without a page, or to a file in a hidden folder,
        // means a page or a copy the site does not have yet.
        if extra_targets(&model.rendered.documents[i]) != extra_targets(&doc) {
            return Err(PageUpdate::Rebuild);
        }
        let same_checks = same_verify_blocks(&model.rendered.documents[i], &doc);
        // Links into the page from others change when its ids do: those pages are laid out again.
        let linking = model.rendered.replace_document(i, doc);
        // The checks of a workshop change only when a page's verify blocks do.
        if !same_checks {
            model.derived = (self.derive)(&model.rendered).map_err(PageUpdate::Failed)?;
        }
        let layout = Layout::new(&model.rendered, &model.theme, &self.opts);
        let title_changed = layout.titles[i] != model.titles[i];
        let indices: Vec<usize> = if title_changed {
            (0..model.rendered.workshop.pages.len()).collect()
        } else {
            std::iter::once(i).chain(linking).collect()
        };
        let mut changed = Vec::new();
        for j in indices {
            let f = layout.page(j).map_err(|e| PageUpdate::Failed(e.into()))?;
            let k = key(&f.path);
            let new = served(f);
            let same = matches!((self.files.get(&k), &new), (Some(Served::Bytes(a)), Served::Bytes(b)) if a == b);
            if !same {
                changed.push(k.clone());
                self.files.insert(k, new);
            }
        }
        model.titles = layout.titles;
        Ok(if title_changed { None } else { Some(changed) })
    }
}

/// The page's links to folders without a page and to unlisted files.
fn extra_targets(doc: &markdown::Document) -> Vec<&Target> {
    let mut targets: Vec<&Target> = doc
        .links
        .iter()
        .map(|l| &l.resolved.target)
        .filter(|t| matches!(t, Target::Folder(_) | Target::Unlisted(_)))
        .collect();
    targets.sort_by_key(|t| format!("{t:?}"));
    targets.dedup();
    targets
}

/// Whether two renderings of a page have the same verify blocks (lines aside).
fn same_verify_blocks(a: &markdown::Document, b: &markdown::Document) -> bool {
    a.verify_blocks.len() == b.verify_blocks.len()
        && a.verify_blocks.iter().zip(&b.verify_blocks).all(|(x, y)| {
            x.body == y.body && x.task.as_ref().map(|t| &t.text) == y.task.as_ref().map(|t| &t.text)
        })
}

enum PageUpdate {
    Rebuild,
    Failed(Errors),
}

fn served(f: OutputFile) -> Served {
    match f.contents {
        Contents::Bytes(b) => Served::Bytes(Arc::new(b)),
        Contents::Copy(p) => Served::File(p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// The verify blocks' bodies by page, as a stand-in for the checks serve
    /// derives; a block saying `broken` fails, as a bad verify block fails serve's.
    fn blocks(rendered: &Rendered) -> Result<Vec<String>, Errors> {
        let bodies: Vec<String> = rendered
            .documents
            .iter()
            .flat_map(|d| d.verify_blocks.iter().map(|b| b.body.clone()))
            .collect();
        match bodies.iter().find(|b| b.contains("broken")) {
            Some(_) => Err(Diagnostic::error("content/c1/README.md", "a broken block").into()),
            None => Ok(bodies),
        }
    }

    fn workshop() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        for (f, text) in [
            ("content/README.md", "# Home\n"),
            ("content/c1/README.md", "# One\n\nfirst text\n"),
            ("content/c2/README.md", "# Two\n"),
        ] {
            let p = root.join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        (dir, root)
    }

    fn text(p: &Preview<Vec<String>>, path: &str) -> String {
        match p.get(path).unwrap() {
            Served::Bytes(b) => String::from_utf8(b.to_vec()).unwrap(),
            Served::File(f) => fs::read_to_string(f).unwrap(),
        }
    }

    #[test]
    fn an_edit_re_renders_only_that_page() {
        let (_d, root) = workshop();
        let mut p = Preview::new(&root, BuildOptions::default(), blocks);
        assert!(p.errors.is_empty());
        let page = root.join("content/c1/README.md").canonicalize().unwrap();
        fs::write(&page, "# One\n\nsecond text\n").unwrap();
        let changes = Changes {
            pages: vec![page.clone()],
            ..Changes::default()
        };
        assert_eq!(
            p.update(&changes),
            Outcome::Reload(Some(vec!["c1/index.html".into()]))
        );
        assert!(text(&p, "c1/index.html").contains("second text"));

        fs::write(&page, "# One renamed\n").unwrap();
        assert_eq!(
            p.update(&changes),
            Outcome::Reload(None),
            "a new title is in every sidebar"
        );
        assert!(text(&p, "c2/index.html").contains("One renamed"));
    }

    #[test]
    fn the_checks_follow_edits_of_verify_blocks() {
        let (_d, root) = workshop();
        let v = root.join("validators/ok.sh");
        fs::create_dir_all(v.parent().unwrap()).unwrap();
        fs::write(&v, "#!/bin/sh\necho ok\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&v, fs::Permissions::from_mode(0o755)).unwrap();
        }
        let page = root.join("content/c1/README.md").canonicalize().unwrap();
        let block = |id: &str| format!("# One\n\n```verify\nid: {id}\nvalidator: ok\n```\n");
        fs::write(&page, block("first")).unwrap();
        let mut p = Preview::new(&root, BuildOptions::default(), blocks);
        let has = |p: &Preview<Vec<String>>, id: &str| {
            p.derived()
                .unwrap()
                .iter()
                .any(|b| b.contains(&format!("id: {id}\n")))
        };
        assert!(has(&p, "first"));
        let changes = Changes {
            pages: vec![page.clone()],
            ..Changes::default()
        };
        fs::write(&page, format!("intro\n\n{}", block("first"))).unwrap();
        assert!(matches!(p.update(&changes), Outcome::Reload(_)));
        assert!(has(&p, "first"), "unchanged blocks keep their check");
        fs::write(&page, block("renamed")).unwrap();
        assert!(matches!(p.update(&changes), Outcome::Reload(_)));
        assert!(has(&p, "renamed") && !has(&p, "first"));
    }

    #[test]
    fn a_new_check_widget_in_the_theme_shows_without_a_new_render() {
        let (_d, root) = workshop();
        let page = root.join("content/c1/README.md");
        fs::write(&page, "# One\n\n```verify\nid: first\nvalidator: ok\n```\n").unwrap();
        let mut p = Preview::new(&root, BuildOptions::default(), blocks);
        assert!(text(&p, "c1/index.html").contains("data-check=\"first\""));
        let templates = root.join("themes/default/templates");
        fs::create_dir_all(&templates).unwrap();
        fs::write(
            templates.join("verify-widget.html"),
            "<p class=\"mine\">{{ id }}</p>\n",
        )
        .unwrap();
        let changes = Changes {
            theme: true,
            ..Changes::default()
        };
        assert_eq!(p.update(&changes), Outcome::Reload(None));
        let html = text(&p, "c1/index.html");
        assert!(html.contains("<p class=\"mine\">first</p>"), "{html}");
        assert!(!html.contains("data-check=\"first\""), "{html}");
    }

    #[test]
    fn a_broken_page_keeps_the_last_good_site() {
        let (_d, root) = workshop();
        let mut p = Preview::new(&root, BuildOptions::default(), blocks);
        let page = root.join("content/c1/README.md").canonicalize().unwrap();
        fs::write(&page, "# One\n\n```verify\nid: broken\n```\n").unwrap();
        let changes = Changes {
            pages: vec![page.clone()],
            ..Changes::default()
        };
        match p.update(&changes) {
            Outcome::Failed(errors) => {
                assert_eq!(errors[0].file, PathBuf::from("content/c1/README.md"))
            }
            other => panic!("expected a failure, got {other:?}"),
        }
        assert!(
            text(&p, "c1/index.html").contains("first text"),
            "last good page still served"
        );
        assert_eq!(p.errors.len(), 1);
        fs::write(&page, "# One\n\nfixed\n").unwrap();
        assert!(matches!(p.update(&changes), Outcome::Reload(_)));
        assert!(p.errors.is_empty());
    }

    #[test]
    fn an_edit_rewrites_fragments_from_and_into_the_page() {
        let (_d, root) = workshop();
        let c1 = root.join("content/c1/README.md");
        fs::write(&c1, "# One\n\n## Setup\n").unwrap();
        fs::write(
            root.join("content/c2/README.md"),
            "# Two\n\n[setup](../c1/README.md#Setup)\n",
        )
        .unwrap();
        let mut p = Preview::new(&root, BuildOptions::default(), blocks);
        assert!(text(&p, "c2/index.html").contains("href=\"../c1/index.html#setup\""));
        let page = c1.canonicalize().unwrap();
        let changes = Changes {
            pages: vec![page.clone()],
            ..Changes::default()
        };
        fs::write(
            &page,
            "# One\n\n<a id=\"Setup\"></a>\n\n[two](../c2/README.md#TWO)\n",
        )
        .unwrap();
        assert_eq!(
            p.update(&changes),
            Outcome::Reload(Some(vec!["c1/index.html".into(), "c2/index.html".into()])),
            "the page linking into the edited one changed too"
        );
        assert!(text(&p, "c1/index.html").contains("href=\"../c2/index.html#two\""));
        assert!(text(&p, "c2/index.html").contains("href=\"../c1/index.html#Setup\""));
        fs::write(&page, "# One\n\n<a id=\"Setup\"></a>\n\nOther text.\n").unwrap();
        assert_eq!(
            p.update(&changes),
            Outcome::Reload(Some(vec!["c1/index.html".into()])),
            "same ids: only the page itself"
        );
    }
}
