-- Opportunities: a potential sale of one principal's products to one
-- customer, optionally through a distributor; their product lines, the
-- contacts involved, and the history of stage changes.

CREATE TABLE crm.opportunities (
    id                   uuid                  NOT NULL DEFAULT gen_random_uuid(),
    name                 text                  NOT NULL,
    customer_id          uuid                  NOT NULL,
    customer_kind        crm.organization_kind NOT NULL DEFAULT 'customer',
    principal_id         uuid                  NOT NULL,
    principal_kind       crm.organization_kind NOT NULL DEFAULT 'principal',
    distributor_id       uuid,
    owner_id             uuid                  NOT NULL,
    stage                crm.opportunity_stage NOT NULL DEFAULT 'prospecting',
    amount               numeric(14,2)         NOT NULL DEFAULT 0,
    expected_close_date  date,
    closed_at            timestamptz,
    lost_reason          crm.lost_reason,
    lost_reason_note     text,
    next_action          text,
    created_at           timestamptz           NOT NULL DEFAULT now(),
    updated_at           timestamptz           NOT NULL DEFAULT now(),
    created_by           uuid                           DEFAULT crm.current_app_user(),
    updated_by           uuid                           DEFAULT crm.current_app_user(),
    deleted_at           timestamptz,
    CONSTRAINT opportunities_pk PRIMARY KEY (id),
    CONSTRAINT opportunities_id_principal_uq UNIQUE (id, principal_id),
    CONSTRAINT opportunities_customer_fk FOREIGN KEY (customer_id, customer_kind)
        REFERENCES crm.organizations (id, kind) ON UPDATE CASCADE ON DELETE RESTRICT,
    CONSTRAINT opportunities_principal_fk FOREIGN KEY (principal_id, principal_kind)
        REFERENCES crm.organizations (id, kind) ON DELETE RESTRICT,
    CONSTRAINT opportunities_distributor_line_fk FOREIGN KEY (distributor_id, principal_id)
        REFERENCES crm.distributor_principals (distributor_id, principal_id) ON DELETE RESTRICT,
    CONSTRAINT opportunities_owner_fk FOREIGN KEY (owner_id)
        REFERENCES crm.users (id) ON DELETE RESTRICT,
    CONSTRAINT opportunities_created_by_fk FOREIGN KEY (created_by)
        REFERENCES crm.users (id) ON DELETE SET NULL,
    CONSTRAINT opportunities_updated_by_fk FOREIGN KEY (updated_by)
        REFERENCES crm.users (id) ON DELETE SET NULL,
    CONSTRAINT opportunities_name_not_blank_chk CHECK (btrim(name) <> ''),
    CONSTRAINT opportunities_customer_kind_chk CHECK (customer_kind IN ('customer', 'prospect')),
    CONSTRAINT opportunities_principal_kind_chk CHECK (principal_kind = 'principal'),
    CONSTRAINT opportunities_amount_chk CHECK (amount >= 0),
    CONSTRAINT opportunities_lost_reason_chk CHECK ((stage = 'lost') = (lost_reason IS NOT NULL)),
    CONSTRAINT opportunities_closed_at_chk CHECK ((stage IN ('won', 'lost')) = (closed_at IS NOT NULL)),
    CONSTRAINT opportunities_closed_after_created_chk CHECK (closed_at >= created_at),
    CONSTRAINT opportunities_deleted_after_created_chk CHECK (deleted_at >= created_at)
) WITH (
    fillfactor = 90,
    autovacuum_vacuum_scale_factor = 0.05,
    autovacuum_analyze_scale_factor = 0.02
);

COMMENT ON TABLE crm.opportunities IS
    'A potential sale of one principal''s products to one customer or prospect, optionally through a '
    'distributor that carries the principal. The unit of the pipeline; reported per principal. '
    'Soft-deleted so that closed business stays in the reports.';
