//! The `labsite` command line; everything it does lives in the library.

use std::process::ExitCode;

// A build allocates and frees millions of small strings on every core (syntect's
// per-line state above all); mimalloc does that in a fraction of glibc's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    labsite::cmd::main()
}
