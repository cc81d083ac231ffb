-- Schemas and extensions of the CRM.
--
-- Version 1 of the CRM schema, as it was before the current one in desired/.
-- It is the starting point of docs/crm/migration-example.md, which lists what
-- changed since and shows the migration pgdiff plans from here to desired/.
--
-- Every CRM object lives in schema crm. Extensions live in their own schema,
-- extensions, so that their many functions and operators neither clutter crm
-- nor public, and so that the CRM never depends on what happens to be on the
-- search_path: every reference to an extension object is schema-qualified
-- (for example extensions.gin_trgm_ops).
--
-- gen_random_uuid() is built into PostgreSQL 13 and later, so pgcrypto is
-- not needed.

CREATE SCHEMA crm;

COMMENT ON SCHEMA crm IS
    'Sales CRM of a manufacturers'' representative agency: principals (the manufacturers we represent), '
    'the distributors that carry their lines, the customers we sell to, and all pipeline and activity, '
    'reported per principal.';

CREATE SCHEMA extensions;

COMMENT ON SCHEMA extensions IS
    'Home of PostgreSQL extensions used by the CRM, kept apart from application objects; '
    'referenced only by schema-qualified names.';

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA extensions;
