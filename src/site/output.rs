//! Writing the site: the last stage of the pipeline.
//!
//! The site is written into a temporary folder beside the output folder and
//! swapped in only when every file is written, so a failed or killed build
//! leaves the previous site as it was. labsite only ever replaces a folder it
//! created itself (it leaves a marker file in it), never the workshop's sources.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::diag::{display_path, Diagnostic};

/// The marker file that says labsite owns an output folder.
pub const MARKER: &str = ".labsite-output";
const MARKER_TEXT: &str = "This folder is written by labsite and replaced on every build.\n";

/// What goes into one output file.
#[derive(Debug, Clone)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// A file copied from the workshop (absolute path).
    Copy(PathBuf),
}

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative to the output folder.
    pub path: PathBuf,
    pub contents: Contents,
}

impl OutputFile {
    pub fn bytes(path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(bytes.into()),
        }
    }
}

/// Refuses output folders whose replacement would lose a user's files.
pub fn check_target(out: &Path, root: &Path, content: &Path) -> Result<(), Diagnostic> {
    let out = absolute(out);
    let shown = display_path(&out);
    let refuse = |why: &str, hint: &str| {
        Err(Diagnostic::error(
            &out,
            format!("refusing to write the site to {shown}: {why}"),
        )
        .with_hint(hint.to_string()))
    };
    if out == root || out == content {
        return refuse(
            "it is the workshop's own folder",
            "choose an output folder such as public/ with -o",
        );
    }
    if root.starts_with(&out) || content.starts_with(&out) {
        return refuse(
            "it contains the workshop",
            "choose an output folder inside or beside the workshop, such as public/",
        );
    }
    match fs::symlink_metadata(&out) {
        Err(_) => Ok(()),
        Ok(meta) if !meta.is_dir() => refuse(
            "it exists and is not a folder",
            "remove it or choose another output folder with -o",
        ),
        Ok(_) => {
            let empty = fs::read_dir(&out)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
            if empty || out.join(MARKER).is_file() {
                Ok(())
            } else {
                refuse(
                    "it is not empty and was not created by labsite",
                    "choose another folder with -o, or empty this one yourself if its files can go",
                )
            }
        }
    }
}

/// The folder as an absolute path with `.`/`..` resolved through its existing ancestors.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => absolute(parent).join(name),
        _ => path.to_path_buf(),
    }
}

/// A new site being written beside the output folder, file by file as pages are
/// laid out (so a build never holds the whole site in memory), and swapped in by
/// [`Staging::commit`]. Dropped without a commit, it is removed and the previous
/// site stays.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    /// Fingerprints of the previous build's files, by path.
    before: HashMap<String, String>,
    /// `fingerprint path` lines of this build's files, for its marker.
    manifest: Mutex<Vec<String>>,
    /// Files the same as in the previous site: linked from it at the commit, and
    /// only if something else changed.
    unchanged: Mutex<Vec<PathBuf>>,
    committed: bool,
}

impl Staging {
    /// Prepares a temporary folder beside `out` (cleaning up after an interrupted build).
    pub fn begin(out: &Path) -> Result<Staging, Diagnostic> {
        let out = absolute(out);
        let parent = out
            .parent()
            .ok_or_else(|| Diagnostic::error(&out, "the output folder has no parent folder"))?;
        fs::create_dir_all(parent).map_err(|e| io_error(parent, "cannot create the folder", &e))?;
        recover_interrupted(parent, &folder_name(&out), &out);
        let dir = parent.join(format!(
            ".{}.labsite-new-{}",
            folder_name(&out),
            std::process::id()
        ));
        if dir.exists() {
            fs::remove_dir_all(&dir)
                .map_err(|e| io_error(&dir, "cannot clear a leftover temporary folder", &e))?;
        }
        fs::create_dir_all(&dir)
            .map_err(|e| io_error(&dir, "cannot create the temporary output folder", &e))?;
        // Marked as ours from the start, so that the next build removes it if this one is killed.
        fs::write(dir.join(MARKER), MARKER_TEXT).map_err(|e| io_error(&dir, "cannot write", &e))?;
        Ok(Staging {
            before: read_manifest(&out),
            out,
            dir,
            manifest: Mutex::new(Vec::new()),
            unchanged: Mutex::new(Vec::new()),
            committed: false,
        })
    }

