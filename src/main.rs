//! The `labsite` command line: one thin front end per command over the library.
//! It composes the library's floors (build, checks, verify), prints, owns Ctrl-C
//! and decides exit codes; the library does none of that.

// A `Diagnostic` is the error of many functions; boxing it would buy nothing.
#![allow(clippy::result_large_err)]

mod cmd;

use std::process::ExitCode;

/// mimalloc: a build allocates many small, short-lived values on every thread
/// (syntect's parse states above all), where it spends about 12% less CPU than
/// the system allocator. Its `override` feature (Cargo.toml) sends C's `malloc`
/// there too: Oniguruma, syntect's regex engine, allocates and frees a match
/// parameter, a region and often a copy of its backtracking stack on every
/// search, about 1.7 million searches for 1,000 chapters. Cargo.toml selects
/// mimalloc v2 (the `v2` feature): v3 spent 4-5% more user CPU on the same
/// build, some runs much more, as it could give a page back and take a fresh one
/// for each of those stack copies (272,000 times in one 1,000-chapter run under
/// callgrind).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_arena_eager_commit` in mimalloc v2's `mi_option_e` (mimalloc.h of
/// the libmimalloc-sys version Cargo.toml pins exactly; v3 has it at the same place).
#[cfg(target_os = "linux")]
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

/// By default mimalloc commits whole arenas on Linux (only there) and keeps
/// freed pages in them. Committing on demand lets freed pages go back: a
/// 1,000-chapter build peaks at about 138 MB instead of 155-160 MB (the system
/// allocator: 130 MB), in the same time. The option must be set before the first
/// allocation reserves an arena, which happens before `main`, so this runs among
/// the program's constructors.
#[cfg(target_os = "linux")]
extern "C" fn allocator_options() {
    // SAFETY: constructors run on one thread, and the option is a plain number.
    unsafe { libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0) };
}

#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array.00099"]
static ALLOCATOR_OPTIONS: extern "C" fn() = allocator_options;

fn main() -> ExitCode {
    cmd::main()
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn the_allocator_option_is_set_before_main() {
        // SAFETY: reads a plain number.
        let value = unsafe { libmimalloc_sys::mi_option_get(super::ARENA_EAGER_COMMIT) };
        assert_eq!(value, 0);
    }
}
