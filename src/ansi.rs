//! Terminal colours: the one palette of every human-readable output (the build's
//! messages, `check`'s and `verify`'s human formats), and the one decision whether
//! to use it.
//!
//! Colours go to a terminal only, and never when `NO_COLOR` is set, to any value,
//! even the empty string. Roles ([`ERROR`], [`WARNING`], …) say what a colour
//! means, so that an error looks the same in every command.

use std::ffi::OsStr;

/// One SGR escape sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code(&'static str);

pub const BOLD: Code = Code("\x1b[1m");
pub const DIM: Code = Code("\x1b[2m");
pub const RED: Code = Code("\x1b[31m");
pub const GREEN: Code = Code("\x1b[32m");
pub const YELLOW: Code = Code("\x1b[33m");
pub const BLUE: Code = Code("\x1b[34m");
pub const CYAN: Code = Code("\x1b[36m");

/// Ends every painted text.
const RESET: &str = "\x1b[0m";

/// An error, a failed check.
pub const ERROR: &[Code] = &[BOLD, RED];
/// A warning, a check that could not run to its end.
pub const WARNING: &[Code] = &[BOLD, YELLOW];
/// Success.
pub const OK: &[Code] = &[BOLD, GREEN];
/// The frame around quoted source: arrows, gutters, line numbers.
pub const FRAME: &[Code] = &[BOLD, BLUE];
/// What the user can do.
pub const HINT: &[Code] = &[BOLD, CYAN];
/// The message itself.
pub const EMPHASIS: &[Code] = &[BOLD];
/// Progress and timing, less important than the rest.
pub const QUIET: &[Code] = &[DIM];

/// Whether to colour, decided once per output stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Palette {
    on: bool,
}

impl Palette {
    /// No colours: text as it is.
    pub const PLAIN: Palette = Palette { on: false };
    /// Colours, whatever the stream.
    pub const COLOR: Palette = Palette { on: true };

    /// The palette for a stream: colours when it is a terminal and `NO_COLOR` is not set.
    pub fn for_stream(is_terminal: bool) -> Palette {
        Palette {
            on: wanted(is_terminal, std::env::var_os("NO_COLOR").as_deref()),
        }
    }

    pub fn is_on(self) -> bool {
        self.on
    }

    /// `text` in the given codes, reset after it; `text` itself when colours are off.
    pub fn paint(self, codes: &[Code], text: &str) -> String {
        if !self.on || codes.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len() + 16);
        for code in codes {
            out.push_str(code.0);
        }
        out.push_str(text);
        out.push_str(RESET);
        out
    }
}

/// The one colour decision: a terminal, and no `NO_COLOR` at all (any value, even
/// empty, turns colours off).
pub fn wanted(is_terminal: bool, no_color: Option<&OsStr>) -> bool {
    is_terminal && no_color.is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_set_to_anything_turns_colours_off() {
        assert!(wanted(true, None));
        assert!(!wanted(false, None), "never into a pipe or a file");
        for value in ["", "0", "1", "false"] {
            assert!(!wanted(true, Some(OsStr::new(value))), "NO_COLOR={value:?}");
        }
    }

    #[test]
    fn paints_only_when_on() {
        assert_eq!(
            Palette::COLOR.paint(ERROR, "error"),
            "\x1b[1m\x1b[31merror\x1b[0m"
        );
        assert_eq!(Palette::PLAIN.paint(ERROR, "error"), "error");
        assert_eq!(Palette::COLOR.paint(&[], "plain"), "plain");
        assert!(!Palette::default().is_on());
    }
}
