//! A connection that waits: for the end of a CLIENT PAUSE, for the reply
//! of a blocked command, or (a replica) for the replication stream.

use super::*;

impl Connection {
    /// Waits for the end of the CLIENT PAUSE that postponed a command; false
    /// if the client disconnected (or was killed) first. Pushes are written
    /// meanwhile; bytes that arrive are kept for later.
    pub(super) async fn wait_resumed(
        &mut self,
        stream: &mut TcpStream,
        mailbox: &mut UnboundedReceiver<Mail>,
        protocol: u8,
    ) -> io::Result<bool> {
        loop {
            tokio::select! {
                mail = mailbox.recv() => match mail {
                    Some(Mail::Resume) => return Ok(true),
                    Some(Mail::Push(push)) => {
                        push.write_resp_v(&mut self.output, protocol);
                        self.flush(stream).await?;
                    }
                    // Nothing is blocked while postponed.
                    Some(Mail::Unblocked(..)) => {}
                    Some(Mail::Close) | None => return Ok(false),
                },
                read = self.read_more(stream) => {
                    if read? == 0 {
                        return Ok(false);
                    }
                }
            }
        }
    }

    /// Waits for the reply of a blocked command, and whether to close after
    /// it; `None` if the client disconnected first. Bytes that arrive
    /// meanwhile are kept for later; pushes that arrive meanwhile are written
    /// at once.
    pub(super) async fn wait_unblocked(
        &mut self,
        stream: &mut TcpStream,
        mailbox: &mut UnboundedReceiver<Mail>,
        protocol: u8,
    ) -> io::Result<Option<(Reply, bool)>> {
        loop {
            tokio::select! {
                mail = mailbox.recv() => match mail {
                    Some(Mail::Unblocked(reply, close)) => return Ok(Some((reply, close))),
                    Some(Mail::Push(push)) => {
                        push.write_resp_v(&mut self.output, protocol);
                        self.flush(stream).await?;
                    }
                    Some(Mail::Close) | None => return Ok(None),
                    // Only a postponed command waits for a resume.
                    Some(Mail::Resume) => {}
                },
                read = self.read_more(stream) => {
                    if read? == 0 {
                        return Ok(None);
                    }
                }
            }
        }
    }

    /// A replica with nothing to execute: forwards the replication stream and
    /// watches the socket. Returns false when the replica disconnected.
    pub(super) async fn stream_to_replica(&mut self, stream: &mut TcpStream) -> io::Result<bool> {
        let Some(mut rx) = self.replica.take() else {
            return Ok(true);
        };
        let alive = tokio::select! {
            bytes = rx.recv() => match bytes {
                Some(bytes) => {
                    self.output.extend_from_slice(&bytes);
                    // Take whatever else is queued, so a burst goes out in one write.
                    while self.output.len() < FLUSH_AT {
                        let Ok(more) = rx.try_recv() else { break };
                        self.output.extend_from_slice(&more);
                    }
                    true
                }
                None => false,
            },
            read = self.read_more(stream) => read? != 0,
        };
        self.replica = Some(rx);
        if alive {
            self.flush(stream).await?;
        }
        Ok(alive)
    }
}
