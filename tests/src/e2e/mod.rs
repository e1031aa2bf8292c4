//! Browser end-to-end harness for the built site (`dist/`).
//!
//! - [`Site`]: a static file server for `dist/` on `127.0.0.1:0`;
//! - [`Browser`]: chromedriver on a free port plus headless Chromium on a fresh profile,
//!   torn down on drop (also when a test panics);
//! - [`console`]: `wait_for` polling (never fixed sleeps), `console_run` and helpers for
//!   the app's `data-testid` hooks;
//! - [`readiness`]: navigation start → `body[data-ready="1"]`, for tests and the bench;
//! - [`visualizer`]: the strategy visualizer's hooks, and its 100,000-request timing
//!   for the bench;
//! - [`Fixture`]: all of the above for one test case, serialised so browsers never
//!   compete for the CPU.
//!
//! A later E2E test looks like:
//! ```no_run
//! use cachelab_tests::e2e::{console_run, Fixture};
//!
//! #[tokio::test]
//! async fn lesson_run_button() {
//!     let case = "lesson: ▶ run types the command";
//!     let Some(fx) = Fixture::start(case).await else { return };
//!     let result = async {
//!         let reply = console_run(fx.client(), "PING").await?;
//!         cachelab_tests::e2e::expect_eq("PING", &reply, "PONG")
//!     }
//!     .await;
//!     fx.finish(result).await;
//! }
//! ```
//!
//! Environment: `CACHELAB_DIST` (default `<workspace>/dist`), `CHROMEDRIVER` (default
//! `/usr/bin/chromedriver`), `CACHELAB_CHROMIUM` (default `/usr/bin/chromium`). When one
//! is missing the tests print a notice and pass, unless `CACHELAB_REQUIRE_ALL=1`.

pub mod browser;
pub mod console;
pub mod http;
pub mod readiness;
pub mod server;
pub mod visualizer;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use browser::Browser;
pub use console::{
    add_console_client, click_testid, console_clear_input, console_prompt, console_replies,
    console_run, console_tabs, console_type, input_value, js, keys, last_reply, open, page_log,
    select_console_tab, testid, texts, wait_for, wait_for_input, wait_for_last_reply,
    wait_for_prompt, wait_for_selector, wait_for_tabs, wait_for_within, wait_ready, ConsoleTab,
    PageLog,
};
pub use readiness::{bench_readiness, measure_readiness, read_readiness, Readiness, ReadySource};
pub use server::Site;

use fantoccini::Client;

/// For the benches: `n` times, a fresh headless Chromium (empty profile and cache)
/// runs `page` with the URL of the built site, served by [`Site`]. Blocking; it
/// runs its own tokio runtime.
pub fn in_fresh_browsers<T>(
    setup: &Setup,
    n: usize,
    page: impl AsyncFn(&Client, &str) -> Result<T>,
) -> Result<Vec<T>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let site = Site::start(&setup.dist)?;
        let mut results = Vec::with_capacity(n);
        for _ in 0..n {
            let browser = Browser::launch(setup).await?;
            let result = page(browser.client(), &site.url()).await;
            browser.close().await?;
            results.push(result?);
        }
        Ok(results)
    })
}

/// How long any one condition is waited for.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// A harness failure, as a readable message.
#[derive(Debug)]
pub struct Error(String);

