-- Dependencies between modelled objects, from pg_depend: views on what they read, defaults,
-- checks, indexes and triggers on the functions they call, routines on the types they use,
-- and so on. Each object is mapped to its pgdiff identity (array types to their element type,
-- row types to their relation, defaults to their column, rules to their view).
WITH user_ns AS (
  SELECT n.oid, n.nspname
    FROM pg_catalog.pg_namespace n
   WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
     AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
     AND NOT (n.nspname = ANY ($2::text[]))
), rel AS (
  SELECT c.oid, n.nspname AS schema, c.relname AS name,
         CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view'
                        WHEN 'm' THEN 'materialized_view' WHEN 'S' THEN 'sequence'
                        WHEN 'i' THEN 'index' WHEN 'I' THEN 'index'
                        WHEN 'c' THEN 'composite_type' END AS kind
    FROM pg_catalog.pg_class c JOIN user_ns n ON n.oid = c.relnamespace
), typ AS (
  SELECT t.oid,
         coalesce(r.schema, n.nspname) AS schema,
         coalesce(r.name, b.typname) AS name,
         CASE WHEN r.kind IS NOT NULL THEN r.kind
              WHEN b.typtype = 'e' THEN 'enum' WHEN b.typtype = 'd' THEN 'domain' END AS kind
    FROM pg_catalog.pg_type t
    JOIN pg_catalog.pg_type b ON b.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN t.typelem ELSE t.oid END
    JOIN user_ns n ON n.oid = b.typnamespace
    LEFT JOIN rel r ON r.oid = b.typrelid
), objs AS (
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
   WHERE (r.oid IS NOT NULL AND k.conparentid = 0) OR t.oid IS NOT NULL
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
)
-- A view's dependency on a table column is reported twice: on the table (for ordering) and
-- on the column itself (so that changing one column recreates only the views that read it).
SELECT DISTINCT
       a.kind AS from_kind, a.schema AS from_schema, a.tbl AS from_table, a.name AS from_name, a.args AS from_args,
       t.kind AS to_kind, b.schema AS to_schema, t.tbl AS to_table, t.name AS to_name, b.args AS to_args
  FROM pg_catalog.pg_depend d
  JOIN objs a ON a.classid = d.classid AND a.objid = d.objid
  JOIN objs b ON b.classid = d.refclassid AND b.objid = d.refobjid
  LEFT JOIN pg_catalog.pg_attribute att
         ON d.refclassid = 'pg_catalog.pg_class'::regclass AND att.attrelid = d.refobjid
        AND att.attnum = d.refobjsubid AND d.refobjsubid > 0
  CROSS JOIN LATERAL (
    SELECT b.kind, b.tbl, b.name
    UNION ALL
    SELECT 'column', b.name, att.attname
     WHERE att.attname IS NOT NULL AND b.kind = 'table'
       AND a.kind IN ('view', 'materialized_view')
  ) t
 WHERE d.deptype IN ('n', 'a')
   AND (a.kind, a.schema, coalesce(a.tbl, ''), a.name, coalesce(a.args, ''))
       IS DISTINCT FROM (b.kind, b.schema, coalesce(b.tbl, ''), b.name, coalesce(b.args, ''))
