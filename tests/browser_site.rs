//! The built site in headless Chromium: search from `file://` and under a
//! sub-path, accessibility (axe-core: no serious or critical violations, light
//! and dark), no layout shift on load, and pages that fit a 360-pixel phone.
//!
//! axe-core comes from the npm registry: `.ci/run` has npm, and the test
//! installs the pinned version into `target/axe-core/` the first time.

#[path = "common/chrome.rs"]
mod chrome;
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

use chrome::{browser, new_tab, open, wait_true};
use common::http::StaticServer;
use common::*;
use headless_chrome::protocol::cdp::Emulation::{
    MediaFeature, SetDeviceMetricsOverride, SetEmulatedMedia,
};
use headless_chrome::Tab;

const AXE_VERSION: &str = "4.14.1";

fn build_sample(dir: &Path, base_url: &str) -> PathBuf {
    let out = dir.join("site");
    let root = repo();
    let result = run(&[
        "build",
        root.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--base-url",
        base_url,
    ]);
    assert!(result.status.success(), "{}", stderr(&result));
    out
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn eval_string(tab: &Tab, js: &str) -> String {
    let v = tab.evaluate(js, true).unwrap().value.unwrap_or_default();
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

/// Types a query with the keyboard and opens the first hit with Enter.
/// The page's cumulative layout shift over its load and half a second after.
const LAYOUT_SHIFT: &str = "new Promise(function (done) { var total = 0; new PerformanceObserver(function (list) { list.getEntries().forEach(function (e) { if (!e.hadRecentInput) total += e.value; }); }).observe({ type: 'layout-shift', buffered: true }); setTimeout(function () { done(String(total)); }, 500); })";

fn search_and_open(tab: &Tab, page_url: &str, query: &str, want: &str) {
    open(tab, page_url);
    assert!(
        wait_true(
            tab,
            "!!document.querySelector('form.search')",
            Duration::from_secs(5)
        ),
        "a search box"
    );
    assert_eq!(
        eval_string(
            tab,
            "String(typeof window.labsiteSearchIndex === 'undefined' && !document.querySelector('script[src*=\"search-index\"]'))"
        ),
        "true",
        "the index is not loaded before search is used"
    );
    tab.press_key("/").unwrap();
    assert!(
        wait_true(
            tab,
            "document.activeElement.id === 'labsite-search'",
            Duration::from_secs(5)
        ),
        "/ focuses the search box"
    );
    tab.type_str(query).unwrap();
    assert!(
        wait_true(
            tab,
            "document.querySelectorAll('.search-result').length > 1",
            Duration::from_secs(10)
        ),
        "results appear"
    );
    let first = eval_string(
        tab,
        "document.querySelector('.search-result').getAttribute('href')",
    );
    assert!(first.ends_with(want), "best hit {first}");
    assert_eq!(
        eval_string(
            tab,
            "document.querySelector('.search-result-title mark').textContent.toLowerCase()"
        ),
        query.split(' ').next().unwrap(),
        "matched words are highlighted"
    );
    tab.press_key("ArrowDown").unwrap();
    assert_eq!(
        eval_string(
            tab,
            "document.getElementById('labsite-search').getAttribute('aria-activedescendant')"
        ),
        "labsite-search-result-1"
    );
    tab.press_key("ArrowUp").unwrap();
    tab.press_key("Enter").unwrap();
    assert!(
        wait_true(
            tab,
            &format!("location.href.endsWith({want:?})"),
            Duration::from_secs(10)
        ),
        "Enter opens the hit at its heading: {}",
        eval_string(tab, "location.href")
    );
    let id = want.split('#').nth(1).unwrap();
    assert!(wait_true(
        tab,
        &format!("!!document.getElementById({id:?})"),
        Duration::from_secs(5)
    ));
}

#[test]
fn search_finds_a_heading_from_file_and_under_a_sub_path() {
    let Some(browser) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = build_sample(dir.path(), "https://example.github.io/sub/path/");
    let want = "chapter-3/index.html#task-1-create-a-recovery-services-vault";
    let tab = new_tab(&browser);
    search_and_open(
        &tab,
        &file_url(&out.join("chapter-1/index.html")),
        "recovery vault",
        want,
    );

    let server = StaticServer::start(&out, "/sub/path/");
    search_and_open(
        &tab,
        &server.url("chapter-1/index.html"),
        "recovery vault",
        want,
    );
    // The 404 page, at any depth, searches with absolute paths.
    search_and_open(
        &tab,
        &format!("http://127.0.0.1:{}/sub/path/x/y/missing.html", server.port),
        "recovery vault",
        &format!("/sub/path/{want}"),
    );
}

/// axe-core's script, installed from the npm registry into `target/axe-core/` once.
fn axe_source() -> Option<String> {
    static INSTALL: Mutex<()> = Mutex::new(());
    let _guard = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = repo().join("target/axe-core");
    let script = dir.join("node_modules/axe-core/axe.min.js");
    let installed = dir.join(format!("installed-{AXE_VERSION}"));
    if !installed.is_file() {
        std::fs::create_dir_all(&dir).unwrap();
        let status = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .arg(format!("axe-core@{AXE_VERSION}"))
            .status();
        match status {
            Ok(s) if s.success() => std::fs::write(&installed, "").unwrap(),
            other => {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "npm install axe-core failed in CI: {other:?}"
                );
                eprintln!("skipping accessibility test: cannot install axe-core ({other:?})");
                return None;
            }
        }
    }
    Some(std::fs::read_to_string(script).expect("axe.min.js installed"))
}

fn set_color_scheme(tab: &Tab, scheme: &str) {
    tab.call_method(SetEmulatedMedia {
        media: None,
        features: Some(vec![MediaFeature {
            name: "prefers-color-scheme".into(),
            value: scheme.into(),
        }]),
    })
    .unwrap();
}

fn set_width(tab: &Tab, width: u32, height: u32) {
    tab.call_method(SetDeviceMetricsOverride {
        width,
        height,
        device_scale_factor: 1.0,
        mobile: width < 600,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })
    .unwrap();
}

const AXE_RUN: &str = r#"axe.run(document, { resultTypes: ["violations"] }).then(function (r) {
  return JSON.stringify(r.violations
    .filter(function (v) { return v.impact === "serious" || v.impact === "critical"; })
    .map(function (v) {
      return v.id + " (" + v.impact + "): " + v.nodes.slice(0, 3).map(function (n) {
        return n.target.join(" ") + " " + (n.failureSummary || "").replace(/\s+/g, " ");
      }).join(" | ");
    }));
})"#;