impl Error {
    pub fn msg(message: impl Into<String>) -> Error {
        Error(message.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error(format!("I/O error: {e}"))
    }
}

impl From<fantoccini::error::CmdError> for Error {
    fn from(e: fantoccini::error::CmdError) -> Error {
        Error(format!("WebDriver command failed: {e}"))
    }
}

impl From<fantoccini::error::NewSessionError> for Error {
    fn from(e: fantoccini::error::NewSessionError) -> Error {
        Error(format!("couldn't start a WebDriver session: {e}"))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `Ok` when `actual == expected`, else an error naming `what` with both values.
pub fn expect_eq(what: &str, actual: &str, expected: &str) -> Result<()> {
    if actual == expected {
        Ok(())
    } else {
        Err(Error(format!(
            "{what}: expected {expected:?}, got {actual:?}"
        )))
    }
}

/// `Ok` when `cond` holds, else an error with `message`.
pub fn ensure(cond: bool, message: impl Into<String>) -> Result<()> {
    if cond {
        Ok(())
    } else {
        Err(Error(message.into()))
    }
}

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Whether `CACHELAB_REQUIRE_ALL=1`: missing prerequisites fail instead of skipping.
pub fn require_all() -> bool {
    std::env::var("CACHELAB_REQUIRE_ALL").is_ok_and(|v| v == "1")
}

/// What the E2E tests need: the built site and a matching Chromium and chromedriver.
#[derive(Clone, Debug)]
pub struct Setup {
    pub dist: PathBuf,
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

fn env_path(var: &str, default: impl FnOnce() -> PathBuf) -> PathBuf {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map_or_else(default, PathBuf::from)
}

impl Setup {
    /// Reads the locations from the environment (with defaults) and checks they exist;
    /// the error lists everything missing.
    pub fn from_env() -> Result<Setup, String> {
        let setup = Setup {
            dist: env_path("CACHELAB_DIST", || workspace_root().join("dist")),
            chromium: env_path("CACHELAB_CHROMIUM", || PathBuf::from("/usr/bin/chromium")),
            chromedriver: env_path("CHROMEDRIVER", || PathBuf::from("/usr/bin/chromedriver")),
        };
        let mut missing = Vec::new();
        if !setup.dist.join("index.html").is_file() {
            missing.push(format!(
                "the built site ({} has no index.html; build it with `cargo xtask build` or \
                 `trunk build --release`, or set CACHELAB_DIST)",
                setup.dist.display()
            ));
        }
        if !setup.chromium.is_file() {
            missing.push(format!(
                "Chromium ({}; set CACHELAB_CHROMIUM)",
                setup.chromium.display()
            ));
        }
        if !setup.chromedriver.is_file() {
            missing.push(format!(
                "chromedriver ({}; set CHROMEDRIVER)",
                setup.chromedriver.display()
            ));
        }
        if missing.is_empty() {
            Ok(setup)
        } else {
            Err(format!("missing {}", missing.join(", ")))
        }
    }

    /// [`Setup::from_env`] for a test: `None` (after a notice on stderr) when something is
    /// missing, so a plain `cargo test` passes without a built site; panics instead under
    /// `CACHELAB_REQUIRE_ALL=1`.
    pub fn or_skip(case: &str) -> Option<Setup> {
        match Setup::from_env() {
            Ok(setup) => Some(setup),
            Err(why) if require_all() => panic!("E2E {case}: {why} (CACHELAB_REQUIRE_ALL=1)"),
            Err(why) => {
                // Once per process, and straight to stderr: libtest captures `eprintln!`
                // of passing tests, and a skip should be seen.
                static NOTICE: std::sync::Once = std::sync::Once::new();
                NOTICE.call_once(|| {
                    use std::io::Write;
                    let _ = writeln!(
                        std::io::stderr(),
                        "note: skipping the browser E2E tests ({case} and the others): {why}. \
                         Set CACHELAB_REQUIRE_ALL=1 to make this an error."
                    );
                });
                None
            }
        }
    }
}

/// One browser at a time per test process: two Chromiums on two cores make timings
/// noisy and deadlines flaky. (`tokio::sync::Mutex` works across the per-test runtimes
/// and isn't poisoned by a failing test.)
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Everything one E2E case needs: the served site and a fresh browser already showing
/// it, ready.
pub struct Fixture {
    pub case: String,
    pub site: Site,
    pub browser: Browser,
    _serial: tokio::sync::MutexGuard<'static, ()>,
}

impl Fixture {
    /// `None` when prerequisites are missing (see [`Setup::or_skip`]); panics, naming the
    /// case, when they are there but the site can't be served or doesn't become ready.
    pub async fn start(case: &str) -> Option<Fixture> {
        let setup = Setup::or_skip(case)?;
        let serial = SERIAL.lock().await;
        let site = Site::start(&setup.dist)
            .unwrap_or_else(|e| panic!("E2E {case}: couldn't serve {}: {e}", setup.dist.display()));
        let browser = Browser::launch(&setup)
            .await
            .unwrap_or_else(|e| panic!("E2E {case}: {e}"));
        let fixture = Fixture {
            case: case.to_string(),
            site,
            browser,
            _serial: serial,
        };
        if let Err(e) = open(fixture.client(), &fixture.url()).await {
            fixture
                .finish(Err(Error(format!("the site didn't become ready: {e}"))))
                .await;
            unreachable!("finish panics on an error");
        }
        Some(fixture)
    }

    pub fn client(&self) -> &Client {
        self.browser.client()
    }

    /// The site's root URL.
    pub fn url(&self) -> String {
        self.site.url()
    }

    /// Ends the case: on `Err`, or if the page threw an uncaught error or called
    /// `alert()`, panics with the case name, the failure, the console's replies, the
    /// page log and a screenshot path; otherwise closes the browser.
    pub async fn finish(self, result: Result<()>) {
        let client = self.client().clone();
        let log = page_log(&client).await;
        let mut problems = Vec::new();
        if let Err(e) = &result {
            problems.push(e.to_string());
        }
        if let Ok(log) = &log {
            if !log.errors.is_empty() {
                problems.push(format!("the page threw uncaught errors: {:?}", log.errors));
            }
            if !log.alerts.is_empty() {
                problems.push(format!("the page called alert(): {:?}", log.alerts));
            }
        }
        if problems.is_empty() {
            if let Err(e) = self.browser.close().await {
                eprintln!("note: E2E {}: closing the browser: {e}", self.case);
            }
            return;
        }
        let mut report = format!("E2E {} failed:\n  - {}", self.case, problems.join("\n  - "));
        match console_replies(&client).await {
            Ok(replies) => report.push_str(&format!("\nconsole replies so far: {replies:?}")),
            Err(e) => report.push_str(&format!("\n(couldn't read the console: {e})")),
        }
        match &log {
            Ok(log) if !log.console_errors.is_empty() => {
                report.push_str(&format!("\nconsole.error calls: {:?}", log.console_errors));
            }
            Ok(_) => {}
            Err(e) => report.push_str(&format!("\n(couldn't read the page log: {e})")),
        }
        if let Ok(png) = client.screenshot().await {
            let dir = std::env::temp_dir().join("cachelab-e2e-failures");
            let slug: String = self
                .case
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            let path = dir.join(format!("{slug}.png"));
            if std::fs::create_dir_all(&dir)
                .and_then(|()| std::fs::write(&path, png))
                .is_ok()
            {
                report.push_str(&format!("\nscreenshot: {}", path.display()));
            }
        }
        drop(client);
        // Dropping the browser ends the session and kills chromedriver before the panic.
        drop(self);
        panic!("{report}");
    }
}
