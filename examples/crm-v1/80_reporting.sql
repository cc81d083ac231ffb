-- Principal-centric reporting: reporting views and the monthly performance
-- materialized view with its refresh function.
--
-- Periods (weeks, months) are computed in UTC so that results do not depend
-- on the session's TimeZone setting.

-- Open pipeline per principal by stage.

CREATE VIEW crm.principal_pipeline AS
SELECT o.principal_id,
       p.name                                       AS principal_name,
       o.stage,
       count(*)                                     AS opportunity_count,
       sum(o.amount)                                AS total_amount
  FROM crm.opportunities AS o
  JOIN crm.organizations AS p ON p.id = o.principal_id
 WHERE o.deleted_at IS NULL
   AND o.stage NOT IN ('won', 'lost')
 GROUP BY o.principal_id, p.name, o.stage;

COMMENT ON VIEW crm.principal_pipeline IS
    'Open pipeline of each principal by stage: count and total amount of live, open opportunities. '
    'Filter on principal_id; served by opportunities_open_principal_stage_idx.';
COMMENT ON COLUMN crm.principal_pipeline.principal_id IS 'The principal.';
COMMENT ON COLUMN crm.principal_pipeline.principal_name IS 'Name of the principal.';
COMMENT ON COLUMN crm.principal_pipeline.stage IS 'Open stage (prospecting..negotiation).';
COMMENT ON COLUMN crm.principal_pipeline.opportunity_count IS 'Number of live opportunities in the stage.';
COMMENT ON COLUMN crm.principal_pipeline.total_amount IS 'Sum of their amounts.';

-- Activity per principal per week.

CREATE VIEW crm.principal_weekly_activity AS
SELECT i.principal_id,
       p.name                                                            AS principal_name,
       date_trunc('week', i.occurred_at AT TIME ZONE 'UTC')::date        AS week_start,
       count(*)                                                          AS interactions,
       count(*) FILTER (WHERE i.kind = 'call')                           AS calls,
       count(*) FILTER (WHERE i.kind = 'email')                          AS emails,
       count(*) FILTER (WHERE i.kind IN ('meeting', 'visit'))            AS meetings_and_visits,
       count(*) FILTER (WHERE i.kind = 'sample')                         AS samples,
       count(*) FILTER (WHERE i.outcome = 'positive')                    AS positive_outcomes,
       count(DISTINCT i.organization_id)                                 AS organizations_reached,
       count(DISTINCT i.user_id)                                         AS active_reps
  FROM crm.interactions AS i
  JOIN crm.organizations AS p ON p.id = i.principal_id
 WHERE i.deleted_at IS NULL
 GROUP BY i.principal_id, p.name, date_trunc('week', i.occurred_at AT TIME ZONE 'UTC')::date;

COMMENT ON VIEW crm.principal_weekly_activity IS
    'Interactions about each principal per ISO week (Monday, UTC), by channel, with the number of '
    'organizations reached and reps active. Filter on principal_id; served by '
    'interactions_principal_occurred_idx.';
COMMENT ON COLUMN crm.principal_weekly_activity.principal_id IS 'The principal discussed.';
COMMENT ON COLUMN crm.principal_weekly_activity.principal_name IS 'Name of the principal.';
COMMENT ON COLUMN crm.principal_weekly_activity.week_start IS 'Monday of the week (UTC).';
COMMENT ON COLUMN crm.principal_weekly_activity.interactions IS 'All live interactions about the principal in the week.';
COMMENT ON COLUMN crm.principal_weekly_activity.calls IS 'Phone calls.';
COMMENT ON COLUMN crm.principal_weekly_activity.emails IS 'E-mails.';
COMMENT ON COLUMN crm.principal_weekly_activity.meetings_and_visits IS 'Meetings and on-site visits (face time).';
COMMENT ON COLUMN crm.principal_weekly_activity.samples IS 'Sample drops.';
COMMENT ON COLUMN crm.principal_weekly_activity.positive_outcomes IS 'Interactions the rep rated positive.';
COMMENT ON COLUMN crm.principal_weekly_activity.organizations_reached IS 'Distinct organizations talked to about the principal.';
COMMENT ON COLUMN crm.principal_weekly_activity.active_reps IS 'Distinct reps who worked the principal''s line.';

