//! Running one program for a check: in its own process group, output captured
//! and capped, stopped with everything it started when time is up.
//!
//! stdout and stderr are read on their own threads, so a chatty program never
//! blocks on a full pipe. When the program ends, or its time is up, the whole
//! process group is killed: nothing a validator started outlives its check.

#[cfg(unix)]
use std::collections::BTreeSet;
use std::io::{self, Read};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How much of stdout and of stderr is kept, each.
pub const OUTPUT_CAP: usize = 64 * 1024;
/// How long to wait for output pipes after the process group is gone.
const PIPE_GRACE: Duration = Duration::from_secs(2);

/// How a program ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    /// Killed by a signal it did not ask for (not our timeout).
    Signal(i32),
    /// Still running at the deadline: killed with its process group.
    TimedOut,
}

/// What a program printed on one stream, at most [`OUTPUT_CAP`] bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Captured {
    pub text: String,
    /// More was printed than was kept.
    pub truncated: bool,
}

impl Captured {
    /// The text, with a marker at the end when it was cut.
    pub fn shown(&self) -> String {
        if self.truncated {
            format!(
                "{}\n[output truncated at {} KiB]",
                self.text,
                OUTPUT_CAP / 1024
            )
        } else {
            self.text.clone()
        }
    }
}

#[derive(Debug, Clone)]
pub struct Output {
    pub exit: Exit,
    pub stdout: Captured,
    pub stderr: Captured,
}

#[derive(Default)]
struct Buffer {
    bytes: Vec<u8>,
    truncated: bool,
}

/// Runs `cmd` (stdin empty, stdout and stderr captured) until it ends or `deadline` passes.
pub fn run(cmd: &mut Command, deadline: Instant) -> io::Result<Output> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = cmd.spawn()?;
    #[cfg(unix)]
    running().insert(child.id() as libc::pid_t);
    let stdout = capture(child.stdout.take());
    let stderr = capture(child.stderr.take());
    let exit = wait(&mut child, deadline)?;
    let grace = Instant::now() + PIPE_GRACE;
    Ok(Output {
        exit,
        stdout: collect(stdout, grace),
        stderr: collect(stderr, grace),
    })
}

type Reader = (Arc<Mutex<Buffer>>, mpsc::Receiver<()>);

