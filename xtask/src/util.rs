//! Shared plumbing for the subcommands: workspace paths, running child
//! processes with echoed command lines, probing tool versions, free ports and
//! children that die with us.

use std::ffi::OsStr;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use std::{env, fmt, thread};

/// What every subcommand returns; the message is printed as `xtask: error: ...`.
pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root: the parent of this crate's manifest directory.
pub fn root() -> PathBuf {
    let manifest_dir = env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or(manifest_dir)
}

pub fn home() -> PathBuf {
    env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/root"))
}

/// Cargo's target directory for the workspace (honours `CARGO_TARGET_DIR`).
pub fn target_dir() -> PathBuf {
    match env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if Path::new(&dir).is_absolute() => PathBuf::from(dir),
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}

/// Where `npm install --prefix` puts binaryen.
pub fn wasm_tools_bin() -> PathBuf {
    home().join(".local/wasm-tools/node_modules/.bin")
}

/// Puts `~/.local/wasm-tools/node_modules/.bin` and `~/.cargo/bin` first on
/// PATH, for this process and so for every child (trunk finds wasm-opt and
/// wasm-bindgen there; `cargo +nightly` needs the rustup proxy).
pub fn prepend_tool_dirs_to_path() {
    let first = [wasm_tools_bin(), home().join(".cargo/bin")];
    let old = env::var_os("PATH").unwrap_or_default();
    let rest = env::split_paths(&old).filter(|p| !first.contains(p));
    if let Ok(path) = env::join_paths(first.iter().cloned().chain(rest)) {
        // xtask is single-threaded at this point; children inherit the value.
        env::set_var("PATH", path);
    }
}

/// A command that runs in the workspace root.
pub fn cmd(program: impl AsRef<OsStr>) -> Command {
    let mut command = Command::new(program);
    command.current_dir(root());
    command
}

/// The command line as a shell user would type it (for progress lines).
pub struct CommandLine<'a>(pub &'a Command);

impl fmt::Display for CommandLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.get_program().to_string_lossy())?;
        for arg in self.0.get_args() {
            let arg = arg.to_string_lossy();
            if arg.is_empty() || arg.contains(char::is_whitespace) {
                write!(f, " '{arg}'")?;
            } else {
                write!(f, " {arg}")?;
            }
        }
        Ok(())
    }
}

/// Runs `command` with inherited stdio (output streams live) and fails unless
/// it exits successfully.
pub fn run(command: &mut Command) -> Result {
    println!("xtask: $ {}", CommandLine(command));
    let status = command
        .status()
        .map_err(|err| format!("cannot run `{}`: {err}", CommandLine(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", CommandLine(command)))
    }
}

/// Stdout and stderr of `command`, or `None` if it can't be started. The exit
/// status is ignored: this is for probing versions.
pub fn probe(command: &mut Command) -> Option<String> {
    let output = command.stdin(Stdio::null()).output().ok()?;
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    Some(text)
}

/// `true` if `program --version` runs at all.
pub fn on_path(program: &str) -> bool {
    probe(Command::new(program).arg("--version")).is_some()
}

/// A TCP port that was free a moment ago on 127.0.0.1.
pub fn free_port() -> Result<u16> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|err| format!("no free port: {err}"))?;
    listener
        .local_addr()
        .map(|addr| addr.port())
        .map_err(|err| format!("no free port: {err}"))
}

/// A child process that is killed and reaped when this value is dropped,
/// including when xtask bails out with an error.
pub struct ChildGuard {
    pub name: String,
    pub child: Child,
}

impl ChildGuard {
    pub fn spawn(name: &str, command: &mut Command) -> Result<ChildGuard> {
        println!("xtask: starting {name}: {}", CommandLine(command));
        let child = command
            .spawn()
            .map_err(|err| format!("cannot start {name}: {err}"))?;
        Ok(ChildGuard {
            name: name.to_string(),
            child,
        })
    }

    /// Waits until the child accepts TCP connections on 127.0.0.1:`port`.
    pub fn wait_for_port(&mut self, port: u16, timeout: Duration) -> Result {
        let deadline = Instant::now() + timeout;
        let addr = ([127, 0, 0, 1], port).into();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("{} exited early ({status})", self.name));
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "{} did not accept connections on port {port} within {timeout:?}",
                    self.name
                ));
            }
            thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `12.3s` or `4m05s`.
pub fn human_duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs < 60.0 {
        format!("{secs:.1}s")
    } else {
        let whole = d.as_secs();
        format!("{}m{:02}s", whole / 60, whole % 60)
    }
}
