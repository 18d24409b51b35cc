//! Answers one request: the event stream, the live-reload script, the check
//! API, and the site's files (its 404 page for anything else).

use std::sync::Arc;
use std::thread;

use serde_json::json;
use tiny_http::{Method, Request};

use super::checks::{authorize, run_check, VERIFY_API};
use super::{events, http, Shared};

/// Answers `request`; never panics on what a client sends.
pub(super) fn handle(request: Request, shared: &Arc<Shared>) {
    let path = match http::site_path(request.url()) {
        Ok(p) => p,
        Err(status) => {
            let _ = request.respond(http::text(status, "bad path"));
            return;
        }
    };
    let method = request.method().clone();
    match (&method, path.as_str()) {
        (Method::Get, "_labsite/events") => {
            let Some(rx) = shared.hub.subscribe() else {
                let _ = request.respond(http::text(503, "too many open pages"));
                return;
            };
            let hello = {
                let p = shared.preview.read().unwrap_or_else(|e| e.into_inner());
                json!({"type": "hello", "version": p.version, "errors": p.errors}).to_string()
            };
            let out = request.into_writer();
            thread::spawn(move || events::stream(out, rx, hello));
        }
        (Method::Get | Method::Head, http::LIVE_SCRIPT_PATH) => {
            let _ = request.respond(http::reply(
                200,
                "text/javascript; charset=utf-8",
                http::LIVE_SCRIPT.as_bytes().to_vec(),
            ));
        }
        (Method::Post, p) if p.starts_with(VERIFY_API) => {
            if let Err(reply) = authorize(&request, shared) {
                let _ = request.respond(reply);
                return;
            }
            let name = p[VERIFY_API.len()..].to_string();
            let shared = shared.clone();
            // A check may take a while: its own thread keeps the workers free.
            thread::spawn(move || {
                let reply = run_check(&name, &shared);
                let _ = request.respond(reply);
            });
        }
        (Method::Get | Method::Head, _) => {
            let reply = file_reply(&path, shared);
            let _ = request.respond(reply);
        }
        _ => {
            let _ = request.respond(http::text(405, "method not allowed"));
        }
    }
}

/// The file at a site path, `index.html` for folders, the site's 404 page otherwise.
fn file_reply(path: &str, shared: &Shared) -> http::Reply {
    let lookup = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    let stale = shared
        .preview
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .is_stale(&lookup);
    if stale {
        shared
            .preview
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .refresh_workshop_pages();
    }
    let preview = shared.preview.read().unwrap_or_else(|e| e.into_inner());
    let version = preview.version;
    let found = preview.get(&lookup);
    if found.is_none()
        && !path.is_empty()
        && !path.ends_with('/')
        && preview.has(&format!("{path}/index.html"))
    {
        return http::redirect(&format!("/{}/", crate::urlpath::encode_path(path)));
    }
    let (status, name, served) = match found {
        Some(s) => (200, lookup, s),
        None => match preview.get("404.html") {
            Some(s) => (404, "404.html".to_string(), s),
            // The first build failed: there is no site yet, only its errors.
            None if !preview.errors.is_empty() => {
                let (root, errors) = (preview.root().to_path_buf(), preview.errors.clone());
                drop(preview);
                return http::build_failed(&root, &errors, version);
            }
            None => return http::text(404, "not found"),
        },
    };
    drop(preview);
    match http::bytes_of(&served) {
        Ok(bytes) => {
            let content_type = http::mime(&name);
            let body = if content_type.starts_with("text/html") {
                http::inject_live_script(bytes, version)
            } else {
                bytes
            };
            http::reply(status, content_type, body)
        }
        Err(_) => http::text(404, "not found"),
    }
}
