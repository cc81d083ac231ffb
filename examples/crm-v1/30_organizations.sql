-- Organizations: principals (the manufacturers the agency represents),
-- distributors, customers and prospects, and which distributors carry which
-- principals' lines.
--
-- Rules that depend on an organization's kind ("a product's owner must be a
-- principal", "an opportunity's customer must be a customer or prospect") are
-- enforced declaratively with composite foreign keys: organizations has a
-- unique key (id, kind); a referencing table stores the expected kind in a
-- column pinned by a CHECK and references (id, kind). No trigger is needed,
-- and changing the kind of a referenced organization is refused (or, where
-- the change is legitimate, cascaded and re-checked).

CREATE TABLE crm.organizations (
    id                  uuid                  NOT NULL DEFAULT gen_random_uuid(),
    kind                crm.organization_kind NOT NULL,
    name                text                  NOT NULL,
    legal_name          text,
    parent_id           uuid,
    account_manager_id  uuid,
    priority_tier       crm.priority_tier     NOT NULL DEFAULT 'C',
    commission_rate     numeric(5,2),
    website             text,
    phone               text,
    city                text,
    region              text,
    country_code        crm.country_code      NOT NULL DEFAULT 'US',
    notes               text,
    created_at          timestamptz           NOT NULL DEFAULT now(),
    updated_at          timestamptz           NOT NULL DEFAULT now(),
    created_by          uuid                           DEFAULT crm.current_app_user(),
    updated_by          uuid                           DEFAULT crm.current_app_user(),
    deleted_at          timestamptz,
    CONSTRAINT organizations_pk PRIMARY KEY (id),
    CONSTRAINT organizations_id_kind_uq UNIQUE (id, kind),
    CONSTRAINT organizations_parent_fk FOREIGN KEY (parent_id)
        REFERENCES crm.organizations (id) ON DELETE SET NULL,
    CONSTRAINT organizations_account_manager_fk FOREIGN KEY (account_manager_id)
        REFERENCES crm.users (id) ON DELETE SET NULL,
    CONSTRAINT organizations_created_by_fk FOREIGN KEY (created_by)
        REFERENCES crm.users (id) ON DELETE SET NULL,
    CONSTRAINT organizations_updated_by_fk FOREIGN KEY (updated_by)
        REFERENCES crm.users (id) ON DELETE SET NULL,
    CONSTRAINT organizations_name_not_blank_chk CHECK (btrim(name) <> ''),
    CONSTRAINT organizations_not_own_parent_chk CHECK (parent_id <> id),
    CONSTRAINT organizations_commission_rate_range_chk CHECK (commission_rate BETWEEN 0 AND 100),
    CONSTRAINT organizations_commission_only_principal_chk
        CHECK (commission_rate IS NULL OR kind = 'principal'),
    CONSTRAINT organizations_deleted_after_created_chk CHECK (deleted_at >= created_at)
);

COMMENT ON TABLE crm.organizations IS
    'Every company the agency deals with: principals it represents, distributors that stock their '
    'products, customers and prospects. Soft-deleted, never removed, because history refers to them.';
COMMENT ON COLUMN crm.organizations.id IS 'Surrogate key (random UUID).';
COMMENT ON COLUMN crm.organizations.kind IS
    'Principal, distributor, customer or prospect. Referenced together with id by tables that '
    'require a given kind; a prospect may become a customer, other changes are refused while referenced.';
COMMENT ON COLUMN crm.organizations.name IS 'Trading name, used in lists and name search (trigram index).';
COMMENT ON COLUMN crm.organizations.legal_name IS 'Registered legal name for contracts and invoices, if different.';
COMMENT ON COLUMN crm.organizations.parent_id IS
    'Parent organization (head office of a chain, group of a distributor branch); NULL for independents.';
