//! Helpers shared by the integration tests: running the real binary on fixture
//! workshops copied to temporary folders, and reading the HTML it writes.
#![allow(dead_code)]

pub mod http;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The `labsite` binary built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_labsite");

/// A `labsite` command, colour off, highlight caches in target/.
pub fn labsite() -> Command {
    let mut cmd = Command::new(BIN);
    // The highlight caches of the tests' workshops stay in target/, not in the user's cache.
    cmd.env("NO_COLOR", "1").env(
        "LABSITE_CACHE_DIR",
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("labsite-cache"),
    );
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

/// Runs labsite with `args` in `cwd`, away from CI settings and proxies.
pub fn run_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("NO_COLOR")
        .env_remove("HTTP_PROXY")
        .env_remove("HTTPS_PROXY")
        .env_remove("ALL_PROXY")
        .env_remove("http_proxy")
        .env_remove("https_proxy")
        .env_remove("all_proxy")
        .output()
        .expect("run labsite")
}

/// [`run_in`] at the repository's root.
pub fn run_in_repo(args: &[&str]) -> Output {
    run_in(&repo(), args)
}

/// A finding as (rule, severity, file, line, column).
pub type Found = (String, String, String, u64, u64);

/// `check --format json` on `root`: the findings, the summary and the exit code.
pub fn check_json(root: &Path, extra: &[&str]) -> (Vec<Found>, Value, i32) {
    let mut args = vec!["check", root.to_str().unwrap(), "--format", "json"];
    args.extend_from_slice(extra);
    let out = run_in_repo(&args);
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", stdout(&out), stderr(&out)));
    let findings = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    (findings, json, out.status.code().unwrap())
}

