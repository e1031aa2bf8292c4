//! SAVE, BGSAVE, LASTSAVE, SHUTDOWN and the `save` points, on the engine's clock.
//! Replies and errors were checked against redis-server 7.0.15 (the differential
//! script covers the single-client replies against the real server).

use std::sync::{Arc, Mutex};

use cachelab_core::persistence::SnapshotStore;
use cachelab_core::{cli, Engine, Reply};

use super::{check, Session, T0_US};

/// A store that keeps what it was given, or refuses everything.
#[derive(Clone, Default)]
struct Shelf {
    saved: Arc<Mutex<Vec<Vec<u8>>>>,
    broken: bool,
}

impl SnapshotStore for Shelf {
    fn store(&mut self, rdb: &[u8]) -> Result<(), String> {
        if self.broken {
            return Err("disk full".to_string());
        }
        self.saved.lock().unwrap().push(rdb.to_vec());
        Ok(())
    }

    fn load(&mut self) -> Option<Vec<u8>> {
        self.saved.lock().unwrap().last().cloned()
    }
}

impl Shelf {
    fn count(&self) -> usize {
        self.saved.lock().unwrap().len()
    }

    fn last(&self) -> Vec<u8> {
        self.saved
            .lock()
            .unwrap()
            .last()
            .cloned()
            .expect("a snapshot")
    }
}

fn session_with(shelf: &Shelf) -> Session {
    let mut s = Session::new();
    s.engine.set_snapshot_store(Box::new(shelf.clone()));
    s
}

fn info_field(s: &mut Session, name: &str) -> String {
    let Reply::Bulk(text) = s.exec("INFO persistence") else {
        panic!("INFO is a bulk string")
    };
    let text = String::from_utf8(text.to_vec()).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")).map(str::to_string))
        .unwrap_or_else(|| panic!("no {name} in {text}"))
}

#[test]
fn save_stores_a_snapshot_that_loads_back() {
    let shelf = Shelf::default();
    let mut s = session_with(&shelf);
    s.exec("SET greeting hello");
    s.exec("HSET h f v");
    s.exec("SET temp x PX 60000");
    assert_eq!(s.exec("SAVE"), Reply::ok());
    assert_eq!(shelf.count(), 1);
    assert!(shelf.last().starts_with(b"REDIS0010"));
    let mut restored = Engine::new();
    restored
        .load_snapshot(&shelf.last(), T0_US + 1_000_000)
        .unwrap();
    let mut c = restored.new_client();
    let mut run = |line: &str| {
        let argv = cli::tokenize(line).unwrap();
        cli::format_reply(&restored.execute(&mut c, argv, T0_US + 1_000_000))
    };
    assert_eq!(run("GET greeting"), "\"hello\"");
    assert_eq!(run("HGET h f"), "\"v\"");
    assert_eq!(run("PTTL temp"), "(integer) 59000");
    assert_eq!(
        run("LASTSAVE"),
        format!("(integer) {}", T0_US / 1_000_000 + 1)
    );
}

#[test]
fn without_a_store_the_engine_keeps_the_last_snapshot() {
    let mut s = Session::new();
    assert!(s.engine.last_snapshot().is_none());
    s.exec("SET k v");
    assert_eq!(
        s.exec("BGSAVE"),
        Reply::Status("Background saving started".into())
    );
    let rdb = s.engine.last_snapshot().expect("kept").to_vec();
    let mut other = Engine::new();
    other.load_snapshot(&rdb, T0_US).unwrap();
    assert_eq!(other.db(0).map_or(0, |d| d.len()), 1);
}

#[test]
fn lastsave_and_info_follow_the_clock() {
    let shelf = Shelf::default();
    let mut s = session_with(&shelf);
    let t0 = T0_US / 1_000_000;
    assert_eq!(s.exec("LASTSAVE"), Reply::Integer(t0 as i64));
    s.exec("SET a 1");
    s.exec("SET b 2");
    assert_eq!(info_field(&mut s, "rdb_changes_since_last_save"), "2");
    assert_eq!(info_field(&mut s, "rdb_saves"), "0");
    s.now_us += 30_000_000;
    s.exec("SAVE");
    assert_eq!(s.exec("LASTSAVE"), Reply::Integer(t0 as i64 + 30));
    assert_eq!(info_field(&mut s, "rdb_changes_since_last_save"), "0");
    assert_eq!(
        info_field(&mut s, "rdb_last_save_time"),
        (t0 + 30).to_string()
    );
    assert_eq!(info_field(&mut s, "rdb_saves"), "1");
    assert_eq!(info_field(&mut s, "rdb_last_bgsave_status"), "ok");
}

