//! The page: header, notices, the lesson column (lesson, the strategy visualizer, then
//! quiz) and the playground (console + keys). The console mailbox lets the lesson's
//! ▶ run buttons type into the console.

use yew::prelude::*;

use crate::components::console::Console;
use crate::components::console_driver::ConsoleMailbox;
use crate::components::header::Header;
use crate::components::key_panel::KeyPanel;
use crate::components::notice_list::NoticeList;
use crate::context::SandboxProvider;
use crate::lesson::Lesson;
use crate::quiz::Quiz;
use crate::visualizer::Visualizer;

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
    let mailbox = use_memo((), |_| ConsoleMailbox::default());
    html! {
        <SandboxProvider>
            <ContextProvider<ConsoleMailbox> context={(*mailbox).clone()}>
                <div class="app">
                    <a class="skip-link" href="#console-input">{ "Skip to the console" }</a>
                    <Header />
                    <NoticeList />
                    <main class="layout">
                        <article id="lesson" class="lesson" aria-labelledby="lesson-title">
                            <Lesson />
                            <Visualizer />
                            <Quiz />
                        </article>
                        <section id="playground" class="workbench" aria-label="Playground">
                            <Console />
                            <KeyPanel />
                        </section>
                    </main>
                </div>
            </ContextProvider<ConsoleMailbox>>
        </SandboxProvider>
    }
}
