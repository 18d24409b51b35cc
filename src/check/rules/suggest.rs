//! "Did you mean": the closest known name to one that does not exist.
//!
//! A real repository has thousands of files and folders, and a few percent of
//! its relative links are broken: comparing every broken link with every path,
//! each lowered again for each pair, with a full edit distance, took 64% of
//! `check --offline` on a 400-page repository (9.7 s). Here candidates are
//! lowered once per check, those whose length alone rules them out are skipped,
//! and the edit distance stops as soon as it exceeds the limit.

use std::collections::HashSet;
use std::path::Path;

use crate::diag::display_path;

/// A name to suggest, lowered once.
#[derive(Debug)]
pub struct Candidate {
    /// As shown to users (`chapter-2/README.md`).
    pub shown: String,
    lower: Vec<char>,
}

/// Every name a suggestion may be, prepared for many look-ups.
#[derive(Debug, Default)]
pub struct Candidates {
    items: Vec<Candidate>,
}

impl Candidates {
    pub fn new(names: impl IntoIterator<Item = String>) -> Candidates {
        Candidates {
            items: names
                .into_iter()
                .map(|shown| Candidate {
                    lower: shown.to_lowercase().chars().collect(),
                    shown,
                })
                .collect(),
        }
    }

    /// The workshop's files and pages, and every folder holding them.
    pub fn paths<'p>(known: impl IntoIterator<Item = &'p Path>) -> Candidates {
        let mut seen: HashSet<&Path> = HashSet::new();
        for path in known {
            let mut at = Some(path);
            while let Some(p) = at.filter(|p| !p.as_os_str().is_empty()) {
                if !seen.insert(p) {
                    break; // its folders are in already
                }
                at = p.parent();
            }
        }
        let mut names: Vec<String> = seen.into_iter().map(display_path).collect();
        // The same answer whatever the order of the hash set.
        names.sort_unstable();
        Candidates::new(names)
    }

    /// The candidate closest to `wanted`: equal but for letter case, else within a
    /// small edit distance (about one typo per four characters, at most 3); the
    /// first in order among equally close ones. `wanted` itself is never suggested.
    pub fn closest(&self, wanted: &str) -> Option<&Candidate> {
        let lower: Vec<char> = wanted.to_lowercase().chars().collect();
        let limit = (wanted.chars().count() / 4).clamp(1, 3);
        let mut best: Option<(usize, &Candidate)> = None;
        for c in &self.items {
            let bound = best.map_or(limit, |(d, _)| d.saturating_sub(1));
            if c.lower.len().abs_diff(lower.len()) > bound || c.shown == wanted {
                continue;
            }
            if let Some(d) = bounded_distance(&lower, &c.lower, bound) {
                best = Some((d, c));
                if d == 0 {
                    break;
                }
            }
        }
        best.map(|(_, c)| c)
    }
}

/// The candidate closest to `wanted` among a few names (a page's heading ids).
pub fn closest<'c>(wanted: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let names: Vec<&str> = candidates.into_iter().collect();
    let prepared = Candidates::new(names.iter().map(|s| s.to_string()));
    let best = prepared.closest(wanted)?;
    names.into_iter().find(|n| *n == best.shown)
}

