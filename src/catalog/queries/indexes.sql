-- Indexes on tables and materialized views that do not back a constraint and are not
-- partitions of an index on a partitioned table (those follow their parent).
SELECT n.nspname AS schema,
       ic.relname AS name,
       json_build_object('schema', n.nspname, 'name', c.relname) AS "table",
       pg_get_indexdef(i.indexrelid) AS definition,
       i.indisunique AS "unique",
       am.amname AS method,
       (SELECT coalesce(json_agg(json_build_object(
                   'expression', CASE WHEN k.attnum <> 0 THEN quote_ident(att.attname)
                                       ELSE pg_get_indexdef(i.indexrelid, k.ord::int, false) END,
                   'opclass', CASE WHEN NOT oc.opcdefault THEN ocn.nspname || '.' || oc.opcname END,
                   'collation', CASE WHEN k.coll <> 0 AND k.coll <> coalesce(att.attcollation, 0)
                                     THEN cln.nspname || '.' || cl.collname END,
                   'descending', (k.opt & 1) <> 0,
                   'nulls_first', (k.opt & 2) <> 0) ORDER BY k.ord), '[]')
          FROM unnest(i.indkey::int2[], i.indclass::oid[], i.indcollation::oid[], i.indoption::int2[])
               WITH ORDINALITY k(attnum, opclass, coll, opt, ord)
          LEFT JOIN pg_catalog.pg_opclass oc ON oc.oid = k.opclass
          LEFT JOIN pg_catalog.pg_namespace ocn ON ocn.oid = oc.opcnamespace
          LEFT JOIN pg_catalog.pg_collation cl ON cl.oid = k.coll
          LEFT JOIN pg_catalog.pg_namespace cln ON cln.oid = cl.collnamespace
          LEFT JOIN pg_catalog.pg_attribute att ON att.attrelid = i.indrelid AND att.attnum = k.attnum AND k.attnum > 0
         WHERE k.ord <= i.indnkeyatts) AS keys,
       CASE WHEN i.indnatts > i.indnkeyatts THEN
         to_json(ARRAY(SELECT (SELECT a.attname FROM pg_catalog.pg_attribute a
                                WHERE a.attrelid = i.indrelid AND a.attnum = x.attnum)
                         FROM unnest(i.indkey::int2[]) WITH ORDINALITY x(attnum, ord)
                        WHERE x.ord > i.indnkeyatts ORDER BY x.ord)) ELSE '[]' END AS include,
       pg_get_expr(i.indpred, i.indrelid) AS predicate,
       coalesce(i.indnullsnotdistinct, false) AS nulls_not_distinct,
       (SELECT coalesce(json_agg(o ORDER BY n), '[]') FROM unnest(ic.reloptions) WITH ORDINALITY x(o, n)) AS options,
       dsc.description AS comment
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_am am ON am.oid = ic.relam
  LEFT JOIN pg_catalog.pg_description dsc
         ON dsc.objoid = ic.oid AND dsc.classoid = 'pg_catalog.pg_class'::regclass AND dsc.objsubid = 0
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
