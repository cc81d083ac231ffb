-- Report and application queries of the reference CRM, one per index they
-- justify. Each query is preceded by a header:
--
--     -- name:    a stable identifier
--     -- index:   the index (or comma-separated indexes) the plan must use
--     -- serves:  the screen or report the query belongs to
--
-- and ends with a semicolon at the end of a line. The ids are the
-- scale-independent ids of scripts/crm-seed.sql:
--
--     principal #1   628829b6-9daa-42bb-630e-eaae385df0be  (md5('crm-seed/principal/1'))
--     customer #1    00507b24-48fb-a2fd-c032-5b17f5e613d0  (md5('crm-seed/customer/1'))
--     user #2        d0b1e8c2-e64b-8875-6bf6-889fcc010a31  (md5('crm-seed/user/2'))
--     opportunity #1 426e89f2-11f9-ab69-4db7-aa25fad1dba6  (md5('crm-seed/opportunity/1'))
--     product #1     41e913d6-bc8d-60cd-7afd-2c0dbf5e1497  (md5('crm-seed/product/1'))
--     contact #1     5f7b4fa7-a5a2-026b-ccf8-9dba8c564244  (md5('crm-seed/contact/1'))
--
-- Expectations hold on seeded data after ANALYZE (the seed script ends with
-- VACUUM (ANALYZE)) at scale 0.2 and above; see docs/crm/indexes.md for the
-- figures, the borderline queries and what happens at smaller scales.

-- name: principal_pipeline
-- index: opportunities_open_principal_stage_idx
-- serves: principal dashboard, open pipeline by stage (view crm.principal_pipeline)
SELECT stage, opportunity_count, total_amount, weighted_amount
  FROM crm.principal_pipeline
 WHERE principal_id = '628829b6-9daa-42bb-630e-eaae385df0be'
 ORDER BY stage;

-- name: rep_open_opportunities
-- index: opportunities_owner_open_close_idx
-- serves: rep home page, "my open opportunities" in expected-close order
SELECT id, name, stage, amount, expected_close_date
  FROM crm.opportunities
 WHERE owner_id = 'd0b1e8c2-e64b-8875-6bf6-889fcc010a31'
   AND deleted_at IS NULL
   AND stage NOT IN ('won', 'lost')
 ORDER BY expected_close_date
 LIMIT 50;

-- name: principal_closed_business
-- index: opportunities_principal_closed_idx
-- serves: principal review, business won and lost in a quarter
SELECT stage, count(*) AS opportunities, sum(amount) AS amount
  FROM crm.opportunities
 WHERE principal_id = '628829b6-9daa-42bb-630e-eaae385df0be'
   AND closed_at >= '2025-01-01 00:00+00'
   AND closed_at <  '2025-04-01 00:00+00'
   AND deleted_at IS NULL
 GROUP BY stage;

-- name: account_opportunity_history
-- index: opportunities_customer_idx
-- serves: account page, opportunities newest first
SELECT id, name, principal_id, stage, amount, created_at
  FROM crm.opportunities
 WHERE customer_id = '00507b24-48fb-a2fd-c032-5b17f5e613d0'
 ORDER BY created_at DESC
 LIMIT 20;

-- name: distributor_business_for_principal
-- index: opportunities_distributor_idx
-- serves: distributor review, business routed through a distributor for one line
SELECT o.stage, count(*) AS opportunities, sum(o.amount) AS amount
  FROM crm.opportunities AS o
 WHERE o.distributor_id = md5('crm-seed/distributor/1')::uuid
   AND o.principal_id = '628829b6-9daa-42bb-630e-eaae385df0be'
 GROUP BY o.stage;

-- name: principal_weekly_activity
-- index: interactions_principal_occurred_idx
-- serves: principal dashboard, activity per week (view crm.principal_weekly_activity)
SELECT week_start, interactions, calls, meetings_and_visits, organizations_reached
  FROM crm.principal_weekly_activity
 WHERE principal_id = '628829b6-9daa-42bb-630e-eaae385df0be'
   AND week_start >= '2025-04-01'
 ORDER BY week_start;

