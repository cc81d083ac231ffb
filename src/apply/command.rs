//! `pgdiff apply`: the command's flow, from validated arguments to an exit code. The only part
//! of `apply` that knows the command line.
//!
//! Order matters for safety: inputs that can be checked offline (the plan file, whether
//! confirmation is possible) are checked before connecting; the advisory lock is taken before
//! the live schema is read and held until the result is verified, so the schema planned or
//! fingerprinted is the schema migrated; the hazard gates run before anything executes; and
//! nothing but `--dry-run` output happens before confirmation.

use super::exec::{self, ExecOptions, FailureKind, Outcome, StepState};
use super::gate::{self, Allowed};
use super::invalid::{self, InvalidIndex};
use super::{check, count, human_duration, lock, plan_file};
use crate::app::{self, Exit};
use crate::catalog::{self, Filter};
use crate::cli::{self, ApplyArgs};
use crate::conn::Target;
use crate::diff::DiffOptions;
use crate::model::{ObjectId, Schema};
use crate::plan::{self, Plan, PlanOptions};
use crate::render;
use crate::source::{Desired, Shadow};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};
use tokio_postgres::Client;

/// Exit code when hazard gates refuse the plan.
pub const EXIT_HAZARDS: i32 = 3;

fn fail(message: impl std::fmt::Display) -> Exit {
    Exit {
        code: 1,
        message: message.to_string(),
    }
}

/// What the result is checked against after the run.
enum Goal {
    /// The desired model, compared with these options.
    Desired(Box<Schema>, DiffOptions),
    /// A saved plan's target fingerprint and changes.
    Saved,
}

/// Everything decided before executing.
struct Prepared {
    plan: Plan,
    /// The live schema the plan starts from (without the invalid indexes to drop).
    before: Schema,
    /// Invalid indexes to drop before the plan runs.
    drop_first: Vec<InvalidIndex>,
    /// Declared renames (new identity → old), to rename back in a rollback.
    renames: BTreeMap<ObjectId, ObjectId>,
    goal: Goal,
}

/// Runs `pgdiff apply`.
pub async fn command(a: ApplyArgs, color: bool) -> Result<i32, Exit> {
    // Offline checks first: a bad plan file or a run that could never be confirmed should
    // not cost a connection, let alone a lock.
    let saved = match &a.plan {
        Some(path) => Some(plan_file::read(path).map_err(fail)?),
        None => None,
    };
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if !a.yes && !a.dry_run && !interactive {
        return Err(fail(
            "refusing to apply without confirmation: not running on a terminal; review the plan \
             (pgdiff plan, or apply --dry-run) and pass --yes",
        ));
    }
    let filter = Filter {
        include: a.filter.schemas.clone(),
        exclude: a.filter.exclude_schemas.clone(),
    };
    let target = Target::parse(&cli::database_or_env(&a.database)).map_err(fail)?;
    let client = target.connect().await.map_err(fail)?;
    let mut err = std::io::stderr();
    // A dry run changes nothing, so it neither waits for nor blocks a real apply.
    if !a.dry_run {
        lock::acquire(&client, target.dbname(), a.lock_wait, &mut err)
            .await
            .map_err(fail)?;
    }
    let result = locked(&a, saved, &target, &client, &filter, color, interactive).await;
    if !a.dry_run && !client.is_closed() {
        // Best effort: closing the connection releases the lock anyway.
        let _ = lock::release(&client).await;
    }
    result
}

