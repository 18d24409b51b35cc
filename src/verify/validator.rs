//! Finding a validator by name in the workshop's `validators/` folder.
//!
//! `validator: vm-backup` names `validators/vm-backup.yaml` (declarative) or an
//! executable `validators/vm-backup`, `vm-backup.sh`, `vm-backup.py`, … (a
//! script, any language). Two candidates for one name, a missing file or a
//! script without its run bit are errors that say what to do.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::declarative::Spec;
use crate::diag::{display_path, Diagnostic};

/// The folder, relative to the workshop root, that holds validators.
pub const VALIDATORS_DIR: &str = "validators";

/// A validator found on disk.
#[derive(Debug, Clone)]
pub struct Validator {
    pub name: String,
    /// Absolute path of the file.
    pub path: PathBuf,
    /// Path relative to the workshop root, as shown to users.
    pub shown: PathBuf,
    pub kind: Kind,
}

#[derive(Debug, Clone)]
pub enum Kind {
    /// An executable file, run with the check's arguments in its environment.
    Script,
    /// A `validators/<name>.yaml` file of probes.
    Declarative(Arc<Spec>),
}

/// Why a name does not give a validator.
#[derive(Debug, Clone)]
pub enum LookupError {
    /// No file of that name; the names that exist.
    NotFound { available: Vec<String> },
    /// Several files could be meant.
    Ambiguous(Vec<PathBuf>),
    /// A script without its run bit.
    NotExecutable(PathBuf),
    /// The declarative file itself is wrong: a diagnostic in that file.
    Invalid(Diagnostic),
}

impl LookupError {
    /// The diagnostic for a `verify` block at `file:line` naming `name`.
    /// [`LookupError::Invalid`] is reported in the validator's own file instead.
    pub fn diagnostic(&self, name: &str, file: &Path, line: usize) -> Diagnostic {
        let at = |message: String, hint: String| {
            Diagnostic::error(file, message)
                .at_line(line)
                .with_hint(hint)
                .with_target(name)
        };
        match self {
            LookupError::NotFound { available } => {
                let known = if available.is_empty() {
                    format!("{VALIDATORS_DIR}/ has no validators yet")
                } else {
                    format!("validators: {}", available.join(", "))
                };
                at(
                    format!("unknown validator `{name}` ({known})"),
                    format!(
                        "create an executable {VALIDATORS_DIR}/{name}.sh (or .py, …) or a declarative {VALIDATORS_DIR}/{name}.yaml, or correct the name"
                    ),
                )
            }
            LookupError::Ambiguous(paths) => at(
                format!(
                    "validator `{name}` could be any of {}",
                    paths
                        .iter()
                        .map(|p| display_path(p))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "keep one file per validator name: rename or remove the others".into(),
            ),
            LookupError::NotExecutable(path) => {
                let shown = display_path(path);
                at(
                    format!("validator {shown} is not executable"),
                    format!("run `chmod +x {shown}` (and commit the mode: `git update-index --chmod=+x {shown}`)"),
                )
            }
            LookupError::Invalid(d) => d.clone(),
        }
    }
}

/// Finds the validator `name` under `root`/validators.
pub fn find(root: &Path, name: &str) -> Result<Validator, LookupError> {
    let dir = root.join(VALIDATORS_DIR);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && !hidden(p))
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    let candidates: Vec<&PathBuf> = files.iter().filter(|p| names(p, name)).collect();
    let shown = |p: &Path| Path::new(VALIDATORS_DIR).join(p.file_name().unwrap_or_default());
    match candidates.as_slice() {
        [] => Err(LookupError::NotFound {
            available: available(&files),
        }),
        [one] => {
            let path = (*one).clone();
            let shown = shown(&path);
            let kind = if is_yaml(&path) {
                Kind::Declarative(Arc::new(
                    Spec::load(&path, &shown).map_err(LookupError::Invalid)?,
                ))
            } else if executable(&path) {
                Kind::Script
            } else {
                return Err(LookupError::NotExecutable(shown));
            };
            Ok(Validator {
                name: name.to_string(),
                path,
                shown,
                kind,
            })
        }
        many => Err(LookupError::Ambiguous(
            many.iter().map(|p| shown(p)).collect(),
        )),
    }
}