COMMENT ON COLUMN crm.opportunities.id IS 'Surrogate key (random UUID).';
COMMENT ON COLUMN crm.opportunities.name IS 'Short description, e.g. "Spring menu - frozen desserts".';
COMMENT ON COLUMN crm.opportunities.customer_id IS 'The buying organization (a customer or a prospect).';
COMMENT ON COLUMN crm.opportunities.customer_kind IS
    'Kind of the buying organization, kept in step by opportunities_customer_fk (ON UPDATE CASCADE): '
    'a prospect that becomes a customer carries its opportunities along; any other kind is refused.';
COMMENT ON COLUMN crm.opportunities.principal_id IS 'The manufacturer whose products are being sold; all reporting is per principal.';
COMMENT ON COLUMN crm.opportunities.principal_kind IS
    'Always ''principal''; part of the composite foreign key that enforces the principal''s kind.';
COMMENT ON COLUMN crm.opportunities.distributor_id IS
    'Distributor through which the customer will buy; must carry the principal. NULL for direct sales or when not yet known.';
COMMENT ON COLUMN crm.opportunities.owner_id IS 'Rep responsible for the opportunity.';
COMMENT ON COLUMN crm.opportunities.stage IS 'Pipeline stage; won and lost are closed.';
COMMENT ON COLUMN crm.opportunities.amount IS 'Expected annual sales value in the agency''s reporting currency (the rep''s estimate).';
COMMENT ON COLUMN crm.opportunities.expected_close_date IS 'Day the rep expects a decision.';
COMMENT ON COLUMN crm.opportunities.closed_at IS 'When the opportunity was won or lost; set exactly for closed stages.';
COMMENT ON COLUMN crm.opportunities.lost_reason IS 'Why it was lost; required exactly when the stage is lost.';
COMMENT ON COLUMN crm.opportunities.lost_reason_note IS 'Free-text detail on the lost reason (competitor name, price gap...).';
COMMENT ON COLUMN crm.opportunities.next_action IS 'Next agreed action, shown on the pipeline board.';
COMMENT ON COLUMN crm.opportunities.created_at IS 'When the opportunity was opened.';
COMMENT ON COLUMN crm.opportunities.updated_at IS 'When the row was last changed; maintained by trigger set_updated_at.';
COMMENT ON COLUMN crm.opportunities.created_by IS 'User who created the row.';
COMMENT ON COLUMN crm.opportunities.updated_by IS 'User who last changed the row; maintained by trigger set_updated_at.';
COMMENT ON COLUMN crm.opportunities.deleted_at IS 'When the opportunity was deleted (soft delete); NULL while live.';

COMMENT ON CONSTRAINT opportunities_id_principal_uq ON crm.opportunities IS
    'Redundant with the primary key on purpose: opportunity lines reference (opportunity, principal) '
    'so that their product must belong to the same principal.';
COMMENT ON CONSTRAINT opportunities_customer_fk ON crm.opportunities IS
    'Composite key to organizations (id, kind): the buyer must be a customer or prospect '
    '(opportunities_customer_kind_chk). ON UPDATE CASCADE lets a prospect be converted to a customer; '
    'RESTRICT on delete because sales history must not disappear.';
COMMENT ON CONSTRAINT opportunities_principal_fk ON crm.opportunities IS
    'Composite key to organizations (id, kind): the principal must be an organization of kind principal.';
COMMENT ON CONSTRAINT opportunities_distributor_line_fk ON crm.opportunities IS
    'The distributor must carry the principal''s line (a row in distributor_principals). '
    'MATCH SIMPLE: not checked when distributor_id is NULL (direct sale).';
COMMENT ON CONSTRAINT opportunities_lost_reason_chk ON crm.opportunities IS
    'lost_reason is required when the stage is lost and forbidden otherwise.';
COMMENT ON CONSTRAINT opportunities_closed_at_chk ON crm.opportunities IS
    'closed_at is set exactly when the stage is won or lost.';
