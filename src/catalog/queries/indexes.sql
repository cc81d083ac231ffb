-- Indexes on tables and materialized views that do not back a constraint and are not
-- partitions of an index on a partitioned table (those follow their parent).
-- The definition is what pg_get_indexdef prints. The keys come as pg_index stores them
-- (attribute numbers, operator classes, collations, options), named and composed by the
-- inspector from the columns query's rows and the operator classes and collations
-- (index_support.sql): when every key is a plain column with the default operator class of
-- the column's own type and the column's collation, the inspector composes the definition
-- as pg_get_indexdef composes it, and asks the server for the others (by OID, after this
-- query). Naming the keys here took a join of every key with pg_attribute and a grouping,
-- about a third of this query's time on a big catalog. The server prints the definition
-- here when it can tell already: an expression key, storage parameters, or a key column
-- with operator-class options. Expression keys come as pg_get_indexdef prints each. A
-- partial index's predicate is deparsed once, in `idx` (materialized), and the inspector
-- appends it to a composed definition.
-- The table is named without its schema, which is the index's.
WITH idx AS MATERIALIZED (
  SELECT i.indexrelid, i.indrelid, i.indisunique, i.indnkeyatts, i.indkey,
         i.indclass, i.indcollation, i.indoption,
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
)
SELECT x.nspname AS schema,
       x.relname AS name,
       x.table_name AS "table",
       x.indexrelid AS oid,
       x.indrelid AS relid,
       CASE WHEN 0 = ANY (x.indkey::int2[]) OR x.reloptions IS NOT NULL
                 OR EXISTS (SELECT FROM pg_catalog.pg_attribute ia
                             WHERE ia.attrelid = x.indexrelid AND ia.attoptions IS NOT NULL)
            THEN pg_get_indexdef(x.indexrelid) END AS definition,
       x.relkind = 'I' AS only,
       x.indisunique AS "unique",
       am.amname AS method,
       x.indnkeyatts AS key_count,
       x.indkey::int2[] AS columns,
       x.indclass::oid[] AS opclasses,
       x.indcollation::oid[] AS collations,
       x.indoption::int2[] AS key_options,
       CASE WHEN 0 = ANY (x.indkey::int2[]) THEN
         ARRAY(SELECT CASE WHEN x.indkey[o - 1] = 0
                           THEN pg_get_indexdef(x.indexrelid, o, false) ELSE '' END
                 FROM generate_series(1, x.indnkeyatts) o ORDER BY o) END AS expressions,
       x.predicate,
       coalesce(x.nulls_not_distinct, false) AS nulls_not_distinct,
       coalesce(x.reloptions, '{}') AS options,
       dsc.description AS comment
  FROM idx x
  JOIN pg_catalog.pg_am am ON am.oid = x.relam
  LEFT JOIN pg_catalog.pg_description dsc
         ON dsc.objoid = x.indexrelid AND dsc.classoid = 'pg_catalog.pg_class'::regclass AND dsc.objsubid = 0
