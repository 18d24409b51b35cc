//! `labsite build`: builds the site into the output folder, replacing it atomically.

use std::path::PathBuf;

use crate::diag::display_path;
use crate::site::{self, BuildOptions};
use crate::workshop::LoadOptions;

use super::{fail, print_diagnostics, EXIT_OK};

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
}

pub fn run(args: Args) -> u8 {
    let opts = BuildOptions {
        load: LoadOptions {
            drafts: args.drafts,
            output: args.output,
        },
        base_url: args.base_url,
    };
    match site::build(&args.root, &opts) {
        Ok(report) => {
            print_diagnostics(&report.warnings);
            let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
            eprintln!(
                "Built {}, copied {}, {} in {:.2}s → {}",
                plural(report.pages, "page"),
                plural(report.copied, "file"),
                plural(report.warnings.len(), "warning"),
                report.elapsed.as_secs_f64(),
                display_path(&report.output)
            );
            EXIT_OK
        }
        Err(errors) => {
            let code = fail(&errors);
            eprintln!("Build failed: the previous output, if any, was left as it was.");
            code
        }
    }
}