COMMENT ON CONSTRAINT opportunities_closed_after_created_chk ON crm.opportunities IS
    'An opportunity cannot close before it was opened.';

CREATE INDEX opportunities_open_principal_stage_idx
    ON crm.opportunities (principal_id, stage) INCLUDE (amount)
    WHERE deleted_at IS NULL AND stage NOT IN ('won', 'lost');

COMMENT ON INDEX crm.opportunities_open_principal_stage_idx IS
    'Open pipeline of a principal by stage (view crm.principal_pipeline); partial on live, open '
    'opportunities and covering amount so the roll-up can be an index-only scan.';

CREATE INDEX opportunities_owner_open_close_idx
    ON crm.opportunities (owner_id, expected_close_date)
    WHERE deleted_at IS NULL AND stage NOT IN ('won', 'lost');

COMMENT ON INDEX crm.opportunities_owner_open_close_idx IS
    'A rep''s open opportunities in expected-close order ("closing this month"). Partial: the owner '
    'FK is deliberately left without a full index, users are not hard-deleted in normal operation.';

CREATE INDEX opportunities_principal_closed_idx
    ON crm.opportunities (principal_id, closed_at);

COMMENT ON INDEX crm.opportunities_principal_closed_idx IS
    'Won and lost business of a principal in a period (closed_at range); FK index of opportunities_principal_fk.';

CREATE INDEX opportunities_customer_idx
    ON crm.opportunities (customer_id, created_at);

COMMENT ON INDEX crm.opportunities_customer_idx IS
    'Opportunity history of an account, newest first; FK index of opportunities_customer_fk '
    '(also used by its ON UPDATE CASCADE).';

CREATE INDEX opportunities_distributor_idx
    ON crm.opportunities (distributor_id, principal_id)
    WHERE distributor_id IS NOT NULL;

COMMENT ON INDEX crm.opportunities_distributor_idx IS
    'Business routed through a distributor, per principal; FK index of opportunities_distributor_line_fk.';

CREATE TRIGGER set_updated_at
    BEFORE UPDATE ON crm.opportunities
    FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION crm.set_updated_at();

COMMENT ON TRIGGER set_updated_at ON crm.opportunities IS
    'Maintains updated_at and updated_by on every real change.';

-- Product lines of an opportunity.

CREATE TABLE crm.opportunity_products (
    opportunity_id  uuid          NOT NULL,
    product_id      uuid          NOT NULL,
    principal_id    uuid          NOT NULL,
    quantity        numeric(12,2) NOT NULL DEFAULT 1,
    unit_price      numeric(12,2) NOT NULL,
    discount_pct    numeric(5,2)  NOT NULL DEFAULT 0,
    line_amount     numeric(14,2) GENERATED ALWAYS AS
                        (round(quantity * unit_price * (100 - discount_pct) / 100, 2)) STORED,
    created_at      timestamptz   NOT NULL DEFAULT now(),
    updated_at      timestamptz   NOT NULL DEFAULT now(),
    created_by      uuid                   DEFAULT crm.current_app_user(),
    updated_by      uuid                   DEFAULT crm.current_app_user(),
    CONSTRAINT opportunity_products_pk PRIMARY KEY (opportunity_id, product_id),
    CONSTRAINT opportunity_products_opportunity_fk FOREIGN KEY (opportunity_id, principal_id)
        REFERENCES crm.opportunities (id, principal_id) ON DELETE CASCADE,
    CONSTRAINT opportunity_products_product_fk FOREIGN KEY (product_id, principal_id)
        REFERENCES crm.products (id, principal_id) ON DELETE RESTRICT,
    CONSTRAINT opportunity_products_created_by_fk FOREIGN KEY (created_by)
        REFERENCES crm.users (id) ON DELETE SET NULL,
    CONSTRAINT opportunity_products_updated_by_fk FOREIGN KEY (updated_by)
        REFERENCES crm.users (id) ON DELETE SET NULL,
    CONSTRAINT opportunity_products_quantity_chk CHECK (quantity > 0),
    CONSTRAINT opportunity_products_unit_price_chk CHECK (unit_price >= 0),
    CONSTRAINT opportunity_products_discount_chk CHECK (discount_pct BETWEEN 0 AND 100)
);

