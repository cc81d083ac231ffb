-- Domains with base type, default, NOT NULL and CHECK constraints.
SELECT n.nspname AS schema,
       t.typname AS name,
       format_type(t.typbasetype, t.typtypmod) AS base_type,
       CASE WHEN bn.nspname NOT IN ('pg_catalog', 'information_schema')
            THEN json_build_object('schema', bn.nspname, 'name', bt.typname) END AS type_ref,
       CASE WHEN t.typcollation <> 0 AND t.typcollation <> b.typcollation
            THEN json_build_object('schema', cn.nspname, 'name', co.collname) END AS collation,
       t.typdefault AS "default",
       t.typnotnull AS not_null,
       (SELECT coalesce(json_agg(json_build_object(
                   'name', c.conname,
                   'definition', pg_get_constraintdef(c.oid),
                   'validated', c.convalidated) ORDER BY c.conname), '[]')
          FROM pg_catalog.pg_constraint c
         WHERE c.contypid = t.oid AND c.contype = 'c') AS checks,
       obj_description(t.oid, 'pg_type') AS comment,
       (SELECT coalesce(json_agg(json_build_object(
                   'grantee', CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END,
                   'privilege', a.privilege_type, 'grantable', a.is_grantable)
                 ORDER BY 1, 2), '[]')
          FROM aclexplode(coalesce(t.typacl, acldefault('T', t.typowner))) a
         WHERE a.grantee <> t.typowner) AS grants
  FROM pg_catalog.pg_type t
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  JOIN pg_catalog.pg_type b ON b.oid = t.typbasetype
  JOIN pg_catalog.pg_type bt ON bt.oid = CASE WHEN b.typcategory = 'A' AND b.typelem <> 0 THEN b.typelem ELSE b.oid END
  JOIN pg_catalog.pg_namespace bn ON bn.oid = bt.typnamespace
  LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation
  LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
 WHERE t.typtype = 'd'
   AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND NOT (n.nspname = ANY ($2::text[]))
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_type'::regclass
                      AND d.objid = t.oid AND d.deptype = 'e')
