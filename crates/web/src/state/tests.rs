use super::*;

/// The tab the single-tab tests type in.
const C1: u32 = 1;

fn submit(state: &mut ConsoleState, line: &str, outcome: LineOutcome) {
    submit_in(state, C1, line, outcome);
}

fn submit_in(state: &mut ConsoleState, client: u32, line: &str, outcome: LineOutcome) {
    state.apply(ConsoleAction::Submit {
        client,
        prompt: "127.0.0.1:6379> ".into(),
        line: line.into(),
        outcome,
    });
}

fn edit(state: &mut ConsoleState, text: &str) {
    state.apply(ConsoleAction::Edit {
        client: C1,
        text: text.into(),
    });
}

fn outputs(state: &ConsoleState, client: u32) -> Vec<Option<String>> {
    state
        .entries(client)
        .iter()
        .map(|e| e.output.clone())
        .collect()
}

fn line(entry: &Entry) -> &str {
    entry.echo.as_ref().map_or("", |e| e.line.as_str())
}

fn some(texts: &[&str]) -> Vec<Option<String>> {
    texts.iter().map(|t| Some(t.to_string())).collect()
}

#[test]
fn submitting_echoes_the_line_and_its_reply() {
    let mut s = ConsoleState::default();
    edit(&mut s, "SET a 1");
    submit(&mut s, "SET a 1", LineOutcome::Reply("OK".into()));
    submit(&mut s, "", LineOutcome::Blank);
    submit(&mut s, "help", LineOutcome::Local("redis-cli".into()));
    submit(&mut s, "quit", LineOutcome::Quit);
    assert_eq!(
        outputs(&s, C1),
        [Some("OK".into()), None, Some("redis-cli".into()), None]
    );
    let entries = s.entries(C1);
    assert_eq!(line(&entries[0]), "SET a 1");
    assert_eq!(
        entries[0].echo.as_ref().map(|e| e.prompt.as_str()),
        Some("127.0.0.1:6379> ")
    );
    assert!(s.input(C1).is_empty());
    assert_eq!(s.history.lines(), ["SET a 1", "help", "quit"]);
    let ids: Vec<u64> = entries.iter().map(|e| e.id).collect();
    assert_eq!(ids, [0, 1, 2, 3]);
}

#[test]
fn clear_and_ctrl_l_wipe_the_screen_but_not_history() {
    let mut s = ConsoleState::default();
    submit(&mut s, "PING", LineOutcome::Reply("PONG".into()));
    submit(&mut s, "clear", LineOutcome::Clear);
    assert!(s.entries(C1).is_empty());
    assert_eq!(s.history.lines(), ["PING", "clear"]);
    submit(&mut s, "PING", LineOutcome::Reply("PONG".into()));
    s.apply(ConsoleAction::ClearScreen(C1));
    assert!(s.entries(C1).is_empty());
}

#[test]
fn scrollback_is_bounded() {
    let mut s = ConsoleState::default();
    for i in 0..SCROLLBACK + 5 {
        submit(
            &mut s,
            &format!("ECHO {i}"),
            LineOutcome::Reply(format!("\"{i}\"")),
        );
    }
    assert_eq!(s.entries(C1).len(), SCROLLBACK);
    assert_eq!(line(&s.entries(C1)[0]), "ECHO 5");
}

#[test]
fn arrows_walk_history_and_restore_the_draft() {
    let mut s = ConsoleState::default();
    submit(&mut s, "GET a", LineOutcome::Reply("(nil)".into()));
    submit(&mut s, "GET b", LineOutcome::Reply("(nil)".into()));
    edit(&mut s, "SE");
    s.apply(ConsoleAction::HistoryPrev(C1));
    assert_eq!(s.input(C1), "GET b");
    s.apply(ConsoleAction::HistoryPrev(C1));
    s.apply(ConsoleAction::HistoryPrev(C1));
    assert_eq!(s.input(C1), "GET a");
    s.apply(ConsoleAction::HistoryNext(C1));
    s.apply(ConsoleAction::HistoryNext(C1));
    assert_eq!(s.input(C1), "SE");
}

