-- Free-standing composite types (CREATE TYPE ... AS (...)), not table row types.
SELECT n.nspname AS schema,
       t.typname AS name,
       (SELECT coalesce(json_agg(json_build_object(
                   'name', a.attname,
                   'data_type', format_type(a.atttypid, a.atttypmod),
                   'type_ref', CASE WHEN en.nspname NOT IN ('pg_catalog', 'information_schema')
                                    THEN json_build_object('schema', en.nspname, 'name', et.typname) END,
                   'collation', CASE WHEN a.attcollation <> 0 AND a.attcollation <> at.typcollation
                                     THEN json_build_object('schema', cn.nspname, 'name', co.collname) END)
                 ORDER BY a.attnum), '[]')
          FROM pg_catalog.pg_attribute a
          JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
          JOIN pg_catalog.pg_type et ON et.oid = CASE WHEN at.typcategory = 'A' AND at.typelem <> 0 THEN at.typelem ELSE at.oid END
          JOIN pg_catalog.pg_namespace en ON en.oid = et.typnamespace
          LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
          LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
         WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) AS attributes,
       obj_description(t.oid, 'pg_type') AS comment,
       (SELECT coalesce(json_agg(json_build_object(
                   'grantee', CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END,
                   'privilege', a.privilege_type, 'grantable', a.is_grantable)
                 ORDER BY 1, 2), '[]')
          FROM aclexplode(coalesce(t.typacl, acldefault('T', t.typowner))) a
         WHERE a.grantee <> t.typowner) AS grants
  FROM pg_catalog.pg_type t
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  JOIN pg_catalog.pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
 WHERE t.typtype = 'c'
   AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND NOT (n.nspname = ANY ($2::text[]))
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_type'::regclass
                      AND d.objid = t.oid AND d.deptype = 'e')
