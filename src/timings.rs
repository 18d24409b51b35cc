//! Stage timings for profiling: with `LABSITE_TIMINGS=1` in the environment, each
//! stage of a command prints to stderr how long it took, in wall time and in CPU
//! time (user + system, all threads). Off by default, and cheap when off.

use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| {
        std::env::var_os("LABSITE_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0")
    })
}

/// The process's CPU time so far (user, system) and its peak resident memory in MB.
fn usage() -> (Duration, Duration, f64) {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let d = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    (
        d(usage.ru_utime),
        d(usage.ru_stime),
        usage.ru_maxrss as f64 / 1024.0,
    )
}

struct Mark {
    first: Instant,
    last: Instant,
    cpu: (Duration, Duration),
}

/// Marks the end of a stage: prints its name, its wall and CPU time, the time since
/// the first mark and the peak memory so far.
pub fn mark(stage: &str) {
    if !enabled() {
        return;
    }
    static LAST: OnceLock<Mutex<Mark>> = OnceLock::new();
    let now = Instant::now();
    let (user, sys, peak) = usage();
    let cpu_now = (user, sys);
    let last = LAST.get_or_init(|| {
        Mutex::new(Mark {
            first: now,
            last: now,
            cpu: cpu_now,
        })
    });
    let mut m = last.lock().unwrap_or_else(|e| e.into_inner());
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    eprintln!(
        "[timings] {stage:<24} {:>7.1} ms wall {:>7.1} ms user {:>7.1} ms sys  (at {:>7.1} ms, peak {peak:>6.1} MB)",
        ms(now - m.last),
        ms(cpu_now.0.saturating_sub(m.cpu.0)),
        ms(cpu_now.1.saturating_sub(m.cpu.1)),
        ms(now - m.first)
    );
    m.last = now;
    m.cpu = cpu_now;
}
