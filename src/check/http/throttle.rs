//! Politeness towards each host: at most `per_host` requests at once, and at
//! least `interval` between the starts of two requests to the same host.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug)]
struct Host {
    active: usize,
    next_start: Instant,
}

/// Hands out permits to send a request to a host.
#[derive(Debug)]
pub struct Throttle {
    per_host: usize,
    interval: Duration,
    hosts: Mutex<HashMap<String, Host>>,
    changed: Condvar,
}

/// Permission to send one request; the host's slot is given back when dropped.
pub struct Permit<'a> {
    throttle: &'a Throttle,
    host: String,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut hosts = self
            .throttle
            .hosts
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(h) = hosts.get_mut(&self.host) {
            h.active = h.active.saturating_sub(1);
        }
        self.throttle.changed.notify_all();
    }
}

impl Throttle {
    pub fn new(per_host: usize, interval: Duration) -> Self {
        Throttle {
            per_host: per_host.max(1),
            interval,
            hosts: Mutex::new(HashMap::new()),
            changed: Condvar::new(),
        }
    }

    /// Waits for a slot on `host`; `None` when `deadline` comes first.
    pub fn acquire(&self, host: &str, deadline: Instant) -> Option<Permit<'_>> {
        let host = host.to_ascii_lowercase();
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let now = Instant::now();
            if now >= deadline {
                return None;
            }
            let h = hosts.entry(host.clone()).or_insert(Host {
                active: 0,
                next_start: now,
            });
            if h.active < self.per_host && now >= h.next_start {
                h.active += 1;
                h.next_start = now + self.interval;
                return Some(Permit {
                    throttle: self,
                    host,
                });
            }
            // Wake for the interval's end, a released slot, or the deadline.
            let until = if h.active < self.per_host {
                h.next_start.min(deadline)
            } else {
                deadline
            };
            let wait = until
                .saturating_duration_since(now)
                .max(Duration::from_millis(1));
            hosts = self
                .changed
                .wait_timeout(hosts, wait)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn limits_requests_at_once_per_host() {
        let throttle = Throttle::new(2, Duration::ZERO);
        let active = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let deadline = Instant::now() + Duration::from_secs(10);
        std::thread::scope(|s| {
            for _ in 0..6 {
                s.spawn(|| {
                    let _p = throttle.acquire("Example.com", deadline).unwrap();
                    let now = active.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(30));
                    active.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn spaces_requests_to_one_host_and_not_to_others() {
        let throttle = Throttle::new(4, Duration::from_millis(100));
        let deadline = Instant::now() + Duration::from_secs(10);
        let start = Instant::now();
        drop(throttle.acquire("a.example", deadline).unwrap());
        drop(throttle.acquire("b.example", deadline).unwrap());
        assert!(
            start.elapsed() < Duration::from_millis(80),
            "other hosts do not wait"
        );
        drop(throttle.acquire("a.example", deadline).unwrap());
        assert!(
            start.elapsed() >= Duration::from_millis(100),
            "same host waits the interval"
        );
    }

    #[test]
    fn gives_up_at_the_deadline() {
        let throttle = Throttle::new(1, Duration::ZERO);
        let deadline = Instant::now() + Duration::from_millis(50);
        let _held = throttle.acquire("x.example", deadline).unwrap();
        assert!(throttle.acquire("x.example", deadline).is_none());
    }
}
