//! `labsite new DIR`: scaffolds a workshop that builds at once.

use std::path::PathBuf;

use labsite::diag::display_path;
use labsite::scaffold;

use super::{fail, EXIT_OK};

/// Create a new workshop whose first chapter a learner can complete locally.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to create (must not exist, or be empty).
    dir: PathBuf,
}

pub fn run(args: Args) -> u8 {
    match scaffold::create(&args.dir) {
        Ok(files) => {
            let shown = display_path(&args.dir);
            println!("Created a workshop in {shown} ({files} files). Next:");
            println!("  labsite serve {shown}     # preview it with live reload");
            println!("  labsite build {shown}     # build the site into {shown}/public/");
            EXIT_OK
        }
        Err(e) => fail(&e.into()),
    }
}