#[test]
fn a_failed_save_is_an_error_and_changes_nothing() {
    let shelf = Shelf {
        broken: true,
        ..Shelf::default()
    };
    let mut s = session_with(&shelf);
    s.exec("SET a 1");
    s.now_us += 5_000_000;
    assert_eq!(s.exec("SAVE"), Reply::Error(b"ERR".to_vec()));
    assert_eq!(
        s.exec("LASTSAVE"),
        Reply::Integer((T0_US / 1_000_000) as i64)
    );
    assert_eq!(info_field(&mut s, "rdb_last_bgsave_status"), "err");
    assert_eq!(info_field(&mut s, "rdb_changes_since_last_save"), "1");
    // BGSAVE still "starts"; the failure shows in INFO, as a failed child's would.
    assert_eq!(
        s.exec("BGSAVE"),
        Reply::Status("Background saving started".into())
    );
    assert_eq!(info_field(&mut s, "rdb_last_bgsave_status"), "err");
    // SHUTDOWN does not stop over a failed save, unless forced.
    assert_eq!(
        s.exec("SHUTDOWN SAVE"),
        Reply::Error(b"ERR Errors trying to SHUTDOWN. Check logs.".to_vec())
    );
    assert!(!s.engine.shutdown_requested());
    assert_eq!(s.exec("SHUTDOWN SAVE FORCE"), Reply::Sequence(Vec::new()));
    assert!(s.engine.shutdown_requested());
}

#[test]
fn argument_errors() {
    check(
        &[
            "SAVE now",
            "BGSAVE later",
            "BGSAVE SCHEDULE extra",
            "LASTSAVE 1",
            "SHUTDOWN soon",
            "SHUTDOWN SAVE NOSAVE",
            "SHUTDOWN ABORT NOW",
            "SHUTDOWN ABORT",
            "BGSAVE schedule",
        ],
        r#"
        > SAVE now
        (error) ERR wrong number of arguments for 'save' command
        > BGSAVE later
        (error) ERR syntax error
        > BGSAVE SCHEDULE extra
        (error) ERR syntax error
        > LASTSAVE 1
        (error) ERR wrong number of arguments for 'lastsave' command
        > SHUTDOWN soon
        (error) ERR syntax error
        > SHUTDOWN SAVE NOSAVE
        (error) ERR syntax error
        > SHUTDOWN ABORT NOW
        (error) ERR syntax error
        > SHUTDOWN ABORT
        (error) ERR No shutdown in progress.
        > BGSAVE schedule
        Background saving started
        "#,
    );
}

#[test]
fn save_and_shutdown_are_refused_in_multi_and_bgsave_is_scheduled() {
    check(
        &[
            "MULTI",
            "SET foo bar",
            "SAVE",
            "EXEC",
            "MULTI",
            "SHUTDOWN",
            "EXEC",
            "MULTI",
            "BGSAVE",
            "EXEC",
            "GET foo",
        ],
        r#"
        > MULTI
        OK
        > SET foo bar
        QUEUED
        > SAVE
        (error) ERR Command not allowed inside a transaction
        > EXEC
        (error) EXECABORT Transaction discarded because of previous errors.
        > MULTI
        OK
        > SHUTDOWN
        (error) ERR Command not allowed inside a transaction
        > EXEC
        (error) EXECABORT Transaction discarded because of previous errors.
        > MULTI
        OK
        > BGSAVE
        QUEUED
        > EXEC
        1) Background saving scheduled
        > GET foo
        (nil)
        "#,
    );
}

#[test]
fn shutdown_saves_only_when_asked_or_when_save_points_are_set() {
    let shelf = Shelf::default();
    let mut s = session_with(&shelf);
    s.exec("SET k v");
    assert_eq!(
        s.transcript(&["SHUTDOWN NOSAVE"]),
        "> SHUTDOWN NOSAVE\n(connection closed)\n"
    );
    assert!(s.engine.shutdown_requested());
    assert_eq!(shelf.count(), 0);

    let mut s = session_with(&shelf);
    s.exec("SHUTDOWN");
    assert_eq!(shelf.count(), 0, "no save points: nothing saved");

    let mut s = session_with(&shelf);
    s.exec("SHUTDOWN SAVE NOW");
    assert_eq!(shelf.count(), 1);

    let mut s = session_with(&shelf);
    s.exec("CONFIG SET save \"900 1\"");
    s.exec("SHUTDOWN");
    assert_eq!(shelf.count(), 2, "a save point makes a plain SHUTDOWN save");
    s.exec("SHUTDOWN NOSAVE");
    assert_eq!(shelf.count(), 2);
}

