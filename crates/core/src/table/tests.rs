use super::*;

#[test]
fn table_is_sorted_and_unique() {
    for w in COMMANDS.windows(2) {
        assert!(w[0].name < w[1].name, "{} !< {}", w[0].name, w[1].name);
    }
}

#[test]
fn lookup_is_case_insensitive() {
    assert_eq!(lookup(b"GeT").map(|c| c.name), Some("get"));
    assert!(lookup(b"nope").is_none());
    assert!(lookup(&[b'a'; 100]).is_none());
    assert!(lookup(b"").is_none());
    // Every command, in either case, and nothing one byte off.
    for c in COMMANDS {
        assert!(c.name.len() <= MAX_NAME);
        let upper = c.name.to_ascii_uppercase();
        assert_eq!(lookup(upper.as_bytes()).map(|s| s.name), Some(c.name));
        assert_eq!(lookup(c.name.as_bytes()).map(|s| s.name), Some(c.name));
        let longer = format!("{}x", c.name);
        assert!(lookup(longer.as_bytes()).is_none_or(|s| s.name == longer));
        assert!(lookup(&c.name.as_bytes()[1..]).is_none_or(|s| s.name != c.name));
    }
    // Subcommands are not top-level names; NUL and non-ASCII bytes don't fold.
    assert!(lookup(b"config|get").is_none());
    assert!(lookup(b"get\0").is_none());
    assert!(lookup("GEТ".as_bytes()).is_none());
}

/// Every command and subcommand.
fn every_spec() -> impl Iterator<Item = &'static CommandSpec> {
    COMMANDS
        .iter()
        .flat_map(|c| std::iter::once(c).chain(c.subcommands.iter()))
}

#[test]
fn key_specs_fit_the_arity_and_the_legacy_range() {
    for c in every_spec() {
        let name = c.full_name();
        let min_args = c.arity.unsigned_abs() as i32;
        let mut movable = false;
        for k in c.key_specs {
            match k.begin {
                // The first key is there whenever the arity is right (or,
                // for a range to the end, SUNSUBSCRIBE's, may be none).
                BeginSearch::Index(i) => {
                    let to_end = matches!(k.find, FindKeys::Range { lastkey, .. } if lastkey < 0);
                    let bound = if to_end { min_args } else { min_args - 1 };
                    assert!(i >= 1 && i <= bound, "{name}: index {i}, arity {}", c.arity)
                }
                BeginSearch::Keyword { keyword, startfrom } => {
                    movable = true;
                    assert!(!keyword.is_empty() && startfrom != 0, "{name}");
                }
                BeginSearch::Unknown => {
                    movable = true;
                    assert!(!k.notes.is_empty(), "{name}: unknown keys need notes");
                    assert_eq!(k.find, FindKeys::Unknown, "{name}");
                }
            }
            match k.find {
                FindKeys::Range {
                    lastkey,
                    keystep,
                    limit,
                } => {
                    assert!(keystep >= 1 && limit >= 0, "{name}");
                    if let BeginSearch::Index(i) = k.begin {
                        if lastkey >= 0 {
                            assert!(i + lastkey < min_args, "{name}: last key past arity");
                        }
                    }
                }
                FindKeys::Keynum {
                    keynumidx,
                    firstkey,
                    keystep,
                } => {
                    movable = true;
                    assert!(
                        keynumidx >= 0 && firstkey > keynumidx && keystep >= 1,
                        "{name}"
                    );
                    // Redis's genericGetKeys fallback knows where numkeys is.
                    assert!(
                        matches!(c.keys_proc, KeysProc::NumKeys { .. }),
                        "{name}: keynum without a numkeys rule"
                    );
                }
                FindKeys::Unknown => {}
            }
            // Exactly one of RO/RW/OW/RM, except for channels.
            let access = k.flags & (key::RO | key::RW | key::OW | key::RM);
            if k.flags & key::NOT_KEY == 0 {
                assert_eq!(access.count_ones(), 1, "{name}: access flags");
            } else {
                assert_eq!(access, 0, "{name}");
            }
        }
        if movable {
            assert!(
                c.has_flag(MOVABLEKEYS),
                "{name}: keys move but no movablekeys"
            );
        }
        // The legacy range covers the first key spec when it is a fixed range.
        assert_eq!(
            legacy_range(c.key_specs),
            (
                (c.first_key, c.last_key, c.key_step),
                c.has_flag(MOVABLEKEYS)
            ),
            "{name}"
        );
        if let Some(KeySpec {
            begin: BeginSearch::Index(i),
            find: FindKeys::Range { .. },
            ..
        }) = c.key_specs.first()
        {
            assert_eq!(c.first_key, *i, "{name}: first key");
        }
        if c.key_specs.is_empty() {
            assert_eq!((c.first_key, c.last_key, c.key_step), (0, 0, 0), "{name}");
            assert!(!c.has_flag(MOVABLEKEYS), "{name}");
        }
        // A rule of its own only where Redis has one: the keys move, or
        // the flags depend on the arguments.
        if c.keys_proc != KeysProc::None {
            let variable = c
                .key_specs
                .iter()
                .any(|k| k.flags & key::VARIABLE_FLAGS != 0);
            assert!(c.has_flag(MOVABLEKEYS) || variable, "{name}");
        }
        // Sorted, and each category once.
        let cats = c.acl_categories();
        let mut dedup = cats.clone();
        dedup.dedup();
        assert_eq!(cats, dedup, "{name}");
        assert!(cats.contains(&"@fast") != cats.contains(&"@slow"), "{name}");
    }
}

