//! Plan verification: proves a plan on a shadow database before it is handed out. The
//! current schema is recreated in a temporary database, the plan applied and the result
//! compared with the desired schema; then the rollback is applied and compared with the
//! current schema.

use crate::catalog::{self, Filter};
use crate::model::{ObjectId, Schema};
use crate::plan::{self, Plan, Step};
use crate::source::Shadow;
use anyhow::{Context, Result, anyhow, bail};

/// Runs `steps` on a connected client, statement by statement.
pub async fn run_steps(client: &tokio_postgres::Client, steps: &[Step]) -> Result<()> {
    client.batch_execute(crate::render::PREAMBLE).await?;
    for s in steps {
        for stmt in &s.sql {
            client.batch_execute(stmt).await.map_err(|e| {
                anyhow!(
                    "{} failed: {}\n  statement: {stmt}",
                    s.id,
                    crate::conn::db_message(&e)
                )
            })?;
        }
    }
    Ok(())
}

/// The first object that differs between two models, if any.
pub fn first_difference(a: &Schema, b: &Schema) -> Option<ObjectId> {
    let changes = crate::diff::diff(a, b, &Default::default());
    changes.into_iter().next().map(|c| c.id)
}

/// Verifies `p` (from `current` to `desired`) on the shadow.
pub async fn verify(
    shadow: &Shadow,
    current: &Schema,
    desired: &Schema,
    p: &Plan,
    filter: &Filter,
) -> Result<()> {
    let db = shadow.create_database().await?;
    let result = async {
        let client = db.connect().await?;
        let base = crate::app::empty_database();
        let setup = plan::ordered_steps(
            &base,
            current,
            &crate::diff::diff(&base, current, &Default::default()),
            &Default::default(),
        )?;
        run_steps(&client, &setup)
            .await
            .context("recreating the current schema")?;
        run_steps(&client, &p.steps)
            .await
            .context("applying the plan")?;
        catalog::analyze_fresh(&client).await;
        let after = catalog::inspect(&client, filter).await?.schema;
        if let Some(id) = first_difference(&after, desired) {
            bail!("after applying the plan, {id} still differs from the desired schema");
        }
        run_steps(&client, &p.rollback)
            .await
            .context("applying the rollback")?;
        let back = catalog::inspect(&client, filter).await?.schema;
        if let Some(id) = first_difference(&back, current) {
            bail!("after applying the rollback, {id} differs from the current schema");
        }
        Ok(())
    }
    .await;
    shadow.drop_database(&db).await?;
    result
}
