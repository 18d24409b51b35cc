//! `labsite check`: links, anchors, learning resources and content rules, over
//! the one rendered workshop that `build` also uses.
//!
//! [`check`] runs the rules (in [`rules`], one family per file), the external
//! link check when online (over [`http`]), then applies what `workshop.yaml`
//! and the pages say: severity per rule, ignored files, URLs and lines, and
//! `--deny-warnings`. The [`Report`] is written by one of the [`format`](mod@format)s;
//! [`fix`] repairs what is safe to repair.

pub mod fix;
pub mod format;
pub mod http;
pub mod ignore;
pub mod rules;
pub mod url;

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Rule, Severity};
use crate::markdown::Rendered;
use crate::workshop::config::checks::Level;
use ignore::Ignores;
use rules::{Context, PageCtx};

/// How to run the check.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Skip the external link check.
    pub offline: bool,
    /// Count warnings as errors (also `rules.deny_warnings`).
    pub deny_warnings: bool,
    /// Show a progress bar for the external check.
    pub progress: bool,
    /// Findings about the pages judged outside this module (the verify blocks'
    /// `invalid-verify`, which `verify` finds): the front end passes them in, and
    /// they go through the same severities, ignores and order as the rules' own.
    pub more_findings: Vec<Diagnostic>,
}

/// What a check found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// In page order, then line and column.
    pub findings: Vec<Diagnostic>,
    /// Markdown files checked.
    pub files: usize,
    /// Their paths, relative to the workshop root.
    pub checked_files: Vec<PathBuf>,
    /// Links (and images) in those files.
    pub links: usize,
    /// Distinct external URLs checked, and how many of them came from the cache.
    pub external_urls: usize,
    pub cached_urls: usize,
    /// Problems of the run itself that are not findings (an unwritable cache).
    pub notes: Vec<String>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count()
    }
}

/// Checks a rendered workshop.
pub fn check(rendered: &Rendered, opts: &CheckOptions) -> Report {
    let ws = &rendered.workshop;
    let config = &ws.config.rules;
    let ctx = Context::new(rendered, config);
    let ignores = Ignores::new(rendered, config);
    let pages: Vec<usize> = (0..ws.pages.len()).filter(|&i| !ignores.file(i)).collect();

    let mut findings: Vec<Diagnostic> = pages
        .par_iter()
        .flat_map_iter(|&i| {
            let page = PageCtx::new(rendered, i);
            let mut out = Vec::new();
            rules::check_page(&ctx, &page, &mut out);
            out
        })
        .collect();
    crate::timings::mark("offline rules");
    if ctx.enabled(Rule::InvalidVerify) {
        findings.extend(opts.more_findings.iter().cloned().map(|mut d| {
            if d.line.is_some() && d.column.is_none() {
                d.column = Some(1);
            }
            d
        }));
    }
    let mut report = Report {
        files: pages.len(),
        checked_files: pages
            .iter()
            .map(|&i| ws.display_source(&ws.pages[i].source))
            .collect(),
        links: pages
            .iter()
            .map(|&i| rendered.documents[i].links.len())
            .sum(),
        ..Report::default()
    };
    if !opts.offline {
        report
            .notes
            .extend(verify_fixes(&mut findings, ws, opts.progress));
    }
    if !opts.offline && ctx.enabled(Rule::ExternalLink) {
        let external =
            rules::external::check(&ctx, &ignores, &ws.config.external_links, opts.progress);
        findings.extend(external.findings);
        report.external_urls = external.urls;
        report.cached_urls = external.cached;
        report.notes = external.notes;
    }

    let page_of: HashMap<PathBuf, usize> = ws
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (ws.display_source(&p.source), i))
        .collect();
    let deny = opts.deny_warnings || config.deny_warnings;
    findings.retain_mut(|f| {
        let page = page_of.get(&f.file).copied();
        if let Some(p) = page {
            if ignores.file(p) || f.line.is_some_and(|l| ignores.line(p, l, f.rule)) {
                return false;
            }
        } else if ignore::file_ignored(config, &f.file, &f.file) {
            return false;
        }
        match f.rule.and_then(|rule| config.level(rule)) {
            Some(Level::Off) => return false,
            Some(Level::Error) => f.severity = Severity::Error,
            Some(Level::Warn) => f.severity = Severity::Warning,
            None => {}
        }
        if deny {
            f.severity = Severity::Error;
        }
        true
    });
    findings.sort_by(|a, b| {
        let order = |f: &Diagnostic| page_of.get(&f.file).copied().unwrap_or(usize::MAX);
        // Findings at one place in the order of their rule ids, as the output always had.
        let id = |f: &Diagnostic| f.rule.map(Rule::id);
        (order(a), &a.file, a.line, a.column, id(a)).cmp(&(
            order(b),
            &b.file,
            b.line,
            b.column,
            id(b),
        ))
    });
    findings.dedup();
    report.findings = findings;
    report
}

/// Requests the URLs that fixes would put in place of broken links (a link copied
/// from a documentation site), through the external-link checker with its cache,
/// limits and deadline: a fix whose URL answers 2xx is verified, one whose URL
/// fails is withdrawn (its hint says so). Returns the checker's notes.
pub fn verify_fixes(
    findings: &mut [Diagnostic],
    ws: &crate::workshop::Workshop,
    progress: bool,
) -> Vec<String> {
    let mut urls: Vec<String> = findings
        .iter()
        .filter_map(|f| f.fix.as_ref())
        .filter(|fix| !fix.verified)
        .map(|fix| fix.to.clone())
        .collect();
    urls.sort();
    urls.dedup();
    if urls.is_empty() {
        return Vec::new();
    }
    let jobs: Vec<http::Job> = urls
        .iter()
        .map(|url| http::Job {
            url: url.clone(),
            want_anchors: false,
        })
        .collect();
    let run = http::check_all(&jobs, &ws.config.external_links, &ws.root, progress);
    let works: HashMap<&str, Result<(), String>> = urls
        .iter()
        .zip(&run.outcomes)
        .map(|(url, outcome)| {
            let result = match outcome {
                http::Outcome::Ok { status, .. } if (200..300).contains(status) => Ok(()),
                http::Outcome::Ok { status, .. } => Err(format!("answers {status}")),
                http::Outcome::Failed { message } | http::Outcome::NotChecked { message } => {
                    Err(message.clone())
                }
            };
            (url.as_str(), result)
        })
        .collect();
    for f in findings.iter_mut() {
        let Some(fix) = &mut f.fix else { continue };
        if fix.verified {
            continue;
        }
        match works.get(fix.to.as_str()) {
            Some(Ok(())) => {
                fix.verified = true;
                f.hint = Some(format!(
                    "the page there is `{}` (it answers): link to it with the full URL; `labsite check --fix` does",
                    fix.to
                ));
            }
            Some(Err(why)) => {
                f.hint = Some(format!(
                    "no such page in this workshop, and `{}`, where a page of the same name would be on the site the page links, does not work ({why}): link to the page you meant with its full https:// URL",
                    fix.to
                ));
                f.fix = None;
            }
            None => {}
        }
    }
    run.notes
}

/// The errors of the offline checks, which `labsite build` prints as warnings
/// (verify blocks it validates itself, as build errors).
pub fn build_errors(rendered: &Rendered) -> Vec<Diagnostic> {
    let opts = CheckOptions {
        offline: true,
        ..CheckOptions::default()
    };
    check(rendered, &opts)
        .findings
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect()
}
