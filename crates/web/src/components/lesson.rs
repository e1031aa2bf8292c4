//! The lesson column. For now an introduction; the chapters, strategies and quiz grow
//! into the marked sections.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LessonProps {}

#[component]
pub fn Lesson(_props: &LessonProps) -> Html {
    let tries = [
        ("SET greeting hello", "store a string"),
        ("GET greeting", "read it back"),
        (
            "EXPIRE greeting 30",
            "give it 30 seconds to live, then press +10 s a few times",
        ),
        ("HELP SET", "show the syntax of any command"),
    ];
    html! {
        <section id="lesson" class="lesson" aria-labelledby="lesson-title">
            <p class="eyebrow">{ "Lesson" }</p>
            <h1 id="lesson-title">{ "Caching, hands on" }</h1>
            <p class="lead">
                { "CacheLab is a small laboratory for learning how an in-memory cache behaves. The \
                   console on this page talks to a Redis 7.0 compatible engine, written in Rust \
                   and compiled to WebAssembly, so it runs entirely inside this browser tab: there is \
                   no server, and nothing you type leaves your machine." }
            </p>
            <p>
                { "A cache keeps copies of data that is slow to fetch in fast memory, usually with an \
                   expiry time so that stale copies eventually disappear. Here you can watch that \
                   happen: store a few keys, give them a time to live, then jump the clock forward and \
                   see them vanish from the key panel." }
            </p>
            <h2>{ "Try this" }</h2>
            <ul class="try-list">
                { for tries.iter().map(|(cmd, what)| html! {
                    <li><code>{ *cmd }</code><span>{ *what }</span></li>
                }) }
            </ul>
            <p class="keys-tip">
                <kbd>{ "Tab" }</kbd>{ " completes a command name, " }
                <kbd>{ "↑" }</kbd>{ " " }<kbd>{ "↓" }</kbd>{ " recall earlier lines, " }
                <kbd>{ "Ctrl" }</kbd>{ "+" }<kbd>{ "L" }</kbd>{ " clears the screen and " }
                <kbd>{ "Esc" }</kbd>{ " leaves the console." }
            </p>
            <section id="strategies" class="lesson-upcoming" aria-labelledby="strategies-title">
                <h2 id="strategies-title">{ "Caching strategies" }</h2>
                <p>{ "Lazy loading, write-through and write-behind, simulated side by side, will appear here." }</p>
            </section>
            <section id="quiz" class="lesson-upcoming" aria-labelledby="quiz-title">
                <h2 id="quiz-title">{ "Quiz" }</h2>
                <p>{ "A short quiz to check what stuck will close the lesson." }</p>
            </section>
        </section>
    }
}
