//! The page: header, notices, the lesson column and the playground (console + keys).

use yew::prelude::*;

use crate::components::console::Console;
use crate::components::header::Header;
use crate::components::key_panel::KeyPanel;
use crate::components::lesson::Lesson;
use crate::components::notice_list::NoticeList;
use crate::context::SandboxProvider;

#[component]
pub fn App() -> Html {
    // Children's effects run before their parents', so by now the console exists and
    // has focus: tell E2E tests and the readiness benchmark the app is usable.
    use_effect_with((), |_| {
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            let _ = body.dataset().set("ready", "1");
        }
    });
    html! {
        <SandboxProvider>
            <div class="app">
                <a class="skip-link" href="#console-input">{ "Skip to the console" }</a>
                <Header />
                <NoticeList />
                <main class="layout">
                    <Lesson />
                    <section id="playground" class="workbench" aria-label="Playground">
                        <Console />
                        <KeyPanel />
                    </section>
                </main>
            </div>
        </SandboxProvider>
    }
}
