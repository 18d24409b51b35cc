//! `labsite serve`: the preview server.
//!
//! tiny_http serves the site from memory ([`site::preview`]), a pool of workers
//! answers requests so one slow client never blocks the others, notify
//! ([`watch`]) triggers incremental rebuilds, and open pages hear about them
//! over Server-Sent Events ([`events`]) and reload or swap their CSS. A failed
//! rebuild keeps the last good site and shows an overlay with file and line.

mod events;
mod http;

pub mod watch;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::json;
use tiny_http::{Method, Request, Server};

use crate::diag::{Diagnostic, Errors};
use crate::markdown::Rendered;
use crate::site::preview::{self, Outcome};
use crate::site::BuildOptions;
use crate::verify::Plan;
use events::Hub;
/// How a request path is decoded and confined to the site (public for the fuzz target).
pub use http::site_path;

/// The site in memory, with the checks its pages show (which the verify API may run).
type Preview = preview::Preview<Arc<Plan>>;

/// The checks of a good build; a bad verify block fails the build, as `labsite build` does.
fn plan_of(rendered: &Rendered) -> Result<Arc<Plan>, Errors> {
    Plan::new(rendered).into_result().map(Arc::new)
}

/// Threads answering ordinary requests (event streams get their own).
const WORKERS: usize = 8;

/// Options of `labsite serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub host: String,
    pub port: u16,
    pub build: BuildOptions,
}

/// What the server has to tell the person running it. The library never prints:
/// the front end that started the server decides how each notice is shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// The first build failed: pages show these errors until they are fixed.
    FirstBuildFailed(Vec<Diagnostic>),
    /// The port asked for was busy; another was taken.
    PortBusy { wanted: u16, got: u16 },
    /// Listening; beyond loopback, live checks need `token`.
    Serving { url: String, token: Option<String> },
    /// A rebuild after a save: these site paths changed (`None`: every page).
    Rebuilt {
        pages: Option<Vec<String>>,
        took: Duration,
    },
    /// Only the theme's stylesheets changed.
    StylesUpdated { took: Duration },
    /// A rebuild failed; the last good site is still served.
    RebuildFailed(Vec<Diagnostic>),
}

/// Where notices go; called from the server's threads.
pub type Notify = Arc<dyn Fn(Notice) + Send + Sync>;

/// State shared by the workers, the watcher and the event streams.
struct Shared {
    preview: RwLock<Preview>,
    hub: Hub,
    /// `host:port` the server answers as, for Origin checks.
    authority: String,
    /// Required by the verify API when serving beyond loopback.
    token: Option<String>,
    /// Checks running now, so that concurrent presses of one check share its run.
    running: Mutex<HashMap<String, Arc<Flight>>>,
}

/// One run of a check that several requests may wait for.
#[derive(Default)]
struct Flight {
    result: Mutex<Option<String>>,
    done: Condvar,
}

/// A running preview server.
pub struct Running {
    pub url: String,
    server: Arc<Server>,
    stop: Arc<AtomicBool>,
    workers: Vec<thread::JoinHandle<()>>,
}

impl Running {
    /// Stops accepting requests and waits for the workers.
    pub fn stop(self) {
        self.stop.store(true, Ordering::SeqCst);
        for _ in &self.workers {
            self.server.unblock();
        }
        for w in self.workers {
            let _ = w.join();
        }
    }
}

/// Builds the site, binds the address and starts serving; returns at once.
pub fn start(opts: &ServeOptions, notify: Notify) -> Result<Running, Diagnostic> {
    let preview = Preview::new(&opts.root, opts.build.clone(), plan_of);
    if !preview.errors.is_empty() {
        notify(Notice::FirstBuildFailed(preview.errors.clone()));
    }
    let (server, addr) = bind(&opts.host, opts.port)?;
    if addr.port() != opts.port && opts.port != 0 {
        notify(Notice::PortBusy {
            wanted: opts.port,
            got: addr.port(),
        });
    }
    let loopback = addr.ip().is_loopback();
    let token = (!loopback).then(new_token);
    let host = if addr.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        fmt_ip(addr.ip())
    };
    let url = format!("http://{host}:{}/", addr.port());
    let shared = Arc::new(Shared {
        preview: RwLock::new(preview),
        hub: Hub::default(),
        authority: format!("{host}:{}", addr.port()),
        token,
        running: Mutex::new(HashMap::new()),
    });
    spawn_watcher(&shared, &opts.root, notify.clone())?;

    let server = Arc::new(server);
    let stop = Arc::new(AtomicBool::new(false));
    let workers = (0..WORKERS)
        .map(|_| {
            let (server, shared, stop) = (server.clone(), shared.clone(), stop.clone());
            thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    match server.recv() {
                        Ok(request) => handle(request, &shared),
                        Err(_) => break,
                    }
                }
            })
        })
        .collect();
    notify(Notice::Serving {
        url: url.clone(),
        token: shared.token.clone(),
    });
    Ok(Running {
        url,
        server,
        stop,
        workers,
    })
}

