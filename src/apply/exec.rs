//! Running the steps of a plan on a live connection.
//!
//! Consecutive transactional steps run in one transaction (a *group*): either all of them
//! commit or none does, so a failure never leaves half of a group behind. A step that cannot
//! run in a transaction block (`CREATE INDEX CONCURRENTLY`, `ALTER TYPE ... ADD VALUE`) is a
//! group of its own, each of its statements committing by itself.
//!
//! Every step runs under its own `lock_timeout` and `statement_timeout` (`SET LOCAL` inside a
//! group), so no DDL queues behind a long transaction while blocking every query that
//! arrives after it. A lock timeout (SQLSTATE 55P03, or a deadlock, 40P01) rolls the group
//! back and tries it again after a jittered, exponentially growing pause, up to `retries`
//! more times; any other error ends the run. The outcome records, per step, whether it
//! committed, so the caller can say exactly where the run stopped and which rollback undoes
//! what did commit.

use crate::plan::{Phase, Step};
use std::io::Write;
use std::ops::Range;
use std::time::{Duration, Instant};
use tokio_postgres::Client;
use tokio_postgres::error::SqlState;

/// The longest pause between two tries.
const MAX_BACKOFF: Duration = Duration::from_secs(10);

/// How to run the steps.
#[derive(Debug, Clone)]
pub struct ExecOptions {
    /// `lock_timeout` for every step; `None`: each step's suggested timeout.
    pub lock_timeout: Option<Duration>,
    /// `statement_timeout` for every step; `None`: each step's suggested timeout, if any.
    pub statement_timeout: Option<Duration>,
    /// How many times a group that hit a lock timeout is tried again.
    pub retries: u32,
    /// The pause before the first retry; it doubles with each further one (with jitter).
    pub backoff: Duration,
}

impl Default for ExecOptions {
    fn default() -> Self {
        ExecOptions {
            lock_timeout: None,
            statement_timeout: None,
            retries: 3,
            backoff: Duration::from_millis(500),
        }
    }
}

/// Where a step stands after the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepState {
    /// Committed.
    Committed,
    /// A non-transactional step of which some statements committed before one failed.
    Partial {
        /// How many of its statements committed.
        statements: usize,
    },
    /// Nothing of it is in the database (never run, or rolled back with its group).
    NotApplied,
    /// In the group whose `COMMIT` lost its connection: committed or not, nobody can tell
    /// from this session.
    Unknown,
}

/// Why the run stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailureKind {
    /// The step kept hitting `lock_timeout`.
    LockTimeout {
        /// How many times it was tried.
        tries: u32,
    },
    /// The connection was lost (backend terminated, server restart, network); the open
    /// transaction, if any, was rolled back by the server.
    ConnectionLost,
    /// The connection was lost while committing: the group may or may not have committed.
    CommitUnknown,
    /// The statement failed (including `statement_timeout`).
    Statement,
}

/// The error that stopped the run.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The failing step (0-based).
    pub step: usize,
    /// The failing statement (`COMMIT` when the commit failed).
    pub statement: String,
    /// The server's or driver's message (may span lines: detail and hint).
    pub message: String,
    /// What kind of failure.
    pub kind: FailureKind,
}

impl Failure {
    /// One line: the message with its detail and hint joined.
    pub fn one_line(&self) -> String {
        self.message.replace('\n', "; ")
    }
}

/// The result of a run.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Per step, in plan order.
    pub states: Vec<StepState>,
    /// Why the run stopped early, if it did.
    pub failure: Option<Failure>,
}

impl Outcome {
    /// Indexes of the steps in `state`.
    pub fn steps_where(&self, f: impl Fn(StepState) -> bool) -> Vec<usize> {
        (0..self.states.len())
            .filter(|&i| f(self.states[i]))
            .collect()
    }
}

