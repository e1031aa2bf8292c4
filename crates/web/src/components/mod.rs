//! The Yew components, one per file, each with its `XxxProps`.

pub mod app;
pub mod clock_control;
pub mod console;
pub mod console_driver;
pub mod console_input;
pub mod console_output;
pub mod console_tabs;
pub mod header;
pub mod key_panel;
pub mod notice_list;
pub mod theme_toggle;
