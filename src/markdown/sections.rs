//! Recognising the parts of a chapter that workshops share: "Learning Resources"
//! lists and "Success Criteria" sections, written as headings or bold labels in
//! any level, letter case, with emoji or mojibake around them
//! ("## Success criteria", "### Success Criteria ✅", "💡 **Learning Resources**:").

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
    let words: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_alphabetic())
        .collect::<String>()
        .to_lowercase();
    let words = words.trim_start();
    if starts_with_phrase(words, "learning resources")
        || starts_with_phrase(words, "learning resource")
    {
        Some(SectionKind::LearningResources)
    } else if starts_with_phrase(words, "success criteria")
        || starts_with_phrase(words, "success criterion")
    {
        Some(SectionKind::SuccessCriteria)
    } else {
        None
    }
}

/// Whether `text` is `phrase` followed by nothing but punctuation, symbols or a
/// colon-introduced remainder.
fn starts_with_phrase(text: &str, phrase: &str) -> bool {
    let Some(rest) = text.strip_prefix(phrase) else {
        return false;
    };
    match rest.chars().next() {
        None => true,
        Some(c) => !c.is_alphanumeric(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        ] {
            assert_eq!(classify(text), want, "{text:?}");
        }
    }
}
