//! apply: executes a finished plan against a live database, for pipelines that run unattended
//! against production.
//!
//! The safety model (docs/apply.md) in one paragraph: one apply at a time per database (a
//! session advisory lock, [`lock::LOCK_KEY`]); a saved plan runs only on the schema it was
//! computed from (fingerprint check under that lock); steps that lose data are refused unless
//! allowed ([`gate`]); every step runs with a `lock_timeout`, and a lock timeout retries the
//! whole transaction group with jittered backoff ([`exec`]); consecutive transactional steps
//! commit together, the others alone, and a failure reports exactly which steps committed and
//! the rollback of that part; invalid indexes left by failed concurrent builds are dropped
//! before planning ([`invalid`]); the result is re-inspected and compared with the target
//! ([`check`]).
//!
//! apply never re-plans a saved plan and never writes SQL of its own beyond session settings,
//! the advisory lock and `DROP INDEX CONCURRENTLY` of invalid indexes: the DDL comes from the
//! plan. [`command()`] is the only part that knows the command line; the rest takes plain
//! options.

pub mod check;
mod command;
pub mod exec;
pub mod gate;
pub mod invalid;
pub mod lock;
pub mod plan_file;

pub use command::command;

use crate::plan::HazardKind;
use std::time::Duration;

/// Every hazard kind, for parsing `--allow-hazards` and listing the accepted names.
const HAZARD_KINDS: &[HazardKind] = &[
    HazardKind::DataLoss,
    HazardKind::TableRewrite,
    HazardKind::AccessExclusiveLock,
    HazardKind::IndexBuild,
    HazardKind::ValidationScan,
    HazardKind::NonTransactional,
    HazardKind::Irreversible,
];

/// Parses a hazard kind by its stable name (`data_loss`, ...), for `--allow-hazards`.
pub fn parse_hazard_kind(s: &str) -> Result<HazardKind, String> {
    let s = s.trim();
    HAZARD_KINDS
        .iter()
        .copied()
        .find(|k| k.as_str() == s)
        .ok_or_else(|| {
            let names: Vec<&str> = HAZARD_KINDS.iter().map(|k| k.as_str()).collect();
            format!("unknown hazard kind {s:?} (one of {})", names.join(", "))
        })
}

/// Parses a duration such as `5s`, `500ms`, `2m` or `1h`. A bare number means milliseconds,
/// as for Postgres's own timeout settings.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = num
        .parse()
        .map_err(|_| format!("invalid duration {s:?} (examples: 500ms, 5s, 2m)"))?;
    let ms = match unit.trim() {
        "" | "ms" => value,
        "s" => value * 1e3,
        "m" | "min" => value * 60e3,
        "h" => value * 3600e3,
        other => {
            return Err(format!(
                "invalid duration unit {other:?} in {s:?} (use ms, s, m or h)"
            ));
        }
    };
    if !ms.is_finite() || ms < 0.0 || ms > u32::MAX as f64 {
        return Err(format!("duration {s:?} is out of range"));
    }
    Ok(Duration::from_millis(ms.round() as u64))
}

/// A duration as a person reads it: `850 ms`, `4.2 s`, `3 min 5 s`.
pub fn human_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1_000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        format!("{:.1} s", d.as_secs_f64())
    } else if ms % 60_000 < 1_000 {
        format!("{} min", ms / 60_000)
    } else {
        format!("{} min {} s", ms / 60_000, (ms % 60_000) / 1_000)
    }
}

/// `n` and `noun`, in the plural unless `n` is 1: `1 step`, `3 steps`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_like_postgres_settings() {
        assert_eq!(parse_duration("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("1500"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert!(parse_duration("5 parsecs").unwrap_err().contains("unit"));
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn durations_print_for_people() {
        assert_eq!(human_duration(Duration::from_millis(850)), "850 ms");
        assert_eq!(human_duration(Duration::from_millis(4_240)), "4.2 s");
        assert_eq!(human_duration(Duration::from_secs(60)), "1 min");
        assert_eq!(human_duration(Duration::from_secs(185)), "3 min 5 s");
    }

    #[test]
    fn counts_agree_with_their_nouns() {
        assert_eq!(count(1, "step"), "1 step");
        assert_eq!(count(0, "step"), "0 steps");
    }

    #[test]
    fn hazard_kinds_parse_by_their_stable_names() {
        for k in HAZARD_KINDS {
            assert_eq!(parse_hazard_kind(k.as_str()), Ok(*k));
        }
        assert!(
            parse_hazard_kind("dataloss")
                .unwrap_err()
                .contains("data_loss")
        );
    }
}
