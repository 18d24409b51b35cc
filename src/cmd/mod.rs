//! Command-line front ends: one thin file per subcommand over the library.
//!
//! Exit codes are the same for every command: 0 success, 1 findings or failed
//! checks, 2 usage or configuration errors.

mod build;
mod check;
mod new;
mod serve;
mod verify;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use labsite::ansi::{self, Palette};
use labsite::diag::{Diagnostic, Errors, Severity};

/// Exit code for success.
pub const EXIT_OK: u8 = 0;
/// Exit code for findings or failed checks.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code for usage and configuration errors.
pub const EXIT_ERROR: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "labsite",
    version,
    about = "Turns a folder of GitHub-style workshop chapters into a navigable, checkable site",
    long_about = None,
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Build(build::Args),
    Check(check::Args),
    New(new::Args),
    Serve(serve::Args),
    Verify(verify::Args),
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    labsite::timings::mark("start");
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let code = match cli.command {
        Command::Build(args) => build::run(args),
        Command::Check(args) => check::run(args),
        Command::New(args) => new::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Verify(args) => verify::run(args),
    };
    ExitCode::from(code)
}

/// Prints diagnostics to stderr, `error:`/`warning:` first, colour only on a
/// terminal: `warning: file:line:column: message [rule]`, and the hint below.
/// The rule, where there is one, says what to turn off or ignore in `workshop.yaml`.
pub fn print_diagnostics<'a>(diags: impl IntoIterator<Item = &'a Diagnostic>) {
    print(diags, true);
}

/// Prints errors that stopped a command and returns the configuration-error exit code.
/// They are shown without a rule: no setting in `workshop.yaml` lets them pass (an
/// invalid verify block stops `build` and `verify` whatever `rules:` says).
pub fn fail(errors: &Errors) -> u8 {
    print(&errors.0, false);
    EXIT_ERROR
}

fn print<'a>(diags: impl IntoIterator<Item = &'a Diagnostic>, show_rule: bool) {
    let palette = Palette::for_stream(std::io::stderr().is_terminal());
    for d in diags {
        let rule = match d.rule {
            Some(rule) if show_rule => format!(" [{rule}]"),
            _ => String::new(),
        };
        eprintln!(
            "{}: {}: {}{rule}",
            label(palette, d.severity),
            d.location(),
            d.message
        );
        if let Some(hint) = &d.hint {
            eprintln!("  {} {hint}", palette.paint(ansi::HINT, "hint:"));
        }
    }
}

/// Prints a message about no file to stderr: `error: …` or `warning: …`.
pub fn print_message(severity: Severity, message: &str) {
    let palette = Palette::for_stream(std::io::stderr().is_terminal());
    eprintln!("{}: {message}", label(palette, severity));
}

/// `error` or `warning`, in its colour.
fn label(palette: Palette, severity: Severity) -> String {
    match severity {
        Severity::Error => palette.paint(ansi::ERROR, "error"),
        Severity::Warning => palette.paint(ansi::WARNING, "warning"),
    }
}
