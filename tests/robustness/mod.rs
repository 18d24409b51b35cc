//! Helpers of the robustness tests (tests/hostile.rs, tests/data_loss.rs):
//! workshops generated into temporary folders, running `labsite` under a time
//! limit the test enforces, and snapshots of folders that prove nothing outside
//! the output folder changed.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::common::labsite;

/// How long one command may run on a hostile workshop before the test kills it and fails.
pub const LIMIT: Duration = Duration::from_secs(60);
/// The most memory a run may take (resident, in MiB).
pub const MEMORY_LIMIT_MB: u64 = 2048;

/// A generated workshop in a temporary folder: `<tmp>/ws`, with `<tmp>/cache` for
/// labsite's caches, so that everything a run writes stays inside `<tmp>`.
pub struct Workshop {
    pub dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl Workshop {
    pub fn new() -> Workshop {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ws");
        fs::create_dir_all(&root).unwrap();
        fs::create_dir_all(dir.path().join("cache")).unwrap();
        Workshop { dir, root }
    }

    /// Writes a file (creating its folders), relative to the workshop root.
    pub fn write(&self, rel: impl AsRef<Path>, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
        path
    }

    pub fn path(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.root.join(rel)
    }

    pub fn root_arg(&self) -> &str {
        self.root.to_str().unwrap()
    }

    /// Runs `labsite <command> <root> <extra…>` under [`LIMIT`].
    pub fn run(&self, command: &str, extra: &[&str]) -> Ran {
        let mut args = vec![command, self.root_arg()];
        args.extend_from_slice(extra);
        self.run_args(&args)
    }

    /// Runs `labsite <args…>` under [`LIMIT`], with labsite's caches in this folder.
    pub fn run_args(&self, args: &[&str]) -> Ran {
        let mut cmd = labsite();
        cmd.args(args);
        self.isolate(&mut cmd);
        run_bounded(cmd, args, LIMIT)
    }

    /// Points the caches labsite may keep into `<tmp>/cache`.
    pub fn isolate(&self, cmd: &mut std::process::Command) {
        let cache = self.dir.path().join("cache");
        cmd.env("LABSITE_CACHE_DIR", &cache)
            .env("XDG_CACHE_HOME", &cache)
            .env_remove("GITHUB_STEP_SUMMARY");
    }

    /// Every entry of the workshop except the output folder `public/`.
    pub fn snapshot(&self) -> Tree {
        tree(&self.root, &["public"])
    }

    /// Asserts the workshop is as `before` (the output folder aside) and that
    /// nothing was written beside it.
    pub fn assert_untouched(&self, before: &Tree) {
        assert_same(before, &self.snapshot(), "the workshop (outside public/)");
        let mut beside: Vec<String> = fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        beside.sort();
        assert_eq!(
            beside,
            vec!["cache", "ws"],
            "nothing is written beside the workshop"
        );
    }
}

/// What one run of `labsite` did.
#[derive(Debug)]
pub struct Ran {
    pub args: String,
    /// `None` when a signal ended it.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Ran {
    /// Asserts the run ended by itself with exit code `want`, never panicked, and
    /// stayed within [`MEMORY_LIMIT_MB`].
    pub fn expect(&self, want: i32) -> &Ran {
        self.no_panic();
        if let Some(mb) = peak_memory_mb() {
            assert!(
                mb <= MEMORY_LIMIT_MB,
                "labsite {} (or a run before it) took {mb} MiB",
                self.args
            );
        }
        assert_eq!(
            self.code,
            Some(want),
            "labsite {} exited with {:?}, not {want}\nstderr:\n{}",
            self.args,
            self.code,
            tail(&self.stderr)
        );
        self
    }

    /// Asserts stderr never mentions a panic.
    pub fn no_panic(&self) -> &Ran {
        assert!(
            !self.stderr.contains("panicked") && !self.stdout.contains("panicked"),
            "labsite {} panicked:\n{}",
            self.args,
            tail(&self.stderr)
        );
        self
    }