COMMENT ON COLUMN crm.organizations.account_manager_id IS 'User responsible for the account; NULL when unassigned.';
COMMENT ON COLUMN crm.organizations.priority_tier IS 'Account priority (A..D) that sets the expected call frequency.';
COMMENT ON COLUMN crm.organizations.commission_rate IS
    'Principals only: commission in percent the principal pays the agency on sales of its products.';
COMMENT ON COLUMN crm.organizations.website IS 'Public web site.';
COMMENT ON COLUMN crm.organizations.phone IS 'Main phone number, free format.';
COMMENT ON COLUMN crm.organizations.city IS 'City of the main location.';
COMMENT ON COLUMN crm.organizations.region IS 'State, province or region of the main location.';
COMMENT ON COLUMN crm.organizations.country_code IS 'Country of the main location (ISO 3166-1 alpha-2).';
COMMENT ON COLUMN crm.organizations.notes IS 'Free-form account notes.';
COMMENT ON COLUMN crm.organizations.created_at IS 'When the row was created.';
COMMENT ON COLUMN crm.organizations.updated_at IS 'When the row was last changed; maintained by trigger set_updated_at.';
COMMENT ON COLUMN crm.organizations.created_by IS 'User who created the row.';
COMMENT ON COLUMN crm.organizations.updated_by IS 'User who last changed the row; maintained by trigger set_updated_at.';
COMMENT ON COLUMN crm.organizations.deleted_at IS 'When the organization was archived (soft delete); NULL while live.';

COMMENT ON CONSTRAINT organizations_id_kind_uq ON crm.organizations IS
    'Redundant with the primary key on purpose: target of the composite foreign keys (x_id, x_kind) '
    'that require a referenced organization to be of a given kind.';
COMMENT ON CONSTRAINT organizations_commission_only_principal_chk ON crm.organizations IS
    'Only principals pay commission; a commission rate on any other kind is a data-entry error.';
COMMENT ON CONSTRAINT organizations_not_own_parent_chk ON crm.organizations IS
    'An organization cannot be its own parent.';

CREATE UNIQUE INDEX organizations_kind_name_live_uq
    ON crm.organizations (kind, lower(name))
    WHERE deleted_at IS NULL;

COMMENT ON INDEX crm.organizations_kind_name_live_uq IS
    'No two live organizations of the same kind share a name (case-insensitive), which prevents '
    'duplicate accounts; archived organizations free their name. Also serves exact name lookups per kind.';

CREATE INDEX organizations_name_trgm_idx
    ON crm.organizations USING gin (name extensions.gin_trgm_ops)
    WHERE deleted_at IS NULL;

COMMENT ON INDEX crm.organizations_name_trgm_idx IS
    'Type-ahead search on live organization names: name ILIKE ''%fragment%'' (and the pg_trgm % operator).';

CREATE INDEX organizations_account_manager_idx
    ON crm.organizations (account_manager_id, priority_tier);

COMMENT ON INDEX crm.organizations_account_manager_idx IS
    'A rep''s book of business by priority tier ("my A accounts"); also the FK index of '
    'organizations_account_manager_fk, hence not partial.';

CREATE INDEX organizations_parent_idx
    ON crm.organizations (parent_id)
    WHERE parent_id IS NOT NULL;

COMMENT ON INDEX crm.organizations_parent_idx IS
    'Locations of a chain (children of a parent); also the FK index of organizations_parent_fk.';

CREATE TRIGGER set_updated_at
    BEFORE UPDATE ON crm.organizations
    FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION crm.set_updated_at();

COMMENT ON TRIGGER set_updated_at ON crm.organizations IS
    'Maintains updated_at and updated_by on every real change.';

-- Which distributors carry which principals' product lines.

