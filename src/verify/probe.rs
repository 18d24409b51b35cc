//! Running a declarative validator's probes ([`super::declarative`]): a
//! command, an HTTP request, a file or a TCP port, each with its expectations.
//! All probes must pass; the first that does not decides the outcome.

use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;

use super::declarative::{JsonExpect, Probe, ProbeKind, Spec};
use super::process::{self, Exit};
use super::runner::Outcome;
use super::script::{last_line, missing_program};
use super::Status;
use crate::workshop::verify_block::show_value;

/// How much of an HTTP body is read for `contains`, `matches` and `json`.
const BODY_LIMIT: u64 = 1024 * 1024;

/// Where and how probes run.
pub struct Context<'a> {
    pub root: &'a Path,
    pub env: &'a [(String, String)],
    pub deadline: Instant,
    /// The validator's file, as shown to users.
    pub shown: &'a Path,
}

/// Runs every probe of `spec` filled from `with`, in order, until one does not pass.
pub fn run(spec: &Spec, with: &serde_yaml::Mapping, cx: &Context) -> Outcome {
    let probes = match spec.fill(with) {
        Ok(p) => p,
        Err(message) => return Outcome::new(Status::Error, message),
    };
    let mut passed = Vec::new();
    for (i, probe) in probes.iter().enumerate() {
        let result = match probe.kind() {
            Ok(ProbeKind::Command) => command(probe, cx),
            Ok(ProbeKind::Http) => http(probe, cx),
            Ok(ProbeKind::File) => file(probe, cx),
            Ok(ProbeKind::Tcp) => tcp(probe, cx),
            Err(problem) => Err((Status::Error, problem)),
        };
        match result {
            Ok(message) => passed.push(message),
            Err((status, reason)) => {
                let mut outcome = Outcome::new(status, reason.clone());
                if let Some(message) = probe.message.as_deref().filter(|m| !m.trim().is_empty()) {
                    if status == Status::Fail {
                        outcome.message = message.trim().to_string();
                        outcome.details = Some(json!({ "probe": i + 1, "reason": reason }));
                    }
                }
                return outcome;
            }
        }
    }
    Outcome::new(Status::Pass, passed.join("; "))
}

type ProbeResult = Result<String, (Status, String)>;

fn fail(message: impl Into<String>) -> (Status, String) {
    (Status::Fail, message.into())
}

fn remaining(cx: &Context) -> Result<Duration, (Status, String)> {
    let left = cx.deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        Err((Status::Timeout, String::new()))
    } else {
        Ok(left)
    }
}

fn command(probe: &Probe, cx: &Context) -> ProbeResult {
    let argv = probe.command.as_deref().unwrap_or_default();
    let shown = argv.join(" ");
    let program = &argv[0];
    let mut cmd = Command::new(program);
    cmd.args(&argv[1..])
        .current_dir(cx.root)
        .envs(cx.env.iter().map(|(k, v)| (k, v)));
    let out = process::run(&mut cmd, cx.deadline).map_err(|e| {
        let message = if e.kind() == std::io::ErrorKind::NotFound {
            format!(
                "{}, or correct `command`",
                missing_program(program, Some(cx.shown))
            )
        } else {
            format!("cannot run `{program}`: {e}")
        };
        (Status::Error, message)
    })?;
    let code = match out.exit {
        Exit::TimedOut => return Err((Status::Timeout, String::new())),
        Exit::Signal(s) => {
            return Err((Status::Error, format!("`{shown}` was killed by signal {s}")))
        }
        Exit::Code(c) => c,
    };
    let expected = probe.exit_code.unwrap_or(0);
    if code != expected {
        let why = last_line(&out.stderr.text)
            .or_else(|| last_line(&out.stdout.text))
            .map(|l| format!(": {l}"))
            .unwrap_or_default();
        return Err(fail(format!(
            "`{shown}` exited with {code}, expected {expected}{why}"
        )));
    }
    expect_text(probe, &out.stdout.text, &format!("the output of `{shown}`"))?;
    Ok(last_line(&out.stdout.text).unwrap_or_else(|| format!("`{shown}` exited with {code}")))
}

