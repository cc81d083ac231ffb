-- Deterministic seed data for the reference CRM schema in desired/.
--
-- Usage (on a database where desired/*.sql has been loaded):
--
--     psql -v ON_ERROR_STOP=1 -v scale=0.01 -f scripts/crm-seed.sql
--
-- Variables (all optional):
--     scale   size factor, default 1. scale=1 gives 20 000 organizations,
--             100 000 contacts, 200 000 opportunities, 1 000 000 interactions
--             (about 3.2 million rows in all); scale=0.01 gives 1 % of that
--             (with small floors so that every kind of row exists).
--     anchor  the "now" of the generated data, default 2025-06-30 00:00:00+00.
--             Data covers the three years before it; sales targets run two
--             months past it.
--
-- Every value, UUIDs included, is a pure function of the row number (MD5 of a
-- label and the number), so the same scale and anchor always give byte-identical
-- data, by construction on any PostgreSQL version (random() is not used; its
-- algorithm changed in PostgreSQL 15). The script replaces all CRM data (TRUNCATE),
-- loads in one transaction with every constraint enforced (foreign keys are
-- dropped for the load and re-created, hence re-validated, before COMMIT),
-- then refreshes the materialized view and runs VACUUM (ANALYZE).
--
-- Ids are md5('crm-seed/<kind>/<n>')::uuid with n numbered per kind, so they
-- do not depend on scale: principal #1 is md5('crm-seed/principal/1')::uuid at
-- every scale. docs/crm/report-queries.sql uses principal #1, customer #1,
-- distributor #1, user #2, contact #1, opportunity #1, product #1 and
-- interaction #3. (Not valid version-4 UUIDs, which PostgreSQL does not check.)
--
-- Statements use LATERAL subqueries ending in OFFSET 0: that keeps the planner
-- from inlining them, so each MD5 digest is computed once per row rather than
-- once per use.

\set ON_ERROR_STOP on
\if :{?scale}
\else
    \set scale 1
\endif
\if :{?anchor}
\else
    \set anchor '2025-06-30 00:00:00+00'
\endif

SET client_min_messages = warning;
SET TimeZone = 'UTC';
SET max_parallel_workers_per_gather = 0;
SET enable_memoize = off;
SET synchronize_seqscans = off;
SET work_mem = '64MB';
SET maintenance_work_mem = '256MB';
SET temp_buffers = '64MB';

SELECT (:scale)::numeric > 0 AS scale_ok \gset
\if :scale_ok
\else
    \echo 'crm-seed: scale must be a positive number'
    \quit
\endif

-- Sizes. Organizations are numbered 1..n_orgs in this order: principals,
-- distributors, customers (the first n_hq of them are chain head offices),
-- prospects.
SELECT greatest(8,    round(200     * :scale))::int AS n_users,
       greatest(3,    round(100     * :scale))::int AS n_principals,
       greatest(3,    round(800     * :scale))::int AS n_distributors,
       greatest(60,   round(20000   * :scale))::int AS n_orgs,
       greatest(300,  round(100000  * :scale))::int AS n_contacts,
       50                                           AS n_products_per_principal,
       greatest(600,  round(200000  * :scale))::int AS n_opportunities,
       greatest(3000, round(1000000 * :scale))::int AS n_interactions
\gset
SELECT :n_principals + :n_distributors                                 AS first_customer_minus_1,
       round(0.75 * (:n_orgs - :n_principals - :n_distributors))::int  AS n_customers,
       greatest(1, round(0.01 * (:n_orgs - :n_principals - :n_distributors)))::int AS n_hq,
       :n_principals * :n_products_per_principal                       AS n_products
\gset
SELECT :n_orgs - :first_customer_minus_1 - :n_customers AS n_prospects \gset

\echo crm-seed: scale=:scale anchor=:anchor users=:n_users organizations=:n_orgs (principals=:n_principals distributors=:n_distributors customers=:n_customers prospects=:n_prospects) contacts=:n_contacts products=:n_products opportunities=:n_opportunities interactions=:n_interactions

-- Helpers (session-local). id(): the UUID of row n of a kind; r(): the k-th
-- (0..3) uniform number in [0, 1) drawn from an MD5 hex digest; w(): a word
-- from a list.

CREATE FUNCTION pg_temp.id(kind text, n bigint) RETURNS uuid
    LANGUAGE sql IMMUTABLE AS
$$ SELECT md5('crm-seed/' || kind || '/' || n::text)::uuid $$;

CREATE FUNCTION pg_temp.r(h text, k int) RETURNS float8
    LANGUAGE sql IMMUTABLE AS
$$ SELECT ('x' || substr(h, 8 * k + 1, 8))::bit(32)::bigint / 4294967296.0::float8 $$;

CREATE FUNCTION pg_temp.w(words text[], r float8) RETURNS text
    LANGUAGE sql IMMUTABLE AS
$$ SELECT words[1 + floor(r * cardinality(words))::int] $$;

-- Organization number n -> its kind and UUID (ids are per kind, so principal
-- #1 has the same id at every scale).
CREATE FUNCTION pg_temp.org_kind(n int, p int, d int, c int) RETURNS text
    LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN n <= p THEN 'principal'
               WHEN n <= p + d THEN 'distributor'
               WHEN n <= p + d + c THEN 'customer'
               ELSE 'prospect' END $$;

CREATE FUNCTION pg_temp.org_local(n int, p int, d int, c int) RETURNS int
    LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN n <= p THEN n
               WHEN n <= p + d THEN n - p
               WHEN n <= p + d + c THEN n - p - d
               ELSE n - p - d - c END $$;

CREATE FUNCTION pg_temp.org_id(n int, p int, d int, c int) RETURNS uuid
    LANGUAGE sql IMMUTABLE AS
$$ SELECT pg_temp.id(pg_temp.org_kind(n, p, d, c), pg_temp.org_local(n, p, d, c)) $$;

-- Contact c: names and e-mail. Contact c works primarily at organization
-- ((c - 1) % n_orgs) + 1.
CREATE FUNCTION pg_temp.first_name(c int) RETURNS text
    LANGUAGE sql IMMUTABLE AS
$$ SELECT pg_temp.w('{James,Mary,Robert,Patricia,John,Jennifer,Michael,Linda,David,Elizabeth,William,Barbara,Richard,Susan,Joseph,Jessica,Thomas,Sarah,Carlos,Karen,Daniel,Lisa,Matthew,Nancy,Anthony,Betty,Mark,Sandra,Luis,Ashley,Steven,Kimberly,Paul,Emily,Andrew,Donna,Joshua,Michelle,Kenneth,Carol,Kevin,Amanda,Brian,Melissa,George,Deborah,Timothy,Stephanie,Ronald,Rebecca}'::text[],
                    pg_temp.r(md5('crm-seed/contact-name/' || c::text), 0)) $$;

CREATE FUNCTION pg_temp.last_name(c int) RETURNS text
    LANGUAGE sql IMMUTABLE AS
$$ SELECT pg_temp.w('{Smith,Johnson,Williams,Brown,Jones,Garcia,Miller,Davis,Rodriguez,Martinez,Hernandez,Lopez,Gonzalez,Wilson,Anderson,Thomas,Taylor,Moore,Jackson,Martin,Lee,Perez,Thompson,White,Harris,Sanchez,Clark,Ramirez,Lewis,Robinson,Walker,Young,Allen,King,Wright,Scott,Torres,Nguyen,Hill,Flores,Green,Adams,Nelson,Baker,Hall,Rivera,Campbell,Mitchell,Carter,Roberts,Gomez,Phillips,Evans,Turner,Diaz,Parker,Cruz,Edwards,Collins,Reyes,Stewart,Morris,Morales,Murphy,Cook,Rogers,Gutierrez,Ortiz,Morgan,Cooper,Peterson,Bailey,Reed,Kelly,Howard,Ramos,Kim,Cox,Ward,Richardson}'::text[],
                    pg_temp.r(md5('crm-seed/contact-name/' || c::text), 1)) $$;

CREATE FUNCTION pg_temp.contact_email(c int, p int, d int, cu int, o int) RETURNS text
    LANGUAGE sql IMMUTABLE AS
$$ SELECT lower(pg_temp.first_name(c) || '.' || pg_temp.last_name(c) || '.' || c::text) || '@'
          || pg_temp.org_kind((c - 1) % o + 1, p, d, cu) || pg_temp.org_local((c - 1) % o + 1, p, d, cu)::text
          || '.example.com' $$;

BEGIN;

-- Foreign keys are checked row by row by triggers, which would dominate the
-- load time. They are dropped for the load and re-created, from their own
-- catalog definitions and with their comments, before COMMIT: re-creating
-- validates every row in one pass, so the data is still proven to satisfy
-- them, and the schema after the script is identical to the one before.
-- CHECK, NOT NULL and UNIQUE constraints stay in place throughout.
CREATE TEMP TABLE seed_fks ON COMMIT DROP AS
SELECT c.conrelid::regclass::text AS tbl, c.conname::text AS conname,
       pg_catalog.pg_get_constraintdef(c.oid) AS def,
       pg_catalog.obj_description(c.oid, 'pg_constraint') AS comment
  FROM pg_catalog.pg_constraint AS c
  JOIN pg_catalog.pg_namespace AS n ON n.oid = c.connamespace
 WHERE n.nspname = 'crm' AND c.contype = 'f';

SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', tbl, conname) FROM seed_fks ORDER BY tbl, conname
\gexec

TRUNCATE crm.users, crm.organizations, crm.distributor_principals, crm.principal_assignments,
         crm.contacts, crm.contact_organizations, crm.products, crm.opportunities,
         crm.opportunity_products, crm.opportunity_contacts, crm.opportunity_stage_history,
         crm.interactions, crm.interaction_participants, crm.sales_targets;

-- Users: #1 admin, then one sales manager per ten users, then reps.
SELECT greatest(1, :n_users / 10) AS n_managers \gset

INSERT INTO crm.users (id, email, full_name, role, manager_id, phone, territory,
                       created_at, updated_at, created_by, updated_by, deleted_at)
SELECT pg_temp.id('user', n),
       lower(fn || '.' || ln || '.' || n) || '@agency.example.com',
       fn || ' ' || ln,
       (CASE WHEN n = 1 THEN 'admin'
             WHEN n <= 1 + :n_managers THEN 'sales_manager'
             WHEN r1 < 0.15 THEN 'account_manager'
             WHEN r1 < 0.25 THEN 'inside_sales'
             ELSE 'sales_rep' END)::crm.user_role,
       CASE WHEN n > 1 + :n_managers THEN pg_temp.id('user', 2 + n % :n_managers) END,
       format('+1-555-%s-%s', lpad((100 + n % 900)::text, 3, '0'), lpad((n * 37 % 10000)::text, 4, '0')),
       pg_temp.w('{Northeast,Mid-Atlantic,Southeast,Great Lakes,Midwest,Plains,Southwest,Mountain,Pacific Northwest,California}'::text[], r2),
       created_at, created_at,
       CASE WHEN n > 1 THEN pg_temp.id('user', 1) END,
       CASE WHEN n > 1 THEN pg_temp.id('user', 1) END,
       CASE WHEN n > 1 + :n_managers AND n % 33 = 0 THEN created_at + (:'anchor'::timestamptz - created_at) * r3 END
  FROM generate_series(1, :n_users) AS n
 CROSS JOIN LATERAL (SELECT md5('crm-seed/user-r/' || n) AS h OFFSET 0) AS h
 CROSS JOIN LATERAL (SELECT pg_temp.first_name(-n) AS fn, pg_temp.last_name(-n) AS ln,
                            pg_temp.r(h, 0) AS r1, pg_temp.r(h, 1) AS r2, pg_temp.r(h, 2) AS r3,
                            :'anchor'::timestamptz - interval '5 years'
                              + make_interval(secs => floor(pg_temp.r(h, 3) * 31536000)) AS created_at OFFSET 0) AS v
 ORDER BY n;

-- Organizations.
INSERT INTO crm.organizations (id, kind, name, legal_name, parent_id, account_manager_id, priority_tier,
                               commission_rate, website, phone, city, region, country_code, notes,
                               created_at, updated_at, created_by, updated_by, deleted_at)
SELECT pg_temp.org_id(n, :n_principals, :n_distributors, :n_customers),
       kind::crm.organization_kind,
       name,
       CASE WHEN kind IN ('principal', 'distributor') THEN name || ' ' || pg_temp.w('{Inc.,LLC,Corp.,Co.}'::text[], r2) END,
       CASE WHEN kind = 'customer' AND local > :n_hq AND r3 < 0.10
            THEN pg_temp.id('customer', 1 + local % :n_hq) END,
       CASE WHEN r4 < 0.95 THEN pg_temp.id('user', 2 + floor(r5 * (:n_users - 1))::int) END,
       (CASE WHEN r6 < 0.10 THEN 'A' WHEN r6 < 0.35 THEN 'B' WHEN r6 < 0.75 THEN 'C' ELSE 'D' END)::crm.priority_tier,
       CASE WHEN kind = 'principal' THEN round((3 + 5 * r7)::numeric, 2) END,
       'https://www.' || kind || local || '.example.com',
       format('+1-%s-555-%s', lpad((200 + n % 700)::text, 3, '0'), lpad((n * 7919 % 10000)::text, 4, '0')),
       city, region,
       (CASE WHEN r8 < 0.90 THEN 'US' WHEN r8 < 0.97 THEN 'CA' ELSE 'MX' END),
       CASE WHEN r9 < 0.2 THEN 'Prefers visits on ' || pg_temp.w('{Monday,Tuesday,Wednesday,Thursday,Friday}'::text[], r3) || ' mornings.' END,
       created_at, created_at,
       pg_temp.id('user', 1), pg_temp.id('user', 1),
       CASE WHEN kind IN ('customer', 'prospect') AND local > :n_hq AND n % 50 = 17
            THEN created_at + (:'anchor'::timestamptz - created_at) * r2 END
  FROM generate_series(1, :n_orgs) AS n
 CROSS JOIN LATERAL (SELECT pg_temp.org_kind(n, :n_principals, :n_distributors, :n_customers) AS kind,
                            pg_temp.org_local(n, :n_principals, :n_distributors, :n_customers) AS local,
                            md5('crm-seed/org-a/' || n) AS ha, md5('crm-seed/org-b/' || n) AS hb OFFSET 0) AS k
 CROSS JOIN LATERAL (SELECT pg_temp.r(ha, 0) AS r1, pg_temp.r(ha, 1) AS r2, pg_temp.r(ha, 2) AS r3,
                            pg_temp.r(ha, 3) AS r4, pg_temp.r(hb, 0) AS r5, pg_temp.r(hb, 1) AS r6,
                            pg_temp.r(hb, 2) AS r7, pg_temp.r(hb, 3) AS r8,
                            pg_temp.r(md5('crm-seed/org-c/' || n), 0) AS r9 OFFSET 0) AS r
 CROSS JOIN LATERAL (SELECT
        CASE kind
          WHEN 'principal' THEN
            pg_temp.w('{Sierra,Golden Valley,Blue Ridge,Prairie,Coastal,Heritage,Summit,Red River,Evergreen,Lakeshore,Northern,Sunrise}'::text[], r1)
            || ' ' || pg_temp.w('{Foods,Provisions,Bakeries,Dairy,Kitchens,Brands,Farms,Creamery,Beverages,Equipment}'::text[], r2)
          WHEN 'distributor' THEN
            pg_temp.w('{Metro,Tri-State,Central,Allied,United,Premier,Capital,Frontier,Gulf,Valley}'::text[], r1)
            || ' ' || pg_temp.w('{Foodservice,Food Distributors,Supply,Wholesale,Provisions}'::text[], r2)
          ELSE
            pg_temp.w('{Harbor,Oak,Maple,Riverside,Main Street,Union,Golden,Silver,Lucky,Corner,Village,Garden,Highland,Old Town,Sunset,Bayside,Parkside,Cedar,Willow,Granite}'::text[], r1)
            || ' ' || pg_temp.w('{Grill,Bistro,Cafe,Diner,Tavern,Kitchen,Pizzeria,Steakhouse,Bakery,Hotel,Hospital,School District,Market,Deli,Brewery,Taqueria,Sushi Bar,Catering,Country Club,University}'::text[], r5)
        END || ' #' || local AS name,
        pg_temp.w('{Boston,New York,Philadelphia,Baltimore,Atlanta,Miami,Chicago,Detroit,Minneapolis,St. Louis,Dallas,Houston,Denver,Phoenix,Seattle,Portland,San Francisco,Los Angeles,San Diego,Nashville}'::text[], r9) AS city,
        pg_temp.w('{MA,NY,PA,MD,GA,FL,IL,MI,MN,MO,TX,TX,CO,AZ,WA,OR,CA,CA,CA,TN}'::text[], r9) AS region,
        :'anchor'::timestamptz - interval '3 years'
          - make_interval(secs => floor(r4 * 63072000)) AS created_at OFFSET 0) AS v
 ORDER BY n;

-- Line cards: distributor k carries principal i when k and i are congruent
-- modulo 3 (0-based), i.e. each distributor carries about a third of the lines.
INSERT INTO crm.distributor_principals (distributor_id, principal_id, carried_since, carried_until,
                                        distributor_item_prefix, created_at, updated_at, created_by, updated_by)
SELECT pg_temp.id('distributor', d), pg_temp.id('principal', p),
       (:'anchor'::timestamptz - interval '6 years')::date + floor(pg_temp.r(h, 0) * 1000)::int,
       NULL,
       upper(substr(h, 9, 3)),
       :'anchor'::timestamptz - interval '3 years', :'anchor'::timestamptz - interval '3 years',
       pg_temp.id('user', 1), pg_temp.id('user', 1)
  FROM generate_series(1, :n_distributors) AS d
 CROSS JOIN generate_series(1, :n_principals) AS p
 CROSS JOIN LATERAL (SELECT md5('crm-seed/line/' || d || '/' || p) AS h OFFSET 0) AS h
 WHERE (d - 1) % 3 = (p - 1) % 3
 ORDER BY d, p;

-- Who works which line: one line manager and two reps per principal.
INSERT INTO crm.principal_assignments (user_id, principal_id, role, assigned_on,
                                       created_at, updated_at, created_by, updated_by)
SELECT pg_temp.id('user', 2 + ((p - 1) * 7 + j) % (:n_users - 1)), pg_temp.id('principal', p),
       (CASE WHEN j = 0 THEN 'line_manager' ELSE 'rep' END)::crm.principal_assignment_role,
       (:'anchor'::timestamptz - interval '3 years')::date,
       :'anchor'::timestamptz - interval '3 years', :'anchor'::timestamptz - interval '3 years',
       pg_temp.id('user', 1), pg_temp.id('user', 1)
  FROM generate_series(1, :n_principals) AS p
 CROSS JOIN generate_series(0, 2) AS j
 ORDER BY p, j;

-- Contacts. Every 50th contact is soft-deleted and holds the e-mail address
-- of the next contact in upper case (a re-created duplicate), which
-- the partial unique index allows.
INSERT INTO crm.contacts (id, first_name, last_name, email, phone, mobile, job_title, do_not_contact, notes,
                          created_at, updated_at, created_by, updated_by, deleted_at)
SELECT pg_temp.id('contact', c),
       pg_temp.first_name(c), pg_temp.last_name(c),
       CASE WHEN c % 50 = 0 THEN upper(pg_temp.contact_email(c + 1, :n_principals, :n_distributors, :n_customers, :n_orgs))
            WHEN c % 20 = 7 THEN NULL
            ELSE pg_temp.contact_email(c, :n_principals, :n_distributors, :n_customers, :n_orgs) END,
       format('+1-%s-555-%s', lpad((200 + c % 700)::text, 3, '0'), lpad((c * 13 % 10000)::text, 4, '0')),
       CASE WHEN r1 < 0.6 THEN format('+1-%s-555-%s', lpad((300 + c % 600)::text, 3, '0'), lpad((c * 29 % 10000)::text, 4, '0')) END,
       pg_temp.w('{Owner,General Manager,Executive Chef,Purchasing Manager,Buyer,Category Manager,Food and Beverage Director,Operations Manager,Controller,Sales Manager,Regional Manager,Marketing Manager}'::text[], r2),
       r3 < 0.03,
       CASE WHEN r4 < 0.1 THEN 'Met at the regional food show.' END,
       created_at, created_at, pg_temp.id('user', 1), pg_temp.id('user', 1),
       CASE WHEN c % 50 = 0 THEN created_at + (:'anchor'::timestamptz - created_at) * r1 END
  FROM generate_series(1, :n_contacts) AS c
 CROSS JOIN LATERAL (SELECT md5('crm-seed/contact-r/' || c) AS h OFFSET 0) AS h
 CROSS JOIN LATERAL (SELECT pg_temp.r(h, 0) AS r1, pg_temp.r(h, 1) AS r2, pg_temp.r(h, 2) AS r3, pg_temp.r(h, 3) AS r4,
                            :'anchor'::timestamptz
                              - make_interval(secs => floor(pg_temp.r(md5('crm-seed/contact-t/' || c), 0) * 126144000)) AS created_at OFFSET 0) AS v
 ORDER BY c;

-- Affiliations: each contact's primary organization, plus a second one for
-- 15 % of contacts (half of them a former employer).
INSERT INTO crm.contact_organizations (contact_id, organization_id, role, is_primary, started_on, ended_on,
                                       created_at, updated_at, created_by, updated_by)
SELECT pg_temp.id('contact', c),
       pg_temp.org_id(o, :n_principals, :n_distributors, :n_customers),
       pg_temp.w('{owner,executive,buyer,buyer,chef,chef,operations,finance,sales,marketing,other}'::text[], r1)::crm.contact_role,
       j = 0,
       (:'anchor'::timestamptz - interval '8 years')::date + floor(r2 * 1500)::int,
       CASE WHEN j = 1 AND r3 < 0.5 THEN (:'anchor'::timestamptz - interval '8 years')::date + 1500 + floor(r3 * 1000)::int END,
       :'anchor'::timestamptz - interval '4 years', :'anchor'::timestamptz - interval '4 years',
       pg_temp.id('user', 1), pg_temp.id('user', 1)
  FROM generate_series(1, :n_contacts) AS c
 CROSS JOIN LATERAL (SELECT md5('crm-seed/affiliation/' || c) AS h OFFSET 0) AS h
 CROSS JOIN LATERAL (SELECT 0 AS j, (c - 1) % :n_orgs + 1 AS o
                     UNION ALL
                     SELECT 1, ((c - 1) % :n_orgs + 1 + floor(pg_temp.r(h, 0) * (:n_orgs - 1))::int) % :n_orgs + 1
                      WHERE pg_temp.r(h, 1) < 0.15) AS a
 CROSS JOIN LATERAL (SELECT pg_temp.r(md5(h || j), 0) AS r1, pg_temp.r(md5(h || j), 1) AS r2,
                            pg_temp.r(md5(h || j), 2) AS r3 OFFSET 0) AS r
 ORDER BY c, j;

-- Products: 50 per principal; product j (0-based) of principal p is number
-- p + n_principals * j.
INSERT INTO crm.products (id, principal_id, sku, name, category, unit_of_measure, list_price,
                          launched_on, discontinued_on, created_at, updated_at, created_by, updated_by, deleted_at)
SELECT pg_temp.id('product', k),
       pg_temp.id('principal', p),
       format('P%s-%s', lpad(p::text, 3, '0'), lpad(((k - 1) / :n_principals + 1)::text, 4, '0')),
       pg_temp.w('{Classic,Premium,Organic,Signature,Select,Homestyle,Artisan,Value}'::text[], r1) || ' '
         || pg_temp.w('{Cheesecake,Chicken Breast,French Fries,Marinara,Sourdough Loaf,Ice Cream,Cold Brew,Bacon,Salmon Fillet,Mozzarella,Brownie,Fryer Oil,Combi Oven,Food Processor,Napkins}'::text[], r2)
         || ' ' || pg_temp.w('{6x2 lb,4x5 lb,12 ct,24 ct,case,10 lb,each}'::text[], r3),
       pg_temp.w('{Frozen desserts,Center of plate,Frozen potatoes,Sauces,Bakery,Dairy,Beverages,Seafood,Equipment,Disposables}'::text[], r2),
       pg_temp.w('{case,case,case,each,pound}'::text[], r3),
       round((5 + 245 * r4 * r4)::numeric, 2),
       launched, CASE WHEN k % 20 = 3 THEN launched + 400 + floor(r1 * 600)::int END,
       :'anchor'::timestamptz - interval '3 years', :'anchor'::timestamptz - interval '3 years',
       pg_temp.id('user', 1), pg_temp.id('user', 1),
       CASE WHEN k % 50 = 11 THEN :'anchor'::timestamptz - interval '30 days' END
  FROM generate_series(1, :n_products) AS k
 CROSS JOIN LATERAL (SELECT (k - 1) % :n_principals + 1 AS p, md5('crm-seed/product-r/' || k) AS h OFFSET 0) AS h
 CROSS JOIN LATERAL (SELECT pg_temp.r(h, 0) AS r1, pg_temp.r(h, 1) AS r2, pg_temp.r(h, 2) AS r3, pg_temp.r(h, 3) AS r4,
                            (:'anchor'::timestamptz - interval '10 years')::date + floor(pg_temp.r(h, 3) * 2500)::int AS launched OFFSET 0) AS v
 ORDER BY k;

-- Opportunities, computed once into a temporary table that the line items,
-- buying groups, stage history and interactions reuse.
CREATE TEMP TABLE seed_opp ON COMMIT DROP AS
SELECT q, p, cust, cust_kind, dist, owner, created_at, stage, closed_at, amount, lost_step, hc
  FROM generate_series(1, :n_opportunities) AS q
 CROSS JOIN LATERAL (SELECT md5('crm-seed/opp-a/' || q) AS ha, md5('crm-seed/opp-b/' || q) AS hb,
                            md5('crm-seed/opp-d/' || q) AS hc OFFSET 0) AS h
 CROSS JOIN LATERAL (SELECT 1 + floor(pg_temp.r(ha, 0) * :n_principals)::int AS p,
                            -- 85 % customers, 15 % prospects
                            CASE WHEN pg_temp.r(ha, 1) < 0.85
                                 THEN :first_customer_minus_1 + 1 + floor(pg_temp.r(hb, 0) * :n_customers)::int
                                 ELSE :first_customer_minus_1 + :n_customers + 1 + floor(pg_temp.r(hb, 0) * :n_prospects)::int
                            END AS cust,
                            2 + floor(pg_temp.r(ha, 2) * (:n_users - 1))::int AS owner,
                            :'anchor'::timestamptz - interval '3 years'
                              + make_interval(secs => floor(pg_temp.r(ha, 3) * 94608000)) AS created_at,
                            pg_temp.r(hb, 1) AS rs, pg_temp.r(hb, 2) AS rd, pg_temp.r(hb, 3) AS rc OFFSET 0) AS a
 CROSS JOIN LATERAL (SELECT pg_temp.org_kind(cust, :n_principals, :n_distributors, :n_customers) AS cust_kind,
                            -- 75 % through a distributor that carries the principal (k = p mod 3)
                            CASE WHEN rd < 0.75 THEN
                                (p - 1) % 3 + 1 + 3 * floor(rd / 0.75 * ((:n_distributors - 1 - (p - 1) % 3) / 3 + 1))::int
                            END AS dist,
                            CASE WHEN created_at < :'anchor'::timestamptz - interval '180 days'
                                 THEN CASE WHEN rs < 0.45 THEN 'won' WHEN rs < 0.85 THEN 'lost' END
                                 ELSE CASE WHEN rs < 0.15 THEN 'won' WHEN rs < 0.25 THEN 'lost' END
                            END AS closed_stage,
                            floor(rs * 4)::int AS lost_step OFFSET 0) AS b
 CROSS JOIN LATERAL (SELECT CASE WHEN closed_stage = 'won' AND cust_kind = 'prospect' THEN 'lost'
                                 WHEN closed_stage IS NOT NULL THEN closed_stage
                                 ELSE (ARRAY['prospecting', 'qualification', 'proposal', 'negotiation'])[1 + floor(rc * 4)::int]
                            END::crm.opportunity_stage AS stage OFFSET 0) AS s
 CROSS JOIN LATERAL (SELECT CASE WHEN stage IN ('won', 'lost')
                                 THEN least(:'anchor'::timestamptz,
                                            created_at + make_interval(secs => floor(86400 * (7 + 170 * pg_temp.r(hc, 2)))))
                            END AS closed_at,
                            round((500 + 99500 * pg_temp.r(hc, 0) ^ 3)::numeric, -1) AS amount OFFSET 0) AS c
 ORDER BY q;
ALTER TABLE seed_opp ADD PRIMARY KEY (q);
ANALYZE seed_opp;

-- The stage history is generated below with deterministic ids and times, so
-- the history trigger is switched off for the bulk insert.
ALTER TABLE crm.opportunities DISABLE TRIGGER record_stage_on_insert;

INSERT INTO crm.opportunities (id, name, customer_id, customer_kind, principal_id, distributor_id, owner_id, stage,
                               amount, probability, expected_close_date, closed_at, lost_reason, lost_reason_note,
                               next_step, created_at, updated_at, created_by, updated_by, deleted_at)
SELECT pg_temp.id('opportunity', q),
       pg_temp.w('{Spring menu,Summer menu,Fall menu,Holiday menu,Line extension,New location,Conversion,Trial,Annual bid,Promotion}'::text[], r1)
         || ' - ' || pg_temp.w('{frozen desserts,center of plate,fries,sauces,bakery,dairy,beverages,seafood,equipment,disposables}'::text[], r2),
       pg_temp.org_id(cust, :n_principals, :n_distributors, :n_customers),
       cust_kind::crm.organization_kind,
       pg_temp.id('principal', p),
       CASE WHEN dist IS NOT NULL THEN pg_temp.id('distributor', dist) END,
       pg_temp.id('user', owner),
       stage,
       amount,
       (CASE stage WHEN 'prospecting' THEN 10 WHEN 'qualification' THEN 25 WHEN 'proposal' THEN 50
                   WHEN 'negotiation' THEN 75 WHEN 'won' THEN 100 ELSE 0 END),
       (created_at + make_interval(days => 30 + floor(r3 * 150)::int))::date,
       closed_at,
       CASE WHEN stage = 'lost'
            THEN pg_temp.w('{price,price,competitor,competitor,no_budget,no_decision,product_fit,distribution,timing,other}'::text[], r4)::crm.lost_reason END,
       CASE WHEN stage = 'lost' AND r3 < 0.3 THEN 'Incumbent brand matched our price.' END,
       CASE WHEN stage NOT IN ('won', 'lost') THEN
            pg_temp.w('{Send samples,Schedule cutting,Quote distributor price,Follow up with chef,Get item set up at distributor}'::text[], r4) END,
       created_at, coalesce(closed_at, created_at),
       pg_temp.id('user', owner), pg_temp.id('user', owner),
       CASE WHEN q % 100 = 42 THEN coalesce(closed_at, created_at) + interval '1 day' END
  FROM seed_opp
 CROSS JOIN LATERAL (SELECT md5('crm-seed/opp-c/' || q) AS hx OFFSET 0) AS h
 CROSS JOIN LATERAL (SELECT pg_temp.r(hx, 0) AS r1, pg_temp.r(hx, 1) AS r2, pg_temp.r(hx, 2) AS r3, pg_temp.r(hx, 3) AS r4 OFFSET 0) AS r
 ORDER BY q;

ALTER TABLE crm.opportunities ENABLE TRIGGER record_stage_on_insert;

-- Stage history: the path through the open stages up to the current stage;
-- lost opportunities drop out after lost_step open stages.
INSERT INTO crm.opportunity_stage_history (id, opportunity_id, from_stage, to_stage, amount, probability, changed_at,
                                           created_at, updated_at, created_by, updated_by)
SELECT pg_temp.id('stage-change', q::bigint * 8 + step),
       pg_temp.id('opportunity', q),
       path[step - 1]::crm.opportunity_stage,
       path[step]::crm.opportunity_stage,
       amount,
       (CASE path[step] WHEN 'prospecting' THEN 10 WHEN 'qualification' THEN 25 WHEN 'proposal' THEN 50
                        WHEN 'negotiation' THEN 75 WHEN 'won' THEN 100 ELSE 0 END),
       changed_at, changed_at, changed_at,
       pg_temp.id('user', owner), pg_temp.id('user', owner)
  FROM seed_opp
 CROSS JOIN LATERAL (SELECT CASE stage
            WHEN 'prospecting'   THEN ARRAY['prospecting']
            WHEN 'qualification' THEN ARRAY['prospecting', 'qualification']
            WHEN 'proposal'      THEN ARRAY['prospecting', 'qualification', 'proposal']
            WHEN 'negotiation'   THEN ARRAY['prospecting', 'qualification', 'proposal', 'negotiation']
            WHEN 'won'           THEN ARRAY['prospecting', 'qualification', 'proposal', 'negotiation', 'won']
            ELSE (ARRAY['prospecting', 'qualification', 'proposal', 'negotiation'])[1:lost_step + 1] || ARRAY['lost']
        END AS path OFFSET 0) AS pa
 CROSS JOIN LATERAL generate_series(1, cardinality(path)) AS step
 CROSS JOIN LATERAL (SELECT CASE WHEN step = 1 THEN created_at
                                 ELSE created_at + (coalesce(closed_at, least(:'anchor'::timestamptz, created_at + interval '120 days'))
                                                    - created_at) * (step - 1) / (cardinality(path) - 1)
                            END AS changed_at OFFSET 0) AS t
 ORDER BY q, step;

-- Line items: 0-3 distinct products of the opportunity's principal, priced
-- off list.
INSERT INTO crm.opportunity_products (opportunity_id, product_id, principal_id, quantity, unit_price, discount_pct,
                                      created_at, updated_at, created_by, updated_by)
SELECT pg_temp.id('opportunity', o.q), pr.id, pr.principal_id,
       10 + floor(490 * pg_temp.r(hl, 0)),
       round(pr.list_price * (0.85 + 0.15 * pg_temp.r(hl, 1))::numeric, 2),
       (ARRAY[0, 0, 0, 2.5, 5, 10])[1 + floor(pg_temp.r(hl, 2) * 6)::int],
       o.created_at, o.created_at, pg_temp.id('user', o.owner), pg_temp.id('user', o.owner)
  FROM seed_opp AS o
 CROSS JOIN LATERAL generate_series(0, floor(pg_temp.r(o.hc, 1) * 4)::int - 1) AS l
 CROSS JOIN LATERAL (SELECT md5('crm-seed/line/' || o.q || '/' || l) AS hl,
                            o.p + :n_principals * ((floor(pg_temp.r(o.hc, 3) * :n_products_per_principal)::int + 7 * l)
                                                   % :n_products_per_principal) AS k OFFSET 0) AS x
  JOIN crm.products AS pr ON pr.id = pg_temp.id('product', x.k)
 ORDER BY o.q, l;

-- Buying groups: 1-3 contacts of the customer (contacts c = cust + n_orgs * j).
INSERT INTO crm.opportunity_contacts (opportunity_id, contact_id, buying_role, notes,
                                      created_at, updated_at, created_by, updated_by)
SELECT pg_temp.id('opportunity', o.q),
       pg_temp.id('contact', o.cust + :n_orgs * ((b + l) % cnt)),
       (CASE WHEN l = 0 THEN 'decision_maker'
             ELSE pg_temp.w('{influencer,influencer,champion,user,gatekeeper,blocker}'::text[], pg_temp.r(md5('crm-seed/role/' || o.q || '/' || l), 0)) END)::crm.buying_role,
       NULL,
       o.created_at, o.created_at, pg_temp.id('user', o.owner), pg_temp.id('user', o.owner)
  FROM seed_opp AS o
 CROSS JOIN LATERAL (SELECT (:n_contacts - o.cust) / :n_orgs + 1 AS cnt,
                            floor(pg_temp.r(md5('crm-seed/group/' || o.q), 0) * 8)::int AS b OFFSET 0) AS c
 CROSS JOIN LATERAL generate_series(0, least(cnt, 1 + o.q % 3) - 1) AS l
 ORDER BY o.q, l;

-- Interactions and their participants, in one statement. 30 % advance an
-- opportunity (with its customer, principal and owner); the rest are with the
-- organization of a random contact, 80 % of them about some principal.
WITH src AS MATERIALIZED (
    SELECT n, kind, occurred_at, user_n, org, contact_c, principal_p, opp_q, follow_up_at, r5, r6, r7, r8, h.ha, h.hb,
           CASE WHEN follow_up_at IS NOT NULL
                 AND ((follow_up_at < :'anchor'::timestamptz - interval '14 days' AND r9 < 0.97) OR r9 < 0.4)
                THEN least(:'anchor'::timestamptz, follow_up_at + make_interval(secs => floor(r8 * 259200)))
           END AS follow_up_done_at
      FROM generate_series(1, :n_interactions) AS n
     CROSS JOIN LATERAL (SELECT md5('crm-seed/act-a/' || n) AS ha, md5('crm-seed/act-b/' || n) AS hb,
                                md5('crm-seed/act-c/' || n) AS hc OFFSET 0) AS h
     CROSS JOIN LATERAL (SELECT pg_temp.r(ha, 0) AS r0, pg_temp.r(ha, 1) AS r1, pg_temp.r(ha, 2) AS r2, pg_temp.r(ha, 3) AS r3,
                                pg_temp.r(hb, 0) AS r4, pg_temp.r(hb, 1) AS r5, pg_temp.r(hb, 2) AS r6, pg_temp.r(hb, 3) AS r7,
                                pg_temp.r(hc, 0) AS r8, pg_temp.r(hc, 1) AS r9, pg_temp.r(hc, 2) AS r10 OFFSET 0) AS r
      LEFT JOIN seed_opp AS o ON r0 < 0.3 AND o.q = 1 + floor(r1 * :n_opportunities)::int
     CROSS JOIN LATERAL (SELECT
            (CASE WHEN r2 < 0.35 THEN 'call' WHEN r2 < 0.65 THEN 'email' WHEN r2 < 0.77 THEN 'meeting'
                  WHEN r2 < 0.89 THEN 'visit' WHEN r2 < 0.94 THEN 'sample' WHEN r2 < 0.97 THEN 'demo'
                  WHEN r2 < 0.985 THEN 'trade_show' ELSE 'note' END)::crm.interaction_kind AS kind,
            CASE WHEN o.q IS NOT NULL
                 THEN o.created_at + (coalesce(o.closed_at, :'anchor'::timestamptz) - o.created_at) * r3
                 ELSE :'anchor'::timestamptz - make_interval(secs => 1 + floor(r3 * 94608000))
            END AS occurred_at,
            coalesce(o.owner, 2 + floor(r4 * (:n_users - 1))::int) AS user_n,
            coalesce(o.cust, (floor(r5 * :n_contacts)::int) % :n_orgs + 1) AS org,
            CASE WHEN o.q IS NOT NULL THEN o.cust + :n_orgs * floor(r5 * ((:n_contacts - o.cust) / :n_orgs + 1))::int
                 WHEN r6 < 0.85 THEN 1 + floor(r5 * :n_contacts)::int
            END AS contact_c,
            CASE WHEN o.q IS NOT NULL THEN o.p
                 WHEN r10 < 0.8 THEN 1 + floor(r10 / 0.8 * :n_principals)::int
            END AS principal_p,
            o.q AS opp_q OFFSET 0) AS v
     CROSS JOIN LATERAL (SELECT CASE WHEN r7 < 0.35 AND kind <> 'note'
                                     THEN occurred_at + make_interval(secs => 3600 + floor(r8 * 14 * 86400))
                                END AS follow_up_at OFFSET 0) AS f
     ORDER BY n
), ins AS (
    INSERT INTO crm.interactions (id, kind, occurred_at, duration_minutes, user_id, organization_id, contact_id,
                                  principal_id, opportunity_id, subject, notes, outcome, follow_up_at, follow_up_note,
                                  follow_up_done_at, created_at, updated_at, created_by, updated_by, deleted_at)
    SELECT pg_temp.id('interaction', n), kind, occurred_at,
           CASE kind WHEN 'call' THEN 3 + floor(r5 * 27) WHEN 'meeting' THEN 30 + 15 * floor(r5 * 5)
                     WHEN 'visit' THEN 20 + 10 * floor(r5 * 10) WHEN 'demo' THEN 45 + 15 * floor(r5 * 4)
                     WHEN 'trade_show' THEN 5 + floor(r5 * 20) WHEN 'sample' THEN 10 + floor(r5 * 20) END,
           pg_temp.id('user', user_n),
           pg_temp.org_id(org, :n_principals, :n_distributors, :n_customers),
           CASE WHEN contact_c IS NOT NULL THEN pg_temp.id('contact', contact_c) END,
           CASE WHEN principal_p IS NOT NULL THEN pg_temp.id('principal', principal_p) END,
           CASE WHEN opp_q IS NOT NULL THEN pg_temp.id('opportunity', opp_q) END,
           CASE kind WHEN 'call' THEN 'Call: ' WHEN 'email' THEN 'E-mail: ' WHEN 'meeting' THEN 'Meeting: '
                     WHEN 'visit' THEN 'Visit: ' WHEN 'sample' THEN 'Samples: ' WHEN 'demo' THEN 'Demo: '
                     WHEN 'trade_show' THEN 'Show: ' ELSE 'Note: ' END
             || pg_temp.w('{new items,pricing,menu review,distributor pick-up,reorder,product cutting,line review,promotion,complaint,introduction}'::text[], r6),
           CASE WHEN r8 < 0.5 THEN pg_temp.w('{Liked the samples; wants pricing through the distributor.,Buyer out; left materials.,Chef will test next week.,Asked for a competitive comparison.,Reviewed current usage and pack sizes.}'::text[], r7) END,
           CASE WHEN kind = 'note' THEN NULL
                ELSE pg_temp.w('{positive,positive,neutral,neutral,neutral,negative,no_response}'::text[], r8)::crm.interaction_outcome END,
           follow_up_at,
           CASE WHEN follow_up_at IS NOT NULL THEN pg_temp.w('{Send pricing,Drop samples,Call the buyer,Confirm distributor item code,Schedule cutting}'::text[], r5) END,
           follow_up_done_at,
           occurred_at + make_interval(secs => floor(r8 * 7200)),
           coalesce(follow_up_done_at, occurred_at + make_interval(secs => floor(r8 * 7200))),
           pg_temp.id('user', user_n), pg_temp.id('user', user_n),
           CASE WHEN n % 100 = 13 THEN occurred_at + interval '1 day' END
      FROM src
     ORDER BY n
)
INSERT INTO crm.interaction_participants (id, interaction_id, user_id, contact_id, is_organizer, attended,
                                          created_at, updated_at, created_by, updated_by)
SELECT pg_temp.id('participant', s.n::bigint * 4 + x.k), pg_temp.id('interaction', s.n),
       CASE WHEN x.user_n IS NOT NULL THEN pg_temp.id('user', x.user_n) END,
       CASE WHEN x.contact_c IS NOT NULL THEN pg_temp.id('contact', x.contact_c) END,
       x.k = 0, x.k = 0 OR s.r6 < 0.9,
       s.occurred_at, s.occurred_at, pg_temp.id('user', s.user_n), pg_temp.id('user', s.user_n)
  FROM src AS s
 CROSS JOIN LATERAL (SELECT 0 AS k, s.user_n, NULL::int AS contact_c
                     UNION ALL
                     SELECT 1, NULL, s.contact_c WHERE s.contact_c IS NOT NULL
                     UNION ALL
                     SELECT 2, 2 + (s.user_n - 2 + 1 + floor(pg_temp.r(s.hb, 3) * (:n_users - 2))::int) % (:n_users - 1), NULL
                      WHERE s.kind IN ('meeting', 'visit') AND pg_temp.r(s.ha, 3) < 0.4) AS x
 WHERE s.kind IN ('meeting', 'visit', 'demo', 'trade_show')
 ORDER BY s.n, x.k;

-- Monthly targets per principal, from three years back to two months ahead.
INSERT INTO crm.sales_targets (id, principal_id, period_month, target_amount, target_interactions,
                               created_at, updated_at, created_by, updated_by)
SELECT pg_temp.id('target', p::bigint * 1000 + m),
       pg_temp.id('principal', p),
       (date_trunc('month', :'anchor'::timestamptz AT TIME ZONE 'UTC') - make_interval(months => 36 - m))::date,
       round((:n_opportunities::numeric / :n_principals / 36 * 0.34 * 25000 * (0.8 + 0.4 * pg_temp.r(h, 0)))::numeric, -2),
       round(:n_interactions::numeric / :n_principals / 36 * 0.85 * (0.9 + 0.2 * pg_temp.r(h, 1))),
       :'anchor'::timestamptz - interval '3 years', :'anchor'::timestamptz - interval '3 years',
       pg_temp.id('user', 1), pg_temp.id('user', 1)
  FROM generate_series(1, :n_principals) AS p
 CROSS JOIN generate_series(0, 38) AS m
 CROSS JOIN LATERAL (SELECT md5('crm-seed/target/' || p || '/' || m) AS h OFFSET 0) AS h
 ORDER BY p, m;

SELECT format('ALTER TABLE %s ADD CONSTRAINT %I %s', tbl, conname, def) FROM seed_fks ORDER BY tbl, conname
\gexec
SELECT format('COMMENT ON CONSTRAINT %I ON %s IS %L', conname, tbl, comment)
  FROM seed_fks WHERE comment IS NOT NULL ORDER BY tbl, conname
\gexec

COMMIT;

SELECT crm.refresh_principal_monthly_performance();

VACUUM (ANALYZE) crm.users, crm.organizations, crm.distributor_principals, crm.principal_assignments,
                 crm.contacts, crm.contact_organizations, crm.products, crm.opportunities,
                 crm.opportunity_products, crm.opportunity_contacts, crm.opportunity_stage_history,
                 crm.interactions, crm.interaction_participants, crm.sales_targets,
                 crm.principal_monthly_performance;

SELECT 'crm-seed: ' || string_agg(format('%s=%s', relname, n_live_tup), ' ' ORDER BY relname) AS rows
  FROM pg_catalog.pg_stat_user_tables
 WHERE schemaname = 'crm';
