//! The check widget that stands in a page for a `verify` block.
//!
//! Small and semantic: a `div.verify` naming the chapter and check in `data-`
//! attributes (which the preview server's script uses to run the check), the
//! title, the task it belongs to, a status (`data-status="unknown"` until a
//! check has run), an empty message line, and the exact `labsite verify`
//! command, in a `pre` so the theme gives it a copy button. Every text is
//! escaped: nothing an author or a validator writes becomes markup.

use crate::markdown::highlight::escape_html;
use crate::markdown::TaskItem;

use crate::workshop::verify_block::Snippet;

/// The widget of the `n`th (1-based) `verify` block of the page `chapter`, whose
/// YAML parsed to `snippet` (a block that does not parse shows as code, and the
/// build reports the error).
pub fn html(chapter: &str, snippet: &Snippet, n: usize, task: Option<&TaskItem>) -> String {
    let id = snippet.id_or_default(n);
    let task_text = task.map(|t| t.text.as_str());
    let title = snippet.title_or(task_text, &id);
    let mut html = format!(
        "<div class=\"verify\" data-chapter=\"{}\" data-check=\"{}\">\n",
        escape_html(chapter),
        escape_html(&id)
    );
    html.push_str(&format!(
        "<p class=\"verify-head\"><span class=\"verify-status\" data-status=\"unknown\" role=\"status\" aria-live=\"polite\">Not checked</span> <span class=\"verify-title\">{}</span></p>\n",
        escape_html(&title)
    ));
    if let Some(task) = task_text.filter(|t| !t.is_empty() && *t != title) {
        html.push_str(&format!(
            "<p class=\"verify-task\">Success criterion: {}</p>\n",
            escape_html(task)
        ));
    }
    html.push_str("<p class=\"verify-message\" hidden></p>\n");
    if !chapter.is_empty() {
        let command = format!(
            "labsite verify --check {}",
            shell_word(&format!("{chapter}/{id}"))
        );
        html.push_str(&format!(
            "<p class=\"verify-how\">Check it in the workshop folder:</p>\n<pre class=\"verify-command\" data-lang=\"shell\"><code>{}</code></pre>\n",
            escape_html(&command)
        ));
    }
    html.push_str("</div>\n");
    html
}

/// `word` as one shell word: as it is when safe, else in single quotes.
fn shell_word(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The widget of a block as the renderer makes it: none when the YAML does not parse.
    fn widget(chapter: &str, body: &str, n: usize, task: Option<&TaskItem>) -> Option<String> {
        crate::workshop::verify_block::parse(body)
            .ok()
            .map(|s| html(chapter, &s, n, task))
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
}
