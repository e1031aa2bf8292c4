//! Dismissible messages about storage problems: errors are never silent.

use yew::prelude::*;

use crate::context::use_notices;
use crate::state::NoticeAction;

#[derive(Properties, PartialEq)]
pub struct NoticeListProps {}

#[component]
pub fn NoticeList(_props: &NoticeListProps) -> Html {
    let notices = use_notices();
    if notices.items.is_empty() {
        return html! {};
    }
    html! {
        <div class="notices">
            { for notices.items.iter().map(|notice| {
                let id = notice.id;
                let notices = notices.clone();
                let dismiss = Callback::from(move |_: MouseEvent| notices.dispatch(NoticeAction::Dismiss(id)));
                html! {
                    <div key={id} class="notice" role="alert" data-testid="notice">
                        <span class="notice-icon" aria-hidden="true">{ "!" }</span>
                        <p class="notice-text">{ notice.message.clone() }</p>
                        <button type="button" class="btn btn-icon notice-dismiss" data-testid="notice-dismiss"
                            aria-label="Dismiss this message" onclick={dismiss}>{ "✕" }</button>
                    </div>
                }
            }) }
        </div>
    }
}
