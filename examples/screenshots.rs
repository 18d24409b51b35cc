//! Screenshots of a built site in headless Chromium, to look at the theme:
//! the landing page, a chapter (top, a Learning Resources block, the success
//! criteria), search with results, the resources page and the print view (on
//! screen and as printed), each light and dark, 1280 and 360 pixels wide.
//!
//! `cargo run --example screenshots -- SITE_DIR OUT_DIR` (see
//! `scripts/screenshots.sh`, which builds the sample workshop first). Chromium
//! is found at `$CHROMIUM` or the usual paths.

use std::error::Error;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::Emulation::{
    MediaFeature, SetDeviceMetricsOverride, SetEmulatedMedia,
};
use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::{Browser, LaunchOptions, Tab};

/// What to do on a page before the screenshot.
enum Action {
    Top,
    ScrollTo(&'static str),
    Search(&'static str),
    PrintMedia,
}

const SHOTS: &[(&str, &str, Action)] = &[
    ("landing", "index.html", Action::Top),
    ("chapter", "chapter-3/index.html", Action::Top),
    (
        "chapter-resources",
        "chapter-3/index.html",
        Action::ScrollTo(".resources"),
    ),
    (
        "chapter-criteria",
        "chapter-3/index.html",
        Action::ScrollTo(".success-criteria"),
    ),
    (
        "search",
        "chapter-3/index.html",
        Action::Search("backup vault"),
    ),
    ("resources", "resources.html", Action::Top),
    ("print", "print.html", Action::Top),
    ("print-media", "print.html", Action::PrintMedia),
];

const SIZES: &[(&str, u32, u32)] = &[("1280", 1280, 900), ("360", 360, 780)];

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [site, out] = args.as_slice() else {
        return Err("usage: screenshots SITE_DIR OUT_DIR".into());
    };
    let site = std::fs::canonicalize(site)?;
    let out = PathBuf::from(out);
    std::fs::create_dir_all(&out)?;
    let browser = launch()?;
    let mut written = 0;
    for (name, page, action) in SHOTS {
        for scheme in ["light", "dark"] {
            for (size, width, height) in SIZES {
                let tab = browser.new_tab()?;
                tab.call_method(SetDeviceMetricsOverride {
                    width: *width,
                    height: *height,
                    device_scale_factor: 1.0,
                    mobile: *width < 600,
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
                })?;
                tab.call_method(SetEmulatedMedia {
                    media: matches!(action, Action::PrintMedia).then(|| "print".to_string()),
                    features: Some(vec![MediaFeature {
                        name: "prefers-color-scheme".into(),
                        value: scheme.into(),
                    }]),
                })?;
                let url = format!("file://{}", site.join(page).display());
                tab.navigate_to(&url)?.wait_until_navigated()?;
                prepare(&tab, action)?;
                let png =
                    tab.capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true)?;
                let file = out.join(format!("{name}-{scheme}-{size}.png"));
                std::fs::write(&file, png)?;
                written += 1;
                let _ = tab.close(true);
            }
        }
    }
    eprintln!("wrote {written} screenshots to {}", out.display());
    Ok(())
}

fn prepare(tab: &Tab, action: &Action) -> Result<(), Box<dyn Error>> {
    match action {
        Action::Top | Action::PrintMedia => {}
        Action::ScrollTo(selector) => {
            tab.evaluate(
                &format!(
                    "document.querySelector('{selector}').scrollIntoView({{block: 'center'}})"
                ),
                false,
            )?;
        }
        Action::Search(query) => {
            tab.find_element("#labsite-search")?.click()?;
            tab.type_str(query)?;
            if !wait_true(tab, "!!document.querySelector('.search-result')") {
                return Err("no search results appeared".into());
            }
        }
    }
    std::thread::sleep(Duration::from_millis(300));
    Ok(())
}

fn wait_true(tab: &Tab, js: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
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

fn launch() -> Result<Browser, Box<dyn Error>> {
    let path = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| {
            [
                "/usr/bin/chromium",
                "/usr/bin/chromium-browser",
                "/usr/bin/google-chrome",
            ]
            .into_iter()
            .map(PathBuf::from)
            .find(|p| Path::new(p).is_file())
        })
        .ok_or("Chromium not found: install it or set CHROMIUM")?;
    let args: Vec<&OsStr> = ["--disable-gpu", "--no-first-run", "--hide-scrollbars"]
        .iter()
        .map(OsStr::new)
        .collect();
    let options = LaunchOptions::default_builder()
        .path(Some(path))
        .headless(true)
        .sandbox(false)
        .window_size(Some((1280, 900)))
        .args(args)
        .build()?;
    Ok(Browser::new(options)?)
}
