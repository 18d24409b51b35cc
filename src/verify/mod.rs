//! Live success criteria: the checks of `verify` blocks and the validators that run them.
//!
//! A chapter's success criterion can carry a fenced `verify` block whose YAML
//! names a validator in `validators/` and its arguments ([`crate::workshop::verify_block`]). This
//! module turns the blocks of a rendered workshop into [`Check`]s, finding each
//! validator ([`validator`]): an executable script, or a declarative YAML file
//! of probes ([`declarative`]). [`Plan::run`] runs checks, a bounded number at
//! once, each in its own process group with a timeout ([`runner`]); [`report`]
//! shows the results for people (human), programs (json) and CI (junit).
//!
//! Front ends: `labsite verify`, the preview server's check endpoint, and
//! `build`/`check`, which report [`validate_workshop`]'s errors.

pub mod declarative;
mod probe;
pub mod process;
pub mod report;
pub mod runner;
mod script;
pub mod validator;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_yaml::Mapping;

use crate::diag::{Diagnostic, Errors, Rule};
use crate::markdown::Rendered;
use crate::markdown::TaskItem;
pub use crate::workshop::config::verify::{VerifyConfig, DEFAULT_TIMEOUT};
use crate::workshop::config::yaml_error;
use crate::workshop::verify_block;
pub use runner::CheckResult;
use validator::{Kind, LookupError, Validator};

/// The outcome of a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    Error,
    Timeout,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Error => "error",
            Status::Timeout => "timeout",
        }
    }
}

/// One success-criterion check, from one `verify` block.
#[derive(Debug, Clone)]
pub struct Check {
    /// The page's key (`chapter-3`).
    pub chapter: String,
    /// Unique in the chapter (`vm-backup`, default `verify-N`).
    pub id: String,
    pub title: String,
    /// Name of the validator in `validators/`.
    pub validator: String,
    pub with: Mapping,
    /// The block's own timeout, if it sets one.
    pub timeout: Option<Duration>,
    /// The task-list item the block follows.
    pub task: Option<TaskItem>,
    /// Index of the page in `Workshop::pages`.
    pub page: usize,
    /// The page's file relative to the workshop root, and the line of the block's fence.
    pub file: PathBuf,
    pub line: usize,
}

impl Check {
    /// `chapter/id`, as `--check` takes it.
    pub fn name(&self) -> String {
        format!("{}/{}", self.chapter, self.id)
    }
}

/// Every check of a workshop, their validators, and what is wrong with the blocks.
#[derive(Debug, Clone)]
pub struct Plan {
    pub root: PathBuf,
    pub config: VerifyConfig,
    /// In page order, then block order.
    pub checks: Vec<Check>,
    /// Validators by name, for the checks above.
    pub validators: BTreeMap<String, Validator>,
    /// `invalid-verify` errors: blocks in `errors` have no check.
    pub errors: Vec<Diagnostic>,
}

/// The `invalid-verify` errors of a rendered workshop: bad YAML, unknown keys,
/// a missing, unknown or broken validator, a duplicate id in a page.
pub fn validate_workshop(rendered: &Rendered) -> Vec<Diagnostic> {
    Plan::new(rendered).errors
}

impl Plan {
    /// Reads every `verify` block of a rendered workshop and finds its validator.
    pub fn new(rendered: &Rendered) -> Plan {
        let ws = &rendered.workshop;
        let mut plan = Plan {
            root: ws.root.clone(),
            config: ws.config.verify.clone(),
            checks: Vec::new(),
            validators: BTreeMap::new(),
            errors: Vec::new(),
        };
        let mut lookups: HashMap<String, Result<Validator, LookupError>> = HashMap::new();
        for (page_index, (page, doc)) in ws.pages.iter().zip(&rendered.documents).enumerate() {
            let file = ws.display_source(&page.source);
            let mut ids: HashMap<String, usize> = HashMap::new();
            for (n, block) in doc.verify_blocks.iter().enumerate() {
                let error = |line: usize, message: String, hint: &str| {
                    Diagnostic::error(&file, message)
                        .at_line(line)
                        .with_hint(hint)
                        .with_rule(Rule::InvalidVerify)
                };
                // Read once, as the page was rendered.
                let snippet = match &block.snippet {
                    Ok(s) => s.clone(),
                    Err(e) => {
                        plan.errors.push(
                            yaml_error(&file, &e.0, &block.body, block.line)
                                .with_rule(Rule::InvalidVerify),
                        );
                        continue;
                    }
                };
                let problems = snippet.problems(&block.body);
                if !problems.is_empty() {
                    plan.errors.extend(
                        problems
                            .into_iter()
                            .map(|p| error(block.line + p.line, p.message, &p.hint)),
                    );
                    continue;
                }
                let id = snippet.id_or_default(n + 1);
                let id_line = block.line + verify_block::key_line(&block.body, "id").unwrap_or(0);
                if let Some(&first) = ids.get(&id) {
                    plan.errors.push(error(
                        id_line,
                        format!(
                            "check id `{id}` is used twice in this page (first at line {first})"
                        ),
                        "give each verify block of a page its own `id:`",
                    ));
                    continue;
                }
                ids.insert(id.clone(), id_line);
                let name = snippet
                    .validator
                    .clone()
                    .unwrap_or_default()
                    .trim()
                    .to_string();
                let validator_line =
                    block.line + verify_block::key_line(&block.body, "validator").unwrap_or(1);
                let found = lookups
                    .entry(name.clone())
                    .or_insert_with(|| validator::find(&ws.root, &name));
                let validator = match found {
                    Ok(v) => v,
                    Err(e) => {
                        let d = e
                            .diagnostic(&name, &file, validator_line)
                            .with_rule(Rule::InvalidVerify);
                        if !plan.errors.contains(&d) {
                            plan.errors.push(d);
                        }
                        continue;
                    }
                };
                if let Kind::Declarative(spec) = &validator.kind {
                    if let Err(message) = spec.fill(&snippet.with) {
                        let line =
                            block.line + verify_block::key_line(&block.body, "with").unwrap_or(1);
                        plan.errors.push(error(
                            line,
                            message,
                            &format!(
                                "the placeholders are in {}",
                                crate::diag::display_path(&validator.shown)
                            ),
                        ));
                        continue;
                    }
                }
                plan.validators.insert(name.clone(), validator.clone());
                let task = block.task.clone();
                plan.checks.push(Check {
                    chapter: page.key.clone(),
                    title: snippet.title_or(task.as_ref().map(|t| t.text.as_str()), &id),
                    id,
                    validator: name,
                    with: snippet.with,
                    timeout: snippet.timeout,
                    task,
                    page: page_index,
                    file: file.clone(),
                    line: block.line,
                });
            }
        }
        plan
    }

    /// The plan, or its errors when there are any.
    pub fn into_result(self) -> Result<Plan, Errors> {
        if self.errors.is_empty() {
            Ok(self)
        } else {
            Err(Errors(self.errors))
        }
    }

    /// The check `id` of the page `chapter`.
    pub fn find(&self, chapter: &str, id: &str) -> Option<&Check> {
        let chapter = chapter.trim_matches('/');
        self.checks
            .iter()
            .find(|c| c.chapter == chapter && c.id == id)
    }

    /// The timeout of `check`: its own, else `workshop.yaml`'s, else [`DEFAULT_TIMEOUT`].
    pub fn timeout(&self, check: &Check) -> Duration {
        check
            .timeout
            .or(self.config.timeout)
            .unwrap_or(DEFAULT_TIMEOUT)
    }
}