#[test]
fn legacy_range_as_redis_derives_it() {
    use super::commands::{at, numkeys, range};
    assert_eq!(legacy_range(&[]), ((0, 0, 0), false));
    assert_eq!(legacy_range(&[at(1, key::RO)]), ((1, 1, 1), false));
    // MSET: one range with a step keeps its step.
    assert_eq!(
        legacy_range(&[range(1, -1, 2, key::OW)]),
        ((1, -1, 2), false)
    );
    // RENAME: consecutive single keys merge.
    assert_eq!(
        legacy_range(&[at(1, key::RW), at(2, key::OW)]),
        ((1, 2, 1), false)
    );
    // SUNIONSTORE: a key and then all the rest.
    assert_eq!(
        legacy_range(&[at(1, key::OW), range(2, -1, 1, key::RO)]),
        ((1, -1, 1), false)
    );
    // ZUNIONSTORE: the destination only, and the keys move.
    assert_eq!(
        legacy_range(&[at(1, key::OW), numkeys(2, key::RO)]),
        ((1, 1, 1), true)
    );
    assert_eq!(legacy_range(&[numkeys(1, key::RO)]), ((0, 0, 0), true));
    // An incomplete range still counts, but the keys move.
    assert_eq!(
        legacy_range(&[at(1, key::RO | key::INCOMPLETE)]),
        ((1, 1, 1), true)
    );
}

fn getkeys(argv: &[&str]) -> Vec<(String, u32)> {
    let args: Vec<Vec<u8>> = argv.iter().map(|a| a.as_bytes().to_vec()).collect();
    let spec = lookup(&args[0]).unwrap();
    let spec = match args.get(1) {
        Some(sub) if spec.shows_subcommands() => spec.subcommand(sub).unwrap(),
        _ => spec,
    };
    keys_of(spec, &args)
        .into_iter()
        .map(|(i, f)| (argv[i].to_string(), f))
        .collect()
}

#[test]
fn keys_from_specs_and_rules() {
    let ro = key::RO | key::ACCESS;
    let names = |v: Vec<(String, u32)>| v.into_iter().map(|(k, _)| k).collect::<Vec<_>>();
    assert_eq!(getkeys(&["get", "k"]), vec![("k".into(), ro)]);
    assert_eq!(names(getkeys(&["mset", "a", "1", "b", "2"])), ["a", "b"]);
    assert_eq!(names(getkeys(&["blpop", "a", "b", "0"])), ["a", "b"]);
    assert_eq!(
        names(getkeys(&["zunionstore", "d", "2", "a", "b"])),
        ["d", "a", "b"]
    );
    // A numkeys string2ll refuses falls back to atoi: sources first, no flags.
    assert_eq!(
        getkeys(&["zunionstore", "d", "2x", "a", "b"]),
        vec![("a".into(), 0), ("b".into(), 0), ("d".into(), 0)]
    );
    assert!(getkeys(&["zunion", "0", "a"]).is_empty());
    assert!(getkeys(&["zunion", "3", "a"]).is_empty());
    assert_eq!(
        names(getkeys(&[
            "xread", "COUNT", "1", "STREAMS", "a", "b", "0", "0"
        ])),
        ["a", "b"]
    );
    assert!(getkeys(&["xread", "STREAMS", "a"]).is_empty());
    assert_eq!(
        getkeys(&["set", "k", "v", "GET"]),
        vec![("k".into(), key::RW | key::ACCESS | key::UPDATE)]
    );
    assert_eq!(
        getkeys(&["set", "k", "v"]),
        vec![("k".into(), key::OW | key::UPDATE)]
    );
    assert_eq!(
        names(getkeys(&[
            "sort", "k", "LIMIT", "0", "1", "STORE", "a", "STORE", "b"
        ])),
        ["k", "b"]
    );
    assert_eq!(names(getkeys(&["sort", "k", "STORE"])), ["k"]);
    assert_eq!(names(getkeys(&["xgroup", "create", "s", "g", "$"])), ["s"]);
    assert!(!has_keys(lookup(b"ping").unwrap()));
    assert!(!has_keys(lookup(b"ssubscribe").unwrap()));
    assert!(has_keys(lookup(b"sort").unwrap()));
}

#[test]
fn completion() {
    assert_eq!(complete("PERS"), vec!["PERSIST"]);
    assert_eq!(complete("getr"), vec!["GETRANGE"]);
}

#[test]
fn hints() {
    assert_eq!(hint("SET").as_deref(), Some(" key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]"));
    assert_eq!(hint("set k ").as_deref(), Some("value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]"));
    assert_eq!(hint("get k "), None);
    assert_eq!(hint("del a ").as_deref(), Some("[key ...]"));
    assert_eq!(
        hint("config get ").as_deref(),
        Some("parameter [parameter ...]")
    );
    assert_eq!(hint("nosuch "), None);
}

#[test]
fn help_texts() {
    assert_eq!(
        help(&[b"get".to_vec()]),
        "\n  GET key\n  summary: Get the value of a key\n  since: 1.0.0\n  group: string\n"
    );
    assert!(help(&[b"@string".to_vec()]).contains("\n  INCRBYFLOAT key increment\n"));
    assert!(help(&[b"config".to_vec(), b"get".to_vec()]).contains("CONFIG GET parameter"));
}
