-- Minimal data set for docs/crm/constraint-violations.sql: two users, one
-- organization of each kind (three principals), a line card, a contact, three
-- products, two opportunities (one with a product line), an interaction with
-- a participant, a principal assignment and a sales target. Ids are fixed so
-- that the violating statements can refer to them.

INSERT INTO crm.users (id, email, full_name, role) VALUES
  ('00000000-0000-0000-0000-000000000001', 'ada.admin@agency.example.com', 'Ada Admin', 'admin'),
  ('00000000-0000-0000-0000-000000000002', 'rick.rep@agency.example.com', 'Rick Rep', 'sales_rep');
INSERT INTO crm.organizations (id, kind, name, commission_rate) VALUES
  ('00000000-0000-0000-0000-000000000101', 'principal',   'Sierra Foods', 5.00),
  ('00000000-0000-0000-0000-000000000102', 'distributor', 'Metro Foodservice', NULL),
  ('00000000-0000-0000-0000-000000000103', 'customer',    'Harbor Grill', NULL),
  ('00000000-0000-0000-0000-000000000104', 'prospect',    'Oak Bistro', NULL),
  ('00000000-0000-0000-0000-000000000105', 'principal',   'Prairie Dairy', 4.00),
  ('00000000-0000-0000-0000-000000000106', 'principal',   'Coastal Brands', 6.00);
INSERT INTO crm.distributor_principals (distributor_id, principal_id) VALUES
  ('00000000-0000-0000-0000-000000000102', '00000000-0000-0000-0000-000000000101');
INSERT INTO crm.contacts (id, first_name, last_name, email) VALUES
  ('00000000-0000-0000-0000-000000000201', 'Ann', 'Buyer', 'Ann.Buyer@Harbor.example.com');
INSERT INTO crm.contact_organizations (contact_id, organization_id, role, is_primary) VALUES
  ('00000000-0000-0000-0000-000000000201', '00000000-0000-0000-0000-000000000103', 'buyer', true);
INSERT INTO crm.products (id, principal_id, sku, name, list_price) VALUES
  ('00000000-0000-0000-0000-000000000301', '00000000-0000-0000-0000-000000000101', 'SF-100', 'Classic Cheesecake', 42.00),
  ('00000000-0000-0000-0000-000000000302', '00000000-0000-0000-0000-000000000105', 'PD-200', 'Mozzarella 6x5 lb', 61.00),
  ('00000000-0000-0000-0000-000000000303', '00000000-0000-0000-0000-000000000106', 'CB-300', 'Marinara 6x#10', 38.00);
INSERT INTO crm.opportunities (id, name, customer_id, principal_id, distributor_id, owner_id, stage, amount, probability) VALUES
  ('00000000-0000-0000-0000-000000000401', 'Spring menu - desserts', '00000000-0000-0000-0000-000000000103',
   '00000000-0000-0000-0000-000000000101', '00000000-0000-0000-0000-000000000102',
   '00000000-0000-0000-0000-000000000002', 'proposal', 12000, 50);
INSERT INTO crm.opportunities (id, name, customer_id, customer_kind, principal_id, owner_id) VALUES
  ('00000000-0000-0000-0000-000000000402', 'Trial - mozzarella', '00000000-0000-0000-0000-000000000104', 'prospect',
   '00000000-0000-0000-0000-000000000105', '00000000-0000-0000-0000-000000000002');
INSERT INTO crm.opportunity_products (opportunity_id, product_id, principal_id, quantity, unit_price) VALUES
  ('00000000-0000-0000-0000-000000000401', '00000000-0000-0000-0000-000000000301',
   '00000000-0000-0000-0000-000000000101', 100, 40.00);
INSERT INTO crm.interactions (id, kind, occurred_at, user_id, organization_id, contact_id, principal_id, subject) VALUES
  ('00000000-0000-0000-0000-000000000501', 'visit', '2025-03-03 10:00+00', '00000000-0000-0000-0000-000000000002',
   '00000000-0000-0000-0000-000000000103', '00000000-0000-0000-0000-000000000201',
   '00000000-0000-0000-0000-000000000101', 'Visit: menu review');
INSERT INTO crm.interaction_participants (interaction_id, user_id, is_organizer) VALUES
  ('00000000-0000-0000-0000-000000000501', '00000000-0000-0000-0000-000000000002', true);
INSERT INTO crm.principal_assignments (user_id, principal_id, role) VALUES
  ('00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000101', 'line_manager');
INSERT INTO crm.sales_targets (principal_id, period_month, target_amount) VALUES
  ('00000000-0000-0000-0000-000000000101', '2025-03-01', 50000);
