//! The sample workshop's Azure validators (validators/*.sh at the repository
//! root) run by `labsite verify` against a fake `az` first on PATH (passing and
//! failing), without `az` at all, and logged out; and the `labsite new`
//! scaffold, whose checks a learner passes on a laptop.

#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// A stand-in for the Azure CLI: answers the calls the sample validators make.
/// FAKE_AZ=pass|fail|logged-out picks the answers; every call is logged to FAKE_AZ_LOG.
const FAKE_AZ: &str = r#"#!/usr/bin/env bash
echo "$*" >> "$FAKE_AZ_LOG"
mode=${FAKE_AZ:-pass}
args=("$@")
name=""
query=""
while (( $# )); do
  case "$1" in
    --name) name=$2; shift ;;
    --query) query=$2; shift ;;
  esac
  shift
done
set -- "${args[@]}"
case "$1 $2" in
  "account show")
    [[ $mode == logged-out ]] && { echo "ERROR: Please run 'az login' to setup account." >&2; exit 1; }
    echo '{"name": "lab subscription"}' ;;
  "group exists")
    [[ $mode == pass ]] && echo true || echo false ;;
  "vm get-instance-view")
    if [[ $mode == pass ]]; then echo "VM running"
    elif [[ $name == vm1-restored ]]; then
      echo "ERROR: (ResourceNotFound) The Resource 'vm1-restored' was not found." >&2; exit 3
    elif [[ $name == vm2 ]]; then echo "VM deallocated"
    else echo "VM running"; fi ;;
  "backup item")
    [[ $mode == pass ]] && printf 'vm1\nvm2\n' || printf 'vm1\n' ;;
  "cosmosdb list")
    if [[ $query == *backupPolicy* ]]; then
      [[ $mode == pass ]] && printf 'cosmos-lab-1a2b\tContinuous\tNone\n' || printf 'cosmos-lab-1a2b\tPeriodic\tNone\n'
    else
      [[ $mode == pass ]] && printf 'cosmos-lab-1a2b\t2\tNorway East\n' || printf 'cosmos-lab-1a2b\t1\tSweden Central\n'
    fi ;;
  "storage account")
    [[ $mode == pass ]] && printf 'stlab1a2b\tStandard_ZRS\n' || printf 'stlab1a2b\tStandard_LRS\n' ;;
  *) echo "ERROR: fake az does not know: $*" >&2; exit 2 ;;
esac
"#;

/// PATH without any folder that holds an `az`.
fn path_without_az() -> String {
    let path = std::env::var("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .filter(|dir| !dir.join("az").exists())
        .map(|d| d.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(":")
}

struct FakeAz {
    _dir: tempfile::TempDir,
    bin: PathBuf,
    log: PathBuf,
}

fn fake_az() -> FakeAz {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    fs::create_dir(&bin).unwrap();
    fs::write(bin.join("az"), FAKE_AZ).unwrap();
    fs::set_permissions(bin.join("az"), fs::Permissions::from_mode(0o755)).unwrap();
    let log = dir.path().join("az.log");
    FakeAz {
        _dir: dir,
        bin,
        log,
    }
}

/// `labsite verify --format json` on the sample workshop with this PATH and fake-az mode.
fn sample(path: &str, mode: &str, log: &Path) -> (i32, BTreeMap<String, Value>) {
    let out = labsite()
        .args(["verify", repo().to_str().unwrap(), "--format", "json"])
        .env("PATH", path)
        .env("FAKE_AZ", mode)
        .env("FAKE_AZ_LOG", log)
        .output()
        .unwrap();
    let list: Vec<Value> = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&out), stderr(&out)));
    let by_name = list
        .into_iter()
        .map(|r| {
            (
                format!(
                    "{}/{}",
                    r["chapter"].as_str().unwrap(),
                    r["id"].as_str().unwrap()
                ),
                r,
            )
        })
        .collect();
    (out.status.code().unwrap(), by_name)
}

const SAMPLE_CHECKS: [&str; 8] = [
    "chapter-1/rg-exists",
    "chapter-1/vms-running",
    "chapter-2/storage-redundant",
    "chapter-2/cosmos-two-regions",
    "chapter-3/vm-backup",
    "chapter-3/cosmos-continuous",
    "chapter-4/restored-vm",
    "chapter-4/cosmos-failover",
];

