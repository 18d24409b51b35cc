//! GitHub's extended autolinks: bare `https://…` and `www.…` in text become links.
//!
//! pulldown-cmark implements CommonMark's `<https://…>` autolinks only; GitHub
//! also links bare URLs, and workshop authors rely on it.

use std::sync::OnceLock;

use regex::Regex;

/// Byte ranges of the bare URLs in a text, trailing punctuation left out as GitHub does.
pub fn find(text: &str) -> Vec<std::ops::Range<usize>> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re =
        RE.get_or_init(|| Regex::new(r"(?i)\b(?:https?://|www\.)[^\s<>]+").expect("valid regex"));
    let mut out = Vec::new();
    for m in re.find_iter(text) {
        let end = m.start() + trim_trailing(m.as_str());
        if end > m.start() + 4 {
            out.push(m.start()..end);
        }
    }
    out
}

/// Length of a candidate URL without trailing punctuation and unbalanced closing parentheses.
fn trim_trailing(url: &str) -> usize {
    let mut end = url.len();
    loop {
        let s = &url[..end];
        let Some(last) = s.chars().last() else {
            return 0;
        };
        if "?!.,:*_~'\";".contains(last) {
            end -= last.len_utf8();
        } else if last == ')' && s.matches(')').count() > s.matches('(').count() {
            end -= 1;
        } else {
            return end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str) -> Vec<&str> {
        find(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn bare_urls() {
        assert_eq!(
            urls("see https://learn.microsoft.com/azure."),
            vec!["https://learn.microsoft.com/azure"]
        );
        assert_eq!(
            urls("(www.example.com/a_(b))"),
            vec!["www.example.com/a_(b)"]
        );
        assert_eq!(
            urls("go to http://x.io/?a=1, then"),
            vec!["http://x.io/?a=1"]
        );
        assert!(urls("no links here, nor http:// alone").is_empty());
    }
}
