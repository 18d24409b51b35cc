//! Answering one HTTP request: decoding and confining its path to the site,
//! finding the file in the in-memory site, MIME types, the live-reload script
//! injected into HTML, the site's own 404 page, and the theme's error page while
//! the site has never built.

use std::io::Cursor;
use std::path::Path;

use serde::Serialize;
use tiny_http::{Header, Response, StatusCode};

use crate::diag::Diagnostic;
use crate::site::preview::Served;
use crate::site::theme::Theme;
use crate::workshop::Config;

/// Size of a request body the server reads at most.
pub const MAX_BODY: usize = 64 * 1024;

/// The script the server adds to every HTML page it serves (never to built sites).
pub const LIVE_SCRIPT: &str = include_str!("live.js");
pub const LIVE_SCRIPT_PATH: &str = "_labsite/live.js";

pub type Reply = Response<Cursor<Vec<u8>>>;

/// A request path made safe: percent-decoded, no `..`, no NUL, `/`-separated, without the
/// leading slash (`""` for the root). `Err` carries the status to answer with.
pub fn site_path(url: &str) -> Result<String, u16> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| 400u16)?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return Err(400);
    }
    let mut parts: Vec<&str> = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return Err(404),
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if decoded.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Ok(out)
}

/// The MIME type of a file by its extension.
pub fn mime(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => "application/xml",
        "txt" | "md" | "sh" | "ps1" | "py" | "yaml" | "yml" | "bicep" | "tf" => {
            "text/plain; charset=utf-8"
        }
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}

pub fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

/// A response with preview headers: no caching, no sniffing.
pub fn reply(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
    Response::from_data(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
}

pub fn text(status: u16, body: &str) -> Reply {
    reply(
        status,
        "text/plain; charset=utf-8",
        body.as_bytes().to_vec(),
    )
}

pub fn json(status: u16, body: &str) -> Reply {
    reply(status, "application/json", body.as_bytes().to_vec())
}

pub fn redirect(location: &str) -> Reply {
    text(301, "moved").with_header(header("Location", location))
}

/// The theme's template of the page served while the site has never built.
pub const BUILD_FAILED_TEMPLATE: &str = "build-failed.html";

/// An error as the error page's template sees it.
#[derive(Serialize)]
struct ErrorView<'a> {
    /// As the command line shows it: `file:line:column: message`, then the hint.
    text: String,
    #[serde(flatten)]
    diagnostic: &'a Diagnostic,
}

/// The page served while the site of the workshop at `root` has never built: its
/// errors, and the live-reload script, which shows them as an overlay and reloads
/// the page once they are fixed. The workshop's theme draws it when it loads and
/// renders, else the built-in theme: the error may be in the workshop's theme.
pub fn build_failed(root: &Path, errors: &[Diagnostic], version: u64) -> Reply {
    let views: Vec<ErrorView> = errors
        .iter()
        .map(|d| ErrorView {
            text: d.to_string(),
            diagnostic: d,
        })
        .collect();
    let own = Config::load(root)
        .ok()
        .and_then(|config| Theme::for_config(root, &config).ok());
    let page = own
        .and_then(|theme| error_page(&theme, &views))
        .or_else(|| error_page(&Theme::builtin().ok()?, &views));
    match page {
        Some(page) => reply(
            503,
            "text/html; charset=utf-8",
            inject_live_script(page, version),
        ),
        // Only if the built-in theme were broken: the errors as they are.
        None => text(503, &crate::diag::Errors(errors.to_vec()).to_string()),
    }
}

fn error_page(theme: &Theme, errors: &[ErrorView]) -> Option<Vec<u8>> {
    let mut context = tera::Context::new();
    context.insert("errors", errors);
    theme.render(BUILD_FAILED_TEMPLATE, &context, 4096).ok()
}

/// Reads a served file's bytes.
pub fn bytes_of(served: &Served) -> std::io::Result<Vec<u8>> {
    match served {
        Served::Bytes(b) => Ok(b.to_vec()),
        Served::File(p) => std::fs::read(p),
    }
}

