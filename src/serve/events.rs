//! Server-Sent Events at `/_labsite/events`: each open page holds one
//! connection, and every finished update is broadcast to all of them.

use std::io::Write;
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::Mutex;
use std::time::Duration;

/// Connections held open at most; more get 503 so threads stay bounded.
pub const MAX_CLIENTS: usize = 64;
const KEEPALIVE: Duration = Duration::from_secs(15);

/// The set of connected pages.
#[derive(Default)]
pub struct Hub {
    clients: Mutex<Vec<SyncSender<String>>>,
}

impl Hub {
    /// A new listener, or `None` when too many are connected.
    pub fn subscribe(&self) -> Option<Receiver<String>> {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        // An empty message is a probe that listeners skip; it finds the closed ones.
        clients.retain(|c| {
            !matches!(
                c.try_send(String::new()),
                Err(TrySendError::Disconnected(_))
            )
        });
        if clients.len() >= MAX_CLIENTS {
            return None;
        }
        let (tx, rx) = sync_channel(16);
        clients.push(tx);
        Some(rx)
    }

    /// Sends one event (a JSON text) to every page; gone or stuck pages are dropped.
    pub fn broadcast(&self, data: &str) {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.retain(|c| c.try_send(data.to_string()).is_ok());
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.clients.lock().map(|c| c.len()).unwrap_or(0)
    }
}

/// Writes the event stream to one connection until it closes. `first` is sent at once.
pub fn stream(mut out: Box<dyn Write + Send>, rx: Receiver<String>, first: String) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\nX-Accel-Buffering: no\r\n\r\n";
    if write_flush(&mut out, head).is_err() || write_flush(&mut out, &event(&first)).is_err() {
        return;
    }
    loop {
        let chunk = match rx.recv_timeout(KEEPALIVE) {
            Ok(data) if data.is_empty() => continue,
            Ok(data) => event(&data),
            // A comment line keeps proxies from closing the connection and notices dead clients.
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if write_flush(&mut out, &chunk).is_err() {
            return;
        }
    }
}

fn event(data: &str) -> String {
    format!("data: {}\n\n", data.replace('\n', "\ndata: "))
}

fn write_flush(out: &mut Box<dyn Write + Send>, s: &str) -> std::io::Result<()> {
    out.write_all(s.as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcast_reaches_listeners_and_drops_the_gone() {
        let hub = Hub::default();
        let a = hub.subscribe().unwrap();
        let b = hub.subscribe().unwrap();
        drop(b);
        hub.broadcast("{\"type\":\"reload\"}");
        let got = a.try_iter().find(|m| !m.is_empty()).unwrap();
        assert_eq!(got, "{\"type\":\"reload\"}", "probes are empty and skipped");
        assert_eq!(hub.len(), 1);
    }

    #[test]
    fn events_are_framed() {
        assert_eq!(event("a\nb"), "data: a\ndata: b\n\n");
    }
}
