//! The top bar: logo, section links, the clock control and the theme toggle.

use yew::prelude::*;

use crate::components::clock_control::ClockControl;
use crate::components::theme_toggle::ThemeToggle;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {}

#[component]
pub fn Header(_props: &HeaderProps) -> Html {
    html! {
        <header class="site-header">
            <a class="brand" href="#lesson" aria-label="CacheLab, back to the lesson">
                <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
                    <rect x="3" y="5" width="26" height="7" rx="2.5" class="brand-layer" />
                    <rect x="3" y="14.5" width="26" height="7" rx="2.5" class="brand-layer brand-layer-mid" />
                    <rect x="3" y="24" width="26" height="5" rx="2.5" class="brand-layer brand-layer-low" />
                    <path d="M18.5 2 11 17h5.5L14 30l8.5-16.5H17L18.5 2z" class="brand-bolt" />
                </svg>
                <span class="brand-name">{ "Cache" }<span class="brand-accent">{ "Lab" }</span></span>
            </a>
            <nav class="site-nav" aria-label="Sections">
                <a href="#lesson">{ "Lesson" }</a>
                <a href="#playground">{ "Playground" }</a>
                <a href="#visualizer">{ "Strategies" }</a>
                <a href="#quiz">{ "Quiz" }</a>
            </nav>
            <div class="header-tools">
                <ClockControl />
                <ThemeToggle />
            </div>
        </header>
    }
}
