-- Table constraints (PK, UNIQUE, CHECK, FK, EXCLUDE) defined on the table itself: constraints
-- inherited from a parent or cloned from a partitioned table are left out.
SELECT n.nspname AS schema,
       c.relname AS "table",
       k.conname AS name,
       k.contype AS kind,
       pg_get_constraintdef(k.oid) AS definition,
       -- One index probe per key (cheaper than a join planned per constraint); expression
       -- keys of exclusion constraints (attnum 0) name no column.
       to_json(ARRAY(SELECT (SELECT a.attname FROM pg_catalog.pg_attribute a
                              WHERE a.attrelid = k.conrelid AND a.attnum = x.attnum)
                       FROM unnest(k.conkey) WITH ORDINALITY x(attnum, ord)
                      WHERE x.attnum <> 0 ORDER BY x.ord)) AS columns,
       CASE WHEN k.contype = 'f' THEN json_build_object(
         'references', json_build_object('schema', fn.nspname, 'name', fc.relname),
         'ref_columns', to_json(ARRAY(SELECT (SELECT a.attname FROM pg_catalog.pg_attribute a
                                               WHERE a.attrelid = k.confrelid AND a.attnum = x.attnum)
                                        FROM unnest(k.confkey) WITH ORDINALITY x(attnum, ord)
                                       WHERE x.attnum <> 0 ORDER BY x.ord)),
         'on_delete', CASE k.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT'
                        WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' ELSE 'SET DEFAULT' END,
         'on_update', CASE k.confupdtype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT'
                        WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' ELSE 'SET DEFAULT' END,
         'match_type', CASE k.confmatchtype WHEN 'f' THEN 'FULL' WHEN 'p' THEN 'PARTIAL' ELSE 'SIMPLE' END)
       END AS foreign_key,
       k.condeferrable AS deferrable,
       k.condeferred AS initially_deferred,
       k.convalidated AS validated,
       k.connoinherit AS no_inherit,
       coalesce(i.indnullsnotdistinct, false) AS nulls_not_distinct,
       dsc.description AS comment,
       idsc.description AS index_comment
  FROM pg_catalog.pg_constraint k
  JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_class fc ON fc.oid = k.confrelid
  LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
  LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = k.conindid AND k.contype IN ('p', 'u')
  LEFT JOIN pg_catalog.pg_description dsc
         ON dsc.objoid = k.oid AND dsc.classoid = 'pg_catalog.pg_constraint'::regclass AND dsc.objsubid = 0
  LEFT JOIN pg_catalog.pg_description idsc
         ON idsc.objoid = k.conindid AND idsc.classoid = 'pg_catalog.pg_class'::regclass AND idsc.objsubid = 0
        AND k.contype IN ('p', 'u', 'x')
 WHERE k.contype IN ('p', 'u', 'c', 'f', 'x')
   AND k.conislocal AND k.conparentid = 0
   AND c.relkind IN ('r', 'p')
   AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND NOT (n.nspname = ANY ($2::text[]))
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_class'::regclass
                      AND d.objid = c.oid AND d.deptype = 'e')
