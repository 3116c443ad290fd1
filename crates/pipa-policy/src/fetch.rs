//! Fetching a policy URL: one GET over http or https, with an overall time
//! limit, a cap on the body, and at most five redirects.

use std::io::Read;
use std::time::Duration;

use ureq::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use ureq::{Agent, ResponseExt};

use crate::PolicyError;

/// Most redirects followed before giving up.
const MAX_REDIRECTS: u32 = 5;

/// The User-Agent pipa sends.
const USER_AGENT: &str = concat!(
    "pipa/",
    env!("CARGO_PKG_VERSION"),
    " (privacy-policy check)"
);

/// What is asked for: the formats pipa reads.
const ACCEPT: &str = "text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.9,text/markdown;q=0.8,*/*;q=0.5";

/// A fetched policy.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The final URL, after redirects.
    pub url: String,
    /// The `Content-Type` header, as sent.
    pub content_type: Option<String>,
    /// The body (decompressed when the server sent it gzipped).
    pub bytes: Vec<u8>,
}

/// Fetches `url` once (http or https only) with a GET.
///
/// `timeout` bounds the whole exchange — name lookup, connecting, TLS,
/// redirects and reading the body. At most five redirects are followed. The
/// User-Agent is `pipa/<version> (privacy-policy check)`. Proxies named by the
/// usual environment variables (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`,
/// `NO_PROXY`) are used.
///
/// # Errors
///
/// * [`PolicyError::Fetch`] for a URL that is not http or https, a status
///   other than 2xx (the status is in the message), too many redirects, a
///   timeout, or a network, TLS or protocol failure;
/// * [`PolicyError::TooLarge`] when the body (after decompression) is longer
///   than `max_bytes`: it is never cut short silently. The size reported is the
///   `Content-Length` when the server sent one, else the bytes read before
///   stopping (`max_bytes + 1`).
pub fn fetch(url: &str, timeout: Duration, max_bytes: u64) -> Result<Fetched, PolicyError> {
    fetch_with(url, timeout, max_bytes, true)
}

/// [`fetch`], with the proxy from the environment or without one (tests talk
/// to 127.0.0.1 directly whatever the environment says).
fn fetch_with(
    url: &str,
    timeout: Duration,
    max_bytes: u64,
    env_proxy: bool,
) -> Result<Fetched, PolicyError> {
    let fetch_error = |message: String| PolicyError::Fetch {
        url: url.to_owned(),
        message,
    };
    let scheme = url.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    if !matches!(scheme.as_deref(), Some("http" | "https")) {
        return Err(fetch_error(
            "only http and https URLs can be fetched".to_owned(),
        ));
    }
    let mut config = Agent::config_builder()
        .timeout_global(Some(timeout))
        .max_redirects(MAX_REDIRECTS)
        .max_redirects_will_error(true)
        .http_status_as_error(false)
        .user_agent(USER_AGENT)
        .accept(ACCEPT);
    if !env_proxy {
        config = config.proxy(None);
    }
    let agent: Agent = config.build().into();
    let mut response = agent
        .get(url)
        .call()
        .map_err(|e| fetch_error(describe(&e, timeout)))?;
    let status = response.status();
    if !status.is_success() {
        let reason = status.canonical_reason().unwrap_or("");
        return Err(fetch_error(
            format!("HTTP status {} {reason}", status.as_u16())
                .trim_end()
                .to_owned(),
        ));
    }
    let final_url = response.get_uri().to_string();
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v: &ureq::http::HeaderValue| v.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header(CONTENT_TYPE);
    let declared: Option<u64> = header(CONTENT_LENGTH).and_then(|v| v.trim().parse().ok());
    let too_large = |size| PolicyError::TooLarge {
        path: url.to_owned(),
        size,
        limit: max_bytes,
    };
    if let Some(size) = declared.filter(|&size| size > max_bytes) {
        return Err(too_large(size));
    }
    let mut bytes = Vec::new();
    response
        .body_mut()
        .as_reader()
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| fetch_error(describe_io(e, timeout)))?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large(declared.unwrap_or(bytes.len() as u64)));
    }
    Ok(Fetched {
        url: final_url,
        content_type,
        bytes,
    })
}

/// A `ureq` error in words.
fn describe(error: &ureq::Error, timeout: Duration) -> String {
    match error {
        ureq::Error::Timeout(what) => format!("timed out after {timeout:?} ({what})"),
        ureq::Error::TooManyRedirects => format!("more than {MAX_REDIRECTS} redirects"),
        other => other.to_string(),
    }
}

