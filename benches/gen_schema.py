#!/usr/bin/env python3
"""Deterministic synthetic CRM-style schema for the benchmarks.

Writes plain DDL that `pgdiff` accepts as desired SQL (every name schema-qualified):
`000_shared.sql` (schema `crm`, the shared `crm.users` table) and one file per module,
`m0001.sql` ... Each module has 5 tables (accounts, contacts, deals, activities, notes), an
enum, foreign keys between its tables and to `crm.users`, CHECK constraints, composite and
partial indexes, one view, one materialized view and comments.

With --changed, about 5% of the modules (every 20th; at least one) differ from the base:
an added column, a dropped index, a changed default, a new CHECK, an added enum value and a
changed view. The output depends only on the arguments.

Usage: gen_schema.py --tables N --out DIR [--changed]
"""

import argparse
import os
import sys

TABLES_PER_MODULE = 5


def shared_sql() -> str:
    return """\
CREATE SCHEMA crm;

COMMENT ON SCHEMA crm IS 'Synthetic CRM schema for the benchmarks.';

CREATE TABLE crm.users (
    id          bigint      GENERATED ALWAYS AS IDENTITY,
    login       text        NOT NULL,
    full_name   text        NOT NULL DEFAULT '',
    active      boolean     NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_pk PRIMARY KEY (id),
    CONSTRAINT users_login_uq UNIQUE (login),
    CONSTRAINT users_login_chk CHECK (login = lower(login))
);

COMMENT ON TABLE crm.users IS 'Application users; owners of every module''s records.';
COMMENT ON COLUMN crm.users.login IS 'Lower-case login name.';
"""