    /// Writes one file; a file unchanged since the previous build is only noted,
    /// to be linked from it if the site changed at all (see [`Staging::commit`]).
    pub fn put(&self, f: &OutputFile) -> Result<(), Diagnostic> {
        let key = crate::diag::display_path(&f.path);
        let print = fingerprint(&f.contents);
        let same = print
            .as_ref()
            .is_some_and(|print| self.is_unchanged(&key, print, &f.path));
        if same {
            lock(&self.unchanged).push(f.path.clone());
        } else {
            let dest = self.dir.join(&f.path);
            create_parent(&dest)?;
            match &f.contents {
                Contents::Bytes(b) => crate::files::write(&dest, b)
                    .map_err(|e| io_error(&dest, "cannot write", &e))?,
                Contents::Copy(src) => {
                    fs::copy(src, &dest).map_err(|e| io_error(src, "cannot copy", &e))?;
                }
            }
        }
        if let Some(print) = print {
            lock(&self.manifest).push(format!("{print} {key}\n"));
        }
        Ok(())
    }

    /// Whether the previous site has this file as it is now: same fingerprint, and
    /// the same size on disk (in case someone edited the previous output by hand).
    fn is_unchanged(&self, key: &str, print: &str, rel: &Path) -> bool {
        if self.before.get(key).map(String::as_str) != Some(print) {
            return false;
        }
        let size = print.rsplit('-').next().and_then(|n| n.parse::<u64>().ok());
        fs::metadata(self.out.join(rel)).is_ok_and(|m| Some(m.len()) == size)
    }

    /// Puts the new site in place of the previous one. When every file is the same
    /// as before and none was added or removed, the previous site simply stays: no
    /// folder is made or removed. Otherwise the unchanged files are hard-linked from
    /// the previous site (copied where linking fails), the marker written last, and
    /// the new folder swapped in whole.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        let mut lines = std::mem::take(&mut *lock(&self.manifest));
        lines.sort();
        let unchanged = std::mem::take(&mut *lock(&self.unchanged));
        if unchanged.len() == lines.len() && lines.len() == self.before.len() {
            // Every file was found in the previous manifest, and there are as many.
            fs::remove_dir_all(&self.dir)
                .map_err(|e| io_error(&self.dir, "cannot remove the temporary folder", &e))?;
            self.committed = true;
            return Ok(());
        }
        unchanged.par_iter().try_for_each(|rel| {
            let (prev, dest) = (self.out.join(rel), self.dir.join(rel));
            create_parent(&dest)?;
            if fs::hard_link(&prev, &dest).is_err() {
                fs::copy(&prev, &dest).map_err(|e| io_error(&prev, "cannot copy", &e))?;
            }
            Ok::<(), Diagnostic>(())
        })?;
        let mut marker = String::from(MARKER_TEXT);
        lines.iter().for_each(|l| marker.push_str(l));
        fs::write(self.dir.join(MARKER), marker)
            .map_err(|e| io_error(&self.dir, "cannot write", &e))?;
        let parent = self.out.parent().expect("checked in begin").to_path_buf();
        swap_in(&self.dir, &self.out, &parent, &folder_name(&self.out))?;
        self.committed = true;
        Ok(())
    }
}