fn http(probe: &Probe, cx: &Context) -> ProbeResult {
    let url = probe.http.as_deref().unwrap_or_default();
    let method = probe
        .method
        .as_deref()
        .unwrap_or("GET")
        .to_ascii_uppercase();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(remaining(cx)?))
        .http_status_as_error(false)
        .build()
        .into();
    let request = ureq::http::Request::builder()
        .method(method.as_str())
        .uri(url)
        .body(())
        .map_err(|e| {
            (
                Status::Error,
                format!("cannot request `{method} {url}`: {e}"),
            )
        })?;
    let mut response = match agent.run(request) {
        Ok(r) => r,
        Err(ureq::Error::Timeout(_)) if Instant::now() >= cx.deadline => {
            return Err((Status::Timeout, String::new()))
        }
        Err(e) => return Err(fail(format!("{method} {url}: {e}"))),
    };
    let status = response.status().as_u16();
    let ok = match probe.status {
        Some(expected) => status == expected,
        None => (200..300).contains(&status),
    };
    if !ok {
        let expected = probe
            .status
            .map_or("a 2xx status".to_string(), |s| s.to_string());
        return Err(fail(format!(
            "{method} {url} answered {status}, expected {expected}"
        )));
    }
    if probe.contains.is_some() || probe.matches.is_some() || probe.json.is_some() {
        let body = response
            .body_mut()
            .with_config()
            .limit(BODY_LIMIT)
            .lossy_utf8(true)
            .read_to_string()
            .map_err(|e| fail(format!("{method} {url}: cannot read the body: {e}")))?;
        expect_text(probe, &body, &format!("the body of {url}"))?;
    }
    Ok(format!("{method} {url} answered {status}"))
}

fn file(probe: &Probe, cx: &Context) -> ProbeResult {
    let rel = probe.file.as_deref().unwrap_or_default();
    let path = cx.root.join(rel);
    let exists = path.exists();
    if probe.exists == Some(false) {
        return if exists {
            Err(fail(format!("{rel} exists, and should not")))
        } else {
            Ok(format!("{rel} does not exist"))
        };
    }
    if !exists {
        return Err(fail(format!("{rel} does not exist")));
    }
    if probe.contains.is_some() || probe.matches.is_some() {
        let bytes =
            std::fs::read(&path).map_err(|e| (Status::Error, format!("cannot read {rel}: {e}")))?;
        expect_text(probe, &String::from_utf8_lossy(&bytes), rel)?;
        if let Some(text) = &probe.contains {
            return Ok(format!("{rel} contains \"{text}\""));
        }
    }
    Ok(format!("{rel} exists"))
}

fn tcp(probe: &Probe, cx: &Context) -> ProbeResult {
    let target = probe.tcp.as_deref().unwrap_or_default();
    let addrs: Vec<_> = target
        .to_socket_addrs()
        .map_err(|e| {
            fail(format!(
                "cannot resolve {target}: {e} (write it as host:port)"
            ))
        })?
        .collect();
    let mut last_error = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, remaining(cx)?) {
            Ok(_) => return Ok(format!("{target} accepts connections")),
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut && Instant::now() >= cx.deadline => {
                return Err((Status::Timeout, String::new()))
            }
            Err(e) => last_error = Some(e),
        }
    }
    let why = last_error.map(|e| format!(" ({e})")).unwrap_or_default();
    Err(fail(format!(
        "nothing accepts connections on {target}{why}"
    )))
}

/// Checks `contains`, `matches` and `json` against `text`, named `what` in messages.
fn expect_text(probe: &Probe, text: &str, what: &str) -> Result<(), (Status, String)> {
    if let Some(needle) = &probe.contains {
        if !text.contains(needle.as_str()) {
            return Err(fail(format!("{what} does not contain \"{needle}\"")));
        }
    }
    if let Some(pattern) = &probe.matches {
        let re = regex::Regex::new(pattern).map_err(|e| {
            (
                Status::Error,
                format!("`matches` is not a valid regular expression: {e}"),
            )
        })?;
        if !re.is_match(text) {
            return Err(fail(format!("{what} does not match /{pattern}/")));
        }
    }
    if let Some(expect) = &probe.json {
        expect_json(expect, text, what)?;
    }
    Ok(())
}

