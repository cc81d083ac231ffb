-- Shared functions used by column defaults and triggers of every table.
--
-- The application identifies the acting user per transaction with
--     SET LOCAL crm.user_id = '<users.id>';
-- created_by defaults to that user and the updated_at trigger stamps it into
-- updated_by. Without the setting both stay as given by the statement.

CREATE FUNCTION crm.current_app_user()
    RETURNS uuid
    LANGUAGE sql
    STABLE
    PARALLEL SAFE
AS $$
    SELECT nullif(pg_catalog.current_setting('crm.user_id', true), '')::uuid
$$;

COMMENT ON FUNCTION crm.current_app_user() IS
    'The CRM user acting in this transaction, from the custom setting crm.user_id (NULL when unset). '
    'Default of every created_by and updated_by column.';

CREATE FUNCTION crm.set_updated_at()
    RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := pg_catalog.now();
    -- An updated_by given explicitly by the statement wins; otherwise the
    -- acting user of the transaction, when known, is recorded.
    IF NEW.updated_by IS NOT DISTINCT FROM OLD.updated_by THEN
        NEW.updated_by := coalesce(crm.current_app_user(), OLD.updated_by);
    END IF;
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION crm.set_updated_at() IS
    'BEFORE UPDATE trigger of every CRM table: sets updated_at to the transaction time and updated_by '
    'to the acting user (crm.user_id) unless the statement set updated_by itself.';