/// The transaction groups of `steps`: maximal runs of transactional steps, and each
/// non-transactional step alone.
pub fn groups(steps: &[Step]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for (i, s) in steps.iter().enumerate() {
        match out.last_mut() {
            Some(g) if s.transactional && steps[g.start].transactional => g.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

/// The word for a phase, as in the SQL rendering's comments.
pub fn phase_word(p: Phase) -> &'static str {
    match p {
        Phase::Rename => "rename",
        Phase::Create => "create",
        Phase::Alter => "alter",
        Phase::Drop => "drop",
    }
}

/// Whether trying again later may succeed: a lock timeout, or a deadlock (Postgres cancelled
/// this session's statement to break it). Either way the server rolled back the statement and
/// nothing of the transaction survives.
fn is_lock_timeout(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&SqlState::LOCK_NOT_AVAILABLE)
        || e.code() == Some(&SqlState::T_R_DEADLOCK_DETECTED)
}

/// Whether the session is gone: the server ended it (terminated backend, shutdown) or the
/// connection broke. The server then rolls back whatever transaction was open.
fn is_connection_lost(e: &tokio_postgres::Error, client: &Client) -> bool {
    if e.is_closed() || client.is_closed() {
        return true;
    }
    match e.code() {
        Some(c) => {
            *c == SqlState::ADMIN_SHUTDOWN
                || *c == SqlState::CRASH_SHUTDOWN
                || *c == SqlState::CANNOT_CONNECT_NOW
        }
        // No SQLSTATE: an I/O or protocol error, after which the connection is unusable.
        None => e.as_db_error().is_none(),
    }
}

/// A number in [0, 1) that differs between calls and between processes, for jitter. The
/// standard library's randomly keyed hasher is random enough to keep concurrent retries
/// apart, and spares a dependency.
fn random_fraction() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::hash::RandomState::new().build_hasher();
    h.write_u128(Instant::now().elapsed().as_nanos());
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// The pause before try number `retry + 1`: `base`·2^(retry−1), at most `MAX_BACKOFF`,
/// scaled by a random factor in [0.5, 1) so that sessions that collided do not collide again
/// in lockstep.
pub fn backoff(retry: u32, base: Duration) -> Duration {
    let exp = base
        .saturating_mul(1u32 << retry.saturating_sub(1).min(10))
        .min(MAX_BACKOFF);
    exp.mul_f64(0.5 + 0.5 * random_fraction())
}

/// The timeouts of step `s` as `SET` assignments (`SET LOCAL` when `local`).
fn timeouts_sql(s: &Step, opts: &ExecOptions, local: bool) -> String {
    let lock = opts
        .lock_timeout
        .map(|d| d.as_millis() as u64)
        .unwrap_or(s.lock_timeout_ms);
    let stmt = opts
        .statement_timeout
        .map(|d| d.as_millis() as u64)
        .or(s.statement_timeout_ms)
        .unwrap_or(0);
    let set = if local { "SET LOCAL" } else { "SET" };
    format!("{set} lock_timeout = '{lock}ms'; {set} statement_timeout = '{stmt}ms';")
}

struct Run<'a> {
    client: &'a Client,
    steps: &'a [Step],
    opts: &'a ExecOptions,
    progress: &'a mut dyn Write,
}

/// A failed statement inside a try.
struct Failed {
    step: usize,
    statement: String,
    error: tokio_postgres::Error,
}

/// Runs one statement (simple query protocol: no parameters, any statement).
async fn exec(client: &Client, step: usize, stmt: &str) -> Result<(), Failed> {
    client.batch_execute(stmt).await.map_err(|error| Failed {
        step,
        statement: stmt.to_string(),
        error,
    })
}

