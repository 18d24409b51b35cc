//! External links (`labsite check` without `--offline`) against a local HTTP
//! server on 127.0.0.1: working, missing, redirected, rate-limited, silent
//! pages, `#fragments`, the cache, and the whole-run deadline.

mod common;
#[path = "check/server.rs"]
mod server;

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use common::{check_json, run_in, Found};
use server::Server;

fn workshop(dir: &Path, config: &str, page: &str) {
    fs::create_dir_all(dir.join("content")).unwrap();
    fs::write(dir.join("workshop.yaml"), config).unwrap();
    fs::write(dir.join("content/README.md"), page).unwrap();
}

const CONFIG: &str = "external_links:
  timeout: 1s
  retries: 1
  interval: 0
  per_host: 8
  concurrency: 8
  check_fragments: true
  check_local: true
  cache_ttl: 1h
";

fn message(json: &Value, line: u64) -> &str {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["line"] == line)
        .and_then(|f| f["message"].as_str())
        .unwrap_or_else(|| panic!("no finding on line {line}: {json:#}"))
}

#[test]
fn external_links_are_checked_once_each_and_cached() {
    let server = Server::start();
    let base = &server.base;
    let dir = tempfile::tempdir().unwrap();
    let page = format!(
        "# External\n\n- [ok]({base}/ok)\n- [missing]({base}/missing)\n- [moved]({base}/moved)\n- [found]({base}/found)\n\
         - [busy]({base}/busy)\n- [slow]({base}/slow)\n- [anchor]({base}/page#here)\n- [no anchor]({base}/page#nowhere)\n\
         - [no HEAD]({base}/no-head)\n- [ok again]({base}/ok)\n- [legacy anchor]({base}/page#LEGACY)\n"
    );
    workshop(dir.path(), CONFIG, &page);

    let started = Instant::now();
    let (got, json, code) = check_json(dir.path(), &[]);
    let file = "content/README.md";
    let want: Vec<Found> = vec![
        common::found("external-link", "error", file, 4, 3),
        common::found("external-link", "warning", file, 5, 3),
        common::found("external-link", "error", file, 8, 3),
        common::found("external-link", "error", file, 10, 3),
    ];
    assert_eq!(got, want, "{json:#}");
    assert_eq!(code, 1);
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "bounded by timeouts"
    );
    assert!(message(&json, 4).contains("404 Not Found"));
    assert!(message(&json, 5).contains(&format!("permanently redirects to `{base}/ok`")));
    assert!(
        message(&json, 8).contains("no answer within 1s"),
        "{}",
        message(&json, 8)
    );
    assert!(message(&json, 10).contains("no id `#nowhere`"));

    // 429 with Retry-After, then 200: asked twice. HEAD refused: asked again with GET.
    assert_eq!(server.count("/busy"), 2);
    assert_eq!(server.hits("/no-head").get("GET"), Some(&1));
    // Each distinct URL once: the page with three fragments was fetched once, with GET.
    assert_eq!(server.hits("/page").get("GET"), Some(&1));
    assert_eq!(server.count("/page"), 1);
    let ok_requests = server.count("/ok");
    let missing_requests = server.count("/missing");
    assert!(server.count("/slow") >= 2, "a timeout is tried again");

    let cache: Value = serde_json::from_str(
        &fs::read_to_string(dir.path().join(".labsite/link-cache.json")).unwrap(),
    )
    .unwrap();
    let entries = cache["entries"].as_object().unwrap();
    assert!(entries.contains_key(&format!("{base}/ok")));
    assert!(entries.contains_key(&format!("{base}/page")));
    assert!(
        !entries.contains_key(&format!("{base}/missing")),
        "failures are not cached"
    );

    // A second run asks nobody about what worked, and again about what failed.
    let (again, _, _) = check_json(dir.path(), &[]);
    assert_eq!(again, want);
    assert_eq!(server.count("/ok"), ok_requests);
    assert_eq!(server.count("/page"), 1);
    assert_eq!(server.count("/busy"), 2);
    assert!(server.count("/missing") > missing_requests);
}

#[test]
fn offline_and_ignored_urls_make_no_request() {
    let server = Server::start();
    let base = &server.base;
    let dir = tempfile::tempdir().unwrap();
    let config = format!("{CONFIG}rules:\n  ignore_urls: ['/ignored$']\n");
    let page = format!("# x\n\n[a]({base}/missing)\n\n[b]({base}/ignored)\n\n<!-- labsite-ignore-next-line -->\n[c]({base}/skipped)\n");
    workshop(dir.path(), &config, &page);
    let (got, _, code) = check_json(dir.path(), &["--offline"]);
    assert!(got.is_empty());
    assert_eq!(code, 0);
    assert_eq!(server.count("/missing"), 0);
    let (got, _, _) = check_json(dir.path(), &[]);
    assert_eq!(got.len(), 1);
    assert_eq!(server.count("/ignored") + server.count("/skipped"), 0);
}

#[test]
fn local_addresses_are_skipped_unless_asked_for() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    workshop(
        dir.path(),
        "title: x\n",
        &format!("# x\n\n[app]({}/missing)\n", server.base),
    );
    let (got, _, code) = check_json(dir.path(), &[]);
    assert!(got.is_empty());
    assert_eq!(code, 0);
    assert_eq!(server.count("/missing"), 0);
}

#[test]
fn the_deadline_ends_the_run() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let config = "external_links:\n  timeout: 30s\n  deadline: 1s\n  check_local: true\n";
    workshop(
        dir.path(),
        config,
        &format!("# x\n\n[slow]({}/slow)\n", server.base),
    );
    let started = Instant::now();
    let (got, json, code) = check_json(dir.path(), &[]);
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        got,
        vec![common::found(
            "external-link",
            "warning",
            "content/README.md",
            3,
            1
        )]
    );
    assert!(
        message(&json, 3).contains("deadline (1s) passed first"),
        "{json:#}"
    );
    assert_eq!(code, 0);
}

/// Links copied from a documentation site: online, each candidate is requested,
/// and `--fix` rewrites exactly those that answer, and nothing else in the file.
#[test]
fn copied_links_are_fixed_only_where_the_docs_site_answers() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let page = format!(
        "# Lab\n\nStart with the [overview]({base}/en-us/docs/guide/overview-exists).\n\n\
         - [Setting up](setup-exists.md)\n\
         - [Tearing down](teardown-missing.md)\n\n\
         The file setup-exists.md is named in text too.\n",
        base = server.base
    );
    workshop(dir.path(), CONFIG, &page);
    // Offline: both get a candidate, unverified, as a structured fix.
    let (_, json, _) = check_json(dir.path(), &["--offline"]);
    let fixes: Vec<&Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f.get("fix"))
        .collect();
    assert_eq!(fixes.len(), 2, "{json}");
    assert_eq!(
        fixes[0]["to"],
        format!("{}/docs/guide/setup-exists", server.base)
    );
    assert_eq!(fixes[0]["verified"], false);
    assert_eq!(
        (&fixes[0]["line"], &fixes[0]["column"]),
        (&json!(5), &json!(16))
    );

    let out = run_in(dir.path(), &["check", ".", "--fix"]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let fixed = fs::read_to_string(dir.path().join("content/README.md")).unwrap();
    assert_eq!(
        fixed,
        page.replace(
            "](setup-exists.md)",
            &format!("]({}/docs/guide/setup-exists)", server.base)
        ),
        "{err}"
    );
    assert!(
        err.contains("fixed content/README.md:5: setup-exists.md → "),
        "{err}"
    );
    assert!(
        !server.hits("/docs/guide/teardown-missing").is_empty(),
        "requested"
    );
}
