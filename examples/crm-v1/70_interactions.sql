-- Interactions: every call, e-mail, meeting, visit, sample drop... a rep has
-- with an organization, usually about one principal's line, with an optional
-- follow-up.

CREATE TABLE crm.interactions (
    id                 uuid                    NOT NULL DEFAULT gen_random_uuid(),
    kind               crm.interaction_kind    NOT NULL,
    occurred_at        timestamptz             NOT NULL,
    duration_minutes   smallint,
    user_id            uuid                    NOT NULL,
    organization_id    uuid                    NOT NULL,
    contact_id         uuid,
    principal_id       uuid,
    principal_kind     crm.organization_kind   NOT NULL DEFAULT 'principal',
    opportunity_id     uuid,
    subject            text                    NOT NULL,
    notes              text,
    outcome            crm.interaction_outcome,
    follow_up_at       timestamptz,
    follow_up_note     text,
    follow_up_done_at  timestamptz,
    created_at         timestamptz             NOT NULL DEFAULT now(),
    updated_at         timestamptz             NOT NULL DEFAULT now(),
    created_by         uuid                             DEFAULT crm.current_app_user(),
    updated_by         uuid                             DEFAULT crm.current_app_user(),
    deleted_at         timestamptz,
    CONSTRAINT interactions_pk PRIMARY KEY (id),
    CONSTRAINT interactions_user_fk FOREIGN KEY (user_id)
        REFERENCES crm.users (id) ON DELETE RESTRICT,
    CONSTRAINT interactions_organization_fk FOREIGN KEY (organization_id)
        REFERENCES crm.organizations (id) ON DELETE RESTRICT,
    CONSTRAINT interactions_contact_fk FOREIGN KEY (contact_id)
        REFERENCES crm.contacts (id) ON DELETE SET NULL,
    CONSTRAINT interactions_principal_fk FOREIGN KEY (principal_id, principal_kind)
        REFERENCES crm.organizations (id, kind) ON DELETE RESTRICT,
    CONSTRAINT interactions_opportunity_fk FOREIGN KEY (opportunity_id)
        REFERENCES crm.opportunities (id) ON DELETE SET NULL,
    CONSTRAINT interactions_created_by_fk FOREIGN KEY (created_by)
        REFERENCES crm.users (id) ON DELETE SET NULL,
    CONSTRAINT interactions_updated_by_fk FOREIGN KEY (updated_by)
        REFERENCES crm.users (id) ON DELETE SET NULL,
    CONSTRAINT interactions_principal_kind_chk CHECK (principal_kind = 'principal'),
    CONSTRAINT interactions_subject_not_blank_chk CHECK (btrim(subject) <> ''),
    CONSTRAINT interactions_duration_chk CHECK (duration_minutes BETWEEN 0 AND 1440),
    CONSTRAINT interactions_follow_up_after_occurred_chk CHECK (follow_up_at > occurred_at),
    CONSTRAINT interactions_follow_up_done_needs_due_chk
        CHECK (follow_up_done_at IS NULL OR follow_up_at IS NOT NULL),
    CONSTRAINT interactions_opportunity_needs_principal_chk
        CHECK (opportunity_id IS NULL OR principal_id IS NOT NULL),
    CONSTRAINT interactions_deleted_after_created_chk CHECK (deleted_at >= created_at)
) WITH (
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_vacuum_insert_scale_factor = 0.05,
    autovacuum_analyze_scale_factor = 0.02
);

COMMENT ON TABLE crm.interactions IS
    'Activity log: each call, e-mail, meeting, visit or sample drop a rep '
    'has with an organization, usually about one principal''s line, with an optional follow-up. '
    'The largest and hottest table; reported per principal per week. Soft-deleted.';
COMMENT ON COLUMN crm.interactions.id IS 'Surrogate key (random UUID).';
COMMENT ON COLUMN crm.interactions.kind IS 'Channel of the interaction.';
COMMENT ON COLUMN crm.interactions.occurred_at IS 'When the interaction took place (start time).';
COMMENT ON COLUMN crm.interactions.duration_minutes IS 'Length in minutes (0-1440); NULL when not meaningful (e-mail).';
COMMENT ON COLUMN crm.interactions.user_id IS 'The rep who had the interaction and owns its follow-up.';
COMMENT ON COLUMN crm.interactions.organization_id IS 'Organization the interaction was with (usually a customer or prospect).';
COMMENT ON COLUMN crm.interactions.contact_id IS 'Person spoken to.';
COMMENT ON COLUMN crm.interactions.principal_id IS 'Principal whose line was discussed; NULL for general account maintenance.';
COMMENT ON COLUMN crm.interactions.principal_kind IS
    'Always ''principal''; part of the composite foreign key that enforces the principal''s kind '
    '(not checked while principal_id is NULL).';
