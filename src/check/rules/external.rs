//! `external-link` (online mode): every distinct `http(s)` URL of the workshop is
//! checked once by [`crate::check::http`]; each link to it gets the answer.

use std::collections::HashMap;

use super::{Context, PageCtx};
use crate::check::http::{self, Job, Outcome};
use crate::check::ignore::Ignores;
use crate::check::url::Url;
use crate::diag::{Diagnostic, Rule, Severity};
use crate::markdown::links::Target;
use crate::markdown::Link;
use crate::workshop::config::checks::ExternalLinksConfig;

/// What the external check found.
#[derive(Debug, Default)]
pub struct External {
    pub findings: Vec<Diagnostic>,
    /// Distinct URLs checked.
    pub urls: usize,
    /// Of those, answered from the cache.
    pub cached: usize,
    pub notes: Vec<String>,
}

/// The URL to request for a link: without its fragment, `//host` as `https://host`.
pub fn request_url(dest: &str) -> (String, Option<&str>) {
    let dest = dest.trim();
    let (url, fragment) = match dest.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (dest, None),
    };
    let url = if url.starts_with("//") {
        format!("https:{url}")
    } else {
        url.to_string()
    };
    (url, fragment.filter(|f| !f.is_empty()))
}

pub fn check(
    ctx: &Context,
    ignores: &Ignores,
    config: &ExternalLinksConfig,
    progress: bool,
) -> External {
    let ws = &ctx.rendered.workshop;
    let mut jobs: Vec<Job> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    // (page, link index in the page, job)
    let mut uses: Vec<(usize, usize, usize)> = Vec::new();
    for (p, doc) in ctx.rendered.documents.iter().enumerate() {
        if ignores.file(p) {
            continue;
        }
        for (l, link) in doc.links.iter().enumerate() {
            if link.resolved.target != Target::External
                || ctx.url_ignored(&link.dest)
                || ignores.line(p, link.line, Some(Rule::ExternalLink))
            {
                continue;
            }
            let (url, fragment) = request_url(&link.dest);
            let local = Url::parse(&url).is_some_and(|u| u.is_private_host());
            if local && !config.check_local {
                continue;
            }
            let want_anchors = config.check_fragments && fragment.is_some();
            let job = *index.entry(url.clone()).or_insert_with(|| {
                jobs.push(Job {
                    url,
                    want_anchors: false,
                });
                jobs.len() - 1
            });
            jobs[job].want_anchors |= want_anchors;
            uses.push((p, l, job));
        }
    }
    let run = http::check_all(&jobs, config, &ws.root, progress);
    let mut found = External {
        urls: jobs.len(),
        cached: run.cached,
        notes: run.notes,
        ..External::default()
    };
    let mut pages: HashMap<usize, PageCtx> = HashMap::new();
    for (p, l, job) in uses {
        let page = pages
            .entry(p)
            .or_insert_with(|| PageCtx::new(ctx.rendered, p));
        let link = &page.doc.links[l];
        if let Some(d) = finding(page, link, &run.outcomes[job], config) {
            found.findings.push(d);
        }
    }
    found
}

fn finding(
    page: &PageCtx,
    link: &Link,
    outcome: &Outcome,
    config: &ExternalLinksConfig,
) -> Option<Diagnostic> {
    let at = |message: String| {
        page.finding(Rule::ExternalLink, link.line, link.column, message)
            .with_target(&link.dest)
    };
    let (_, fragment) = request_url(&link.dest);
    match outcome {
        Outcome::Failed { message } => Some(
            at(format!("`{}` is broken: {message}", link.dest)).with_hint(failure_hint(message)),
        ),
        Outcome::NotChecked { message } => {
            let mut d = at(format!("`{}` was {message}", link.dest))
                .with_hint("raise `external_links.deadline` in workshop.yaml, or check again: cached results make the next run faster");
            d.severity = Severity::Warning;
            Some(d)
        }
        Outcome::Ok {
            redirect: Some(new),
            ..
        } => {
            let new = match fragment {
                Some(f) => format!("{new}#{f}"),
                None => new.clone(),
            };
            let mut d = at(format!("`{}` permanently redirects to `{new}`", link.dest))
                .with_hint(format!("link to `{new}` directly"));
            d.severity = Severity::Warning;
            Some(d)
        }
        Outcome::Ok {
            anchors: Some(anchors),
            ..
        } if config.check_fragments => {
            let fragment = crate::urlpath::decode(fragment?);
            let lower = fragment.to_lowercase();
            let found = anchors.iter().any(|a| {
                let a = a.to_lowercase();
                a == lower || a.strip_prefix("user-content-") == Some(lower.as_str())
            });
            (!found).then(|| {
                at(format!("the page has no id `#{fragment}`"))
                    .with_hint("link to a section the page has, or drop the `#fragment`")
            })
        }
        Outcome::Ok { .. } => None,
    }
}

fn failure_hint(message: &str) -> &'static str {
    if message.starts_with("404") || message.starts_with("410") {
        "the page is gone: find where it moved and link there, or remove the link"
    } else if message.starts_with("401") || message.starts_with("403") {
        "the site refuses the check; if the page opens in a browser, add the status to \
         `external_links.accept` or the URL to `rules.ignore_urls` in workshop.yaml"
    } else if message.starts_with("429") {
        "the site limits requests; raise `external_links.interval` or check again later"
    } else if message.starts_with("no answer") {
        "the site did not answer in time; check again, or raise `external_links.timeout`"
    } else if message.starts_with("host not found") {
        "the host name does not resolve: check its spelling, or use `--offline` where there is no network"
    } else {
        "open the URL in a browser to see what is wrong"
    }
}

#[cfg(test)]
mod tests {
    use super::request_url;

    #[test]
    fn request_urls_drop_the_fragment() {
        assert_eq!(
            request_url(" https://a.example/x#Top "),
            ("https://a.example/x".to_string(), Some("Top"))
        );
        assert_eq!(
            request_url("//cdn.example/x"),
            ("https://cdn.example/x".to_string(), None)
        );
        assert_eq!(
            request_url("https://a.example/#"),
            ("https://a.example/".to_string(), None)
        );
    }
}
