-- Table constraints (PK, UNIQUE, CHECK, FK, EXCLUDE) defined on the table itself: constraints
-- inherited from a parent or cloned from a partitioned table are left out.
-- The definition is what pg_get_constraintdef prints. EXCLUDE constraints and the forms of
-- newer servers (WITHOUT OVERLAPS, PERIOD, NOT ENFORCED) are printed here by that function.
-- Primary keys, unique constraints and foreign keys (most constraints of a schema) come as
-- their parts instead: the key columns as attribute numbers, which the inspector names from
-- the columns query's rows and composes into the same text as the function would. Naming
-- them here, by a join of every key column with pg_attribute and a grouping, and composing
-- the text took about 45% of this query's time on a big catalog. A CHECK constraint comes
-- as its deparsed expression, which the inspector wraps as the function does: deparsing
-- conbin directly skips the function's lookup of the constraint by OID, a third of the
-- cost of the CHECK constraints' texts in a fresh backend.
-- The referenced columns of a foreign key are named here only when the columns query does
-- not read the referenced table (its schema filtered out, or a member of an extension).
-- PostgreSQL 18's NOT NULL constraints are left out.
SELECT n.nspname AS schema,
       c.relname AS "table",
       k.conrelid AS relid,
       k.confrelid AS ref_relid,
       k.conname AS name,
       k.contype AS kind,
       CASE WHEN k.contype = 'x' OR k.conperiod OR NOT k.conenforced
            THEN pg_get_constraintdef(k.oid) END AS definition,
       CASE WHEN k.contype = 'c' AND k.conenforced
            THEN pg_get_expr(k.conbin, k.conrelid) END AS check_expression,
       coalesce(k.conkey, '{}') AS keys,
       coalesce(k.confkey, '{}') AS ref_keys,
       fn.nspname AS ref_schema,
       fc.relname AS ref_table,
       CASE WHEN k.contype = 'f'
             AND (fn.nspname ~ '^pg_' OR fn.nspname = 'information_schema'
                  OR NOT (cardinality($1::text[]) = 0 OR fn.nspname = ANY ($1::text[]))
                  OR fn.nspname = ANY ($2::text[])
                  OR EXISTS (SELECT FROM pg_catalog.pg_depend d
                              WHERE d.classid = 'pg_catalog.pg_class'::regclass
                                AND d.objid = fc.oid AND d.deptype = 'e'))
            THEN (SELECT json_agg(a.attname ORDER BY x.ord)
                    FROM unnest(k.confkey) WITH ORDINALITY x(attnum, ord)
                    JOIN pg_catalog.pg_attribute a
                      ON a.attrelid = k.confrelid AND a.attnum = x.attnum) END AS ref_names,
       k.confupdtype AS on_update,
       k.confdeltype AS on_delete,
       k.confmatchtype AS match_type,
       coalesce(k.confdelsetcols, '{}') AS set_columns,
       -- The INCLUDE columns of a primary key or unique constraint follow its key columns.
       CASE WHEN i.indnatts > i.indnkeyatts
            THEN (i.indkey::int2[])[i.indnkeyatts:] ELSE '{}' END AS include,
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