COMMENT ON COLUMN crm.interactions.opportunity_id IS 'Opportunity the interaction advanced, if any; requires principal_id.';
COMMENT ON COLUMN crm.interactions.subject IS 'One-line summary.';
COMMENT ON COLUMN crm.interactions.notes IS 'Detailed notes.';
COMMENT ON COLUMN crm.interactions.outcome IS 'Rep''s assessment of the outcome; NULL when not assessed.';
COMMENT ON COLUMN crm.interactions.follow_up_at IS 'When the rep must follow up; after occurred_at. NULL when no follow-up is needed.';
COMMENT ON COLUMN crm.interactions.follow_up_note IS 'What the follow-up is about.';
COMMENT ON COLUMN crm.interactions.follow_up_done_at IS 'When the follow-up was done; an open follow-up past follow_up_at is overdue.';
COMMENT ON COLUMN crm.interactions.created_at IS 'When the row was created (logged), which may be after occurred_at.';
COMMENT ON COLUMN crm.interactions.updated_at IS 'When the row was last changed; maintained by trigger set_updated_at.';
COMMENT ON COLUMN crm.interactions.created_by IS 'User who logged the interaction.';
COMMENT ON COLUMN crm.interactions.updated_by IS 'User who last changed the row; maintained by trigger set_updated_at.';
COMMENT ON COLUMN crm.interactions.deleted_at IS 'When the entry was deleted (soft delete); NULL while live.';

COMMENT ON CONSTRAINT interactions_principal_fk ON crm.interactions IS
    'Composite key to organizations (id, kind): the principal discussed must be of kind principal.';
COMMENT ON CONSTRAINT interactions_follow_up_after_occurred_chk ON crm.interactions IS
    'A follow-up is due after the interaction it follows up.';
COMMENT ON CONSTRAINT interactions_follow_up_done_needs_due_chk ON crm.interactions IS
    'A follow-up can only be marked done if one was scheduled.';
COMMENT ON CONSTRAINT interactions_opportunity_needs_principal_chk ON crm.interactions IS
    'An interaction about an opportunity is about that opportunity''s principal, so per-principal '
    'activity reports include it.';
COMMENT ON CONSTRAINT interactions_contact_fk ON crm.interactions IS
    'SET NULL: erasing a person keeps the activity record without them.';
COMMENT ON CONSTRAINT interactions_opportunity_fk ON crm.interactions IS
    'SET NULL: the activity survives the (rare) hard delete of an opportunity.';

CREATE INDEX interactions_principal_occurred_idx
    ON crm.interactions (principal_id, occurred_at);

COMMENT ON INDEX crm.interactions_principal_occurred_idx IS
    'Activity about a principal over a period (view crm.principal_weekly_activity, principal activity '
    'reports); FK index of interactions_principal_fk.';

CREATE INDEX interactions_organization_occurred_idx
    ON crm.interactions (organization_id, occurred_at);

COMMENT ON INDEX crm.interactions_organization_occurred_idx IS
    'Account timeline, newest first (read backwards); FK index of interactions_organization_fk.';

CREATE INDEX interactions_user_occurred_idx
    ON crm.interactions (user_id, occurred_at);

COMMENT ON INDEX crm.interactions_user_occurred_idx IS
    'A rep''s activity over a period (call reports, weekly activity per rep); FK index of interactions_user_fk.';

CREATE INDEX interactions_contact_idx
    ON crm.interactions (contact_id)
    WHERE contact_id IS NOT NULL;

COMMENT ON INDEX crm.interactions_contact_idx IS
    'Interactions with a person; FK index of interactions_contact_fk (the FK action''s '
    'contact_id = $1 implies the partial predicate).';

CREATE INDEX interactions_opportunity_idx
    ON crm.interactions (opportunity_id, occurred_at)
    WHERE opportunity_id IS NOT NULL;

COMMENT ON INDEX crm.interactions_opportunity_idx IS
    'Activity on an opportunity in time order; FK index of interactions_opportunity_fk.';

CREATE TRIGGER set_updated_at
    BEFORE UPDATE ON crm.interactions
    FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION crm.set_updated_at();

COMMENT ON TRIGGER set_updated_at ON crm.interactions IS
    'Maintains updated_at and updated_by on every real change.';
