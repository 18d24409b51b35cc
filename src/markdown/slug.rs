//! Heading ids by GitHub's rules, so that a `#fragment` works the same on GitHub and on the site.
//!
//! The text is lower-cased; every character that is not a letter, mark,
//! number, connector punctuation (`_`), `-` or space is removed; each space
//! becomes `-`, with no collapsing. Duplicates get `-1`, `-2`, … as GitHub's
//! slugger does, skipping any suffix already taken.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

/// The slug of one heading text, before de-duplication.
pub fn slug(text: &str) -> String {
    static REMOVE: OnceLock<Regex> = OnceLock::new();
    let remove =
        REMOVE.get_or_init(|| Regex::new(r"[^\p{L}\p{M}\p{N}\p{Pc} -]").expect("valid regex"));
    let lower = text.to_lowercase();
    remove.replace_all(&lower, "").replace(' ', "-")
}

/// Hands out unique ids within one page.
#[derive(Debug, Default, Clone)]
pub struct Slugger {
    seen: HashMap<String, usize>,
}

impl Slugger {
    /// The id for the next heading with this text.
    pub fn unique(&mut self, text: &str) -> String {
        let base = slug(text);
        self.unique_id(base)
    }

    /// Reserves `id` (or its next free `-N` form) and returns it.
    pub fn unique_id(&mut self, base: String) -> String {
        let mut id = base.clone();
        if let Some(count) = self.seen.get(&base).copied() {
            let mut n = count;
            loop {
                n += 1;
                id = format!("{base}-{n}");
                if !self.seen.contains_key(&id) {
                    break;
                }
            }
            self.seen.insert(base, n);
        }
        self.seen.insert(id.clone(), 0);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_cases() {
        let cases = [
            ("Success Criteria 🎉", "success-criteria-"),
            ("a - b", "a---b"),
            (
                "Task 1: Enable Backup for the VM",
                "task-1-enable-backup-for-the-vm",
            ),
            ("What can you back up?", "what-can-you-back-up"),
            (
                "Learning Checkpoint - Backup Options",
                "learning-checkpoint---backup-options",
            ),
            ("C++ & C#", "c--c"),
            ("snake_case_name", "snake_case_name"),
            ("Übersicht für Anfänger", "übersicht-für-anfänger"),
            ("Zażółć gęślą jaźń", "zażółć-gęślą-jaźń"),
            ("日本語の見出し", "日本語の見出し"),
            ("  leading and trailing  ", "--leading-and-trailing--"),
            ("Version 2.0 (preview)", "version-20-preview"),
            ("🎉🎊", ""),
            ("Success Criteria ðŸŽ‰", "success-criteria-ðÿž"),
            ("`code` in *heading*", "code-in-heading"),
        ];
        for (text, want) in cases {
            assert_eq!(slug(text), want, "{text:?}");
        }
    }

    #[test]
    fn duplicates_are_numbered_like_github() {
        let mut s = Slugger::default();
        let ids: Vec<String> = ["Task", "Task", "Task-1", "Task", "task"]
            .iter()
            .map(|t| s.unique(t))
            .collect();
        assert_eq!(ids, vec!["task", "task-1", "task-1-1", "task-2", "task-3"]);
    }
}
