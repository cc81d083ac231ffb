-- Columns of tables, views and materialized views, in attnum order. attgenerated and
-- attidentity exist on every supported version (12+); NOT NULL constraint names (18+) are read
-- separately. Unordered: the inspector sorts the columns of each table by position. The
-- relation's OID and the attribute numbers name the keys of constraints and indexes; the
-- column's type and collation tell whether an index key's operator class or collation is
-- printed (constraints.sql, indexes.sql).
SELECT n.nspname AS schema,
       c.relname AS "table",
       a.attrelid AS relid,
       a.attname AS name,
       a.attnum AS position,
       format_type(a.atttypid, a.atttypmod) AS data_type,
       a.atttypid AS type_oid,
       a.attcollation AS collation_oid,
       CASE WHEN en.nspname NOT IN ('pg_catalog', 'information_schema')
            THEN json_build_object('schema', en.nspname, 'name', et.typname) END AS type_ref,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
            THEN json_build_object('schema', cn.nspname, 'name', co.collname) END AS collation,
       a.attnotnull AS not_null,
       -- A default cannot reference columns: deparsed without the table (which would open the
       -- table and build its relation cache entry, the costliest part of this query).
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, 0) END AS "default",
       CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS generated,
       a.attgenerated AS generated_kind,
       a.attidentity AS identity,
       CASE WHEN a.attidentity <> '' THEN
         (SELECT json_build_object(
                   'name', json_build_object('schema', sn.nspname, 'name', sc.relname),
                   'data_type', format_type(s.seqtypid, NULL),
                   'start', s.seqstart, 'increment', s.seqincrement,
                   'min_value', s.seqmin, 'max_value', s.seqmax,
                   'cache', s.seqcache, 'cycle', s.seqcycle)
            FROM pg_catalog.pg_depend d
            JOIN pg_catalog.pg_sequence s ON s.seqrelid = d.objid
            JOIN pg_catalog.pg_class sc ON sc.oid = s.seqrelid
            JOIN pg_catalog.pg_namespace sn ON sn.oid = sc.relnamespace
           WHERE d.classid = 'pg_catalog.pg_class'::regclass
             AND d.refclassid = 'pg_catalog.pg_class'::regclass
             AND d.refobjid = c.oid AND d.refobjsubid = a.attnum AND d.deptype = 'i'
           LIMIT 1) END AS identity_sequence,
       a.attislocal AS is_local,
       dsc.description AS comment,
       CASE WHEN a.attacl IS NOT NULL THEN
         (SELECT coalesce(json_agg(json_build_object(
                     'grantee', CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee) END,
                     'privilege', x.privilege_type, 'grantable', x.is_grantable)
                   ORDER BY 1, 2), '[]')
            FROM aclexplode(a.attacl) x
           WHERE x.grantee <> c.relowner) ELSE '[]' END AS grants
  FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  JOIN pg_catalog.pg_type et ON et.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN t.typelem ELSE t.oid END
  JOIN pg_catalog.pg_namespace en ON en.oid = et.typnamespace
  LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
  LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
  LEFT JOIN pg_catalog.pg_description dsc
         ON dsc.objoid = c.oid AND dsc.classoid = 'pg_catalog.pg_class'::regclass AND dsc.objsubid = a.attnum
 WHERE c.relkind IN ('r', 'p', 'v', 'm')
   AND a.attnum > 0 AND NOT a.attisdropped
   AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND NOT (n.nspname = ANY ($2::text[]))
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_class'::regclass
                      AND d.objid = c.oid AND d.deptype = 'e')
