//! chromedriver + headless Chromium, one fresh profile per [`Browser`].

use std::fs::File;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use fantoccini::{Client, ClientBuilder};
use serde_json::json;

use super::{http, Error, Result, Setup, TIMEOUT};

/// Runs at the start of every document the browser loads (via CDP
/// `Page.addScriptToEvaluateOnNewDocument`), before the page's own scripts:
/// - `window.__e2e_ready_ms`: `performance.now()` when `body[data-ready="1"]` appeared;
/// - `window.__e2e_errors`: uncaught errors and unhandled rejections;
/// - `window.__e2e_console_errors`: `console.error` calls (a wasm panic hook logs there);
/// - `window.__e2e_alerts`: `alert()` calls, recorded instead of blocking the session.
pub const PROBE_SCRIPT: &str = r#"(() => {
  window.__e2e_errors = [];
  window.__e2e_console_errors = [];
  window.__e2e_alerts = [];
  addEventListener('error', (e) => { window.__e2e_errors.push(String(e.message || e)); });
  addEventListener('unhandledrejection', (e) => { window.__e2e_errors.push('unhandled rejection: ' + String(e.reason)); });
  const consoleError = console.error.bind(console);
  console.error = (...args) => { window.__e2e_console_errors.push(args.map(String).join(' ')); consoleError(...args); };
  window.alert = (message) => { window.__e2e_alerts.push(String(message)); };
  const mark = () => {
    if (window.__e2e_ready_ms === undefined && document.body && document.body.dataset.ready === '1') {
      window.__e2e_ready_ms = performance.now();
    }
    return window.__e2e_ready_ms !== undefined;
  };
  if (!mark()) {
    const observer = new MutationObserver(() => { if (mark()) observer.disconnect(); });
    observer.observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
  }
})();"#;

