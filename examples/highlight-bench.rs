//! Times syntax highlighting per language on the fenced code blocks of a workshop:
//! `cargo run --release --example highlight-bench -- WORKSHOP`.
use std::collections::{BTreeMap, HashSet};
use std::time::Instant;

fn main() {
    let root = std::env::args()
        .nth(1)
        .expect("usage: highlight-bench WORKSHOP");
    let mut blocks: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut seen = HashSet::new();
    for entry in walkdir::WalkDir::new(&root).into_iter().flatten() {
        if entry.path().extension() != Some("md".as_ref()) {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            let Some(lang) = line.strip_prefix("```") else {
                continue;
            };
            let code: String = lines
                .by_ref()
                .take_while(|l| !l.starts_with("```"))
                .map(|l| format!("{l}\n"))
                .collect();
            if seen.insert((lang.to_string(), code.clone())) {
                blocks.entry(lang.to_string()).or_default().push(code);
            }
        }
    }
    let highlighter = labsite::markdown::Highlighter::new();
    let t0 = Instant::now();
    highlighter.highlight("x\n", "bash");
    println!(
        "first call (syntax set load) {:.1} ms",
        t0.elapsed().as_secs_f64() * 1e3
    );
    for (lang, codes) in &blocks {
        let lines: usize = codes.iter().map(|c| c.lines().count()).sum();
        let t = Instant::now();
        for c in codes {
            highlighter.highlight(c, lang);
        }
        let e = t.elapsed().as_secs_f64();
        println!(
            "{lang:>12}: {:>5} blocks {:>6} lines {:>8.1} ms {:>6.1} us/line",
            codes.len(),
            lines,
            e * 1e3,
            e * 1e6 / lines as f64
        );
    }
}
