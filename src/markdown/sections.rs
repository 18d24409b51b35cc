//! Recognising the parts of a chapter that workshops share: "Learning Resources"
//! lists and "Success Criteria" sections, written as headings or bold labels in
//! any level, letter case, with emoji or mojibake around them
//! ("## Success criteria", "### Success Criteria ✅", "💡 **Learning Resources**:").
//! (The markup that presents them is in [`super::markup`].)

/// A kind of labelled section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SectionKind {
    LearningResources,
    SuccessCriteria,
}

/// The section kind a heading's or a label paragraph's text names, if any.
///
/// Only the start of the text counts: "Learning Resources:" followed by links in the
/// same paragraph is a label; "These learning resources help" is not.
pub fn classify(text: &str) -> Option<SectionKind> {
    // Compared from the first ASCII letter, lower-cased as it is read: this runs for
    // every heading and paragraph, so it allocates nothing.
    let words = &text[text.find(|c: char| c.is_ascii_alphabetic())?..];
    let starts_with = |phrase: &str| starts_with_phrase(words, phrase);
    if starts_with("learning resources") || starts_with("learning resource") {
        Some(SectionKind::LearningResources)
    } else if starts_with("success criteria") || starts_with("success criterion") {
        Some(SectionKind::SuccessCriteria)
    } else {
        None
    }
}

/// Whether `text`, lower-cased, is `phrase` (lower case) followed by nothing but
/// punctuation, symbols or a colon-introduced remainder.
fn starts_with_phrase(text: &str, phrase: &str) -> bool {
    let mut lower = text.chars().flat_map(char::to_lowercase);
    if !phrase.chars().all(|p| lower.next() == Some(p)) {
        return false;
    }
    match lower.next() {
        None => true,
        Some(c) => !c.is_alphanumeric(),
    }
}

/// The site a URL is on, as a reader names it: its host without `www.`
/// (`https://www.example.com/x` → `example.com`); `None` without a host.
pub fn site_name(url: &str) -> Option<String> {
    let rest = match url.split_once("://") {
        Some((_, rest)) => rest,
        None => url.strip_prefix("//")?,
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next()?,
        None => host.split(':').next()?,
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    (!host.is_empty()).then(|| host.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_names() {
        for (url, want) in [
            (
                "https://learn.microsoft.com/azure/backup",
                Some("learn.microsoft.com"),
            ),
            ("https://www.Example.com:8443/x?y#z", Some("example.com")),
            ("http://user@docs.rs", Some("docs.rs")),
            ("//cdn.example.org/a.js", Some("cdn.example.org")),
            ("http://[::1]:8080/", Some("::1")),
            ("https://", None),
            ("../chapter-2/README.md", None),
        ] {
            assert_eq!(site_name(url).as_deref(), want, "{url}");
        }
    }

    fn render(markdown: &str) -> crate::markdown::Document {
        let resolver = crate::markdown::links::Resolver::default();
        let page = std::path::Path::new("c/README.md");
        crate::markdown::render(markdown, 0, page, page, &resolver, &Default::default())
    }

    #[test]
    fn resources_lists_and_success_criteria_are_blocks_of_their_own() {
        let doc = render(
            "## Task 1\n\n💡 **Learning Resources**:\n\n- [Docs](https://www.example.com/d)\n\
             - <https://docs.rs/x>\n\nMore text.\n\n- [Not here](https://example.org/)\n\n\
             Learning resources: [Inline](https://a.example/i)\n\n\
             ## Success Criteria ✅\n\n- [ ] Done\n\n> ## Success criteria\n\n\
             ## Next\n\n[plain](https://b.example/)\n",
        );
        let html = &doc.html;
        assert!(html.contains(
            "<div class=\"resources\">\n<ul>\n<li><a class=\"resource-link\" href=\"https://www.example.com/d\" target=\"_blank\" rel=\"noopener\">Docs<span class=\"visually-hidden\"> (opens in a new tab)</span></a> <span class=\"resource-site\">example.com</span></li>"
        ), "{html}");
        assert!(
            html.contains(">https://docs.rs/x<span class=\"visually-hidden\">"),
            "bare URLs too: {html}"
        );
        assert_eq!(
            html.matches("<div class=\"resources\">").count(),
            1,
            "{html}"
        );
        assert!(
            html.contains("<a href=\"https://example.org/\">Not here</a>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"resource-site\">a.example</span>"),
            "labels with links: {html}"
        );
        assert!(
            html.contains("<a href=\"https://b.example/\">plain</a>"),
            "{html}"
        );
        assert_eq!(
            html.matches("<div class=\"success-criteria\">").count(),
            1,
            "not in a quote: {html}"
        );
        let criteria = html.find("<div class=\"success-criteria\">").unwrap();
        let end = criteria + html[criteria..].find("</div>").unwrap();
        assert!(html[criteria..end].contains("Done"));
        assert!(
            html[end..].contains("<h2 id=\"next\">"),
            "closed before the next heading"
        );
    }

    #[test]
    fn plain_text_by_section() {
        let doc = render("Intro **bold**\n\n# Title\n\nText `code`.\n\n## Two\n\n| a | b |\n|---|---|\n| c | d |\n");
        let plain: Vec<&str> = doc.plain.iter().map(|s| s.trim()).collect();
        assert_eq!(plain, vec!["Intro bold", "Text code.", "a b c d"]);
        assert_eq!(doc.plain.len(), doc.headings.len() + 1);
    }

    #[test]
    fn labels_in_every_form() {
        use SectionKind::*;
        for (text, want) in [
            ("Success Criteria", Some(SuccessCriteria)),
            ("Success criteria ✅", Some(SuccessCriteria)),
            ("Success Criteria ðŸŽ‰", Some(SuccessCriteria)),
            ("💡 Learning Resources:", Some(LearningResources)),
            ("ðŸ’¡ Learning Resources: ", Some(LearningResources)),
            ("LEARNING RESOURCES", Some(LearningResources)),
            ("Learning Resources: see the docs", Some(LearningResources)),
            ("Learning Checkpoint - Backup Options", None),
            ("Successful criteria", None),
            ("These learning resources help", None),
            ("Success Criteriaxyz", None),
            ("Success Criteriaé", None),
            ("Learning resource", Some(LearningResources)),
            ("1. Success criterion — done", Some(SuccessCriteria)),
            ("", None),
            ("✅ 🎉", None),
            ("Succes", None),
        ] {
            assert_eq!(classify(text), want, "{text:?}");
        }
    }
}
