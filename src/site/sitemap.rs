//! Absolute URLs for publishing: `<link rel="canonical">`, Open Graph's `og:url`
//! and `sitemap.xml`. They exist only when the site's `base_url` is an absolute
//! `http(s)` URL; every link inside the site stays relative either way.

use std::path::Path;

use crate::markdown::highlight::escape_html;
use crate::urlpath::site_path;

/// Where the sitemap is written.
pub const SITEMAP: &str = "sitemap.xml";

/// The absolute URL of the file at `output` (relative to the output folder) when
/// `base_url` (ending in `/`) is absolute; a folder's `index.html` is named by
/// its folder, as hosts serve it (`https://x.github.io/lab/chapter-1/`).
pub fn absolute_url(base_url: &str, output: &Path) -> Option<String> {
    let lower = base_url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return None;
    }
    let path = site_path(output);
    let path = match path.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => dir,
        _ => &path,
    };
    Some(format!("{base_url}{path}"))
}

/// `sitemap.xml` listing `outputs` (in page order), or `None` without an absolute base URL.
pub fn sitemap<'a>(base_url: &str, outputs: impl Iterator<Item = &'a Path>) -> Option<String> {
    absolute_url(base_url, Path::new(""))?;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for output in outputs {
        if let Some(url) = absolute_url(base_url, output) {
            xml.push_str(&format!("  <url><loc>{}</loc></url>\n", escape_html(&url)));
        }
    }
    xml.push_str("</urlset>\n");
    Some(xml)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_urls_only_with_an_absolute_base() {
        let base = "https://x.github.io/lab/";
        let url = |p: &str| absolute_url(base, Path::new(p));
        assert_eq!(
            url("index.html").as_deref(),
            Some("https://x.github.io/lab/")
        );
        assert_eq!(
            url("chapter 1/index.html").as_deref(),
            Some("https://x.github.io/lab/chapter%201/")
        );
        assert_eq!(
            url("c/extra.html").as_deref(),
            Some("https://x.github.io/lab/c/extra.html")
        );
        assert_eq!(
            url("c/myindex.html").as_deref(),
            Some("https://x.github.io/lab/c/myindex.html")
        );
        assert_eq!(absolute_url("/lab/", Path::new("index.html")), None);
        assert_eq!(absolute_url("", Path::new("index.html")), None);
    }

    #[test]
    fn sitemap_lists_every_page() {
        let outputs = [Path::new("index.html"), Path::new("a&b/index.html")];
        let xml = sitemap("https://e.org/", outputs.into_iter()).unwrap();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset"));
        assert!(xml.contains("<url><loc>https://e.org/</loc></url>"));
        assert!(
            xml.contains("<url><loc>https://e.org/a&amp;b/</loc></url>"),
            "{xml}"
        );
        assert!(sitemap("/sub/", outputs.into_iter()).is_none());
    }
}
