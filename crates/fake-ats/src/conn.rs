//! A TCP listener whose connections can be told, per request, to die: either before any response byte
//! (a connection reset) or after the response head and part of the body (a truncated body).
//! Handlers reach the control through the `ConnectInfo<ConnCtl>` request extension.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::task::{Context, Poll};

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

const MODE_RESET: u8 = 1;
const MODE_TRUNCATE: u8 = 2;

/// How many body bytes a truncated response still delivers before the connection closes.
pub const TRUNCATE_BODY_BYTES: usize = 16;

/// Per-connection switch shared between the IO wrapper and the request handlers.
#[derive(Clone, Debug, Default)]
pub struct ConnCtl {
    mode: Arc<AtomicU8>,
}

impl ConnCtl {
    /// Drop the connection without writing the response.
    pub fn reset(&self) {
        self.mode.store(MODE_RESET, Ordering::SeqCst);
    }
    /// Write the response head and a few body bytes, then drop the connection.
    pub fn truncate(&self) {
        self.mode.store(MODE_TRUNCATE, Ordering::SeqCst);
    }
}

pub struct FaultListener {
    inner: TcpListener,
}

impl FaultListener {
    pub fn new(inner: TcpListener) -> Self {
        Self { inner }
    }
}

impl Listener for FaultListener {
    type Io = FaultIo;
    type Addr = (SocketAddr, ConnCtl);

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.inner.accept().await {
                Ok((stream, addr)) => {
                    let _ = stream.set_nodelay(true);
                    let ctl = ConnCtl::default();
                    let io = FaultIo {
                        stream,
                        ctl: ctl.clone(),
                        head_seen: 0,
                        head_done: false,
                        body_written: 0,
                    };
                    return (io, (addr, ctl));
                }
                Err(e) => {
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok((self.inner.local_addr()?, ConnCtl::default()))
    }
}

impl Connected<IncomingStream<'_, FaultListener>> for ConnCtl {
    fn connect_info(stream: IncomingStream<'_, FaultListener>) -> Self {
        stream.remote_addr().1.clone()
    }
}

pub struct FaultIo {
    stream: TcpStream,
    ctl: ConnCtl,
    /// How many bytes of "\r\n\r\n" were matched so far while in truncate mode.
    head_seen: u8,
    head_done: bool,
    body_written: usize,
}

fn broken() -> io::Error {
    io::Error::new(io::ErrorKind::ConnectionReset, "fault injected")
}

impl AsyncRead for FaultIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for FaultIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.ctl.mode.load(Ordering::SeqCst) {
            MODE_RESET => Poll::Ready(Err(broken())),
            MODE_TRUNCATE => {
                if self.head_done && self.body_written >= TRUNCATE_BODY_BYTES {
                    return Poll::Ready(Err(broken()));
                }
                // Allow the head through, then at most TRUNCATE_BODY_BYTES of body.
                let mut allowed = 0;
                let mut head_seen = self.head_seen;
                let mut head_done = self.head_done;
                let mut body = self.body_written;
                for &b in buf {
                    if head_done {
                        if body >= TRUNCATE_BODY_BYTES {
                            break;
                        }
                        body += 1;
                    } else {
                        let want = [b'\r', b'\n', b'\r', b'\n'][head_seen as usize];
                        head_seen = if b == want {
                            head_seen + 1
                        } else if b == b'\r' {
                            1
                        } else {
                            0
                        };
                        if head_seen == 4 {
                            head_done = true;
                        }
                    }
                    allowed += 1;
                }
                match Pin::new(&mut self.stream).poll_write(cx, &buf[..allowed]) {
                    Poll::Ready(Ok(n)) => {
                        // Re-scan only what was really written so the state matches the wire.
                        let written = &buf[..n];
                        for &b in written {
                            if self.head_done {
                                self.body_written += 1;
                            } else {
                                let want = [b'\r', b'\n', b'\r', b'\n'][self.head_seen as usize];
                                self.head_seen = if b == want {
                                    self.head_seen + 1
                                } else if b == b'\r' {
                                    1
                                } else {
                                    0
                                };
                                if self.head_seen == 4 {
                                    self.head_done = true;
                                }
                            }
                        }
                        Poll::Ready(Ok(n))
                    }
                    other => other,
                }
            }
            _ => Pin::new(&mut self.stream).poll_write(cx, buf),
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let mode = self.ctl.mode.load(Ordering::SeqCst);
        if mode == MODE_RESET
            || (mode == MODE_TRUNCATE && self.head_done && self.body_written >= TRUNCATE_BODY_BYTES)
        {
            // Push what was allowed, then fail so hyper closes the socket.
            let _ = Pin::new(&mut self.stream).poll_flush(cx);
            return Poll::Ready(Err(broken()));
        }
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