/// Creates the folder a file is about to be written in.
fn create_parent(file: &Path) -> Result<(), Diagnostic> {
    match file.parent() {
        Some(parent) => {
            fs::create_dir_all(parent).map_err(|e| io_error(parent, "cannot create the folder", &e))
        }
        None => Ok(()),
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

fn folder_name(out: &Path) -> String {
    out.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into())
}

/// What identifies a file's content: a hash of the bytes, or the source's size and
/// modification time for copies. `None` when the source cannot be read (the copy reports it).
fn fingerprint(contents: &Contents) -> Option<String> {
    match contents {
        // XXH3: stable across runs and versions (the manifest outlives the process),
        // and fast enough that hashing every page costs little next to writing it.
        Contents::Bytes(b) => Some(format!(
            "x{:016x}-{}",
            xxhash_rust::xxh3::xxh3_64(b),
            b.len()
        )),
        Contents::Copy(src) => {
            let meta = fs::metadata(src).ok()?;
            let mtime = meta
                .modified()
                .ok()?
                .duration_since(std::time::UNIX_EPOCH)
                .ok()?;
            Some(format!(
                "c{}.{:09}-{}",
                mtime.as_secs(),
                mtime.subsec_nanos(),
                meta.len()
            ))
        }
    }
}

/// The fingerprints of the previous build's files, from its marker file.
fn read_manifest(out: &Path) -> HashMap<String, String> {
    let text = fs::read_to_string(out.join(MARKER)).unwrap_or_default();
    text.lines()
        .skip(1)
        .filter_map(|l| l.split_once(' '))
        .map(|(print, path)| (path.to_string(), print.to_string()))
        .collect()
}

/// Renames the finished staging folder to `out`, keeping the old one until the new one is in place.
fn swap_in(staging: &Path, out: &Path, parent: &Path, name: &str) -> Result<(), Diagnostic> {
    let old = parent.join(format!(".{name}.labsite-old-{}", std::process::id()));
    let had_old = out.exists();
    if had_old {
        fs::rename(out, &old)
            .map_err(|e| io_error(out, "cannot move the previous site aside", &e))?;
    }
    if let Err(e) = fs::rename(staging, out) {
        if had_old {
            let _ = fs::rename(&old, out);
        }
        return Err(io_error(out, "cannot move the new site into place", &e));
    }
    if had_old {
        let _ = remove_owned(&old);
    }
    Ok(())
}

/// Removes a folder of ours with its marker last, so that a build killed while
/// removing it leaves a folder the next build still recognises and removes.
///
/// Its entries are removed by several threads at once: removing a folder waits on
/// the disk (a filesystem mounted with `discard` trims every freed block as it
/// goes), so a site of thousands of folders goes several times faster this way
/// even on one core.
fn remove_owned(dir: &Path) -> io::Result<()> {
    const THREADS: usize = 8;
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)?
        .collect::<io::Result<Vec<_>>>()?
        .into_iter()
        .filter(|e| e.file_name() != MARKER)
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let remove = || -> io::Result<()> {
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(entry) = entries.get(i) else {
                return Ok(());
            };
            if entry.file_type()?.is_dir() {
                fs::remove_dir_all(entry.path())?;
            } else {
                fs::remove_file(entry.path())?;
            }
        }
    };
    std::thread::scope(|s| {
        let workers: Vec<_> = (1..THREADS.min(entries.len()))
            .map(|_| s.spawn(remove))
            .collect();
        let mine = remove();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| Err(io::Error::other("a remover panicked")))
            })
            .fold(mine, |a, b| a.and(b))
    })?;
    fs::remove_dir_all(dir)
}

/// Cleans up after a build that was killed: leftover temporary folders of ours are
/// removed, and a previous site moved aside but never replaced is moved back.
fn recover_interrupted(parent: &Path, name: &str, out: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let new_prefix = format!(".{name}.labsite-new-");
    let old_prefix = format!(".{name}.labsite-old-");
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let ours = file_name.starts_with(&new_prefix) || file_name.starts_with(&old_prefix);
        if !ours {
            continue;
        }
        if !path.join(MARKER).is_file() {
            // A build killed before it wrote the marker leaves an empty folder.
            let _ = fs::remove_dir(&path);
            continue;
        }
        // A previous site moved aside comes back unless a new one took its place.
        if file_name.starts_with(&old_prefix) && !out.exists() {
            let _ = fs::rename(&path, out);
        } else {
            let _ = remove_owned(&path);
        }
    }
}