#[test]
fn no_serious_accessibility_violations_in_either_palette() {
    let Some(browser) = browser() else { return };
    let Some(axe) = axe_source() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = build_sample(dir.path(), "/");
    let tab = new_tab(&browser);
    let mut problems = Vec::new();
    for page in [
        "index.html",
        "chapter-3/index.html",
        "resources.html",
        "print.html",
    ] {
        // Light, dark from the system, and dark chosen with the toggle.
        for (scheme, toggle) in [("light", false), ("dark", false), ("light", true)] {
            set_color_scheme(&tab, scheme);
            open(&tab, &file_url(&out.join(page)));
            if toggle {
                tab.evaluate("document.documentElement.dataset.theme = 'dark'", false)
                    .unwrap();
            }
            tab.evaluate(&axe, false).unwrap();
            let found: Vec<String> = serde_json::from_str(&eval_string(&tab, AXE_RUN)).unwrap();
            let palette = if scheme == "dark" || toggle {
                "dark"
            } else {
                "light"
            };
            problems.extend(
                found
                    .into_iter()
                    .map(|f| format!("{page} ({palette}): {f}")),
            );
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The check does see a violation when there is one.
    tab.evaluate(
        "var p = document.createElement('p'); p.textContent = 'faint'; p.style.cssText = 'color:#ddd;background:#fff'; document.querySelector('main').appendChild(p)",
        false,
    )
    .unwrap();
    let found = eval_string(&tab, AXE_RUN);
    assert!(found.contains("color-contrast"), "{found}");
}

#[test]
fn pages_fit_a_phone_and_do_not_shift_while_loading() {
    let Some(browser) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = build_sample(dir.path(), "/");
    let tab = new_tab(&browser);
    for (width, height) in [(360, 780), (1280, 900)] {
        set_width(&tab, width, height);
        for page in [
            "index.html",
            "chapter-3/index.html",
            "resources.html",
            "print.html",
        ] {
            // A real layout shift happens on every load; one seen while the machine was
            // busy (CI shares 2 cores) is measured again on a second load.
            let mut shifts = Vec::new();
            for _ in 0..2 {
                open(&tab, &file_url(&out.join(page)));
                let shift: f64 = eval_string(&tab, LAYOUT_SHIFT).parse().unwrap();
                shifts.push(shift);
                if shift < 0.01 {
                    break;
                }
            }
            assert!(
                shifts.iter().any(|s| *s < 0.01),
                "{page} at {width}px shifts by {shifts:?}"
            );
            let overflow = eval_string(
                &tab,
                "String(document.documentElement.scrollWidth - document.documentElement.clientWidth)",
            );
            assert_eq!(overflow, "0", "{page} scrolls sideways at {width}px");
        }
    }
}
