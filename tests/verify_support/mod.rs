//! Helpers of the `labsite verify` integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::common::{labsite, stderr, stdout};

pub fn verify(root: &Path, args: &[&str]) -> std::process::Output {
    labsite()
        .arg("verify")
        .arg(root)
        .args(args)
        .output()
        .expect("labsite verify runs")
}

/// `verify --format json` with `args`: the exit code and the results by id.
pub fn results(root: &Path, args: &[&str]) -> (i32, BTreeMap<String, Value>) {
    let out = verify(root, &[args, &["--format", "json"]].concat());
    let list: Vec<Value> = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&out), stderr(&out)));
    let by_id = list
        .into_iter()
        .map(|r| (r["id"].as_str().unwrap().to_string(), r))
        .collect();
    (out.status.code().unwrap(), by_id)
}

pub fn status_and_message(r: &Value) -> (&str, &str) {
    (
        r["status"].as_str().unwrap(),
        r["message"].as_str().unwrap(),
    )
}
