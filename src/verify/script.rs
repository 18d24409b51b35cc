//! Script validators: running an executable from `validators/` and reading
//! what it says.
//!
//! Exit 0 passes, 1 fails, anything else is an error. The message is a line
//! starting `FAIL:`, else a JSON object `{"status","message","details"}` on
//! stdout (whose status, when given, wins over an exit code of 0 or 1), else
//! the last non-empty line of stdout (of stderr, when the check did not pass).
//! A program the script needs that is not installed is named in the message.

use std::io;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use super::process::{self, Exit, Output};
use super::runner::Outcome;
use super::Status;
use crate::diag::display_path;

/// Runs the script at `path` (shown as `shown`) in `root` with `env` added, until `deadline`.
pub fn run(
    path: &Path,
    shown: &Path,
    root: &Path,
    env: &[(String, String)],
    deadline: Instant,
) -> Outcome {
    let mut cmd = Command::new(path);
    cmd.current_dir(root).envs(env.iter().map(|(k, v)| (k, v)));
    match process::run(&mut cmd, deadline) {
        Ok(out) => interpret(&out, shown),
        Err(e) => Outcome::new(Status::Error, spawn_error(path, shown, &e)),
    }
}

/// What a finished script's exit and output mean.
fn interpret(out: &Output, shown: &Path) -> Outcome {
    let code = match out.exit {
        Exit::TimedOut => return Outcome::new(Status::Timeout, ""),
        Exit::Signal(s) => {
            return Outcome::new(
                Status::Error,
                format!("{} was killed by signal {s}", display_path(shown)),
            )
        }
        Exit::Code(c) => c,
    };
    let stdout = &out.stdout.text;
    let json = json_result(stdout);
    let mut status = match code {
        0 => Status::Pass,
        1 => Status::Fail,
        _ => Status::Error,
    };
    if let Some(s) = json.as_ref().and_then(|j| j.status) {
        if code == 0 || code == 1 {
            status = s;
        }
    }
    let fail_line = stdout
        .lines()
        .map(str::trim_start)
        .find_map(|l| l.strip_prefix("FAIL:"))
        .map(|m| m.trim().to_string());
    let stderr_missing = (code == 127)
        .then(|| not_found_in(&out.stderr.text))
        .flatten();
    let message = stderr_missing
        .map(|program| missing_program(&program, Some(shown)))
        .or(fail_line)
        .or_else(|| json.as_ref().and_then(|j| j.message.clone()))
        .or_else(|| last_line(stdout))
        .or_else(|| {
            (status != Status::Pass)
                .then(|| last_line(&out.stderr.text))
                .flatten()
        })
        .unwrap_or_else(|| match status {
            Status::Pass => "passed".into(),
            Status::Fail => "failed (the validator printed no message)".into(),
            _ => format!("{} exited with code {code}", display_path(shown)),
        });
    Outcome {
        status,
        message,
        details: json.and_then(|j| j.details),
    }
}

struct JsonResult {
    status: Option<Status>,
    message: Option<String>,
    details: Option<serde_json::Value>,
}

/// A JSON object result: all of stdout, or its last non-empty line.
fn json_result(stdout: &str) -> Option<JsonResult> {
    let candidates = [Some(stdout.trim().to_string()), last_line(stdout)];
    let object = candidates
        .into_iter()
        .flatten()
        .filter(|c| c.starts_with('{'))
        .find_map(|c| {
            serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&c).ok()
        })?;
    if !["status", "message", "details"]
        .iter()
        .any(|k| object.contains_key(*k))
    {
        return None;
    }
    let status = object.get("status").and_then(|s| s.as_str()).and_then(|s| {
        match s.to_ascii_lowercase().as_str() {
            "pass" | "passed" | "ok" => Some(Status::Pass),
            "fail" | "failed" => Some(Status::Fail),
            "error" => Some(Status::Error),
            _ => None,
        }
    });
    Some(JsonResult {
        status,
        message: object.get("message").map(|m| match m {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }),
        details: object.get("details").cloned(),
    })
}

/// The program a shell or `env` reported missing (`az: command not found`).
fn not_found_in(stderr: &str) -> Option<String> {
    stderr.lines().rev().find_map(|line| {
        if let Some(before) = line.strip_suffix(": command not found") {
            return before.rsplit(": ").next().map(|p| p.trim().to_string());
        }
        let (_, rest) = line.split_once("env: ")?;
        let name = rest.split(": No such file or directory").next()?;
        (name.len() < rest.len()).then(|| name.trim_matches(['\'', '‘', '’', '"']).to_string())
    })
}

