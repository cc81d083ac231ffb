-- Table constraints (PK, UNIQUE, CHECK, FK, EXCLUDE) defined on the table itself: constraints
-- inherited from a parent or cloned from a partitioned table are left out.
-- The definition is what pg_get_constraintdef prints. Primary keys, unique constraints and
-- foreign keys are composed here from their columns, as that function composes them (it
-- looks each column up in the system caches, a large part of this query's time on a big
-- catalog); CHECK and EXCLUDE constraints, and the forms of newer servers (WITHOUT OVERLAPS,
-- PERIOD, NOT ENFORCED), are printed by pg_get_constraintdef.
-- The key columns of all constraints of the kinds reported, and the referenced columns of
-- foreign keys, are unnested first (materialized) and then looked up in pg_attribute in one
-- join and grouped: left to itself the planner scans each table's attributes and evaluates
-- the unnest once per attribute, the largest part of this query on a big catalog. A join
-- per constraint costs several times more. PostgreSQL 18's NOT NULL constraints, as many
-- as all the others on a typical schema, are left out before the grouping.
WITH key_cols AS MATERIALIZED (
  SELECT k.oid, false AS referenced, k.conrelid AS rel, x.attnum, x.ord
    FROM pg_catalog.pg_constraint k
   CROSS JOIN unnest(k.conkey) WITH ORDINALITY x(attnum, ord)
   WHERE k.conrelid <> 0 AND x.attnum <> 0 AND k.contype IN ('p', 'u', 'c', 'f', 'x')
  UNION ALL
  SELECT k.oid, true, k.confrelid, x.attnum, x.ord
    FROM pg_catalog.pg_constraint k
   CROSS JOIN unnest(k.confkey) WITH ORDINALITY x(attnum, ord)
   WHERE k.contype = 'f' AND x.attnum <> 0
), key_names AS (
  SELECT x.oid, x.referenced, json_agg(a.attname ORDER BY x.ord) AS names,
         string_agg(quote_ident(a.attname), ', ' ORDER BY x.ord) AS quoted
    FROM key_cols x
    JOIN pg_catalog.pg_attribute a ON a.attrelid = x.rel AND a.attnum = x.attnum
   GROUP BY x.oid, x.referenced
), keys AS (
  SELECT oid, names, quoted FROM key_names WHERE NOT referenced
), fkeys AS (
  SELECT oid, names, quoted FROM key_names WHERE referenced
)
SELECT n.nspname AS schema,
       c.relname AS "table",
       k.conname AS name,
       k.contype AS kind,
       CASE
         WHEN k.contype IN ('p', 'u') AND NOT k.conperiod THEN
           CASE k.contype WHEN 'p' THEN 'PRIMARY KEY ' ELSE 'UNIQUE ' END
           || CASE WHEN k.contype = 'u' AND i.indnullsnotdistinct THEN 'NULLS NOT DISTINCT ' ELSE '' END
           || '(' || kc.quoted || ')'
           || CASE WHEN i.indnatts > i.indnkeyatts THEN
                ' INCLUDE (' || (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY x.ord)
                                   FROM unnest(i.indkey::int2[]) WITH ORDINALITY x(attnum, ord)
                                   JOIN pg_catalog.pg_attribute a
                                     ON a.attrelid = i.indrelid AND a.attnum = x.attnum
                                  WHERE x.ord > i.indnkeyatts) || ')'
              ELSE '' END
           || CASE WHEN k.condeferrable THEN ' DEFERRABLE' ELSE '' END
           || CASE WHEN k.condeferred THEN ' INITIALLY DEFERRED' ELSE '' END
         WHEN k.contype = 'f' AND NOT k.conperiod AND k.conenforced THEN
           'FOREIGN KEY (' || kc.quoted || ') REFERENCES '
           || quote_ident(fn.nspname) || '.' || quote_ident(fc.relname) || '(' || fkc.quoted || ')'
           || CASE k.confmatchtype WHEN 'f' THEN ' MATCH FULL' WHEN 'p' THEN ' MATCH PARTIAL' ELSE '' END
           || CASE k.confupdtype WHEN 'r' THEN ' ON UPDATE RESTRICT' WHEN 'c' THEN ' ON UPDATE CASCADE'
                WHEN 'n' THEN ' ON UPDATE SET NULL' WHEN 'd' THEN ' ON UPDATE SET DEFAULT' ELSE '' END
           || CASE k.confdeltype WHEN 'r' THEN ' ON DELETE RESTRICT' WHEN 'c' THEN ' ON DELETE CASCADE'
                WHEN 'n' THEN ' ON DELETE SET NULL' WHEN 'd' THEN ' ON DELETE SET DEFAULT' ELSE '' END
           || coalesce(' (' || (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY x.ord)
                                  FROM unnest(k.confdelsetcols) WITH ORDINALITY x(attnum, ord)
                                  JOIN pg_catalog.pg_attribute a
                                    ON a.attrelid = k.conrelid AND a.attnum = x.attnum) || ')', '')
           || CASE WHEN k.condeferrable THEN ' DEFERRABLE' ELSE '' END
           || CASE WHEN k.condeferred THEN ' INITIALLY DEFERRED' ELSE '' END
           || CASE WHEN NOT k.convalidated THEN ' NOT VALID' ELSE '' END
         ELSE pg_get_constraintdef(k.oid)
       END AS definition,
       -- Expression keys of exclusion constraints (attnum 0) name no column.
       coalesce(kc.names, '[]') AS columns,
       CASE WHEN k.contype = 'f' THEN json_build_object(
         'references', json_build_object('schema', fn.nspname, 'name', fc.relname),
         'ref_columns', coalesce(fkc.names, '[]'),
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
  LEFT JOIN keys kc ON kc.oid = k.oid
  LEFT JOIN fkeys fkc ON fkc.oid = k.oid
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