COMMENT ON TABLE crm.opportunity_products IS
    'Products quoted in an opportunity, with quantity and price. A line''s product must belong to the '
    'opportunity''s principal.';
COMMENT ON COLUMN crm.opportunity_products.opportunity_id IS 'The opportunity.';
COMMENT ON COLUMN crm.opportunity_products.product_id IS 'The quoted product.';
COMMENT ON COLUMN crm.opportunity_products.principal_id IS
    'The opportunity''s principal, repeated so that two composite foreign keys can require the product '
    'to belong to that same principal.';
COMMENT ON COLUMN crm.opportunity_products.quantity IS 'Expected annual quantity in the product''s unit of measure.';
COMMENT ON COLUMN crm.opportunity_products.unit_price IS 'Quoted price per unit before discount.';
COMMENT ON COLUMN crm.opportunity_products.discount_pct IS 'Discount in percent off the quoted price (0-100).';
COMMENT ON COLUMN crm.opportunity_products.line_amount IS 'Quantity x price x (1 - discount), rounded to cents; computed by the database.';
COMMENT ON COLUMN crm.opportunity_products.created_at IS 'When the row was created.';
COMMENT ON COLUMN crm.opportunity_products.updated_at IS 'When the row was last changed; maintained by trigger set_updated_at.';
COMMENT ON COLUMN crm.opportunity_products.created_by IS 'User who created the row.';
COMMENT ON COLUMN crm.opportunity_products.updated_by IS 'User who last changed the row; maintained by trigger set_updated_at.';

COMMENT ON CONSTRAINT opportunity_products_opportunity_fk ON crm.opportunity_products IS
    'References (id, principal_id) of the opportunity: pins principal_id to the opportunity''s principal. '
    'CASCADE: lines are owned by the opportunity.';
COMMENT ON CONSTRAINT opportunity_products_product_fk ON crm.opportunity_products IS
    'References (id, principal_id) of the product: the product must belong to the opportunity''s '
    'principal. RESTRICT: a quoted product cannot be hard-deleted (soft-delete it).';

CREATE INDEX opportunity_products_product_idx
    ON crm.opportunity_products (product_id);

COMMENT ON INDEX crm.opportunity_products_product_idx IS
    'Opportunities quoting a product ("where is this item in play?"); FK index of opportunity_products_product_fk.';

CREATE TRIGGER set_updated_at
    BEFORE UPDATE ON crm.opportunity_products
    FOR EACH ROW
    EXECUTE FUNCTION crm.set_updated_at();

COMMENT ON TRIGGER set_updated_at ON crm.opportunity_products IS
    'Maintains updated_at and updated_by on every update. Unlike the other tables it has no '
    'WHEN (OLD.* IS DISTINCT FROM NEW.*) filter: a BEFORE trigger''s WHEN cannot reference a row '
    'with a generated column (line_amount).';

-- Contacts involved in an opportunity.

