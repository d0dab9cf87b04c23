//! A network cable for the demo servers: a loopback TCP relay in front of fake-ats that can be
//! unplugged. Unplugged, its port is closed (a connect is refused, exactly what the connectivity
//! probe sees when a host is unreachable) and every relayed connection is cut; plugged back in,
//! the same port listens again. End-to-end tests unplug it by creating a file.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// How often the switch file is looked at.
const POLL: Duration = Duration::from_millis(200);

/// Starts a relay on an ephemeral loopback port towards `upstream`. While `switch_file` exists
/// the relay is unplugged. Returns the relay's address.
pub async fn start_relay(
    upstream: SocketAddr,
    switch_file: PathBuf,
) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    tokio::spawn(run(listener, addr, upstream, switch_file));
    Ok(addr)
}

async fn run(listener: TcpListener, addr: SocketAddr, upstream: SocketAddr, switch_file: PathBuf) {
    let mut listener = Some(listener);
    // Bumped on every unplug: the relayed connections of the plugged-in period end.
    let (cut, _) = watch::channel(0u64);
    loop {
        let unplugged = switch_file.exists();
        if unplugged && listener.is_some() {
            listener = None;
            cut.send_modify(|n| *n += 1);
            log::info!("demo network: unplugged ({addr} refuses connections)");
        } else if !unplugged && listener.is_none() {
            match TcpListener::bind(addr).await {
                Ok(l) => {
                    listener = Some(l);
                    log::info!("demo network: plugged in again on {addr}");
                }
                Err(e) => log::warn!("demo network: {addr} could not listen again yet: {e}"),
            }
        }
        let Some(l) = listener.as_ref() else {
            tokio::time::sleep(POLL).await;
            continue;
        };
        tokio::select! {
            accepted = l.accept() => {
                if let Ok((client, _)) = accepted {
                    tokio::spawn(relay(client, upstream, cut.subscribe()));
                }
            }
            () = tokio::time::sleep(POLL) => {}
        }
    }
}

/// Copies bytes both ways until either side closes or the cable is unplugged.
async fn relay(mut client: TcpStream, upstream: SocketAddr, mut cut: watch::Receiver<u64>) {
    let Ok(mut server) = TcpStream::connect(upstream).await else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    tokio::select! {
        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
        _ = cut.changed() => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    async fn echo_server() -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind echo");
        let addr = listener.local_addr().expect("echo addr");
        tokio::spawn(async move {
            while let Ok((mut s, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut buf = [0u8; 64];
                    while let Ok(n) = s.read(&mut buf).await {
                        if n == 0 || s.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        addr
    }

    async fn echoes(addr: SocketAddr) -> bool {
        let Ok(mut s) = TcpStream::connect(addr).await else {
            return false;
        };
        let mut buf = [0u8; 4];
        s.write_all(b"ping").await.is_ok()
            && s.read_exact(&mut buf).await.is_ok()
            && &buf == b"ping"
    }

    async fn eventually(what: &str, mut check: impl AsyncFnMut() -> bool) {
        for _ in 0..50 {
            if check().await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{what} did not happen within 5 s");
    }

    #[tokio::test]
    async fn unplugging_refuses_connections_and_cuts_open_ones_until_plugged_in_again() {
        let upstream = echo_server().await;
        let switch = std::env::temp_dir().join(format!(
            "hirebridge-demo-network-test-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_file(&switch);
        let relay = start_relay(upstream, switch.clone())
            .await
            .expect("relay starts");
        assert!(echoes(relay).await, "plugged in, bytes flow through");

        let mut open = TcpStream::connect(relay)
            .await
            .expect("connect while plugged in");
        std::fs::write(&switch, b"").expect("unplug");
        eventually("refused connects", async || {
            TcpStream::connect(relay).await.is_err()
        })
        .await;
        let mut buf = [0u8; 1];
        let read = tokio::time::timeout(Duration::from_secs(5), open.read(&mut buf))
            .await
            .expect("the open connection ends");
        assert!(
            matches!(read, Ok(0) | Err(_)),
            "the open connection was cut"
        );

        std::fs::remove_file(&switch).expect("plug in");
        eventually("the same port echoing again", async || echoes(relay).await).await;
    }
}