fn capture(stream: Option<impl Read + Send + 'static>) -> Reader {
    let buffer = Arc::new(Mutex::new(Buffer::default()));
    let (done, finished) = mpsc::channel();
    if let Some(mut stream) = stream {
        let buffer = Arc::clone(&buffer);
        thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            loop {
                match stream.read(&mut chunk) {
                    Ok(0) => break,
                    Ok(n) => {
                        let mut b = buffer.lock().unwrap_or_else(|e| e.into_inner());
                        let room = OUTPUT_CAP - b.bytes.len();
                        b.bytes.extend_from_slice(&chunk[..n.min(room)]);
                        if n > room {
                            b.truncated = true;
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
            let _ = done.send(());
        });
    }
    (buffer, finished)
}

/// The output read so far, waiting until `grace` for the pipe to close.
fn collect((buffer, finished): Reader, grace: Instant) -> Captured {
    let closed = finished
        .recv_timeout(grace.saturating_duration_since(Instant::now()))
        .is_ok();
    let b = buffer.lock().unwrap_or_else(|e| e.into_inner());
    let mut text = String::from_utf8_lossy(&b.bytes).into_owned();
    if !closed {
        // A process that left the group (setsid) still holds the pipe.
        text.push_str(
            "\n[stopped reading: a process the validator started still holds its output open]",
        );
    }
    Captured {
        text,
        truncated: b.truncated,
    }
}

#[cfg(unix)]
fn wait(child: &mut Child, deadline: Instant) -> io::Result<Exit> {
    use std::os::unix::process::ExitStatusExt;
    let pid = child.id() as libc::pid_t;
    let mut pause = Duration::from_millis(1);
    let timed_out = loop {
        if exited_unreaped(pid)? {
            break false;
        }
        let now = Instant::now();
        if now >= deadline {
            break true;
        }
        thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(Duration::from_millis(25));
    };
    // The child is not reaped yet, so its pid, the group's id, cannot have been reused.
    {
        let mut running = running();
        running.remove(&pid);
        kill_group(pid);
    }
    let status = child.wait()?;
    Ok(if timed_out {
        Exit::TimedOut
    } else if let Some(code) = status.code() {
        Exit::Code(code)
    } else {
        Exit::Signal(status.signal().unwrap_or(0))
    })
}

/// Process groups of programs started and not yet reaped.
#[cfg(unix)]
fn running() -> std::sync::MutexGuard<'static, BTreeSet<libc::pid_t>> {
    static RUNNING: Mutex<BTreeSet<libc::pid_t>> = Mutex::new(BTreeSet::new());
    RUNNING.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(unix)]
fn kill_group(pgid: libc::pid_t) {
    // SAFETY: kill(2) with a negative pid signals that process group; no memory is involved.
    unsafe {
        libc::kill(-pgid, libc::SIGKILL);
    }
}

/// Kills every program still running for a check, with everything it started:
/// for a front end that is interrupted (the programs are in their own process
/// groups, so a terminal's Ctrl-C does not reach them).
pub fn kill_all() {
    #[cfg(unix)]
    {
        let running = running();
        for &pgid in running.iter() {
            kill_group(pgid);
        }
    }
}

/// Whether the process has exited, leaving it a zombie (not reaped) so its pid stays taken.
#[cfg(unix)]
fn exited_unreaped(pid: libc::pid_t) -> io::Result<bool> {
    loop {
        // SAFETY: an all-zero siginfo_t is valid; waitid only writes into it.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: `info` is a valid, writable siginfo_t for the duration of the call.
        let r = unsafe {
            libc::waitid(
                libc::P_PID,
                pid as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
            )
        };
        if r == 0 {
            // SAFETY: after a successful waitid, si_pid is set (0 when no child changed state).
            return Ok(unsafe { info.si_pid() } != 0);
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

#[cfg(not(unix))]
fn wait(child: &mut Child, deadline: Instant) -> io::Result<Exit> {
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Exit::Code(status.code().unwrap_or(-1)));
        }
        if Instant::now() >= deadline {
            child.kill()?;
            child.wait()?;
            return Ok(Exit::TimedOut);
        }
        thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn sh(script: &str, secs: u64) -> Output {
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(script);
        run(&mut cmd, Instant::now() + Duration::from_secs(secs)).unwrap()
    }

    #[test]
    fn captures_both_streams_and_the_exit_code() {
        let out = sh("echo out; echo err >&2; exit 3", 10);
        assert_eq!(out.exit, Exit::Code(3));
        assert_eq!(out.stdout.text, "out\n");
        assert_eq!(out.stderr.text, "err\n");
    }

    #[test]
    fn caps_output_and_marks_it() {
        let out = sh("head -c 200000 /dev/zero | tr '\\0' x", 20);
        assert_eq!(out.exit, Exit::Code(0));
        assert_eq!(out.stdout.text.len(), OUTPUT_CAP);
        assert!(out.stdout.truncated);
        assert!(out.stdout.shown().ends_with("[output truncated at 64 KiB]"));
    }

    #[test]
    fn a_timeout_kills_the_group() {
        let started = Instant::now();
        let out = sh("sleep 30 & sleep 30", 1);
        assert_eq!(out.exit, Exit::TimedOut);
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn a_background_child_does_not_hold_the_check() {
        let started = Instant::now();
        let out = sh("sleep 30 & echo started", 20);
        assert_eq!(out.exit, Exit::Code(0));
        assert_eq!(out.stdout.text, "started\n");
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}
