//! Shared helpers for the differential and end-to-end tests.
//!
//! - [`resp`]: a tiny blocking RESP2 client that keeps each reply's exact bytes;
//! - [`servers`]: starting redis-server and cachelab-server and waiting until they
//!   accept connections;
//! - [`script`]: the `.redis` script format (redis-cli lines plus `!` directives);
//! - [`diff`]: running a script on both servers and collecting every mismatch.
//! - [`replica`]: attaching to a server with SYNC and reading its replication stream.
//!
//! `tests/differential.rs` ties these together over `tests/scripts/*.redis`, and
//! `tests/replication.rs` over `tests/replication/*.redis` with a replica attached.
//!
//! - [`e2e`]: a static server, chromedriver + headless Chromium, and console helpers for
//!   the browser end-to-end tests of the built site (`tests/e2e.rs`).

#[cfg(not(target_arch = "wasm32"))]
pub mod diff;
#[cfg(not(target_arch = "wasm32"))]
pub mod e2e;
#[cfg(not(target_arch = "wasm32"))]
pub mod replica;
#[cfg(not(target_arch = "wasm32"))]
pub mod resp;
#[cfg(not(target_arch = "wasm32"))]
pub mod script;
#[cfg(not(target_arch = "wasm32"))]
pub mod servers;
