//! `cargo xtask build` and `cargo xtask serve`: the browser app through Trunk,
//! always offline (Trunk would otherwise try to download tools from GitHub).

use crate::util::{cmd, run, Result};

/// `cargo fetch`, then `trunk build --release --offline` into dist/.
pub fn build() -> Result {
    // Offline Trunk makes cargo offline too: fetch whatever the lockfile needs
    // first.
    run(cmd("cargo").arg("fetch"))?;
    run(cmd("trunk")
        .args(["build", "--release", "--offline"])
        .env("TRUNK_OFFLINE", "true"))
}

/// `trunk serve` on 127.0.0.1:`port`, rebuilding on change, until Ctrl-C.
pub fn serve(port: u16) -> Result {
    run(cmd("cargo").arg("fetch"))?;
    println!("xtask: serving the app on http://127.0.0.1:{port}/ (Ctrl-C stops)");
    run(cmd("trunk")
        .args([
            "serve",
            "--release",
            "--offline",
            "--address",
            "127.0.0.1",
            "--port",
        ])
        .arg(port.to_string())
        .env("TRUNK_OFFLINE", "true"))
}