-- Customer coverage per principal.

CREATE VIEW crm.principal_customer_coverage AS
WITH accounts AS (
    SELECT o.principal_id,
           o.customer_id,
           bool_or(o.stage NOT IN ('won', 'lost')) AS has_open_pipeline,
           bool_or(o.stage = 'won')                AS has_won_business
      FROM crm.opportunities AS o
      JOIN crm.organizations AS c ON c.id = o.customer_id
     WHERE o.deleted_at IS NULL
       AND c.deleted_at IS NULL
     GROUP BY o.principal_id, o.customer_id
), touched AS (
    SELECT DISTINCT i.principal_id, i.organization_id
      FROM crm.interactions AS i
     WHERE i.deleted_at IS NULL
       AND i.occurred_at >= now() - interval '90 days'
)
SELECT p.id                                              AS principal_id,
       p.name                                            AS principal_name,
       count(a.customer_id)                              AS accounts,
       count(*) FILTER (WHERE a.has_won_business)        AS buying_accounts,
       count(*) FILTER (WHERE a.has_open_pipeline)       AS accounts_with_open_pipeline,
       count(t.organization_id)                          AS accounts_touched_90d,
       round(100.0 * count(t.organization_id) / nullif(count(a.customer_id), 0), 1) AS coverage_pct
  FROM crm.organizations AS p
  LEFT JOIN accounts AS a ON a.principal_id = p.id
  LEFT JOIN touched AS t ON t.principal_id = a.principal_id AND t.organization_id = a.customer_id
 WHERE p.kind = 'principal'
   AND p.deleted_at IS NULL
 GROUP BY p.id, p.name;

COMMENT ON VIEW crm.principal_customer_coverage IS
    'How well each principal''s account base is worked: accounts (live customers and prospects with a '
    'live opportunity for the principal), of which buying, with open pipeline, and touched by an '
    'interaction about the principal in the last 90 days, with the coverage percentage. Filter on '
    'principal_id; served by opportunities_principal_closed_idx and interactions_principal_occurred_idx.';
COMMENT ON COLUMN crm.principal_customer_coverage.principal_id IS 'The principal.';
COMMENT ON COLUMN crm.principal_customer_coverage.principal_name IS 'Name of the principal.';
COMMENT ON COLUMN crm.principal_customer_coverage.accounts IS 'Live organizations with at least one live opportunity for the principal.';
COMMENT ON COLUMN crm.principal_customer_coverage.buying_accounts IS 'Accounts with at least one won opportunity.';
COMMENT ON COLUMN crm.principal_customer_coverage.accounts_with_open_pipeline IS 'Accounts with at least one open opportunity.';
COMMENT ON COLUMN crm.principal_customer_coverage.accounts_touched_90d IS
    'Accounts with an interaction about the principal in the last 90 days.';
COMMENT ON COLUMN crm.principal_customer_coverage.coverage_pct IS
    'accounts_touched_90d as a percentage of accounts (NULL when there are no accounts).';

-- Overdue follow-ups.

CREATE VIEW crm.overdue_follow_ups AS
SELECT i.id                    AS interaction_id,
       i.user_id,
       u.full_name             AS rep_name,
       i.organization_id,
       org.name                AS organization_name,
       i.principal_id,
       pr.name                 AS principal_name,
       i.contact_id,
       i.kind,
       i.subject,
       i.follow_up_at,
       i.follow_up_note,
       now() - i.follow_up_at  AS overdue_by
  FROM crm.interactions AS i
  JOIN crm.users AS u ON u.id = i.user_id
  JOIN crm.organizations AS org ON org.id = i.organization_id
  LEFT JOIN crm.organizations AS pr ON pr.id = i.principal_id
 WHERE i.deleted_at IS NULL
   AND i.follow_up_done_at IS NULL
   AND i.follow_up_at < now();

