//! A replica's view of a server: attach with SYNC, skip the snapshot, then read
//! the replication stream as argument vectors.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// How long a command that has started arriving may take to arrive whole.
const COMMAND_DEADLINE: Duration = Duration::from_secs(5);
/// Stream commands larger than this are refused.
const MAX_BULK: usize = 64 << 20;

/// A connection that sent SYNC and now receives the replication stream.
pub struct ReplicaStream {
    reader: BufReader<TcpStream>,
}

fn bad(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.into())
}

fn timed_out(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

impl ReplicaStream {
    /// Connects, sends SYNC and reads the snapshot (`$<len>\r\n<rdb>`, after any
    /// newline keepalives). Returns the stream and the RDB bytes.
    pub fn attach(addr: SocketAddr) -> io::Result<(ReplicaStream, Vec<u8>)> {
        let mut stream = TcpStream::connect_timeout(&addr, COMMAND_DEADLINE)?;
        stream.set_nodelay(true)?;
        // A real Redis may take a while to produce the snapshot.
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        stream.write_all(b"SYNC\r\n")?;
        let mut reader = BufReader::new(stream);
        let header = loop {
            let mut line = Vec::new();
            if reader.read_until(b'\n', &mut line)? == 0 {
                return Err(bad("closed before the snapshot"));
            }
            let line = String::from_utf8_lossy(&line).trim().to_string();
            if !line.is_empty() {
                break line;
            }
        };
        let len: usize = header
            .strip_prefix('$')
            .and_then(|n| n.parse().ok())
            .filter(|n| *n <= MAX_BULK)
            .ok_or_else(|| bad(format!("not a snapshot header: {header:?}")))?;
        let mut rdb = vec![0; len];
        reader.read_exact(&mut rdb)?;
        Ok((ReplicaStream { reader }, rdb))
    }

    /// Reads commands until none arrives for `quiet`.
    pub fn read_until_quiet(&mut self, quiet: Duration) -> io::Result<Vec<Vec<Vec<u8>>>> {
        let mut out = Vec::new();
        loop {
            self.reader.get_ref().set_read_timeout(Some(quiet))?;
            let mut head = Vec::new();
            match self.reader.read_until(b'\n', &mut head) {
                Ok(0) => return Err(bad("the stream closed")),
                Ok(_) => {}
                Err(e) if timed_out(&e) && head.is_empty() => return Ok(out),
                Err(e) if timed_out(&e) => {
                    // Half a line: the rest is on its way.
                    self.reader
                        .get_ref()
                        .set_read_timeout(Some(COMMAND_DEADLINE))?;
                    self.reader.read_until(b'\n', &mut head)?;
                }
                Err(e) => return Err(e),
            }
            self.reader
                .get_ref()
                .set_read_timeout(Some(COMMAND_DEADLINE))?;
            out.push(self.read_command(&head)?);
        }
    }

    /// The rest of a multibulk command whose `*N` line is `head`.
    fn read_command(&mut self, head: &[u8]) -> io::Result<Vec<Vec<u8>>> {
        let text = String::from_utf8_lossy(head);
        let n: usize = text
            .trim_end()
            .strip_prefix('*')
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| bad(format!("not a multibulk header: {text:?}")))?;
        let mut argv = Vec::with_capacity(n.min(1024));
        for _ in 0..n {
            let mut line = Vec::new();
            self.reader.read_until(b'\n', &mut line)?;
            let text = String::from_utf8_lossy(&line);
            let len: usize = text
                .trim_end()
                .strip_prefix('$')
                .and_then(|n| n.parse().ok())
                .filter(|n| *n <= MAX_BULK)
                .ok_or_else(|| bad(format!("not a bulk header: {text:?}")))?;
            let mut arg = vec![0; len + 2];
            self.reader.read_exact(&mut arg)?;
            arg.truncate(len);
            argv.push(arg);
        }
        Ok(argv)
    }
}

/// One stream command as text, with what differs between two servers run a few
/// milliseconds apart masked: every run of 13 or more digits (a unix time in ms,
/// alone or in a stream ID) becomes `<ms>`.
pub fn masked(argv: &[Vec<u8>]) -> String {
    let words: Vec<String> = argv
        .iter()
        .map(|a| {
            let text = crate::resp::escape(a);
            let mut out = String::new();
            let mut digits = String::new();
            for ch in text.chars() {
                if ch.is_ascii_digit() {
                    digits.push(ch);
                    continue;
                }
                out.push_str(if digits.len() >= 13 { "<ms>" } else { &digits });
                digits.clear();
                out.push(ch);
            }
            out.push_str(if digits.len() >= 13 { "<ms>" } else { &digits });
            out
        })
        .collect();
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_unix_times_only() {
        let argv: Vec<Vec<u8>> = [
            "SET",
            "k",
            "v",
            "PXAT",
            "1700000000123",
            "1700000000123-7",
            "12",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
        assert_eq!(masked(&argv), "SET k v PXAT <ms> <ms>-7 12");
    }
}