CREATE TABLE crm.opportunity_contacts (
    opportunity_id  uuid            NOT NULL,
    contact_id      uuid            NOT NULL,
    buying_role     crm.buying_role NOT NULL DEFAULT 'influencer',
    notes           varchar(500),
    created_at      timestamptz     NOT NULL DEFAULT now(),
    updated_at      timestamptz     NOT NULL DEFAULT now(),
    created_by      uuid                     DEFAULT crm.current_app_user(),
    updated_by      uuid                     DEFAULT crm.current_app_user(),
    CONSTRAINT opportunity_contacts_pk PRIMARY KEY (opportunity_id, contact_id),
    CONSTRAINT opportunity_contacts_opportunity_fk FOREIGN KEY (opportunity_id)
        REFERENCES crm.opportunities (id) ON DELETE CASCADE,
    CONSTRAINT opportunity_contacts_contact_fk FOREIGN KEY (contact_id)
        REFERENCES crm.contacts (id) ON DELETE CASCADE,
    CONSTRAINT opportunity_contacts_created_by_fk FOREIGN KEY (created_by)
        REFERENCES crm.users (id) ON DELETE SET NULL,
    CONSTRAINT opportunity_contacts_updated_by_fk FOREIGN KEY (updated_by)
        REFERENCES crm.users (id) ON DELETE SET NULL
);

COMMENT ON TABLE crm.opportunity_contacts IS
    'The buying group of an opportunity: which contacts are involved and what part they play.';
COMMENT ON COLUMN crm.opportunity_contacts.opportunity_id IS 'The opportunity.';
COMMENT ON COLUMN crm.opportunity_contacts.contact_id IS 'A contact involved in the decision.';
COMMENT ON COLUMN crm.opportunity_contacts.buying_role IS 'The contact''s part in the decision (decision maker, champion...).';
COMMENT ON COLUMN crm.opportunity_contacts.notes IS 'What this person cares about in this deal.';
COMMENT ON COLUMN crm.opportunity_contacts.created_at IS 'When the row was created.';
COMMENT ON COLUMN crm.opportunity_contacts.updated_at IS 'When the row was last changed; maintained by trigger set_updated_at.';
COMMENT ON COLUMN crm.opportunity_contacts.created_by IS 'User who created the row.';
COMMENT ON COLUMN crm.opportunity_contacts.updated_by IS 'User who last changed the row; maintained by trigger set_updated_at.';

CREATE INDEX opportunity_contacts_contact_idx
    ON crm.opportunity_contacts (contact_id);

COMMENT ON INDEX crm.opportunity_contacts_contact_idx IS
    'Opportunities a contact is involved in; FK index of opportunity_contacts_contact_fk.';

CREATE TRIGGER set_updated_at
    BEFORE UPDATE ON crm.opportunity_contacts
    FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION crm.set_updated_at();

COMMENT ON TRIGGER set_updated_at ON crm.opportunity_contacts IS
    'Maintains updated_at and updated_by on every real change.';

-- Stage history, written by trigger.

CREATE TABLE crm.opportunity_stage_history (
    id              uuid                  NOT NULL DEFAULT gen_random_uuid(),
    opportunity_id  uuid                  NOT NULL,
    from_stage      crm.opportunity_stage,
    to_stage        crm.opportunity_stage NOT NULL,
    amount          numeric(14,2)         NOT NULL,
    changed_at      timestamptz           NOT NULL DEFAULT now(),
    created_at      timestamptz           NOT NULL DEFAULT now(),
    updated_at      timestamptz           NOT NULL DEFAULT now(),
    created_by      uuid                           DEFAULT crm.current_app_user(),
    updated_by      uuid                           DEFAULT crm.current_app_user(),
    CONSTRAINT opportunity_stage_history_pk PRIMARY KEY (id),
    CONSTRAINT opportunity_stage_history_opportunity_fk FOREIGN KEY (opportunity_id)
        REFERENCES crm.opportunities (id) ON DELETE CASCADE,
    CONSTRAINT opportunity_stage_history_created_by_fk FOREIGN KEY (created_by)
        REFERENCES crm.users (id) ON DELETE SET NULL,
    CONSTRAINT opportunity_stage_history_updated_by_fk FOREIGN KEY (updated_by)
        REFERENCES crm.users (id) ON DELETE SET NULL,
    CONSTRAINT opportunity_stage_history_stage_changed_chk CHECK (from_stage IS DISTINCT FROM to_stage)
);

