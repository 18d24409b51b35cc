//! GitHub's emoji shortcodes: `:tada:` in text shows as 🎉, as on GitHub.
//!
//! Only the shown text changes: heading ids are made from the text as written,
//! which is what GitHub does too.

use std::sync::OnceLock;

use regex::{Captures, Regex};

/// The text with every known `:shortcode:` replaced by its emoji, or `None` when
/// there is none (the common case, without allocating).
pub fn replace(text: &str) -> Option<String> {
    if !text.contains(':') {
        return None;
    }
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r":([a-z0-9_+\-]+):").expect("valid regex"));
    let mut found = false;
    let out = re.replace_all(text, |c: &Captures| match emojis::get_by_shortcode(&c[1]) {
        Some(e) => {
            found = true;
            e.as_str().to_string()
        }
        None => c[0].to_string(),
    });
    found.then(|| out.into_owned())
}

#[cfg(test)]
mod tests {
    use super::replace;

    #[test]
    fn known_shortcodes_become_emoji() {
        assert_eq!(
            replace("Done :tada: and :+1:").as_deref(),
            Some("Done 🎉 and 👍")
        );
        assert_eq!(replace("no emoji here"), None);
        assert_eq!(replace("time 10:30:00 and :not_an_emoji_name:"), None);
        assert_eq!(replace(":rocket::fire:").as_deref(), Some("🚀🔥"));
    }

    #[test]
    fn pages_show_emoji_but_ids_keep_the_words() {
        use std::path::Path;
        let md = "## Done :tada:\n\nShip it :rocket: now, not in `code :rocket:`.\n";
        let doc = crate::markdown::render(
            md,
            0,
            Path::new("a.md"),
            Path::new("a.html"),
            &Default::default(),
            &crate::markdown::Highlighter::new(),
        );
        assert!(doc.html.contains("Done 🎉"), "{}", doc.html);
        assert!(doc.html.contains("Ship it 🚀 now"));
        assert!(doc.html.contains("<code>code :rocket:</code>"));
        assert_eq!(
            doc.headings[0].id, "done-tada",
            "as GitHub, from the text as written"
        );
    }
}
