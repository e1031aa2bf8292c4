//! localStorage, the app's only persistence: the keyspace (an RDB file, in
//! base64), the file SAVE writes, the simulated clock, the console history and
//! the theme choice.

use cachelab_core::persistence::SnapshotStore;
use wasm_bindgen::JsCast;

/// The live keyspace, saved after every command that reached the engine.
pub const ENGINE_KEY: &str = "cachelab.keyspace.rdb";
/// Where an unreadable keyspace is set aside instead of being thrown away.
pub const ENGINE_UNREADABLE_KEY: &str = "cachelab.keyspace.rdb.unreadable";
/// The JSON keyspace of earlier versions of the page, removed on load.
pub const OLD_ENGINE_KEY: &str = "cachelab.engine.v1";
/// The server's `dump.rdb`: what SAVE, BGSAVE and SHUTDOWN SAVE write, and what
/// a SHUTDOWN's restart loads.
pub const DUMP_KEY: &str = "cachelab.dump.rdb";
pub const CLOCK_KEY: &str = "cachelab.clock.v1";
pub const HISTORY_KEY: &str = "cachelab.history.v1";
pub const THEME_KEY: &str = "cachelab.theme";

/// Why a value couldn't be saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveError {
    /// The browser's quota for this site is used up.
    QuotaExceeded,
    /// Storage is missing or refused the write (private mode, disabled cookies, ...).
    Unavailable(String),
}

fn storage() -> Result<web_sys::Storage, SaveError> {
    let window = web_sys::window().ok_or_else(|| SaveError::Unavailable("no window".into()))?;
    match window.local_storage() {
        Ok(Some(storage)) => Ok(storage),
        Ok(None) => Err(SaveError::Unavailable(
            "this browser has no localStorage".into(),
        )),
        Err(err) => Err(SaveError::Unavailable(describe(&err))),
    }
}

pub fn load(key: &str) -> Option<String> {
    storage().ok()?.get_item(key).ok().flatten()
}

pub fn save(key: &str, value: &str) -> Result<(), SaveError> {
    storage()?.set_item(key, value).map_err(|err| {
        let quota = err
            .dyn_ref::<web_sys::DomException>()
            .is_some_and(|e| e.name() == "QuotaExceededError" || e.code() == 22);
        if quota {
            SaveError::QuotaExceeded
        } else {
            SaveError::Unavailable(describe(&err))
        }
    })
}

pub fn remove(key: &str) {
    if let Ok(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}

/// The engine's [`SnapshotStore`] in the browser: [`DUMP_KEY`], in base64.
pub struct DumpStore;

impl SnapshotStore for DumpStore {
    fn store(&mut self, rdb: &[u8]) -> Result<(), String> {
        save(DUMP_KEY, &crate::base64::encode(rdb)).map_err(|err| match err {
            SaveError::QuotaExceeded => "the browser's storage is full".to_string(),
            SaveError::Unavailable(why) => why,
        })
    }

    fn load(&mut self) -> Option<Vec<u8>> {
        crate::base64::decode(&load(DUMP_KEY)?)
    }
}

fn describe(err: &wasm_bindgen::JsValue) -> String {
    if let Some(e) = err.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", e.name(), e.message());
    }
    err.as_string()
        .unwrap_or_else(|| "the browser refused".to_string())
}