COMMENT ON TABLE crm.opportunity_stage_history IS
    'One row per stage an opportunity entered, with the amount at that moment; '
    'written by the triggers on crm.opportunities. Feeds stage-velocity and conversion reports.';
COMMENT ON COLUMN crm.opportunity_stage_history.id IS 'Surrogate key (random UUID).';
COMMENT ON COLUMN crm.opportunity_stage_history.opportunity_id IS 'The opportunity whose stage changed.';
COMMENT ON COLUMN crm.opportunity_stage_history.from_stage IS 'Stage before the change; NULL for the opening stage.';
COMMENT ON COLUMN crm.opportunity_stage_history.to_stage IS 'Stage entered.';
COMMENT ON COLUMN crm.opportunity_stage_history.amount IS 'Opportunity amount when the stage was entered.';
COMMENT ON COLUMN crm.opportunity_stage_history.changed_at IS 'When the stage was entered (the opportunity''s created_at or updated_at).';
COMMENT ON COLUMN crm.opportunity_stage_history.created_at IS 'When the row was created.';
COMMENT ON COLUMN crm.opportunity_stage_history.updated_at IS 'When the row was last changed; maintained by trigger set_updated_at.';
COMMENT ON COLUMN crm.opportunity_stage_history.created_by IS 'User who made the stage change.';
COMMENT ON COLUMN crm.opportunity_stage_history.updated_by IS 'User who last changed the row; maintained by trigger set_updated_at.';

COMMENT ON CONSTRAINT opportunity_stage_history_stage_changed_chk ON crm.opportunity_stage_history IS
    'A history row records an actual change of stage.';

CREATE INDEX opportunity_stage_history_opportunity_idx
    ON crm.opportunity_stage_history (opportunity_id, changed_at);

COMMENT ON INDEX crm.opportunity_stage_history_opportunity_idx IS
    'Timeline of one opportunity; FK index of opportunity_stage_history_opportunity_fk.';

CREATE TRIGGER set_updated_at
    BEFORE UPDATE ON crm.opportunity_stage_history
    FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION crm.set_updated_at();

COMMENT ON TRIGGER set_updated_at ON crm.opportunity_stage_history IS
    'Maintains updated_at and updated_by on every real change (history rows are normally never updated).';

CREATE FUNCTION crm.record_opportunity_stage()
    RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO crm.opportunity_stage_history
            (opportunity_id, from_stage, to_stage, amount, changed_at, created_by, updated_by)
        VALUES
            (NEW.id, NULL, NEW.stage, NEW.amount, NEW.created_at,
             NEW.created_by, NEW.created_by);
    ELSE
        INSERT INTO crm.opportunity_stage_history
            (opportunity_id, from_stage, to_stage, amount, changed_at, created_by, updated_by)
        VALUES
            (NEW.id, OLD.stage, NEW.stage, NEW.amount, NEW.updated_at,
             NEW.updated_by, NEW.updated_by);
    END IF;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION crm.record_opportunity_stage() IS
    'AFTER trigger of crm.opportunities: appends the stage an opportunity enters (on insert and on '
    'every stage change) to crm.opportunity_stage_history.';

CREATE TRIGGER record_stage_on_insert
    AFTER INSERT ON crm.opportunities
    FOR EACH ROW
    EXECUTE FUNCTION crm.record_opportunity_stage();

COMMENT ON TRIGGER record_stage_on_insert ON crm.opportunities IS
    'Records the opening stage of a new opportunity in crm.opportunity_stage_history.';

CREATE TRIGGER record_stage_on_change
    AFTER UPDATE OF stage ON crm.opportunities
    FOR EACH ROW
    WHEN (OLD.stage IS DISTINCT FROM NEW.stage)
    EXECUTE FUNCTION crm.record_opportunity_stage();

COMMENT ON TRIGGER record_stage_on_change ON crm.opportunities IS
    'Records every change of stage in crm.opportunity_stage_history.';