/// The Levenshtein distance between `a` and `b` if it is at most `limit`, else
/// `None`. Only the diagonal band of width `2 × limit + 1` can hold a distance
/// within the limit, so only it is computed, and the search stops at the first
/// row whose every cell exceeds the limit: about `limit²` cells for unrelated
/// names instead of their lengths' product.
pub fn bounded_distance(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > limit {
        return None;
    }
    // Anything over the limit is as good as infinite.
    let over = limit + 1;
    let mut prev: Vec<usize> = (0..=m).map(|j| j.min(over)).collect();
    let mut cur = vec![over; m + 1];
    for i in 1..=n {
        let lo = i.saturating_sub(limit).max(1);
        let hi = (i + limit).min(m);
        cur[0] = i.min(over);
        cur[lo - 1] = if lo == 1 { cur[0] } else { over };
        let mut row_min = cur[lo - 1];
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let value = (prev[j - 1] + cost).min(prev[j] + 1).min(cur[j - 1] + 1);
            cur[j] = value.min(over);
            row_min = row_min.min(cur[j]);
        }
        if hi < m {
            cur[hi + 1] = over; // the next row reads it as the cell above
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[m]).filter(|&d| d <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn closest_prefers_case_only_then_small_typos() {
        let candidates = ["README.md", "chapter-2/README.md", "images/arch.png"];
        assert_eq!(closest("readme.md", candidates), Some("README.md"));
        assert_eq!(
            closest("chapter-2/READNE.md", candidates),
            Some("chapter-2/README.md")
        );
        assert_eq!(
            closest("images/arhc.png", candidates),
            Some("images/arch.png")
        );
        assert_eq!(closest("backup-overview.md", candidates), None);
        assert_eq!(closest("README.md", candidates), None, "never itself");
    }

    #[test]
    fn the_bounded_distance_agrees_with_the_full_one_within_the_limit() {
        assert_eq!(
            bounded_distance(&chars("kitten"), &chars("sitting"), 3),
            Some(3)
        );
        assert_eq!(
            bounded_distance(&chars("kitten"), &chars("sitting"), 2),
            None
        );
        assert_eq!(bounded_distance(&chars(""), &chars("ab"), 2), Some(2));
        assert_eq!(bounded_distance(&chars("abc"), &chars("abc"), 0), Some(0));
        assert_eq!(
            bounded_distance(&chars("a-very-long-name"), &chars("b"), 3),
            None,
            "ruled out by length alone"
        );
        // Every pair of short strings over a small alphabet, against a plain DP.
        let words: Vec<String> = (0..81)
            .map(|n| {
                (0..4)
                    .map(|k| ['a', 'b', 'c'][(n / 3usize.pow(k)) % 3])
                    .take(1 + n % 4)
                    .collect()
            })
            .collect();
        for a in &words {
            for b in &words {
                let full = plain_distance(&chars(a), &chars(b));
                for limit in 0..4 {
                    let want = (full <= limit).then_some(full);
                    assert_eq!(bounded_distance(&chars(a), &chars(b), limit), want);
                }
            }
        }
    }

    #[test]
    fn the_band_holds_for_long_names_too() {
        // Names longer than the band, edited a few times: a small LCG picks the edits.
        let mut seed: u64 = 42;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n
        };
        for _ in 0..2_000 {
            let len = 8 + next(20);
            let a: Vec<char> = (0..len).map(|_| ['a', 'b', 'c', 'd'][next(4)]).collect();
            let mut b = a.clone();
            for _ in 0..next(6) {
                let at = next(b.len() + 1);
                match next(3) {
                    0 if at < b.len() => b[at] = ['a', 'b', 'x'][next(3)],
                    1 if at < b.len() => {
                        b.remove(at);
                    }
                    _ => b.insert(at, 'y'),
                }
            }
            let full = plain_distance(&a, &b);
            for limit in 0..5 {
                let want = (full <= limit).then_some(full);
                assert_eq!(bounded_distance(&a, &b, limit), want, "{a:?} {b:?} {limit}");
            }
        }
    }

    fn plain_distance(a: &[char], b: &[char]) -> usize {
        let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                d[i][j] = (d[i - 1][j - 1] + cost)
                    .min(d[i - 1][j] + 1)
                    .min(d[i][j - 1] + 1);
            }
        }
        d[a.len()][b.len()]
    }

    #[test]
    fn paths_hold_every_folder_once() {
        let c = Candidates::paths([
            Path::new("a/b/c.md"),
            Path::new("a/b/d.md"),
            Path::new("e.png"),
        ]);
        let shown: Vec<&str> = c.items.iter().map(|c| c.shown.as_str()).collect();
        assert_eq!(shown, ["a", "a/b", "a/b/c.md", "a/b/d.md", "e.png"]);
        assert_eq!(c.closest("a/b/C.md").unwrap().shown, "a/b/c.md");
        assert_eq!(c.closest("a/bb").unwrap().shown, "a/b");
    }
}
