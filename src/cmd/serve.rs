//! `labsite serve`: preview with live reload and live checks, until Ctrl-C.

use std::path::PathBuf;
use std::sync::Arc;

use super::{print_diagnostics, EXIT_ERROR, EXIT_OK};
use labsite::diag::Diagnostic;
use labsite::serve::{self, Notice, ServeOptions};
use labsite::site::BuildOptions;
use labsite::workshop::LoadOptions;

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
        build: BuildOptions {
            load: LoadOptions {
                drafts: args.drafts,
                output: None,
                plain_code: false,
                strict: false,
            },
            base_url: None,
        },
    };
    match serve_until_interrupted(&opts, args.open) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            print_diagnostics([&e]);
            EXIT_ERROR
        }
    }
}

fn serve_until_interrupted(opts: &ServeOptions, open: bool) -> Result<(), Diagnostic> {
    let running = serve::start(opts, Arc::new(show))?;
    if open {
        open_browser(&running.url);
    }
    let (tx, rx) = std::sync::mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = tx.send(());
    })
    .map_err(|e| Diagnostic::error("labsite serve", format!("cannot handle Ctrl-C: {e}")))?;
    let _ = rx.recv();
    eprintln!("\nStopping.");
    running.stop();
    Ok(())
}

/// Prints what the server says.
fn show(notice: Notice) {
    match notice {
        Notice::FirstBuildFailed(errors) => {
            print_diagnostics(&errors);
            eprintln!("The site has errors: the page will show them until they are fixed.");
        }
        Notice::PortBusy { wanted, got } => {
            eprintln!("Port {wanted} is busy; using {got} instead.")
        }
        Notice::Serving { url, token } => match token {
            Some(t) => {
                eprintln!("Serving at {url}?token={t} (Ctrl-C to stop)");
                eprintln!(
                    "Not on loopback: live checks need the token {t} (open the URL above once)."
                );
            }
            None => eprintln!("Serving at {url} (Ctrl-C to stop)"),
        },
        Notice::Rebuilt { pages, took } => {
            let ms = took.as_secs_f64() * 1000.0;
            match pages {
                Some(pages) => eprintln!("Rebuilt {} in {ms:.0} ms", pages.join(", ")),
                None => eprintln!("Rebuilt the site in {ms:.0} ms"),
            }
        }
        Notice::StylesUpdated { took } => eprintln!(
            "Updated the theme's styles in {:.0} ms",
            took.as_secs_f64() * 1000.0
        ),
        Notice::RebuildFailed(errors) => {
            print_diagnostics(&errors);
            eprintln!("Build failed; still serving the last good site.");
        }
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("Could not open a browser ({opener}); open {url} yourself.");
    }
}
