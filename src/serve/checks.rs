//! The preview's check API: `POST /_labsite/verify/<chapter>/<id>` runs one check
//! of the built site, for pages of this server only, once for everyone asking at
//! the same time.

use std::sync::{Arc, Condvar, Mutex};

use tiny_http::Request;

use super::{http, Shared};

/// One run of a check that several requests may wait for.
#[derive(Default)]
pub(super) struct Flight {
    result: Mutex<Option<String>>,
    done: Condvar,
}

/// `POST /_labsite/verify/<chapter>/<id>` runs one check of the built site.
pub(super) const VERIFY_API: &str = "_labsite/verify/";

/// Refuses verify requests from other sites (Origin and Host must be this server,
/// which also defeats DNS rebinding), bodies over the limit, and, beyond loopback,
/// requests without the token printed at start.
pub(super) fn authorize(request: &Request, shared: &Shared) -> Result<(), http::Reply> {
    let header = |name: &str| {
        request
            .headers()
            .iter()
            .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str().to_string())
    };
    let port = shared.authority.rsplit(':').next().unwrap_or("");
    let ours = |authority: &str| {
        authority == shared.authority
            || [
                format!("localhost:{port}"),
                format!("127.0.0.1:{port}"),
                format!("[::1]:{port}"),
            ]
            .iter()
            .any(|a| a == authority)
    };
    if let Some(host) = header("Host") {
        if !ours(&host) {
            return Err(http::json(
                403,
                r#"{"error":"unknown Host: open the site at the address labsite printed"}"#,
            ));
        }
    }
    if let Some(origin) = header("Origin") {
        let authority = origin.strip_prefix("http://").unwrap_or("");
        if !ours(authority) {
            return Err(http::json(
                403,
                r#"{"error":"cross-origin requests may not run checks"}"#,
            ));
        }
    }
    if request.body_length().unwrap_or(0) > http::MAX_BODY {
        return Err(http::json(413, r#"{"error":"request body too large"}"#));
    }
    if let Some(token) = &shared.token {
        let given = header("X-Labsite-Token");
        if given.as_deref() != Some(token.as_str()) {
            return Err(http::json(
                401,
                r#"{"error":"this server needs the token it printed at start: open the URL with ?token=…"}"#,
            ));
        }
    }
    Ok(())
}

/// Runs the check `chapter/id` once for everyone asking at the same time.
pub(super) fn run_check(name: &str, shared: &Shared) -> http::Reply {
    let name = percent_encoding::percent_decode_str(name)
        .decode_utf8_lossy()
        .into_owned();
    let Some((chapter, id)) = name.rsplit_once('/') else {
        return http::json(404, r#"{"error":"name a check as <chapter>/<id>"}"#);
    };
    let plan = shared
        .preview
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .derived();
    let Some(plan) = plan else {
        return http::json(503, r#"{"error":"the site has not built yet"}"#);
    };
    let Some(check) = plan.find(chapter, id).cloned() else {
        return http::json(404, r#"{"error":"no such check in this site"}"#);
    };
    let (flight, leader) = {
        let mut running = shared.running.lock().unwrap_or_else(|e| e.into_inner());
        match running.get(&name) {
            Some(f) => (f.clone(), false),
            None => {
                let f = Arc::new(Flight::default());
                running.insert(name.clone(), f.clone());
                (f, true)
            }
        }
    };
    if leader {
        let result = plan.run_one(&check);
        let body =
            serde_json::to_string(&result).unwrap_or_else(|e| format!(r#"{{"error":"{e}"}}"#));
        shared
            .running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&name);
        *flight.result.lock().unwrap_or_else(|e| e.into_inner()) = Some(body);
        flight.done.notify_all();
    }
    let mut result = flight.result.lock().unwrap_or_else(|e| e.into_inner());
    while result.is_none() {
        result = flight.done.wait(result).unwrap_or_else(|e| e.into_inner());
    }
    http::json(200, result.as_deref().unwrap_or("{}"))
}
