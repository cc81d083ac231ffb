-- Business-rule violations of the reference CRM, with the exact error each
-- one raises. Load desired/*.sql, then docs/crm/constraint-fixture.sql, then
-- run each statement below on its own (for example each in a transaction
-- that is rolled back): every one must fail with the SQLSTATE and message
-- given in its header (lc_messages = C/English). The fixture is not changed
-- by a failing statement, so the order does not matter.
--
-- Header of each statement:
--     -- rule:       the business rule
--     -- table:      the table the statement targets
--     -- constraint: the constraint (or unique index) that rejects it
--     -- sqlstate:   23514 check, 23505 unique, 23503 foreign key
--     -- error:      the primary error message
--
-- See docs/crm/constraints.md for the rules in prose.


-- rule: A user's e-mail has an e-mail shape
-- table: crm.users
-- constraint: email_address_shape_chk
-- sqlstate: 23514
-- error: value for domain crm.email_address violates check constraint "email_address_shape_chk"
INSERT INTO crm.users (email, full_name) VALUES ('not-an-email', 'X');

-- rule: One live user per e-mail, case-insensitive
-- table: crm.users
-- constraint: users_email_live_uq
-- sqlstate: 23505
-- error: duplicate key value violates unique constraint "users_email_live_uq"
INSERT INTO crm.users (email, full_name) VALUES ('RICK.REP@agency.example.com', 'Rick Again');

-- rule: A user's name is not blank
-- table: crm.users
-- constraint: users_full_name_not_blank_chk
-- sqlstate: 23514
-- error: new row for relation "users" violates check constraint "users_full_name_not_blank_chk"
INSERT INTO crm.users (email, full_name) VALUES ('x@agency.example.com', '  ');

-- rule: A user is not their own manager
-- table: crm.users
-- constraint: users_not_own_manager_chk
-- sqlstate: 23514
-- error: new row for relation "users" violates check constraint "users_not_own_manager_chk"
UPDATE crm.users SET manager_id = id WHERE id = '00000000-0000-0000-0000-000000000002';

-- rule: A user with opportunities cannot be hard-deleted (RESTRICT)
-- table: crm.users
-- constraint: opportunities_owner_fk
-- sqlstate: 23503
-- error: update or delete on table "users" violates foreign key constraint "opportunities_owner_fk" on table "opportunities"
DELETE FROM crm.users WHERE id = '00000000-0000-0000-0000-000000000002';

-- rule: An organization's name is not blank
-- table: crm.organizations
-- constraint: organizations_name_not_blank_chk
-- sqlstate: 23514
-- error: new row for relation "organizations" violates check constraint "organizations_name_not_blank_chk"
INSERT INTO crm.organizations (kind, name) VALUES ('customer', '');

-- rule: No two live organizations of a kind share a name, case-insensitive
-- table: crm.organizations
-- constraint: organizations_kind_name_live_uq
-- sqlstate: 23505
-- error: duplicate key value violates unique constraint "organizations_kind_name_live_uq"
INSERT INTO crm.organizations (kind, name) VALUES ('customer', 'HARBOR GRILL');

-- rule: An organization is not its own parent
-- table: crm.organizations
-- constraint: organizations_not_own_parent_chk
-- sqlstate: 23514
-- error: new row for relation "organizations" violates check constraint "organizations_not_own_parent_chk"
UPDATE crm.organizations SET parent_id = id WHERE id = '00000000-0000-0000-0000-000000000103';

-- rule: Commission rate is between 0 and 100
-- table: crm.organizations
-- constraint: organizations_commission_rate_range_chk
-- sqlstate: 23514
-- error: new row for relation "organizations" violates check constraint "organizations_commission_rate_range_chk"
UPDATE crm.organizations SET commission_rate = 120 WHERE id = '00000000-0000-0000-0000-000000000101';

-- rule: Only principals have a commission rate
-- table: crm.organizations
-- constraint: organizations_commission_only_principal_chk
-- sqlstate: 23514
-- error: new row for relation "organizations" violates check constraint "organizations_commission_only_principal_chk"
UPDATE crm.organizations SET commission_rate = 5 WHERE id = '00000000-0000-0000-0000-000000000103';

-- rule: Country code is ISO alpha-2 upper case
-- table: crm.organizations
-- constraint: country_code_iso_chk
-- sqlstate: 23514
-- error: value for domain crm.country_code violates check constraint "country_code_iso_chk"
INSERT INTO crm.organizations (kind, name, country_code) VALUES ('customer', 'Lucky Deli', 'usa');

-- rule: A principal that owns products cannot change kind
-- table: crm.organizations
-- constraint: products_principal_fk
-- sqlstate: 23503
-- error: update or delete on table "organizations" violates foreign key constraint "products_principal_fk" on table "products"
UPDATE crm.organizations SET kind = 'customer', commission_rate = NULL WHERE id = '00000000-0000-0000-0000-000000000106';

-- rule: A customer with opportunities cannot become a distributor (cascaded kind re-checked)
-- table: crm.organizations
-- constraint: opportunities_customer_kind_chk
-- sqlstate: 23514
-- error: new row for relation "opportunities" violates check constraint "opportunities_customer_kind_chk"
UPDATE crm.organizations SET kind = 'distributor' WHERE id = '00000000-0000-0000-0000-000000000103';

-- rule: A customer with opportunities cannot be hard-deleted (RESTRICT)
-- table: crm.organizations
-- constraint: opportunities_customer_fk
-- sqlstate: 23503
-- error: update or delete on table "organizations" violates foreign key constraint "opportunities_customer_fk" on table "opportunities"
DELETE FROM crm.organizations WHERE id = '00000000-0000-0000-0000-000000000103';

-- rule: deleted_at is not before created_at
-- table: crm.organizations
-- constraint: organizations_deleted_after_created_chk
-- sqlstate: 23514
-- error: new row for relation "organizations" violates check constraint "organizations_deleted_after_created_chk"
UPDATE crm.organizations SET deleted_at = created_at - interval '1 day' WHERE id = '00000000-0000-0000-0000-000000000104';

-- rule: A line card's distributor must be a distributor
-- table: crm.distributor_principals
-- constraint: distributor_principals_distributor_fk
-- sqlstate: 23503
-- error: insert or update on table "distributor_principals" violates foreign key constraint "distributor_principals_distributor_fk"
INSERT INTO crm.distributor_principals (distributor_id, principal_id) VALUES ('00000000-0000-0000-0000-000000000103', '00000000-0000-0000-0000-000000000101');

-- rule: A line card's principal must be a principal
-- table: crm.distributor_principals
-- constraint: distributor_principals_principal_fk
-- sqlstate: 23503
-- error: insert or update on table "distributor_principals" violates foreign key constraint "distributor_principals_principal_fk"
INSERT INTO crm.distributor_principals (distributor_id, principal_id) VALUES ('00000000-0000-0000-0000-000000000102', '00000000-0000-0000-0000-000000000103');

-- rule: distributor_kind is pinned to 'distributor'
-- table: crm.distributor_principals
-- constraint: distributor_principals_distributor_kind_chk
-- sqlstate: 23514
-- error: new row for relation "distributor_principals" violates check constraint "distributor_principals_distributor_kind_chk"
INSERT INTO crm.distributor_principals (distributor_id, distributor_kind, principal_id) VALUES ('00000000-0000-0000-0000-000000000103', 'customer', '00000000-0000-0000-0000-000000000101');

-- rule: Carried-until is not before carried-since
-- table: crm.distributor_principals
-- constraint: distributor_principals_dates_chk
-- sqlstate: 23514
-- error: new row for relation "distributor_principals" violates check constraint "distributor_principals_dates_chk"
INSERT INTO crm.distributor_principals (distributor_id, principal_id, carried_since, carried_until) VALUES ('00000000-0000-0000-0000-000000000102', '00000000-0000-0000-0000-000000000105', '2025-01-01', '2024-01-01');

-- rule: A line card used by opportunities cannot be deleted (RESTRICT)
-- table: crm.distributor_principals
-- constraint: opportunities_distributor_line_fk
-- sqlstate: 23503
-- error: update or delete on table "distributor_principals" violates foreign key constraint "opportunities_distributor_line_fk" on table "opportunities"
DELETE FROM crm.distributor_principals WHERE distributor_id = '00000000-0000-0000-0000-000000000102' AND principal_id = '00000000-0000-0000-0000-000000000101';

-- rule: Only principals can be assigned
-- table: crm.principal_assignments
-- constraint: principal_assignments_principal_fk
-- sqlstate: 23503
-- error: insert or update on table "principal_assignments" violates foreign key constraint "principal_assignments_principal_fk"
INSERT INTO crm.principal_assignments (user_id, principal_id) VALUES ('00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000102');

-- rule: At most one line manager per principal
-- table: crm.principal_assignments
-- constraint: principal_assignments_one_line_manager_uq
-- sqlstate: 23505
-- error: duplicate key value violates unique constraint "principal_assignments_one_line_manager_uq"
INSERT INTO crm.principal_assignments (user_id, principal_id, role) VALUES ('00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000101', 'line_manager');

-- rule: A contact's e-mail has an e-mail shape
-- table: crm.contacts
-- constraint: email_address_shape_chk
-- sqlstate: 23514
-- error: value for domain crm.email_address violates check constraint "email_address_shape_chk"
INSERT INTO crm.contacts (first_name, email) VALUES ('Bob', 'bob at example.com');

-- rule: One live contact per e-mail, case-insensitive
-- table: crm.contacts
-- constraint: contacts_email_live_uq
-- sqlstate: 23505
-- error: duplicate key value violates unique constraint "contacts_email_live_uq"
INSERT INTO crm.contacts (first_name, email) VALUES ('Ann', 'ann.buyer@harbor.EXAMPLE.com');

-- rule: A contact has a first or a last name
-- table: crm.contacts
-- constraint: contacts_name_present_chk
-- sqlstate: 23514
-- error: new row for relation "contacts" violates check constraint "contacts_name_present_chk"
INSERT INTO crm.contacts (first_name, last_name, email) VALUES ('', ' ', 'nobody@example.com');

-- rule: deleted_at is not before created_at
-- table: crm.contacts
-- constraint: contacts_deleted_after_created_chk
-- sqlstate: 23514
-- error: new row for relation "contacts" violates check constraint "contacts_deleted_after_created_chk"
UPDATE crm.contacts SET deleted_at = created_at - interval '1 second' WHERE id = '00000000-0000-0000-0000-000000000201';

-- rule: At most one primary affiliation per contact
-- table: crm.contact_organizations
-- constraint: contact_organizations_one_primary_uq
-- sqlstate: 23505
-- error: duplicate key value violates unique constraint "contact_organizations_one_primary_uq"
INSERT INTO crm.contact_organizations (contact_id, organization_id, is_primary) VALUES ('00000000-0000-0000-0000-000000000201', '00000000-0000-0000-0000-000000000102', true);

-- rule: Affiliation end is not before its start
-- table: crm.contact_organizations
-- constraint: contact_organizations_dates_chk
-- sqlstate: 23514
-- error: new row for relation "contact_organizations" violates check constraint "contact_organizations_dates_chk"
INSERT INTO crm.contact_organizations (contact_id, organization_id, started_on, ended_on) VALUES ('00000000-0000-0000-0000-000000000201', '00000000-0000-0000-0000-000000000102', '2024-05-01', '2024-04-01');

-- rule: An ended affiliation is not primary
-- table: crm.contact_organizations
-- constraint: contact_organizations_primary_current_chk
-- sqlstate: 23514
-- error: new row for relation "contact_organizations" violates check constraint "contact_organizations_primary_current_chk"
UPDATE crm.contact_organizations SET ended_on = '2024-12-31' WHERE contact_id = '00000000-0000-0000-0000-000000000201';

-- rule: A product's owner must be a principal
-- table: crm.products
-- constraint: products_principal_fk
-- sqlstate: 23503
-- error: insert or update on table "products" violates foreign key constraint "products_principal_fk"
INSERT INTO crm.products (principal_id, sku, name) VALUES ('00000000-0000-0000-0000-000000000102', 'X-1', 'Thing');

-- rule: principal_kind is pinned to 'principal'
-- table: crm.products
-- constraint: products_principal_kind_chk
-- sqlstate: 23514
-- error: new row for relation "products" violates check constraint "products_principal_kind_chk"
INSERT INTO crm.products (principal_id, principal_kind, sku, name) VALUES ('00000000-0000-0000-0000-000000000102', 'distributor', 'X-1', 'Thing');

-- rule: SKU unique per principal among live products, case-insensitive
-- table: crm.products
-- constraint: products_principal_sku_live_uq
-- sqlstate: 23505
-- error: duplicate key value violates unique constraint "products_principal_sku_live_uq"
INSERT INTO crm.products (principal_id, sku, name) VALUES ('00000000-0000-0000-0000-000000000101', 'sf-100', 'Duplicate');

-- rule: List price is not negative
-- table: crm.products
-- constraint: products_list_price_chk
-- sqlstate: 23514
-- error: new row for relation "products" violates check constraint "products_list_price_chk"
INSERT INTO crm.products (principal_id, sku, name, list_price) VALUES ('00000000-0000-0000-0000-000000000101', 'SF-101', 'Thing', -1);

-- rule: Discontinued is not before launched
-- table: crm.products
-- constraint: products_dates_chk
-- sqlstate: 23514
-- error: new row for relation "products" violates check constraint "products_dates_chk"
INSERT INTO crm.products (principal_id, sku, name, launched_on, discontinued_on) VALUES ('00000000-0000-0000-0000-000000000101', 'SF-102', 'Thing', '2024-01-01', '2023-01-01');

-- rule: SKU is not blank
-- table: crm.products
-- constraint: products_sku_not_blank_chk
-- sqlstate: 23514
-- error: new row for relation "products" violates check constraint "products_sku_not_blank_chk"
INSERT INTO crm.products (principal_id, sku, name) VALUES ('00000000-0000-0000-0000-000000000101', ' ', 'Thing');

-- rule: A quoted product cannot be hard-deleted (RESTRICT)
-- table: crm.products
-- constraint: opportunity_products_product_fk
-- sqlstate: 23503
-- error: update or delete on table "products" violates foreign key constraint "opportunity_products_product_fk" on table "opportunity_products"
DELETE FROM crm.products WHERE id = '00000000-0000-0000-0000-000000000301';

-- rule: Probability is between 0 and 100
-- table: crm.opportunities
-- constraint: opportunities_probability_chk
-- sqlstate: 23514
-- error: new row for relation "opportunities" violates check constraint "opportunities_probability_chk"
INSERT INTO crm.opportunities (name, customer_id, principal_id, owner_id, probability) VALUES ('t', '00000000-0000-0000-0000-000000000103', '00000000-0000-0000-0000-000000000101', '00000000-0000-0000-0000-000000000002', 101);

-- rule: Amount is not negative
-- table: crm.opportunities
-- constraint: opportunities_amount_chk
-- sqlstate: 23514
-- error: new row for relation "opportunities" violates check constraint "opportunities_amount_chk"
INSERT INTO crm.opportunities (name, customer_id, principal_id, owner_id, amount) VALUES ('t', '00000000-0000-0000-0000-000000000103', '00000000-0000-0000-0000-000000000101', '00000000-0000-0000-0000-000000000002', -1);

-- rule: Lost reason is required when lost
-- table: crm.opportunities
-- constraint: opportunities_lost_reason_chk
-- sqlstate: 23514
-- error: new row for relation "opportunities" violates check constraint "opportunities_lost_reason_chk"
INSERT INTO crm.opportunities (name, customer_id, principal_id, owner_id, stage, probability, closed_at) VALUES ('t', '00000000-0000-0000-0000-000000000103', '00000000-0000-0000-0000-000000000101', '00000000-0000-0000-0000-000000000002', 'lost', 0, now());

-- rule: Lost reason is forbidden unless lost
-- table: crm.opportunities
-- constraint: opportunities_lost_reason_chk
-- sqlstate: 23514
-- error: new row for relation "opportunities" violates check constraint "opportunities_lost_reason_chk"
INSERT INTO crm.opportunities (name, customer_id, principal_id, owner_id, lost_reason) VALUES ('t', '00000000-0000-0000-0000-000000000103', '00000000-0000-0000-0000-000000000101', '00000000-0000-0000-0000-000000000002', 'price');

-- rule: closed_at is required when won or lost
-- table: crm.opportunities
-- constraint: opportunities_closed_at_chk
-- sqlstate: 23514
-- error: new row for relation "opportunities" violates check constraint "opportunities_closed_at_chk"
INSERT INTO crm.opportunities (name, customer_id, principal_id, owner_id, stage, probability) VALUES ('t', '00000000-0000-0000-0000-000000000103', '00000000-0000-0000-0000-000000000101', '00000000-0000-0000-0000-000000000002', 'won', 100);

-- rule: closed_at is forbidden while open
-- table: crm.opportunities
-- constraint: opportunities_closed_at_chk
-- sqlstate: 23514
-- error: new row for relation "opportunities" violates check constraint "opportunities_closed_at_chk"
INSERT INTO crm.opportunities (name, customer_id, principal_id, owner_id, closed_at) VALUES ('t', '00000000-0000-0000-0000-000000000103', '00000000-0000-0000-0000-000000000101', '00000000-0000-0000-0000-000000000002', now());

-- rule: Won means probability 100 (lost means 0)
-- table: crm.opportunities
-- constraint: opportunities_closed_probability_chk
-- sqlstate: 23514
-- error: new row for relation "opportunities" violates check constraint "opportunities_closed_probability_chk"
INSERT INTO crm.opportunities (name, customer_id, principal_id, owner_id, stage, probability, closed_at) VALUES ('t', '00000000-0000-0000-0000-000000000103', '00000000-0000-0000-0000-000000000101', '00000000-0000-0000-0000-000000000002', 'won', 90, now());

-- rule: closed_at is not before created_at
-- table: crm.opportunities
-- constraint: opportunities_closed_after_created_chk
-- sqlstate: 23514
-- error: new row for relation "opportunities" violates check constraint "opportunities_closed_after_created_chk"
INSERT INTO crm.opportunities (name, customer_id, principal_id, owner_id, stage, probability, created_at, closed_at) VALUES ('t', '00000000-0000-0000-0000-000000000103', '00000000-0000-0000-0000-000000000101', '00000000-0000-0000-0000-000000000002', 'won', 100, '2025-02-01 00:00+00', '2025-01-01 00:00+00');

-- rule: The customer must be a customer or prospect
-- table: crm.opportunities
-- constraint: opportunities_customer_fk
-- sqlstate: 23503
-- error: insert or update on table "opportunities" violates foreign key constraint "opportunities_customer_fk"
INSERT INTO crm.opportunities (name, customer_id, principal_id, owner_id) VALUES ('t', '00000000-0000-0000-0000-000000000102', '00000000-0000-0000-0000-000000000101', '00000000-0000-0000-0000-000000000002');

-- rule: customer_kind is customer or prospect
-- table: crm.opportunities
-- constraint: opportunities_customer_kind_chk
-- sqlstate: 23514
-- error: new row for relation "opportunities" violates check constraint "opportunities_customer_kind_chk"
INSERT INTO crm.opportunities (name, customer_id, principal_id, owner_id, customer_kind) VALUES ('t', '00000000-0000-0000-0000-000000000102', '00000000-0000-0000-0000-000000000101', '00000000-0000-0000-0000-000000000002', 'distributor');

-- rule: The principal must be a principal
-- table: crm.opportunities
-- constraint: opportunities_principal_fk
-- sqlstate: 23503
-- error: insert or update on table "opportunities" violates foreign key constraint "opportunities_principal_fk"
INSERT INTO crm.opportunities (name, customer_id, principal_id, owner_id) VALUES ('t', '00000000-0000-0000-0000-000000000103', '00000000-0000-0000-0000-000000000103', '00000000-0000-0000-0000-000000000002');

-- rule: The distributor must carry the principal
-- table: crm.opportunities
-- constraint: opportunities_distributor_line_fk
-- sqlstate: 23503
-- error: insert or update on table "opportunities" violates foreign key constraint "opportunities_distributor_line_fk"
INSERT INTO crm.opportunities (name, customer_id, principal_id, owner_id, distributor_id) VALUES ('t', '00000000-0000-0000-0000-000000000103', '00000000-0000-0000-0000-000000000105', '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000102');

-- rule: The name is not blank
-- table: crm.opportunities
-- constraint: opportunities_name_not_blank_chk
-- sqlstate: 23514
-- error: new row for relation "opportunities" violates check constraint "opportunities_name_not_blank_chk"
INSERT INTO crm.opportunities (name, customer_id, principal_id, owner_id) VALUES ('', '00000000-0000-0000-0000-000000000103', '00000000-0000-0000-0000-000000000101', '00000000-0000-0000-0000-000000000002');

-- rule: An opportunity with lines cannot switch principal
-- table: crm.opportunities
-- constraint: opportunity_products_opportunity_fk
-- sqlstate: 23503
-- error: update or delete on table "opportunities" violates foreign key constraint "opportunity_products_opportunity_fk" on table "opportunity_products"
UPDATE crm.opportunities SET principal_id = '00000000-0000-0000-0000-000000000105' WHERE id = '00000000-0000-0000-0000-000000000401';

-- rule: A line's product belongs to the opportunity's principal
-- table: crm.opportunity_products
-- constraint: opportunity_products_product_fk
-- sqlstate: 23503
-- error: insert or update on table "opportunity_products" violates foreign key constraint "opportunity_products_product_fk"
INSERT INTO crm.opportunity_products (opportunity_id, product_id, principal_id, unit_price) VALUES ('00000000-0000-0000-0000-000000000401', '00000000-0000-0000-0000-000000000302', '00000000-0000-0000-0000-000000000101', 10);

-- rule: A line's principal is the opportunity's principal
-- table: crm.opportunity_products
-- constraint: opportunity_products_opportunity_fk
-- sqlstate: 23503
-- error: insert or update on table "opportunity_products" violates foreign key constraint "opportunity_products_opportunity_fk"
INSERT INTO crm.opportunity_products (opportunity_id, product_id, principal_id, unit_price) VALUES ('00000000-0000-0000-0000-000000000401', '00000000-0000-0000-0000-000000000302', '00000000-0000-0000-0000-000000000105', 10);

-- rule: Quantity is positive
-- table: crm.opportunity_products
-- constraint: opportunity_products_quantity_chk
-- sqlstate: 23514
-- error: new row for relation "opportunity_products" violates check constraint "opportunity_products_quantity_chk"
INSERT INTO crm.opportunity_products (opportunity_id, product_id, principal_id, quantity, unit_price) VALUES ('00000000-0000-0000-0000-000000000402', '00000000-0000-0000-0000-000000000302', '00000000-0000-0000-0000-000000000105', 0, 10);

-- rule: Unit price is not negative
-- table: crm.opportunity_products
-- constraint: opportunity_products_unit_price_chk
-- sqlstate: 23514
-- error: new row for relation "opportunity_products" violates check constraint "opportunity_products_unit_price_chk"
INSERT INTO crm.opportunity_products (opportunity_id, product_id, principal_id, unit_price) VALUES ('00000000-0000-0000-0000-000000000402', '00000000-0000-0000-0000-000000000302', '00000000-0000-0000-0000-000000000105', -5);

-- rule: Discount is between 0 and 100 percent
-- table: crm.opportunity_products
-- constraint: opportunity_products_discount_chk
-- sqlstate: 23514
-- error: new row for relation "opportunity_products" violates check constraint "opportunity_products_discount_chk"
INSERT INTO crm.opportunity_products (opportunity_id, product_id, principal_id, unit_price, discount_pct) VALUES ('00000000-0000-0000-0000-000000000402', '00000000-0000-0000-0000-000000000302', '00000000-0000-0000-0000-000000000105', 10, 150);

-- rule: A history row records a real change
-- table: crm.opportunity_stage_history
-- constraint: opportunity_stage_history_stage_changed_chk
-- sqlstate: 23514
-- error: new row for relation "opportunity_stage_history" violates check constraint "opportunity_stage_history_stage_changed_chk"
INSERT INTO crm.opportunity_stage_history (opportunity_id, from_stage, to_stage, amount, probability) VALUES ('00000000-0000-0000-0000-000000000401', 'proposal', 'proposal', 1, 50);

-- rule: A follow-up is due after the interaction
-- table: crm.interactions
-- constraint: interactions_follow_up_after_occurred_chk
-- sqlstate: 23514
-- error: new row for relation "interactions" violates check constraint "interactions_follow_up_after_occurred_chk"
INSERT INTO crm.interactions (kind, occurred_at, user_id, organization_id, subject, follow_up_at) VALUES ('call', '2025-03-03 10:00+00', '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000103', 'Call', '2025-03-02 10:00+00');

-- rule: A follow-up can be done only if scheduled
-- table: crm.interactions
-- constraint: interactions_follow_up_done_needs_due_chk
-- sqlstate: 23514
-- error: new row for relation "interactions" violates check constraint "interactions_follow_up_done_needs_due_chk"
INSERT INTO crm.interactions (kind, occurred_at, user_id, organization_id, subject, follow_up_done_at) VALUES ('call', '2025-03-03 10:00+00', '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000103', 'Call', now());

-- rule: An interaction about an opportunity names its principal
-- table: crm.interactions
-- constraint: interactions_opportunity_needs_principal_chk
-- sqlstate: 23514
-- error: new row for relation "interactions" violates check constraint "interactions_opportunity_needs_principal_chk"
INSERT INTO crm.interactions (kind, occurred_at, user_id, organization_id, subject, opportunity_id) VALUES ('call', '2025-03-03 10:00+00', '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000103', 'Call', '00000000-0000-0000-0000-000000000401');

-- rule: Duration is 0-1440 minutes
-- table: crm.interactions
-- constraint: interactions_duration_chk
-- sqlstate: 23514
-- error: new row for relation "interactions" violates check constraint "interactions_duration_chk"
INSERT INTO crm.interactions (kind, occurred_at, user_id, organization_id, subject, duration_minutes) VALUES ('call', '2025-03-03 10:00+00', '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000103', 'Call', 2000);

-- rule: The principal discussed must be a principal
-- table: crm.interactions
-- constraint: interactions_principal_fk
-- sqlstate: 23503
-- error: insert or update on table "interactions" violates foreign key constraint "interactions_principal_fk"
INSERT INTO crm.interactions (kind, occurred_at, user_id, organization_id, subject, principal_id) VALUES ('call', '2025-03-03 10:00+00', '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000103', 'Call', '00000000-0000-0000-0000-000000000102');

-- rule: The subject is not blank
-- table: crm.interactions
-- constraint: interactions_subject_not_blank_chk
-- sqlstate: 23514
-- error: new row for relation "interactions" violates check constraint "interactions_subject_not_blank_chk"
INSERT INTO crm.interactions (kind, occurred_at, user_id, organization_id, subject) VALUES ('call', '2025-03-03 10:00+00', '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000103', '');

-- rule: A participant is a user or a contact, not both
-- table: crm.interaction_participants
-- constraint: interaction_participants_one_party_chk
-- sqlstate: 23514
-- error: new row for relation "interaction_participants" violates check constraint "interaction_participants_one_party_chk"
INSERT INTO crm.interaction_participants (interaction_id, user_id, contact_id) VALUES ('00000000-0000-0000-0000-000000000501', '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000201');

-- rule: A participant is a user or a contact, not neither
-- table: crm.interaction_participants
-- constraint: interaction_participants_one_party_chk
-- sqlstate: 23514
-- error: new row for relation "interaction_participants" violates check constraint "interaction_participants_one_party_chk"
INSERT INTO crm.interaction_participants (interaction_id) VALUES ('00000000-0000-0000-0000-000000000501');

-- rule: A party takes part in an interaction once
-- table: crm.interaction_participants
-- constraint: interaction_participants_party_uq
-- sqlstate: 23505
-- error: duplicate key value violates unique constraint "interaction_participants_party_uq"
INSERT INTO crm.interaction_participants (interaction_id, user_id) VALUES ('00000000-0000-0000-0000-000000000501', '00000000-0000-0000-0000-000000000002');

-- rule: Targets are for principals only
-- table: crm.sales_targets
-- constraint: sales_targets_principal_fk
-- sqlstate: 23503
-- error: insert or update on table "sales_targets" violates foreign key constraint "sales_targets_principal_fk"
INSERT INTO crm.sales_targets (principal_id, period_month, target_amount) VALUES ('00000000-0000-0000-0000-000000000102', '2025-03-01', 1);

-- rule: A target month is stored as its first day
-- table: crm.sales_targets
-- constraint: sales_targets_first_of_month_chk
-- sqlstate: 23514
-- error: new row for relation "sales_targets" violates check constraint "sales_targets_first_of_month_chk"
INSERT INTO crm.sales_targets (principal_id, period_month, target_amount) VALUES ('00000000-0000-0000-0000-000000000101', '2025-03-15', 1);

-- rule: One target per principal and month
-- table: crm.sales_targets
-- constraint: sales_targets_principal_month_uq
-- sqlstate: 23505
-- error: duplicate key value violates unique constraint "sales_targets_principal_month_uq"
INSERT INTO crm.sales_targets (principal_id, period_month, target_amount) VALUES ('00000000-0000-0000-0000-000000000101', '2025-03-01', 1);

-- rule: Target amount is not negative
-- table: crm.sales_targets
-- constraint: sales_targets_target_amount_chk
-- sqlstate: 23514
-- error: new row for relation "sales_targets" violates check constraint "sales_targets_target_amount_chk"
INSERT INTO crm.sales_targets (principal_id, period_month, target_amount) VALUES ('00000000-0000-0000-0000-000000000101', '2025-04-01', -1);