async fn locked(
    a: &ApplyArgs,
    saved: Option<Plan>,
    target: &Target,
    client: &Client,
    filter: &Filter,
    color: bool,
    interactive: bool,
) -> Result<i32, Exit> {
    let mut err = std::io::stderr();
    let invalid = invalid::find(client, filter).await.map_err(fail)?;
    let live = catalog::inspect(client, filter)
        .await
        .map_err(|e| fail(format!("inspecting {target}: {e}")))?;
    let prepared = match saved {
        Some(p) => prepare_saved(a, p, &live.schema, invalid)?,
        None => prepare_desired(a, &live, invalid, filter, color).await?,
    };
    let Prepared {
        plan: p,
        before,
        drop_first,
        renames,
        goal,
    } = prepared;
    for i in &drop_first {
        let _ = writeln!(
            err,
            "invalid index {} on {} (left by a failed concurrent build) will be dropped{}",
            i.name,
            i.table,
            if p.steps
                .iter()
                .any(|s| s.id.kind == crate::model::ObjectKind::Index && s.id.qual_name() == i.name)
            {
                " and built again"
            } else {
                ""
            }
        );
    }
    if p.is_empty() && drop_first.is_empty() {
        let _ = writeln!(
            err,
            "nothing to apply: {target} already matches the target schema"
        );
        return Ok(0);
    }

    let blocked = gate::blocked(
        &p.steps,
        &Allowed {
            kinds: a.allow_hazards.iter().copied().collect(),
            destructive: a.allow_destructive,
        },
    );
    if !blocked.is_empty() {
        let _ = write!(err, "{}", gate::describe(&blocked, p.steps.len()));
        return Err(Exit {
            code: EXIT_HAZARDS,
            message: gate::advice(&blocked),
        });
    }

    if a.dry_run {
        let mut out = String::new();
        for i in &drop_first {
            out.push_str(&format!(
                "-- drop invalid index {} (outside a transaction)\n{}\n",
                i.name,
                invalid::drop_sql(&i.name)
            ));
        }
        out.push_str(&render::sql(&p.steps, "pgdiff apply --dry-run: would run"));
        print_stdout(&out)?;
        let _ = writeln!(err, "dry run: nothing was executed");
        return Ok(0);
    }

    if !a.yes {
        debug_assert!(interactive);
        if !confirm(&format!(
            "Apply {} steps to {target}? [y/N] ",
            p.steps.len()
        ))
        .await
        {
            return Err(fail("not applied: not confirmed"));
        }
    }

    let lock_timeout = a.lock_timeout.unwrap_or(Duration::from_secs(5));
    for i in &drop_first {
        let _ = write!(err, "dropping invalid index {} ... ", i.name);
        let started = Instant::now();
        invalid::drop(client, &i.name, lock_timeout)
            .await
            .map_err(|e| fail(format!("{e}; nothing else was executed")))?;
        let _ = writeln!(err, "{}", human_duration(started.elapsed()));
    }

    let _ = writeln!(err, "applying {} to {target}", count(p.steps.len(), "step"));
    let started = Instant::now();
    let opts = ExecOptions {
        lock_timeout: a.lock_timeout,
        statement_timeout: a.statement_timeout,
        retries: a.retries,
        ..ExecOptions::default()
    };
    let outcome = exec::execute(client, &p.steps, &opts, &mut err).await;
    if outcome.failure.is_some() {
        return Err(report_failure(target, &p, &before, &renames, &outcome, filter).await);
    }

    let after = catalog::inspect(client, filter)
        .await
        .map_err(|e| fail(format!("re-inspecting {target} after applying: {e}")))?;
    let astray = match &goal {
        Goal::Desired(desired, opts) => check::against_desired(&after.schema, desired, opts),
        Goal::Saved => check::against_plan(&before, &after.schema, &p),
    };
    if !astray.is_empty() {
        return Err(fail(format!(
            "applied all {}, but {} still differ from the target: {} (run pgdiff plan to see \
             the difference)",
            count(p.steps.len(), "step"),
            count(astray.len(), "object"),
            check::name_list(&astray)
        )));
    }
    let how = match goal {
        Goal::Saved if plan::fingerprint(&after.schema) != p.target_fingerprint => {
            "made exactly the plan's changes (the target fingerprint also covers what the plan \
             was not asked to change, such as privileges)"
                .to_string()
        }
        _ => format!("{target} matches the target schema"),
    };
    let _ = writeln!(
        err,
        "applied {} in {}; {how}",
        count(p.steps.len(), "step"),
        human_duration(started.elapsed())
    );
    Ok(0)
}

