//! What the fuzz targets share: a small fixed workshop on disk, loaded and
//! rendered once, into which each fuzzed input is put as a chapter, and the
//! invariants the targets assert.
//!
//! The workshop lives in a temporary folder for the life of the fuzzing process
//! (`fuzz/run.sh` points `TMPDIR` at a folder it removes afterwards).

use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

use labsite::markdown::Rendered;
use labsite::workshop::LoadOptions;

/// The chapter whose body the pipeline target replaces, relative to the content folder.
pub const CHAPTER: &str = "chapter-1/README.md";
/// The same file as diagnostics name it (relative to the workshop root).
pub const CHAPTER_SHOWN: &str = "content/chapter-1/README.md";

/// The fixed workshop: pages, files, folders, and validators of both kinds.
const FILES: &[(&str, &str)] = &[
    ("workshop.yaml", "title: Fuzz workshop\n"),
    (
        "content/README.md",
        "# Home\n\n[Start](chapter-1/README.md)\n",
    ),
    ("content/chapter-1/README.md", "# Chapter 1\n"),
    ("content/chapter-1/extra notes.md", "# Extra\n\n## Task 1\n"),
    ("content/chapter-1/images/a b.png", "png"),
    (
        "content/chapter-2/Readme.md",
        "# Chapter 2\n\n## Success Criteria\n\n[< Previous](../chapter-1/README.md)\n",
    ),
    ("content/assets/data/x.json", "{}"),
    ("content/odd#name?/100%.md", "# Odd\n"),
    ("validators/ok.sh", "#!/bin/sh\necho ok\n"),
    (
        "validators/probe.yaml",
        "probes:\n  - file: \"{{ path }}\"\n    contains: \"{{ text }}\"\n",
    ),
];

/// The fixed workshop, loaded and rendered.
pub struct Fixture {
    pub rendered: Rendered,
    /// Index of [`CHAPTER`] in the workshop's pages.
    pub chapter: usize,
    _dir: tempfile::TempDir,
}

/// The fixture, created on first use; one fuzzing thread uses it at a time.
pub fn fixture() -> MutexGuard<'static, Fixture> {
    static FIXTURE: OnceLock<Mutex<Fixture>> = OnceLock::new();
    FIXTURE
        .get_or_init(|| Mutex::new(create()))
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

fn create() -> Fixture {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (path, text) in FILES {
        let p = dir.path().join(path);
        fs::create_dir_all(p.parent().expect("a parent")).expect("create folder");
        fs::write(&p, text).expect("write fixture file");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let script = dir.path().join("validators/ok.sh");
        fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let rendered = Rendered::load(dir.path(), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("the fuzz fixture loads: {e}"));
    let chapter = rendered
        .workshop
        .page_by_source(Path::new(CHAPTER))
        .expect("the fixture has its chapter");
    Fixture {
        rendered,
        chapter,
        _dir: dir,
    }
}

/// `a/b/../c` → `a/c`; `None` when the path climbs above its start or is absolute.
pub fn normalize_within(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(s) => out.push(s),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// Whether a path is relative and stays where it starts: only plain names.
pub fn is_contained(path: &Path) -> bool {
    path.components().all(|c| matches!(c, Component::Normal(_)))
}

/// How many lines a text has, as labsite numbers them (a final line without `\n` counts).
pub fn line_count(text: &str) -> usize {
    text.split('\n').count()
}