CREATE TABLE crm.distributor_principals (
    distributor_id    uuid                  NOT NULL,
    distributor_kind  crm.organization_kind NOT NULL DEFAULT 'distributor',
    principal_id      uuid                  NOT NULL,
    principal_kind    crm.organization_kind NOT NULL DEFAULT 'principal',
    carried_since     date,
    carried_until     date,
    distributor_item_prefix text,
    created_at        timestamptz           NOT NULL DEFAULT now(),
    updated_at        timestamptz           NOT NULL DEFAULT now(),
    created_by        uuid                           DEFAULT crm.current_app_user(),
    updated_by        uuid                           DEFAULT crm.current_app_user(),
    CONSTRAINT distributor_principals_pk PRIMARY KEY (distributor_id, principal_id),
    CONSTRAINT distributor_principals_distributor_fk FOREIGN KEY (distributor_id, distributor_kind)
        REFERENCES crm.organizations (id, kind) ON DELETE CASCADE,
    CONSTRAINT distributor_principals_principal_fk FOREIGN KEY (principal_id, principal_kind)
        REFERENCES crm.organizations (id, kind) ON DELETE CASCADE,
    CONSTRAINT distributor_principals_created_by_fk FOREIGN KEY (created_by)
        REFERENCES crm.users (id) ON DELETE SET NULL,
    CONSTRAINT distributor_principals_updated_by_fk FOREIGN KEY (updated_by)
        REFERENCES crm.users (id) ON DELETE SET NULL,
    CONSTRAINT distributor_principals_distributor_kind_chk CHECK (distributor_kind = 'distributor'),
    CONSTRAINT distributor_principals_principal_kind_chk CHECK (principal_kind = 'principal'),
    CONSTRAINT distributor_principals_dates_chk CHECK (carried_until >= carried_since)
);

COMMENT ON TABLE crm.distributor_principals IS
    'Line card: which distributor stocks which principal''s products. An opportunity routed through a '
    'distributor must use a distributor that carries the opportunity''s principal.';
COMMENT ON COLUMN crm.distributor_principals.distributor_id IS 'The distributor (an organization of kind distributor).';
COMMENT ON COLUMN crm.distributor_principals.distributor_kind IS
    'Always ''distributor''; part of the composite foreign key that enforces the distributor''s kind.';
COMMENT ON COLUMN crm.distributor_principals.principal_id IS 'The principal whose line is carried.';
COMMENT ON COLUMN crm.distributor_principals.principal_kind IS
    'Always ''principal''; part of the composite foreign key that enforces the principal''s kind.';
COMMENT ON COLUMN crm.distributor_principals.carried_since IS 'First day the distributor stocked the line, if known.';
COMMENT ON COLUMN crm.distributor_principals.carried_until IS
    'Last day the line was stocked; NULL while still carried. Rows are kept for the opportunities that refer to them.';
COMMENT ON COLUMN crm.distributor_principals.distributor_item_prefix IS
    'Prefix of the distributor''s own item numbers for this line, used when matching sales reports.';
COMMENT ON COLUMN crm.distributor_principals.created_at IS 'When the row was created.';
COMMENT ON COLUMN crm.distributor_principals.updated_at IS 'When the row was last changed; maintained by trigger set_updated_at.';
COMMENT ON COLUMN crm.distributor_principals.created_by IS 'User who created the row.';
COMMENT ON COLUMN crm.distributor_principals.updated_by IS 'User who last changed the row; maintained by trigger set_updated_at.';

COMMENT ON CONSTRAINT distributor_principals_distributor_fk ON crm.distributor_principals IS
    'Composite key: the referenced organization must be a distributor. CASCADE: the line card belongs '
    'to the distributor (but see opportunities_distributor_line_fk, which protects used rows).';
COMMENT ON CONSTRAINT distributor_principals_principal_fk ON crm.distributor_principals IS
    'Composite key: the referenced organization must be a principal.';

CREATE INDEX distributor_principals_principal_idx
    ON crm.distributor_principals (principal_id);

COMMENT ON INDEX crm.distributor_principals_principal_idx IS
    'Distributors that carry a given principal ("where can the customer buy this line?"); '
    'FK index of distributor_principals_principal_fk.';

CREATE TRIGGER set_updated_at
    BEFORE UPDATE ON crm.distributor_principals
    FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION crm.set_updated_at();