/// Adds the live-reload script to an HTML page, tagged with the site version it shows.
pub fn inject_live_script(html: Vec<u8>, version: u64) -> Vec<u8> {
    let tag =
        format!("<script src=\"/{LIVE_SCRIPT_PATH}\" data-version=\"{version}\" defer></script>\n");
    let text = String::from_utf8_lossy(&html);
    match text.rfind("</body>") {
        Some(i) => {
            let mut out = String::with_capacity(text.len() + tag.len());
            out.push_str(&text[..i]);
            out.push_str(&tag);
            out.push_str(&text[i..]);
            out.into_bytes()
        }
        None => {
            let mut out = html;
            out.extend_from_slice(tag.as_bytes());
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_decoded_and_confined() {
        assert_eq!(site_path("/"), Ok(String::new()));
        assert_eq!(
            site_path("/chapter%201/index.html?x=1"),
            Ok("chapter 1/index.html".into())
        );
        assert_eq!(site_path("/chapter-1/"), Ok("chapter-1/".into()));
        assert_eq!(site_path("//a/./b"), Ok("a/b".into()));
        assert_eq!(site_path("/../etc/passwd"), Err(404));
        assert_eq!(site_path("/%2e%2e/%2e%2e/etc/passwd"), Err(404));
        assert_eq!(site_path("/a/..%2f..%2fx"), Err(404));
        assert_eq!(site_path("/a%00b"), Err(400));
        assert_eq!(site_path("/a%5c..%5cb"), Err(400));
        assert_eq!(site_path("/%ff"), Err(400));
    }

    #[test]
    fn script_goes_before_the_end_of_body() {
        let out = String::from_utf8(inject_live_script(
            b"<html><body>x</body></html>".to_vec(),
            7,
        ))
        .unwrap();
        assert!(out.contains(
            "x<script src=\"/_labsite/live.js\" data-version=\"7\" defer></script>\n</body>"
        ));
    }

    fn body_of(reply: Reply) -> String {
        let mut body = String::new();
        std::io::Read::read_to_string(&mut reply.into_reader(), &mut body).unwrap();
        body
    }

    #[test]
    fn a_site_that_never_built_shows_its_errors() {
        let root = tempfile::tempdir().unwrap();
        let errors = [crate::diag::Diagnostic::error("workshop.yaml", "invalid <YAML>").at(1, 1)];
        let reply = build_failed(root.path(), &errors, 0);
        assert_eq!(reply.status_code().0, 503);
        let body = body_of(reply);
        assert!(
            body.contains("workshop.yaml:1:1: invalid &lt;YAML&gt;"),
            "{body}"
        );
        assert!(
            body.contains(LIVE_SCRIPT_PATH),
            "the overlay and the reload come with it"
        );
    }

    #[test]
    fn the_workshops_theme_draws_the_error_page_when_it_can() {
        let root = tempfile::tempdir().unwrap();
        let templates = root.path().join("themes/mine/templates");
        std::fs::create_dir_all(&templates).unwrap();
        std::fs::write(root.path().join("workshop.yaml"), "theme: mine\n").unwrap();
        std::fs::write(
            templates.join(BUILD_FAILED_TEMPLATE),
            "<html><body><ol>{% for e in errors %}<li data-line=\"{{ e.line }}\">{{ e.file }}: {{ e.message }}</li>{% endfor %}</ol></body></html>\n",
        )
        .unwrap();
        let errors = [Diagnostic::error("content/a.md", "unknown validator <v>").at(3, 1)];
        let body = body_of(build_failed(root.path(), &errors, 4));
        assert!(
            body.contains("<li data-line=\"3\">content/a.md: unknown validator &lt;v&gt;</li>"),
            "{body}"
        );
        assert!(body.contains("data-version=\"4\""), "{body}");

        // An override that does not render gives way to the built-in page.
        std::fs::write(templates.join(BUILD_FAILED_TEMPLATE), "{{ no_such_value }}").unwrap();
        let body = body_of(build_failed(root.path(), &errors, 4));
        assert!(body.contains("<h1>The site has errors</h1>"), "{body}");
        assert!(body.contains("content/a.md:3:1: unknown validator &lt;v&gt;"));
    }

    #[test]
    fn mime_types() {
        assert_eq!(mime("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(mime("x.SVG"), "image/svg+xml");
        assert_eq!(mime("noext"), "application/octet-stream");
    }
}
