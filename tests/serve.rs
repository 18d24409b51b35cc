//! `labsite serve` as a user and an attacker see it: pages and assets, paths
//! outside the site, malformed and oversized requests, many clients at once,
//! live-reload events after an edit, and the error overlay's events.

mod common;

use std::fs;
use std::io::Write;
use std::time::Duration;

use common::*;

#[test]
fn serves_pages_assets_and_the_sites_404() {
    let (_dir, root) = workshop_copy("seed-workshop");
    let server = ServeProcess::start(&root, &[]);
    let (status, body) = server.get("/chapter-3/");
    assert_eq!(status, 200);
    assert!(body.contains("Chapter 3 - Backup"));
    assert!(
        body.contains("/_labsite/live.js"),
        "the live script is injected by the server"
    );
    let head =
        server.raw(b"GET /_labsite/style.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.contains("Content-Type: text/css"), "{head}");
    assert!(head.contains("Cache-Control: no-store"), "{head}");
    let redirect = server.raw(b"GET /chapter-3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(
        redirect.starts_with("HTTP/1.1 301") && redirect.contains("Location: /chapter-3/"),
        "{redirect}"
    );
    let (status, body) = server.get("/no/such/page.html");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "the site's own 404 page");
}

#[test]
fn paths_outside_the_site_and_bad_requests_are_refused() {
    let (dir, root) = workshop_copy("seed-workshop");
    fs::write(dir.path().join("secret.txt"), "top secret").unwrap();
    let server = ServeProcess::start(&root, &[]);
    for path in [
        "/../secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/chapter-3/../../secret.txt",
        "/%00",
        "/a%5c..%5c..%5csecret.txt",
        "//etc/passwd",
    ] {
        let resp = server
            .raw(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes());
        let status: u16 = resp
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        assert!(status == 404 || status == 400, "{path}: {status}");
        assert!(
            !resp.contains("top secret") && !resp.contains("root:"),
            "{path} leaked a file"
        );
    }
    // A huge header, a huge body, a half-sent request, garbage: the server answers on.
    let huge_header = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(200_000)
    );
    let _ = server.raw(huge_header.as_bytes());
    let body = vec![b'x'; 5_000_000];
    let mut s = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let _ = s.write_all(b"POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n");
    let _ = s.write_all(&body[..100_000]);
    drop(s);
    let mut half = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    half.write_all(b"GET /index.ht").unwrap();
    let _ = server.raw(b"\x00\x01\x02 garbage\r\n\r\n");
    assert!(
        server.alive(),
        "still answering while a request hangs half-sent"
    );
    drop(half);
    assert!(server.alive());
}

#[test]
fn two_hundred_concurrent_requests_are_all_answered() {
    let (_dir, root) = workshop_copy("seed-workshop");
    let server = ServeProcess::start(&root, &[]);
    let port = server.port;
    let threads: Vec<_> = (0..200)
        .map(|i| {
            std::thread::spawn(move || {
                let path = if i % 2 == 0 {
                    "/chapter-1/index.html"
                } else {
                    "/_labsite/style.css"
                };
                let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
                s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
                s.write_all(
                    format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .as_bytes(),
                )
                .unwrap();
                let mut out = String::new();
                let _ = std::io::Read::read_to_string(&mut s, &mut out);
                out.starts_with("HTTP/1.1 200")
            })
        })
        .collect();
    let ok = threads
        .into_iter()
        .filter_map(|t| t.join().ok())
        .filter(|ok| *ok)
        .count();
    assert_eq!(ok, 200);
    assert!(server.alive());
}

#[test]
fn an_edit_sends_a_reload_event_for_that_page() {
    let (_dir, root) = workshop_copy("seed-workshop");
    let server = ServeProcess::start(&root, &[]);
    let mut events = server.events();
    let chapter = root.join("content/chapter-2/README.md");
    let text = fs::read_to_string(&chapter).unwrap();
    fs::write(
        &chapter,
        text.replace(
            "Storage accounts replicate",
            "Edited: storage accounts replicate",
        ),
    )
    .unwrap();
    let event = events
        .wait_for(Duration::from_secs(10), |v| v["type"] == "reload")
        .expect("a reload event after the edit");
    assert_eq!(event["pages"], serde_json::json!(["chapter-2/index.html"]));
    let (_, body) = server.get("/chapter-2/index.html");
    assert!(body.contains("Edited: storage accounts replicate"));
}

