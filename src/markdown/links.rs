//! Link resolution: the one place that decides what a link in a page points at.
//!
//! Links are written for GitHub: relative to the Markdown file
//! (`../chapter-4/README.md`, `./images/a.png`, `other.md#heading`), to a folder
//! (`../chapter-4/`), or to the workshop root (`/content/chapter-1/README.md`).
//! The renderer uses [`Resolver::resolve`] and [`Resolver::href`] to rewrite
//! them to the built pages; the checker uses the same answers to judge them.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::urlpath::{decode, normalize_within, relative_url};
use crate::workshop::Workshop;

/// What a link points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `#fragment` or an empty link: the page itself.
    SamePage,
    /// A page, by index into `Workshop::pages`.
    Page(usize),
    /// A copied file, relative to the content folder.
    File(PathBuf),
    /// A folder that exists but has no page of its own: the site lists its files,
    /// as GitHub does, on a page made for it (`folder/index.html`).
    Folder(PathBuf),
    /// A file the walk of the workshop leaves out (in a hidden folder such as
    /// `.github/`, or under `node_modules/`) that exists: copied into the site
    /// because a page links to it, and only then.
    Unlisted(PathBuf),
    /// A file that exists but looks like a secret (`.env`, a private key, git's
    /// own files): never published, so the link does not work on the site.
    Withheld(PathBuf),
    /// `http(s)://…` or `//host/…`.
    External,
    /// `mailto:`, `tel:` and other schemes labsite does not follow.
    OtherScheme,
    /// A relative link to nothing; the path it was resolved to, relative to the content folder.
    Missing(PathBuf),
    /// A relative link that leaves the content folder.
    Outside,
}

/// A link resolved against the page it is written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub target: Target,
    /// The `#fragment`, percent-decoded, without `#`.
    pub fragment: Option<String>,
}

impl Resolved {
    /// Whether the link points at something inside the workshop that exists.
    pub fn is_internal_ok(&self) -> bool {
        matches!(
            self.target,
            Target::SamePage
                | Target::Page(_)
                | Target::File(_)
                | Target::Folder(_)
                | Target::Unlisted(_)
        )
    }
}

/// Everything a link can point at inside a workshop.
#[derive(Debug, Clone, Default)]
pub struct Resolver {
    pages: HashMap<PathBuf, usize>,
    outputs: Vec<PathBuf>,
    files: HashSet<PathBuf>,
    /// Every folder holding pages or files, with its own page if it has one.
    folders: HashMap<PathBuf, Option<usize>>,
    /// The content folder relative to the workshop root (`content`, or empty).
    content_prefix: PathBuf,
    /// The workshop root inside its git repository (`repository.path`), for `/` links.
    repo_path: PathBuf,
    /// The content folder on disk, where links to unlisted files are looked up.
    content_dir: PathBuf,
}

/// Where the site lists a folder that has no page of its own.
pub fn listing_page(folder: &Path) -> PathBuf {
    folder.join("index.html")
}

/// Whether a file's name says it holds a secret: environment files (not their
/// `.example`/`.sample`/`.template` forms), private keys and certificates,
/// credential stores, and anything inside git's own folder.
pub fn looks_secret(rel: &Path) -> bool {
    if rel.components().any(|c| c.as_os_str() == ".git") {
        return true;
    }
    let Some(name) = rel.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let name = name.to_ascii_lowercase();
    let harmless = [".example", ".sample", ".template", ".dist", ".pub"]
        .iter()
        .any(|s| name.ends_with(s));
    if harmless {
        return false;
    }
    let exact = [
        ".env",
        ".npmrc",
        ".pypirc",
        ".netrc",
        ".git-credentials",
        ".htpasswd",
        "credentials",
        "id_rsa",
        "id_dsa",
        "id_ecdsa",
        "id_ed25519",
    ];
    let extensions = [
        ".pem",
        ".key",
        ".p12",
        ".pfx",
        ".jks",
        ".keystore",
        ".kdbx",
        ".ppk",
        ".tfstate",
    ];
    exact.contains(&name.as_str())
        || name.starts_with(".env.")
        || extensions.iter().any(|e| name.ends_with(e))
}

/// Whether a link starts with a URL scheme (`https:`, `mailto:`); a Windows drive letter is not one.
fn scheme(link: &str) -> Option<&str> {
    let end = link.find(':')?;
    let s = &link[..end];
    let ok = s.len() > 1
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c));
    ok.then_some(s)
}

impl Resolver {
    pub fn new(ws: &Workshop) -> Self {
        let mut r = Resolver {
            content_prefix: ws
                .content_dir
                .strip_prefix(&ws.root)
                .unwrap_or(Path::new(""))
                .to_path_buf(),
            repo_path: ws
                .config
                .repository
                .as_ref()
                .map(|repo| PathBuf::from(repo.path()))
                .unwrap_or_default(),
            content_dir: ws.content_dir.clone(),
            ..Resolver::default()
        };
        for (i, page) in ws.pages.iter().enumerate() {
            r.pages.insert(page.source.clone(), i);
            r.outputs.push(page.output.clone());
            r.add_folders(&page.source);
        }
        for f in &ws.files {
            r.files.insert(f.clone());
            r.add_folders(f);
        }
        for (i, page) in ws.pages.iter().enumerate() {
            if page.is_index {
                let dir = page
                    .source
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default();
                r.folders.insert(dir, Some(i));
            }
        }
        r
    }

