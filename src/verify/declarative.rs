//! Declarative validators: `validators/<name>.yaml`, a list of probes that all
//! must pass, with `{{ key }}` placeholders filled from the check's `with`.
//!
//! ```yaml
//! description: The web app answers on its port
//! probes:
//!   - tcp: "{{ host }}:{{ port }}"
//!     message: nothing listens on {{ host }}:{{ port }}; start the server
//!   - http: "http://{{ host }}:{{ port }}/health"
//!     status: 200
//!     json: { pointer: /status, equals: ok }
//!   - command: [git, --version]
//!     matches: '^git version \d'
//!   - file: notes.txt
//!     contains: ready
//! ```
//!
//! `contains`, `matches` (a regex) and `json` (a JSON pointer and the value
//! expected there) test a command's stdout, an HTTP response's body or a
//! file's text. Running the probes is in `probe.rs`.

use std::path::Path;

use serde::Deserialize;
use serde_yaml::{Mapping, Value};

use crate::diag::Diagnostic;
use crate::workshop::config::yaml_error;
use crate::workshop::verify_block::show_value;

/// A declarative validator as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// What the validator checks, for people reading the file.
    #[serde(default)]
    pub description: Option<String>,
    pub probes: Vec<Probe>,
}

/// One probe: exactly one of `command`, `http`, `file`, `tcp`, with its expectations.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Probe {
    /// A program and its arguments, run in the workshop folder.
    pub command: Option<Vec<String>>,
    /// The exit code `command` must end with (default 0).
    pub exit_code: Option<i32>,
    /// A URL to request.
    pub http: Option<String>,
    /// HTTP method (default GET).
    pub method: Option<String>,
    /// The expected HTTP status (default: any 2xx).
    pub status: Option<u16>,
    /// A path, relative to the workshop folder.
    pub file: Option<String>,
    /// Whether `file` must exist (default true) or must not.
    pub exists: Option<bool>,
    /// `host:port` that must accept a TCP connection.
    pub tcp: Option<String>,
    /// Text the output, body or file must contain.
    pub contains: Option<String>,
    /// A regular expression the output, body or file must match.
    pub matches: Option<String>,
    /// A value the output or body, read as JSON, must hold at a pointer.
    pub json: Option<JsonExpect>,
    /// What to tell the learner when the probe fails (placeholders allowed).
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonExpect {
    /// A JSON pointer (RFC 6901), e.g. `/properties/state` or `/items/0/name`.
    pub pointer: String,
    pub equals: Value,
}

/// What a probe does, once checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeKind {
    Command,
    Http,
    File,
    Tcp,
}

impl Spec {
    /// Reads and checks `path`, shown to users as `shown`.
    pub fn load(path: &Path, shown: &Path) -> Result<Spec, Diagnostic> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Diagnostic::error(shown, format!("cannot read: {e}"))
                .with_hint("check the file's permissions")
        })?;
        Spec::parse(&text, shown)
    }

    /// Parses the text of a declarative validator.
    pub fn parse(text: &str, shown: &Path) -> Result<Spec, Diagnostic> {
        let spec: Spec = serde_yaml::from_str(text).map_err(|e| yaml_error(shown, &e, text, 0))?;
        let probes_line = text
            .lines()
            .position(|l| l.starts_with("probes"))
            .map_or(1, |i| i + 1);
        if spec.probes.is_empty() {
            return Err(Diagnostic::error(shown, "the validator has no probes")
                .at_line(probes_line)
                .with_hint("add at least one probe: `probes: [{ tcp: \"localhost:8000\" }]`"));
        }
        for (i, probe) in spec.probes.iter().enumerate() {
            if let Err(problem) = probe.kind() {
                let line = item_line(text, probes_line, i).unwrap_or(probes_line);
                return Err(Diagnostic::error(shown, format!("probe {}: {problem}", i + 1))
                    .at_line(line)
                    .with_hint(
                        "a probe is one of `command: [program, args…]`, `http: <url>`, `file: <path>`, `tcp: <host:port>`, with the expectations that fit it",
                    ));
            }
        }
        Ok(spec)
    }

    /// The spec with every placeholder filled from `with`; an unknown placeholder is an error.
    pub fn fill(&self, with: &Mapping) -> Result<Vec<Probe>, String> {
        let context = context(with);
        self.probes.iter().map(|p| p.fill(&context)).collect()
    }
}

