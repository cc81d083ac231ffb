-- Contacts (people at organizations) and their affiliations.

CREATE TABLE crm.contacts (
    id              uuid              NOT NULL DEFAULT gen_random_uuid(),
    first_name      text              NOT NULL DEFAULT '',
    last_name       text              NOT NULL DEFAULT '',
    email           crm.email_address,
    phone           text,
    mobile          text,
    job_title       text,
    do_not_contact  boolean           NOT NULL DEFAULT false,
    notes           text,
    created_at      timestamptz       NOT NULL DEFAULT now(),
    updated_at      timestamptz       NOT NULL DEFAULT now(),
    created_by      uuid                       DEFAULT crm.current_app_user(),
    updated_by      uuid                       DEFAULT crm.current_app_user(),
    deleted_at      timestamptz,
    CONSTRAINT contacts_pk PRIMARY KEY (id),
    CONSTRAINT contacts_created_by_fk FOREIGN KEY (created_by)
        REFERENCES crm.users (id) ON DELETE SET NULL,
    CONSTRAINT contacts_updated_by_fk FOREIGN KEY (updated_by)
        REFERENCES crm.users (id) ON DELETE SET NULL,
    CONSTRAINT contacts_name_present_chk CHECK (btrim(first_name || last_name) <> ''),
    CONSTRAINT contacts_deleted_after_created_chk CHECK (deleted_at >= created_at)
);

COMMENT ON TABLE crm.contacts IS
    'People the agency talks to: buyers and chefs at customers, category managers at distributors, '
    'regional managers at principals. Linked to organizations through crm.contact_organizations. '
    'Soft-deleted so that interactions keep their contact.';
COMMENT ON COLUMN crm.contacts.id IS 'Surrogate key (random UUID).';
COMMENT ON COLUMN crm.contacts.first_name IS 'Given name; empty string when unknown.';
COMMENT ON COLUMN crm.contacts.last_name IS 'Family name; empty string when unknown.';
COMMENT ON COLUMN crm.contacts.email IS
    'E-mail address; unique among live contacts, case-insensitively. NULL when unknown.';
COMMENT ON COLUMN crm.contacts.phone IS 'Office phone, free format.';
COMMENT ON COLUMN crm.contacts.mobile IS 'Mobile phone, free format.';
COMMENT ON COLUMN crm.contacts.job_title IS 'Job title as printed on the business card.';
COMMENT ON COLUMN crm.contacts.do_not_contact IS 'The person asked not to be contacted (marketing opt-out); excluded from campaigns.';
COMMENT ON COLUMN crm.contacts.notes IS 'Free-form notes about the person.';
COMMENT ON COLUMN crm.contacts.created_at IS 'When the row was created.';
COMMENT ON COLUMN crm.contacts.updated_at IS 'When the row was last changed; maintained by trigger set_updated_at.';
COMMENT ON COLUMN crm.contacts.created_by IS 'User who created the row.';
COMMENT ON COLUMN crm.contacts.updated_by IS 'User who last changed the row; maintained by trigger set_updated_at.';
COMMENT ON COLUMN crm.contacts.deleted_at IS 'When the contact was deleted (soft delete); NULL while live.';

COMMENT ON CONSTRAINT contacts_name_present_chk ON crm.contacts IS
    'A contact needs at least a first or a last name.';

CREATE UNIQUE INDEX contacts_email_live_uq
    ON crm.contacts (lower(email))
    WHERE deleted_at IS NULL;

COMMENT ON INDEX crm.contacts_email_live_uq IS
    'One live contact per e-mail address, case-insensitive; soft-deleted contacts free their address. '
    'Serves the duplicate check and inbound e-mail matching: WHERE lower(email) = lower($1) AND deleted_at IS NULL.';

CREATE INDEX contacts_last_first_name_idx
    ON crm.contacts (last_name, first_name)
    WHERE deleted_at IS NULL;

COMMENT ON INDEX crm.contacts_last_first_name_idx IS
    'Alphabetical contact lists and exact or prefix search on last name among live contacts.';

CREATE TRIGGER set_updated_at
    BEFORE UPDATE ON crm.contacts
    FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION crm.set_updated_at();

COMMENT ON TRIGGER set_updated_at ON crm.contacts IS
    'Maintains updated_at and updated_by on every real change.';

