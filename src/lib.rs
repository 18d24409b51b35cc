//! labsite: a static site generator for hands-on workshop content.
//!
//! The pipeline is **load → render → write**:
//! - [`workshop`] loads a workshop folder: configuration, pages, files, order;
//! - [`markdown`] renders each page once, collecting links, headings and checks;
//! - [`markdown::links`] is the one place that resolves links, for rendering and checking;
//! - [`site`] lays pages out with the theme and writes the output atomically.
//!
//! Under all of them lies the ground floor: [`diag`] (diagnostics and the rule
//! ids of `check`), [`files`], [`urlpath`], [`ansi`] (terminal colours) and
//! [`junit`] (JUnit XML), which use nothing above them.
//!
//! [`check`] judges the rendered pages: links, anchors, learning resources, content.
//! [`scaffold`] creates new workshops. The command-line front ends live in the
//! binary (`src/main.rs`, `src/cmd/`): only they print, and only they exit.

// A `Diagnostic` (file, line, message, hint) is the error of many functions; it is
// built on the cold path only, so boxing it would buy nothing.
#![allow(clippy::result_large_err)]

pub mod ansi;
pub mod check;
pub mod diag;
pub mod files;
pub mod junit;
pub mod markdown;
pub mod scaffold;
pub mod serve;
pub mod site;
#[cfg(test)]
mod testing;
#[doc(hidden)]
pub mod timings;
pub mod urlpath;
pub mod verify;
pub mod workshop;