/// A scratch directory removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> std::io::Result<TempDir> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path = std::env::temp_dir().join(format!(
            "cachelab-e2e-{tag}-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path)?;
        Ok(TempDir(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A chromedriver process, killed (and reaped) on drop.
struct Driver {
    child: Child,
    addr: SocketAddr,
    log: PathBuf,
}

impl Driver {
    fn start(chromedriver: &Path, log: PathBuf) -> Result<Driver> {
        // The port is chosen by binding :0 and released just before chromedriver takes
        // it; should another process grab it in between, chromedriver exits and we retry.
        let mut last_error = None;
        for _ in 0..3 {
            let port = TcpListener::bind(("127.0.0.1", 0))?.local_addr()?.port();
            let out = File::create(&log)?;
            let child = Command::new(chromedriver)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(out.try_clone()?)
                .stderr(out)
                .spawn()
                .map_err(|e| {
                    Error::msg(format!("couldn't start {}: {e}", chromedriver.display()))
                })?;
            let mut driver = Driver {
                child,
                addr: SocketAddr::from(([127, 0, 0, 1], port)),
                log: log.clone(),
            };
            match driver.wait_until_ready() {
                Ok(()) => return Ok(driver),
                Err(e) => last_error = Some(e),
            }
        }
        Err(last_error.unwrap_or_else(|| Error::msg("chromedriver didn't start")))
    }

    /// Polls `GET /status` until chromedriver reports ready.
    fn wait_until_ready(&mut self) -> Result<()> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Err(Error::msg(format!(
                    "chromedriver exited early ({status}); its log:\n{}",
                    std::fs::read_to_string(&self.log).unwrap_or_default()
                )));
            }
            if let Ok(resp) =
                http::request(self.addr, "GET", "/status", None, Duration::from_secs(2))
            {
                let ready = serde_json::from_slice::<serde_json::Value>(&resp.body)
                    .ok()
                    .and_then(|v| v["value"]["ready"].as_bool());
                if resp.status == 200 && ready != Some(false) {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                return Err(Error::msg(format!(
                    "chromedriver on {} didn't become ready within {TIMEOUT:?}",
                    self.addr
                )));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A headless Chromium session driven through its own chromedriver.
///
/// Every `Browser` has a fresh `--user-data-dir`, so localStorage never leaks between
/// browsers. Dropping it (also while unwinding from a panic) ends the session, kills
/// chromedriver and any Chromium process left on that profile, and deletes the profile.
/// Prefer [`Browser::close`] when the test succeeds.
pub struct Browser {
    client: Option<Client>,
    session_id: Option<String>,
    // Field order is drop order: the driver dies before its scratch directory goes.
    driver: Driver,
    profile: PathBuf,
    _scratch: TempDir,
}

impl Browser {
    /// Starts chromedriver on a free port and opens a session with headless Chromium on
    /// a fresh profile, with [`PROBE_SCRIPT`] installed for every document.
    pub async fn launch(setup: &Setup) -> Result<Browser> {
        let scratch = TempDir::new("browser")?;
        let profile = scratch.0.join("profile");
        std::fs::create_dir_all(&profile)?;
        let driver = Driver::start(&setup.chromedriver, scratch.0.join("chromedriver.log"))?;

        let args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            format!("--user-data-dir={}", profile.display()),
            "--window-size=1280,900".into(),
        ];
        let capabilities = json!({
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "goog:chromeOptions": {
                "binary": setup.chromium.display().to_string(),
                "args": args,
            },
        });
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!()
        };
        let mut browser = Browser {
            client: None,
            session_id: None,
            driver,
            profile,
            _scratch: scratch,
        };
        let client = ClientBuilder::rustls()?
            .capabilities(capabilities)
            .connect(&browser.driver.url())
            .await
            .map_err(|e| {
                Error::msg(format!(
                    "couldn't open a Chromium session ({}): {e}; chromedriver's log:\n{}",
                    browser.driver.url(),
                    std::fs::read_to_string(&browser.driver.log).unwrap_or_default()
                ))
            })?;
        browser.session_id = client.session_id().await?;
        browser.client = Some(client);
        browser.cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": PROBE_SCRIPT }),
        )?;
        Ok(browser)
    }

    /// The WebDriver client (cheap to clone).
    pub fn client(&self) -> &Client {
        self.client.as_ref().expect("the browser is open")
    }

    /// The profile directory Chromium runs on.
    pub fn profile_dir(&self) -> &Path {
        &self.profile
    }

    /// Sends a Chrome DevTools Protocol command through chromedriver
    /// (`POST /session/{id}/goog/cdp/execute`) and returns its result.
    pub fn cdp(&self, cmd: &str, params: serde_json::Value) -> Result<serde_json::Value> {
        let id = self
            .session_id
            .as_deref()
            .ok_or_else(|| Error::msg("no WebDriver session"))?;
        let body = json!({ "cmd": cmd, "params": params }).to_string();
        let resp = http::request(
            self.driver.addr,
            "POST",
            &format!("/session/{id}/goog/cdp/execute"),
            Some(&body),
            TIMEOUT,
        )?;
        let value: serde_json::Value = serde_json::from_slice(&resp.body).map_err(|e| {
            Error::msg(format!(
                "CDP {cmd}: unreadable reply ({e}): {}",
                resp.text()
            ))
        })?;
        if resp.status != 200 {
            return Err(Error::msg(format!(
                "CDP {cmd} failed ({}): {}",
                resp.status, value["value"]
            )));
        }
        Ok(value["value"].clone())
    }

    /// Ends the session cleanly (Chromium quits), then drops the rest.
    pub async fn close(mut self) -> Result<()> {
        if let Some(client) = self.client.take() {
            client.close().await?;
            self.session_id = None;
        }
        Ok(())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Not closed (a failed test unwinding): end the session synchronously, since a
        // Drop can't await and the runtime may be going away.
        if let Some(id) = self.session_id.take() {
            let _ = http::request(
                self.driver.addr,
                "DELETE",
                &format!("/session/{id}"),
                None,
                TIMEOUT,
            );
        }
        drop(self.client.take());
        // Kill chromedriver now (not after this body) so the sweep below sees the result.
        let _ = self.driver.child.kill();
        let _ = self.driver.child.wait();
        kill_processes_using(&self.profile);
    }
}

/// Kills, by pid, any process whose command line names `profile` — only Chromium
/// processes this harness started on its own unique profile directory can match.
fn kill_processes_using(profile: &Path) {
    let needle = format!("--user-data-dir={}", profile.display());
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == std::process::id() {
            continue;
        }
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let matches = cmdline
            .split(|b| *b == 0)
            .any(|arg| arg == needle.as_bytes());
        if matches {
            let _ = Command::new("kill")
                .arg("-KILL")
                .arg(pid.to_string())
                .stderr(Stdio::null())
                .status();
        }
    }
}
