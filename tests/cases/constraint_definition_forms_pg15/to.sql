-- The definitions of primary keys, unique constraints and foreign keys are composed by the
-- inspector from the key columns' names: keywords and names that need quoting, a dropped
-- column before the keys, INCLUDE columns, every referential action, MATCH FULL,
-- ON DELETE SET NULL with a column list (PostgreSQL 15+), deferrable keys; CHECK
-- constraints (NO INHERIT, a system column) around their deparsed expressions. EXCLUDE
-- constraints (an expression key) are printed by the server.
CREATE SCHEMA "Ref";
CREATE TABLE "Ref"."user" (
    gone int,
    "order" int,
    "Key" text,
    "with""quote" int,
    during tstzrange,
    CONSTRAINT user_pk PRIMARY KEY ("order", "Key") INCLUDE ("with""quote", during),
    CONSTRAINT "User Quote" UNIQUE ("with""quote"),
    CONSTRAINT user_during_excl EXCLUDE USING gist (during WITH &&, int4range("order", "order", '[]') WITH &&),
    CONSTRAINT user_tableoid_check CHECK (tableoid <> 0::oid AND "order" > 0)
);
ALTER TABLE "Ref"."user" DROP COLUMN gone;
CREATE TABLE public.acct (
    id int PRIMARY KEY,
    "user" int,
    "Key" text,
    "select" int,
    parent int,
    ref int,
    CONSTRAINT acct_key_uniq UNIQUE ("Key", id) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT acct_user_fk FOREIGN KEY ("user", "Key") REFERENCES "Ref"."user" ("order", "Key")
        MATCH FULL ON UPDATE CASCADE ON DELETE RESTRICT,
    CONSTRAINT acct_user_set_null_fk FOREIGN KEY ("user", "Key") REFERENCES "Ref"."user" ("order", "Key")
        ON DELETE SET NULL ("user"),
    CONSTRAINT acct_parent_fk FOREIGN KEY (parent) REFERENCES public.acct (id)
        ON UPDATE SET NULL ON DELETE CASCADE DEFERRABLE,
    CONSTRAINT "acct_Select_fk" FOREIGN KEY ("select") REFERENCES "Ref"."user" ("with""quote")
        ON UPDATE SET DEFAULT ON DELETE SET DEFAULT,
    CONSTRAINT acct_ref_fk FOREIGN KEY (ref) REFERENCES public.acct (id) ON UPDATE RESTRICT,
    CONSTRAINT acct_id_check CHECK (id > 0) NO INHERIT
);
