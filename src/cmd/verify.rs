//! `labsite verify`: runs the success-criteria checks of a workshop (all, one
//! chapter's, or named ones) and reports them; exit 0 only when every selected
//! check passed.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use labsite::ansi::Palette;
use labsite::diag::{Diagnostic, Errors, Severity};
use labsite::markdown::Rendered;
use labsite::verify::report::{self, FormatName, Tally};
use labsite::verify::{process, runner, Check, Plan};
use labsite::workshop::LoadOptions;

use super::{fail, print_message, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};

/// Run the success-criteria checks (`verify` blocks) of the workshop.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The workshop folder.
    #[arg(default_value = ".")]
    root: PathBuf,
    /// Only the checks of this chapter, e.g. chapter-3.
    #[arg(long, value_name = "CHAPTER", conflicts_with = "checks")]
    chapter: Option<String>,
    /// Only this check, e.g. chapter-3/vm-backup (repeatable).
    #[arg(long = "check", value_name = "CHAPTER/ID")]
    checks: Vec<String>,
    /// How to show the results.
    #[arg(long, value_enum, default_value = "human")]
    format: FormatName,
    /// At most this many checks at once (default: the number of cores).
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
}

pub fn run(args: Args) -> u8 {
    // The checks need the verify blocks, not the pages' highlighted code.
    let load = LoadOptions {
        plain_code: true,
        ..LoadOptions::default()
    };
    let rendered = match Rendered::load(&args.root, &load) {
        Ok(r) => r,
        Err(errors) => return fail(&errors),
    };
    let plan = match Plan::new(&rendered).into_result() {
        Ok(plan) => plan,
        Err(errors) => {
            let code = fail(&errors);
            eprintln!("No check was run: correct the verify blocks and validators above first.");
            return code;
        }
    };
    let selected = match select(&plan, args.chapter.as_deref(), &args.checks) {
        Ok(s) => s,
        Err(errors) => return fail(&errors),
    };
    if selected.is_empty() {
        eprintln!(
            "No checks to run: this workshop has no ```verify blocks yet (see `labsite new` for examples)."
        );
        return EXIT_OK;
    }
    let _ = ctrlc::set_handler(|| {
        process::kill_all();
        eprintln!("\nInterrupted: stopped the running checks and everything they started.");
        std::process::exit(130);
    });

    let palette = Palette::for_stream(std::io::stdout().is_terminal());
    let mut format = report::format(args.format, palette);
    let jobs = args.jobs.map_or_else(runner::default_jobs, usize::from);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let started = Instant::now();
    let _ = format.start(&mut out, selected.len());
    let _ = out.flush();
    let results = plan.run(&selected, jobs, |r| {
        let _ = format.result(&mut out, r);
        let _ = out.flush();
    });
    if let Err(e) = format.finish(&mut out, &results, started.elapsed()) {
        print_message(Severity::Error, &format!("cannot write the results: {e}"));
        return EXIT_ERROR;
    }
    if Tally::of(&results).all_passed() {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    }
}

/// The checks the command line asks for; unknown names are errors listing what exists.
fn select<'a>(
    plan: &'a Plan,
    chapter: Option<&str>,
    names: &[String],
) -> Result<Vec<&'a Check>, Errors> {
    if let Some(chapter) = chapter {
        let chapter = chapter.trim_matches('/');
        let checks: Vec<&Check> = plan
            .checks
            .iter()
            .filter(|c| c.chapter == chapter)
            .collect();
        if checks.is_empty() {
            return Err(
                Diagnostic::error(chapter, "no chapter with checks has this name")
                    .with_hint(format!("chapters with checks: {}", chapters(plan)))
                    .into(),
            );
        }
        return Ok(checks);
    }
    if names.is_empty() {
        return Ok(plan.checks.iter().collect());
    }
    let mut selected = Vec::new();
    let mut errors = Vec::new();
    for name in names {
        let found = name
            .trim_matches('/')
            .rsplit_once('/')
            .and_then(|(chapter, id)| plan.find(chapter, id).map(|c| (c, chapter)));
        match found {
            Some((check, _)) => selected.push(check),
            None => {
                let chapter = name
                    .trim_matches('/')
                    .rsplit_once('/')
                    .map_or("", |(c, _)| c);
                let ids: Vec<String> = plan
                    .checks
                    .iter()
                    .filter(|c| c.chapter == chapter)
                    .map(Check::name)
                    .collect();
                let hint = if ids.is_empty() {
                    format!("write CHAPTER/ID; chapters with checks: {}", chapters(plan))
                } else {
                    format!("checks of {chapter}: {}", ids.join(", "))
                };
                errors.push(Diagnostic::error(name, "no such check").with_hint(hint));
            }
        }
    }
    if errors.is_empty() {
        Ok(selected)
    } else {
        Err(Errors(errors))
    }
}

fn chapters(plan: &Plan) -> String {
    let mut names: Vec<&str> = plan.checks.iter().map(|c| c.chapter.as_str()).collect();
    names.dedup();
    if names.is_empty() {
        "none (no page has a ```verify block)".into()
    } else {
        names.join(", ")
    }
}
