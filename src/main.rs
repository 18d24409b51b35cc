//! The `labsite` command line; everything it does lives in the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    labsite::cmd::main()
}
