//! `labsite serve`: preview with live reload and live checks.

use std::path::PathBuf;

use crate::serve::{self, ServeOptions};
use crate::site::BuildOptions;
use crate::workshop::LoadOptions;

use super::{print_diagnostics, EXIT_ERROR, EXIT_OK};

/// Preview the workshop with live reload (default http://127.0.0.1:3000/).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The workshop folder.
    #[arg(default_value = ".")]
    root: PathBuf,
    /// Address to listen on; anything but loopback requires a token for live checks.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on (0, or a busy port, picks a free one).
    #[arg(long, short, default_value_t = 3000)]
    port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
}

pub fn run(args: Args) -> u8 {
    let opts = ServeOptions {
        root: args.root,
        host: args.host,
        port: args.port,
        open: args.open,
        build: BuildOptions {
            load: LoadOptions {
                drafts: args.drafts,
                output: None,
                plain_code: false,
            },
            base_url: None,
        },
    };
    match serve::run(&opts) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            print_diagnostics([&e]);
            EXIT_ERROR
        }
    }
}
