//! What the socket tests share: an in-process server and byte-exact reads.

use std::io::{ErrorKind, Read};
use std::net::{SocketAddr, TcpStream};
use std::thread;
use std::time::Duration;

/// Starts a server with a fresh engine and returns its address. The server
/// thread lives until the test process exits.
// Each test binary compiles this module on its own; not all of them start one.
#[allow(dead_code)]
pub fn start_server() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local_addr");
    listener.set_nonblocking(true).expect("set_nonblocking");
    thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("from_std");
            cachelab_server::serve(listener).await;
        });
    });
    addr
}

pub fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("read timeout");
    stream
}

/// Reads exactly `expected.len()` bytes and compares them with `expected`.
pub fn expect_reply(stream: &mut TcpStream, expected: &[u8]) {
    let mut got = vec![0u8; expected.len()];
    if let Err(err) = stream.read_exact(&mut got) {
        panic!(
            "reading {:?}: {err}",
            String::from_utf8_lossy(expected).to_string()
        );
    }
    assert_eq!(
        String::from_utf8_lossy(&got),
        String::from_utf8_lossy(expected)
    );
}

/// Reads one `\r\n`-terminated line and returns it without the CRLF.
// Each test binary compiles this module on its own; not all of them read lines.
#[allow(dead_code)]
pub fn read_line(stream: &mut TcpStream) -> String {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while !line.ends_with(b"\r\n") {
        stream.read_exact(&mut byte).expect("a line");
        line.push(byte[0]);
    }
    line.truncate(line.len() - 2);
    String::from_utf8_lossy(&line).into_owned()
}

/// Asserts the server closes the connection with no further bytes.
// Each test binary compiles this module on its own; not all of them use it.
#[allow(dead_code)]
pub fn expect_closed(stream: &mut TcpStream) {
    let mut rest = Vec::new();
    match stream.read_to_end(&mut rest) {
        Ok(_) => {}
        // A reset also means closed; what matters is that nothing else came.
        Err(err) if err.kind() == ErrorKind::ConnectionReset => {}
        Err(err) => panic!("expected the server to close the connection: {err}"),
    }
    assert_eq!(String::from_utf8_lossy(&rest), "", "bytes after the close");
}

/// Encodes one request (text arguments) as a RESP multibulk.
// Each test binary compiles this module on its own; not all of them use it.
#[allow(dead_code)]
pub fn request(args: &[&str]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for arg in args {
        out.extend_from_slice(format!("${}\r\n{arg}\r\n", arg.len()).as_bytes());
    }
    out
}
