//! The preview server's request paths: whatever a client sends, the path it
//! serves is confined to the site (no `..`, no NUL, no backslash, no leading
//! `/`), and the redirect it may answer with is a valid header value that leads
//! back to the same path.
#![no_main]

use labsite::urlpath::encode_path;
use labsite::serve::site_path;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let url = String::from_utf8_lossy(data);
    let Ok(path) = site_path(&url) else {
        return;
    };
    assert!(!path.starts_with('/'), "{url:?} -> {path:?}");
    assert!(!path.contains(['\0', '\\']), "{url:?} -> {path:?}");
    let trimmed = path.strip_suffix('/').unwrap_or(&path);
    if !trimmed.is_empty() {
        for seg in trimmed.split('/') {
            assert!(
                !seg.is_empty() && seg != "." && seg != "..",
                "{url:?} -> {path:?}"
            );
        }
    }
    let location = format!("/{}", encode_path(&path));
    assert!(
        location.bytes().all(|b| b.is_ascii_graphic()),
        "redirect {location:?} is not a header value"
    );
    assert_eq!(
        site_path(&location).as_deref(),
        Ok(path.as_str()),
        "{url:?}"
    );
});
