//! labsite: a static site generator for hands-on workshop content.
//!
//! The pipeline is **load → render → write**:
//! - [`workshop`] loads a workshop folder: configuration, pages, files, order;
//! - [`markdown`] renders each page once, collecting links, headings and checks;
//! - [`links`] is the one place that resolves links, for rendering and checking;
//! - [`site`] lays pages out with the theme and writes the output atomically.
//!
//! [`check`] judges the rendered pages: links, anchors, learning resources, content.
//! The command-line front ends live in [`cmd`]; [`scaffold`] creates new workshops.

// A `Diagnostic` (file, line, message, hint) is the error of many functions; it is
// built on the cold path only, so boxing it would buy nothing.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod cmd;
pub mod diag;
pub mod files;
pub mod links;
pub mod markdown;
pub mod scaffold;
pub mod serve;
pub mod site;
#[cfg(test)]
mod testing;
#[doc(hidden)]
pub mod timings;
pub mod verify;
pub mod workshop;
