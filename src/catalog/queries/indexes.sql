-- Indexes on tables and materialized views that do not back a constraint and are not
-- partitions of an index on a partitioned table (those follow their parent).
-- Set-based: the keys of all indexes are read in one join and grouped, rather than by a
-- subquery per index (planned as joins per index, several times slower).
-- The definition is what pg_get_indexdef prints. For an index whose keys are all plain
-- columns with the default operator class of the column's own type, no other collation and
-- no operator class options, it is composed here, as pg_get_indexdef composes it: that
-- function looks up every key's default operator class by scanning pg_opclass, the largest
-- part of this query's time. Every other index is printed by pg_get_indexdef. A partial
-- index's predicate is deparsed once, in `idx` (materialized), for both its column and the
-- definition.
-- Lists come as arrays, not JSON. The table is named without its schema, which is the index's.
WITH idx AS MATERIALIZED (
  SELECT i.indexrelid, i.indrelid, i.indisunique, i.indnkeyatts, i.indnatts, i.indkey,
         i.indclass, i.indcollation, i.indoption, i.indpred,
         i.indnullsnotdistinct AS nulls_not_distinct,
         pg_get_expr(i.indpred, i.indrelid) AS predicate,
         n.nspname, c.relname AS table_name, ic.relname, ic.relkind, ic.relam, ic.reloptions
    FROM pg_catalog.pg_index i
    JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'p', 'm')
     AND NOT EXISTS (SELECT FROM pg_catalog.pg_constraint k
                      WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid
                        AND k.contype IN ('p', 'u', 'x'))
     AND NOT EXISTS (SELECT FROM pg_catalog.pg_inherits h WHERE h.inhrelid = i.indexrelid)
     AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
     AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
     AND NOT (n.nspname = ANY ($2::text[]))
     AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                      WHERE d.classid = 'pg_catalog.pg_class'::regclass
                        AND d.objid = c.oid AND d.deptype = 'e')
), cols AS (
  SELECT x.indexrelid, x.indrelid, x.indnkeyatts, k.attnum, k.opclass, k.coll, k.opt, k.ord
    FROM idx x,
         unnest(x.indkey::int2[], x.indclass::oid[], x.indcollation::oid[], x.indoption::int2[])
           WITH ORDINALITY k(attnum, opclass, coll, opt, ord)
), keys AS (
  SELECT k.indexrelid,
         bool_and(k.attnum > 0 AND oc.opcdefault AND oc.opcintype = att.atttypid
                  AND (k.coll = 0 OR k.coll = att.attcollation) AND iatt.attoptions IS NULL) AS plain,
         string_agg(quote_ident(att.attname)
                    || CASE WHEN NOT pg_indexam_has_property(oc.opcmethod, 'can_order') THEN ''
                            WHEN (k.opt & 1) <> 0 AND (k.opt & 2) <> 0 THEN ' DESC'
                            WHEN (k.opt & 1) <> 0 THEN ' DESC NULLS LAST'
                            WHEN (k.opt & 2) <> 0 THEN ' NULLS FIRST' ELSE '' END,
                    ', ' ORDER BY k.ord) AS columns,
         -- The keys as parallel arrays, zipped by the inspector: building a JSON object
         -- per key cost more than the rest of this grouping. '' is no operator class (the
         -- default) and no collation (the column's).
         array_agg(CASE WHEN k.attnum <> 0 THEN quote_ident(att.attname)
                        ELSE pg_get_indexdef(k.indexrelid, k.ord::int, false) END
                   ORDER BY k.ord) AS key_expressions,
         array_agg(CASE WHEN NOT oc.opcdefault THEN ocn.nspname || '.' || oc.opcname ELSE '' END
                   ORDER BY k.ord) AS key_opclasses,
         array_agg(CASE WHEN k.coll <> 0 AND k.coll <> coalesce(att.attcollation, 0)
                        THEN cln.nspname || '.' || cl.collname ELSE '' END
                   ORDER BY k.ord) AS key_collations,
         array_agg(k.opt ORDER BY k.ord) AS key_options
    FROM cols k
    LEFT JOIN pg_catalog.pg_opclass oc ON oc.oid = k.opclass
    LEFT JOIN pg_catalog.pg_namespace ocn ON ocn.oid = oc.opcnamespace
    LEFT JOIN pg_catalog.pg_collation cl ON cl.oid = k.coll
    LEFT JOIN pg_catalog.pg_namespace cln ON cln.oid = cl.collnamespace
    LEFT JOIN pg_catalog.pg_attribute att ON att.attrelid = k.indrelid AND att.attnum = k.attnum AND k.attnum > 0
    LEFT JOIN pg_catalog.pg_attribute iatt ON iatt.attrelid = k.indexrelid AND iatt.attnum = k.ord
   WHERE k.ord <= k.indnkeyatts
   GROUP BY k.indexrelid
), include AS (
  SELECT k.indexrelid, array_agg(att.attname ORDER BY k.ord) AS include,
         string_agg(quote_ident(att.attname), ', ' ORDER BY k.ord) AS columns
    FROM cols k
    LEFT JOIN pg_catalog.pg_attribute att ON att.attrelid = k.indrelid AND att.attnum = k.attnum
   WHERE k.ord > k.indnkeyatts
   GROUP BY k.indexrelid
)
SELECT x.nspname AS schema,
       x.relname AS name,
       x.table_name AS "table",
       CASE WHEN keys.plain AND x.reloptions IS NULL THEN
         'CREATE ' || CASE WHEN x.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX '
         || quote_ident(x.relname) || ' ON ' || CASE WHEN x.relkind = 'I' THEN 'ONLY ' ELSE '' END
         || quote_ident(x.nspname) || '.' || quote_ident(x.table_name)
         || ' USING ' || quote_ident(am.amname) || ' (' || keys.columns
         || coalesce(') INCLUDE (' || include.columns, '') || ')'
         || CASE WHEN x.nulls_not_distinct THEN ' NULLS NOT DISTINCT' ELSE '' END
         || coalesce(' WHERE ' || x.predicate, '')
       ELSE pg_get_indexdef(x.indexrelid) END AS definition,
       x.indisunique AS "unique",
       am.amname AS method,
       coalesce(keys.key_expressions, '{}') AS key_expressions,
       coalesce(keys.key_opclasses, '{}') AS key_opclasses,
       coalesce(keys.key_collations, '{}') AS key_collations,
       coalesce(keys.key_options, '{}') AS key_options,
       coalesce(include.include, '{}') AS include,
       x.predicate,
       coalesce(x.nulls_not_distinct, false) AS nulls_not_distinct,
       coalesce(x.reloptions, '{}') AS options,
       dsc.description AS comment
  FROM idx x
  JOIN pg_catalog.pg_am am ON am.oid = x.relam
  LEFT JOIN keys ON keys.indexrelid = x.indexrelid
  LEFT JOIN include ON include.indexrelid = x.indexrelid
  LEFT JOIN pg_catalog.pg_description dsc
         ON dsc.objoid = x.indexrelid AND dsc.classoid = 'pg_catalog.pg_class'::regclass AND dsc.objsubid = 0