#[test]
fn tab_completes_cycles_and_escape_restores() {
    let mut s = ConsoleState::default();
    edit(&mut s, "pers");
    s.apply(ConsoleAction::Tab(C1));
    assert_eq!(s.input(C1), "PERSIST");
    s.apply(ConsoleAction::Tab(C1));
    assert_eq!(
        s.input(C1),
        "pers",
        "past the last candidate the original comes back"
    );
    s.apply(ConsoleAction::Tab(C1));
    assert_eq!(s.input(C1), "PERSIST");
    s.apply(ConsoleAction::CancelCompletion(C1));
    assert_eq!(s.input(C1), "pers");
    assert!(s.completion.is_none());

    s.apply(ConsoleAction::Tab(C1));
    s.apply(ConsoleAction::AcceptCompletion);
    assert_eq!(s.input(C1), "PERSIST");
    s.apply(ConsoleAction::Tab(C1));
    assert_eq!(
        s.input(C1),
        "PERSIST",
        "a full name has exactly one completion: itself"
    );
}

#[test]
fn tab_without_candidates_changes_nothing() {
    let mut s = ConsoleState::default();
    edit(&mut s, "GET k");
    s.apply(ConsoleAction::Tab(C1));
    assert_eq!(s.input(C1), "GET k");
    assert!(s.completion.is_none());
}

#[test]
fn tabs_keep_their_own_scrollback_and_input_but_share_history() {
    let mut s = ConsoleState::default();
    edit(&mut s, "GET half");
    submit_in(&mut s, 2, "SET a 1", LineOutcome::Reply("OK".into()));
    assert_eq!(
        s.input(C1),
        "GET half",
        "typing in tab 2 leaves tab 1's draft"
    );
    assert!(s.entries(C1).is_empty());
    assert_eq!(outputs(&s, 2), some(&["OK"]));
    s.apply(ConsoleAction::HistoryPrev(C1));
    assert_eq!(
        s.input(C1),
        "SET a 1",
        "↑ in tab 1 recalls a line typed in tab 2"
    );
    s.apply(ConsoleAction::Select(2));
    s.apply(ConsoleAction::HistoryPrev(2));
    assert_eq!(s.input(2), "SET a 1", "a new tab starts a fresh walk");
    s.apply(ConsoleAction::Forget(2));
    assert!(s.entries(2).is_empty() && s.input(2).is_empty());
}

#[test]
fn completion_belongs_to_the_tab_it_started_in() {
    let mut s = ConsoleState::default();
    edit(&mut s, "pers");
    s.apply(ConsoleAction::Tab(C1));
    s.apply(ConsoleAction::Edit {
        client: 2,
        text: "expi".into(),
    });
    s.apply(ConsoleAction::Tab(2));
    assert_eq!(s.input(2), "EXPIRE");
    assert_eq!(s.input(C1), "PERSIST");
    s.apply(ConsoleAction::CancelCompletion(C1));
    assert_eq!(s.input(C1), "PERSIST", "tab 1 is no longer completing");
}

#[test]
fn messages_append_to_their_tab_and_count_as_unread_in_the_background() {
    let mut s = ConsoleState::default();
    let message = |client: u32, text: &str| Delivery::Message {
        client,
        text: text.into(),
    };
    s.apply(ConsoleAction::Deliver {
        delivery: message(1, "1) \"message\""),
        seen: false,
    });
    s.apply(ConsoleAction::Deliver {
        delivery: message(1, "1) \"message\" again"),
        seen: false,
    });
    s.apply(ConsoleAction::Deliver {
        delivery: message(2, "for two"),
        seen: true,
    });
    assert_eq!(s.unread(1), 2);
    assert_eq!(s.unread(2), 0);
    assert_eq!(
        outputs(&s, 1),
        some(&["1) \"message\"", "1) \"message\" again"])
    );
    assert!(s.entries(1).iter().all(|e| e.echo.is_none()));
    s.apply(ConsoleAction::Select(1));
    assert_eq!(s.unread(1), 0);
}