/// Whether `path` is a file for the validator `name`: `name` itself or `name.<ext>`.
fn names(path: &Path, name: &str) -> bool {
    let file = path.file_name().and_then(|f| f.to_str()).unwrap_or("");
    file == name || path.file_stem().and_then(|s| s.to_str()) == Some(name)
}

fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

fn hidden(path: &Path) -> bool {
    let name = path.file_name().and_then(|f| f.to_str()).unwrap_or("");
    name.starts_with('.') || name.ends_with('~')
}

/// Names of the validators in the folder: YAML files and executables.
fn available(files: &[PathBuf]) -> Vec<String> {
    let mut names: Vec<String> = files
        .iter()
        .filter(|p| is_yaml(p) || executable(p))
        .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(String::from))
        .collect();
    names.dedup();
    names
}

#[cfg(unix)]
fn executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn executable(_path: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn workshop(files: &[(&str, &str, u32)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join(VALIDATORS_DIR)).unwrap();
        for (name, text, mode) in files {
            let path = dir.path().join(VALIDATORS_DIR).join(name);
            fs::write(&path, text).unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                fs::set_permissions(&path, fs::Permissions::from_mode(*mode)).unwrap();
            }
            #[cfg(not(unix))]
            let _ = mode;
        }
        dir
    }

    #[test]
    fn finds_scripts_with_any_extension_or_none() {
        let ws = workshop(&[
            ("a.sh", "#!/bin/sh\n", 0o755),
            ("b", "#!/bin/sh\n", 0o755),
            ("c.py", "#!/usr/bin/env python3\n", 0o755),
        ]);
        for name in ["a", "b", "c", "a.sh"] {
            let v = find(ws.path(), name).unwrap();
            assert!(matches!(v.kind, Kind::Script), "{name}");
        }
    }

    #[test]
    fn finds_declarative_validators() {
        let ws = workshop(&[(
            "port.yaml",
            "probes:\n  - tcp: \"{{ host }}:{{ port }}\"\n",
            0o644,
        )]);
        let v = find(ws.path(), "port").unwrap();
        assert!(matches!(v.kind, Kind::Declarative(_)));
        assert_eq!(v.shown, Path::new("validators/port.yaml"));
    }

    #[test]
    fn unknown_names_list_what_exists() {
        let ws = workshop(&[("a.sh", "", 0o755), ("notes.txt", "", 0o644)]);
        let e = find(ws.path(), "vm-backup").unwrap_err();
        let d = e.diagnostic("vm-backup", Path::new("content/x.md"), 7);
        assert_eq!(d.location(), "content/x.md:7");
        assert!(
            d.message
                .contains("unknown validator `vm-backup` (validators: a)"),
            "{}",
            d.message
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_script_without_run_bit_says_chmod() {
        let ws = workshop(&[("a.sh", "#!/bin/sh\n", 0o644)]);
        let d = find(ws.path(), "a")
            .unwrap_err()
            .diagnostic("a", Path::new("x.md"), 1);
        assert!(
            d.message.contains("validators/a.sh is not executable"),
            "{}",
            d.message
        );
        assert!(d.hint.unwrap().contains("chmod +x validators/a.sh"));
    }

    #[test]
    fn two_files_for_one_name_are_ambiguous() {
        let ws = workshop(&[("a.sh", "", 0o755), ("a.py", "", 0o755)]);
        let d = find(ws.path(), "a")
            .unwrap_err()
            .diagnostic("a", Path::new("x.md"), 1);
        assert!(
            d.message.contains("validators/a.py, validators/a.sh"),
            "{}",
            d.message
        );
    }
}
