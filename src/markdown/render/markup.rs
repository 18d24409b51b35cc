//! The markup of the elements the renderer writes many times a page: a heading
//! with its anchor link, a code block's `pre`, an alert, the wrapper that lets a
//! wide table scroll, a task's checkbox, the Learning Resources and Success
//! Criteria blocks and a Learning Resources link; and the place a check widget
//! goes. Every tag and class name that another module depends on is here: the
//! print view finds code blocks by [`CODE_BLOCK_OPEN`] and [`CODE_BLOCK_END`]
//! and pages with a title of their own by [`H1_OPEN`]; the theme's stylesheet and
//! script style and use these classes.
//!
//! Why here and not in the theme's templates, as the check widget is: a template
//! per element costs too much for elements this many. The generated 1,000-chapter
//! workshop (`examples/gen-workshop.rs`) has about 22,000 of them (10,000 headings,
//! 8,000 code blocks, 2,400 alerts, 1,600 tables). `examples/markup-cost.rs` writes
//! them both ways on one thread: these functions took 4 ms, a tera template each
//! 21 ms (release build, best of five, the content between the tags left out, so
//! at least that). The difference, 8 ms of a build's wall time on two cores, is a
//! quarter as much again as parsing the Markdown and writing its HTML (about 30 ms);
//! and as the renderer cannot reach the theme (it sits on the floor below), each
//! element would also need a place left for it and a pass that fills it, as the
//! check widget has ([`crate::markdown::VerifyBlock::widget_at`]): fine for two
//! widgets a page, not for a few dozen elements. A theme styles these by their classes.

use pulldown_cmark::BlockQuoteKind;

use crate::markdown::highlight::escape_html;

/// How every code block's opening tag starts (`<pre class="code" data-lang="bash">`).
pub const CODE_BLOCK_OPEN: &str = "<pre class=\"code\"";

/// The end of every code block. Highlighted code never holds it: its text is escaped.
pub const CODE_BLOCK_CLOSE: &str = "</code></pre>\n";

/// The closing tag in [`CODE_BLOCK_CLOSE`]: the first one after a [`CODE_BLOCK_OPEN`]
/// ends the block (raw HTML written as `<pre class="code">…</pre>` included).
pub const CODE_BLOCK_END: &str = "</pre>";

/// How a level-1 heading's opening tag starts: a page whose HTML has none gets its
/// title as one from the theme.
pub const H1_OPEN: &str = "<h1";

/// The opening of a code block in `lang` (lower case; empty when the fence names none),
/// up to where the code goes.
pub fn code_block_open(lang: &str) -> String {
    if lang.is_empty() {
        format!("{CODE_BLOCK_OPEN}><code>")
    } else {
        let lang = escape_html(lang);
        format!("{CODE_BLOCK_OPEN} data-lang=\"{lang}\"><code class=\"language-{lang}\">")
    }
}

/// The opening tag of a heading of `level` with the GitHub id `id`.
pub fn heading_open(level: u8, id: &str) -> String {
    format!("<h{level} id=\"{}\">", escape_html(id))
}

/// The end of a heading: the link to its own section, then the closing tag.
pub fn heading_close(level: u8, id: &str) -> String {
    format!(
        "<a class=\"anchor\" href=\"#{}\" aria-label=\"Link to this section\"></a></h{level}>\n",
        escape_html(id)
    )
}

/// The opening of a GitHub alert (`> [!NOTE]`): a call-out with its title.
pub fn alert_open(kind: BlockQuoteKind) -> String {
    let (class, title) = alert(kind);
    format!(
        "<div class=\"markdown-alert markdown-alert-{class}\">\n<p class=\"markdown-alert-title\">{title}</p>\n"
    )
}

pub const ALERT_CLOSE: &str = "</div>\n";

/// An alert's class suffix and title, as GitHub shows them.
fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// Around a table, so that a wide one scrolls instead of widening the page.
pub const TABLE_WRAP_OPEN: &str = "<div class=\"table-wrap\">\n";
pub const TABLE_WRAP_CLOSE: &str = "</div>\n";

/// Around the top-level list of a Learning Resources section.
pub const RESOURCES_OPEN: &str = "<div class=\"resources\">\n";
pub const RESOURCES_CLOSE: &str = "</div>\n";

/// Around what stands under a Success Criteria heading, up to the next heading
/// of its level or above.
pub const SUCCESS_CRITERIA_OPEN: &str = "<div class=\"success-criteria\">\n";
pub const SUCCESS_CRITERIA_CLOSE: &str = "</div>\n";

/// A task-list item's checkbox, named so that a screen reader says what its state means.
pub fn task_checkbox(checked: bool) -> &'static str {
    if checked {
        "<input type=\"checkbox\" disabled=\"\" checked=\"\" aria-label=\"Completed\"/>\n"
    } else {
        "<input type=\"checkbox\" disabled=\"\" aria-label=\"Completed\"/>\n"
    }
}

/// The opening tag of a Learning Resources link to another site: it opens in a new tab.
pub fn resource_link_start(href: &str, title: &str) -> String {
    let title = if title.is_empty() {
        String::new()
    } else {
        format!(" title=\"{}\"", escape_html(title))
    };
    format!(
        "<a class=\"resource-link\" href=\"{}\"{title} target=\"_blank\" rel=\"noopener\">",
        escape_html(href)
    )
}

/// The end of a Learning Resources link: a note for screen readers that it opens a
/// new tab, and the name of its site after it.
pub fn resource_link_end(site: &str) -> String {
    format!(
        "<span class=\"visually-hidden\"> (opens in a new tab)</span></a> <span class=\"resource-site\">{}</span>",
        escape_html(site)
    )
}

/// What the renderer writes where a `verify` block's check widget goes: one newline,
/// which the widget replaces (see [`crate::markdown::VerifyBlock::widget_at`]). The
/// HTML writer starts some blocks on a new line when what it wrote last did not end
/// one; after this newline it writes what follows as it would after the widget.
pub const WIDGET_PLACE: &str = "\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_links_open_a_new_tab_and_escape_what_they_show() {
        assert_eq!(
            resource_link_start("https://a.example/?q=1&r=\"2\"", ""),
            "<a class=\"resource-link\" href=\"https://a.example/?q=1&amp;r=&quot;2&quot;\" target=\"_blank\" rel=\"noopener\">"
        );
        assert!(
            resource_link_start("https://a.example/", "A <b>").contains(" title=\"A &lt;b&gt;\"")
        );
        assert!(resource_link_end("a<b").ends_with("<span class=\"resource-site\">a&lt;b</span>"));
    }

    #[test]
    fn code_blocks_start_and_end_as_the_print_view_expects() {
        for lang in ["", "bash", "c++"] {
            let open = code_block_open(lang);
            assert!(open.starts_with(CODE_BLOCK_OPEN), "{open}");
            assert!(open.ends_with("<code>") || open.ends_with("\">"), "{open}");
        }
        assert_eq!(
            code_block_open("a\"b"),
            "<pre class=\"code\" data-lang=\"a&quot;b\"><code class=\"language-a&quot;b\">"
        );
        assert!(CODE_BLOCK_CLOSE.starts_with(&format!("</code>{CODE_BLOCK_END}")));
    }

    #[test]
    fn headings_escape_their_id() {
        assert_eq!(heading_open(2, "a\"b"), "<h2 id=\"a&quot;b\">");
        assert!(heading_open(1, "x").starts_with(H1_OPEN));
        assert_eq!(
            heading_close(3, "x<y"),
            "<a class=\"anchor\" href=\"#x&lt;y\" aria-label=\"Link to this section\"></a></h3>\n"
        );
    }
}
