//! labsite: a static site generator for hands-on workshop content.
//!
//! The pipeline is **load → render → write**:
//! - [`workshop`] loads a workshop folder: configuration, pages, files, order;
//! - [`markdown`] renders each page once, collecting links, headings and checks;
//! - [`links`] is the one place that resolves links, for rendering and checking;
//! - [`site`] lays pages out with the theme and writes the output atomically.
//!
//! The command-line front ends live in [`cmd`]; [`scaffold`] creates new workshops.

pub mod cmd;
pub mod diag;
pub mod links;
pub mod markdown;
pub mod scaffold;
pub mod site;
pub mod workshop;