impl Probe {
    /// Which kind of probe this is, when it is well formed.
    pub fn kind(&self) -> Result<ProbeKind, String> {
        let kinds: Vec<ProbeKind> = [
            (self.command.is_some(), ProbeKind::Command),
            (self.http.is_some(), ProbeKind::Http),
            (self.file.is_some(), ProbeKind::File),
            (self.tcp.is_some(), ProbeKind::Tcp),
        ]
        .into_iter()
        .filter_map(|(set, k)| set.then_some(k))
        .collect();
        let kind = match kinds.as_slice() {
            [k] => *k,
            [] => return Err("names no `command`, `http`, `file` or `tcp`".into()),
            _ => return Err("has more than one of `command`, `http`, `file`, `tcp`: split it into several probes".into()),
        };
        let misplaced =
            |key: &str| Err(format!("`{key}` does not apply to a {} probe", kind.name()));
        if self.exit_code.is_some() && kind != ProbeKind::Command {
            return misplaced("exit_code");
        }
        if kind != ProbeKind::Http {
            if self.method.is_some() {
                return misplaced("method");
            }
            if self.status.is_some() {
                return misplaced("status");
            }
        }
        if self.exists.is_some() && kind != ProbeKind::File {
            return misplaced("exists");
        }
        if kind == ProbeKind::Tcp {
            for (set, key) in [
                (self.contains.is_some(), "contains"),
                (self.matches.is_some(), "matches"),
                (self.json.is_some(), "json"),
            ] {
                if set {
                    return misplaced(key);
                }
            }
        }
        if kind == ProbeKind::File && self.json.is_some() {
            return misplaced("json");
        }
        if self.exists == Some(false) && (self.contains.is_some() || self.matches.is_some()) {
            return Err("`exists: false` cannot go with `contains` or `matches`".into());
        }
        if self.command.as_ref().is_some_and(|c| c.is_empty()) {
            return Err("`command` is empty: write the program and its arguments as a list".into());
        }
        if let Some(pattern) = self.matches.as_deref().filter(|p| !p.contains("{{")) {
            regex::Regex::new(pattern)
                .map_err(|e| format!("`matches` is not a valid regular expression: {e}"))?;
        }
        if let Some(json) = &self.json {
            if !json.pointer.is_empty()
                && !json.pointer.starts_with('/')
                && !json.pointer.contains("{{")
            {
                return Err(format!(
                    "`json.pointer` `{}` must start with `/`, e.g. /status",
                    json.pointer
                ));
            }
        }
        Ok(kind)
    }

    fn fill(&self, ctx: &tera::Context) -> Result<Probe, String> {
        let s = |v: &Option<String>| v.as_deref().map(|t| fill_text(t, ctx)).transpose();
        Ok(Probe {
            command: self
                .command
                .as_ref()
                .map(|argv| argv.iter().map(|a| fill_text(a, ctx)).collect())
                .transpose()?,
            exit_code: self.exit_code,
            http: s(&self.http)?,
            method: s(&self.method)?,
            status: self.status,
            file: s(&self.file)?,
            exists: self.exists,
            tcp: s(&self.tcp)?,
            contains: s(&self.contains)?,
            matches: s(&self.matches)?,
            json: match &self.json {
                Some(j) => Some(JsonExpect {
                    pointer: fill_text(&j.pointer, ctx)?,
                    equals: fill_value(&j.equals, ctx)?,
                }),
                None => None,
            },
            message: s(&self.message)?,
        })
    }
}

impl ProbeKind {
    pub fn name(self) -> &'static str {
        match self {
            ProbeKind::Command => "command",
            ProbeKind::Http => "http",
            ProbeKind::File => "file",
            ProbeKind::Tcp => "tcp",
        }
    }
}

/// The 1-based line of the `index`th item of the list starting after line `list_line`.
fn item_line(text: &str, list_line: usize, index: usize) -> Option<usize> {
    let mut indent = None;
    let mut seen = 0;
    for (i, line) in text.lines().enumerate().skip(list_line) {
        let trimmed = line.trim_start();
        if !trimmed.starts_with("- ") && trimmed != "-" {
            continue;
        }
        let this = line.len() - trimmed.len();
        if *indent.get_or_insert(this) != this {
            continue;
        }
        if seen == index {
            return Some(i + 1);
        }
        seen += 1;
    }
    None
}

fn context(with: &Mapping) -> tera::Context {
    let mut ctx = tera::Context::new();
    for (k, v) in with {
        ctx.insert(
            show_value(k),
            &serde_json::to_value(v).unwrap_or(serde_json::Value::Null),
        );
    }
    ctx
}

