//! No data loss: `labsite build` and `labsite check --fix` killed (SIGKILL) at
//! points spread over their run leave every file whole.
//!
//! - A build killed while replacing a previous site leaves that site intact or
//!   the new one complete, never a mix, and the next build clears whatever the
//!   killed one left beside the output folder.
//! - `check --fix` killed while repairing files leaves each file either as it
//!   was or repaired, never half-written.

#![cfg(unix)]

mod common;
mod robustness;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::thread;
use std::time::{Duration, Instant};

use common::{copy_dir, labsite};
use robustness::{tree, Entry, Tree, LIMIT};

/// Writes a workshop of `chapters` chapter pages with text saying `version`, and a
/// file to copy beside each, so that two versions differ in every page.
fn generate(root: &Path, version: &str, chapters: std::ops::Range<usize>) {
    let content = root.join("content");
    fs::create_dir_all(&content).unwrap();
    let index: String = chapters
        .clone()
        .map(|n| format!("- [Chapter {n}](chapter-{n}/README.md)\n"))
        .collect();
    fs::write(
        content.join("README.md"),
        format!("# Workshop, {version}\n\n{index}"),
    )
    .unwrap();
    for n in chapters {
        let dir = content.join(format!("chapter-{n}"));
        fs::create_dir_all(&dir).unwrap();
        let mut page = format!("# Chapter {n} ({version})\n\n");
        for p in 0..10 {
            page.push_str(&format!(
                "Paragraph {p} of chapter {n}, {version}: some *text* and [a link](../README.md).\n\n"
            ));
        }
        page.push_str("## Task 1\n\n- [ ] a step\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        fs::write(dir.join("README.md"), page).unwrap();
        fs::write(dir.join("notes.txt"), format!("notes, {version}, {n}\n")).unwrap();
    }
}

/// `labsite build ROOT -o OUT` to the end, within the time limit.
fn build(tmp: &Path, root: &Path, out: &Path) -> Duration {
    let mut cmd = labsite();
    cmd.args(["build", root.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    isolate(&mut cmd, tmp);
    let ran = robustness::run_bounded(cmd, &["build", "-o", "…"], LIMIT);
    ran.expect(0);
    ran.elapsed
}

/// Keeps labsite's caches inside the test's folder.
fn isolate(cmd: &mut std::process::Command, tmp: &Path) {
    cmd.env("LABSITE_CACHE_DIR", tmp.join("cache"))
        .env("XDG_CACHE_HOME", tmp.join("cache"))
        .env_remove("GITHUB_STEP_SUMMARY")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
}

/// Starts `labsite ARGS`, sends SIGKILL `delay` after `from` says the moment has
/// come (unless it ended before), and says whether it was killed.
fn kill_after(tmp: &Path, args: &[&str], from: impl Fn() -> bool, delay: Duration) -> bool {
    let mut cmd = labsite();
    cmd.args(args);
    isolate(&mut cmd, tmp);
    let mut child = cmd.spawn().expect("labsite starts");
    let started = Instant::now();
    while !from() {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        assert!(
            started.elapsed() < LIMIT,
            "labsite {args:?} never got there"
        );
        thread::sleep(Duration::from_millis(1));
    }
    let deadline = Instant::now() + delay;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        thread::sleep(Duration::from_millis(1));
    }
    let killed = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let status = robustness::wait_bounded(&mut child, LIMIT).expect("a killed labsite ends");
    killed && status.code().is_none()
}

/// Kill points spread over a run of about `full`: from the start to past its end,
/// shifted by a seed that changes from run to run (printed, to replay a failure).
fn delays(full: Duration, count: u32) -> Vec<Duration> {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    eprintln!("kill points seeded with {seed} over a run of {full:?}");
    (0..count)
        .map(|k| {
            let jitter = f64::from((seed / (k + 1)) % 1000) / 1000.0;
            full.mul_f64((f64::from(k) + jitter) / f64::from(count) * 1.1)
        })
        .collect()
}

/// A short description of how two snapshots differ, for failure messages.
fn difference(a: &Tree, b: &Tree) -> String {
    let only_a = a.keys().filter(|k| !b.contains_key(*k)).count();
    let only_b = b.keys().filter(|k| !a.contains_key(*k)).count();
    let changed = a
        .iter()
        .filter(|(k, v)| b.get(*k).is_some_and(|w| w != *v))
        .map(|(k, _)| k.display().to_string())
        .take(5)
        .collect::<Vec<_>>();
    format!("{only_a} entries only before, {only_b} only after, changed: {changed:?}")
}

fn entries_beside(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_killed_build_leaves_the_previous_site_or_the_new_one_never_a_mix() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path();
    let (v1, v2) = (tmp.join("v1"), tmp.join("v2"));
    // The new version changes every page, drops some chapters and adds others.
    generate(&v1, "version one", 0..1_500);
    generate(&v2, "version two", 100..1_600);
    let site = tmp.join("site");

    // What each version's complete site is.
    let full = build(tmp, &v2, &tmp.join("reference"));
    let new_site = tree(&tmp.join("reference"), &[]);
    fs::remove_dir_all(tmp.join("reference")).unwrap();
    build(tmp, &v1, &site);
    let old_site = tree(&site, &[]);
    assert!(old_site != new_site, "the two versions differ");
    let expected_beside = entries_beside(tmp);

    // Kill points over the whole run, and over the writing of the new site, which
    // begins when its temporary folder appears beside the output.
    let writing = || {
        fs::read_dir(tmp).unwrap().any(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".site.labsite-new-")
        })
    };
    let from_start = delays(full, 6).into_iter().map(|d| (false, d));
    let while_writing = delays(full / 3, 6).into_iter().map(|d| (true, d));
    let (mut kept, mut replaced, mut finished) = (0, 0, 0);
    for (from_writing, delay) in from_start.chain(while_writing) {
        let args = ["build", v2.to_str().unwrap(), "-o", site.to_str().unwrap()];
        let killed = if from_writing {
            kill_after(tmp, &args, writing, delay)
        } else {
            kill_after(tmp, &args, || true, delay)
        };
        let now = tree(&site, &[]);
        if now == old_site {
            kept += 1;
        } else if now == new_site {
            replaced += 1;
        } else if !site.exists() {
            // Killed between the two renames of the swap: the previous site waits
            // beside, whole, and the next build puts it back.
            let aside = fs::read_dir(tmp)
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| p.to_string_lossy().contains(".site.labsite-old-"))
                .expect("the previous site was moved aside");
            let aside = tree(&aside, &[]);
            assert!(
                aside == old_site,
                "the site moved aside is not whole: {}",
                difference(&old_site, &aside)
            );
            kept += 1;
        } else {
            panic!(
                "killed after {delay:?}: the output is neither the previous site ({}) nor the new one ({})",
                difference(&old_site, &now),
                difference(&new_site, &now)
            );
        }
        finished += usize::from(!killed);

        // The next build starts from what the killed one left and clears it.
        build(tmp, &v1, &site);
        let rebuilt = tree(&site, &[]);
        assert!(
            rebuilt == old_site,
            "a build after one killed at {delay:?}: {}",
            difference(&old_site, &rebuilt)
        );
        assert_eq!(
            entries_beside(tmp),
            expected_beside,
            "after a build killed at {delay:?}, the next build leaves nothing beside the output"
        );
    }
    eprintln!("kills: previous site kept {kept}, new site in place {replaced}, runs that ended first {finished}");
}

