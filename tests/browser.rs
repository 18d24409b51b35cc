//! What only a real browser shows: a page served by `labsite serve` updating
//! itself after an edit, keeping its scroll position. Runs headless Chromium
//! (installed by `.ci/run`); without Chromium the tests say so and pass
//! locally, but fail in CI (`CI` set), where a missing browser is a setup error.

#[path = "common/chrome.rs"]
mod chrome;
mod common;

use std::fs;
use std::time::Duration;

use chrome::{browser, new_tab, open, wait_true};
use common::*;

#[test]
fn an_edited_chapter_appears_without_any_action_and_keeps_its_scroll() {
    let Some(browser) = browser() else { return };
    let (_dir, root) = workshop_copy("seed-workshop");
    let server = ServeProcess::start(&root, &[]);
    let tab = new_tab(&browser);
    open(&tab, &server.url("/chapter-3/index.html"));
    assert!(
        wait_true(
            &tab,
            "document.documentElement.dataset.labsiteLive === 'connected'",
            Duration::from_secs(10)
        ),
        "the live-reload connection opens"
    );
    tab.evaluate("window.scrollTo(0, 600); window.scrollY", false)
        .unwrap();

    let chapter = root.join("content/chapter-3/README.md");
    let text = fs::read_to_string(&chapter).unwrap();
    fs::write(
        &chapter,
        text.replace(
            "Even highly resilient systems",
            "Freshly edited: even highly resilient systems",
        ),
    )
    .unwrap();

    assert!(
        wait_true(
            &tab,
            "document.body.innerText.includes('Freshly edited')",
            Duration::from_secs(10)
        ),
        "the page shows the edit by itself"
    );
    assert!(
        wait_true(
            &tab,
            "Math.abs(window.scrollY - 600) < 5",
            Duration::from_secs(5)
        ),
        "the scroll position survives the reload"
    );
}

#[test]
fn a_build_error_shows_an_overlay_until_fixed() {
    let Some(browser) = browser() else { return };
    let (_dir, root) = workshop_copy("seed-workshop");
    let server = ServeProcess::start(&root, &[]);
    let tab = new_tab(&browser);
    open(&tab, &server.url("/chapter-1/index.html"));
    assert!(wait_true(
        &tab,
        "document.documentElement.dataset.labsiteLive === 'connected'",
        Duration::from_secs(10)
    ));

    let chapter = root.join("content/chapter-1/README.md");
    let good = fs::read_to_string(&chapter).unwrap();
    // A verify block naming a validator that does not exist fails the build
    // (unreadable front matter is only a warning: the page builds without it).
    let bad = format!("{good}\n```verify\nid: broken\nvalidator: no-such-validator\n```\n");
    let validator_line = bad
        .lines()
        .position(|l| l.starts_with("validator: no-such"))
        .unwrap()
        + 1;
    fs::write(&chapter, bad).unwrap();
    assert!(
        wait_true(
            &tab,
            &format!("(document.getElementById('labsite-error-overlay')||{{}}).textContent?.includes('content/chapter-1/README.md:{validator_line}') === true"),
            Duration::from_secs(10)
        ),
        "the overlay names the file and line"
    );
    fs::write(&chapter, good).unwrap();
    assert!(
        wait_true(
            &tab,
            "document.getElementById('labsite-error-overlay') === null",
            Duration::from_secs(10)
        ),
        "the overlay goes when the file is fixed"
    );
}

#[test]
fn the_check_button_shows_the_validators_result_and_ticks_the_task() {
    let Some(browser) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("lab");
    assert!(run(&["new", root.to_str().unwrap()]).status.success());
    let server = ServeProcess::start(&root, &[]);
    let tab = new_tab(&browser);
    open(&tab, &server.url("/chapter-1/index.html"));
    let widget = r#"document.querySelector('.verify[data-check="notes-file"]')"#;
    assert!(
        wait_true(
            &tab,
            &format!("!!{widget}.querySelector('.verify-run')"),
            Duration::from_secs(10)
        ),
        "a Check button"
    );

    tab.evaluate(
        &format!("{widget}.querySelector('.verify-run').click()"),
        false,
    )
    .unwrap();
    assert!(
        wait_true(
            &tab,
            &format!("{widget}.querySelector('.verify-status').dataset.status === 'fail'"),
            Duration::from_secs(20)
        ),
        "the failure is shown"
    );
    assert!(wait_true(
        &tab,
        &format!(
            "{widget}.querySelector('.verify-message').textContent.includes('does not exist')"
        ),
        Duration::from_secs(2)
    ));

    fs::write(root.join("notes.txt"), "ready\n").unwrap();
    tab.evaluate(
        &format!("{widget}.querySelector('.verify-run').click()"),
        false,
    )
    .unwrap();
    assert!(
        wait_true(
            &tab,
            &format!("{widget}.querySelector('.verify-status').dataset.status === 'pass'"),
            Duration::from_secs(20)
        ),
        "the pass is shown"
    );
    assert!(
        wait_true(
            &tab,
            &format!(
                "{widget}.previousElementSibling.querySelector('input[type=checkbox]').checked"
            ),
            Duration::from_secs(2)
        ),
        "the bound task ticks itself"
    );
}