#[test]
fn save_points_fire_on_the_cron_once_time_and_changes_are_reached() {
    let shelf = Shelf::default();
    let mut s = session_with(&shelf);
    s.exec("CONFIG SET save \"60 2 10 100\"");
    s.exec("SET a 1");
    s.now_us += 61_000_000;
    s.engine.persistence_cron(s.now_us);
    assert_eq!(
        shelf.count(),
        0,
        "one change, the points want two or a hundred"
    );
    s.exec("SET b 2");
    s.engine.persistence_cron(s.now_us);
    assert_eq!(shelf.count(), 1);
    // The clock restarts at the save: two more changes wait another minute.
    s.exec("SET c 3");
    s.exec("SET d 4");
    s.now_us += 59_000_000;
    s.engine.persistence_cron(s.now_us);
    assert_eq!(shelf.count(), 1);
    s.now_us += 2_000_000;
    s.engine.persistence_cron(s.now_us);
    assert_eq!(shelf.count(), 2);
    // `save ""` turns them off.
    s.exec("CONFIG SET save \"\"");
    s.exec("SET e 5");
    s.exec("SET f 6");
    s.now_us += 3_600_000_000;
    s.engine.persistence_cron(s.now_us);
    assert_eq!(shelf.count(), 2);
}

#[test]
fn flushall_saves_the_empty_keyspace_when_save_points_are_set() {
    let shelf = Shelf::default();
    let mut s = session_with(&shelf);
    s.exec("SET k v");
    s.exec("FLUSHALL");
    assert_eq!(shelf.count(), 0);
    s.exec("SET k v");
    s.exec("CONFIG SET save \"3600 1\"");
    s.exec("FLUSHALL");
    assert_eq!(shelf.count(), 1);
    let mut other = Engine::new();
    other.load_snapshot(&shelf.last(), T0_US).unwrap();
    assert_eq!(other.db(0).map_or(0, |d| d.len()), 0);
    assert_eq!(info_field(&mut s, "rdb_changes_since_last_save"), "1");
}

#[test]
fn a_restart_loads_the_last_snapshot_from_the_store_and_keeps_the_store() {
    let shelf = Shelf::default();
    let mut s = session_with(&shelf);
    let (empty, loaded) = s.engine.restarted(T0_US);
    assert!(!loaded, "nothing saved yet");
    assert_eq!(empty.db(0).map_or(0, |d| d.len()), 0);
    s.engine = empty;
    s.exec("SET k v");
    s.exec("SAVE");
    s.exec("SET later x");
    let (mut back, loaded) = s.engine.restarted(T0_US + 1_000_000);
    assert!(loaded);
    assert_eq!(back.db(0).map_or(0, |d| d.len()), 1);
    // The store came along: the next SAVE goes to the same place.
    let mut c = back.new_client();
    back.execute(&mut c, vec![b"SAVE".to_vec()], T0_US + 2_000_000);
    assert_eq!(shelf.count(), 2);
}

#[test]
fn debug_reload_saves_and_loads_back() {
    check(
        &[
            "SET a 1",
            "RPUSH l x y",
            "SET t v PX 5000",
            "DEBUG RELOAD",
            "MGET a t",
            "LRANGE l 0 -1",
            "PTTL t",
            "SET b 2",
            "DEBUG RELOAD NOSAVE",
            "EXISTS a b",
            "SET a changed",
            "SET c 3",
            "DEBUG RELOAD NOSAVE NOFLUSH",
            "GET a",
            "DEBUG RELOAD NOSAVE NOFLUSH MERGE",
            "MGET a c",
            "DEBUG RELOAD soon",
        ],
        r#"
        > SET a 1
        OK
        > RPUSH l x y
        (integer) 2
        > SET t v PX 5000
        OK
        > DEBUG RELOAD
        OK
        > MGET a t
        1) "1"
        2) "v"
        > LRANGE l 0 -1
        1) "x"
        2) "y"
        > PTTL t
        (integer) 5000
        > SET b 2
        OK
        > DEBUG RELOAD NOSAVE
        OK
        > EXISTS a b
        (integer) 1
        > SET a changed
        OK
        > SET c 3
        OK
        > DEBUG RELOAD NOSAVE NOFLUSH
        (error) ERR Error trying to load the RDB dump, check server logs.
        > GET a
        "changed"
        > DEBUG RELOAD NOSAVE NOFLUSH MERGE
        OK
        > MGET a c
        1) "1"
        2) "3"
        > DEBUG RELOAD soon
        (error) ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.
        "#,
    );
}

#[test]
fn debug_reload_with_nothing_saved_is_an_error_and_changes_nothing() {
    check(
        &["SET a 1", "DEBUG RELOAD NOSAVE", "GET a"],
        r#"
        > SET a 1
        OK
        > DEBUG RELOAD NOSAVE
        (error) ERR Error trying to load the RDB dump, check server logs.
        > GET a
        "1"
        "#,
    );
}