    fn add_folders(&mut self, file: &Path) {
        let mut dir = file.parent();
        while let Some(d) = dir {
            if self.folders.contains_key(d) {
                break;
            }
            self.folders.insert(d.to_path_buf(), None);
            dir = d.parent();
        }
    }

    /// Resolves `link` as written in the page whose source is `from` (relative to the content folder).
    pub fn resolve(&self, from: &Path, link: &str) -> Resolved {
        let link = link.trim();
        let (without_fragment, fragment) = match link.split_once('#') {
            Some((before, frag)) => (before, Some(decode(frag))),
            None => (link, None),
        };
        let target = self.target(from, link, without_fragment);
        Resolved { target, fragment }
    }

    fn target(&self, from: &Path, link: &str, path_part: &str) -> Target {
        if link.starts_with("//") {
            return Target::External;
        }
        if let Some(s) = scheme(link) {
            return if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") {
                Target::External
            } else {
                Target::OtherScheme
            };
        }
        let path = path_part.split('?').next().unwrap_or("");
        if path.is_empty() {
            return Target::SamePage;
        }
        let decoded = decode(path);
        let joined = if let Some(from_root) = decoded.strip_prefix('/') {
            match self.rooted_in_content(Path::new(from_root)) {
                Some(p) => p,
                None => return Target::Outside,
            }
        } else {
            from.parent().unwrap_or(Path::new("")).join(&decoded)
        };
        let Some(rel) = normalize_within(&joined) else {
            return Target::Outside;
        };
        if let Some(&i) = self.pages.get(&rel) {
            return Target::Page(i);
        }
        if self.files.contains(&rel) {
            return Target::File(rel);
        }
        match self.folders.get(&rel) {
            Some(Some(i)) => Target::Page(*i),
            // A folder's own index.html, copied as it is, is what the folder shows.
            Some(None) if self.files.contains(&rel.join("index.html")) => {
                Target::File(rel.join("index.html"))
            }
            Some(None) => Target::Folder(rel),
            None => self.unlisted(rel),
        }
    }

    /// A path no page, file or folder of the workshop has: a file the walk left out
    /// when it exists on disk as a regular file reached through no symbolic link
    /// (so a link never publishes what lies outside the workshop), else missing.
    fn unlisted(&self, rel: PathBuf) -> Target {
        if self.content_dir.as_os_str().is_empty() || rel.as_os_str().is_empty() {
            return Target::Missing(rel);
        }
        let mut at = self.content_dir.clone();
        let mut components = rel.components().peekable();
        while let Some(c) = components.next() {
            at.push(c);
            let Ok(meta) = at.symlink_metadata() else {
                return Target::Missing(rel);
            };
            let last = components.peek().is_none();
            let fits = if last { meta.is_file() } else { meta.is_dir() };
            if !fits {
                return Target::Missing(rel);
            }
        }
        if looks_secret(&rel) {
            Target::Withheld(rel)
        } else {
            Target::Unlisted(rel)
        }
    }

    /// A `/`-rooted link: relative to the workshop root (or, with `repository.path`,
    /// the repository root), mapped into the content folder.
    fn rooted_in_content(&self, path: &Path) -> Option<PathBuf> {
        let path = normalize_within(path)?;
        let path = path.strip_prefix(&self.repo_path).unwrap_or(&path);
        path.strip_prefix(&self.content_prefix)
            .ok()
            .map(Path::to_path_buf)
    }

    /// The URL to write in the page built at `from_output` for a link resolved to `resolved`,
    /// or `None` to leave the link as written.
    pub fn href(&self, from_output: &Path, link: &str, resolved: &Resolved) -> Option<String> {
        let listing;
        let target_path = match &resolved.target {
            Target::Page(i) => self.outputs[*i].as_path(),
            Target::File(p) | Target::Unlisted(p) => p.as_path(),
            Target::Folder(p) => {
                listing = listing_page(p);
                listing.as_path()
            }
            _ => return None,
        };
        let mut url = relative_url(from_output, target_path);
        let rest = link.trim();
        let rest = &rest[rest.find(['?', '#']).unwrap_or(rest.len())..];
        // A query on a page link means nothing to a static site but is kept as written.
        url.push_str(rest);
        Some(url)
    }

    /// The output path of page `i`.
    pub fn output_of(&self, i: usize) -> &Path {
        &self.outputs[i]
    }

    /// Whether a file (not a page) exists at this path relative to the content folder.
    pub fn has_file(&self, rel: &Path) -> bool {
        self.files.contains(rel)
    }

    /// Whether `rel` (relative to the content folder) is a folder holding pages or files.
    pub fn is_folder(&self, rel: &Path) -> bool {
        self.folders.contains_key(rel)
    }

    /// The page of the folder `rel` (its README), if it has one.
    pub fn folder_page(&self, rel: &Path) -> Option<usize> {
        self.folders.get(rel).copied().flatten()
    }

    /// The page whose source is `rel` (relative to the content folder), if any.
    pub fn page_at(&self, rel: &Path) -> Option<usize> {
        self.pages.get(rel).copied()
    }

    /// Page and file paths relative to the content folder, for "did you mean" hints.
    pub fn known_paths(&self) -> impl Iterator<Item = &Path> {
        self.pages
            .keys()
            .chain(self.files.iter())
            .map(PathBuf::as_path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workshop::LoadOptions;
    use std::fs;

    fn fixture() -> (tempfile::TempDir, Workshop) {
        let dir = tempfile::tempdir().unwrap();
        for f in [
            "content/README.md",
            "content/chapter-1/README.md",
            "content/chapter-1/images/a b.png",
            "content/chapter-2/Readme.md",
            "content/chapter-2/extra notes.md",
            "content/assets/data/x.json",
        ] {
            let p = dir.path().join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, "# x").unwrap();
        }
        let ws = Workshop::load(dir.path(), &LoadOptions::default()).unwrap();
        (dir, ws)
    }

    fn rewrite(r: &Resolver, ws: &Workshop, from: &str, link: &str) -> Option<String> {
        let page = ws
            .pages
            .iter()
            .find(|p| p.source == Path::new(from))
            .unwrap();
        let resolved = r.resolve(&page.source, link);
        r.href(&page.output, link, &resolved)
    }

    #[test]
    fn every_github_link_form_is_rewritten() {
        let (_d, ws) = fixture();
        let r = Resolver::new(&ws);
        let from = "chapter-1/README.md";
        let cases = [
            ("../chapter-2/Readme.md", "../chapter-2/index.html"),
            ("../chapter-2/", "../chapter-2/index.html"),
            ("../chapter-2", "../chapter-2/index.html"),
            (
                "../chapter-2/Readme.md#task-1",
                "../chapter-2/index.html#task-1",
            ),
            (
                "../chapter-2/extra%20notes.md",
                "../chapter-2/extra%20notes.html",
            ),
            (
                "../chapter-2/extra notes.md",
                "../chapter-2/extra%20notes.html",
            ),
            ("./images/a b.png", "images/a%20b.png"),
            ("images/a%20b.png", "images/a%20b.png"),
            ("/content/chapter-2/Readme.md", "../chapter-2/index.html"),
            ("../README.md", "../index.html"),
            ("../", "../index.html"),
            // A folder without a page: the listing the site makes for it.
            ("../assets/data", "../assets/data/index.html"),
            ("README.md", "index.html"),
        ];
        for (link, want) in cases {
            assert_eq!(
                rewrite(&r, &ws, from, link).as_deref(),
                Some(want),
                "link {link}"
            );
        }
    }

    #[test]
    fn links_to_nothing_are_left_as_written() {
        let (_d, ws) = fixture();
        let r = Resolver::new(&ws);
        let from = Path::new("chapter-1/README.md");
        for link in [
            "backup-azure-vms-introduction.md",
            "../chapter-2/readme.md",
            "../../outside.md",
            "https://learn.microsoft.com/azure",
            "mailto:a@b.c",
            "#local",
        ] {
            let resolved = r.resolve(from, link);
            assert_eq!(
                r.href(Path::new("chapter-1/index.html"), link, &resolved),
                None,
                "{link}"
            );
        }
        assert_eq!(
            r.resolve(from, "../chapter-2/readme.md").target,
            Target::Missing(PathBuf::from("chapter-2/readme.md")),
            "case matters for files"
        );
        assert_eq!(r.resolve(from, "../../x.md").target, Target::Outside);
        assert_eq!(r.resolve(from, "/validators/x.sh").target, Target::Outside);
        assert_eq!(
            r.resolve(from, "//cdn.example/x.js").target,
            Target::External
        );
        assert_eq!(r.resolve(from, "tel:123").target, Target::OtherScheme);
        let same = r.resolve(from, "#Task-1%202");
        assert_eq!(same.target, Target::SamePage);
        assert_eq!(same.fragment.as_deref(), Some("Task-1 2"));
    }

    #[test]
    fn a_colon_in_a_file_name_is_not_a_scheme() {
        // Found by fuzz/fuzz_targets/link_resolution.rs: `step:1.html` is the URL scheme `step:`.
        let dir = tempfile::tempdir().unwrap();
        for f in ["README.md", "step:1.md"] {
            fs::write(dir.path().join(f), "# x").unwrap();
        }
        let ws = Workshop::load(dir.path(), &LoadOptions::default()).unwrap();
        let r = Resolver::new(&ws);
        let from = Path::new("README.md");
        let resolved = r.resolve(from, "step%3A1.md");
        assert!(matches!(resolved.target, Target::Page(_)), "{resolved:?}");
        let href = r.href(Path::new("index.html"), "step%3A1.md", &resolved);
        assert_eq!(href.as_deref(), Some("./step:1.html"));
        assert_eq!(r.resolve(from, "./step:1.md").target, resolved.target);
    }
}
