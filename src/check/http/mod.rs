//! Checking external URLs: each distinct URL once, from a cache when it is
//! fresh, else over HTTP by a bounded pool of workers, politely per host, all
//! within one deadline so that the check never hangs.

mod cache;
mod client;
mod throttle;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

pub use cache::Cache;
pub use client::{anchors, BROWSER_USER_AGENT};

use crate::workshop::config::checks::ExternalLinksConfig;

/// One URL to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The URL without its fragment.
    pub url: String,
    /// Whether the page's ids are needed, to check `#fragments`.
    pub want_anchors: bool,
}

/// What checking a URL found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The URL works (after redirects).
    Ok {
        status: u16,
        /// The URL a permanent redirect led to.
        redirect: Option<String>,
        /// The page's ids, when they were wanted.
        anchors: Option<Vec<String>>,
    },
    Failed {
        message: String,
    },
    /// The run's deadline passed before the URL's turn.
    NotChecked {
        message: String,
    },
}

/// What a run of external checks did.
#[derive(Debug, Default)]
pub struct Run {
    /// One outcome per job, in the jobs' order.
    pub outcomes: Vec<Outcome>,
    /// URLs answered from the cache.
    pub cached: usize,
    /// Problems with the cache, which do not stop the check.
    pub notes: Vec<String>,
}

/// Checks every job; `root` is the workshop root the cache path is relative to.
pub fn check_all(jobs: &[Job], config: &ExternalLinksConfig, root: &Path, progress: bool) -> Run {
    let started = Instant::now();
    let deadline = started + config.deadline;
    let use_cache = !config.cache_ttl.is_zero();
    let mut run = Run::default();
    let (mut cache, problem) = Cache::load(&root.join(&config.cache), config.cache_ttl);
    if use_cache {
        run.notes.extend(problem);
    }

    let mut outcomes: Vec<Option<Outcome>> = vec![None; jobs.len()];
    let mut todo = Vec::new();
    for (i, job) in jobs.iter().enumerate() {
        let hit = use_cache
            .then(|| cache.get(&job.url, job.want_anchors, |s| config.accepts(s)))
            .flatten();
        match hit {
            Some(outcome) => {
                outcomes[i] = Some(outcome);
                run.cached += 1;
            }
            None => todo.push(i),
        }
    }

    let bar = if progress && !todo.is_empty() {
        let bar = ProgressBar::new(todo.len() as u64);
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} checking external links {pos}/{len} {wide_msg}")
        {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let client = client::Client::new(config, deadline);
    let next = AtomicUsize::new(0);
    let done = Mutex::new(Vec::with_capacity(todo.len()));
    let workers = config.concurrency.clamp(1, todo.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let Some(&i) = todo.get(n) else { break };
                bar.set_message(jobs[i].url.clone());
                let outcome = client.check(&jobs[i]);
                done.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((i, outcome));
                bar.inc(1);
            });
        }
    });
    bar.finish_and_clear();

    for (i, outcome) in done.into_inner().unwrap_or_else(|e| e.into_inner()) {
        if use_cache {
            cache.put(&jobs[i].url, &outcome);
        }
        outcomes[i] = Some(outcome);
    }
    if use_cache
        && todo
            .iter()
            .any(|&i| matches!(outcomes[i], Some(Outcome::Ok { .. })))
    {
        if let Err(e) = cache.save() {
            run.notes.push(format!(
                "cannot write the link cache {}: {e}",
                crate::diag::display_path(&config.cache)
            ));
        }
    }
    run.outcomes = outcomes
        .into_iter()
        .map(|o| {
            o.unwrap_or_else(|| Outcome::NotChecked {
                message: "not checked".to_string(),
            })
        })
        .collect();
    run
}