-- name: principal_activity_period
-- index: interactions_principal_occurred_idx
-- serves: monthly principal report, activity detail for one month
SELECT kind, count(*) AS interactions
  FROM crm.interactions
 WHERE principal_id = '628829b6-9daa-42bb-630e-eaae385df0be'
   AND occurred_at >= '2025-05-01 00:00+00'
   AND occurred_at <  '2025-06-01 00:00+00'
   AND deleted_at IS NULL
 GROUP BY kind;

-- name: principal_customer_coverage
-- index: opportunities_principal_closed_idx, interactions_principal_occurred_idx
-- serves: principal review, account coverage (view crm.principal_customer_coverage)
SELECT accounts, buying_accounts, accounts_with_open_pipeline, accounts_touched_90d, coverage_pct
  FROM crm.principal_customer_coverage
 WHERE principal_id = '628829b6-9daa-42bb-630e-eaae385df0be';

-- name: account_timeline
-- index: interactions_organization_occurred_idx
-- serves: account page, latest activity
SELECT id, kind, occurred_at, subject, outcome
  FROM crm.interactions
 WHERE organization_id = '00507b24-48fb-a2fd-c032-5b17f5e613d0'
   AND deleted_at IS NULL
 ORDER BY occurred_at DESC
 LIMIT 25;

-- name: rep_activity_week
-- index: interactions_user_occurred_idx
-- serves: manager's weekly call report per rep
SELECT kind, count(*) AS interactions
  FROM crm.interactions
 WHERE user_id = 'd0b1e8c2-e64b-8875-6bf6-889fcc010a31'
   AND occurred_at >= '2025-06-16 00:00+00'
   AND occurred_at <  '2025-06-23 00:00+00'
   AND deleted_at IS NULL
 GROUP BY kind;

-- name: rep_overdue_follow_ups
-- index: interactions_open_follow_ups_idx
-- serves: rep task list (view crm.overdue_follow_ups)
SELECT interaction_id, organization_name, principal_name, subject, follow_up_at, overdue_by
  FROM crm.overdue_follow_ups
 WHERE user_id = 'd0b1e8c2-e64b-8875-6bf6-889fcc010a31'
 ORDER BY follow_up_at;

-- name: opportunity_activity
-- index: interactions_opportunity_idx
-- serves: opportunity page, activity in time order
SELECT id, kind, occurred_at, subject
  FROM crm.interactions
 WHERE opportunity_id = '426e89f2-11f9-ab69-4db7-aa25fad1dba6'
 ORDER BY occurred_at;

-- name: contact_activity
-- index: interactions_contact_idx
-- serves: contact page, interactions with the person
SELECT id, kind, occurred_at, subject
  FROM crm.interactions
 WHERE contact_id = '5f7b4fa7-a5a2-026b-ccf8-9dba8c564244'
   AND deleted_at IS NULL;

-- name: contact_meetings
-- index: interaction_participants_contact_idx
-- serves: contact page, meetings attended
SELECT interaction_id, attended
  FROM crm.interaction_participants
 WHERE contact_id = '5f7b4fa7-a5a2-026b-ccf8-9dba8c564244';

-- name: interaction_attendees
-- index: interaction_participants_party_uq
-- serves: interaction page, who took part
SELECT user_id, contact_id, is_organizer, attended
  FROM crm.interaction_participants
 WHERE interaction_id = md5('crm-seed/interaction/3')::uuid;

-- name: organization_name_search
-- index: organizations_name_trgm_idx
-- serves: global search box, organizations (type-ahead)
SELECT id, kind, name
  FROM crm.organizations
 WHERE name ILIKE '%harbor gr%'
   AND deleted_at IS NULL
 ORDER BY name
 LIMIT 20;

-- name: organization_exact_name
-- index: organizations_kind_name_live_uq
-- serves: duplicate check when creating an account
SELECT id
  FROM crm.organizations
 WHERE kind = 'customer'
   AND lower(name) = lower('Harbor Grill #1')
   AND deleted_at IS NULL;

-- name: rep_accounts_by_tier
-- index: organizations_account_manager_idx
-- serves: rep's book of business, A accounts first
SELECT id, name, priority_tier
  FROM crm.organizations
 WHERE account_manager_id = 'd0b1e8c2-e64b-8875-6bf6-889fcc010a31'
   AND priority_tier = 'A'
   AND deleted_at IS NULL;