impl Run<'_> {
    fn start_step(&mut self, i: usize) {
        let s = &self.steps[i];
        let _ = write!(
            self.progress,
            "[{}/{}] {} {}{} ... ",
            i + 1,
            self.steps.len(),
            phase_word(s.phase),
            s.id,
            if s.transactional {
                ""
            } else {
                " (outside a transaction)"
            }
        );
        let _ = self.progress.flush();
    }

    fn end_step(&mut self, started: Instant) {
        let _ = writeln!(
            self.progress,
            "{}",
            super::human_duration(started.elapsed())
        );
    }

    fn say(&mut self, line: &str) {
        let _ = writeln!(self.progress, "{line}");
    }

    fn failure(&self, f: Failed, kind: FailureKind) -> Failure {
        Failure {
            step: f.step,
            statement: f.statement,
            message: crate::conn::db_message(&f.error),
            kind,
        }
    }

    /// One try of a transactional group; on error the transaction is still open (or the
    /// connection gone).
    async fn try_group(&mut self, g: &Range<usize>) -> Result<(), (Failed, bool)> {
        let (client, steps) = (self.client, self.steps);
        exec(client, g.start, "BEGIN")
            .await
            .map_err(|f| (f, false))?;
        for i in g.clone() {
            let s = &steps[i];
            self.start_step(i);
            let started = Instant::now();
            let mut result = exec(client, i, &timeouts_sql(s, self.opts, true)).await;
            for stmt in &s.sql {
                if result.is_err() {
                    break;
                }
                result = exec(client, i, stmt).await;
            }
            if let Err(f) = result {
                self.say("failed");
                return Err((f, false));
            }
            self.end_step(started);
        }
        let started = Instant::now();
        exec(client, g.end - 1, "COMMIT")
            .await
            .map_err(|f| (f, true))?;
        let which = if g.len() == 1 {
            format!("step {}", g.start + 1)
        } else {
            format!("steps {}-{}", g.start + 1, g.end)
        };
        self.say(&format!(
            "  committed {which} ({})",
            super::human_duration(started.elapsed())
        ));
        Ok(())
    }

    async fn run_group(&mut self, g: &Range<usize>) -> Result<(), Failure> {
        let mut tries = 0;
        loop {
            tries += 1;
            let Err((f, at_commit)) = self.try_group(g).await else {
                return Ok(());
            };
            if is_connection_lost(&f.error, self.client) {
                let kind = if at_commit {
                    FailureKind::CommitUnknown
                } else {
                    FailureKind::ConnectionLost
                };
                return Err(self.failure(f, kind));
            }
            // The transaction is aborted; end it so the session can go on. If even this
            // fails the session is unusable, which the next statement reports.
            let _ = self.client.batch_execute("ROLLBACK").await;
            if !is_lock_timeout(&f.error) {
                return Err(self.failure(f, FailureKind::Statement));
            }
            if tries > self.opts.retries {
                return Err(self.failure(f, FailureKind::LockTimeout { tries }));
            }
            let pause = backoff(tries, self.opts.backoff);
            self.say(&format!(
                "  lock timeout in step {} ({}); transaction rolled back, retrying in {} \
                 (try {} of {})",
                f.step + 1,
                self.steps[f.step].id,
                super::human_duration(pause),
                tries + 1,
                self.opts.retries + 1
            ));
            tokio::time::sleep(pause).await;
        }
    }

    /// A non-transactional step: each statement commits by itself; a lock timeout retries
    /// the statement that hit it. Returns how many statements committed alongside a failure.
    async fn run_alone(&mut self, i: usize) -> Result<(), (Failure, usize)> {
        let steps = self.steps;
        let s = &steps[i];
        self.start_step(i);
        let started = Instant::now();
        let setup = timeouts_sql(s, self.opts, false);
        for (k, stmt) in std::iter::once(&setup).chain(&s.sql).enumerate() {
            // Statements of the step that committed (the first one is the session setup).
            let done = k.saturating_sub(1);
            let mut tries = 0;
            loop {
                tries += 1;
                let Err(error) = self.client.batch_execute(stmt).await else {
                    break;
                };
                let f = Failed {
                    step: i,
                    statement: stmt.clone(),
                    error,
                };
                self.say("failed");
                if is_connection_lost(&f.error, self.client) {
                    return Err((self.failure(f, FailureKind::ConnectionLost), done));
                }
                if !is_lock_timeout(&f.error) {
                    return Err((self.failure(f, FailureKind::Statement), done));
                }
                if tries > self.opts.retries {
                    return Err((self.failure(f, FailureKind::LockTimeout { tries }), done));
                }
                // A concurrent index build that timed out while waiting for older
                // transactions leaves an invalid index behind; building again would fail on
                // the name.
                if s.id.kind == crate::model::ObjectKind::Index && s.phase == Phase::Create {
                    let lock = self
                        .opts
                        .lock_timeout
                        .unwrap_or(Duration::from_millis(s.lock_timeout_ms));
                    match super::invalid::drop_if_invalid(self.client, &s.id.qual_name(), lock)
                        .await
                    {
                        Ok(true) => self.say("  dropped the invalid index the failed build left"),
                        Ok(false) => {}
                        Err(e) => self.say(&format!("  warning: {e}")),
                    }
                }
                let pause = backoff(tries, self.opts.backoff);
                self.say(&format!(
                    "  lock timeout in step {} ({}); retrying in {} (try {} of {})",
                    i + 1,
                    s.id,
                    super::human_duration(pause),
                    tries + 1,
                    self.opts.retries + 1
                ));
                tokio::time::sleep(pause).await;
                self.start_step(i);
            }
        }
        self.end_step(started);
        Ok(())
    }
}

