//! The page: header, notices, the lesson column (lesson, the strategy visualizer, then
//! quiz) and the playground (console + keys). The console mailbox lets the lesson's
//! ▶ run buttons type into the console. The visualizer and the quiz mount just after
//! the first paint.

use gloo::timers::callback::Timeout;
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

/// The sections that mount after the first paint, as a selector.
const LATER: &str = "#visualizer, #quiz";

#[component]
pub fn App() -> Html {
    // The strategy visualizer and the quiz (a third of the page's elements, all below
    // the fold) mount in a task of their own after the first paint, so the console is
    // on screen and takes keys sooner.
    let later = use_state(|| false);
    {
        let later = later.clone();
        use_effect_with(*later, move |mounted| {
            if *mounted {
                // The browser could not scroll to `#quiz` before it existed.
                crate::lesson::scroll_to_fragment(Some(LATER));
            } else {
                // Children's effects run before their parents', so by now the console
                // exists and has focus: tell E2E tests and the readiness benchmark the
                // app is usable.
                if let Some(body) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.body())
                {
                    let _ = body.dataset().set("ready", "1");
                }
                Timeout::new(0, move || later.set(true)).forget();
            }
        });
    }
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
                            if *later {
                                <Visualizer />
                                <Quiz />
                            }
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