-- name: chain_locations
-- index: organizations_parent_idx
-- serves: account page of a head office, its locations
SELECT id, name, city
  FROM crm.organizations
 WHERE parent_id = '00507b24-48fb-a2fd-c032-5b17f5e613d0';

-- name: contact_name_search
-- index: contacts_name_trgm_idx
-- serves: global search box, people (type-ahead)
SELECT id, first_name, last_name, email
  FROM crm.contacts
 WHERE (first_name || ' ' || last_name) ILIKE '%mary gar%'
   AND deleted_at IS NULL
 LIMIT 20;

-- name: contact_by_email
-- index: contacts_email_live_uq
-- serves: inbound e-mail matching and the duplicate check
SELECT id, first_name, last_name
  FROM crm.contacts
 WHERE lower(email) = lower('William.Parker.1@principal1.example.com')
   AND deleted_at IS NULL;

-- name: contacts_by_last_name
-- index: contacts_last_first_name_idx
-- serves: contact list, alphabetical, filtered by last name
SELECT id, first_name, last_name
  FROM crm.contacts
 WHERE last_name = 'Parker'
   AND deleted_at IS NULL
 ORDER BY last_name, first_name
 LIMIT 50;

-- name: people_at_organization
-- index: contact_organizations_organization_idx
-- serves: account page, buyers at the account
SELECT contact_id, is_primary
  FROM crm.contact_organizations
 WHERE organization_id = '00507b24-48fb-a2fd-c032-5b17f5e613d0'
   AND role = 'buyer';

-- name: product_by_sku
-- index: products_principal_sku_live_uq
-- serves: item lookup when entering an opportunity line
SELECT id, name, list_price
  FROM crm.products
 WHERE principal_id = '628829b6-9daa-42bb-630e-eaae385df0be'
   AND lower(sku) = lower('p001-0001')
   AND deleted_at IS NULL;

-- name: principal_catalog
-- index: products_principal_name_idx
-- serves: principal page, product catalog in name order
SELECT id, sku, name, list_price
  FROM crm.products
 WHERE principal_id = '628829b6-9daa-42bb-630e-eaae385df0be'
 ORDER BY name;

-- name: product_in_play
-- index: opportunity_products_product_idx
-- serves: product page, opportunities quoting the item
SELECT opportunity_id, quantity, line_amount
  FROM crm.opportunity_products
 WHERE product_id = '41e913d6-bc8d-60cd-7afd-2c0dbf5e1497';

-- name: contact_opportunities
-- index: opportunity_contacts_contact_idx
-- serves: contact page, deals the person is involved in
SELECT opportunity_id, buying_role
  FROM crm.opportunity_contacts
 WHERE contact_id = '5f7b4fa7-a5a2-026b-ccf8-9dba8c564244';

-- name: opportunity_stage_timeline
-- index: opportunity_stage_history_opportunity_idx
-- serves: opportunity page, stage history
SELECT from_stage, to_stage, changed_at
  FROM crm.opportunity_stage_history
 WHERE opportunity_id = '426e89f2-11f9-ab69-4db7-aa25fad1dba6'
 ORDER BY changed_at;

-- name: distributors_carrying_principal
-- index: distributor_principals_principal_idx
-- serves: principal page, where customers can buy the line
SELECT distributor_id, carried_since
  FROM crm.distributor_principals
 WHERE principal_id = '628829b6-9daa-42bb-630e-eaae385df0be'
   AND carried_until IS NULL;

-- name: principal_scorecard
-- index: principal_monthly_performance_uq
-- serves: monthly principal report (materialized view crm.principal_monthly_performance)
SELECT month, opportunities_won, amount_won, win_rate_pct, commission_earned, target_attainment_pct
  FROM crm.principal_monthly_performance
 WHERE principal_id = '628829b6-9daa-42bb-630e-eaae385df0be'
   AND month >= '2025-01-01'
 ORDER BY month;

-- name: principal_target
-- index: sales_targets_principal_month_uq
-- serves: target entry screen
SELECT target_amount, target_interactions
  FROM crm.sales_targets
 WHERE principal_id = '628829b6-9daa-42bb-630e-eaae385df0be'
   AND period_month = '2025-06-01';
