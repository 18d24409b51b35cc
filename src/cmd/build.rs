//! `labsite build`: builds the site into the output folder, replacing it atomically.

use std::path::PathBuf;
use std::time::Instant;

use labsite::check;
use labsite::diag::{display_path, Errors, Severity};
use labsite::markdown::Rendered;
use labsite::site::{self, BuildOptions};
use labsite::verify;
use labsite::workshop::LoadOptions;

use super::{fail, print_diagnostics, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};

/// Build the site (default output: public/).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The workshop folder (holding content/ or the pages themselves).
    #[arg(default_value = ".")]
    root: PathBuf,
    /// Output folder (default: `output` in workshop.yaml, else public/ in the workshop).
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// The URL the site is published at, e.g. https://example.github.io/my-workshop/.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Fail the build on errors of the offline checks (broken links, anchors, …),
    /// which are otherwise printed as warnings, and on front matter that cannot be read.
    #[arg(long)]
    strict: bool,
}

pub fn run(args: Args) -> u8 {
    if let Some(url) = args.base_url.as_deref() {
        if let Err(message) = check_base_url(url) {
            eprintln!("error: {message}");
            eprintln!("  hint: pass an absolute URL such as https://example.github.io/my-workshop/, or a path from the host's root such as /my-workshop/");
            return EXIT_ERROR;
        }
    }
    let opts = BuildOptions {
        load: LoadOptions {
            drafts: args.drafts,
            output: args.output,
            plain_code: false,
            strict: args.strict,
        },
        base_url: args.base_url,
    };
    let started = Instant::now();
    let rendered = match Rendered::load(&args.root, &opts.load) {
        Ok(r) => r,
        Err(errors) => {
            let code = fail(&errors);
            eprintln!("Build failed: the previous output, if any, was left as it was.");
            return code;
        }
    };
    if rendered.workshop.pages.is_empty() {
        let ws = &rendered.workshop;
        eprintln!(
            "error: {}: no pages to build: labsite looked for Markdown files (README.md, *.md) in {}",
            display_path(&ws.root),
            if ws.content_dir == ws.root {
                "this folder and its sub-folders (there is no content/ folder)".to_string()
            } else {
                format!("{} and its sub-folders", display_path(&ws.content_dir))
            }
        );
        eprintln!("  hint: pass the folder that holds your workshop's README.md or content/ folder, or create one with `labsite new`");
        return EXIT_ERROR;
    }
    // Verify blocks are validated beside the site, which cannot run them: a bad
    // one fails the build before anything is written.
    let invalid = verify::validate_workshop(&rendered);
    if !invalid.is_empty() {
        let code = fail(&Errors(invalid));
        eprintln!("Build failed: the previous output, if any, was left as it was.");
        return code;
    }
    // The offline checks of `labsite check`, on the same rendered pages. With
    // --strict they decide whether to build; else they only warn, while building.
    let checks = || {
        let mut found = check::build_errors(&rendered);
        labsite::timings::mark("offline checks");
        if !args.strict {
            for f in &mut found {
                f.severity = Severity::Warning;
            }
        }
        found
    };
    let (found, built) = if args.strict {
        let found = checks();
        if !found.is_empty() {
            print_diagnostics(&found);
            eprintln!(
                "Build failed: {} found by the checks (--strict); the previous output, if any, was left as it was.",
                if found.len() == 1 { "1 error".to_string() } else { format!("{} errors", found.len()) }
            );
            return EXIT_FINDINGS;
        }
        (found, site::build_rendered(&rendered, &opts))
    } else {
        rayon::join(checks, || site::build_rendered(&rendered, &opts))
    };
    let code = match built {
        Ok(mut report) => {
            report.warnings.extend(found);
            print_diagnostics(&report.warnings);
            let plural =
                |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
            eprintln!(
                "Built {}, copied {}, {} in {:.2}s → {}",
                plural(report.pages, "page"),
                plural(report.copied, "file"),
                plural(report.warnings.len(), "warning"),
                // The command's time: loading, the checks beside the build, writing.
                started.elapsed().as_secs_f64(),
                display_path(&report.output)
            );
            EXIT_OK
        }
        Err(errors) => {
            let code = fail(&errors);
            eprintln!("Build failed: the previous output, if any, was left as it was.");
            code
        }
    };
    // The process ends here: freeing every page one by one would only add to the
    // build's time (several milliseconds for 1,000 chapters), the OS takes it back whole.
    std::mem::forget(rendered);
    code
}

/// A base URL is absolute (`https://host/path/`) or a path from the host's root
/// (`/path/`): anything else would make every link on the site relative to
/// wherever the page happens to be.
fn check_base_url(url: &str) -> Result<(), String> {
    if url.starts_with('/') {
        return Ok(());
    }
    let scheme = url.split_once("://").map(|(s, _)| s);
    match scheme {
        Some(s)
            if !s.is_empty()
                && s.starts_with(|c: char| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            Ok(())
        }
        _ => Err(format!(
            "--base-url `{url}` has neither a scheme (https://) nor a leading /"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::check_base_url;

    #[test]
    fn base_urls_need_a_scheme_or_a_leading_slash() {
        for ok in [
            "https://x.github.io/lab/",
            "http://localhost:8000",
            "/lab/",
            "/",
        ] {
            assert!(check_base_url(ok).is_ok(), "{ok}");
        }
        for bad in ["example.com/x", "x.github.io", "lab/", "://x", ""] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }
}