def module_sql(m: int, ch: bool) -> str:
    """The DDL of module `m`; `ch`: the changed variant of it."""
    p = f"m{m:04d}"
    s = "crm"
    stages = ["'lead'", "'qualified'", "'proposal'", "'won'", "'lost'"]
    if ch:
        stages.append("'on_hold'")
    out = []
    a = out.append

    a(f"-- Module {m}.\n")
    a(f"CREATE TYPE {s}.{p}_stage AS ENUM ({', '.join(stages)});\n")
    a(f"COMMENT ON TYPE {s}.{p}_stage IS 'Sales stage of a deal in module {m}.';\n")

    # accounts
    website = "    website        text,\n" if ch else ""
    a(f"""
CREATE TABLE {s}.{p}_accounts (
    id             bigint        GENERATED ALWAYS AS IDENTITY,
    name           text          NOT NULL,
    region         text          NOT NULL DEFAULT 'north',
    owner_id       bigint,
    credit_limit   numeric(12,2) NOT NULL DEFAULT 0,
{website}    created_at     timestamptz   NOT NULL DEFAULT now(),
    deleted_at     timestamptz,
    CONSTRAINT {p}_accounts_pk PRIMARY KEY (id),
    CONSTRAINT {p}_accounts_owner_fk FOREIGN KEY (owner_id)
        REFERENCES {s}.users (id) ON DELETE SET NULL,
    CONSTRAINT {p}_accounts_credit_chk CHECK (credit_limit >= 0),
    CONSTRAINT {p}_accounts_deleted_chk CHECK (deleted_at IS NULL OR deleted_at >= created_at)
);
COMMENT ON TABLE {s}.{p}_accounts IS 'Customer accounts of module {m}.';
COMMENT ON COLUMN {s}.{p}_accounts.region IS 'Sales region.';
CREATE UNIQUE INDEX {p}_accounts_name_live_uq ON {s}.{p}_accounts (lower(name))
    WHERE deleted_at IS NULL;
CREATE INDEX {p}_accounts_owner_region_idx ON {s}.{p}_accounts (owner_id, region);
""")

    # contacts
    email_chk = (
        f",\n    CONSTRAINT {p}_contacts_email_chk CHECK (email IS NULL OR email LIKE '%@%')"
        if ch else ""
    )
    a(f"""
CREATE TABLE {s}.{p}_contacts (
    id             bigint        GENERATED ALWAYS AS IDENTITY,
    account_id     bigint        NOT NULL,
    first_name     text          NOT NULL DEFAULT '',
    last_name      text          NOT NULL DEFAULT '',
    email          text,
    phone          text,
    created_at     timestamptz   NOT NULL DEFAULT now(),
    deleted_at     timestamptz,
    CONSTRAINT {p}_contacts_pk PRIMARY KEY (id),
    CONSTRAINT {p}_contacts_account_fk FOREIGN KEY (account_id)
        REFERENCES {s}.{p}_accounts (id) ON DELETE CASCADE,
    CONSTRAINT {p}_contacts_name_chk CHECK (btrim(first_name || last_name) <> ''){email_chk}
);
COMMENT ON TABLE {s}.{p}_contacts IS 'People at the accounts of module {m}.';
COMMENT ON COLUMN {s}.{p}_contacts.email IS 'E-mail address; unique among live contacts.';
CREATE UNIQUE INDEX {p}_contacts_email_live_uq ON {s}.{p}_contacts (lower(email))
    WHERE deleted_at IS NULL AND email IS NOT NULL;
CREATE INDEX {p}_contacts_account_name_idx ON {s}.{p}_contacts (account_id, last_name, first_name);
""")

    # deals
    a(f"""
CREATE TABLE {s}.{p}_deals (
    id             bigint        GENERATED ALWAYS AS IDENTITY,
    account_id     bigint        NOT NULL,
    contact_id     bigint,
    owner_id       bigint,
    stage          {s}.{p}_stage NOT NULL DEFAULT 'lead',
    amount         numeric(14,2) NOT NULL DEFAULT 0,
    probability    smallint      NOT NULL DEFAULT 10,
    expected_close date,
    created_at     timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT {p}_deals_pk PRIMARY KEY (id),
    CONSTRAINT {p}_deals_account_fk FOREIGN KEY (account_id)
        REFERENCES {s}.{p}_accounts (id) ON DELETE CASCADE,
    CONSTRAINT {p}_deals_contact_fk FOREIGN KEY (contact_id)
        REFERENCES {s}.{p}_contacts (id) ON DELETE SET NULL,
    CONSTRAINT {p}_deals_owner_fk FOREIGN KEY (owner_id)
        REFERENCES {s}.users (id) ON DELETE SET NULL,
    CONSTRAINT {p}_deals_amount_chk CHECK (amount >= 0),
    CONSTRAINT {p}_deals_probability_chk CHECK (probability BETWEEN 0 AND 100)
);
COMMENT ON TABLE {s}.{p}_deals IS 'Sales opportunities of module {m}.';
COMMENT ON COLUMN {s}.{p}_deals.probability IS 'Estimated chance of winning, in percent.';
CREATE INDEX {p}_deals_account_stage_idx ON {s}.{p}_deals (account_id, stage);
CREATE INDEX {p}_deals_open_close_idx ON {s}.{p}_deals (expected_close)
    WHERE stage NOT IN ('won', 'lost');
""")

    # activities
    dropped_index = "" if ch else (
        f"CREATE INDEX {p}_activities_deal_time_idx ON {s}.{p}_activities (deal_id, happened_at DESC);\n"
    )
    a(f"""
CREATE TABLE {s}.{p}_activities (
    id             bigint        GENERATED ALWAYS AS IDENTITY,
    deal_id        bigint        NOT NULL,
    contact_id     bigint,
    user_id        bigint,
    kind           text          NOT NULL,
    happened_at    timestamptz   NOT NULL DEFAULT now(),
    duration_min   integer,
    CONSTRAINT {p}_activities_pk PRIMARY KEY (id),
    CONSTRAINT {p}_activities_deal_fk FOREIGN KEY (deal_id)
        REFERENCES {s}.{p}_deals (id) ON DELETE CASCADE,
    CONSTRAINT {p}_activities_contact_fk FOREIGN KEY (contact_id)
        REFERENCES {s}.{p}_contacts (id) ON DELETE SET NULL,
    CONSTRAINT {p}_activities_user_fk FOREIGN KEY (user_id)
        REFERENCES {s}.users (id) ON DELETE SET NULL,
    CONSTRAINT {p}_activities_kind_chk CHECK (kind IN ('call', 'meeting', 'email', 'task')),
    CONSTRAINT {p}_activities_duration_chk CHECK (duration_min IS NULL OR duration_min > 0)
);
COMMENT ON TABLE {s}.{p}_activities IS 'Calls, meetings, e-mails and tasks on the deals of module {m}.';
{dropped_index}CREATE INDEX {p}_activities_user_idx ON {s}.{p}_activities (user_id)
    WHERE user_id IS NOT NULL;
""")

    # notes
    visibility = "'team'" if ch else "'private'"
    a(f"""
CREATE TABLE {s}.{p}_notes (
    id             bigint        GENERATED ALWAYS AS IDENTITY,
    account_id     bigint        NOT NULL,
    author_id      bigint,
    visibility     text          NOT NULL DEFAULT {visibility},
    body           text          NOT NULL,
    created_at     timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT {p}_notes_pk PRIMARY KEY (id),
    CONSTRAINT {p}_notes_account_fk FOREIGN KEY (account_id)
        REFERENCES {s}.{p}_accounts (id) ON DELETE CASCADE,
    CONSTRAINT {p}_notes_author_fk FOREIGN KEY (author_id)
        REFERENCES {s}.users (id) ON DELETE SET NULL,
    CONSTRAINT {p}_notes_body_chk CHECK (length(body) BETWEEN 1 AND 10000),
    CONSTRAINT {p}_notes_visibility_chk CHECK (visibility IN ('private', 'team', 'public'))
);
COMMENT ON TABLE {s}.{p}_notes IS 'Free-form notes on the accounts of module {m}.';
CREATE INDEX {p}_notes_account_time_idx ON {s}.{p}_notes (account_id, created_at DESC);
""")

    # view and materialized view
    extra = " AND d.probability > 0" if ch else ""
    a(f"""
CREATE VIEW {s}.{p}_open_deals AS
    SELECT d.id, d.stage, d.amount, d.expected_close, a.name AS account_name, a.region
    FROM {s}.{p}_deals d
    JOIN {s}.{p}_accounts a ON a.id = d.account_id
    WHERE d.stage NOT IN ('won', 'lost'){extra} AND a.deleted_at IS NULL;
COMMENT ON VIEW {s}.{p}_open_deals IS 'Open deals of live accounts in module {m}.';

CREATE MATERIALIZED VIEW {s}.{p}_account_totals AS
    SELECT a.id AS account_id, count(d.id) AS deals, coalesce(sum(d.amount), 0) AS amount
    FROM {s}.{p}_accounts a
    LEFT JOIN {s}.{p}_deals d ON d.account_id = a.id
    GROUP BY a.id;
COMMENT ON MATERIALIZED VIEW {s}.{p}_account_totals IS 'Deal count and amount per account, module {m}.';
CREATE UNIQUE INDEX {p}_account_totals_uq ON {s}.{p}_account_totals (account_id);
""")
    return "".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tables", type=int, required=True,
                    help="number of module tables (a multiple of 5; crm.users comes on top)")
    ap.add_argument("--out", required=True, help="output directory (created; *.sql replaced)")
    ap.add_argument("--changed", action="store_true",
                    help="write the changed variant (about 5%% of the modules differ)")
    args = ap.parse_args()
    if args.tables < TABLES_PER_MODULE or args.tables % TABLES_PER_MODULE:
        ap.error(f"--tables must be a positive multiple of {TABLES_PER_MODULE}")
    modules = args.tables // TABLES_PER_MODULE
    os.makedirs(args.out, exist_ok=True)
    for name in os.listdir(args.out):
        if name.endswith(".sql"):
            os.remove(os.path.join(args.out, name))
    with open(os.path.join(args.out, "000_shared.sql"), "w", encoding="utf-8") as f:
        f.write(shared_sql())
    # Every 20th module differs in the changed variant (the 8th, 28th, ...); with fewer than
    # 20 modules, the first one.
    if not args.changed:
        differ = set()
    elif modules < 20:
        differ = {1}
    else:
        differ = {m for m in range(1, modules + 1) if m % 20 == 8}
    for m in range(1, modules + 1):
        with open(os.path.join(args.out, f"m{m:04d}.sql"), "w", encoding="utf-8") as f:
            f.write(module_sql(m, m in differ))
    changed = len(differ)
    print(f"{args.out}: {modules} modules, {args.tables + 1} tables, {changed} changed",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