pub fn found(rule: &str, severity: &str, file: &str, line: u64, column: u64) -> Found {
    (rule.into(), severity.into(), file.into(), line, column)
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
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
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

/// A `labsite serve` child process on a free port; killed when dropped.
pub struct ServeProcess {
    child: std::process::Child,
    pub port: u16,
    pub log: std::sync::mpsc::Receiver<String>,
}

impl ServeProcess {
    /// Starts `labsite serve ROOT --port 0 [extra]` and waits (bounded) for its URL.
    pub fn start(root: &Path, extra: &[&str]) -> ServeProcess {
        use std::io::BufRead;
        let mut child = labsite()
            .args(["serve", root.to_str().unwrap(), "--port", "0"])
            .args(extra)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("labsite serve starts");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let line = match rx.recv_timeout(left) {
                Ok(line) => line,
                Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!("labsite serve did not print its URL in time");
                }
            };
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                let port = rest.split('/').next().unwrap().parse().unwrap();
                return ServeProcess {
                    child,
                    port,
                    log: rx,
                };
            }
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{}", self.port, path)
    }

    /// Sends raw bytes and returns what came back (bounded by a read timeout).
    pub fn raw(&self, request: &[u8]) -> String {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        let _ = s.write_all(request);
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    /// GET a path: (status, body).
    pub fn get(&self, path: &str) -> (u16, String) {
        let resp = self.raw(
            format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        );
        let status = resp
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = resp
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The exit status, if the process has ended.
    pub fn try_wait(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// An open event stream, past the server's greeting.
    pub fn events(&self) -> EventStream {
        let mut events = EventStream::open(self.port);
        let hello = events.wait_for(std::time::Duration::from_secs(5), |v| v["type"] == "hello");
        assert!(hello.is_some(), "the event stream greets with hello");
        events
    }

    pub fn alive(&self) -> bool {
        self.get("/").0 == 200
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An open `/_labsite/events` stream, read line by line with bounded waits.
pub struct EventStream {
    reader: std::io::BufReader<std::net::TcpStream>,
}

impl EventStream {
    pub fn open(port: u16) -> EventStream {
        use std::io::Write;
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(b"GET /_labsite/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_millis(200)))
            .unwrap();
        EventStream {
            reader: std::io::BufReader::new(s),
        }
    }

    /// The next `data:` payload that satisfies `want`, within `timeout`.
    pub fn wait_for(
        &mut self,
        timeout: std::time::Duration,
        want: impl Fn(&serde_json::Value) -> bool,
    ) -> Option<serde_json::Value> {
        use std::io::BufRead;
        let deadline = std::time::Instant::now() + timeout;
        let mut line = String::new();
        while std::time::Instant::now() < deadline {
            line.clear();
            match self.reader.read_line(&mut line) {
                Ok(0) => return None,
                Ok(_) => {
                    if let Some(data) = line.trim_end().strip_prefix("data: ") {
                        if let Ok(v) = serde_json::from_str::<serde_json::Value>(data) {
                            if want(&v) {
                                return Some(v);
                            }
                        }
                    }
                }
                Err(_) => continue,
            }
        }
        None
    }
}

/// One reference of a built page that does not reach anything: the page (relative
/// to the output folder, `/`-separated) and the URL as written in it.
pub type BrokenRef = (String, String);

/// Every internal `href`/`src` of every HTML page in `out` that does not reach a
/// file (a folder URL reaches its `index.html`) or, with a `#fragment`, an element
/// whose id is exactly the fragment (as browsers match ids: letter case counts).
/// Pages in `skip` (copied raw HTML, the print view) are not read.
pub fn crawl(out: &Path, skip: &[&str]) -> Vec<BrokenRef> {
    let selector = scraper::Selector::parse("[href], [src]").unwrap();
    let id_selector = scraper::Selector::parse("[id]").unwrap();
    let mut pages: Vec<(String, scraper::Html)> = Vec::new();
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if entry.file_type().is_file() && rel.ends_with(".html") && !skip.contains(&rel.as_str()) {
            let html = fs::read_to_string(entry.path()).unwrap();
            pages.push((rel, scraper::Html::parse_document(&html)));
        }
    }
    let ids = |page: &str| -> Option<std::collections::HashSet<String>> {
        let path = out.join(page);
        let html = fs::read_to_string(path).ok()?;
        let doc = scraper::Html::parse_document(&html);
        Some(
            doc.select(&id_selector)
                .filter_map(|e| e.value().attr("id").map(str::to_string))
                .collect(),
        )
    };
    let mut broken = Vec::new();
    for (page, doc) in &pages {
        for element in doc.select(&selector) {
            for attr in ["href", "src"] {
                let Some(url) = element.value().attr(attr) else {
                    continue;
                };
                let scheme = url
                    .split_once(':')
                    .is_some_and(|(s, _)| !s.is_empty() && !s.contains(['/', '?', '#']));
                if scheme || url.starts_with("//") || url.is_empty() {
                    continue;
                }
                let (path_part, fragment) = match url.split_once('#') {
                    Some((p, f)) => (p, Some(f)),
                    None => (url, None),
                };
                let path_part = path_part.split('?').next().unwrap_or("");
                let target = if path_part.is_empty() {
                    page.clone()
                } else {
                    let dir = Path::new(page).parent().unwrap_or(Path::new(""));
                    let decoded = percent_decode(path_part);
                    let mut joined = PathBuf::new();
                    for part in dir.join(&decoded).components() {
                        match part {
                            std::path::Component::ParentDir => {
                                joined.pop();
                            }
                            std::path::Component::Normal(p) => joined.push(p),
                            _ => {}
                        }
                    }
                    let mut rel = joined.to_string_lossy().replace('\\', "/");
                    if out.join(&rel).is_dir() || decoded.ends_with('/') {
                        rel = format!("{}/index.html", rel.trim_end_matches('/'))
                            .trim_start_matches('/')
                            .to_string();
                    }
                    rel
                };
                if !out.join(&target).is_file() {
                    broken.push((page.clone(), url.to_string()));
                    continue;
                }
                if let Some(fragment) = fragment.filter(|f| !f.is_empty() && *f != "top") {
                    let fragment = percent_decode(fragment);
                    if target.ends_with(".html")
                        && !ids(&target).is_some_and(|ids| ids.contains(&fragment))
                    {
                        broken.push((page.clone(), url.to_string()));
                    }
                }
            }
        }
    }
    broken.sort();
    broken.dedup();
    broken
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
