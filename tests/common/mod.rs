//! Helpers shared by the integration tests: running the real binary on fixture
//! workshops copied to temporary folders, and reading the HTML it writes.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `labsite` binary built for these tests.
pub fn labsite() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_labsite"));
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Runs `labsite` with `args` and returns its output.
pub fn run(args: &[&str]) -> Output {
    labsite().args(args).output().expect("labsite runs")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The repository's own folder (the sample workshop's root).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// Copies a folder recursively (files and folders only).
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("fixture is readable");
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else if entry.file_type().is_file() {
            fs::copy(entry.path(), &dest).unwrap();
            #[cfg(unix)]
            {
                let mode = fs::metadata(entry.path()).unwrap().permissions();
                fs::set_permissions(&dest, mode).unwrap();
            }
        }
    }
}

/// A fixture copied into a fresh temporary folder; the folder lives as long as the guard.
pub fn workshop_copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join(name);
    copy_dir(&fixture(name), &root);
    (dir, root)
}

/// Every file below `dir` with its bytes, sorted by path: a snapshot to compare.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

/// Values of `attr` on elements matching `selector` in an HTML file.
pub fn attrs(html: &str, selector: &str, attr: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).expect("valid selector");
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}
