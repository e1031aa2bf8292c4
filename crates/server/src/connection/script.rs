//! Scripts and a busy script: EVAL and FCALL run on tokio's blocking pool
//! (`run_script`), and while one is busy the connection answers as Redis
//! does then (`answer_busy`), also before it has a client (`serve_busy`).

use cachelab_core::{while_busy, WhileBusy};

use super::*;
use crate::busy::ScriptWatch;

impl Connection {
    /// Answers `self.batch[*next]` while a script is busy (see
    /// [`while_busy`]): a reply, and on to the next request; or, for a
    /// command that runs once the script is over, waits for that. True
    /// after QUIT: the connection closes.
    pub(super) async fn answer_busy(
        &mut self,
        script: &ScriptWatch,
        client: Option<&mut Client>,
        next: &mut usize,
    ) -> bool {
        let Some(running) = script.busy() else {
            return false; // it just ended: try the engine again
        };
        let argv = &self.batch[*next];
        if argv.is_empty() {
            *next += 1; // a blank inline line: Redis ignores it
            return false;
        }
        let protocol = client.as_deref().map_or(2, Client::protocol);
        match while_busy(argv, running, client) {
            WhileBusy::Reply(reply) => {
                reply.write_resp_v(&mut self.output, protocol);
                *next += 1;
            }
            WhileBusy::Kill => {
                script.kill();
                Reply::ok().write_resp_v(&mut self.output, protocol);
                *next += 1;
            }
            WhileBusy::Shutdown => {
                script.kill();
                script.finished().await;
            }
            WhileBusy::FunctionStats => {
                script
                    .function_stats()
                    .write_resp_v(&mut self.output, protocol);
                *next += 1;
            }
            WhileBusy::Quit => {
                Reply::ok().write_resp_v(&mut self.output, protocol);
                *next += 1;
                return true;
            }
            WhileBusy::Wait => script.finished().await,
        }
        false
    }

    /// Before the connection has a client, while a script is busy: answers
    /// what arrives (in RESP2) until the script ends, and leaves requests
    /// that wait for its end in the batch. False when the peer closed or
    /// sent a malformed request.
    pub(super) async fn serve_busy(
        &mut self,
        stream: &mut TcpStream,
        script: &ScriptWatch,
    ) -> io::Result<bool> {
        loop {
            let changed = script.changed();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if script.busy().is_none() {
                return Ok(true);
            }
            if let Some(err) = self.parse_batch() {
                self.output.push(b'-');
                self.output.extend_from_slice(err.0.as_bytes());
                self.output.extend_from_slice(b"\r\n");
                self.flush(stream).await?;
                return Ok(false);
            }
            let mut next = 0;
            while next < self.batch.len() && script.busy().is_some() {
                let before = next;
                if self.answer_busy(script, None, &mut next).await {
                    self.flush(stream).await?;
                    return Ok(false); // QUIT
                }
                if next == before {
                    break; // it waited for the script's end
                }
            }
            self.batch.drain(..next);
            self.flush(stream).await?;
            if !self.batch.is_empty() || script.busy().is_none() {
                return Ok(true);
            }
            tokio::select! {
                read = self.read_more(stream) => {
                    if read? == 0 {
                        return Ok(false);
                    }
                }
                () = &mut changed => {}
            }
        }
    }
}

/// Runs a script command on tokio's blocking pool, so that the runtime goes
/// on answering the other clients (BUSY once the script runs long, see
/// `busy`). The client is lent to it and comes back with the result.
pub(super) async fn run_script(
    hub: &Arc<Hub>,
    client: &mut Client,
    argv: Vec<Vec<u8>>,
) -> io::Result<Exec> {
    /// Marks the script over even if its thread unwinds.
    struct Finish(Arc<Hub>);
    impl Drop for Finish {
        fn drop(&mut self) {
            self.0.script.finish();
        }
    }
    let hub = Arc::clone(hub);
    let mut lent = client.clone();
    let job = tokio::task::spawn_blocking(move || {
        hub.script.start();
        let finish = Finish(hub);
        let hub = &finish.0;
        let mut engine = lock(&hub.engine);
        if argv
            .first()
            .is_some_and(|n| n.len() >= 5 && n[..5].eq_ignore_ascii_case(b"fcall"))
        {
            hub.script
                .describe_function(argv.clone(), engine.function_counts());
        }
        engine.begin_batch();
        let exec = engine.execute_blocking(&mut lent, argv, now_us());
        let sleep = engine.take_sleep();
        if sleep > 0 {
            // DEBUG SLEEP inside a script stops the whole server, as in Redis.
            std::thread::sleep(Duration::from_micros(sleep));
        }
        engine.end_batch();
        hub.feed_replicas(&mut engine);
        hub.deliver(&mut engine);
        hub.watch_master(&engine);
        hub.watch_shutdown(&engine);
        drop(engine);
        drop(finish);
        (lent, exec)
    });
    let (lent, exec) = job.await.map_err(io::Error::other)?;
    *client = lent;
    Ok(exec)
}