COMMENT ON TRIGGER set_updated_at ON crm.distributor_principals IS
    'Maintains updated_at and updated_by on every real change.';

-- Which users work which principals' lines.

CREATE TABLE crm.principal_assignments (
    user_id         uuid                          NOT NULL,
    principal_id    uuid                          NOT NULL,
    principal_kind  crm.organization_kind         NOT NULL DEFAULT 'principal',
    role            crm.principal_assignment_role NOT NULL DEFAULT 'rep',
    assigned_on     date                          NOT NULL DEFAULT CURRENT_DATE,
    created_at      timestamptz                   NOT NULL DEFAULT now(),
    updated_at      timestamptz                   NOT NULL DEFAULT now(),
    created_by      uuid                                   DEFAULT crm.current_app_user(),
    updated_by      uuid                                   DEFAULT crm.current_app_user(),
    CONSTRAINT principal_assignments_pk PRIMARY KEY (user_id, principal_id),
    CONSTRAINT principal_assignments_user_fk FOREIGN KEY (user_id)
        REFERENCES crm.users (id) ON DELETE CASCADE,
    CONSTRAINT principal_assignments_principal_fk FOREIGN KEY (principal_id, principal_kind)
        REFERENCES crm.organizations (id, kind) ON DELETE CASCADE,
    CONSTRAINT principal_assignments_created_by_fk FOREIGN KEY (created_by)
        REFERENCES crm.users (id) ON DELETE SET NULL,
    CONSTRAINT principal_assignments_updated_by_fk FOREIGN KEY (updated_by)
        REFERENCES crm.users (id) ON DELETE SET NULL,
    CONSTRAINT principal_assignments_principal_kind_chk CHECK (principal_kind = 'principal')
);

COMMENT ON TABLE crm.principal_assignments IS
    'Which users work which principal''s line, and in what capacity; at most one line manager per principal.';
COMMENT ON COLUMN crm.principal_assignments.user_id IS 'The assigned user.';
COMMENT ON COLUMN crm.principal_assignments.principal_id IS 'The principal whose line the user works.';
COMMENT ON COLUMN crm.principal_assignments.principal_kind IS
    'Always ''principal''; part of the composite foreign key that enforces the principal''s kind.';
COMMENT ON COLUMN crm.principal_assignments.role IS 'Line manager, rep or backup for this principal.';
COMMENT ON COLUMN crm.principal_assignments.assigned_on IS 'Day the assignment started.';
COMMENT ON COLUMN crm.principal_assignments.created_at IS 'When the row was created.';
COMMENT ON COLUMN crm.principal_assignments.updated_at IS 'When the row was last changed; maintained by trigger set_updated_at.';
COMMENT ON COLUMN crm.principal_assignments.created_by IS 'User who created the row.';
COMMENT ON COLUMN crm.principal_assignments.updated_by IS 'User who last changed the row; maintained by trigger set_updated_at.';

COMMENT ON CONSTRAINT principal_assignments_principal_fk ON crm.principal_assignments IS
    'Composite key: only principals can be assigned to users.';

CREATE INDEX principal_assignments_principal_idx
    ON crm.principal_assignments (principal_id, role);

COMMENT ON INDEX crm.principal_assignments_principal_idx IS
    'Team working a principal; FK index of principal_assignments_principal_fk.';

CREATE UNIQUE INDEX principal_assignments_one_line_manager_uq
    ON crm.principal_assignments (principal_id)
    WHERE role = 'line_manager';

COMMENT ON INDEX crm.principal_assignments_one_line_manager_uq IS
    'A principal has at most one line manager, the agency''s single point of contact for the manufacturer.';

CREATE TRIGGER set_updated_at
    BEFORE UPDATE ON crm.principal_assignments
    FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION crm.set_updated_at();

COMMENT ON TRIGGER set_updated_at ON crm.principal_assignments IS
    'Maintains updated_at and updated_by on every real change.';
