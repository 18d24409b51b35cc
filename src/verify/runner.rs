//! Running checks: the environment a validator gets and a bounded number of
//! checks at once.
//!
//! Every validator runs in the workshop root with the parent's environment,
//! `verify.env` from `workshop.yaml`, every `with` value as `LAB_<KEY>` and all
//! of them as JSON in `LAB_ARGS`, until its timeout ([`Plan::timeout`]).
//! Scripts are read by `script.rs`, declarative probes run in
//! `probe.rs`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use serde::Serialize;
use serde_yaml::Value;

use super::validator::Kind;
use super::{probe, script, Check, Plan, Status};
use crate::workshop::verify_block::show_value;

/// Longest message kept from a validator, in characters.
const MESSAGE_LIMIT: usize = 2000;

/// The result of one check, as `--format json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckResult {
    pub id: String,
    pub chapter: String,
    pub title: String,
    pub status: Status,
    pub message: String,
    pub duration_ms: u64,
    /// `details` of a validator's JSON result, or why a probe with its own message failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

impl CheckResult {
    /// `chapter/id`, as `--check` takes it.
    pub fn name(&self) -> String {
        format!("{}/{}", self.chapter, self.id)
    }
}

/// What a validator said.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: Status,
    pub message: String,
    pub details: Option<serde_json::Value>,
}

impl Outcome {
    pub fn new(status: Status, message: impl Into<String>) -> Self {
        Outcome {
            status,
            message: message.into(),
            details: None,
        }
    }
}

impl Plan {
    /// Runs one check to its end or its timeout.
    pub fn run_one(&self, check: &Check) -> CheckResult {
        let started = Instant::now();
        let timeout = self.timeout(check);
        let deadline = started + timeout;
        let env = self.environment(check);
        let mut outcome = match self.validators.get(&check.validator) {
            None => Outcome::new(
                Status::Error,
                format!(
                    "validator `{}` was not found in validators/",
                    check.validator
                ),
            ),
            Some(v) => match &v.kind {
                Kind::Script => script::run(&v.path, &v.shown, &self.root, &env, deadline),
                Kind::Declarative(spec) => probe::run(
                    spec,
                    &check.with,
                    &probe::Context {
                        root: &self.root,
                        env: &env,
                        deadline,
                        shown: &v.shown,
                    },
                ),
            },
        };
        if outcome.status == Status::Timeout && outcome.message.is_empty() {
            outcome.message = format!(
                "did not finish within {}: stopped it and every process it started (raise `timeout:` in the verify block if it needs longer)",
                crate::workshop::config::duration::show(timeout)
            );
        }
        CheckResult {
            id: check.id.clone(),
            chapter: check.chapter.clone(),
            title: check.title.clone(),
            status: outcome.status,
            message: clip(outcome.message.trim()),
            duration_ms: started.elapsed().as_millis().try_into().unwrap_or(u64::MAX),
            details: outcome.details,
        }
    }

    /// Runs `checks`, at most `jobs` at once; `on_result` sees each result in
    /// the order of `checks`, as soon as it and those before it are done.
    pub fn run(
        &self,
        checks: &[&Check],
        jobs: usize,
        mut on_result: impl FnMut(&CheckResult),
    ) -> Vec<CheckResult> {
        let workers = jobs.max(1).min(checks.len());
        let next = AtomicUsize::new(0);
        let mut results: Vec<Option<CheckResult>> = vec![None; checks.len()];
        std::thread::scope(|scope| {
            let (send, receive) = mpsc::channel();
            for _ in 0..workers {
                let send = send.clone();
                let next = &next;
                scope.spawn(move || loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(check) = checks.get(i) else { break };
                    if send.send((i, self.run_one(check))).is_err() {
                        break;
                    }
                });
            }
            drop(send);
            let mut shown = 0;
            for (i, result) in receive {
                results[i] = Some(result);
                while let Some(Some(r)) = results.get(shown) {
                    on_result(r);
                    shown += 1;
                }
            }
        });
        results.into_iter().flatten().collect()
    }

    /// The variables a validator gets on top of the parent's environment.
    pub fn environment(&self, check: &Check) -> Vec<(String, String)> {
        let mut env: Vec<(String, String)> = self.config.env.clone().into_iter().collect();
        for (key, value) in &check.with {
            env.push((env_name(&show_value(key)), env_value(value)));
        }
        let args = serde_json::to_string(&check.with).unwrap_or_else(|_| "{}".into());
        env.push(("LAB_ARGS".into(), args));
        env
    }
}

/// `LAB_` and the key upper-cased, `-` as `_`.
pub fn env_name(key: &str) -> String {
    format!("LAB_{}", key.to_ascii_uppercase().replace('-', "_"))
}

/// Text as it is, numbers and booleans as text, lists joined by spaces, maps as JSON.
pub fn env_value(value: &Value) -> String {
    match value {
        Value::Sequence(items) => items.iter().map(show_value).collect::<Vec<_>>().join(" "),
        other => show_value(other),
    }
}

fn clip(message: &str) -> String {
    match message.char_indices().nth(MESSAGE_LIMIT) {
        Some((i, _)) => format!("{}…", &message[..i]),
        None => message.to_string(),
    }
}

/// The default number of checks at once: the number of cores.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn with_values_become_environment_text() {
        let with: serde_yaml::Mapping = serde_yaml::from_str(
            "{ vms: [vm1, vm2], count: 3, on: true, nested: { a: 1 }, min-regions: 2 }",
        )
        .unwrap();
        let values: Vec<(String, String)> = with
            .iter()
            .map(|(k, v)| (env_name(&show_value(k)), env_value(v)))
            .collect();
        assert_eq!(
            values,
            [
                ("LAB_VMS".to_string(), "vm1 vm2".to_string()),
                ("LAB_COUNT".into(), "3".into()),
                ("LAB_ON".into(), "true".into()),
                ("LAB_NESTED".into(), "{\"a\":1}".into()),
                ("LAB_MIN_REGIONS".into(), "2".into()),
            ]
        );
    }

    #[test]
    fn long_messages_are_clipped() {
        let long = "x".repeat(MESSAGE_LIMIT + 10);
        assert_eq!(clip(&long).chars().count(), MESSAGE_LIMIT + 1);
        assert!(clip(&long).ends_with('…'));
    }
}