COMMENT ON VIEW crm.overdue_follow_ups IS
    'Follow-ups that are due and not done, with rep, organization and principal. Filter on user_id '
    'for a rep''s task list.';
COMMENT ON COLUMN crm.overdue_follow_ups.interaction_id IS 'The interaction whose follow-up is overdue.';
COMMENT ON COLUMN crm.overdue_follow_ups.user_id IS 'Rep who owns the follow-up.';
COMMENT ON COLUMN crm.overdue_follow_ups.rep_name IS 'Name of the rep.';
COMMENT ON COLUMN crm.overdue_follow_ups.organization_id IS 'Organization to follow up with.';
COMMENT ON COLUMN crm.overdue_follow_ups.organization_name IS 'Name of the organization.';
COMMENT ON COLUMN crm.overdue_follow_ups.principal_id IS 'Principal the interaction was about, if any.';
COMMENT ON COLUMN crm.overdue_follow_ups.principal_name IS 'Name of the principal, if any.';
COMMENT ON COLUMN crm.overdue_follow_ups.contact_id IS 'Main contact of the interaction, if any.';
COMMENT ON COLUMN crm.overdue_follow_ups.kind IS 'Channel of the original interaction.';
COMMENT ON COLUMN crm.overdue_follow_ups.subject IS 'Subject of the original interaction.';
COMMENT ON COLUMN crm.overdue_follow_ups.follow_up_at IS 'When the follow-up was due.';
COMMENT ON COLUMN crm.overdue_follow_ups.follow_up_note IS 'What the follow-up is about.';
COMMENT ON COLUMN crm.overdue_follow_ups.overdue_by IS 'How long past due, at query time.';

-- Monthly performance per principal (materialized).

CREATE MATERIALIZED VIEW crm.principal_monthly_performance AS
WITH opened AS (
    SELECT o.principal_id,
           date_trunc('month', o.created_at AT TIME ZONE 'UTC')::date AS month,
           count(*)                                                  AS opportunities_opened,
           sum(o.amount)                                             AS amount_opened
      FROM crm.opportunities AS o
     WHERE o.deleted_at IS NULL
     GROUP BY 1, 2
), closed AS (
    SELECT o.principal_id,
           date_trunc('month', o.closed_at AT TIME ZONE 'UTC')::date AS month,
           count(*) FILTER (WHERE o.stage = 'won')                  AS opportunities_won,
           count(*) FILTER (WHERE o.stage = 'lost')                 AS opportunities_lost,
           coalesce(sum(o.amount) FILTER (WHERE o.stage = 'won'), 0) AS amount_won
      FROM crm.opportunities AS o
     WHERE o.deleted_at IS NULL
       AND o.closed_at IS NOT NULL
     GROUP BY 1, 2
), activity AS (
    SELECT i.principal_id,
           date_trunc('month', i.occurred_at AT TIME ZONE 'UTC')::date AS month,
           count(*)                                                   AS interactions
      FROM crm.interactions AS i
     WHERE i.deleted_at IS NULL
       AND i.principal_id IS NOT NULL
     GROUP BY 1, 2
), months AS (
    SELECT principal_id, month FROM opened
    UNION
    SELECT principal_id, month FROM closed
    UNION
    SELECT principal_id, month FROM activity
)
SELECT m.principal_id,
       m.month,
       p.name                                          AS principal_name,
       coalesce(op.opportunities_opened, 0)            AS opportunities_opened,
       coalesce(op.amount_opened, 0)                   AS amount_opened,
       coalesce(cl.opportunities_won, 0)               AS opportunities_won,
       coalesce(cl.opportunities_lost, 0)              AS opportunities_lost,
       coalesce(cl.amount_won, 0)                      AS amount_won,
       round(100.0 * cl.opportunities_won
             / nullif(cl.opportunities_won + cl.opportunities_lost, 0), 1) AS win_rate_pct,
       round(coalesce(cl.amount_won, 0) * p.commission_rate / 100, 2)     AS commission_earned,
       coalesce(ac.interactions, 0)                    AS interactions
  FROM months AS m
  JOIN crm.organizations AS p ON p.id = m.principal_id
  LEFT JOIN opened AS op ON op.principal_id = m.principal_id AND op.month = m.month
  LEFT JOIN closed AS cl ON cl.principal_id = m.principal_id AND cl.month = m.month
  LEFT JOIN activity AS ac ON ac.principal_id = m.principal_id AND ac.month = m.month;

