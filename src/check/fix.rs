//! `labsite check --fix`: repairs what is safe to repair: mojibake, and links
//! copied from a documentation site whose article the check found (the finding's
//! [`Fix`]; verified by an online check, or any with `--fix-unverified`).
//!
//! Only what `check` reported is rewritten, each at its line and column, after
//! making sure the text is really there; every other byte of the file (line
//! endings, a BOM, other text) stays as it was.
//! The new file is written beside the old one and renamed over it, so that a
//! crash never leaves a half-written chapter.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::rules::mojibake;
use crate::diag::{display_path, Diagnostic, Rule};

/// Damaged text repaired in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    /// Relative to the workshop root.
    pub file: PathBuf,
    pub runs: usize,
}

/// One place to repair: 1-based line, 1-based column in characters, the damaged text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spot {
    pub line: usize,
    pub column: usize,
    pub damaged: String,
}

impl Spot {
    /// The edit that repairs the spot.
    fn edit(&self) -> Edit {
        Edit {
            line: self.line,
            column: self.column,
            from: self.damaged.clone(),
            to: mojibake::repaired(&self.damaged),
        }
    }
}

/// Repairs the `mojibake` findings among `findings` in the files under `root`.
/// Returns the files changed, and a warning for each file that could not be.
pub fn fix_mojibake(root: &Path, findings: &[Diagnostic]) -> (Vec<Fixed>, Vec<Diagnostic>) {
    let edits = findings.iter().filter_map(|f| {
        if f.rule != Some(Rule::Mojibake) {
            return None;
        }
        let spot = Spot {
            line: f.line?,
            column: f.column?,
            damaged: f.target.clone()?,
        };
        Some((f.file.as_path(), spot.edit()))
    });
    let (done, problems) = rewrite_files(
        root,
        edits,
        Rule::Mojibake,
        "not repaired",
        "repair the damaged text by hand",
    );
    let fixed = done
        .into_iter()
        .map(|(file, edits)| Fixed {
            file,
            runs: edits.len(),
        })
        .collect();
    (fixed, problems)
}

/// A link rewritten by [`fix_links`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedLink {
    /// Relative to the workshop root.
    pub file: PathBuf,
    pub line: usize,
    pub from: String,
    pub to: String,
}

/// Applies the fixes of `findings` that are verified (or all, with
/// `unverified`) to the files under `root`. Returns each link changed, and a
/// warning for each file that could not be.
pub fn fix_links(
    root: &Path,
    findings: &[Diagnostic],
    unverified: bool,
) -> (Vec<FixedLink>, Vec<Diagnostic>) {
    let edits = findings.iter().filter_map(|f| {
        let fix = f.fix.as_ref().filter(|x| x.verified || unverified)?;
        Some((
            f.file.as_path(),
            Edit {
                line: fix.line,
                column: fix.column,
                from: fix.from.clone(),
                to: fix.to.clone(),
            },
        ))
    });
    let (done, problems) = rewrite_files(
        root,
        edits,
        Rule::BrokenLink,
        "links not rewritten",
        "rewrite the links by hand",
    );
    let fixed = done
        .into_iter()
        .flat_map(|(file, edits)| {
            edits.into_iter().map(move |e| FixedLink {
                file: file.clone(),
                line: e.line,
                from: e.from,
                to: e.to,
            })
        })
        .collect();
    (fixed, problems)
}

/// Makes `edits` (file relative to `root`, edit) file by file, each file
/// atomically. Returns the edits made per file changed, and a warning (`failed`,
/// `hint`) for each file that could not be.
fn rewrite_files<'f>(
    root: &Path,
    edits: impl Iterator<Item = (&'f Path, Edit)>,
    rule: Rule,
    failed: &str,
    hint: &str,
) -> (Vec<(PathBuf, Vec<Edit>)>, Vec<Diagnostic>) {
    let mut by_file: BTreeMap<&Path, Vec<Edit>> = BTreeMap::new();
    for (file, edit) in edits {
        by_file.entry(file).or_default().push(edit);
    }
    let mut done = Vec::new();
    let mut problems = Vec::new();
    for (file, edits) in by_file {
        match rewrite_file(&root.join(file), &edits) {
            Ok(made) if made.is_empty() => {}
            Ok(made) => done.push((file.to_path_buf(), made)),
            Err(message) => problems.push(
                Diagnostic::warning(file, format!("{failed}: {message}"))
                    .with_rule(rule)
                    .with_hint(hint),
            ),
        }
    }
    (done, problems)
}

/// One replacement in a file: `from` at 1-based `line` and `column` (characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub line: usize,
    pub column: usize,
    pub from: String,
    pub to: String,
}

/// Repairs the spots in one file, atomically; returns how many were repaired.
pub fn fix_file(path: &Path, spots: &[Spot]) -> Result<usize, String> {
    let edits: Vec<Edit> = spots.iter().map(Spot::edit).collect();
    rewrite_file(path, &edits).map(|done| done.len())
}

/// Applies `edits` to one file, atomically; returns the edits made.
fn rewrite_file(path: &Path, edits: &[Edit]) -> Result<Vec<Edit>, String> {
    let bytes = fs::read(path).map_err(|e| format!("cannot read {}: {e}", display_path(path)))?;
    let (bom, rest) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => (&bytes[..3], rest),
        None => (&bytes[..0], &bytes[..]),
    };
    let text = std::str::from_utf8(rest)
        .map_err(|_| "the file is not UTF-8; save it as UTF-8 first".to_string())?;
    let (rewritten, done) = apply(text, edits);
    if done.is_empty() {
        return Ok(done);
    }
    let mut out = bom.to_vec();
    out.extend_from_slice(rewritten.as_bytes());
    write_atomically(path, &out)
        .map_err(|e| format!("cannot write {}: {e}", display_path(path)))?;
    Ok(done)
}