/// Runs `steps` in order on `client` (which must not be in a transaction), printing progress
/// per step with its duration to `progress`. Stops at the first failure.
pub async fn execute(
    client: &Client,
    steps: &[Step],
    opts: &ExecOptions,
    progress: &mut dyn Write,
) -> Outcome {
    let mut outcome = Outcome {
        states: vec![StepState::NotApplied; steps.len()],
        failure: None,
    };
    if steps.is_empty() {
        return outcome;
    }
    // Names in plans are fully qualified and function bodies may refer to objects created
    // later, as in the rendered script.
    if let Err(error) = client.batch_execute(crate::render::PREAMBLE).await {
        let lost = is_connection_lost(&error, client);
        outcome.failure = Some(Failure {
            step: 0,
            statement: crate::render::PREAMBLE.trim().to_string(),
            message: crate::conn::db_message(&error),
            kind: if lost {
                FailureKind::ConnectionLost
            } else {
                FailureKind::Statement
            },
        });
        return outcome;
    }
    let mut run = Run {
        client,
        steps,
        opts,
        progress,
    };
    for g in groups(steps) {
        if steps[g.start].transactional {
            match run.run_group(&g).await {
                Ok(()) => {
                    for i in g {
                        outcome.states[i] = StepState::Committed;
                    }
                }
                Err(f) => {
                    if f.kind == FailureKind::CommitUnknown {
                        // Unknowable from here; the caller re-inspects when it can.
                        for i in g {
                            outcome.states[i] = StepState::Unknown;
                        }
                    }
                    outcome.failure = Some(f);
                    return outcome;
                }
            }
        } else {
            match run.run_alone(g.start).await {
                Ok(()) => outcome.states[g.start] = StepState::Committed,
                Err((f, done)) => {
                    if done > 0 {
                        outcome.states[g.start] = StepState::Partial { statements: done };
                    }
                    outcome.failure = Some(f);
                    return outcome;
                }
            }
        }
    }
    outcome
}

