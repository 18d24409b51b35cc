//! The YAML inside a ```` ```verify ```` block: which validator a success
//! criterion runs, with which arguments, under which id and title.
//!
//! This is the model of a block, on the workshop floor: the Markdown parse
//! (`crate::markdown`, a floor up) finds the blocks and reads their YAML with it,
//! once, as the page is rendered. The site's check widget and the checks of
//! `labsite verify` both read that, so a block means the same thing on the site
//! and on the command line, and both name a check by [`check_command`].

use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use serde_yaml::{Mapping, Value};

use super::config::duration;

/// A `verify` block's YAML, as written.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snippet {
    /// Unique in the chapter; default `verify-N` (N counts the page's blocks from 1).
    pub id: Option<String>,
    /// What the check shows; default the task it follows, else its id.
    pub title: Option<String>,
    /// Name of a file in `validators/` (without its extension).
    pub validator: Option<String>,
    /// Arguments of the validator.
    #[serde(default)]
    pub with: Mapping,
    /// Overrides the workshop's timeout for this check.
    #[serde(default, deserialize_with = "duration::check_timeout")]
    pub timeout: Option<Duration>,
}

/// A problem in a block that YAML itself accepted, at a line inside the block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line inside the block's body (the line after the fence is 1).
    pub line: usize,
    pub message: String,
    pub hint: String,
}

/// A block's YAML error. Shared, as the rendered page keeps it (a parse error cannot
/// be cloned); equal when the messages are.
#[derive(Debug, Clone)]
pub struct YamlError(pub Arc<serde_yaml::Error>);

impl PartialEq for YamlError {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_string() == other.0.to_string()
    }
}

impl Eq for YamlError {}

impl std::ops::Deref for YamlError {
    type Target = serde_yaml::Error;

    fn deref(&self) -> &serde_yaml::Error {
        &self.0
    }
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Parses a block's body, once, as the page is rendered. An empty block parses to
/// an empty snippet (which [`Snippet::problems`] rejects).
pub fn parse(body: &str) -> Result<Snippet, YamlError> {
    if body.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#')
    }) {
        return Ok(Snippet::default());
    }
    serde_yaml::from_str(body).map_err(|e| YamlError(Arc::new(e)))
}

/// The command that runs check `id` of the page `chapter` (its key) from the
/// workshop folder: `labsite verify --check chapter-3/vm-backup`.
pub fn check_command(chapter: &str, id: &str) -> String {
    format!(
        "labsite verify --check {}",
        shell_word(&format!("{chapter}/{id}"))
    )
}

