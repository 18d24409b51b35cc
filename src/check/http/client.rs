//! One URL, checked the way a browser would reach it: HEAD first, GET when the
//! server refuses HEAD (or when the page's ids are wanted), redirects followed
//! one hop at a time so that a permanent one can be reported, retries with
//! backoff, `Retry-After` honoured, every wait bounded by the run's deadline.

use std::io::Read;
use std::time::{Duration, Instant};

use super::throttle::Throttle;
use super::{Job, Outcome};
use crate::check::url::Url;
use crate::markdown::html;
use crate::workshop::config::checks::ExternalLinksConfig;
use crate::workshop::config::duration;

/// A browser's User-Agent: many sites answer unknown clients with 403.
pub const BROWSER_USER_AGENT: &str =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const MAX_REDIRECTS: usize = 10;
/// The longest `Retry-After` waited for; a server asking for more counts as failing.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// The most of a page read when looking for its ids.
const MAX_BODY: u64 = 8 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Head,
    Get,
}

/// What a server answered.
#[derive(Debug)]
struct Reply {
    status: u16,
    location: Option<String>,
    retry_after: Option<Duration>,
    body: Option<String>,
}

/// Why no answer came.
#[derive(Debug)]
enum Failure {
    /// No answer in time: worth another try, but not with another method.
    Timeout(String),
    /// Worth another try: a refused or reset connection.
    Transient(String),
    /// Not worth another try: no such host, a bad URL, a TLS error.
    Permanent(String),
    /// The run's deadline passed.
    Deadline,
}

pub struct Client<'a> {
    agent: ureq::Agent,
    config: &'a ExternalLinksConfig,
    throttle: Throttle,
    deadline: Instant,
}

impl<'a> Client<'a> {
    pub fn new(config: &'a ExternalLinksConfig, deadline: Instant) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(config.user_agent.as_deref().unwrap_or(BROWSER_USER_AGENT))
            .accept("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
            .build()
            .new_agent();
        Client {
            agent,
            config,
            throttle: Throttle::new(config.per_host, config.interval),
            deadline,
        }
    }

    /// Checks one URL, following redirects.
    pub fn check(&self, job: &Job) -> Outcome {
        let mut url = job.url.clone();
        let mut permanent = false;
        for _ in 0..=MAX_REDIRECTS {
            let reply = match self.fetch(&url, job.want_anchors) {
                Ok(r) => r,
                Err(Failure::Timeout(m) | Failure::Transient(m) | Failure::Permanent(m)) => {
                    return Outcome::Failed { message: m }
                }
                Err(Failure::Deadline) => return not_checked(self.config),
            };
            if (300..400).contains(&reply.status) && reply.status != 304 {
                if let Some(location) = &reply.location {
                    permanent |= matches!(reply.status, 301 | 308);
                    url = join(&url, location);
                    continue;
                }
            }
            if !self.config.accepts(reply.status) {
                return Outcome::Failed {
                    message: status_message(&reply),
                };
            }
            return Outcome::Ok {
                status: reply.status,
                redirect: permanent.then_some(url),
                anchors: reply.body.map(|b| anchors(&b)),
            };
        }
        Outcome::Failed {
            message: format!("more than {MAX_REDIRECTS} redirects"),
        }
    }

    /// One hop: HEAD, or GET when HEAD is refused or the body is wanted.
    fn fetch(&self, url: &str, want_body: bool) -> Result<Reply, Failure> {
        if want_body {
            return self.exchange(Method::Get, url, true);
        }
        match self.exchange(Method::Head, url, false) {
            Ok(r)
                if self.config.accepts(r.status)
                    || (300..400).contains(&r.status)
                    || r.status == 429 =>
            {
                Ok(r)
            }
            // Many servers answer HEAD with 403, 404, 405 or 501, or drop it, yet serve GET.
            Ok(_) | Err(Failure::Transient(_)) => self.exchange(Method::Get, url, false),
            // A server that does not answer HEAD in time is not asked again with GET.
            Err(e) => Err(e),
        }
    }

    /// One request, retried after transient failures, 429 and 5xx answers.
    fn exchange(&self, method: Method, url: &str, want_body: bool) -> Result<Reply, Failure> {
        let host = Url::parse(url)
            .map(|u| u.host.to_string())
            .unwrap_or_default();
        let mut attempt = 0;
        loop {
            let result = {
                let Some(_permit) = self.throttle.acquire(&host, self.deadline) else {
                    return Err(Failure::Deadline);
                };
                self.send(method, url, want_body)
            };
            let wait = match &result {
                Ok(r) if matches!(r.status, 429 | 503) => {
                    r.retry_after.unwrap_or_else(|| backoff(attempt))
                }
                Ok(r) if matches!(r.status, 500 | 502 | 504) => backoff(attempt),
                Err(Failure::Timeout(_) | Failure::Transient(_)) => backoff(attempt),
                _ => return result,
            };
            let in_time = Instant::now() + wait < self.deadline;
            if attempt >= self.config.retries || wait > MAX_RETRY_AFTER || !in_time {
                return result;
            }
            std::thread::sleep(wait);
            attempt += 1;
        }
    }

    fn send(&self, method: Method, url: &str, want_body: bool) -> Result<Reply, Failure> {
        let remaining = self.deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(Failure::Deadline);
        }
        let timeout = self.config.timeout.min(remaining);
        let request = match method {
            Method::Head => self.agent.head(url),
            Method::Get => self.agent.get(url),
        };
        let mut response = request
            .config()
            .timeout_global(Some(timeout))
            .build()
            .call()
            .map_err(|e| match failure(e, timeout) {
                // Cut short by the run's deadline rather than by the site.
                Failure::Timeout(_) if timeout < self.config.timeout => Failure::Deadline,
                other => other,
            })?;
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let status = response.status().as_u16();
        let location = header("location");
        let retry_after = header("retry-after").and_then(|v| parse_retry_after(&v));
        let body = if want_body && (200..300).contains(&status) {
            let mut bytes = Vec::new();
            response
                .body_mut()
                .as_reader()
                .take(MAX_BODY)
                .read_to_end(&mut bytes)
                .map_err(|e| Failure::Transient(format!("reading the page failed: {e}")))?;
            Some(String::from_utf8_lossy(&bytes).into_owned())
        } else {
            None
        };
        Ok(Reply {
            status,
            location,
            retry_after,
            body,
        })
    }
}

