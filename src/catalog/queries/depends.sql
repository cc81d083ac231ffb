-- Dependencies between objects, from pg_depend, as catalog keys: the inspector maps both
-- ends to identities with the objects of queries/depend_objects.sql and keeps the pairs
-- whose ends it knows (objects of user schemas), so that the server only scans and groups
-- integers. Built-in objects (OIDs below 16384, FirstNormalObjectId) are never modelled,
-- and only the catalogs that objects come from are read.
-- A view's dependency on a table column (recorded by its rewrite rule) also names the
-- column, so that changing one column recreates only the views that read it; every other
-- reference is to the whole object, one row per pair of objects.
-- A constraint's or an index's automatic dependency on its own table (or materialized view)
-- is left out: the model implies it for every constraint and index it holds, and these rows
-- are the bulk of pg_depend (one per key column, and on PostgreSQL 18 one per NOT NULL
-- constraint). That also drops a sequence's ownership by a column, which ordering leaves
-- out anyway (ownership is ordered apart from the other dependencies).
-- So is a default's automatic dependency on its own column (and a generation expression's on
-- the other columns of its table): the default is part of its column, and the column of its
-- table.
WITH d AS (
  SELECT d.classid, d.objid, d.refclassid, d.refobjid,
         CASE WHEN d.classid = 'pg_catalog.pg_rewrite'::regclass
                   AND d.refclassid = 'pg_catalog.pg_class'::regclass
              THEN d.refobjsubid ELSE 0 END AS subid
    FROM pg_catalog.pg_depend d
   WHERE d.deptype IN ('n', 'a') AND d.objid >= 16384 AND d.refobjid >= 16384
     AND NOT (d.deptype = 'a' AND d.refclassid = 'pg_catalog.pg_class'::regclass
              AND d.classid IN ('pg_catalog.pg_constraint'::regclass,
                                'pg_catalog.pg_class'::regclass))
     AND NOT (d.deptype = 'a' AND d.classid = 'pg_catalog.pg_attrdef'::regclass)
     AND d.classid IN ('pg_catalog.pg_class'::regclass, 'pg_catalog.pg_type'::regclass,
                       'pg_catalog.pg_proc'::regclass, 'pg_catalog.pg_constraint'::regclass,
                       'pg_catalog.pg_attrdef'::regclass, 'pg_catalog.pg_rewrite'::regclass,
                       'pg_catalog.pg_trigger'::regclass, 'pg_catalog.pg_policy'::regclass)
     AND d.refclassid IN ('pg_catalog.pg_class'::regclass, 'pg_catalog.pg_type'::regclass,
                          'pg_catalog.pg_proc'::regclass, 'pg_catalog.pg_constraint'::regclass,
                          'pg_catalog.pg_attrdef'::regclass, 'pg_catalog.pg_rewrite'::regclass,
                          'pg_catalog.pg_trigger'::regclass, 'pg_catalog.pg_policy'::regclass)
   GROUP BY 1, 2, 3, 4, 5
)
SELECT d.classid::oid::int8 AS class, d.objid::int8 AS oid,
       d.refclassid::oid::int8 AS ref_class, d.refobjid::int8 AS ref_oid,
       CASE WHEN d.subid > 0 THEN
         (SELECT a.attname FROM pg_catalog.pg_attribute a
           WHERE a.attrelid = d.refobjid AND a.attnum = d.subid) END AS "column"
  FROM d
