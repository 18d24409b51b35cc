//! Headless Chromium for the browser tests (`tests/browser*.rs`), which include
//! this file as a module of their own. Without Chromium a test says so and
//! passes locally, but fails in CI (`CI` set), where a missing browser is a
//! setup error.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use headless_chrome::{Browser, LaunchOptions, Tab};

pub fn chromium() -> Option<PathBuf> {
    let found = [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "Chromium is required for the browser tests in CI"
        );
        eprintln!("skipping browser test: Chromium is not installed (apt-get install chromium)");
    }
    found
}

pub fn browser() -> Option<Browser> {
    let path = chromium()?;
    let args: Vec<&OsStr> = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let options = LaunchOptions::default_builder()
        .path(Some(path))
        .headless(true)
        .sandbox(false)
        .window_size(Some((1280, 900)))
        .idle_browser_timeout(Duration::from_secs(120))
        .args(args)
        .build()
        .expect("launch options");
    Some(Browser::new(options).expect("Chromium starts"))
}

/// A new tab whose navigations may take a while: CI machines are shared and slow.
pub fn new_tab(browser: &Browser) -> std::sync::Arc<Tab> {
    let tab = browser.new_tab().expect("a new tab");
    tab.set_default_timeout(Duration::from_secs(60));
    tab
}

/// Evaluates `js` until it returns `true`, for at most `timeout`.
pub fn wait_true(tab: &Tab, js: &str, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if let Ok(v) = tab.evaluate(js, false) {
            if v.value == Some(serde_json::Value::Bool(true)) {
                return true;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}