/// The text with each spot repaired where its damaged text really is.
pub fn fix_text(text: &str, spots: &[Spot]) -> (String, usize) {
    let edits: Vec<Edit> = spots.iter().map(Spot::edit).collect();
    let (out, done) = apply(text, &edits);
    (out, done.len())
}

/// The text with each edit made where its `from` text really is (an edit whose
/// text is not there, that changes nothing, or that overlaps another is skipped);
/// returns the edits made, in file order.
pub fn apply(text: &str, edits: &[Edit]) -> (String, Vec<Edit>) {
    let starts = line_starts(text);
    let mut placed: Vec<(usize, &Edit)> = Vec::new();
    for edit in edits {
        let Some(&start) = starts.get(edit.line.wrapping_sub(1)) else {
            continue;
        };
        let line_end = starts.get(edit.line).copied().unwrap_or(text.len());
        let line = &text[start..line_end];
        let Some((offset, _)) = line.char_indices().nth(edit.column.saturating_sub(1)) else {
            continue;
        };
        if edit.from.is_empty() || !line[offset..].starts_with(&edit.from) || edit.to == edit.from {
            continue;
        }
        placed.push((start + offset, edit));
    }
    placed.sort_by_key(|p| std::cmp::Reverse(p.0));
    placed.dedup_by_key(|p| p.0);
    let mut out = text.to_string();
    let mut done = Vec::new();
    let mut limit = text.len();
    for (at, edit) in placed {
        if at + edit.from.len() > limit {
            continue; // overlaps an edit after it
        }
        out.replace_range(at..at + edit.from.len(), &edit.to);
        limit = at;
        done.push(edit.clone());
    }
    done.reverse();
    (out, done)
}

/// Byte offsets where lines start, with `\r\n`, `\n` and a lone `\r` each ending
/// a line, as when the workshop was loaded.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => starts.push(i + 1),
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                starts.push(i + 2);
                i += 1;
            }
            b'\r' => starts.push(i + 1),
            _ => {}
        }
        i += 1;
    }
    starts
}

/// Writes a file beside `path` and renames it over `path`, keeping its permissions.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.labsite-fix.{}", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        if let Ok(meta) = fs::metadata(path) {
            fs::set_permissions(&tmp, meta.permissions())?;
        }
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spot(line: usize, column: usize, damaged: &str) -> Spot {
        Spot {
            line,
            column,
            damaged: damaged.to_string(),
        }
    }

    #[test]
    fn repairs_only_the_damaged_runs_and_keeps_line_endings() {
        let text = "# Title\r\nðŸ’¡ **Learning** âœ… ok\r\nkeep ðŸ’¡ here\rÃ© end\n";
        let spots = [spot(2, 1, "ðŸ’¡"), spot(2, 19, "âœ…"), spot(4, 1, "Ã©")];
        let (out, n) = fix_text(text, &spots);
        assert_eq!(n, 3);
        assert_eq!(
            out,
            "# Title\r\n💡 **Learning** ✅ ok\r\nkeep ðŸ’¡ here\ré end\n"
        );
    }

    #[test]
    fn links_are_rewritten_where_their_destination_is_and_nowhere_else() {
        let text = "See [MARS](backup-mars.md) and backup-mars.md in text.\n[A](a.md) [B](b.md)\n";
        let edits = [
            Edit {
                line: 1,
                column: 12,
                from: "backup-mars.md".into(),
                to: "https://learn.microsoft.com/azure/backup/backup-mars".into(),
            },
            Edit {
                line: 2,
                column: 15,
                from: "b.md".into(),
                to: "https://example.org/b".into(),
            },
            // Not where the check said: skipped.
            Edit {
                line: 2,
                column: 2,
                from: "a.md".into(),
                to: "https://example.org/a".into(),
            },
        ];
        let (out, done) = apply(text, &edits);
        assert_eq!(
            out,
            "See [MARS](https://learn.microsoft.com/azure/backup/backup-mars) and backup-mars.md in text.\n[A](a.md) [B](https://example.org/b)\n"
        );
        assert_eq!(done.len(), 2);
        assert_eq!(done[0].line, 1, "in file order");
    }

    #[test]
    fn a_spot_that_does_not_match_is_left_alone() {
        let text = "plain text\n";
        let (out, n) = fix_text(text, &[spot(1, 3, "Ã©"), spot(9, 1, "Ã©")]);
        assert_eq!((out.as_str(), n), (text, 0));
    }

    #[test]
    fn files_are_rewritten_atomically_with_their_bom() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("README.md");
        fs::write(&path, b"\xEF\xBB\xBFdon\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2t\n").unwrap();
        assert_eq!(fix_file(&path, &[spot(1, 4, "â€™")]).unwrap(), 1);
        assert_eq!(fs::read(&path).unwrap(), "\u{FEFF}don’t\n".as_bytes());
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            names,
            vec![std::ffi::OsString::from("README.md")],
            "no temporary file is left"
        );
    }

    #[test]
    fn a_file_that_is_not_utf8_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        fs::write(&path, b"caf\xE9\n").unwrap();
        assert!(fix_file(&path, &[spot(1, 4, "é")])
            .unwrap_err()
            .contains("not UTF-8"));
    }
}