fn expect_json(expect: &JsonExpect, text: &str, what: &str) -> Result<(), (Status, String)> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| fail(format!("{what} is not JSON: {e}")))?;
    let pointer = &expect.pointer;
    let Some(actual) = value.pointer(pointer) else {
        return Err(fail(format!("{what} has no value at {pointer}")));
    };
    let expected = serde_json::to_value(&expect.equals).unwrap_or_default();
    if json_equal(actual, &expected) {
        Ok(())
    } else {
        Err(fail(format!(
            "{what} has {actual} at {pointer}, expected {}",
            show_value(&expect.equals)
        )))
    }
}

/// Equal values, or a scalar whose text is the expected text (`"2"` equals `2`).
fn json_equal(actual: &serde_json::Value, expected: &serde_json::Value) -> bool {
    use serde_json::Value;
    if actual == expected {
        return true;
    }
    match (actual, expected) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Number(_) | Value::Bool(_), Value::String(s)) => scalar_text(actual) == *s,
        (Value::String(s), Value::Number(_) | Value::Bool(_)) => *s == scalar_text(expected),
        _ => false,
    }
}

/// A number's or boolean's JSON text.
fn scalar_text(v: &serde_json::Value) -> String {
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn outcome(yaml: &str, with: &str, root: &Path) -> Outcome {
        let shown = PathBuf::from("validators/v.yaml");
        let spec = Spec::parse(yaml, &shown).unwrap();
        let with = serde_yaml::from_str(with).unwrap();
        let cx = Context {
            root,
            env: &[],
            deadline: Instant::now() + Duration::from_secs(20),
            shown: &shown,
        };
        run(&spec, &with, &cx)
    }

    #[test]
    fn file_probes_pass_and_fail() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "I am ready\n").unwrap();
        let spec = "probes:\n  - file: \"{{ path }}\"\n    contains: \"{{ text }}\"\n    message: write {{ text }} into {{ path }}\n";
        let o = outcome(spec, "{ path: notes.txt, text: ready }", dir.path());
        assert_eq!(
            (o.status, o.message.as_str()),
            (Status::Pass, "notes.txt contains \"ready\"")
        );
        let o = outcome(spec, "{ path: notes.txt, text: done }", dir.path());
        assert_eq!(
            (o.status, o.message.as_str()),
            (Status::Fail, "write done into notes.txt")
        );
        assert_eq!(
            o.details.unwrap()["reason"],
            "notes.txt does not contain \"done\""
        );
        let o = outcome(
            "probes:\n  - file: gone.txt\n    exists: false\n",
            "{}",
            dir.path(),
        );
        assert_eq!(o.status, Status::Pass);
    }

    #[test]
    fn json_pointer_compares_values_and_text() {
        assert!(json_equal(&json!(2), &json!("2")));
        assert!(json_equal(&json!(2.0), &json!(2)));
        assert!(json_equal(&json!("Continuous"), &json!("Continuous")));
        assert!(!json_equal(&json!("Periodic"), &json!("Continuous")));
        let expect = JsonExpect {
            pointer: "/backupPolicy/type".into(),
            equals: serde_yaml::Value::String("Continuous".into()),
        };
        assert!(expect_json(&expect, r#"{"backupPolicy":{"type":"Continuous"}}"#, "x").is_ok());
        let (status, message) = expect_json(&expect, r#"{"backupPolicy":{}}"#, "x").unwrap_err();
        assert_eq!(
            (status, message.as_str()),
            (Status::Fail, "x has no value at /backupPolicy/type")
        );
    }

    #[test]
    fn tcp_probes_connect_or_fail() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let dir = tempfile::tempdir().unwrap();
        let spec = "probes:\n  - tcp: \"127.0.0.1:{{ port }}\"\n";
        let o = outcome(spec, &format!("{{ port: {port} }}"), dir.path());
        assert_eq!(o.status, Status::Pass, "{}", o.message);
        drop(listener);
        let o = outcome(spec, &format!("{{ port: {port} }}"), dir.path());
        assert_eq!(o.status, Status::Fail, "{}", o.message);
        assert!(o
            .message
            .starts_with(&format!("nothing accepts connections on 127.0.0.1:{port}")));
    }
}
