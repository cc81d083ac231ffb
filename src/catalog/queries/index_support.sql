-- What composing index definitions needs beside the indexes query: every operator class
-- (qualified name, whether it is its type's default, its type, whether its access method
-- orders keys) and every collation (qualified name). A few hundred rows.
SELECT 'o' AS kind, oc.oid, n.nspname || '.' || oc.opcname AS name, oc.opcdefault AS "default",
       oc.opcintype AS type, pg_catalog.pg_indexam_has_property(oc.opcmethod, 'can_order') AS can_order
  FROM pg_catalog.pg_opclass oc
  JOIN pg_catalog.pg_namespace n ON n.oid = oc.opcnamespace
UNION ALL
SELECT 'c', co.oid, n.nspname || '.' || co.collname, false, 0, false
  FROM pg_catalog.pg_collation co
  JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace
