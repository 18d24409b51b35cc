//! The check widget that stands in a page for a `verify` block, drawn by the
//! theme's `verify-widget.html` where the renderer left its place
//! ([`crate::markdown::VerifyBlock::widget_at`]).
//!
//! The template gets the chapter and check id (the preview server's script runs
//! the check by them), the title, the task it belongs to when the title is not
//! that already, and the exact `labsite verify` command. The theme escapes every
//! value: nothing an author or a validator writes becomes markup. A page's HTML
//! with its widgets is made when the page is laid out (and again for the print
//! view), so that a change of the theme needs no new render of the Markdown.

use std::borrow::Cow;

use serde::Serialize;

use super::theme::Theme;
use crate::diag::Diagnostic;
use crate::markdown::{markup, Document, VerifyBlock};
use crate::workshop::verify_block::check_command;

/// The theme's template of the widget.
pub const TEMPLATE: &str = "verify-widget.html";

/// Room to make for a widget in a page's HTML: the default theme's take about 600
/// bytes. (The print view sizes its buffer by it: a buffer that grows at the end
/// of the workshop is copied whole, which cost 15 MB of peak memory for 1,000 chapters.)
pub const SIZE_HINT: usize = 1024;

/// What the widget's template sees.
#[derive(Serialize)]
struct WidgetContext<'a> {
    /// The page's key (`chapter-3`), naming the check with `id`.
    chapter: &'a str,
    id: String,
    title: String,
    /// The task-list item the block follows, when the title is not its text; else empty.
    task: &'a str,
    /// `labsite verify --check chapter-3/vm-backup`; empty on a page without a key.
    command: String,
}

/// The widget of the `n`th (1-based) `verify` block of the page `chapter`; `None`
/// when its YAML does not parse (the block shows as code, and the build reports it).
pub fn html(
    theme: &Theme,
    chapter: &str,
    block: &VerifyBlock,
    n: usize,
) -> Option<Result<String, Diagnostic>> {
    let snippet = block.snippet.as_ref().ok()?;
    let id = snippet.id_or_default(n);
    let task = block.task.as_ref().map(|t| t.text.as_str());
    let title = snippet.title_or(task, &id);
    let ctx = WidgetContext {
        chapter,
        task: task.filter(|t| !t.is_empty() && *t != title).unwrap_or(""),
        command: if chapter.is_empty() {
            String::new()
        } else {
            check_command(chapter, &id)
        },
        id,
        title,
    };
    Some(render(theme, &ctx))
}

fn render(theme: &Theme, ctx: &WidgetContext) -> Result<String, Diagnostic> {
    let context = tera::Context::from_serialize(ctx).map_err(|e| {
        Diagnostic::error(TEMPLATE, format!("cannot prepare the check widget: {e}"))
    })?;
    let html = theme.render(TEMPLATE, &context, SIZE_HINT)?;
    Ok(String::from_utf8(html).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into()))
}