COMMENT ON MATERIALIZED VIEW crm.principal_monthly_performance IS
    'Monthly scorecard per principal (months in UTC): opportunities opened, won and lost, amount won, '
    'win rate, commission earned and activity. Sent to principals each month; '
    'refreshed by crm.refresh_principal_monthly_performance().';
COMMENT ON COLUMN crm.principal_monthly_performance.principal_id IS 'The principal.';
COMMENT ON COLUMN crm.principal_monthly_performance.month IS 'The month, as its first day (UTC).';
COMMENT ON COLUMN crm.principal_monthly_performance.principal_name IS 'Name of the principal at refresh time.';
COMMENT ON COLUMN crm.principal_monthly_performance.opportunities_opened IS 'Live opportunities created in the month.';
COMMENT ON COLUMN crm.principal_monthly_performance.amount_opened IS 'Their total amount.';
COMMENT ON COLUMN crm.principal_monthly_performance.opportunities_won IS 'Opportunities won in the month (by closed_at).';
COMMENT ON COLUMN crm.principal_monthly_performance.opportunities_lost IS 'Opportunities lost in the month (by closed_at).';
COMMENT ON COLUMN crm.principal_monthly_performance.amount_won IS 'Total amount won in the month.';
COMMENT ON COLUMN crm.principal_monthly_performance.win_rate_pct IS 'Won as a percentage of closed in the month; NULL when none closed.';
COMMENT ON COLUMN crm.principal_monthly_performance.commission_earned IS
    'amount_won x the principal''s current commission rate; NULL when the rate is unknown.';
COMMENT ON COLUMN crm.principal_monthly_performance.interactions IS 'Live interactions about the principal in the month.';

CREATE UNIQUE INDEX principal_monthly_performance_uq
    ON crm.principal_monthly_performance (principal_id, month);

COMMENT ON INDEX crm.principal_monthly_performance_uq IS
    'Unique row identity required by REFRESH MATERIALIZED VIEW CONCURRENTLY; also serves a principal''s '
    'scorecard for a range of months.';

CREATE FUNCTION crm.refresh_principal_monthly_performance()
    RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    -- CONCURRENTLY keeps the scorecard readable during the refresh but needs
    -- a populated view; the very first refresh after a WITH NO DATA restore
    -- is therefore a plain one.
    IF (SELECT c.relispopulated
          FROM pg_catalog.pg_class AS c
         WHERE c.oid = 'crm.principal_monthly_performance'::regclass) THEN
        REFRESH MATERIALIZED VIEW CONCURRENTLY crm.principal_monthly_performance;
    ELSE
        REFRESH MATERIALIZED VIEW crm.principal_monthly_performance;
    END IF;
END;
$$;

COMMENT ON FUNCTION crm.refresh_principal_monthly_performance() IS
    'Refreshes crm.principal_monthly_performance without blocking readers (CONCURRENTLY when the view '
    'is populated). Scheduled nightly and on the first of the month; see docs/crm/maintenance.md.';