fn not_checked(config: &ExternalLinksConfig) -> Outcome {
    Outcome::NotChecked {
        message: format!(
            "not checked: the external check's deadline ({}) passed first",
            duration::show(config.deadline)
        ),
    }
}

fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(500) * 2u32.saturating_pow(attempt.min(6))
}

fn failure(e: ureq::Error, timeout: Duration) -> Failure {
    use ureq::Error;
    match e {
        Error::Timeout(_) => {
            Failure::Timeout(format!("no answer within {}", duration::show(timeout)))
        }
        Error::ConnectionFailed => Failure::Transient("the connection failed".to_string()),
        Error::Io(e) if is_dns_failure(&e) => {
            Failure::Permanent("host not found (DNS)".to_string())
        }
        Error::Io(e) => Failure::Transient(format!("the connection failed: {e}")),
        Error::HostNotFound => Failure::Permanent("host not found (DNS)".to_string()),
        Error::BadUri(u) => Failure::Permanent(format!("invalid URL: {u}")),
        other => {
            let text = other.to_string();
            if text.to_ascii_lowercase().contains("tls") || text.contains("certificate") {
                Failure::Permanent(format!("TLS error: {text}"))
            } else {
                Failure::Permanent(text)
            }
        }
    }
}

/// Whether an I/O error is a failed name lookup, which trying again will not mend.
fn is_dns_failure(e: &std::io::Error) -> bool {
    let text = e.to_string().to_ascii_lowercase();
    [
        "lookup address",
        "name or service not known",
        "nodename nor servname",
        "no such host",
    ]
    .iter()
    .any(|m| text.contains(m))
}

fn status_message(reply: &Reply) -> String {
    let reason = ureq::http::StatusCode::from_u16(reply.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let mut message = format!("{} {reason}", reply.status).trim_end().to_string();
    if let Some(wait) = reply
        .retry_after
        .filter(|_| matches!(reply.status, 429 | 503))
    {
        message.push_str(&format!(
            " (the server asks to wait {})",
            duration::show(wait)
        ));
    }
    message
}

/// `Retry-After`: a number of seconds or an HTTP date.
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// A redirect's `Location`, made absolute against the URL that answered.
fn join(base: &str, location: &str) -> String {
    if location.contains("://") && Url::parse(location).is_some() {
        return location.to_string();
    }
    let Some(base_url) = Url::parse(base) else {
        return location.to_string();
    };
    if location.starts_with("//") {
        return format!("{}:{location}", base_url.scheme);
    }
    if location.starts_with('/') {
        return format!("{}{location}", base_url.origin);
    }
    let dir = base_url
        .path
        .rfind('/')
        .map_or("/", |i| &base_url.path[..=i]);
    format!("{}{dir}{location}", base_url.origin)
}

/// Every `id` and `name` in an HTML page.
pub fn anchors(body: &str) -> Vec<String> {
    let mut out: Vec<String> = html::tags(body)
        .into_iter()
        .flat_map(|t| t.attrs.into_iter())
        .filter(|a| (a.name == "id" || a.name == "name") && !a.value.is_empty())
        .map(|a| a.value)
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_locations_become_absolute() {
        let base = "https://a.example/docs/page?x=1";
        assert_eq!(join(base, "https://b.example/new"), "https://b.example/new");
        assert_eq!(join(base, "//c.example/x"), "https://c.example/x");
        assert_eq!(join(base, "/root"), "https://a.example/root");
        assert_eq!(join(base, "other"), "https://a.example/docs/other");
        assert_eq!(
            join("http://127.0.0.1:8080", "ok"),
            "http://127.0.0.1:8080/ok"
        );
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        assert_eq!(parse_retry_after(" 2 "), Some(Duration::from_secs(2)));
        let past = parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        assert_eq!(past, Duration::ZERO);
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn page_ids_and_names() {
        let page = r#"<h2 id="intro">x</h2><a name="old"></a><div id="intro"><p id="">"#;
        assert_eq!(anchors(page), vec!["intro", "old"]);
    }

    #[test]
    fn status_messages_name_the_reason() {
        let reply = |status, retry_after| Reply {
            status,
            location: None,
            retry_after,
            body: None,
        };
        assert_eq!(status_message(&reply(404, None)), "404 Not Found");
        assert_eq!(
            status_message(&reply(429, Some(Duration::from_secs(3600)))),
            "429 Too Many Requests (the server asks to wait 1h)"
        );
    }
}