/// The HTML of the page `chapter` rendered as `doc`, with the widget of each of its
/// `verify` blocks in its place; `doc.html` itself when it has none.
pub fn fill<'d>(
    theme: &Theme,
    chapter: &str,
    doc: &'d Document,
) -> Result<Cow<'d, str>, Diagnostic> {
    let mut places = doc
        .verify_blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| Some((b.widget_at?, html(theme, chapter, b, i + 1)?)))
        .peekable();
    if places.peek().is_none() {
        return Ok(Cow::Borrowed(&doc.html));
    }
    let mut out = String::with_capacity(doc.html.len() + SIZE_HINT * doc.verify_blocks.len());
    let mut from = 0;
    for (at, widget) in places {
        out.push_str(&doc.html[from..at]);
        out.push_str(&widget?);
        from = at + markup::WIDGET_PLACE.len();
    }
    out.push_str(&doc.html[from..]);
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::TaskItem;

    /// The widget of a block as a page shows it: none when the YAML does not parse.
    fn widget(chapter: &str, body: &str, n: usize, task: Option<&TaskItem>) -> Option<String> {
        let block = VerifyBlock {
            body: body.into(),
            snippet: crate::workshop::verify_block::parse(body),
            line: 1,
            task: task.cloned(),
            heading: None,
            widget_at: None,
        };
        html(&Theme::builtin().unwrap(), chapter, &block, n).map(|h| h.unwrap())
    }

    #[test]
    fn names_the_check_and_the_command() {
        let html = widget(
            "chapter-3",
            "id: vm-backup\ntitle: VMs are protected\nvalidator: v\n",
            1,
            None,
        )
        .unwrap();
        assert!(html.starts_with(
            "<div class=\"verify\" data-chapter=\"chapter-3\" data-check=\"vm-backup\">"
        ));
        assert!(html.contains("data-status=\"unknown\""));
        assert!(html.contains("<span class=\"verify-title\">VMs are protected</span>"));
        assert!(html.contains(
            "<pre class=\"verify-command\" data-lang=\"shell\"><code>labsite verify --check chapter-3/vm-backup</code></pre>"
        ));
    }

    #[test]
    fn escapes_everything_an_author_writes() {
        let task = TaskItem {
            text: "<img src=x onerror=alert(1)>".into(),
            line: 1,
            checked: false,
        };
        let html = widget(
            "my chapter",
            "title: \"<script>alert(1)</script>\"\nvalidator: v\n",
            2,
            Some(&task),
        )
        .unwrap();
        assert!(
            !html.contains("<script>") && !html.contains("<img"),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("Success criterion: &lt;img src=x onerror=alert(1)&gt;"));
        assert!(
            html.contains("labsite verify --check &#39;my chapter/verify-2&#39;"),
            "{html}"
        );
    }

    #[test]
    fn the_task_titles_an_untitled_check_and_bad_yaml_has_no_widget() {
        let task = TaskItem {
            text: "Git is installed".into(),
            line: 1,
            checked: false,
        };
        let html = widget("c", "validator: v\n", 1, Some(&task)).unwrap();
        assert!(html.contains("<span class=\"verify-title\">Git is installed</span>"));
        assert!(!html.contains("verify-task"), "the task is not repeated");
        assert!(widget("c", "validator: [\n", 1, None).is_none());
    }

    #[test]
    fn widgets_take_their_places_after_highlighted_code() {
        let resolver = crate::markdown::links::Resolver::default();
        let page = std::path::Path::new("c/README.md");
        let doc = crate::markdown::render(
            "# C\n\n```bash\necho one\n```\n\n- [ ] The tool runs\n\n  ```verify\n  validator: v\n  ```\n\n\
             ```python\nprint(2)\n```\n\n```verify\nid: b\nvalidator: [\n```\n\n```verify\nid: c\nvalidator: v\n```\n\nEnd.\n",
            0,
            page,
            page,
            &resolver,
            &Default::default(),
        );
        let places: Vec<Option<usize>> = doc.verify_blocks.iter().map(|b| b.widget_at).collect();
        assert!(places[0].is_some() && places[1].is_none() && places[2].is_some());
        for at in places.into_iter().flatten() {
            assert_eq!(&doc.html[at..at + 1], markup::WIDGET_PLACE);
        }
        let theme = Theme::builtin().unwrap();
        let html = fill(&theme, "c", &doc).unwrap();
        let one = html.find("data-check=\"verify-1\"").expect("first widget");
        let three = html.find("data-check=\"c\"").expect("third widget");
        assert!(html.find("hl-").unwrap() < one && one < html.find("language-python").unwrap());
        let item = html[..one].rfind("<li>").expect("in the task's item");
        assert!(!html[item..one].contains("</li>"), "{html}");
        assert!(
            html.contains("<code class=\"language-verify\">"),
            "bad YAML as code"
        );
        assert!(three < html.find("End.").unwrap());
        assert_eq!(html.matches("<div class=\"verify\"").count(), 2);
        let last = super::html(&theme, "c", &doc.verify_blocks[2], 3)
            .unwrap()
            .unwrap();
        assert!(
            html.contains(&format!("{last}<p>End.</p>")),
            "the widget replaces its place: {html}"
        );
    }
}
