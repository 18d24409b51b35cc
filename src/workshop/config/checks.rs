//! The `rules:` and `external_links:` sections of `workshop.yaml`.
//!
//! ```yaml
//! rules:
//!   missing-alt: off            # error | warn | off, per rule id
//!   tracking-param: error
//!   task_heading: "^(Task|Challenge) \\d+"
//!   ignore_urls: ["^https://portal\\.azure\\.com/"]   # regular expressions
//!   ignore_files: ["drafts/**"]                       # globs, relative to the root or content/
//!   deny_warnings: true
//! external_links:
//!   timeout: 20s
//!   retries: 2
//!   concurrency: 16             # requests at once
//!   per_host: 2                 # requests at once to one host
//!   interval: 200ms             # between two requests to one host
//!   accept: ["200-299", 403]    # status codes counted as working
//!   cache: .labsite/link-cache.json
//!   cache_ttl: 1d               # 0 turns the cache off
//!   check_fragments: false      # look for `#fragment` ids in external pages
//!   check_local: false          # also check localhost, private and example hosts
//!   deadline: 5m                # the whole external check never takes longer
//! ```
//!
//! Values are checked when the configuration is read, so a bad regular
//! expression or duration is a configuration error naming its line. Durations
//! follow the one grammar of [`super::duration`], each within its own limits.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use regex::Regex;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use super::duration;
use crate::diag::Rule;

/// What a rule's findings are: errors, warnings, or not reported at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    #[serde(alias = "warning")]
    Warn,
    Off,
}

/// The `rules:` section: severity per rule, the task heading, ignore patterns.
#[derive(Debug, Clone, Default)]
pub struct RulesConfig {
    /// The severity written for a rule (`missing-alt: off`); rules not named keep their default.
    pub levels: BTreeMap<Rule, Level>,
    /// Headings that start a task, which needs Learning Resources (default `^Task \d+`).
    pub task_heading: Option<Pattern>,
    /// Links whose URL matches one of these regular expressions are not checked.
    pub ignore_urls: Vec<Pattern>,
    /// Files matching one of these globs are not checked.
    pub ignore_files: Vec<Glob>,
    /// Warnings fail the check like errors.
    pub deny_warnings: bool,
}

impl RulesConfig {
    /// The level configured for a rule, if any.
    pub fn level(&self, rule: Rule) -> Option<Level> {
        self.levels.get(&rule).copied()
    }
}

/// The keys of `rules:` besides the rule ids.
const RULES_KEYS: [&str; 4] = [
    "task_heading",
    "ignore_urls",
    "ignore_files",
    "deny_warnings",
];

/// Every key `rules:` takes, rule ids first, for the "unknown field" error.
fn rules_fields() -> &'static [&'static str] {
    static FIELDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    FIELDS.get_or_init(|| Rule::ALL.iter().map(|r| r.id()).chain(RULES_KEYS).collect())
}

/// Reads a key of `rules:`, judged as it is read, so that an unknown or repeated
/// key is an error at its own line: the key as one of [`rules_fields`].
struct KeySeed<'a> {
    seen: &'a mut Vec<&'static str>,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = &'static str;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<&'static str, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl Visitor<'_> for KeySeed<'_> {
    type Value = &'static str;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a rule id or a setting of `rules:`")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<&'static str, E> {
        let field = *rules_fields()
            .iter()
            .find(|f| **f == key)
            .ok_or_else(|| E::unknown_field(key, rules_fields()))?;
        if self.seen.contains(&field) {
            return Err(E::duplicate_field(field));
        }
        self.seen.push(field);
        Ok(field)
    }
}

// By hand rather than derived: the rule ids are keys of one map beside the other
// settings, and an unknown key must stay an error that lists the valid ones.
impl<'de> Deserialize<'de> for RulesConfig {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RulesConfig;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of rule ids to error, warn or off, and task_heading, ignore_urls, ignore_files, deny_warnings")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RulesConfig, A::Error> {
                let mut c = RulesConfig::default();
                let mut seen = Vec::new();
                while let Some(field) = map.next_key_seed(KeySeed { seen: &mut seen })? {
                    if let Some(rule) = Rule::from_id(field) {
                        // `missing-alt:` with no value keeps the rule's default.
                        if let Some(level) = map.next_value::<Option<Level>>()? {
                            c.levels.insert(rule, level);
                        }
                        continue;
                    }
                    match field {
                        "task_heading" => c.task_heading = map.next_value()?,
                        "ignore_urls" => c.ignore_urls = map.next_value()?,
                        "ignore_files" => c.ignore_files = map.next_value()?,
                        "deny_warnings" => c.deny_warnings = map.next_value()?,
                        other => return Err(de::Error::unknown_field(other, rules_fields())),
                    }
                }
                Ok(c)
            }
        }
        d.deserialize_map(V)
    }
}