-- Affiliations of contacts with organizations (many-to-many).

CREATE TABLE crm.contact_organizations (
    contact_id       uuid             NOT NULL,
    organization_id  uuid             NOT NULL,
    role             crm.contact_role NOT NULL DEFAULT 'other',
    is_primary       boolean          NOT NULL DEFAULT false,
    started_on       date,
    ended_on         date,
    created_at       timestamptz      NOT NULL DEFAULT now(),
    updated_at       timestamptz      NOT NULL DEFAULT now(),
    created_by       uuid                      DEFAULT crm.current_app_user(),
    updated_by       uuid                      DEFAULT crm.current_app_user(),
    CONSTRAINT contact_organizations_pk PRIMARY KEY (contact_id, organization_id),
    CONSTRAINT contact_organizations_contact_fk FOREIGN KEY (contact_id)
        REFERENCES crm.contacts (id) ON DELETE CASCADE,
    CONSTRAINT contact_organizations_organization_fk FOREIGN KEY (organization_id)
        REFERENCES crm.organizations (id) ON DELETE CASCADE,
    CONSTRAINT contact_organizations_created_by_fk FOREIGN KEY (created_by)
        REFERENCES crm.users (id) ON DELETE SET NULL,
    CONSTRAINT contact_organizations_updated_by_fk FOREIGN KEY (updated_by)
        REFERENCES crm.users (id) ON DELETE SET NULL,
    CONSTRAINT contact_organizations_dates_chk CHECK (ended_on >= started_on),
    CONSTRAINT contact_organizations_primary_current_chk CHECK (NOT (is_primary AND ended_on IS NOT NULL))
);

COMMENT ON TABLE crm.contact_organizations IS
    'Which contacts work at (or for) which organizations, in which role; one affiliation per contact is primary.';
COMMENT ON COLUMN crm.contact_organizations.contact_id IS 'The contact.';
COMMENT ON COLUMN crm.contact_organizations.organization_id IS 'The organization the contact works at or for.';
COMMENT ON COLUMN crm.contact_organizations.role IS 'The contact''s function at this organization.';
COMMENT ON COLUMN crm.contact_organizations.is_primary IS
    'The contact''s main affiliation, shown next to their name; at most one per contact.';
COMMENT ON COLUMN crm.contact_organizations.started_on IS 'First day of the affiliation, if known.';
COMMENT ON COLUMN crm.contact_organizations.ended_on IS 'Last day of the affiliation; NULL while current.';
COMMENT ON COLUMN crm.contact_organizations.created_at IS 'When the row was created.';
COMMENT ON COLUMN crm.contact_organizations.updated_at IS 'When the row was last changed; maintained by trigger set_updated_at.';
COMMENT ON COLUMN crm.contact_organizations.created_by IS 'User who created the row.';
COMMENT ON COLUMN crm.contact_organizations.updated_by IS 'User who last changed the row; maintained by trigger set_updated_at.';

COMMENT ON CONSTRAINT contact_organizations_contact_fk ON crm.contact_organizations IS
    'CASCADE: an affiliation is owned by its contact.';
COMMENT ON CONSTRAINT contact_organizations_organization_fk ON crm.contact_organizations IS
    'CASCADE: an affiliation is owned by its organization as well.';
COMMENT ON CONSTRAINT contact_organizations_primary_current_chk ON crm.contact_organizations IS
    'An ended affiliation cannot be the primary one.';

CREATE UNIQUE INDEX contact_organizations_one_primary_uq
    ON crm.contact_organizations (contact_id)
    WHERE is_primary;

COMMENT ON INDEX crm.contact_organizations_one_primary_uq IS
    'At most one primary affiliation per contact.';

CREATE INDEX contact_organizations_organization_idx
    ON crm.contact_organizations (organization_id, role);

COMMENT ON INDEX crm.contact_organizations_organization_idx IS
    'People at an organization, optionally by role ("who is the buyer at X?"); '
    'FK index of contact_organizations_organization_fk.';

CREATE TRIGGER set_updated_at
    BEFORE UPDATE ON crm.contact_organizations
    FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION crm.set_updated_at();

COMMENT ON TRIGGER set_updated_at ON crm.contact_organizations IS
    'Maintains updated_at and updated_by on every real change.';
