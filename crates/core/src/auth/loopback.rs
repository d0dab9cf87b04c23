//! The one-shot loopback redirect listener of RFC 8252 §7.3: 127.0.0.1, an ephemeral port, one
//! callback accepted, then the port is closed.

use std::io;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The redirect path registered with every vendor: `http://127.0.0.1/callback`, any port.
pub const CALLBACK_PATH: &str = "/callback";
/// A browser's GET is well under this; a larger request is not our callback.
const MAX_REQUEST_BYTES: usize = 8 * 1024;
/// A connection that does not send its request in this time is dropped.
const READ_TIMEOUT: Duration = Duration::from_secs(5);

pub struct LoopbackListener {
    listener: TcpListener,
    port: u16,
}

/// The browser connection that brought the callback, waiting for its answer page.
pub struct BrowserReply {
    stream: TcpStream,
}

impl LoopbackListener {
    /// Binds 127.0.0.1 (never a public interface) on a port the OS picks.
    pub async fn bind() -> io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let port = listener.local_addr()?.port();
        Ok(Self { listener, port })
    }

    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}{CALLBACK_PATH}", self.port)
    }

    /// Waits for a GET on the callback path and returns its raw query with the connection to
    /// answer. Other paths get a 404 and do not count. Consumes the listener, so the port is
    /// closed once the callback has arrived: a second hit is refused by the OS.
    pub async fn accept_callback(self) -> io::Result<(String, BrowserReply)> {
        loop {
            let (mut stream, _) = self.listener.accept().await?;
            let target = match tokio::time::timeout(READ_TIMEOUT, read_request(&mut stream)).await {
                Ok(Ok(target)) => target,
                // A slow, oversized or garbled request: not a browser following our redirect.
                Ok(Err(_)) | Err(_) => {
                    let _ = respond(
                        &mut stream,
                        400,
                        "Bad request",
                        "This is not a sign-in response.",
                    )
                    .await;
                    continue;
                }
            };
            let (path, query) = target.split_once('?').unwrap_or((target.as_str(), ""));
            if path != CALLBACK_PATH {
                let _ = respond(&mut stream, 404, "Not found", "Nothing here.").await;
                continue;
            }
            return Ok((query.to_owned(), BrowserReply { stream }));
        }
    }
}

impl BrowserReply {
    /// Tells the user, in the browser tab, how the sign-in ended.
    pub async fn send(mut self, outcome: Result<(), &str>) {
        let (status, title, body) = match outcome {
            Ok(()) => (
                200,
                "Account linked",
                "You can close this tab and return to Hirebridge.",
            ),
            Err(reason) => (400, "Linking failed", reason),
        };
        let _ = respond(&mut self.stream, status, title, body).await;
    }
}

/// Reads one request head and returns its target, for a GET only.
async fn read_request(stream: &mut TcpStream) -> io::Result<String> {
    let invalid = |m: &str| io::Error::new(io::ErrorKind::InvalidData, m.to_owned());
    let mut buf = Vec::with_capacity(1024);
    loop {
        let mut chunk = [0u8; 1024];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(invalid("connection closed before the request ended"));
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(target) = request_target(&buf)? {
            return Ok(target);
        }
    }
}

/// The target of the GET request whose head starts `buf`; `None` while the head is incomplete.
pub(crate) fn request_target(buf: &[u8]) -> io::Result<Option<String>> {
    let invalid = |m: &str| io::Error::new(io::ErrorKind::InvalidData, m.to_owned());
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut request = httparse::Request::new(&mut headers);
    match request.parse(buf) {
        Ok(httparse::Status::Complete(_)) => {
            if request.method != Some("GET") {
                return Err(invalid("not a GET"));
            }
            request
                .path
                .map(|p| Some(p.to_owned()))
                .ok_or_else(|| invalid("no target"))
        }
        Ok(httparse::Status::Partial) if buf.len() < MAX_REQUEST_BYTES => Ok(None),
        _ => Err(invalid("malformed or oversized request")),
    }
}

async fn respond(
    stream: &mut TcpStream,
    status: u16,
    title: &str,
    message: &str,
) -> io::Result<()> {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Bad Request",
    };
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Hirebridge: {title}</title></head>\
         <body style=\"font-family:sans-serif;margin:3em\"><h1>{title}</h1><p>{message}</p></body></html>",
        title = escape(title),
        message = escape(message),
    );
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n\
         Content-Length: {}\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\n\
         Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.shutdown().await
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn send(port: u16, raw: &[u8]) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", port))
            .await
            .expect("connects");
        let _ = stream.write_all(raw).await;
        // The listener may close with part of an oversized request unread, which resets the
        // connection after its answer: keep what arrived before the reset.
        let mut answer = Vec::new();
        let mut chunk = [0u8; 1024];
        while let Ok(n) = stream.read(&mut chunk).await {
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&chunk[..n]);
        }
        String::from_utf8_lossy(&answer).into_owned()
    }

    #[tokio::test]
    async fn only_a_get_on_the_callback_path_is_taken() {
        let listener = LoopbackListener::bind().await.expect("binds");
        let uri = listener.redirect_uri();
        assert!(
            uri.starts_with("http://127.0.0.1:") && uri.ends_with("/callback"),
            "{uri}"
        );
        let port: u16 = uri["http://127.0.0.1:".len()..uri.len() - "/callback".len()]
            .parse()
            .expect("port");
        let waiting = tokio::spawn(listener.accept_callback());

        let post = send(
            port,
            b"POST /callback?code=a&state=b HTTP/1.1\r\nHost: x\r\n\r\n",
        )
        .await;
        assert!(post.starts_with("HTTP/1.1 400"), "{post}");
        let other = send(port, b"GET /other?code=a HTTP/1.1\r\nHost: x\r\n\r\n").await;
        assert!(other.starts_with("HTTP/1.1 404"), "{other}");
        let mut huge = b"GET /callback?".to_vec();
        huge.extend(std::iter::repeat_n(b'a', MAX_REQUEST_BYTES + 10));
        let huge_answer = send(port, &huge).await;
        // Its 400 may be lost to the reset; what matters is that it is not taken as the callback.
        assert!(
            huge_answer.is_empty() || huge_answer.starts_with("HTTP/1.1 400"),
            "{huge_answer}"
        );
        let garbage = send(port, b"\x00\x01\x02 not http\r\n\r\n").await;
        assert!(garbage.starts_with("HTTP/1.1 400"), "{garbage}");
        assert!(!waiting.is_finished(), "none of those is the callback");

        let mut browser = TcpStream::connect(("127.0.0.1", port))
            .await
            .expect("connects");
        browser
            .write_all(b"GET /callback?code=c&state=s HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .expect("writes");
        let (query, reply) = waiting.await.expect("joins").expect("the callback");
        assert_eq!(query, "code=c&state=s");
        reply.send(Err("<script>alert(1)</script>")).await;
        let mut page = String::new();
        browser.read_to_string(&mut page).await.expect("reads");
        assert!(page.starts_with("HTTP/1.1 400"), "{page}");
        assert!(
            page.contains("&lt;script&gt;") && !page.contains("<script>"),
            "{page}"
        );
        assert!(page.contains("Content-Security-Policy: default-src 'none'"));
        assert!(
            TcpStream::connect(("127.0.0.1", port)).await.is_err(),
            "the port is closed after the callback"
        );
    }
}