fn io_error(path: &Path, what: &str, e: &io::Error) -> Diagnostic {
    Diagnostic::error(path, format!("{what}: {e}"))
        .with_hint("check the disk space and the folder's permissions")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A whole site written at once, as a build does file by file.
    fn write_site(out: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
        let staging = Staging::begin(out)?;
        files.iter().try_for_each(|f| staging.put(f))?;
        staging.commit()
    }

    #[test]
    fn refuses_folders_that_would_lose_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let content = root.join("content");
        fs::create_dir_all(&content).unwrap();
        assert!(check_target(&root, &root, &content).is_err());
        assert!(check_target(&content, &root, &content).is_err());
        assert!(check_target(root.parent().unwrap(), &root, &content).is_err());
        let mine = root.join("docs");
        fs::create_dir_all(&mine).unwrap();
        fs::write(mine.join("notes.txt"), "keep me").unwrap();
        let err = check_target(&mine, &root, &content).unwrap_err();
        assert!(err.message.contains("not created by labsite"), "{err}");
        assert!(check_target(&root.join("public"), &root, &content).is_ok());
    }

    #[test]
    fn replaces_the_previous_site_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[
                OutputFile::bytes("a/old.html", "old"),
                OutputFile::bytes("index.html", "1"),
            ],
        )
        .unwrap();
        write_site(&out, &[OutputFile::bytes("index.html", "2")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "2");
        assert!(!out.join("a/old.html").exists());
        assert!(out.join(MARKER).is_file());
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_linked_not_rewritten() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let files = [
            OutputFile::bytes("same.html", "same"),
            OutputFile::bytes("changes.html", "v1"),
        ];
        write_site(&out, &files).unwrap();
        let inode = |p: &str| fs::metadata(out.join(p)).unwrap().ino();
        let (same, changes) = (inode("same.html"), inode("changes.html"));
        write_site(
            &out,
            &[
                OutputFile::bytes("same.html", "same"),
                OutputFile::bytes("changes.html", "v2"),
            ],
        )
        .unwrap();
        assert_eq!(
            inode("same.html"),
            same,
            "the unchanged file is the previous one, linked"
        );
        assert_ne!(inode("changes.html"), changes);
        assert_eq!(fs::read_to_string(out.join("changes.html")).unwrap(), "v2");
        let manifest = fs::read_to_string(out.join(MARKER)).unwrap();
        assert!(
            manifest.starts_with(MARKER_TEXT) && manifest.contains(" same.html\n"),
            "{manifest}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_rebuild_that_changes_nothing_leaves_the_site_untouched() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let files = [
            OutputFile::bytes("index.html", "home"),
            OutputFile::bytes("a/b.html", "page"),
        ];
        write_site(&out, &files).unwrap();
        let folder = |p: &Path| fs::metadata(p).unwrap().ino();
        let (before, sub) = (folder(&out), folder(&out.join("a")));
        write_site(&out, &files).unwrap();
        assert_eq!(
            folder(&out),
            before,
            "the same folder, not a new one swapped in"
        );
        assert_eq!(folder(&out.join("a")), sub);
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary folder left"
        );
        // One file fewer is a change: the site is replaced and the file gone.
        write_site(&out, &files[..1]).unwrap();
        assert_ne!(folder(&out), before);
        assert!(!out.join("a/b.html").exists());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "home");
    }

    #[test]
    fn a_failed_write_leaves_the_previous_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[OutputFile::bytes("index.html", "good")]).unwrap();
        let missing = OutputFile {
            path: "copy.png".into(),
            contents: Contents::Copy(dir.path().join("no-such-file.png")),
        };
        assert!(write_site(&out, &[OutputFile::bytes("index.html", "new"), missing]).is_err());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "good");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary folder left"
        );
    }

    #[test]
    fn leftovers_of_killed_builds_are_cleared_and_other_folders_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[OutputFile::bytes("index.html", "current")]).unwrap();
        // Killed before writing the marker: an empty staging folder.
        fs::create_dir(dir.path().join(".public.labsite-new-41")).unwrap();
        // Killed while removing the previous site: the marker is what remains.
        let half = dir.path().join(".public.labsite-old-42");
        fs::create_dir_all(half.join("a")).unwrap();
        fs::write(half.join(MARKER), MARKER_TEXT).unwrap();
        // Not ours: a folder without our marker that holds files.
        let foreign = dir.path().join(".public.labsite-old-43");
        fs::create_dir_all(&foreign).unwrap();
        fs::write(foreign.join("notes.txt"), "keep").unwrap();
        recover_interrupted(dir.path(), "public", &out);
        let mut left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, vec![".public.labsite-old-43", "public"]);
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "current"
        );
    }

    #[test]
    fn a_half_written_site_of_a_killed_build_is_removed_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[OutputFile::bytes("index.html", "old")]).unwrap();
        let staging = Staging::begin(&out).unwrap();
        staging.put(&OutputFile::bytes("a/b.html", "half")).unwrap();
        // As another process killed mid-write would leave it: no Drop, another id.
        let leftover = dir.path().join(".public.labsite-new-999999");
        fs::rename(&staging.dir, &leftover).unwrap();
        std::mem::forget(staging);
        write_site(&out, &[OutputFile::bytes("index.html", "new")]).unwrap();
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from("public")]);
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
    }

    #[test]
    fn the_marker_goes_last() {
        let dir = tempfile::tempdir().unwrap();
        let ours = dir.path().join("ours");
        fs::create_dir_all(ours.join("a/b")).unwrap();
        fs::write(ours.join("a/b/c.html"), "x").unwrap();
        fs::write(ours.join(MARKER), MARKER_TEXT).unwrap();
        remove_owned(&ours).unwrap();
        assert!(!ours.exists());
    }

    #[test]
    fn a_site_moved_aside_by_a_killed_build_comes_back() {
        let dir = tempfile::tempdir().unwrap();
        let aside = dir.path().join(".public.labsite-old-999");
        fs::create_dir_all(&aside).unwrap();
        fs::write(aside.join(MARKER), MARKER_TEXT).unwrap();
        fs::write(aside.join("index.html"), "previous").unwrap();
        let out = dir.path().join("public");
        recover_interrupted(dir.path(), "public", &out);
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "previous"
        );
    }
}