#[test]
fn a_broken_template_shows_an_error_then_recovers() {
    let (_dir, root) = workshop_copy("seed-workshop");
    let templates = root.join("themes/default/templates");
    fs::create_dir_all(&templates).unwrap();
    let server = ServeProcess::start(&root, &[]);
    let mut events = server.events();

    fs::write(
        templates.join("page.html"),
        "<html><body>\n{% if page.title %}\n</body></html>",
    )
    .unwrap();
    let error = events
        .wait_for(Duration::from_secs(10), |v| v["type"] == "error")
        .expect("an error event");
    let first = &error["errors"][0];
    assert_eq!(first["file"], "themes/default/templates/page.html");
    assert!(first["line"].as_u64().is_some(), "{error}");
    let (status, body) = server.get("/chapter-1/index.html");
    assert_eq!(status, 200);
    assert!(
        body.contains("Chapter 1 - Prerequisites"),
        "the last good site is still served"
    );

    fs::write(
        templates.join("page.html"),
        "<html><body>FIXED {{ page.title }}</body></html>",
    )
    .unwrap();
    assert!(events
        .wait_for(Duration::from_secs(10), |v| v["type"] == "reload")
        .is_some());
    let (_, body) = server.get("/chapter-1/index.html");
    assert!(body.contains("FIXED Chapter 1 - Prerequisites"));
}

#[test]
fn a_site_that_never_built_shows_its_errors_in_the_workshops_theme() {
    let (_dir, root) = workshop_copy("seed-workshop");
    fs::write(
        root.join("content/chapter-1/README.md"),
        "# Chapter 1\n\n```verify\nvalidator: no-such-validator\n```\n",
    )
    .unwrap();
    let templates = root.join("themes/default/templates");
    fs::create_dir_all(&templates).unwrap();
    fs::write(
        templates.join("build-failed.html"),
        "<html><body><h1>Our lab is broken</h1>{% for e in errors %}<p class=\"err\">{{ e.file }}:{{ e.line }}</p>{% endfor %}</body></html>\n",
    )
    .unwrap();
    let server = ServeProcess::start(&root, &[]);
    let (status, body) = server.get("/chapter-1/");
    assert_eq!(status, 503);
    assert!(body.contains("<h1>Our lab is broken</h1>"), "{body}");
    assert!(
        body.contains("<p class=\"err\">content/chapter-1/README.md:4</p>"),
        "{body}"
    );
    assert!(body.contains("/_labsite/live.js"), "it reloads once fixed");
}

