//! `nav-mismatch`: hand-written "previous / next chapter" links.
//!
//! A link whose text says next (`next`, a trailing `>`, `»`, `→`) or previous
//! (`previous`, `prev`, a leading `<`, `«`, `←`) and points at a page of the
//! workshop must point at the page before or after this one in the actual
//! reading order, or at the first page of the chapter before or after this one.

use super::{Context, PageCtx};
use crate::diag::{display_path, Diagnostic, Rule};
use crate::markdown::links::Target;
use crate::markdown::LinkKind;
use crate::urlpath::relative_url;
use crate::workshop::Workshop;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Next,
    Previous,
}

/// The direction a link's text names, if exactly one.
pub fn direction(text: &str) -> Option<Direction> {
    let t = text.trim().to_lowercase();
    let mut words = t
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    let (mut next, mut previous) = (false, false);
    for w in words.by_ref() {
        next |= w == "next";
        previous |= w == "previous" || w == "prev";
    }
    next |= t.ends_with(['>', '»', '→']);
    previous |= t.starts_with(['<', '«', '←']);
    match (next, previous) {
        (true, false) => Some(Direction::Next),
        (false, true) => Some(Direction::Previous),
        _ => None,
    }
}

/// The first page of the chapter (or landing section) page `i` belongs to.
fn unit_start(ws: &Workshop, mut i: usize) -> usize {
    while i > 0 && ws.pages[i - 1].chapter == ws.pages[i].chapter {
        i -= 1;
    }
    i
}

/// Pages a link in direction `dir` from page `i` may point at, the preferred one first.
fn expected(ws: &Workshop, i: usize, dir: Direction) -> Vec<usize> {
    let mut out = Vec::new();
    match dir {
        Direction::Next => {
            if let Some(j) = (i + 1..ws.pages.len()).find(|&j| unit_start(ws, j) == j) {
                out.push(j);
            }
            if i + 1 < ws.pages.len() {
                out.push(i + 1);
            }
        }
        Direction::Previous => {
            let start = unit_start(ws, i);
            if start > 0 {
                out.push(unit_start(ws, start - 1));
            }
            if i > 0 {
                out.push(i - 1);
            }
        }
    }
    out
}

pub fn check(ctx: &Context, page: &PageCtx, out: &mut Vec<Diagnostic>) {
    let ws = &ctx.rendered.workshop;
    for link in &page.doc.links {
        let Target::Page(target) = link.resolved.target else {
            continue;
        };
        if matches!(link.kind, LinkKind::Image) || ctx.url_ignored(&link.dest) {
            continue;
        }
        let Some(dir) = direction(&link.text) else {
            continue;
        };
        let allowed = expected(ws, page.index, dir);
        if allowed.contains(&target) {
            continue;
        }
        let word = match dir {
            Direction::Next => "next",
            Direction::Previous => "previous",
        };
        let shown = |i: usize| {
            format!(
                "`{}`",
                display_path(&ws.display_source(&ws.pages[i].source))
            )
        };
        let points_at = shown(target);
        let (message, hint) = match allowed.first() {
            Some(&want) => (
                format!(
                    "“{word}” link points at {points_at}, but the {word} page is {}",
                    shown(want)
                ),
                format!(
                    "point it at `{}`, or change the order in workshop.yaml `chapters:`",
                    relative_url(&page.page.source, &ws.pages[want].source)
                ),
            ),
            None => (
                format!("“{word}” link points at {points_at}, but this page has no {word} page"),
                "remove the link, or change the order in workshop.yaml `chapters:`".to_string(),
            ),
        };
        out.push(
            page.finding(Rule::NavMismatch, link.line, link.column, message)
                .with_target(&link.dest)
                .with_hint(hint),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions_from_link_text() {
        use Direction::*;
        for (text, want) in [
            ("next Chapter 4 - Failover and Restore >", Some(Next)),
            ("< previous Chapter 2 - Data Redundancy ", Some(Previous)),
            ("Prev", Some(Previous)),
            ("Start with Chapter 1 - Setup >", Some(Next)),
            ("« Back", Some(Previous)),
            ("Continue →", Some(Next)),
            ("Next.js documentation", Some(Next)),
            ("Home", None),
            ("a > b < c", None),
            ("next or previous", None),
            ("Nextcloud", None),
        ] {
            assert_eq!(direction(text), want, "{text:?}");
        }
    }
}
