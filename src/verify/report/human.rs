//! `--format human`: a line per check as soon as it is known (✔ passed, ✘ not),
//! the validator's message under it, and a summary. Colours from the one palette
//! ([`crate::ansi`]), only when asked for; control characters a validator prints
//! are shown, never sent to the terminal.

use std::io::{self, Write};
use std::time::Duration;

use super::{Format, Tally};
use crate::ansi::{self, Code, Palette};
use crate::verify::{CheckResult, Status};

pub struct Human {
    pub palette: Palette,
}

impl Human {
    fn paint(&self, codes: &[Code], text: &str) -> String {
        self.palette.paint(codes, text)
    }
}

impl Format for Human {
    fn start(&mut self, out: &mut dyn Write, count: usize) -> io::Result<()> {
        let s = if count == 1 { "" } else { "s" };
        writeln!(
            out,
            "{}",
            self.paint(ansi::QUIET, &format!("Running {count} check{s}…"))
        )
    }

    fn result(&mut self, out: &mut dyn Write, r: &CheckResult) -> io::Result<()> {
        let (mark, label, colour) = match r.status {
            Status::Pass => ("✔", "", ansi::OK),
            Status::Fail => ("✘", "", ansi::ERROR),
            Status::Error => ("✘", " [error]", ansi::WARNING),
            Status::Timeout => ("✘", " [timeout]", ansi::WARNING),
        };
        let head = format!("{mark} {}{label}", r.name());
        let time = format!("({:.1}s)", r.duration_ms as f64 / 1000.0);
        writeln!(
            out,
            "{}: {} {}",
            self.paint(colour, &head),
            printable(&r.title),
            self.paint(ansi::QUIET, &time)
        )?;
        for line in printable(&r.message)
            .lines()
            .filter(|l| !l.trim().is_empty())
        {
            writeln!(out, "    {line}")?;
        }
        Ok(())
    }

    fn finish(
        &mut self,
        out: &mut dyn Write,
        results: &[CheckResult],
        elapsed: Duration,
    ) -> io::Result<()> {
        let t = Tally::of(results);
        let s = if t.total() == 1 { "" } else { "s" };
        let mut parts = vec![self.paint(ansi::OK, &format!("{} passed", t.passed))];
        if t.failed > 0 {
            parts.push(self.paint(ansi::ERROR, &format!("{} failed", t.failed)));
        }
        if t.errors > 0 {
            let s = if t.errors == 1 { "" } else { "s" };
            parts.push(self.paint(ansi::WARNING, &format!("{} error{s}", t.errors)));
        }
        if t.timeouts > 0 {
            parts.push(self.paint(ansi::WARNING, &format!("{} timed out", t.timeouts)));
        }
        writeln!(
            out,
            "\n{} check{s}: {} in {:.1}s",
            t.total(),
            parts.join(", "),
            elapsed.as_secs_f64()
        )
    }
}

/// Text with control characters (escape sequences, carriage returns, …) made visible.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\t' => c,
            c if c.is_control() => char::from_u32(0x2400 + c as u32)
                .filter(|_| (c as u32) < 0x20)
                .unwrap_or('�'),
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(status: Status, message: &str) -> CheckResult {
        CheckResult {
            id: "vm-backup".into(),
            chapter: "chapter-3".into(),
            title: "VMs are backed up".into(),
            status,
            message: message.into(),
            duration_ms: 1234,
            details: None,
        }
    }

    fn show(results: &[CheckResult]) -> String {
        let mut h = Human {
            palette: Palette::PLAIN,
        };
        let mut out = Vec::new();
        for r in results {
            h.result(&mut out, r).unwrap();
        }
        h.finish(&mut out, results, Duration::from_millis(2500))
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn shows_marks_messages_and_a_summary() {
        let text = show(&[
            result(Status::Pass, "protected: vm1 vm2"),
            result(Status::Fail, "not protected: vm2"),
            result(Status::Error, "`az` not found on PATH"),
        ]);
        assert_eq!(
            text,
            "✔ chapter-3/vm-backup: VMs are backed up (1.2s)\n    protected: vm1 vm2\n\
             ✘ chapter-3/vm-backup: VMs are backed up (1.2s)\n    not protected: vm2\n\
             ✘ chapter-3/vm-backup [error]: VMs are backed up (1.2s)\n    `az` not found on PATH\n\
             \n3 checks: 1 passed, 1 failed, 1 error in 2.5s\n"
        );
    }

    #[test]
    fn colours_only_when_asked() {
        let mut out = Vec::new();
        Human {
            palette: Palette::COLOR,
        }
        .result(&mut out, &result(Status::Pass, "ok"))
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with("\x1b[1m\x1b[32m✔ chapter-3/vm-backup\x1b[0m: "),
            "{text:?}"
        );
        assert!(!show(&[result(Status::Pass, "ok")]).contains('\x1b'));
    }

    #[test]
    fn escape_sequences_from_validators_are_not_sent_to_the_terminal() {
        let text = show(&[result(Status::Fail, "\x1b[2Jgone\r")]);
        assert!(!text.contains('\x1b'));
        assert!(text.contains("␛[2Jgone␍"), "{text}");
    }
}
