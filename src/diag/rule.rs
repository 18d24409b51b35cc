//! The rules of `labsite check`, by id: what a finding is about.
//!
//! The ids are stable: authors write them in `workshop.yaml` (`rules:`) and in
//! ignore comments, and CI reads them in every output format. They live on the
//! ground floor so that the configuration, the checks, `verify` (whose block
//! problems are `invalid-verify` findings) and the formatters share one type.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::Severity;

/// Every rule, with its stable id; serialized as that id (`broken-link`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    BrokenLink,
    BrokenAnchor,
    ExternalLink,
    MissingResources,
    TrackingParam,
    LocaleInUrl,
    InsecureLink,
    Mojibake,
    MissingAlt,
    NavMismatch,
    InvalidVerify,
}

impl Rule {
    pub const ALL: [Rule; 11] = [
        Rule::BrokenLink,
        Rule::BrokenAnchor,
        Rule::ExternalLink,
        Rule::MissingResources,
        Rule::TrackingParam,
        Rule::LocaleInUrl,
        Rule::InsecureLink,
        Rule::Mojibake,
        Rule::MissingAlt,
        Rule::NavMismatch,
        Rule::InvalidVerify,
    ];

    /// The id used in `workshop.yaml`, in output and in ignore comments.
    pub fn id(self) -> &'static str {
        match self {
            Rule::BrokenLink => "broken-link",
            Rule::BrokenAnchor => "broken-anchor",
            Rule::ExternalLink => "external-link",
            Rule::MissingResources => "missing-resources",
            Rule::TrackingParam => "tracking-param",
            Rule::LocaleInUrl => "locale-in-url",
            Rule::InsecureLink => "insecure-link",
            Rule::Mojibake => "mojibake",
            Rule::MissingAlt => "missing-alt",
            Rule::NavMismatch => "nav-mismatch",
            Rule::InvalidVerify => "invalid-verify",
        }
    }

    /// The rule with this id, if there is one.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }

    /// Broken things are errors; style is a warning.
    pub fn default_severity(self) -> Severity {
        match self {
            Rule::BrokenLink
            | Rule::BrokenAnchor
            | Rule::ExternalLink
            | Rule::Mojibake
            | Rule::InvalidVerify => Severity::Error,
            Rule::MissingResources
            | Rule::TrackingParam
            | Rule::LocaleInUrl
            | Rule::InsecureLink
            | Rule::MissingAlt
            | Rule::NavMismatch => Severity::Warning,
        }
    }

    /// One sentence saying what the rule finds.
    pub fn description(self) -> &'static str {
        match self {
            Rule::BrokenLink => "A relative link or image whose file or folder does not exist, or that leaves the content folder.",
            Rule::BrokenAnchor => "A #fragment with no such heading id or HTML id on the page it points at.",
            Rule::ExternalLink => "An http(s) link that fails: status, timeout, DNS, TLS, or a permanent redirect.",
            Rule::MissingResources => "A task section without a Learning Resources list of at least one link.",
            Rule::TrackingParam => "Query parameters used for tracking (utm_*, msockid, fbclid, …).",
            Rule::LocaleInUrl => "A locale path segment such as /en-us/ that sends every reader to one language.",
            Rule::InsecureLink => "An http:// link where https:// is expected.",
            Rule::Mojibake => "Text damaged by a wrong encoding round trip (UTF-8 read as Windows-1252).",
            Rule::MissingAlt => "An image without alt text.",
            Rule::NavMismatch => "A hand-written previous/next link that disagrees with the page it points at: A says next is B, B says previous is C.",
            Rule::InvalidVerify => "A verify block with bad YAML, a duplicate id, or an unknown validator.",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_defaults() {
        for rule in Rule::ALL {
            assert_eq!(Rule::from_id(rule.id()), Some(rule));
        }
        assert_eq!(Rule::from_id("nope"), None);
        assert_eq!(Rule::BrokenLink.default_severity(), Severity::Error);
        assert_eq!(Rule::MissingAlt.default_severity(), Severity::Warning);
    }

    #[test]
    fn serde_and_display_spell_every_rule_by_its_id() {
        for rule in Rule::ALL {
            let json = serde_json::to_string(&rule).unwrap();
            assert_eq!(json, format!("\"{}\"", rule.id()));
            assert_eq!(serde_json::from_str::<Rule>(&json).unwrap(), rule);
            assert_eq!(rule.to_string(), rule.id());
        }
        let e = serde_json::from_str::<Rule>("\"brokn-link\"").unwrap_err();
        assert!(
            e.to_string().contains("expected one of `broken-link`"),
            "{e}"
        );
    }
}
