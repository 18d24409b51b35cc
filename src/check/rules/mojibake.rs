//! `mojibake`: UTF-8 text that was once read as Windows-1252 (or Latin-1) and
//! saved again, so that `💡` became `ðŸ’¡`, `’` became `â€™` and `é` became `Ã©`.
//!
//! A damaged run is a sequence of characters whose Windows-1252 bytes form
//! valid multi-byte UTF-8: a lead byte (`Â`…`ô`) followed by the right number of
//! continuation bytes (`€`…`¿`). Correct text in any language almost never has
//! that shape: accented letters are followed by ordinary letters, and CJK text
//! and emoji have no Windows-1252 bytes at all. Repair decodes the bytes again,
//! repeatedly for text damaged twice.

use std::ops::Range;

use super::PageCtx;
use crate::diag::{Diagnostic, Rule};

/// The byte a character stands for when bytes were decoded as Windows-1252,
/// or as Latin-1 (whose C1 controls stand for themselves).
fn cp1252_byte(c: char) -> Option<u8> {
    let u = c as u32;
    if u < 0x100 {
        return Some(u as u8);
    }
    Some(match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    })
}

/// The character a damaged sequence starting at `chars[i]` stands for, and its length.
fn sequence_at(chars: &[(usize, char)], i: usize) -> Option<(usize, char)> {
    let lead = cp1252_byte(chars.get(i)?.1)?;
    let continuation = match lead {
        0xC2..=0xDF => 1,
        0xE0..=0xEF => 2,
        0xF0..=0xF4 => 3,
        _ => return None,
    };
    let mut bytes = vec![lead];
    for k in 1..=continuation {
        let b = cp1252_byte(chars.get(i + k)?.1)?;
        if !(0x80..=0xBF).contains(&b) {
            return None;
        }
        bytes.push(b);
    }
    let decoded = std::str::from_utf8(&bytes).ok()?.chars().next()?;
    (!decoded.is_control()).then_some((continuation + 1, decoded))
}

/// The damaged runs of a text: byte ranges with the text each stands for.
pub fn find(text: &str) -> Vec<(Range<usize>, String)> {
    let mut runs: Vec<(Range<usize>, String)> = Vec::new();
    for (range, decoded) in sequences(text) {
        match runs.last_mut() {
            Some((last, run)) if last.end == range.start => {
                last.end = range.end;
                run.push(decoded);
            }
            _ => runs.push((range, decoded.to_string())),
        }
    }
    // Text damaged twice decodes to text that is still damaged.
    for (_, run) in &mut runs {
        for _ in 0..3 {
            match repair(run) {
                Some(again) if again != *run => *run = again,
                _ => break,
            }
        }
    }
    runs
}

/// Each damaged sequence of one level of damage: its byte range and the character it stands for.
fn sequences(text: &str) -> Vec<(Range<usize>, char)> {
    // Every lead character (`Â`…`ô`, U+00C2…U+00F4) is encoded as 0xC3 and one
    // more byte: text without that byte, nearly all text, has nothing damaged.
    if !text.as_bytes().contains(&0xC3) {
        return Vec::new();
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match sequence_at(&chars, i) {
            Some((len, c)) => {
                let end = chars.get(i + len).map_or(text.len(), |(b, _)| *b);
                out.push((chars[i].0..end, c));
                i += len;
            }
            None => i += 1,
        }
    }
    out
}

/// The text with every damaged sequence decoded once, or `None` when nothing is damaged.
fn repair(text: &str) -> Option<String> {
    let runs = sequences(text);
    if runs.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (range, decoded) in runs {
        out.push_str(&text[last..range.start]);
        out.push(decoded);
        last = range.end;
    }
    out.push_str(&text[last..]);
    Some(out)
}

/// The text with every damaged run repaired (the text itself when nothing is damaged).
pub fn repaired(text: &str) -> String {
    let mut out = text.to_string();
    for (range, decoded) in find(text).into_iter().rev() {
        out.replace_range(range, &decoded);
    }
    out
}

pub fn check(page: &PageCtx, out: &mut Vec<Diagnostic>) {
    for run in &page.doc.texts {
        for (range, decoded) in find(&run.text) {
            let damaged = &run.text[range.clone()];
            let expected = run.column + run.text[..range.start].chars().count();
            let column = locate(page, run.line, expected, damaged);
            out.push(
                page.finding(
                    Rule::Mojibake,
                    run.line,
                    column,
                    format!("damaged text `{damaged}`: UTF-8 that was read as Windows-1252"),
                )
                .with_target(damaged)
                .with_hint(format!(
                    "it should read `{decoded}`; `labsite check --fix` repairs it"
                )),
            );
        }
    }
}