/// A chapter with text damaged by a wrong encoding round trip, in every line
/// ending and with or without a BOM, so that `check --fix` rewrites it.
fn damaged_chapter(n: usize) -> Vec<u8> {
    let newline = ["\n", "\r\n", "\r"][n % 3];
    let mut text = format!("# Chapter {n}{newline}{newline}");
    for line in 0..40 {
        text.push_str(&format!(
            "Line {line}: donâ€™t panic, cafÃ© ðŸ’¡ tip {n}.{newline}"
        ));
    }
    let mut bytes = if n % 2 == 0 {
        b"\xEF\xBB\xBF".to_vec()
    } else {
        Vec::new()
    };
    bytes.extend_from_slice(text.as_bytes());
    bytes
}

/// Whether a path is a temporary file `check --fix` writes beside a chapter
/// (`.README.md.labsite-fix.<pid>`), which a kill may leave behind.
fn is_fix_temporary(path: &Path) -> bool {
    let name = path.file_name().unwrap().to_string_lossy();
    name.starts_with('.')
        && name
            .rsplit_once(".labsite-fix.")
            .is_some_and(|(_, pid)| pid.parse::<u32>().is_ok())
}

#[test]
fn a_killed_check_fix_leaves_each_file_old_or_new() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path();
    let original = tmp.join("original");
    for n in 0..400 {
        let path = original.join(format!("content/chapter-{n}/README.md"));
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, damaged_chapter(n)).unwrap();
    }
    fs::write(original.join("content/README.md"), "# Home\n").unwrap();

    // What the repaired workshop is, from a run to the end on a copy.
    let reference = tmp.join("reference");
    copy_dir(&original, &reference);
    let mut cmd = labsite();
    cmd.args(["check", reference.to_str().unwrap(), "--offline", "--fix"]);
    isolate(&mut cmd, tmp);
    let ran = robustness::run_bounded(cmd, &["check", "--fix"], LIMIT);
    ran.no_panic();
    let full = ran.elapsed;
    let old = tree(&original, &[]);
    let new = tree(&reference, &[]);
    let chapter = PathBuf::from("content/chapter-7/README.md");
    assert!(
        old.get(&chapter) != new.get(&chapter),
        "--fix repairs the chapters"
    );
    assert_eq!(
        String::from_utf8_lossy(match &new[&chapter] {
            Entry::File(Some(b)) => b,
            other => panic!("{other:?}"),
        })
        .matches("don’t panic, café 💡")
        .count(),
        40
    );

    let mut partial = 0;
    for (i, delay) in delays(full, 6).into_iter().enumerate() {
        let work = tmp.join(format!("run-{i}"));
        copy_dir(&original, &work);
        kill_after(
            tmp,
            &["check", work.to_str().unwrap(), "--offline", "--fix"],
            || true,
            delay,
        );
        let now = tree(&work, &[]);
        // Among the files the repair changes: how many are still as they were.
        let (mut as_before, mut repaired) = (0, 0);
        for (path, entry) in &now {
            if is_fix_temporary(path) {
                continue;
            }
            if old.get(path) == Some(entry) {
                as_before += usize::from(new.get(path) != Some(entry));
            } else if new.get(path) == Some(entry) {
                repaired += 1;
            } else {
                panic!(
                    "killed after {delay:?}: {} is neither as it was nor repaired",
                    path.display()
                );
            }
        }
        let present = now.keys().filter(|p| !is_fix_temporary(p)).count();
        assert_eq!(present, old.len(), "no file is lost");
        partial += usize::from(as_before > 0 && repaired > 0);
        fs::remove_dir_all(&work).unwrap();
    }
    eprintln!("check --fix killed: {partial} runs stopped between the first and the last file");
}
