//! `labsite new`: a new workshop from the template in `src/scaffold/template/`,
//! embedded in the binary. Its first chapter has checks a learner can pass on a laptop.

use std::fs;
use std::path::Path;

use include_dir::{include_dir, Dir, DirEntry};

use crate::diag::Diagnostic;

static TEMPLATE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/scaffold/template");

/// Creates a workshop in `dir`, which must not exist or be empty; returns the number of files written.
pub fn create(dir: &Path) -> Result<usize, Diagnostic> {
    if dir.exists() {
        let empty = fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !dir.is_dir() || !empty {
            return Err(
                Diagnostic::error(dir, "already exists and is not an empty folder")
                    .with_hint("choose a new folder name; labsite new never overwrites files"),
            );
        }
    }
    let mut count = 0;
    write_dir(&TEMPLATE, dir, &mut count)?;
    Ok(count)
}

fn write_dir(src: &Dir, dest_root: &Path, count: &mut usize) -> Result<(), Diagnostic> {
    for entry in src.entries() {
        match entry {
            DirEntry::Dir(d) => write_dir(d, dest_root, count)?,
            DirEntry::File(f) => {
                let dest = dest_root.join(f.path());
                let io = |e: std::io::Error| {
                    Diagnostic::error(&dest, format!("cannot write: {e}"))
                        .with_hint("check the folder's permissions")
                };
                if let Some(parent) = dest.parent() {
                    fs::create_dir_all(parent).map_err(io)?;
                }
                fs::write(&dest, f.contents()).map_err(io)?;
                if f.path().starts_with("validators") {
                    make_executable(&dest).map_err(io)?;
                }
                *count += 1;
            }
        }
    }
    Ok(())
}

#[cfg(unix)]
fn make_executable(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755))
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_a_workshop_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("my-lab");
        let n = create(&target).unwrap();
        assert!(n >= 5);
        assert!(target.join("workshop.yaml").is_file());
        assert!(target.join("content/chapter-1/README.md").is_file());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(target.join("validators/file-contains.sh"))
                .unwrap()
                .permissions()
                .mode();
            assert!(mode & 0o111 != 0, "validators are executable");
        }
        fs::write(target.join("content/README.md"), "mine").unwrap();
        assert!(create(&target).is_err());
        assert_eq!(
            fs::read_to_string(target.join("content/README.md")).unwrap(),
            "mine"
        );
    }
}
