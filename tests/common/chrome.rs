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

/// A headless Chromium for one test. Tests in a binary run in parallel, but two
/// browsers at once on a 2-core CI machine time out: each test holds the browser
/// lock for as long as it uses its browser.
pub struct TestBrowser {
    browser: Browser,
    _turn: std::sync::MutexGuard<'static, ()>,
}

impl std::ops::Deref for TestBrowser {
    type Target = Browser;
    fn deref(&self) -> &Browser {
        &self.browser
    }
}

pub fn browser() -> Option<TestBrowser> {
    static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let path = chromium()?;
    let turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
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
    Some(TestBrowser {
        browser: Browser::new(options).expect("Chromium starts"),
        _turn: turn,
    })
}

/// A new tab whose navigations may take a while: CI machines are shared and slow.
pub fn new_tab(browser: &Browser) -> std::sync::Arc<Tab> {
    let tab = browser.new_tab().expect("a new tab");
    tab.set_default_timeout(Duration::from_secs(60));
    tab
}

/// Opens `url` in `tab` and waits until that document has loaded. (headless_chrome's
/// own navigation tracking can miss the end of a load when tabs come and go quickly.)
pub fn open(tab: &Tab, url: &str) {
    let want = serde_json::to_string(url).expect("a JSON string");
    let loaded = format!(
        "document.readyState === 'complete' && decodeURI(location.href) === decodeURI({want})"
    );
    // A freshly started Chromium now and then never finishes its first navigation
    // (seen on 2-core machines): navigate again rather than wait forever.
    for _ in 0..3 {
        tab.navigate_to(url).expect("navigation starts");
        if wait_true(tab, &loaded, Duration::from_secs(20)) {
            return;
        }
    }
    let seen = tab
        .evaluate("document.readyState + ' ' + location.href", false)
        .ok()
        .and_then(|v| v.value)
        .map(|v| v.to_string())
        .unwrap_or_else(|| "nothing".into());
    panic!("{url} did not load in three tries: the tab shows {seen}");
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
