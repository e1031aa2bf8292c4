//! The keys of the console's current database, with a type badge and a live TTL.

use yew::prelude::*;

use crate::context::{use_sandbox, use_tick};
use crate::keys::format_ttl;

#[derive(Properties, PartialEq)]
pub struct KeyPanelProps {}

/// Below this a TTL is drawn as about to expire.
const SOON_MS: u64 = 5_000;

#[component]
pub fn KeyPanel(_props: &KeyPanelProps) -> Html {
    let sandbox = use_sandbox();
    let _ = use_tick();
    let db = sandbox.db();
    let list = sandbox.keys();
    let total = list.total();
    html! {
        <section class="key-panel" data-testid="key-panel" aria-labelledby="keys-title">
            <div class="panel-head">
                <h2 id="keys-title" class="panel-title">{ "Keys" }</h2>
                <span class="panel-meta">
                    { format!("db {db} · {total} {}", if total == 1 { "key" } else { "keys" }) }
                </span>
            </div>
            if total == 0 {
                <p class="key-empty">
                    { format!("Database {db} is empty. Keys you create appear here, with a countdown if they expire.") }
                </p>
            } else {
                <ul class="key-list">
                    { for list.rows.iter().map(|row| {
                        let ttl = row.ttl_ms.map(format_ttl);
                        let soon = row.ttl_ms.is_some_and(|ms| ms < SOON_MS);
                        html! {
                            <li key={row.key.clone()} class="key-row" data-testid="key-row"
                                data-key={row.key.clone()} data-type={row.kind}
                                data-ttl-ms={row.ttl_ms.map(|ms| ms.to_string())}>
                                <span class="key-name" title={row.key.clone()}>{ row.key.clone() }</span>
                                <span class={classes!("badge", format!("badge-{}", row.kind))}>{ row.kind }</span>
                                if let Some(ttl) = ttl {
                                    <span class={classes!("ttl", soon.then_some("ttl-soon"))}
                                        title={format!("expires in {ttl}")}>
                                        <svg class="icon icon-ttl" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                                            <circle cx="8" cy="8.5" r="5.6" />
                                            <path d="M8 5.4v3.3l2.1 1.4M6.3 1.6h3.4" />
                                        </svg>
                                        { ttl }
                                    </span>
                                } else {
                                    <span class="ttl ttl-none" title="no expiry">{ "no TTL" }</span>
                                }
                            </li>
                        }
                    }) }
                </ul>
                if list.hidden > 0 {
                    <p class="key-more">{ format!("… and {} more", list.hidden) }</p>
                }
            }
        </section>
    }
}
