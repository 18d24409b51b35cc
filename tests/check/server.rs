//! A small HTTP server on 127.0.0.1 for the external link tests: fixed answers
//! per path, and a record of every request it was sent.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// How long `/slow` keeps a connection open without answering.
const SLOW: Duration = Duration::from_secs(4);

pub struct Server {
    pub base: String,
    hits: Arc<Mutex<Vec<(String, String)>>>,
}

impl Server {
    /// Starts the server on a free port; it lives as long as the test process.
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let hits: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
        let record = Arc::clone(&hits);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let record = Arc::clone(&record);
                thread::spawn(move || handle(stream, &record));
            }
        });
        Server { base, hits }
    }

    /// Requests for `path`, by method.
    pub fn hits(&self, path: &str) -> HashMap<String, usize> {
        let mut out = HashMap::new();
        for (method, p) in self.hits.lock().unwrap().iter() {
            if p == path {
                *out.entry(method.clone()).or_insert(0) += 1;
            }
        }
        out
    }

    /// All requests for `path`.
    pub fn count(&self, path: &str) -> usize {
        self.hits(path).values().sum()
    }
}

fn handle(mut stream: TcpStream, hits: &Mutex<Vec<(String, String)>>) {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let mut first = head.lines().next().unwrap_or("").split(' ');
    let method = first.next().unwrap_or("").to_string();
    let path = first.next().unwrap_or("").to_string();
    let earlier = {
        let mut hits = hits.lock().unwrap();
        let earlier = hits.iter().filter(|(_, p)| *p == path).count();
        hits.push((method.clone(), path.clone()));
        earlier
    };
    let (status, extra, body) = match path.as_str() {
        "/ok" => (200, String::new(), "ok".to_string()),
        "/moved" => (301, "Location: /ok\r\n".to_string(), String::new()),
        "/found" => (302, "Location: /ok\r\n".to_string(), String::new()),
        "/busy" if earlier == 0 => (429, "Retry-After: 1\r\n".to_string(), String::new()),
        "/busy" => (200, String::new(), "finally".to_string()),
        "/no-head" if method == "HEAD" => (405, String::new(), String::new()),
        "/no-head" => (200, String::new(), "get works".to_string()),
        "/page" => (
            200,
            "Content-Type: text/html\r\n".to_string(),
            r#"<!doctype html><html><body><h2 id="here">Here</h2><a name="legacy"></a></body></html>"#.to_string(),
        ),
        "/slow" => {
            thread::sleep(SLOW);
            return;
        }
        // A documentation site's articles: those named `…-exists` are there.
        p if p.starts_with("/docs/") && p.ends_with("-exists") => {
            (200, String::new(), "an article".to_string())
        }
        _ => (404, String::new(), "not found".to_string()),
    };
    let reason = match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        405 => "Method Not Allowed",
        429 => "Too Many Requests",
        _ => "Not Found",
    };
    let mut response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n",
        body.len()
    );
    if method != "HEAD" {
        response.push_str(&body);
    }
    let _ = stream.write_all(response.as_bytes());
    let _ = stream.flush();
}