/// `word` as one shell word: as it is when safe, else in single quotes.
fn shell_word(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// The default id of the `n`th (1-based) block of a page.
pub fn default_id(n: usize) -> String {
    format!("verify-{n}")
}

impl Snippet {
    /// The id: the written one, else `verify-N` for the `n`th block (1-based).
    pub fn id_or_default(&self, n: usize) -> String {
        self.id.clone().unwrap_or_else(|| default_id(n))
    }

    /// The title: the written one, else the task's text, else the id.
    pub fn title_or(&self, task: Option<&str>, id: &str) -> String {
        self.title
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .or(task.filter(|t| !t.is_empty()))
            .unwrap_or(id)
            .to_string()
    }

    /// What is wrong with a snippet that parsed: a missing validator, an id or
    /// argument name that cannot be used. `body` is the block's text, for lines.
    pub fn problems(&self, body: &str) -> Vec<Problem> {
        let mut problems = Vec::new();
        let at = |key: &str| key_line(body, key).unwrap_or(1);
        match self.validator.as_deref().map(str::trim) {
            None | Some("") => problems.push(Problem {
                line: at("validator"),
                message: "the verify block names no validator".into(),
                hint: "add `validator: <name>` naming a file in validators/ (e.g. validators/<name>.sh)"
                    .into(),
            }),
            Some(name) if !valid_name(name) => problems.push(Problem {
                line: at("validator"),
                message: format!("`{name}` is not a validator name"),
                hint: "name a file directly in validators/, without folders or its extension".into(),
            }),
            Some(_) => {}
        }
        if let Some(id) = &self.id {
            if !valid_name(id) {
                problems.push(Problem {
                    line: at("id"),
                    message: format!("`{id}` cannot be a check id"),
                    hint: "use letters, digits, `-`, `_` and `.` only, e.g. `vm-backup`".into(),
                });
            }
        }
        for key in self.with.keys() {
            let problem = match key {
                Value::String(k) if valid_arg(k) => continue,
                Value::String(k) => format!("`{k}` cannot be an argument name"),
                other => format!("`{}` cannot be an argument name", show_value(other)),
            };
            problems.push(Problem {
                line: at("with"),
                message: problem,
                hint: "argument names are words such as `vault` or `min_regions` (letters, digits, `_`, `-`)"
                    .into(),
            });
        }
        problems
    }
}

/// Ids and validator names: letters, digits, `-`, `_`, `.`; not starting with `.`.
pub fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('.')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn valid_arg(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
}

/// The 1-based line inside `body` where the top-level `key:` is written.
pub fn key_line(body: &str, key: &str) -> Option<usize> {
    body.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

/// A YAML scalar as text; other values as compact JSON.
pub fn show_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_block_parses() {
        let s = parse(
            "id: vm-backup\ntitle: VMs are protected\nvalidator: vm-backup\nwith: { vault: rsv, vms: [vm1, vm2] }\ntimeout: 60s\n",
        )
        .unwrap();
        assert_eq!(s.id.as_deref(), Some("vm-backup"));
        assert_eq!(s.timeout, Some(Duration::from_secs(60)));
        assert_eq!(s.with.len(), 2);
        assert!(s.problems("").is_empty());
    }

    #[test]
    fn defaults_come_from_position_and_task() {
        let s = parse("validator: x\n").unwrap();
        let id = s.id_or_default(3);
        assert_eq!(id, "verify-3");
        assert_eq!(s.title_or(Some("The VM runs"), &id), "The VM runs");
        assert_eq!(s.title_or(None, &id), "verify-3");
    }

    #[test]
    fn unknown_keys_and_bad_yaml_have_lines() {
        let e = parse("validator: x\ntitel: y\n").unwrap_err();
        assert_eq!(e.location().unwrap().line(), 2);
        assert!(e.to_string().contains("unknown field `titel`"), "{e}");
        let e = parse("validator: x\nwith: { a: [1, 2 }\n").unwrap_err();
        assert_eq!(e.location().unwrap().line(), 2);
        let e = parse("validator: x\ntimeout: soon\n").unwrap_err();
        assert!(e.to_string().contains("invalid duration `soon`"), "{e}");
    }

    #[test]
    fn timeouts_take_the_workshop_grammar_and_limits() {
        assert_eq!(
            parse("validator: x\ntimeout: 1d\n").unwrap().timeout,
            Some(Duration::from_secs(86_400))
        );
        assert_eq!(
            parse("validator: x\ntimeout: 1.5s\n").unwrap().timeout,
            Some(Duration::from_millis(1_500))
        );
        assert_eq!(parse("validator: x\ntimeout:\n").unwrap().timeout, None);
        for bad in ["307445734561825861m", "8d", "0"] {
            let e = parse(&format!("id: a\nvalidator: x\ntimeout: {bad}\n")).unwrap_err();
            assert_eq!(e.location().unwrap().line(), 3, "{e}");
            assert!(e.to_string().contains("allowed here: 1ms to 7d"), "{e}");
        }
    }

    #[test]
    fn semantic_problems_point_at_their_key() {
        let body = "# a check\nid: has space\nwith: { 3: x }\n";
        let problems = parse(body).unwrap().problems(body);
        let lines: Vec<_> = problems
            .iter()
            .map(|p| (p.line, p.message.as_str()))
            .collect();
        assert_eq!(
            lines,
            vec![
                (1, "the verify block names no validator"),
                (2, "`has space` cannot be a check id"),
                (3, "`3` cannot be an argument name"),
            ]
        );
        let empty = parse("\n# nothing\n").unwrap();
        assert_eq!(empty.problems("").len(), 1);
    }

    #[test]
    fn check_commands_are_one_shell_word() {
        assert_eq!(
            check_command("chapter-3", "vm-backup"),
            "labsite verify --check chapter-3/vm-backup"
        );
        assert_eq!(
            check_command("my chapter", "it's"),
            "labsite verify --check 'my chapter/it'\\''s'"
        );
    }

    #[test]
    fn names_stay_inside_validators() {
        assert!(valid_name("vm-backup"));
        assert!(valid_name("check_2.v1"));
        for bad in ["", "../x", "a/b", ".hidden", "a b"] {
            assert!(!valid_name(bad), "{bad:?}");
        }
    }
}
