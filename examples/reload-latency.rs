//! Measures the preview server's save → reload-event latency: starts
//! `labsite serve` on a workshop, listens to `/_labsite/events`, appends a line
//! to one chapter, and times the write to the arrival of the reload event.
//! Prints one latency per run in milliseconds, then the median.
//!
//! `cargo run --release --example reload-latency -- LABSITE_BINARY WORKSHOP [RUNS]`

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let binary = args
        .next()
        .expect("usage: reload-latency LABSITE_BINARY WORKSHOP [RUNS]");
    let root = PathBuf::from(args.next().expect("workshop folder"));
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(10);
    let mut child = Command::new(binary)
        .args(["serve", root.to_str().unwrap(), "--port", "0"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("labsite serve starts");
    let mut log = BufReader::new(child.stderr.take().unwrap());
    let started = Instant::now();
    let port: u16 = loop {
        let mut line = String::new();
        if log.read_line(&mut line).unwrap_or(0) == 0
            || started.elapsed() > Duration::from_secs(120)
        {
            let _ = child.kill();
            panic!("labsite serve did not start");
        }
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    // Drain the server's log so it never blocks on a full pipe.
    std::thread::spawn(move || for _ in log.lines() {});
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .write_all(b"GET /_labsite/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut events = BufReader::new(stream);
    let mut line = String::new();
    while !line.contains("\"hello\"") {
        line.clear();
        events.read_line(&mut line).unwrap();
    }
    let chapter = root.join("content/chapter-1/README.md");
    let original = std::fs::read_to_string(&chapter).unwrap();
    let mut latencies = Vec::new();
    for run in 0..runs {
        std::thread::sleep(Duration::from_millis(300));
        let text = format!("{original}\nEdited in run {run}.\n");
        let t = Instant::now();
        std::fs::write(&chapter, text).unwrap();
        loop {
            line.clear();
            events.read_line(&mut line).expect("an event");
            if line.contains("\"reload\"") {
                break;
            }
        }
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        println!("{ms:.1}");
        latencies.push(ms);
    }
    std::fs::write(&chapter, original).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    latencies.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "median {:.1} ms, min {:.1} ms, max {:.1} ms",
        latencies[runs / 2],
        latencies[0],
        latencies[runs - 1]
    );
}