/// The exact column of `damaged` on its source line: where the text run says
/// when the text was written verbatim, else where it is found on the line.
fn locate(page: &PageCtx, line: usize, expected: usize, damaged: &str) -> usize {
    let Some(text) = page.line(line) else {
        return expected;
    };
    let byte_at = |col: usize| {
        text.char_indices()
            .nth(col.saturating_sub(1))
            .map(|(i, _)| i)
    };
    if byte_at(expected).is_some_and(|b| text[b..].starts_with(damaged)) {
        return expected;
    }
    match text.find(damaged) {
        Some(b) => text[..b].chars().count() + 1,
        None => expected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn damaged(text: &str) -> Vec<(&str, String)> {
        find(text).into_iter().map(|(r, d)| (&text[r], d)).collect()
    }

    #[test]
    fn finds_and_repairs_the_common_forms() {
        let cases = [
            ("ðŸ’¡ **Learning Resources**", "ðŸ’¡", "💡"),
            ("Success Criteria ðŸŽ‰", "ðŸŽ‰", "🎉"),
            ("âœ… done", "âœ…", "✅"),
            ("don’t", "’", "’"),
            ("donâ€™t", "â€™", "’"),
            ("cafÃ©", "Ã©", "é"),
            ("100Â\u{a0}km", "Â\u{a0}", "\u{a0}"),
            ("Ã¼ber", "Ã¼", "ü"),
            ("Ã¢â‚¬â„¢ twice", "Ã¢â‚¬â„¢", "’"),
            ("â\u{80}\u{99} latin-1", "â\u{80}\u{99}", "’"),
            ("Å¼Ã³Å‚w", "Å¼Ã³Å‚", "żół"),
            ("æ—¥æœ¬", "æ—¥æœ¬", "日本"),
        ];
        for (text, want_damaged, want_repaired) in cases {
            let found = damaged(text);
            if want_damaged == want_repaired {
                assert!(found.is_empty(), "{text:?}: {found:?}");
                continue;
            }
            assert_eq!(
                found,
                vec![(want_damaged, want_repaired.to_string())],
                "{text:?}"
            );
        }
        assert_eq!(
            repaired("ðŸŽŠ **Congratulations!** âœ… ok"),
            "🎊 **Congratulations!** ✅ ok"
        );
        assert_eq!(repaired("all fine"), "all fine");
    }

    #[test]
    fn every_lead_character_is_encoded_with_the_byte_the_quick_look_seeks() {
        let leads: Vec<char> = (0..=0x2122u32)
            .filter_map(char::from_u32)
            .filter(|&c| cp1252_byte(c).is_some_and(|b| (0xC2..=0xF4).contains(&b)))
            .collect();
        assert_eq!(leads.len(), 0xF4 - 0xC2 + 1);
        for c in leads {
            assert_eq!(c.to_string().as_bytes()[0], 0xC3, "{c:?}");
        }
    }

    #[test]
    fn correct_text_in_many_languages_is_not_damaged() {
        let texts = [
            "Où est la bibliothèque ? À bientôt, garçon. Ça coûte 5 € — « très » cher, n’est-ce pas ?",
            "L’été à Noël, œuvre, Æsop, déjà vu, naïve, hôtel, façade, crème brûlée",
            "Größe, Übersicht für Anfänger, Straße, Äpfel, Öl, „Anführungszeichen“ – so ist’s",
            "Zażółć gęślą jaźń. Łódź, Kraków, Gdańsk, źdźbło, óśmy",
            "日本語の見出し、東京で会いましょう。カタカナ、ひらがな。",
            "Emoji: 💡 🎉 🎊 ✅ 👍🏽 👨‍👩‍👧 🇫🇷 ©®™ ½ ¼ ° ± µ ¶ · ¿¡",
            "Español: ¿Dónde está el baño? ¡Olé! Niño, señor, año.",
            "Português: São Paulo, ação, não, irmã, Ângela, Ãgua",
            "Íslenska: Það er ðæði, Þórður",
            "Ελληνικά και русский текст, עברית, العربية",
            "Prices: 5€, 10£, ¥100, ©2024 Contoso™, “quoted” ‘text’ — dash – en dash • bullet …",
        ];
        for text in texts {
            assert!(
                find(text).is_empty(),
                "false positive in {text:?}: {:?}",
                damaged(text)
            );
        }
    }
}
