use super::*;

fn argv(args: &[&[u8]]) -> Vec<Vec<u8>> {
    args.iter().map(|a| a.to_vec()).collect()
}

#[test]
fn keeps_short_commands_whole() {
    let mut a = Args::default();
    a.fill(&argv(&[b"SET", b"k", b"\x00\xffv"]), false);
    assert_eq!(a.to_vec(), argv(&[b"SET", b"k", b"\x00\xffv"]));
}

#[test]
fn cuts_long_arguments_and_says_by_how_much() {
    let mut a = Args::default();
    let long = vec![b'A'; 129];
    a.fill(&[b"sadd".to_vec(), b"s".to_vec(), long], false);
    let mut expected = vec![b'A'; 128];
    expected.extend_from_slice(b"... (1 more bytes)");
    assert_eq!(a.to_vec(), vec![b"sadd".to_vec(), b"s".to_vec(), expected]);
}

#[test]
fn keeps_31_arguments_and_counts_the_rest() {
    let mut a = Args::default();
    let args: Vec<Vec<u8>> = (0..33).map(|i: i32| i.to_string().into_bytes()).collect();
    a.fill(&args, false);
    let got = a.to_vec();
    assert_eq!(got.len(), 32);
    assert_eq!(got[30], b"30");
    assert_eq!(got[31], b"... (2 more arguments)");
    // Exactly 32 arguments fit.
    a.fill(&args[..32], false);
    assert_eq!(a.to_vec(), args[..32].to_vec());
}

#[test]
fn redacts_secret_config_values_only_when_asked() {
    let mut a = Args::default();
    let line = argv(&[b"config", b"set", b"hz", b"10", b"REQUIREPASS", b"s3cret"]);
    a.fill(&line, true);
    assert_eq!(
        a.to_vec(),
        argv(&[
            b"config",
            b"set",
            b"hz",
            b"10",
            b"REQUIREPASS",
            b"(redacted)"
        ])
    );
    a.fill(&line, false);
    assert_eq!(a.to_vec(), line);
}

fn origin() -> Origin {
    Origin {
        time: 1_700_000_000,
        peer: "127.0.0.1:5000".into(),
        name: b"me".to_vec(),
    }
}

#[test]
fn newest_first_trimmed_to_max_len() {
    let mut log = SlowLog::default();
    for i in 0..5 {
        log.push(vec![format!("cmd{i}").into_bytes()], 10 + i, origin());
        log.trim(2);
    }
    assert_eq!(log.len(), 2);
    let Reply::Array(entries) = log.get(None) else {
        panic!("not an array")
    };
    let first = &entries[0];
    assert_eq!(
        *first,
        Reply::Array(vec![
            Reply::Integer(4),
            Reply::Integer(1_700_000_000),
            Reply::Integer(14),
            Reply::Array(vec![Reply::bulk(b"cmd4".to_vec())]),
            Reply::bulk(b"127.0.0.1:5000".to_vec()),
            Reply::bulk(b"me".to_vec()),
        ])
    );
    assert_eq!(log.get(Some(1)), Reply::Array(vec![first.clone()]));
    assert_eq!(log.get(Some(0)), Reply::Array(vec![]));
}

#[test]
fn ids_survive_reset() {
    let mut log = SlowLog::default();
    log.push(argv(&[b"PING"]), 0, origin());
    log.reset();
    assert_eq!(log.len(), 0);
    log.push(argv(&[b"PING"]), 0, origin());
    let Reply::Array(entries) = log.get(None) else {
        panic!("not an array")
    };
    let Reply::Array(fields) = &entries[0] else {
        panic!("not an entry")
    };
    assert_eq!(fields[0], Reply::Integer(1));
}