    /// Asserts stderr (or stdout, for `check`'s report) says `text`.
    pub fn says(&self, text: &str) -> &Ran {
        assert!(
            self.stderr.contains(text) || self.stdout.contains(text),
            "labsite {} does not say {text:?}\nstderr:\n{}\nstdout:\n{}",
            self.args,
            tail(&self.stderr),
            tail(&self.stdout)
        );
        self
    }
}

/// The largest resident memory of any child process this test binary has waited
/// for, in MiB (an upper bound of the last run's).
pub fn peak_memory_mb() -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: getrusage only writes the struct it is given.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let ok = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) } == 0;
        // Linux counts ru_maxrss in KiB.
        ok.then(|| u64::try_from(usage.ru_maxrss).unwrap_or(0) / 1024)
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

/// The end of a long output, for failure messages.
pub fn tail(s: &str) -> &str {
    let mut start = s.len().saturating_sub(4000);
    while !s.is_char_boundary(start) {
        start += 1;
    }
    &s[start..]
}

/// Runs a prepared command with piped output; kills it and fails the test after `limit`.
pub fn run_bounded(mut cmd: std::process::Command, args: &[&str], limit: Duration) -> Ran {
    let shown = args.join(" ");
    let started = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("labsite starts");
    let stdout = reader(child.stdout.take().unwrap());
    let stderr = reader(child.stderr.take().unwrap());
    let status = wait_bounded(&mut child, limit);
    let elapsed = started.elapsed();
    let stdout = stdout.join().unwrap();
    let stderr = stderr.join().unwrap();
    let Some(status) = status else {
        panic!(
            "labsite {shown} did not finish within {limit:?}; killed\nstderr:\n{}",
            tail(&stderr)
        );
    };
    Ran {
        args: shown,
        code: status.code(),
        stdout,
        stderr,
        elapsed,
    }
}

/// Waits for a child at most `limit`; kills it (and returns `None`) when it runs longer.
pub fn wait_bounded(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("wait for labsite") {
            return Some(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        thread::sleep(Duration::from_millis(10));
    }
}

fn reader(mut from: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = from.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// One entry of a folder snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Dir,
    /// A file's bytes; `None` when the test may not read it.
    File(Option<Vec<u8>>),
    Link(PathBuf),
}

/// Every entry below a folder (symbolic links not followed), by relative path.
pub type Tree = BTreeMap<PathBuf, Entry>;

/// A snapshot of `dir`, leaving out the top-level entries named in `skip`.
pub fn tree(dir: &Path, skip: &[&str]) -> Tree {
    let mut out = Tree::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() != 1 || !skip.iter().any(|s| e.file_name() == *s));
    for entry in walker {
        let Ok(entry) = entry else { continue };
        if entry.depth() == 0 {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap().to_path_buf();
        let kind = entry.file_type();
        let e = if kind.is_symlink() {
            Entry::Link(fs::read_link(entry.path()).unwrap())
        } else if kind.is_dir() {
            Entry::Dir
        } else {
            Entry::File(fs::read(entry.path()).ok())
        };
        out.insert(rel, e);
    }
    out
}

/// Asserts two snapshots are equal, naming the paths that differ.
pub fn assert_same(before: &Tree, after: &Tree, what: &str) {
    if before == after {
        return;
    }
    let mut changed: Vec<String> = Vec::new();
    for (path, e) in after {
        match before.get(path) {
            None => changed.push(format!("added {}", path.display())),
            Some(b) if b != e => changed.push(format!("changed {}", path.display())),
            _ => {}
        }
    }
    for path in before.keys().filter(|p| !after.contains_key(*p)) {
        changed.push(format!("removed {}", path.display()));
    }
    changed.truncate(20);
    panic!("{what} changed:\n{}", changed.join("\n"));
}

/// Whether this process can read a file the owner cannot (root can).
pub fn permissions_are_enforced(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let probe = dir.join(".permission-probe");
        fs::write(&probe, "x").unwrap();
        fs::set_permissions(&probe, fs::Permissions::from_mode(0o000)).unwrap();
        let enforced = fs::read(&probe).is_err();
        fs::set_permissions(&probe, fs::Permissions::from_mode(0o644)).unwrap();
        fs::remove_file(&probe).unwrap();
        enforced
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        true
    }
}
