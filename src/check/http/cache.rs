//! The link cache (`.labsite/link-cache.json` by default): working URLs with the
//! time they were checked, so that repeated runs within the time to live ask
//! nobody. Failures are never cached: a broken link is asked again next time.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::Outcome;

const VERSION: u32 = 1;

#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    entries: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    /// Seconds since the Unix epoch.
    checked: u64,
    status: u16,
    /// Where a permanent redirect led.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    redirect: Option<String>,
    /// The page's ids, when its fragments were checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    anchors: Option<Vec<String>>,
}

/// Results of earlier runs.
#[derive(Debug)]
pub struct Cache {
    path: PathBuf,
    ttl: Duration,
    file: CacheFile,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Cache {
    /// Reads the cache at `path`; a missing file is an empty cache, an unreadable
    /// one is an empty cache and a message saying why.
    pub fn load(path: &Path, ttl: Duration) -> (Cache, Option<String>) {
        let empty = |problem: Option<String>| {
            let cache = Cache {
                path: path.to_path_buf(),
                ttl,
                file: CacheFile {
                    version: VERSION,
                    entries: BTreeMap::new(),
                },
            };
            (cache, problem)
        };
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return empty(None),
            Err(e) => return empty(Some(format!("cannot read the link cache: {e}"))),
        };
        match serde_json::from_str::<CacheFile>(&text) {
            Ok(file) if file.version == VERSION => (
                Cache {
                    path: path.to_path_buf(),
                    ttl,
                    file,
                },
                None,
            ),
            Ok(_) => empty(None),
            Err(e) => empty(Some(format!(
                "the link cache is damaged and was started afresh: {e}"
            ))),
        }
    }

    /// A fresh result for `url`, if one is cached: still within the time to
    /// live, with a status still accepted, and with the page's ids when they are wanted.
    pub fn get(
        &self,
        url: &str,
        want_anchors: bool,
        accepts: impl Fn(u16) -> bool,
    ) -> Option<Outcome> {
        let e = self.file.entries.get(url)?;
        let age = Duration::from_secs(now().saturating_sub(e.checked));
        if age >= self.ttl || !accepts(e.status) || (want_anchors && e.anchors.is_none()) {
            return None;
        }
        Some(Outcome::Ok {
            status: e.status,
            redirect: e.redirect.clone(),
            anchors: e.anchors.clone(),
        })
    }

    /// Remembers a working URL; failures are not remembered.
    pub fn put(&mut self, url: &str, outcome: &Outcome) {
        if let Outcome::Ok {
            status,
            redirect,
            anchors,
        } = outcome
        {
            self.file.entries.insert(
                url.to_string(),
                Entry {
                    checked: now(),
                    status: *status,
                    redirect: redirect.clone(),
                    anchors: anchors.clone(),
                },
            );
        }
    }

    /// Writes the cache without its expired entries, atomically.
    pub fn save(&mut self) -> std::io::Result<()> {
        let now = now();
        let ttl = self.ttl.as_secs();
        self.file
            .entries
            .retain(|_, e| now.saturating_sub(e.checked) < ttl);
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let json = serde_json::to_string_pretty(&self.file).map_err(std::io::Error::other)?;
        let tmp = self
            .path
            .with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&tmp, json)?;
        std::fs::rename(&tmp, &self.path).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_successes_within_the_time_to_live() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".labsite/link-cache.json");
        let (mut cache, problem) = Cache::load(&path, Duration::from_secs(60));
        assert!(problem.is_none());
        let ok = Outcome::Ok {
            status: 200,
            redirect: None,
            anchors: None,
        };
        cache.put("https://a.example/", &ok);
        cache.put(
            "https://b.example/",
            &Outcome::Failed {
                message: "404".into(),
            },
        );
        cache.save().unwrap();

        let (cache, _) = Cache::load(&path, Duration::from_secs(60));
        assert!(cache
            .get("https://a.example/", false, |s| s == 200)
            .is_some());
        assert!(
            cache.get("https://b.example/", false, |_| true).is_none(),
            "failures are not cached"
        );
        assert!(
            cache.get("https://a.example/", true, |_| true).is_none(),
            "ids were not fetched"
        );
        assert!(
            cache
                .get("https://a.example/", false, |s| s == 204)
                .is_none(),
            "status no longer accepted"
        );
        let (cache, _) = Cache::load(&path, Duration::ZERO);
        assert!(
            cache.get("https://a.example/", false, |_| true).is_none(),
            "expired"
        );
    }

    #[test]
    fn a_damaged_cache_is_started_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.json");
        std::fs::write(&path, "{not json").unwrap();
        let (cache, problem) = Cache::load(&path, Duration::from_secs(60));
        assert!(problem.unwrap().contains("damaged"));
        assert!(cache.file.entries.is_empty());
    }
}
