use super::*;
use cachelab_core::sim;

#[test]
fn every_preset_round_trips_through_the_form() {
    for p in presets() {
        let form = Form::from_preset(&p, Speed::Normal);
        let cfg = form.config().expect(p.id);
        let want = SimConfig {
            sample_every: cfg.sample_every,
            event_limit: cfg.event_limit,
            ..p.config.clone()
        };
        // Capacity goes through rows; everything else is exact.
        if let (Some(a), Some(b)) = (cfg.capacity_bytes, want.capacity_bytes) {
            let per = cfg.capacity_for_keys(1) - cfg.capacity_for_keys(0);
            assert!(a.abs_diff(b) <= per, "{}: {a} vs {b}", p.id);
        }
        assert_eq!(
            SimConfig {
                capacity_bytes: want.capacity_bytes,
                ..cfg
            },
            want,
            "{}",
            p.id
        );
        assert_eq!(form.strategies()[1], p.compare_with);
        assert_eq!(form.preset, Some(p.id));
    }
}

#[test]
fn the_homepage_preset_gives_the_lessons_numbers() {
    let form = Form::default();
    assert_eq!(form.preset, Some(DEFAULT_PRESET));
    let cfg = form.config().unwrap();
    let (a, b) = sim::compare(&cfg, form.compare.unwrap()).unwrap();
    assert_eq!((a.metrics.db_queries, b.metrics.db_queries), (1, 10_000));
}

#[test]
fn typing_keeps_the_text_and_only_valid_values_count() {
    let mut form = Form::default();
    form.apply(FormAction::Field(FieldId::Requests, "20,000".into()));
    assert_eq!(form.value(FieldId::Requests), 20_000.0);
    assert_eq!(form.text(FieldId::Requests), "20,000");
    assert_eq!(form.preset, None, "an edit makes the form custom");

    form.apply(FieldId::Requests.edit("2e"));
    assert_eq!(form.error(FieldId::Requests), Some("enter a number"));
    assert_eq!(
        form.value(FieldId::Requests),
        20_000.0,
        "the last valid value stays"
    );
    assert_eq!(
        form.config().unwrap_err(),
        "Requests — enter a number",
        "no run with a broken field"
    );

    form.apply(FieldId::Requests.edit("1.5"));
    assert_eq!(form.error(FieldId::Requests), Some("enter a whole number"));
    form.apply(FieldId::Requests.edit("0"));
    assert_eq!(form.error(FieldId::Requests), Some("from 1 to 1,000,000"));
    form.apply(FieldId::Requests.edit(" 5000 "));
    assert_eq!(form.error(FieldId::Requests), None);
    assert_eq!(form.config().unwrap().requests, 5_000);
}

#[test]
fn units_are_converted() {
    let mut form = Form::default();
    for (id, text) in [
        (FieldId::CacheLatency, "0.5"),
        (FieldId::DbLatency, "12.5"),
        (FieldId::ReadPercent, "75"),
        (FieldId::Flush, "2.5"),
        (FieldId::Keys, "500"),
        (FieldId::Capacity, "100"),
    ] {
        form.apply(id.edit(text));
    }
    form.apply(FormAction::Zipf(true));
    let cfg = form.config().unwrap();
    assert_eq!(cfg.cache_latency_us, 500);
    assert_eq!(cfg.db_latency_us, 12_500);
    assert_eq!(cfg.read_ratio, 0.75);
    assert_eq!(cfg.flush_interval_ms, 2_500);
    assert_eq!(cfg.key_prefix, "item:", "many keys get a row prefix");
    assert!(matches!(cfg.popularity, Popularity::Zipf { .. }));
    let bytes = cfg.capacity_bytes.unwrap();
    assert_eq!(bytes, cfg.capacity_for_keys(100));
    assert_eq!(rows_for(&cfg, bytes), 100);
    assert_eq!(form.maxmemory(), Some(bytes));
    form.apply(FieldId::Capacity.edit("0"));
    assert_eq!(form.config().unwrap().capacity_bytes, None);
    assert_eq!(form.maxmemory(), None);
}

#[test]
fn presets_strategies_and_relevance() {
    let mut form = Form::default();
    form.apply(FormAction::Preset("write-behind-crash".into()));
    assert_eq!(
        form.strategies(),
        [Strategy::WriteBehind, Strategy::WriteThrough]
    );
    assert_eq!(form.scheduled_faults().len(), 1);
    assert!(form.relevant(FieldId::Flush));
    form.apply(FormAction::Strategy(Strategy::WriteThrough));
    assert_eq!(
        form.strategies(),
        [Strategy::WriteThrough],
        "the same strategy twice runs once"
    );
    assert!(!form.relevant(FieldId::Flush));
    assert_eq!(
        form.preset,
        Some("write-behind-crash"),
        "strategies aren't parameters"
    );
    form.apply(FormAction::ClearScheduledFaults);
    assert!(form.scheduled_faults().is_empty());
    form.apply(FormAction::Compare(Some(Strategy::NoCache)));
    form.apply(FormAction::Strategy(Strategy::NoCache));
    assert!(!form.relevant(FieldId::Ttl));
    form.apply(FormAction::Preset("custom".into()));
    assert_eq!(form.preset, None);
    form.apply(FormAction::Speed(Speed::Instant));
    form.apply(FormAction::Preset("homepage".into()));
    assert_eq!(
        form.speed,
        Speed::Instant,
        "a preset keeps the chosen speed"
    );
    assert!(form
        .summary()
        .starts_with("10,000 requests · 1000/s · 100% reads · 1 key"));
}

#[test]
fn faults_in_words() {
    assert_eq!(fault_name(FaultKind::CacheRestart), "cache restart");
    assert_eq!(
        fault_name(FaultKind::DbSlow { factor: 10.0 }),
        "database ×10 slower"
    );
    assert_eq!(
        fault_name(FaultKind::DbSlow { factor: 1.0 }),
        "database back to normal"
    );
    for s in Speed::ALL {
        assert_eq!(Speed::from_id(s.id()), Some(s));
    }
}

impl FieldId {
    fn edit(self, text: &str) -> FormAction {
        FormAction::Field(self, text.to_string())
    }
}
