//! `nav-mismatch`: hand-written "previous / next" links that disagree with
//! each other.
//!
//! The reading order is the author's own chain of links, so a link cannot
//! disagree with "the order"; it can disagree with the page it points at. A's
//! next link points at B while B's previous link points at C (the chain skips
//! a page or forks), or B's next link points back at A (a loop). Both ends are
//! named, and the hint says which link to change to make the chain consistent.

use super::{Context, PageCtx};
use crate::diag::{display_path, Diagnostic, Rule};
use crate::urlpath::relative_url;
use crate::workshop::navlinks::{Direction, NavLink};
use crate::workshop::Workshop;

pub fn check(ctx: &Context, page: &PageCtx, out: &mut Vec<Diagnostic>) {
    let ws = &ctx.rendered.workshop;
    for link in ws.reading.links_from(page.index) {
        if ctx.url_ignored(&link.dest) {
            continue;
        }
        if let Some(d) = disagreement(ws, link) {
            out.push(
                page.finding(Rule::NavMismatch, link.line, link.column, d.0)
                    .with_target(&link.dest)
                    .with_hint(d.1),
            );
        }
    }
}

fn opposite(d: Direction) -> Direction {
    match d {
        Direction::Next => Direction::Previous,
        Direction::Previous => Direction::Next,
    }
}

/// The message and hint when `link` disagrees with the links of the page it points at.
fn disagreement(ws: &Workshop, link: &NavLink) -> Option<(String, String)> {
    let links = &ws.reading.links;
    let (a, b) = (link.from, link.to);
    let word = link.direction.word();
    let back = opposite(link.direction).word();
    let shown = |i: usize| {
        format!(
            "`{}`",
            display_path(&ws.display_source(&ws.pages[i].source))
        )
    };
    let rel = |from: usize, to: usize| relative_url(&ws.pages[from].source, &ws.pages[to].source);
    let of_b = |d: Direction| {
        links
            .iter()
            .filter(move |l| l.from == b && l.direction == d)
    };

    if of_b(link.direction).any(|l| l.to == a) {
        return Some((
            format!(
                "“{word}” link points at {}, whose “{word}” link points back at this page: the chain loops",
                shown(b)
            ),
            format!("point one of the two “{word}” links onward, or make one of them “{back}”"),
        ));
    }
    let answer: Vec<usize> = of_b(opposite(link.direction)).map(|l| l.to).collect();
    if answer.is_empty() || answer.contains(&a) {
        return None;
    }
    let c = answer[0];
    // The page that says it comes right after/before this one, if any.
    let claims_a = links
        .iter()
        .find(|l| l.to == a && l.direction == opposite(link.direction) && l.from != b)
        .map(|l| l.from);
    let hint = match claims_a {
        Some(d) => format!(
            "point this link at `{}` ({} says its {back} page is this one), or point the {back} link of {} at `{}`",
            rel(a, d),
            shown(d),
            shown(b),
            rel(b, a)
        ),
        None => format!(
            "point the {back} link of {} at `{}`, or point this link at the page that comes {} this one",
            shown(b),
            rel(b, a),
            match link.direction {
                Direction::Next => "after",
                Direction::Previous => "before",
            }
        ),
    };
    Some((
        format!(
            "“{word}” link points at {}, but that page's “{back}” link points at {}, not at this page",
            shown(b),
            shown(c)
        ),
        hint,
    ))
}
