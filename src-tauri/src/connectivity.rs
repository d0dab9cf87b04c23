//! Whether the vendors can be reached. Learned from what the app already does (a request that
//! fails with a network error means offline; any answer means online) and, while offline, from
//! a cheap TCP connect to the accounts' hosts, so the banner clears by itself.

use std::net::ToSocketAddrs;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use hirebridge_core::{Error, ErrorKind};

use crate::events::{AppEvent, ConnectivityEvent};

const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

pub type AppEventSink = Arc<dyn Fn(AppEvent) + Send + Sync>;

pub struct Connectivity {
    online: AtomicBool,
    sink: AppEventSink,
}

impl Connectivity {
    pub fn new(sink: AppEventSink) -> Self {
        Self {
            online: AtomicBool::new(true),
            sink,
        }
    }

    pub fn is_online(&self) -> bool {
        self.online.load(Ordering::Relaxed)
    }

    /// Records what a vendor call taught us; tells the window when it changes.
    pub fn observe<T>(&self, outcome: &Result<T, Error>) {
        match outcome {
            Ok(_) => self.set(true),
            Err(e) if e.kind == ErrorKind::Network => self.set(false),
            // Any other error came with an answer from the vendor: the network works.
            Err(e) if e.kind != ErrorKind::Offline && e.status.is_some() => self.set(true),
            Err(_) => {}
        }
    }

    pub fn set(&self, online: bool) {
        if self.online.swap(online, Ordering::Relaxed) != online {
            log::info!(
                "connectivity: {}",
                if online { "online" } else { "offline" }
            );
            (self.sink)(AppEvent::Connectivity(ConnectivityEvent { online }));
        }
    }

    /// Before a write: refuses with kind `offline` when `base_url`'s host cannot be reached,
    /// so nothing is queued behind the user's back.
    pub async fn ensure_reachable(&self, base_url: &str) -> Result<(), Error> {
        let reachable = probe(base_url).await;
        self.set(reachable);
        if reachable {
            Ok(())
        } else {
            Err(offline_error())
        }
    }
}

pub fn offline_error() -> Error {
    Error::new(
        ErrorKind::Offline,
        "You're offline, so nothing was sent. Your cached candidates stay available; \
         try again once the connection is back.",
    )
}

/// True when a TCP connection to `base_url`'s host and port opens within a few seconds.
pub async fn probe(base_url: &str) -> bool {
    let Ok(url) = hirebridge_core::auth::Url::parse(base_url) else {
        return false;
    };
    let (Some(host), Some(port)) = (
        url.host_str().map(str::to_owned),
        url.port_or_known_default(),
    ) else {
        return false;
    };
    let connect = async move {
        // Name resolution blocks: off the async threads.
        let addrs = tokio::task::spawn_blocking(move || {
            (host.as_str(), port)
                .to_socket_addrs()
                .map(|a| a.collect::<Vec<_>>())
        })
        .await
        .ok()?
        .ok()?;
        for addr in addrs {
            if tokio::net::TcpStream::connect(addr).await.is_ok() {
                return Some(());
            }
        }
        None
    };
    matches!(
        tokio::time::timeout(PROBE_TIMEOUT, connect).await,
        Ok(Some(()))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    fn recorder() -> (Connectivity, Arc<Mutex<Vec<bool>>>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink_seen = seen.clone();
        let sink: AppEventSink = Arc::new(move |e| {
            if let AppEvent::Connectivity(c) = e {
                sink_seen.lock().expect("lock").push(c.online);
            }
        });
        (Connectivity::new(sink), seen)
    }

    #[test]
    fn network_errors_mean_offline_and_vendor_answers_mean_online_told_once_each() {
        let (c, seen) = recorder();
        let network: Result<(), Error> = Err(Error::new(ErrorKind::Network, "reset"));
        c.observe(&network);
        c.observe(&network);
        assert!(!c.is_online());
        let mut answered = Error::new(ErrorKind::NotFound, "gone");
        answered.status = Some(404);
        c.observe::<()>(&Err(answered));
        assert!(c.is_online());
        c.observe(&Ok(()));
        assert_eq!(*seen.lock().expect("lock"), vec![false, true]);
    }

    #[tokio::test]
    async fn a_closed_port_is_unreachable_and_refuses_writes_as_offline() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let (c, _) = recorder();
        assert!(probe(&format!("http://127.0.0.1:{port}/api")).await);
        drop(listener);
        let err = c
            .ensure_reachable(&format!("http://127.0.0.1:{port}/api"))
            .await
            .expect_err("nothing listens there any more");
        assert_eq!(err.kind, ErrorKind::Offline);
        assert!(!c.is_online());
        assert!(!probe("not a url").await);
    }
}
