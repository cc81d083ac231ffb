-- Products: each product belongs to exactly one principal (its manufacturer).

CREATE TABLE crm.products (
    id               uuid                  NOT NULL DEFAULT gen_random_uuid(),
    principal_id     uuid                  NOT NULL,
    principal_kind   crm.organization_kind NOT NULL DEFAULT 'principal',
    sku              text                  NOT NULL,
    name             text                  NOT NULL,
    category         text,
    unit_of_measure  text                  NOT NULL DEFAULT 'case',
    list_price       numeric(12,2)         NOT NULL DEFAULT 0,
    launched_on      date,
    discontinued_on  date,
    created_at       timestamptz           NOT NULL DEFAULT now(),
    updated_at       timestamptz           NOT NULL DEFAULT now(),
    created_by       uuid                           DEFAULT crm.current_app_user(),
    updated_by       uuid                           DEFAULT crm.current_app_user(),
    CONSTRAINT products_pk PRIMARY KEY (id),
    CONSTRAINT products_id_principal_uq UNIQUE (id, principal_id),
    CONSTRAINT products_principal_fk FOREIGN KEY (principal_id, principal_kind)
        REFERENCES crm.organizations (id, kind) ON DELETE CASCADE,
    CONSTRAINT products_created_by_fk FOREIGN KEY (created_by)
        REFERENCES crm.users (id) ON DELETE SET NULL,
    CONSTRAINT products_updated_by_fk FOREIGN KEY (updated_by)
        REFERENCES crm.users (id) ON DELETE SET NULL,
    CONSTRAINT products_principal_kind_chk CHECK (principal_kind = 'principal'),
    CONSTRAINT products_sku_not_blank_chk CHECK (btrim(sku) <> ''),
    CONSTRAINT products_name_not_blank_chk CHECK (btrim(name) <> ''),
    CONSTRAINT products_list_price_chk CHECK (list_price >= 0),
    CONSTRAINT products_dates_chk CHECK (discontinued_on >= launched_on)
);

COMMENT ON TABLE crm.products IS
    'Products the agency sells on behalf of principals; each is owned by exactly one principal.';
COMMENT ON COLUMN crm.products.id IS 'Surrogate key (random UUID).';
COMMENT ON COLUMN crm.products.principal_id IS 'The manufacturer that owns the product.';
COMMENT ON COLUMN crm.products.principal_kind IS
    'Always ''principal''; with principal_id it references organizations (id, kind), so a product''s '
    'owner must be a principal.';
COMMENT ON COLUMN crm.products.sku IS 'The principal''s item number; unique per principal, case-insensitively.';
COMMENT ON COLUMN crm.products.name IS 'Product name as in the principal''s catalog.';
COMMENT ON COLUMN crm.products.category IS 'Catalog category (free text, e.g. "Frozen desserts").';
COMMENT ON COLUMN crm.products.unit_of_measure IS 'Selling unit (case, each, pound...); quantities on opportunity lines are in this unit.';
COMMENT ON COLUMN crm.products.list_price IS 'Principal''s list price per unit, in the agency''s reporting currency.';
COMMENT ON COLUMN crm.products.launched_on IS 'Day the product became available, if known.';
COMMENT ON COLUMN crm.products.discontinued_on IS 'Day the product was or will be discontinued; NULL while current.';
COMMENT ON COLUMN crm.products.created_at IS 'When the row was created.';
COMMENT ON COLUMN crm.products.updated_at IS 'When the row was last changed; maintained by trigger set_updated_at.';
COMMENT ON COLUMN crm.products.created_by IS 'User who created the row.';
COMMENT ON COLUMN crm.products.updated_by IS 'User who last changed the row; maintained by trigger set_updated_at.';

COMMENT ON CONSTRAINT products_principal_fk ON crm.products IS
    'Composite key (principal_id, principal_kind) -> organizations (id, kind) with principal_kind pinned '
    'to ''principal'' by products_principal_kind_chk: a product''s owner must be a principal, and a '
    'principal that owns products cannot change kind. CASCADE: the catalog belongs to the principal.';
COMMENT ON CONSTRAINT products_id_principal_uq ON crm.products IS
    'Redundant with the primary key on purpose: lets opportunity lines reference (product, principal) '
    'so that a line''s product belongs to the opportunity''s principal.';

CREATE UNIQUE INDEX products_principal_sku_uq
    ON crm.products (principal_id, lower(sku));

COMMENT ON INDEX crm.products_principal_sku_uq IS
    'SKU unique within a principal''s catalog (case-insensitive); serves item-number lookup: '
    'WHERE principal_id = $1 AND lower(sku) = lower($2).';

CREATE INDEX products_principal_name_idx
    ON crm.products (principal_id, name);

COMMENT ON INDEX crm.products_principal_name_idx IS
    'A principal''s catalog in name order; FK index of products_principal_fk (not partial, so that the '
    'foreign-key checks on deleting or re-keying a principal can use it).';

CREATE TRIGGER set_updated_at
    BEFORE UPDATE ON crm.products
    FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION crm.set_updated_at();

COMMENT ON TRIGGER set_updated_at ON crm.products IS
    'Maintains updated_at and updated_by on every real change.';