#[test]
fn a_busy_port_falls_back_to_a_free_one() {
    let (_dir, root) = workshop_copy("seed-workshop");
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let mut child = labsite()
        .args(["serve", root.to_str().unwrap(), "--port", &port])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    for _ in 0..4 {
        let mut line = String::new();
        if std::io::BufRead::read_line(&mut reader, &mut line).unwrap_or(0) == 0 {
            break;
        }
        seen.push_str(&line);
        if line.contains("Serving at") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(seen.contains(&format!("Port {port} is busy")), "{seen}");
    assert!(seen.contains("Serving at http://127.0.0.1:"), "{seen}");
}

/// A scaffolded workshop, whose first chapter has checks that run locally.
fn scaffold() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("lab");
    let out = run(&["new", root.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    (dir, root)
}

fn post(server: &ServeProcess, path: &str, extra_headers: &str) -> (u16, String) {
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n{extra_headers}Content-Length: 2\r\nConnection: close\r\n\r\n{{}}",
        server.port
    );
    let resp = server.raw(request.as_bytes());
    let status = resp
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (
        status,
        resp.split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default(),
    )
}

#[test]
fn checks_run_through_the_endpoint() {
    let (_dir, root) = scaffold();
    let server = ServeProcess::start(&root, &[]);
    let (status, body) = post(&server, "/_labsite/verify/chapter-1/notes-file", "");
    assert_eq!(status, 200, "{body}");
    let result: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(result["status"], "fail");
    assert_eq!(result["chapter"], "chapter-1");
    assert_eq!(result["id"], "notes-file");
    assert!(
        result["message"]
            .as_str()
            .unwrap()
            .contains("notes.txt does not exist"),
        "{result}"
    );
    assert!(result["duration_ms"].is_u64());

    fs::write(root.join("notes.txt"), "I am ready\n").unwrap();
    let (_, body) = post(&server, "/_labsite/verify/chapter-1/notes-file", "");
    assert!(body.contains("\"status\":\"pass\""), "{body}");

    let (status, _) = post(&server, "/_labsite/verify/chapter-1/no-such-check", "");
    assert_eq!(status, 404, "only checks of the built site can run");
    let (status, _) = post(&server, "/_labsite/verify/../../etc/passwd", "");
    assert!(status == 404 || status == 400);
}

#[test]
fn cross_origin_and_foreign_host_requests_are_refused() {
    let (_dir, root) = scaffold();
    let server = ServeProcess::start(&root, &[]);
    let (status, body) = post(
        &server,
        "/_labsite/verify/chapter-1/notes-file",
        "Origin: http://evil.example\r\n",
    );
    assert_eq!(status, 403, "{body}");
    assert!(!root.join("notes.txt").exists());
    let rebinding = format!(
        "POST /_labsite/verify/chapter-1/notes-file HTTP/1.1\r\nHost: evil.example:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        server.port
    );
    assert!(
        server.raw(rebinding.as_bytes()).starts_with("HTTP/1.1 403"),
        "DNS rebinding is refused"
    );
    let same_origin = format!("Origin: http://127.0.0.1:{}\r\n", server.port);
    assert_eq!(
        post(
            &server,
            "/_labsite/verify/chapter-1/git-installed",
            &same_origin
        )
        .0,
        200
    );
}

#[test]
fn concurrent_presses_of_one_check_share_a_run() {
    let (_dir, root) = scaffold();
    // A validator that counts its runs and takes a moment.
    let counter = root.join("runs.txt");
    fs::write(
        root.join("validators/command-installed.sh"),
        format!(
            "#!/usr/bin/env bash\necho run >> '{}'\nsleep 1\necho ok\n",
            counter.display()
        ),
    )
    .unwrap();
    let server = ServeProcess::start(&root, &[]);
    let port = server.port;
    let presses: Vec<_> = (0..5)
        .map(|_| {
            std::thread::spawn(move || {
                let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
                s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
                let req = format!("POST /_labsite/verify/chapter-1/git-installed HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                s.write_all(req.as_bytes()).unwrap();
                let mut out = String::new();
                let _ = std::io::Read::read_to_string(&mut s, &mut out);
                out.contains("\"status\":\"pass\"")
            })
        })
        .collect();
    assert!(presses.into_iter().all(|t| t.join().unwrap()));
    let runs = fs::read_to_string(&counter).unwrap().lines().count();
    assert_eq!(runs, 1, "five presses at once ran the validator once");
}

#[test]
fn a_stylesheet_edit_swaps_css_without_a_reload() {
    let (_dir, root) = workshop_copy("seed-workshop");
    let static_dir = root.join("themes/default/static");
    fs::create_dir_all(&static_dir).unwrap();
    let server = ServeProcess::start(&root, &[]);
    let mut events = server.events();
    fs::write(
        static_dir.join("style.css"),
        "body { background: rebeccapurple; }\n",
    )
    .unwrap();
    let event = events
        .wait_for(Duration::from_secs(10), |v| v["type"] != "hello")
        .expect("an event after the stylesheet edit");
    assert_eq!(event["type"], "css", "{event}");
    let (_, css) = server.get("/_labsite/style.css");
    assert!(css.contains("rebeccapurple"));
}

#[test]
fn built_sites_never_contain_the_live_script() {
    let (dir, root) = workshop_copy("seed-workshop");
    let out = dir.path().join("site");
    assert!(
        run(&["build", root.to_str().unwrap(), "-o", out.to_str().unwrap()])
            .status
            .success()
    );
    for (path, bytes) in snapshot(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("live.js") && !text.contains("_labsite/events"),
            "{}",
            path.display()
        );
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let (_dir, root) = workshop_copy("seed-workshop");
    let mut server = ServeProcess::start(&root, &[]);
    assert!(server.alive());
    let pid = server.pid().to_string();
    assert!(std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.try_wait() {
            break status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the server did not stop on Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn whole_workshop_pages_follow_an_edit() {
    let (_dir, root) = workshop_copy("seed-workshop");
    let server = ServeProcess::start(&root, &[]);
    let (status, print) = server.get("/print.html");
    assert_eq!(status, 200);
    assert!(!print.contains("Quokka"));
    let mut events = server.events();
    let chapter = root.join("content/chapter-4/README.md");
    let text = fs::read_to_string(&chapter).unwrap();
    fs::write(
        &chapter,
        text.replace("Restore vm1", "Restore the Quokka VM"),
    )
    .unwrap();
    assert!(events
        .wait_for(Duration::from_secs(10), |v| v["type"] == "reload")
        .is_some());
    let (_, print) = server.get("/print.html");
    assert!(
        print.contains("Restore the Quokka VM"),
        "the print view follows the edit"
    );
    let (_, index) = server.get("/_labsite/search-index.js");
    assert!(index.contains("Quokka"), "so does the search index");
}