/// A saved plan: applies only to the schema it was made from.
fn prepare_saved(
    a: &ApplyArgs,
    p: Plan,
    live: &Schema,
    invalid: Vec<InvalidIndex>,
) -> Result<Prepared, Exit> {
    let path = a
        .plan
        .as_deref()
        .unwrap_or(std::path::Path::new("plan"))
        .display();
    let live_fp = plan::fingerprint(live);
    let cleaned = invalid::without(live, &invalid);
    let (before, drop_first) = if live_fp == p.source_fingerprint {
        // Planned with the invalid indexes counted as present: leave them, or the result
        // would lack them.
        for i in &invalid {
            eprintln!(
                "warning: index {} is invalid (a failed concurrent build); the plan counts it as \
                 present, so it stays invalid: plan again after this apply to rebuild it",
                i.name
            );
        }
        (live.clone(), Vec::new())
    } else if !invalid.is_empty() && plan::fingerprint(&cleaned) == p.source_fingerprint {
        // Typically this plan's own concurrent build, failed in an earlier run.
        (cleaned, invalid)
    } else if live_fp == p.target_fingerprint {
        eprintln!("the plan in {path} has already been applied");
        return Ok(Prepared {
            plan: Plan {
                steps: Vec::new(),
                ..p
            },
            before: live.clone(),
            drop_first: Vec::new(),
            renames: BTreeMap::new(),
            goal: Goal::Saved,
        });
    } else {
        return Err(fail(format!(
            "the database schema changed since the plan in {path} was made (live fingerprint \
             {}, plan made from {}): nothing was executed; make a new plan with \
             `pgdiff plan --format json` against the database as it is now and review it{}",
            &live_fp[..12],
            &p.source_fingerprint[..12],
            if a.filter.schemas.is_empty() && a.filter.exclude_schemas.is_empty() {
                " (if the plan was made with --schema or --exclude-schema, pass the same here)"
            } else {
                ""
            }
        )));
    };
    let mut summary = format!(
        "plan {path}: {}, made by pgdiff {}; the live schema is the one it was made from\n",
        count(p.steps.len(), "step"),
        p.pgdiff_version
    );
    for (i, s) in p.steps.iter().enumerate() {
        summary.push_str(&format!(
            "  {:>3}. {} {}{}",
            i + 1,
            exec::phase_word(s.phase),
            s.id,
            if s.transactional {
                ""
            } else {
                " (outside a transaction)"
            }
        ));
        if !s.hazards.is_empty() {
            let kinds: Vec<&str> = s.hazards.iter().map(|h| h.kind.as_str()).collect();
            summary.push_str(&format!("  [{}]", kinds.join(", ")));
        }
        summary.push('\n');
    }
    eprint!("{summary}");
    Ok(Prepared {
        plan: p,
        before,
        drop_first,
        renames: BTreeMap::new(),
        goal: Goal::Saved,
    })
}

/// Desired SQL (or a database): plans from the live schema, as `pgdiff plan` does.
async fn prepare_desired(
    a: &ApplyArgs,
    live: &catalog::Inspection,
    invalid: Vec<InvalidIndex>,
    filter: &Filter,
    color: bool,
) -> Result<Prepared, Exit> {
    let arg = a.desired.as_deref().unwrap_or("desired");
    let shadow_url = a.shadow.shadow.as_deref();
    let source = Desired::parse(arg);
    let (desired, shadow, renames) = match source {
        Desired::Database(url) => (
            app::inspect_database(&url, filter).await?,
            None,
            Default::default(),
        ),
        Desired::Sql(path) => {
            let (i, s, renames) =
                app::load_desired_sql(&path, filter, shadow_url, Some(live.major_version()))
                    .await?;
            (i, Some(s), renames)
        }
    };
    // Plan as if the invalid indexes were already gone: they are dropped first, and built
    // again if the desired schema has them.
    let before = invalid::without(&live.schema, &invalid);
    let opts = PlanOptions {
        diff: DiffOptions {
            privileges: a.privileges,
            renames: renames.clone(),
        },
        online: a.online,
    };
    let p = plan::plan(&before, &desired.schema, &opts).map_err(fail)?;
    if !a.no_verify && !p.is_empty() {
        let shadow = match shadow {
            Some(s) => s,
            None => match shadow_url {
                Some(u) => Shadow::server(u).map_err(fail)?,
                None => {
                    Shadow::embedded(Some(live.major_version()))
                        .map_err(fail)?
                        .0
                }
            },
        };
        crate::verify::verify(&shadow, &before, &desired.schema, &p, filter)
            .await
            .map_err(|e| {
                fail(format!(
                    "verifying the plan on a shadow database (pass --no-verify to skip): {e:#}"
                ))
            })?;
    }
    if !p.is_empty() {
        eprint!("{}", render::human(&p, &before, &desired.schema, color));
    }
    Ok(Prepared {
        plan: p,
        before,
        drop_first: invalid,
        renames,
        // Once applied, renamed objects have their new names: compare plainly.
        goal: Goal::Desired(
            Box::new(desired.schema),
            DiffOptions {
                privileges: a.privileges,
                ..Default::default()
            },
        ),
    })
}

