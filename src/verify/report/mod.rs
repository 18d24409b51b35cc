//! Showing check results: one format per file behind [`Format`].
//!
//! - [`human`]: one line per check as it finishes, ✔ ✘, colours on a terminal;
//! - [`json`]: an array of `{"id","chapter","title","status","message","duration_ms"}`;
//! - [`junit`]: one test case per check, for CI systems.

pub mod human;
pub mod json;
pub mod junit;

use std::io::{self, Write};
use std::time::Duration;

use super::{CheckResult, Status};
use crate::ansi::Palette;

/// The formats `--format` offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatName {
    Human,
    Json,
    Junit,
}

/// An output format.
pub trait Format {
    /// Called once before any check runs, with how many will.
    fn start(&mut self, _out: &mut dyn Write, _count: usize) -> io::Result<()> {
        Ok(())
    }
    /// Called for each result, in check order, as soon as it is known.
    fn result(&mut self, _out: &mut dyn Write, _result: &CheckResult) -> io::Result<()> {
        Ok(())
    }
    /// Called once at the end with every result.
    fn finish(
        &mut self,
        out: &mut dyn Write,
        results: &[CheckResult],
        elapsed: Duration,
    ) -> io::Result<()>;
}

/// The format `name`; `palette` applies to the human format only.
pub fn format(name: FormatName, palette: Palette) -> Box<dyn Format> {
    match name {
        FormatName::Human => Box::new(human::Human { palette }),
        FormatName::Json => Box::new(json::Json),
        FormatName::Junit => Box::new(junit::Junit),
    }
}

/// How many results have each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
    pub errors: usize,
    pub timeouts: usize,
}

impl Tally {
    pub fn of(results: &[CheckResult]) -> Tally {
        let mut t = Tally::default();
        for r in results {
            match r.status {
                Status::Pass => t.passed += 1,
                Status::Fail => t.failed += 1,
                Status::Error => t.errors += 1,
                Status::Timeout => t.timeouts += 1,
            }
        }
        t
    }

    pub fn total(&self) -> usize {
        self.passed + self.failed + self.errors + self.timeouts
    }

    pub fn all_passed(&self) -> bool {
        self.passed == self.total()
    }
}
