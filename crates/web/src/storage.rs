//! localStorage, the app's only persistence: the keyspace snapshot, the simulated
//! clock, the console history and the theme choice.

use wasm_bindgen::JsCast;

pub const ENGINE_KEY: &str = "cachelab.engine.v1";
/// Where an unreadable snapshot is set aside instead of being thrown away.
pub const ENGINE_UNREADABLE_KEY: &str = "cachelab.engine.v1.unreadable";
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

fn describe(err: &wasm_bindgen::JsValue) -> String {
    if let Some(e) = err.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", e.name(), e.message());
    }
    err.as_string()
        .unwrap_or_else(|| "the browser refused".to_string())
}