fn fmt_ip(ip: IpAddr) -> String {
    match ip {
        IpAddr::V6(v6) => format!("[{v6}]"),
        IpAddr::V4(v4) => v4.to_string(),
    }
}

/// Binds `host:port`; a busy port falls back to a free one.
fn bind(host: &str, port: u16) -> Result<(Server, SocketAddr), Diagnostic> {
    let bad_host = || {
        Diagnostic::error("--host", format!("`{host}` is not an address to listen on"))
            .with_hint("use an IP address such as 127.0.0.1 or 0.0.0.0, or localhost")
    };
    let ip: IpAddr = if host == "localhost" {
        IpAddr::from([127, 0, 0, 1])
    } else {
        host.parse().map_err(|_| bad_host())?
    };
    let attempt = |port: u16| Server::http(SocketAddr::new(ip, port));
    let server = match attempt(port) {
        Ok(s) => s,
        Err(_) if port != 0 => attempt(0)
            .map_err(|e| Diagnostic::error("--port", format!("cannot listen on {host}: {e}")))?,
        Err(e) => {
            return Err(Diagnostic::error(
                "--port",
                format!("cannot listen on {host}:{port}: {e}"),
            ))
        }
    };
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| Diagnostic::error("--host", "not an IP address"))?;
    Ok((server, addr))
}

fn new_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut bytes = [0u8; 16];
    let from_os = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes));
    if from_os.is_err() {
        for chunk in bytes.chunks_mut(8) {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(Instant::now().elapsed().as_nanos());
            chunk.copy_from_slice(&h.finish().to_le_bytes()[..chunk.len()]);
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Rebuilds on every burst of changes and tells the open pages.
fn spawn_watcher(shared: &Arc<Shared>, root: &Path, notify: Notify) -> Result<(), Diagnostic> {
    let (root, content, output) = {
        let p = shared.preview.read().unwrap_or_else(|e| e.into_inner());
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let content = p.content_dir().map(Path::to_path_buf).unwrap_or_else(|| {
            let c = root.join(crate::workshop::CONTENT_DIR);
            if c.is_dir() {
                c
            } else {
                root.clone()
            }
        });
        let output = p
            .output_dir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| root.join(crate::workshop::DEFAULT_OUTPUT));
        (root, content, output)
    };
    let (watcher, rx) = watch::start(&root, &content).map_err(|e| {
        Diagnostic::error(&root, format!("cannot watch the workshop for changes: {e}"))
    })?;
    let shared = shared.clone();
    thread::spawn(move || {
        let _watcher = watcher;
        while let Some(paths) = watch::next_batch(&rx) {
            let started = Instant::now();
            let mut preview = shared.preview.write().unwrap_or_else(|e| e.into_inner());
            let changes = watch::classify(&paths, &root, &content, &output, &|rel| {
                preview.has(&crate::diag::display_path(rel))
            });
            if changes == preview::Changes::default() {
                continue;
            }
            let outcome = preview.update(&changes);
            let version = preview.version;
            drop(preview);
            let message = match &outcome {
                Outcome::Reload(pages) => {
                    json!({"type": "reload", "version": version, "pages": pages})
                }
                Outcome::Css => json!({"type": "css", "version": version}),
                Outcome::Failed(errors) => json!({"type": "error", "errors": errors}),
                Outcome::Unchanged => json!({"type": "ok", "version": version}),
            };
            shared.hub.broadcast(&message.to_string());
            let took = started.elapsed();
            match outcome {
                Outcome::Reload(pages) => notify(Notice::Rebuilt { pages, took }),
                Outcome::Css => notify(Notice::StylesUpdated { took }),
                Outcome::Failed(errors) => notify(Notice::RebuildFailed(errors)),
                Outcome::Unchanged => {}
            }
        }
    });
    Ok(())
}

/// `POST /_labsite/verify/<chapter>/<id>` runs one check of the built site.
const VERIFY_API: &str = "_labsite/verify/";

/// Refuses verify requests from other sites (Origin and Host must be this server,
/// which also defeats DNS rebinding), bodies over the limit, and, beyond loopback,
/// requests without the token printed at start.
fn authorize(request: &Request, shared: &Shared) -> Result<(), http::Reply> {
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
fn run_check(name: &str, shared: &Shared) -> http::Reply {
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

fn handle(request: Request, shared: &Arc<Shared>) {
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
