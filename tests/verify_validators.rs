//! Each kind of validator passing, failing and erroring under `labsite verify`:
//! scripts (exit codes, `FAIL:` lines, JSON results, environment, missing
//! programs) and declarative `command`, `file`, `http` and `tcp` probes.

mod common;
mod verify_support;

use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use common::*;
use verify_support::*;

#[test]
fn script_validators_pass_fail_and_error() {
    let (_dir, root) = workshop_copy("verify/kinds");
    let (code, r) = results(&root, &["--chapter", "scripts"]);
    assert_eq!(code, 1, "not every check passed");
    assert_eq!(
        status_and_message(&r["pass"]),
        ("pass", "the thing is fine")
    );
    assert_eq!(
        status_and_message(&r["fail"]),
        ("fail", "the thing is missing")
    );
    assert_eq!(
        status_and_message(&r["error"]),
        ("error", "could not reach the service")
    );
    assert_eq!(
        status_and_message(&r["json"]),
        ("fail", "2 of 3 items found")
    );
    assert_eq!(r["json"]["details"]["missing"][0], "c");
    assert_eq!(
        status_and_message(&r["env"]),
        (
            "pass",
            r#"vault=rsv-lab vms=vm1 vm2 min=2 enabled=true greeting=hello from workshop.yaml retries=3 args={"vault":"rsv-lab","vms":["vm1","vm2"],"min-regions":2,"enabled":true}"#
        )
    );
    let (status, message) = status_and_message(&r["missing-tool"]);
    assert_eq!(status, "error");
    assert!(
        message.starts_with(
            "`labsite-no-such-tool` (run by validators/missing-tool.sh) not found on PATH"
        ),
        "{message}"
    );
    let (status, message) = status_and_message(&r["no-interpreter"]);
    assert_eq!(status, "error");
    assert!(
        message.starts_with("`labsite-no-such-interpreter`"),
        "{message}"
    );
    // The default id and title of an untitled block after nine others.
    assert_eq!(r["verify-10"]["title"], "verify-10");
    // The task a block follows titles it.
    assert_eq!(r["pass"]["title"], "The thing passes.");
    let keys: Vec<&String> = r["pass"].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["chapter", "duration_ms", "id", "message", "status", "title"]
    );
    assert_eq!(r["pass"]["chapter"], "scripts");
}

#[test]
fn declarative_command_and_file_probes() {
    let (_dir, root) = workshop_copy("verify/kinds");
    let (code, r) = results(&root, &["--chapter", "declarative"]);
    assert_eq!(code, 1);
    assert_eq!(r["command-pass"]["status"], "pass");
    assert_eq!(
        status_and_message(&r["command-fail"]),
        ("fail", "the deployment is not Failed")
    );
    assert_eq!(
        r["command-fail"]["details"]["reason"],
        "the output of `sh -c echo \"{\\\"properties\\\": {\\\"state\\\": \\\"Succeeded\\\"}}\"` has \"Succeeded\" at /properties/state, expected Failed"
    );
    let (status, message) = status_and_message(&r["command-missing"]);
    assert_eq!(status, "error");
    assert!(
        message.starts_with(
            "`labsite-no-such-program` (run by validators/command-missing.yaml) not found on PATH"
        ),
        "{message}"
    );
    assert_eq!(
        status_and_message(&r["exit-code"]),
        ("fail", "`sh -c echo out; echo \"went wrong\" >&2; exit 4` exited with 4, expected 0: went wrong")
    );
    assert_eq!(
        status_and_message(&r["file-pass"]),
        ("pass", "notes.txt contains \"ready\"")
    );
    assert_eq!(
        status_and_message(&r["file-fail"]),
        ("fail", "notes.txt does not contain \"finished\"")
    );
    assert_eq!(
        status_and_message(&r["file-missing"]),
        ("fail", "no-such-file.txt does not exist")
    );
}

/// Answers `count` HTTP requests: `/health` with JSON, anything else 404.
fn http_server(count: usize) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(count) {
            let Ok(mut stream) = stream else { continue };
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let (status, body) = if request.starts_with(b"GET /health ") {
                ("200 OK", r#"{"status": "ok", "version": 3}"#)
            } else {
                ("404 Not Found", "no such page")
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

#[test]
fn declarative_http_and_tcp_probes() {
    let (_dir, root) = workshop_copy("verify/kinds");
    let http_port = http_server(6); // each check connects twice: its tcp probe, then its request
    let open = TcpListener::bind("127.0.0.1:0").unwrap();
    let open_port = open.local_addr().unwrap().port();
    let closed_port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    fs::write(
        root.join("validators/web.yaml"),
        "probes:\n  - tcp: \"127.0.0.1:{{ port }}\"\n  - http: \"http://127.0.0.1:{{ port }}{{ path }}\"\n    status: 200\n    contains: status\n    json: { pointer: /version, equals: \"{{ version }}\" }\n",
    )
    .unwrap();
    fs::write(
        root.join("validators/port.yaml"),
        "probes:\n  - tcp: \"127.0.0.1:{{ port }}\"\n    message: start the server on {{ port }}\n",
    )
    .unwrap();
    fs::create_dir(root.join("content/network")).unwrap();
    fs::write(
        root.join("content/network/README.md"),
        format!(
            "# Network\n\n```verify\nid: web-ok\nvalidator: web\nwith: {{ port: {http_port}, path: /health, version: 3 }}\n```\n\n\
             ```verify\nid: web-404\nvalidator: web\nwith: {{ port: {http_port}, path: /missing, version: 3 }}\n```\n\n\
             ```verify\nid: web-json\nvalidator: web\nwith: {{ port: {http_port}, path: /health, version: 4 }}\n```\n\n\
             ```verify\nid: tcp-open\nvalidator: port\nwith: {{ port: {open_port} }}\n```\n\n\
             ```verify\nid: tcp-closed\nvalidator: port\nwith: {{ port: {closed_port} }}\n```\n"
        ),
    )
    .unwrap();
    let (code, r) = results(&root, &["--chapter", "network", "--jobs", "1"]);
    assert_eq!(code, 1);
    assert_eq!(
        status_and_message(&r["web-ok"]),
        ("pass", &*format!("127.0.0.1:{http_port} accepts connections; GET http://127.0.0.1:{http_port}/health answered 200"))
    );
    assert_eq!(
        status_and_message(&r["web-404"]),
        (
            "fail",
            &*format!("GET http://127.0.0.1:{http_port}/missing answered 404, expected 200")
        )
    );
    assert_eq!(
        status_and_message(&r["web-json"]),
        (
            "fail",
            &*format!(
                "the body of http://127.0.0.1:{http_port}/health has 3 at /version, expected 4"
            )
        )
    );
    assert_eq!(r["tcp-open"]["status"], "pass");
    assert_eq!(
        status_and_message(&r["tcp-closed"]),
        ("fail", &*format!("start the server on {closed_port}"))
    );
    drop(open);
}