/// The `external_links:` section: how `check` talks to other sites.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExternalLinksConfig {
    /// Time for one request, connection to last byte.
    #[serde(deserialize_with = "request_timeout")]
    pub timeout: Duration,
    /// Further tries after a timeout, a connection failure, 429 or a 5xx status.
    pub retries: u32,
    /// Requests at once, over all hosts.
    pub concurrency: usize,
    /// Requests at once to one host.
    pub per_host: usize,
    /// Least time between the starts of two requests to one host.
    #[serde(deserialize_with = "interval")]
    pub interval: Duration,
    /// Status codes that count as working.
    pub accept: Vec<StatusRange>,
    /// The cache file, relative to the workshop root.
    pub cache: PathBuf,
    /// How long a working link is believed without asking again; 0 turns the cache off.
    #[serde(deserialize_with = "cache_ttl")]
    pub cache_ttl: Duration,
    /// Whether `#fragments` of external HTML pages are looked up in the page.
    pub check_fragments: bool,
    /// Whether links to this machine, private networks and example hosts are checked
    /// too (`http://localhost:8080`): by default not, since they point at the
    /// learner's own environment.
    pub check_local: bool,
    /// The most the whole external check may take.
    #[serde(deserialize_with = "deadline")]
    pub deadline: Duration,
    /// The User-Agent sent; by default a browser's, since many sites refuse unknown clients.
    pub user_agent: Option<String>,
}

impl Default for ExternalLinksConfig {
    fn default() -> Self {
        ExternalLinksConfig {
            timeout: Duration::from_secs(20),
            retries: 2,
            concurrency: 16,
            per_host: 2,
            interval: Duration::from_millis(200),
            accept: vec![StatusRange {
                low: 200,
                high: 299,
            }],
            cache: PathBuf::from(".labsite/link-cache.json"),
            cache_ttl: Duration::from_secs(24 * 3600),
            check_fragments: false,
            check_local: false,
            deadline: Duration::from_secs(300),
            user_agent: None,
        }
    }
}

fn request_timeout<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    duration::deserialize(d, &duration::REQUEST_TIMEOUT)
}

fn interval<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    duration::deserialize(d, &duration::INTERVAL)
}

fn cache_ttl<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    duration::deserialize(d, &duration::CACHE_TTL)
}

fn deadline<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    duration::deserialize(d, &duration::DEADLINE)
}

impl ExternalLinksConfig {
    /// Whether a status code counts as working.
    pub fn accepts(&self, status: u16) -> bool {
        self.accept.iter().any(|r| r.contains(status))
    }
}

/// A regular expression from the configuration, compiled when read.
#[derive(Debug, Clone)]
pub struct Pattern(pub Regex);

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Regex::new(&s)
            .map(Pattern)
            .map_err(|e| de::Error::custom(format!("invalid regular expression `{s}`: {e}")))
    }
}

/// A glob from the configuration (`drafts/**`, `*/notes.md`), compiled when read.
#[derive(Debug, Clone)]
pub struct Glob(pub globset::GlobMatcher);

impl<'de> Deserialize<'de> for Glob {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        globset::GlobBuilder::new(s.trim_start_matches("./"))
            .literal_separator(true)
            .build()
            .map(|g| Glob(g.compile_matcher()))
            .map_err(|e| de::Error::custom(format!("invalid glob `{s}`: {e}")))
    }
}

/// An inclusive range of HTTP status codes: `200`, `"200-299"` or `"2xx"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusRange {
    pub low: u16,
    pub high: u16,
}

impl StatusRange {
    pub fn contains(&self, status: u16) -> bool {
        (self.low..=self.high).contains(&status)
    }

    /// Parses `200`, `200-299` or `2xx`.
    pub fn parse(s: &str) -> Result<StatusRange, String> {
        let s = s.trim();
        let code = |t: &str| -> Result<u16, String> {
            t.trim()
                .parse::<u16>()
                .ok()
                .filter(|c| (100..=599).contains(c))
                .ok_or_else(|| {
                    format!(
                        "`{s}` is not a status code or range such as 200, \"200-299\" or \"2xx\""
                    )
                })
        };
        if let Some(first) = s.strip_suffix("xx").or_else(|| s.strip_suffix("XX")) {
            let low = code(&format!("{first}00"))?;
            return Ok(StatusRange {
                low,
                high: low + 99,
            });
        }
        let (low, high) = match s.split_once('-') {
            Some((a, b)) => (code(a)?, code(b)?),
            None => (code(s)?, code(s)?),
        };
        if low > high {
            return Err(format!(
                "`{s}`: the range's first code is larger than its last"
            ));
        }
        Ok(StatusRange { low, high })
    }
}

