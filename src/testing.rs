//! Helpers for the unit tests beside the code.

/// A temporary folder holding `files` (path relative to it, content), folders created as needed.
pub fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("inside the folder")).expect("folders");
        std::fs::write(p, text).expect("file written");
    }
    dir
}