#[test]
fn the_sample_passes_against_a_healthy_fake_az() {
    let az = fake_az();
    let path = format!("{}:{}", az.bin.display(), path_without_az());
    let (code, r) = sample(&path, "pass", &az.log);
    assert_eq!(
        r.keys().map(String::as_str).collect::<Vec<_>>().len(),
        SAMPLE_CHECKS.len()
    );
    for name in SAMPLE_CHECKS {
        assert_eq!(r[name]["status"], "pass", "{name}: {}", r[name]);
    }
    assert_eq!(code, 0);
    assert_eq!(
        r["chapter-3/vm-backup"]["message"],
        "protected in vault 'rsv-lab': vm1 vm2"
    );
    assert_eq!(
        r["chapter-3/cosmos-continuous"]["message"],
        "Continuous backup: cosmos-lab-1a2b"
    );
    let calls = fs::read_to_string(&az.log).unwrap();
    assert!(
        calls.contains("backup item list --vault-name rsv-lab --resource-group rg-resiliency-lab"),
        "{calls}"
    );
}

#[test]
fn the_sample_fails_against_an_unfinished_lab() {
    let az = fake_az();
    let path = format!("{}:{}", az.bin.display(), path_without_az());
    let (code, r) = sample(&path, "fail", &az.log);
    assert_eq!(code, 1);
    for name in SAMPLE_CHECKS {
        assert_eq!(r[name]["status"], "fail", "{name}: {}", r[name]);
    }
    let message = |name: &str| r[name]["message"].as_str().unwrap().to_string();
    assert_eq!(
        message("chapter-3/vm-backup"),
        "not protected in vault 'rsv-lab': vm2 (enable it with: az backup protection enable-for-vm)"
    );
    assert_eq!(
        message("chapter-3/cosmos-continuous"),
        "cosmos-lab-1a2b uses Periodic backup, expected Continuous"
    );
    assert!(
        message("chapter-1/vms-running").starts_with("vm2 is 'VM deallocated'"),
        "{}",
        message("chapter-1/vms-running")
    );
    assert_eq!(
        message("chapter-4/restored-vm"),
        "vm1-restored not found in rg-resiliency-lab"
    );
    assert_eq!(
        message("chapter-2/cosmos-two-regions"),
        "cosmos-lab-1a2b has 1 region(s), expected at least 2"
    );
}

#[test]
fn without_az_every_sample_check_is_an_error_with_the_install_hint() {
    let az = fake_az();
    let (code, r) = sample(&path_without_az(), "pass", &az.log);
    assert_eq!(code, 1);
    for name in SAMPLE_CHECKS {
        assert_eq!(r[name]["status"], "error", "{name}");
        assert_eq!(
            r[name]["message"],
            "az not found on PATH: install the Azure CLI (https://learn.microsoft.com/cli/azure/install-azure-cli)"
        );
    }
}

#[test]
fn logged_out_az_is_an_error_that_says_az_login() {
    let az = fake_az();
    let path = format!("{}:{}", az.bin.display(), path_without_az());
    let (_, r) = sample(&path, "logged-out", &az.log);
    assert_eq!(r["chapter-3/vm-backup"]["status"], "error");
    assert_eq!(
        r["chapter-3/vm-backup"]["message"],
        "not logged in to Azure: run 'az login'"
    );
}

#[test]
fn a_new_workshop_has_checks_a_learner_can_pass() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("lab");
    assert!(run(&["new", root.to_str().unwrap()]).status.success());
    let check = |id: &str| {
        let out = labsite()
            .args([
                "verify",
                root.to_str().unwrap(),
                "--check",
                &format!("chapter-1/{id}"),
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        let list: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        (
            out.status.code().unwrap(),
            list[0]["status"].as_str().unwrap().to_string(),
        )
    };
    assert_eq!(check("notes-file"), (1, "fail".to_string()));
    fs::write(root.join("notes.txt"), "ready\n").unwrap();
    assert_eq!(check("notes-file"), (0, "pass".to_string()));
    if std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_ok()
    {
        assert_eq!(check("git-installed"), (0, "pass".to_string()));
    }
    // The web-server check is a declarative tcp probe: passes while something listens on 8000.
    let listening = std::net::TcpListener::bind("127.0.0.1:8000");
    if listening.is_ok() {
        assert_eq!(check("web-server"), (0, "pass".to_string()));
    }
}