/// An error while reading the body in words (ureq wraps its own errors in
/// `io::Error`).
fn describe_io(error: std::io::Error, timeout: Duration) -> String {
    match error.downcast::<ureq::Error>() {
        Ok(inner) => format!("reading the body: {}", describe(&inner, timeout)),
        Err(io) => format!("reading the body: {io}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Write};
    use std::net::{SocketAddr, TcpListener, TcpStream};
    use std::sync::{Arc, Mutex};
    use std::thread;
    use std::time::Instant;

    const PAGE: &str = "<html><head><meta charset=\"utf-8\"><title>隐私政策</title></head><body><p>我们收集您的设备标识符。</p></body></html>";

    /// A local HTTP/1.1 server: answers each request by path, one request per
    /// connection, and records the request heads. It serves `limit`
    /// connections and then stops.
    struct Server {
        addr: SocketAddr,
        requests: Arc<Mutex<Vec<String>>>,
    }

    impl Server {
        fn start(limit: usize) -> Server {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let addr = listener.local_addr().unwrap();
            let requests = Arc::new(Mutex::new(Vec::new()));
            let seen = Arc::clone(&requests);
            thread::spawn(move || {
                for stream in listener.incoming().take(limit) {
                    let Ok(stream) = stream else { continue };
                    let seen = Arc::clone(&seen);
                    thread::spawn(move || answer(stream, addr, &seen));
                }
            });
            Server { addr, requests }
        }

        fn url(&self, path: &str) -> String {
            format!("http://{}{path}", self.addr)
        }
    }

    fn answer(mut stream: TcpStream, addr: SocketAddr, seen: &Mutex<Vec<String>>) {
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut head = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        seen.lock().unwrap().push(head.clone());
        let path = head.split(' ').nth(1).unwrap_or("").to_owned();
        let response: Vec<u8> = match path.as_str() {
            "/policy.html" => format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{PAGE}",
                PAGE.len()
            )
            .into_bytes(),
            "/old" => format!(
                "HTTP/1.1 302 Found\r\nLocation: http://{addr}/policy.html\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            .into_bytes(),
            "/loop" => "HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .as_bytes()
                .to_vec(),
            "/big" => {
                let mut r = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n".to_vec();
                r.extend(std::iter::repeat_n(b'a', 5000));
                r
            }
            "/big-unsized" => {
                let mut r = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n".to_vec();
                r.extend(std::iter::repeat_n(b'a', 5000));
                r
            }
            "/silent" => {
                // Accept, read the request, never answer; hold the socket.
                thread::sleep(Duration::from_secs(10));
                return;
            }
            _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found"
                .as_bytes()
                .to_vec(),
        };
        let _ = stream.write_all(&response);
        let _ = stream.flush();
    }

    const TIMEOUT: Duration = Duration::from_secs(5);

    #[test]
    fn a_page_is_fetched_with_its_content_type_and_user_agent() {
        let server = Server::start(1);
        let fetched = fetch_with(&server.url("/policy.html"), TIMEOUT, 1 << 20, false).unwrap();
        assert_eq!(fetched.bytes, PAGE.as_bytes());
        assert_eq!(
            fetched.content_type.as_deref(),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(fetched.url, server.url("/policy.html"));
        let requests = server.requests.lock().unwrap();
        let head = requests[0].to_ascii_lowercase();
        assert!(head.starts_with("get /policy.html http/1.1"), "{head}");
        assert!(
            head.contains(&format!(
                "user-agent: pipa/{} (privacy-policy check)",
                env!("CARGO_PKG_VERSION")
            )),
            "{head}"
        );
    }

    #[test]
    fn a_redirect_is_followed_and_the_final_url_reported() {
        let server = Server::start(2);
        let fetched = fetch_with(&server.url("/old"), TIMEOUT, 1 << 20, false).unwrap();
        assert_eq!(fetched.bytes, PAGE.as_bytes());
        assert_eq!(fetched.url, server.url("/policy.html"));
    }

    #[test]
    fn endless_redirects_stop_after_five() {
        let server = Server::start(10);
        let err = fetch_with(&server.url("/loop"), TIMEOUT, 1 << 20, false).unwrap_err();
        assert!(matches!(err, PolicyError::Fetch { .. }), "{err}");
        assert!(err.to_string().contains("more than 5 redirects"), "{err}");
        assert_eq!(server.requests.lock().unwrap().len(), 6);
    }

    #[test]
    fn a_404_is_an_error_with_the_status() {
        let server = Server::start(1);
        let url = server.url("/missing");
        let err = fetch_with(&url, TIMEOUT, 1 << 20, false).unwrap_err();
        assert!(
            matches!(&err, PolicyError::Fetch { url: u, .. } if *u == url),
            "{err}"
        );
        assert!(
            err.to_string().contains("HTTP status 404 Not Found"),
            "{err}"
        );
    }

    #[test]
    fn a_body_over_the_cap_is_refused_not_truncated() {
        let server = Server::start(2);
        let url = server.url("/big");
        match fetch_with(&url, TIMEOUT, 1000, false).unwrap_err() {
            PolicyError::TooLarge { path, size, limit } => {
                assert_eq!((path.as_str(), size, limit), (url.as_str(), 5000, 1000));
            }
            other => panic!("{other}"),
        }
        // Without Content-Length the cap is found while reading.
        let url = server.url("/big-unsized");
        match fetch_with(&url, TIMEOUT, 1000, false).unwrap_err() {
            PolicyError::TooLarge { path, size, limit } => {
                assert_eq!((path.as_str(), size, limit), (url.as_str(), 1001, 1000));
            }
            other => panic!("{other}"),
        }
        // Exactly at the cap is fine.
        let server = Server::start(1);
        let fetched = fetch_with(&server.url("/big"), TIMEOUT, 5000, false).unwrap();
        assert_eq!(fetched.bytes.len(), 5000);
    }

    #[test]
    fn a_server_that_never_answers_times_out() {
        let server = Server::start(1);
        let timeout = Duration::from_millis(500);
        let start = Instant::now();
        let err = fetch_with(&server.url("/silent"), timeout, 1 << 20, false).unwrap_err();
        let took = start.elapsed();
        assert!(matches!(err, PolicyError::Fetch { .. }), "{err}");
        assert!(err.to_string().contains("timed out after 500ms"), "{err}");
        assert!(took < timeout * 2, "took {took:?}");
    }

    #[test]
    fn only_http_and_https_are_fetched() {
        for url in [
            "file:///etc/passwd",
            "ftp://example.invalid/p.html",
            "example.invalid/p.html",
        ] {
            let err = fetch(url, TIMEOUT, 1 << 20).unwrap_err();
            assert!(err.to_string().contains("only http and https"), "{err}");
        }
    }

    #[test]
    fn the_user_agent_names_pipa() {
        assert!(USER_AGENT.starts_with("pipa/") && USER_AGENT.ends_with(" (privacy-policy check)"));
    }
}
