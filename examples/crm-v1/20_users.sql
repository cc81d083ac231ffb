-- Users of the CRM: the agency's sales reps, account managers and managers.
--
-- Users are never deleted while they own data: leaving staff are soft-deleted
-- (deleted_at) so that their history, ownership and audit trail remain.

CREATE TABLE crm.users (
    id          uuid              NOT NULL DEFAULT gen_random_uuid(),
    email       crm.email_address NOT NULL,
    full_name   text              NOT NULL,
    role        crm.user_role     NOT NULL DEFAULT 'sales_rep',
    manager_id  uuid,
    phone       text,
    territory   text,
    created_at  timestamptz       NOT NULL DEFAULT now(),
    updated_at  timestamptz       NOT NULL DEFAULT now(),
    created_by  uuid                       DEFAULT crm.current_app_user(),
    updated_by  uuid                       DEFAULT crm.current_app_user(),
    deleted_at  timestamptz,
    CONSTRAINT users_pk PRIMARY KEY (id),
    CONSTRAINT users_manager_fk FOREIGN KEY (manager_id)
        REFERENCES crm.users (id) ON DELETE SET NULL,
    CONSTRAINT users_created_by_fk FOREIGN KEY (created_by)
        REFERENCES crm.users (id) ON DELETE SET NULL,
    CONSTRAINT users_updated_by_fk FOREIGN KEY (updated_by)
        REFERENCES crm.users (id) ON DELETE SET NULL,
    CONSTRAINT users_full_name_not_blank_chk CHECK (btrim(full_name) <> ''),
    CONSTRAINT users_not_own_manager_chk CHECK (manager_id <> id),
    CONSTRAINT users_deleted_after_created_chk CHECK (deleted_at >= created_at)
);

COMMENT ON TABLE crm.users IS
    'People who work in the CRM: sales reps, account managers, inside sales and their managers. '
    'Soft-deleted when they leave so that ownership and history survive.';
COMMENT ON COLUMN crm.users.id IS 'Surrogate key (random UUID).';
COMMENT ON COLUMN crm.users.email IS 'Login and notification address; unique among live users, case-insensitively.';
COMMENT ON COLUMN crm.users.full_name IS 'Name shown in the application and on reports.';
COMMENT ON COLUMN crm.users.role IS 'What the user does in the agency; see type crm.user_role.';
COMMENT ON COLUMN crm.users.manager_id IS 'The user''s manager, for team roll-ups; NULL for the top of the hierarchy.';
COMMENT ON COLUMN crm.users.phone IS 'Work phone number, free format.';
COMMENT ON COLUMN crm.users.territory IS 'Sales territory the user covers (free text, e.g. "Northeast").';
COMMENT ON COLUMN crm.users.created_at IS 'When the row was created.';
COMMENT ON COLUMN crm.users.updated_at IS 'When the row was last changed; maintained by trigger set_updated_at.';
COMMENT ON COLUMN crm.users.created_by IS 'User who created the row (crm.user_id of the transaction by default).';
COMMENT ON COLUMN crm.users.updated_by IS 'User who last changed the row; maintained by trigger set_updated_at.';
COMMENT ON COLUMN crm.users.deleted_at IS 'When the user left (soft delete); NULL for active users.';

COMMENT ON CONSTRAINT users_not_own_manager_chk ON crm.users IS
    'A user cannot be their own manager (longer cycles are prevented by the application).';
COMMENT ON CONSTRAINT users_created_by_fk ON crm.users IS
    'Audit link; SET NULL so that hard-deleting a user (GDPR erasure) keeps the rows they touched.';

CREATE UNIQUE INDEX users_email_live_uq
    ON crm.users (lower(email))
    WHERE deleted_at IS NULL;

COMMENT ON INDEX crm.users_email_live_uq IS
    'One live user per e-mail address, case-insensitive; soft-deleted users free their address. '
    'Serves login lookups: WHERE lower(email) = lower($1) AND deleted_at IS NULL.';

CREATE INDEX users_manager_idx
    ON crm.users (manager_id)
    WHERE manager_id IS NOT NULL;

COMMENT ON INDEX crm.users_manager_idx IS
    'Team members of a manager; also supports the users_manager_fk ON DELETE SET NULL action.';

CREATE TRIGGER set_updated_at
    BEFORE UPDATE ON crm.users
    FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION crm.set_updated_at();

COMMENT ON TRIGGER set_updated_at ON crm.users IS
    'Maintains updated_at and updated_by on every real change (no-op updates are skipped).';
