//! `missing-resources`: every task (a heading matching `rules.task_heading`,
//! default `^Task \d+`) has a Learning Resources list with at least one link.
//!
//! The list may be a labelled list (`💡 **Learning Resources**:` then `- [..](..)`)
//! or a heading (`### Learning Resources`) anywhere in the task's section, which
//! runs until the next heading of the same or a higher level.

use super::{Context, PageCtx};
use crate::diag::{Diagnostic, Rule};
use crate::markdown::SectionKind;

pub fn check(ctx: &Context, page: &PageCtx, out: &mut Vec<Diagnostic>) {
    let doc = page.doc;
    let task = ctx.task_heading();
    for (index, heading) in doc.headings.iter().enumerate() {
        if !task.is_match(&heading.text) {
            continue;
        }
        let end = doc.headings[index + 1..]
            .iter()
            .position(|h| h.level <= heading.level)
            .map_or(doc.headings.len(), |p| index + 1 + p);
        let lists: Vec<_> = doc
            .sections
            .iter()
            .filter(|s| {
                s.kind == SectionKind::LearningResources
                    && s.heading.is_some_and(|h| {
                        // A heading section is itself a heading below the task; a label sits under one.
                        let first = if s.is_heading { index + 1 } else { index };
                        (first..end).contains(&h)
                    })
            })
            .collect();
        let found = !lists.is_empty();
        let with_links = lists.iter().any(|s| !s.links.is_empty());
        if with_links {
            continue;
        }
        let message = if found {
            format!("the Learning Resources of “{}” list no links", heading.text)
        } else {
            format!("task “{}” has no Learning Resources", heading.text)
        };
        let column = page.line(heading.line).map_or(1, heading_text_column);
        out.push(
            page.finding(Rule::MissingResources, heading.line, column, message).with_hint(
                "after the task, add `💡 **Learning Resources**:` followed by a list of links such as \
                 `- [Title](https://…)` that explain its steps",
            ),
        );
    }
}

/// The 1-based column where a heading's text starts (after `## ` or indentation).
fn heading_text_column(line: &str) -> usize {
    let trimmed = line.trim_start();
    let after_marks = trimmed.trim_start_matches('#');
    let text = if after_marks.len() < trimmed.len() {
        after_marks.trim_start()
    } else {
        trimmed
    };
    line.chars().count() - text.chars().count() + 1
}

#[cfg(test)]
mod tests {
    use super::heading_text_column;

    #[test]
    fn heading_columns() {
        assert_eq!(heading_text_column("## Task 1: Deploy"), 4);
        assert_eq!(heading_text_column("  ### Task 2"), 7);
        assert_eq!(heading_text_column("Task 3"), 1);
        assert_eq!(heading_text_column("#"), 2);
    }
}
