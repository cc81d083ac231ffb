-- Enumerated types and domains.
--
-- Enums are used for small value sets that the application code branches on
-- and that change only with a release (stages, kinds, outcomes). Their
-- declaration order is meaningful: it is the sort order (for example the
-- pipeline order of opportunity stages). Values can be added with
-- ALTER TYPE ... ADD VALUE but never removed; see docs/crm/design.md.

CREATE TYPE crm.user_role AS ENUM (
    'admin',
    'sales_manager',
    'account_manager',
    'sales_rep',
    'inside_sales'
);

COMMENT ON TYPE crm.user_role IS
    'What a CRM user does in the agency; drives permissions in the application and rep-level reporting.';

CREATE TYPE crm.organization_kind AS ENUM (
    'principal',
    'distributor',
    'customer',
    'prospect'
);

COMMENT ON TYPE crm.organization_kind IS
    'Role of an organization towards the agency: principal (manufacturer we represent), distributor '
    '(wholesaler that stocks principals'' products), customer (buys through distributors), prospect '
    '(potential customer, not yet buying).';

CREATE TYPE crm.priority_tier AS ENUM (
    'A',
    'B',
    'C',
    'D'
);

COMMENT ON TYPE crm.priority_tier IS
    'Account priority used to plan call frequency: A = key account (visit monthly) down to D = occasional.';

CREATE TYPE crm.contact_role AS ENUM (
    'owner',
    'executive',
    'buyer',
    'chef',
    'operations',
    'finance',
    'sales',
    'marketing',
    'other'
);

COMMENT ON TYPE crm.contact_role IS
    'Function a contact holds at an organization (a contact can hold different roles at different organizations).';

CREATE TYPE crm.buying_role AS ENUM (
    'decision_maker',
    'influencer',
    'champion',
    'user',
    'gatekeeper',
    'blocker'
);

COMMENT ON TYPE crm.buying_role IS
    'Part a contact plays in one opportunity''s buying decision.';

CREATE TYPE crm.opportunity_stage AS ENUM (
    'prospecting',
    'qualification',
    'proposal',
    'negotiation',
    'won',
    'lost'
);

COMMENT ON TYPE crm.opportunity_stage IS
    'Pipeline stage of an opportunity, in pipeline order; won and lost are the closed stages.';

CREATE TYPE crm.lost_reason AS ENUM (
    'price',
    'competitor',
    'no_budget',
    'no_decision',
    'product_fit',
    'distribution',
    'timing',
    'other'
);

COMMENT ON TYPE crm.lost_reason IS
    'Why an opportunity was lost; reported per principal to feed back to the manufacturer.';

CREATE TYPE crm.interaction_kind AS ENUM (
    'call',
    'email',
    'meeting',
    'visit',
    'sample',
    'note'
);

COMMENT ON TYPE crm.interaction_kind IS
    'Channel of an interaction: phone call, e-mail, meeting, on-site visit, product sample drop, '
    'or an internal note.';

CREATE TYPE crm.interaction_outcome AS ENUM (
    'positive',
    'neutral',
    'negative',
    'no_response'
);

COMMENT ON TYPE crm.interaction_outcome IS
    'Rep''s assessment of how an interaction went.';

CREATE TYPE crm.principal_assignment_role AS ENUM (
    'line_manager',
    'rep',
    'backup'
);

COMMENT ON TYPE crm.principal_assignment_role IS
    'How a user works a principal''s line: line_manager (main contact of the manufacturer), rep, or backup.';

CREATE DOMAIN crm.email_address AS text
    CONSTRAINT email_address_shape_chk
        CHECK (VALUE ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' AND length(VALUE) <= 254);

COMMENT ON DOMAIN crm.email_address IS
    'An e-mail address: one @, no whitespace, a dot in the domain part, at most 254 characters. '
    'Stored as entered; uniqueness is checked case-insensitively with lower().';

CREATE DOMAIN crm.country_code AS text
    CONSTRAINT country_code_iso_chk
        CHECK (VALUE ~ '^[A-Z]{2}$');

COMMENT ON DOMAIN crm.country_code IS
    'ISO 3166-1 alpha-2 country code in upper case, e.g. US, CA, MX.';