/// The rollback steps that undo exactly the committed (or partially applied, or possibly
/// committed) forward steps:
/// those of `rollback` whose object is one the run changed, in the opposite sense (a created
/// object is dropped, a dropped one created, an altered or renamed one altered or renamed
/// back), in rollback order.
/// Used when the schema before the run is not at hand to plan the way back precisely.
pub fn rollback_of_committed(
    forward: &[Step],
    rollback: &[Step],
    states: &[StepState],
) -> Vec<Step> {
    let undone = |r: &Step| {
        forward.iter().zip(states).any(|(s, st)| {
            *st != StepState::NotApplied
                && s.id == r.id
                && matches!(
                    (s.phase, r.phase),
                    (Phase::Create, Phase::Drop)
                        | (Phase::Drop, Phase::Create)
                        | (Phase::Alter, Phase::Alter)
                        | (Phase::Rename, Phase::Rename)
                )
        })
    };
    rollback.iter().filter(|r| undone(r)).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(id: &str, phase: Phase, transactional: bool) -> Step {
        Step {
            id: id.parse().unwrap(),
            phase,
            sql: vec!["SELECT 1;".into()],
            hazards: Vec::new(),
            transactional,
            lock_timeout_ms: 5000,
            statement_timeout_ms: None,
            restores_data: None,
        }
    }

    #[test]
    fn transactional_runs_group_and_others_stand_alone() {
        let steps = vec![
            step("table:public.a", Phase::Create, true),
            step("table:public.b", Phase::Create, true),
            step("index:public.i", Phase::Create, false),
            step("index:public.j", Phase::Create, false),
            step("view:public.v", Phase::Create, true),
        ];
        assert_eq!(groups(&steps), vec![0..2, 2..3, 3..4, 4..5]);
        assert!(groups(&[]).is_empty());
    }

    #[test]
    fn backoff_grows_is_bounded_and_jittered() {
        let base = Duration::from_millis(400);
        for retry in 1..20 {
            let d = backoff(retry, base);
            let cap = base
                .saturating_mul(1 << (retry - 1).min(10))
                .min(MAX_BACKOFF);
            assert!(d >= cap / 2 && d <= cap, "{retry}: {d:?} vs {cap:?}");
        }
        let samples: std::collections::BTreeSet<Duration> =
            (0..20).map(|_| backoff(3, base)).collect();
        assert!(samples.len() > 1, "no jitter");
    }

    #[test]
    fn step_timeouts_prefer_the_command_line() {
        let mut s = step("table:public.a", Phase::Create, true);
        s.statement_timeout_ms = Some(60_000);
        let none = ExecOptions::default();
        assert_eq!(
            timeouts_sql(&s, &none, true),
            "SET LOCAL lock_timeout = '5000ms'; SET LOCAL statement_timeout = '60000ms';"
        );
        let set = ExecOptions {
            lock_timeout: Some(Duration::from_millis(250)),
            statement_timeout: Some(Duration::from_secs(2)),
            ..ExecOptions::default()
        };
        assert_eq!(
            timeouts_sql(&s, &set, false),
            "SET lock_timeout = '250ms'; SET statement_timeout = '2000ms';"
        );
    }

    #[test]
    fn rollback_covers_exactly_the_committed_part() {
        let forward = vec![
            step("table:public.a", Phase::Create, true),
            step("view:public.v", Phase::Drop, true),
            step("view:public.v", Phase::Create, true),
            step("column:public.t.c", Phase::Alter, true),
        ];
        let rollback = vec![
            step("view:public.v", Phase::Drop, true),
            step("column:public.t.c", Phase::Alter, true),
            step("view:public.v", Phase::Create, true),
            step("table:public.a", Phase::Drop, true),
        ];
        use StepState::*;
        // The view was dropped but its new definition never created: the rollback brings
        // the old view back and drops the new table, nothing else.
        let states = [Committed, Committed, NotApplied, NotApplied];
        let rb = rollback_of_committed(&forward, &rollback, &states);
        let got: Vec<String> = rb
            .iter()
            .map(|s| format!("{} {}", phase_word(s.phase), s.id))
            .collect();
        assert_eq!(got, vec!["create view:public.v", "drop table:public.a"]);
        assert!(rollback_of_committed(&forward, &rollback, &[NotApplied; 4]).is_empty());
    }
}
