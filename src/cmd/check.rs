//! `labsite check`: links, anchors, learning resources and content rules, as
//! findings in one of the output formats. Exit 0 without errors, 1 with errors
//! (or warnings with `--deny-warnings`), 2 on configuration errors.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use labsite::ansi::Palette;
use labsite::check::format::{count, formatter, FormatContext, Kind};
use labsite::check::{self, fix, CheckOptions};
use labsite::diag::{display_path, Severity};
use labsite::markdown::Rendered;
use labsite::verify;
use labsite::workshop::LoadOptions;

use super::{fail, print_diagnostics, print_message, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};

/// Check links, anchors, learning resources and content (exit 1 on errors).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The workshop folder (holding content/ or the pages themselves).
    #[arg(default_value = ".")]
    root: PathBuf,
    /// Do not check external links (no network).
    #[arg(long)]
    offline: bool,
    /// Repair what is safe to repair, then report the rest: text with a damaged
    /// encoding, and links copied from a documentation site whose page there was
    /// found and answers (online).
    #[arg(long)]
    fix: bool,
    /// With --fix, also rewrite copied links to pages that were not requested
    /// (offline): the page's links to that site are the only evidence.
    #[arg(long)]
    fix_unverified: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Kind::Human)]
    format: Kind,
    /// Count warnings as errors.
    #[arg(long)]
    deny_warnings: bool,
}

pub fn run(args: Args) -> u8 {
    // The checks read links and text, never the HTML of code blocks: skip highlighting.
    let load = LoadOptions {
        plain_code: true,
        ..LoadOptions::default()
    };
    let mut rendered = match Rendered::load(&args.root, &load) {
        Ok(r) => r,
        Err(errors) => return fail(&errors),
    };
    // What loading had to repair or leave out (bad bytes, links out of the workshop).
    print_diagnostics(&rendered.workshop.warnings);
    let mut opts = CheckOptions {
        offline: args.offline,
        deny_warnings: args.deny_warnings,
        progress: io::stderr().is_terminal() && std::env::var_os("CI").is_none(),
        more_findings: verify::validate_workshop(&rendered),
    };
    if args.fix || args.fix_unverified {
        // Repair first (offline, so external links are asked once), then check what is left.
        let offline = CheckOptions {
            offline: true,
            ..opts.clone()
        };
        let mut first = check::check(&rendered, &offline);
        let (fixed, problems) = fix::fix_mojibake(&rendered.workshop.root, &first.findings);
        print_diagnostics(&problems);
        for f in &fixed {
            eprintln!(
                "fixed {} in {}",
                count(f.runs, "damaged text"),
                display_path(&f.file)
            );
        }
        if !fixed.is_empty() {
            rendered = match Rendered::load(&args.root, &load) {
                Ok(r) => r,
                Err(errors) => return fail(&errors),
            };
            opts.more_findings = verify::validate_workshop(&rendered);
            // Repaired text moves what follows it on its line: judge again.
            first = check::check(&rendered, &offline);
        }
        // Links copied from a documentation site: online, only pages that answer.
        if !args.offline {
            let notes = check::verify_fixes(&mut first.findings, &rendered.workshop, opts.progress);
            for note in &notes {
                print_message(Severity::Warning, note);
            }
        }
        let (links, problems) = fix::fix_links(
            &rendered.workshop.root,
            &first.findings,
            args.fix_unverified,
        );
        print_diagnostics(&problems);
        for l in &links {
            eprintln!(
                "fixed {}:{}: {} → {}",
                display_path(&l.file),
                l.line,
                l.from,
                l.to
            );
        }
        if !links.is_empty() {
            rendered = match Rendered::load(&args.root, &load) {
                Ok(r) => r,
                Err(errors) => return fail(&errors),
            };
            opts.more_findings = verify::validate_workshop(&rendered);
        }
    }
    let report = check::check(&rendered, &opts);
    for note in &report.notes {
        print_message(Severity::Warning, note);
    }
    let ctx = FormatContext {
        root: rendered.workshop.root.clone(),
        palette: Palette::for_stream(io::stdout().is_terminal()),
        repo_prefix: repo_prefix(&rendered),
        step_summary: std::env::var_os("GITHUB_STEP_SUMMARY")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from),
    };
    let mut out = io::stdout().lock();
    let written = formatter(args.format)
        .write(&report, &ctx, &mut out)
        .and_then(|()| out.flush());
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            print_message(Severity::Error, &format!("cannot write the report: {e}"));
            return EXIT_ERROR;
        }
    }
    if report.errors() > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// The workshop root relative to the repository root: the path from the current
/// folder when the workshop lies below it (CI runs at the repository root), else
/// `repository.path` from `workshop.yaml`.
fn repo_prefix(rendered: &Rendered) -> PathBuf {
    let ws = &rendered.workshop;
    let configured = ws
        .config
        .repository
        .as_ref()
        .map(|r| PathBuf::from(r.path()))
        .unwrap_or_default();
    let cwd = std::env::current_dir().and_then(|d| d.canonicalize());
    match cwd.as_deref().map(|cwd| ws.root.strip_prefix(cwd)) {
        Ok(Ok(rel)) if rel != Path::new("") => rel.to_path_buf(),
        _ => configured,
    }
}