/// "`az` not found on PATH: install the Azure CLI", naming the validator that ran it.
pub fn missing_program(program: &str, run_by: Option<&Path>) -> String {
    let what = match program {
        "az" => "install the Azure CLI (https://learn.microsoft.com/cli/azure/install-azure-cli)"
            .to_string(),
        _ => format!("install {program} or put it on the PATH"),
    };
    let by = run_by
        .map(|p| format!(" (run by {})", display_path(p)))
        .unwrap_or_default();
    format!("`{program}`{by} not found on PATH: {what}")
}

/// Why a validator could not be started, in the author's terms.
fn spawn_error(path: &Path, shown: &Path, e: &io::Error) -> String {
    let shown = display_path(shown);
    let interpreter = std::fs::read(path).ok().and_then(|bytes| {
        let first = bytes.split(|&b| b == b'\n').next()?;
        let line = String::from_utf8_lossy(first.strip_prefix(b"#!")?)
            .trim()
            .to_string();
        Some(line)
    });
    if e.kind() == io::ErrorKind::PermissionDenied {
        return format!("{shown} cannot be run (permission denied): run `chmod +x {shown}`");
    }
    match (e.kind(), interpreter) {
        (io::ErrorKind::NotFound, Some(line)) => format!(
            "the interpreter of {shown} (`#!{line}`) was not found: install it, or correct the script's first line"
        ),
        (_, None) if e.raw_os_error() == Some(libc::ENOEXEC) || e.kind() == io::ErrorKind::NotFound => format!(
            "{shown} is neither a program nor a script starting with a `#!` line: add one, e.g. `#!/usr/bin/env bash`"
        ),
        _ => format!("cannot run {shown}: {e}"),
    }
}

/// The last non-empty line of a validator's output, trimmed.
pub(super) fn last_line(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::process::Captured;

    fn finished(code: i32, stdout: &str, stderr: &str) -> Outcome {
        let out = Output {
            exit: Exit::Code(code),
            stdout: Captured {
                text: stdout.into(),
                truncated: false,
            },
            stderr: Captured {
                text: stderr.into(),
                truncated: false,
            },
        };
        interpret(&out, Path::new("validators/v.sh"))
    }

    #[test]
    fn exit_codes_decide_and_messages_follow_the_conventions() {
        let o = finished(0, "checking\nall good\n\n", "");
        assert_eq!((o.status, o.message.as_str()), (Status::Pass, "all good"));
        let o = finished(1, "checking\n  FAIL: vm2 is stopped\nmore\n", "");
        assert_eq!(
            (o.status, o.message.as_str()),
            (Status::Fail, "vm2 is stopped")
        );
        let o = finished(2, "", "boom\n");
        assert_eq!((o.status, o.message.as_str()), (Status::Error, "boom"));
        let o = finished(1, "", "");
        assert_eq!(o.message, "failed (the validator printed no message)");
        let o = finished(5, "", "");
        assert_eq!(o.message, "validators/v.sh exited with code 5");
    }

    #[test]
    fn a_json_result_gives_message_details_and_status() {
        let o = finished(0, "{\"status\": \"fail\", \"message\": \"1 of 2\", \"details\": {\"missing\": [\"b\"]}}\n", "");
        assert_eq!((o.status, o.message.as_str()), (Status::Fail, "1 of 2"));
        assert_eq!(o.details.unwrap()["missing"][0], "b");
        let o = finished(3, "{\"status\": \"pass\"}", "");
        assert_eq!(o.status, Status::Error, "a crash is not a pass");
        let o = finished(0, "{\"not\": \"a result\"}", "");
        assert_eq!(o.message, "{\"not\": \"a result\"}");
    }

    #[test]
    fn a_missing_program_is_named() {
        let o = finished(127, "", "./v.sh: line 3: az: command not found\n");
        assert_eq!(o.status, Status::Error);
        assert!(
            o.message.starts_with(
                "`az` (run by validators/v.sh) not found on PATH: install the Azure CLI"
            ),
            "{}",
            o.message
        );
        assert_eq!(
            not_found_in("env: ‘python9’: No such file or directory\n").as_deref(),
            Some("python9")
        );
        assert_eq!(
            not_found_in("/usr/bin/env: 'python9': No such file or directory\n").as_deref(),
            Some("python9")
        );
        assert_eq!(not_found_in("all fine\n"), None);
    }
}