#[test]
fn a_waiting_line_gets_its_reply_when_it_arrives() {
    let mut s = ConsoleState::default();
    submit(&mut s, "BLPOP q 0", LineOutcome::Blocked(String::new()));
    assert_eq!(outputs(&s, C1), [None]);
    assert!(s.entries(C1)[0].waiting);
    s.apply(ConsoleAction::Deliver {
        delivery: Delivery::Message {
            client: C1,
            text: "a push".into(),
        },
        seen: true,
    });
    s.apply(ConsoleAction::Deliver {
        delivery: Delivery::Reply {
            client: C1,
            text: "1) \"q\"\n2) \"a\"".into(),
            done: true,
        },
        seen: true,
    });
    let entries = s.entries(C1);
    assert_eq!(entries[0].output.as_deref(), Some("1) \"q\"\n2) \"a\""));
    assert!(!entries[0].waiting);
    assert_eq!(entries[1].output.as_deref(), Some("a push"));
}

#[test]
fn repeats_that_block_again_keep_the_line_waiting() {
    let mut s = ConsoleState::default();
    submit(&mut s, "2 BLPOP q 0", LineOutcome::Blocked("(nil)".into()));
    let reply = |text: &str, done| ConsoleAction::Deliver {
        delivery: Delivery::Reply {
            client: C1,
            text: text.into(),
            done,
        },
        seen: true,
    };
    s.apply(reply("one", false));
    assert!(s.entries(C1)[0].waiting);
    s.apply(reply("two", true));
    assert_eq!(outputs(&s, C1), some(&["(nil)\none\ntwo"]));
    assert!(!s.entries(C1)[0].waiting);
}

#[test]
fn a_reply_whose_line_was_cleared_still_shows() {
    let mut s = ConsoleState::default();
    submit(&mut s, "BLPOP q 0", LineOutcome::Blocked(String::new()));
    s.apply(ConsoleAction::ClearScreen(C1));
    s.apply(ConsoleAction::Deliver {
        delivery: Delivery::Reply {
            client: C1,
            text: "(nil)".into(),
            done: true,
        },
        seen: true,
    });
    assert_eq!(outputs(&s, C1), some(&["(nil)"]));
    assert!(!s.entries(C1)[0].waiting);
}

#[test]
fn ctrl_c_marks_the_waiting_line_or_echoes_the_prompt() {
    let mut s = ConsoleState::default();
    submit(&mut s, "BLPOP q 0", LineOutcome::Blocked(String::new()));
    s.apply(ConsoleAction::Interrupt {
        client: C1,
        prompt: String::new(),
        typed: String::new(),
    });
    assert_eq!(outputs(&s, C1), some(&[INTERRUPT_MARK]));
    assert!(!s.entries(C1)[0].waiting);

    edit(&mut s, "PIN");
    s.apply(ConsoleAction::Interrupt {
        client: C1,
        prompt: "127.0.0.1:6379(subscribed mode)> ".into(),
        typed: "PIN".into(),
    });
    let entries = s.entries(C1);
    let echo = entries[1].echo.as_ref().expect("an echoed prompt");
    assert_eq!(echo.prompt, "127.0.0.1:6379(subscribed mode)> ");
    assert_eq!(echo.line, "PIN^C");
    assert_eq!(entries[1].output, None);
    assert!(s.input(C1).is_empty());
}

#[test]
fn a_busy_tab_keeps_its_input_and_scrollback() {
    let mut s = ConsoleState::default();
    edit(&mut s, "GET a");
    submit(&mut s, "GET a", LineOutcome::Busy);
    assert!(s.entries(C1).is_empty());
    assert_eq!(s.input(C1), "GET a");
    assert!(s.history.lines().is_empty());
}

#[test]
fn notices_dedupe_by_kind_and_dismiss_by_id() {
    let mut n = Notices::default();
    n.apply(NoticeAction::Show(NoticeKind::Save, "full".into()));
    n.apply(NoticeAction::Show(NoticeKind::Save, "still full".into()));
    n.apply(NoticeAction::Show(NoticeKind::Restore, "bad".into()));
    assert_eq!(n.items.len(), 2);
    assert_eq!(n.items[0].message, "still full");
    n.apply(NoticeAction::Dismiss(n.items[0].id));
    assert_eq!(n.items.len(), 1);
    assert_eq!(n.items[0].kind, NoticeKind::Restore);
}

#[test]
fn themes_round_trip() {
    for t in [Theme::Light, Theme::Dark] {
        assert_eq!(Theme::parse(t.as_str()), Some(t));
        assert_ne!(t.toggled(), t);
    }
    assert_eq!(Theme::parse("auto"), None);
}
