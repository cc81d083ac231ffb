-- The objects that dependencies (queries/depends.sql) are recorded between, each with its
-- pgdiff identity: array types map to their element type, row types to their relation,
-- defaults to their column, rules to their view. Extension-owned objects are included, so
-- that a column of an extension's type depends on that type.
-- PostgreSQL 18's NOT NULL constraints of tables (contype 'n') are left out: they are not
-- modelled as constraints, nothing depends on them, and they would double the constraints.
WITH user_ns AS (
  SELECT n.oid, n.nspname
    FROM pg_catalog.pg_namespace n
   WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
     AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
     AND NOT (n.nspname = ANY ($2::text[]))
), rel AS MATERIALIZED (
  SELECT c.oid, n.nspname AS schema, c.relname AS name,
         CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view'
                        WHEN 'm' THEN 'materialized_view' WHEN 'S' THEN 'sequence'
                        WHEN 'i' THEN 'index' WHEN 'I' THEN 'index'
                        WHEN 'c' THEN 'composite_type' END AS kind
    FROM pg_catalog.pg_class c JOIN user_ns n ON n.oid = c.relnamespace
), typ AS MATERIALIZED (
  SELECT t.oid,
         coalesce(r.schema, n.nspname) AS schema,
         coalesce(r.name, b.typname) AS name,
         CASE WHEN r.kind IS NOT NULL THEN r.kind
              WHEN b.typtype = 'e' THEN 'enum' WHEN b.typtype = 'd' THEN 'domain' END AS kind
    FROM pg_catalog.pg_type t
    JOIN pg_catalog.pg_type b ON b.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN t.typelem ELSE t.oid END
    JOIN user_ns n ON n.oid = b.typnamespace
    LEFT JOIN rel r ON r.oid = b.typrelid
)
SELECT o.classid::oid::int8 AS class, o.objid::int8 AS oid, o.kind, o.schema, o.tbl AS "table", o.name, o.args
  FROM (
  SELECT 'pg_catalog.pg_class'::regclass AS classid, oid AS objid, kind, schema,
         NULL::text AS tbl, name, NULL::text AS args
    FROM rel WHERE kind IS NOT NULL
  UNION ALL
  SELECT 'pg_catalog.pg_type'::regclass, oid, kind, schema, NULL, name, NULL
    FROM typ WHERE kind IS NOT NULL
  UNION ALL
  SELECT 'pg_catalog.pg_proc'::regclass, p.oid,
         CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END,
         n.nspname, NULL, p.proname, oidvectortypes(p.proargtypes)
    FROM pg_catalog.pg_proc p JOIN user_ns n ON n.oid = p.pronamespace
   WHERE p.prokind IN ('f', 'p', 'w')
  UNION ALL
  SELECT 'pg_catalog.pg_constraint'::regclass, k.oid,
         CASE WHEN k.contypid <> 0 THEN 'domain' ELSE 'constraint' END,
         coalesce(r.schema, t.schema),
         CASE WHEN k.contypid <> 0 THEN NULL ELSE r.name END,
         CASE WHEN k.contypid <> 0 THEN t.name ELSE k.conname END, NULL
    FROM pg_catalog.pg_constraint k
    LEFT JOIN rel r ON r.oid = k.conrelid
    LEFT JOIN typ t ON t.oid = k.contypid
   WHERE (r.oid IS NOT NULL AND k.conparentid = 0 AND k.contype <> 'n') OR t.oid IS NOT NULL
  UNION ALL
  SELECT 'pg_catalog.pg_attrdef'::regclass, ad.oid, 'column', r.schema, r.name, a.attname, NULL
    FROM pg_catalog.pg_attrdef ad
    JOIN rel r ON r.oid = ad.adrelid
    JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
  UNION ALL
  SELECT 'pg_catalog.pg_rewrite'::regclass, rw.oid, r.kind, r.schema, NULL, r.name, NULL
    FROM pg_catalog.pg_rewrite rw JOIN rel r ON r.oid = rw.ev_class
   WHERE r.kind IN ('view', 'materialized_view')
  UNION ALL
  SELECT 'pg_catalog.pg_trigger'::regclass, tg.oid, 'trigger', r.schema, r.name, tg.tgname, NULL
    FROM pg_catalog.pg_trigger tg JOIN rel r ON r.oid = tg.tgrelid
   WHERE NOT tg.tgisinternal AND tg.tgparentid = 0
  UNION ALL
  SELECT 'pg_catalog.pg_policy'::regclass, po.oid, 'policy', r.schema, r.name, po.polname, NULL
    FROM pg_catalog.pg_policy po JOIN rel r ON r.oid = po.polrelid
  ) o