impl<'de> Deserialize<'de> for StatusRange {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = StatusRange;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a status code or range such as 200, \"200-299\" or \"2xx\"")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<StatusRange, E> {
                StatusRange::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<StatusRange, E> {
                StatusRange::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StatusRange, E> {
                StatusRange::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_parse_with_levels_and_patterns() {
        let c: RulesConfig = serde_yaml::from_str(
            "missing-alt: off\ntracking-param: error\nbroken-link: warning\ntask_heading: '^Challenge \\d+'\nignore_urls: ['^https://portal']\nignore_files: ['drafts/**']\n",
        )
        .unwrap();
        assert_eq!(c.level(Rule::MissingAlt), Some(Level::Off));
        assert_eq!(c.level(Rule::TrackingParam), Some(Level::Error));
        assert_eq!(c.level(Rule::BrokenLink), Some(Level::Warn));
        assert_eq!(c.level(Rule::Mojibake), None);
        assert!(c.task_heading.unwrap().0.is_match("Challenge 3: x"));
        assert!(c.ignore_urls[0].0.is_match("https://portal.azure.com"));
        assert!(c.ignore_files[0].0.is_match("drafts/a/b.md"));
        assert!(!c.ignore_files[0].0.is_match("content/drafts.md"));
    }

    #[test]
    fn unknown_rule_and_bad_regex_are_errors() {
        let e = serde_yaml::from_str::<RulesConfig>("brokn-link: off\n").unwrap_err();
        assert!(e.to_string().contains("unknown field `brokn-link`"), "{e}");
        let e = serde_yaml::from_str::<RulesConfig>("task_heading: '(unclosed'\n").unwrap_err();
        assert!(e.to_string().contains("invalid regular expression"), "{e}");
        let e = serde_yaml::from_str::<RulesConfig>("mojibake: loud\n").unwrap_err();
        assert!(e.to_string().contains("unknown variant `loud`"), "{e}");
    }

    #[test]
    fn unknown_rule_names_its_line_and_lists_every_rule_id() {
        let e = crate::workshop::config::Config::parse(
            "title: x\nrules:\n  mojibake: off\n  deny_warnings: true\n  brokn-link: off\n",
        )
        .unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
        for rule in Rule::ALL {
            assert!(
                e.message.contains(&format!("`{rule}`")),
                "{rule} not listed: {e}"
            );
        }
        assert!(e.message.contains("`task_heading`"), "{e}");
        assert_eq!(
            e.hint.as_deref(),
            Some("remove the key or correct its spelling; the expected keys are listed above")
        );
        let e =
            crate::workshop::config::Config::parse("rules:\n  mojibake: off\n  mojibake: error\n")
                .unwrap_err();
        assert!(e.message.contains("duplicate field `mojibake`"), "{e}");
        assert_eq!(e.line, Some(3), "{e}");
        let c: RulesConfig = serde_yaml::from_str("missing-alt:\ndeny_warnings: true\n").unwrap();
        assert!(c.levels.is_empty() && c.deny_warnings);
    }

    #[test]
    fn external_settings_parse_durations_and_ranges() {
        let c: ExternalLinksConfig = serde_yaml::from_str(
            "timeout: 1500ms\ninterval: 0\naccept: [\"200-299\", 403, 3xx]\ncache_ttl: 2d\ndeadline: 1.5\n",
        )
        .unwrap();
        assert_eq!(c.timeout, Duration::from_millis(1500));
        assert_eq!(c.interval, Duration::ZERO);
        assert_eq!(c.cache_ttl, Duration::from_secs(2 * 86400));
        assert_eq!(c.deadline, Duration::from_millis(1500));
        assert!(c.accepts(204) && c.accepts(403) && c.accepts(301));
        assert!(!c.accepts(404));
        assert_eq!(c.retries, 2, "unset keys keep their defaults");
        let e = serde_yaml::from_str::<ExternalLinksConfig>("timeout: 5 minutes\n").unwrap_err();
        assert!(e.to_string().contains("unknown unit"), "{e}");
        let e = serde_yaml::from_str::<ExternalLinksConfig>("accept: [700]\n").unwrap_err();
        assert!(e.to_string().contains("not a status code"), "{e}");
    }
}
