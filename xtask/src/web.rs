//! `cargo xtask build` and `cargo xtask serve`: the browser app through Trunk,
//! always offline (Trunk would otherwise try to download tools from GitHub).
//!
//! The site is built with the cargo profile [`WEB_PROFILE`] (see the root
//! Cargo.toml: size first for the UI and the dependencies, the engine at
//! opt-level 2), not `release`, which stays tuned for the native server. A
//! profile named in www/index.html (`data-cargo-profile-release` or
//! `data-cargo-profile` on the rust link) or in Trunk.toml (`cargo_profile`)
//! takes precedence, and then xtask passes none.

use std::fs;

use crate::util::{cmd, root, run, Result};

/// The cargo profile for the browser build, defined in the root Cargo.toml.
pub const WEB_PROFILE: &str = "web-release";

/// `cargo fetch`, then `trunk build --release --offline` into dist/.
pub fn build() -> Result {
    // Offline Trunk makes cargo offline too: fetch whatever the lockfile needs
    // first.
    run(cmd("cargo").arg("fetch"))?;
    run(cmd("trunk")
        .args(["build", "--release", "--offline"])
        .args(profile_args())
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
        .args(profile_args())
        .env("TRUNK_OFFLINE", "true"))
}

/// `--cargo-profile web-release`, unless index.html or Trunk.toml names one.
fn profile_args() -> Vec<&'static str> {
    if configured_profile().is_some() {
        Vec::new()
    } else {
        vec!["--cargo-profile", WEB_PROFILE]
    }
}

/// The cargo profile the site is built with.
pub fn site_cargo_profile() -> String {
    configured_profile().unwrap_or_else(|| WEB_PROFILE.to_string())
}

/// A profile named in www/index.html or Trunk.toml, if any.
fn configured_profile() -> Option<String> {
    let html = fs::read_to_string(root().join("www/index.html")).unwrap_or_default();
    let trunk_toml = fs::read_to_string(root().join("Trunk.toml")).unwrap_or_default();
    profile_from_html(&html).or_else(|| profile_from_trunk_toml(&trunk_toml))
}

fn profile_from_html(html: &str) -> Option<String> {
    let link = html.split('<').find(|tag| {
        tag.starts_with("link") && tag.contains("data-trunk") && tag.contains("rel=\"rust\"")
    })?;
    ["data-cargo-profile-release=\"", "data-cargo-profile=\""]
        .iter()
        .find_map(|attr| {
            let rest = &link[link.find(attr)? + attr.len()..];
            Some(rest[..rest.find('"')?].to_string())
        })
}

fn profile_from_trunk_toml(toml: &str) -> Option<String> {
    toml.lines().find_map(|line| {
        let value = line.trim().strip_prefix("cargo_profile")?.trim_start();
        let value = value.strip_prefix('=')?.trim();
        let value = value.split('#').next()?.trim().trim_matches('"');
        (!value.is_empty()).then(|| value.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_configured_profile() {
        let plain = r#"<link data-trunk rel="css" href="styles.css" />
<link data-trunk rel="rust" href="../crates/web/Cargo.toml" data-bin="cachelab-web" data-wasm-opt="z" />"#;
        assert_eq!(profile_from_html(plain), None);
        let custom = r#"<link data-trunk rel="rust" href="../crates/web/Cargo.toml" data-cargo-profile-release="web-release" data-wasm-opt="z" />"#;
        assert_eq!(profile_from_html(custom).as_deref(), Some("web-release"));
        assert_eq!(
            profile_from_trunk_toml("[build]\ncargo_profile = \"web-release\"  # why\n").as_deref(),
            Some("web-release")
        );
        assert_eq!(profile_from_trunk_toml("[build]\ndist = \"dist\"\n"), None);
    }
}