/// Asks on the terminal; true for `y` or `yes`.
async fn confirm(question: &str) -> bool {
    eprint!("{question}");
    let _ = std::io::stderr().flush();
    let answer = tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map(|_| line)
    })
    .await;
    matches!(answer, Ok(Ok(l)) if matches!(l.trim().to_ascii_lowercase().as_str(), "y" | "yes"))
}

fn print_stdout(s: &str) -> Result<(), Exit> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(fail(format!("writing output: {e}")))
        }
        _ => Ok(()),
    }
}

/// `1`, `1-3`, `1-3, 5`: step numbers (1-based) as ranges.
fn ranges(steps: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < steps.len() {
        let mut j = i;
        while j + 1 < steps.len() && steps[j + 1] == steps[j] + 1 {
            j += 1;
        }
        parts.push(if i == j {
            format!("{}", steps[i] + 1)
        } else {
            format!("{}-{}", steps[i] + 1, steps[j] + 1)
        });
        i = j + 1;
    }
    parts.join(", ")
}

/// Prints where the run stopped, what committed and the rollback of the committed part;
/// returns the one-line error.
async fn report_failure(
    target: &Target,
    p: &Plan,
    before: &Schema,
    renames: &BTreeMap<ObjectId, ObjectId>,
    outcome: &Outcome,
    filter: &Filter,
) -> Exit {
    let f = outcome.failure.as_ref().expect("a failure");
    let step = &p.steps[f.step];
    let mut err = std::io::stderr();
    let committed = outcome.steps_where(|s| s == StepState::Committed);
    let partial = outcome.steps_where(|s| matches!(s, StepState::Partial { .. }));
    let unknown = outcome.steps_where(|s| s == StepState::Unknown);
    let not_applied = outcome.steps_where(|s| s == StepState::NotApplied);
    let mut text = format!(
        "\napply stopped at step {} of {} ({} {})\n  statement: {}\n  error: {}\n",
        f.step + 1,
        p.steps.len(),
        exec::phase_word(step.phase),
        step.id,
        f.statement,
        f.message.replace('\n', "\n         ")
    );
    let list = |ids: &[usize]| -> String {
        if ids.is_empty() {
            return " none\n".into();
        }
        let items: String = ids
            .iter()
            .map(|&i| {
                format!(
                    "    {}. {} {}\n",
                    i + 1,
                    exec::phase_word(p.steps[i].phase),
                    p.steps[i].id
                )
            })
            .collect();
        format!("\n{items}")
    };
    if f.kind == FailureKind::CommitUnknown {
        text.push_str(
            "  the connection was lost while committing: the last transaction group may or may \
             not have committed; the rollback below is computed from the database as it is now \
             when it can be read\n",
        );
    }
    text.push_str(&format!(
        "committed ({}):{}",
        committed.len(),
        list(&committed)
    ));
    if !partial.is_empty() {
        text.push_str(&format!(
            "partially applied, outside a transaction ({}):{}",
            partial.len(),
            list(&partial)
        ));
    }
    if !unknown.is_empty() {
        text.push_str(&format!(
            "committed or not, unknown ({}):{}",
            unknown.len(),
            list(&unknown)
        ));
    }
    text.push_str(&format!(
        "not applied ({}):{}",
        not_applied.len(),
        list(&not_applied)
    ));
    let _ = write!(err, "{text}");

    let anything = !committed.is_empty() || !partial.is_empty() || !unknown.is_empty();
    if anything {
        // Best: plan from the database as it is now back to the schema before the run, which
        // is exact whatever committed. Without a connection, fall back to the plan's own
        // rollback steps of the committed objects.
        let (rollback, how) = match exact_rollback(target, before, renames, filter).await {
            Ok(steps) => (steps, "planned from the database as it is now"),
            Err(e) => {
                let _ = writeln!(err, "  (cannot read the database now: {e})");
                (
                    exec::rollback_of_committed(&p.steps, &p.rollback, &outcome.states),
                    "the plan's rollback steps for the committed objects",
                )
            }
        };
        let _ = writeln!(
            err,
            "rollback of the committed part ({how}; run it with psql -v ON_ERROR_STOP=1):"
        );
        let _ = write!(
            err,
            "{}",
            render::sql(&rollback, "pgdiff apply: rollback of the committed steps")
        );
    } else {
        let _ = writeln!(
            err,
            "nothing was committed: the database is as it was before"
        );
    }

    let what = match &f.kind {
        FailureKind::LockTimeout { tries } => format!(
            "could not get a lock in time after {tries} tries ({}); another session holds a \
             conflicting lock: retry later, or raise --lock-timeout / --retries",
            f.one_line()
        ),
        FailureKind::ConnectionLost => format!(
            "the connection to the server was lost ({}); the server rolled back the open \
             transaction",
            f.one_line()
        ),
        FailureKind::CommitUnknown => format!(
            "the connection was lost while committing ({})",
            f.one_line()
        ),
        FailureKind::Statement => f.one_line(),
    };
    let done = if !anything {
        "nothing was committed".to_string()
    } else {
        let mut parts = Vec::new();
        for (ids, what) in [
            (&committed, "committed"),
            (&partial, "partially committed"),
            (&unknown, "maybe committed"),
        ] {
            if !ids.is_empty() {
                let noun = if ids.len() == 1 { "step" } else { "steps" };
                parts.push(format!("{noun} {} {what}", ranges(ids)));
            }
        }
        format!(
            "{} (rollback printed above); fix the cause and run apply again to continue",
            parts.join(", ")
        )
    };
    fail(format!(
        "step {} of {} ({}) failed: {what}; {done}",
        f.step + 1,
        p.steps.len(),
        step.id
    ))
}

/// The steps from the database as it is now back to `before`, on a fresh connection (the
/// run's may be gone).
async fn exact_rollback(
    target: &Target,
    before: &Schema,
    renames: &BTreeMap<ObjectId, ObjectId>,
    filter: &Filter,
) -> Result<Vec<plan::Step>, String> {
    let client = target.connect().await.map_err(|e| e.to_string())?;
    let now = catalog::inspect(&client, filter)
        .await
        .map_err(|e| e.to_string())?;
    // Privileges compared: the way back must undo every change the run made. Renames that
    // committed are renamed back (a rename applies only where the old name still exists).
    let opts = PlanOptions {
        diff: DiffOptions {
            privileges: true,
            renames: renames
                .iter()
                .map(|(new, old)| (old.clone(), new.clone()))
                .collect(),
        },
        online: false,
    };
    plan::plan(&now.schema, before, &opts)
        .map(|p| p.steps)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::ranges;

    #[test]
    fn step_ranges_are_compact_and_one_based() {
        assert_eq!(ranges(&[0, 1, 2, 4, 6, 7]), "1-3, 5, 7-8");
        assert_eq!(ranges(&[3]), "4");
        assert_eq!(ranges(&[]), "");
    }
}