/// Fills `{{ key }}` placeholders; text without any is returned as it is.
fn fill_text(text: &str, ctx: &tera::Context) -> Result<String, String> {
    if !text.contains("{{") && !text.contains("{%") {
        return Ok(text.to_string());
    }
    tera::Tera::one_off(text, ctx, false).map_err(|e| placeholder_error(text, &e))
}

fn fill_value(v: &Value, ctx: &tera::Context) -> Result<Value, String> {
    Ok(match v {
        Value::String(s) => Value::String(fill_text(s, ctx)?),
        Value::Sequence(items) => Value::Sequence(
            items
                .iter()
                .map(|i| fill_value(i, ctx))
                .collect::<Result<_, _>>()?,
        ),
        other => other.clone(),
    })
}

/// Tera's error chain, told in the author's terms.
fn placeholder_error(text: &str, e: &tera::Error) -> String {
    let mut causes = Vec::new();
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = source {
        causes.push(s.to_string());
        source = s.source();
    }
    for cause in &causes {
        if let Some(rest) = cause.strip_prefix("Variable `") {
            let name = rest.split('`').next().unwrap_or("");
            return format!(
                "`{{{{ {name} }}}}` in `{text}` has no value: add `{name}` to the verify block's `with`"
            );
        }
    }
    format!(
        "cannot fill the placeholders of `{text}`: {}",
        causes.join(": ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Spec, Diagnostic> {
        Spec::parse(text, Path::new("validators/v.yaml"))
    }

    fn with(yaml: &str) -> Mapping {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn every_kind_parses() {
        let spec = parse(
            "probes:\n  - command: [git, --version]\n    matches: '^git'\n  - http: http://x/\n    status: 204\n  - file: a.txt\n    contains: ok\n  - tcp: localhost:1\n",
        )
        .unwrap();
        let kinds: Vec<_> = spec.probes.iter().map(|p| p.kind().unwrap()).collect();
        assert_eq!(
            kinds,
            [
                ProbeKind::Command,
                ProbeKind::Http,
                ProbeKind::File,
                ProbeKind::Tcp
            ]
        );
    }

    #[test]
    fn wrong_probes_name_their_line() {
        let e = parse("description: x\nprobes:\n  - tcp: a:1\n  - tcp: a:1\n    status: 200\n")
            .unwrap_err();
        assert_eq!(e.line, Some(4));
        assert_eq!(e.message, "probe 2: `status` does not apply to a tcp probe");
        let e = parse("probes:\n  - file: a\n    http: b\n").unwrap_err();
        assert!(e.message.contains("more than one"), "{}", e.message);
        let e = parse("probes:\n  - command: [x]\n    matches: '('\n").unwrap_err();
        assert!(
            e.message.contains("not a valid regular expression"),
            "{}",
            e.message
        );
        let e = parse("probes:\n  - tcp: a:1\n    contians: x\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(
            e.message.contains("unknown field `contians`"),
            "{}",
            e.message
        );
        assert!(parse("probes: []\n")
            .unwrap_err()
            .message
            .contains("no probes"));
    }

    #[test]
    fn placeholders_fill_from_with() {
        let spec = parse("probes:\n  - tcp: \"{{ host }}:{{ port }}\"\n    message: \"{{ vms | join(sep=' ') }} down\"\n").unwrap();
        let probes = spec
            .fill(&with("{ host: localhost, port: 8000, vms: [a, b] }"))
            .unwrap();
        assert_eq!(probes[0].tcp.as_deref(), Some("localhost:8000"));
        assert_eq!(probes[0].message.as_deref(), Some("a b down"));
    }

    #[test]
    fn a_missing_placeholder_is_an_error_not_empty_text() {
        let spec = parse("probes:\n  - file: \"{{ path }}\"\n").unwrap();
        let e = spec.fill(&with("{ other: 1 }")).unwrap_err();
        assert_eq!(
            e,
            "`{{ path }}` in `{{ path }}` has no value: add `path` to the verify block's `with`"
        );
    }

    #[test]
    fn placeholders_are_not_html_escaped() {
        let spec = parse("probes:\n  - file: \"{{ p }}\"\n").unwrap();
        let probes = spec.fill(&with("{ p: \"a&b<c>.txt\" }")).unwrap();
        assert_eq!(probes[0].file.as_deref(), Some("a&b<c>.txt"));
    }
}
