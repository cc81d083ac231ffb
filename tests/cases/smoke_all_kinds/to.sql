CREATE SCHEMA "App Data";
CREATE TYPE "App Data".mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN "App Data".posint AS integer DEFAULT 1 NOT NULL CONSTRAINT posint_check CHECK (VALUE > 0);
CREATE TYPE "App Data".pair AS (a integer, b text COLLATE "C");
CREATE SEQUENCE "App Data".counter AS bigint START WITH 10 INCREMENT BY 5 CACHE 2 CYCLE;
CREATE TABLE "App Data".parent (
    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100) PRIMARY KEY,
    "select" text COLLATE "C" NOT NULL DEFAULT 'x',
    m "App Data".mood DEFAULT 'ok',
    n "App Data".posint,
    p "App Data".pair,
    arr int[][],
    total numeric(10,2) GENERATED ALWAYS AS (n * 2.5) STORED,
    c bigint DEFAULT nextval('"App Data".counter'),
    CONSTRAINT parent_sel_key UNIQUE ("select"),
    CONSTRAINT parent_n_check CHECK (n < 1000) NO INHERIT
) WITH (fillfactor = 80);
CREATE TABLE "App Data".child (
    id int PRIMARY KEY,
    parent_id bigint REFERENCES "App Data".parent (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    other_id int
);
ALTER TABLE "App Data".child ADD CONSTRAINT child_self FOREIGN KEY (other_id) REFERENCES "App Data".child (id) MATCH FULL ON UPDATE SET NULL NOT VALID;
CREATE UNLOGGED TABLE public.log (id int, at timestamptz DEFAULT now(), EXCLUDE USING btree (id WITH =));
CREATE INDEX log_at_idx ON public.log (at DESC NULLS LAST) INCLUDE (id) WHERE id > 0;
CREATE TABLE public.people (email text);
CREATE INDEX people_lower ON public.people (lower(email) text_pattern_ops);
CREATE FUNCTION "App Data".touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.at := now(); RETURN NEW; END $$;
CREATE TRIGGER log_touch BEFORE UPDATE ON public.log FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION "App Data".touch();
ALTER TABLE public.log DISABLE TRIGGER log_touch;
CREATE VIEW "App Data".v WITH (security_barrier) AS SELECT id, "select" FROM "App Data".parent WHERE id > 0 WITH LOCAL CHECK OPTION;
CREATE VIEW "App Data".vv AS SELECT id FROM "App Data".v;
CREATE MATERIALIZED VIEW "App Data".mv AS SELECT count(*) AS n FROM "App Data".child;
CREATE UNIQUE INDEX mv_n ON "App Data".mv (n);
CREATE PROCEDURE public.noop(a int DEFAULT 3) LANGUAGE sql AS $$ SELECT 1 $$;
ALTER TABLE "App Data".parent ENABLE ROW LEVEL SECURITY;
ALTER TABLE "App Data".parent FORCE ROW LEVEL SECURITY;
CREATE POLICY p_sel ON "App Data".parent FOR SELECT TO PUBLIC USING (id > 0);
CREATE TABLE public.events (id int, at date) PARTITION BY RANGE (at);
CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE public.events_other PARTITION OF public.events DEFAULT;
CREATE TABLE public.base (id int);
CREATE TABLE public.derived (extra text) INHERITS (public.base);
COMMENT ON SCHEMA "App Data" IS 'app''s data';
COMMENT ON TABLE "App Data".parent IS 'parents';
COMMENT ON COLUMN "App Data".parent."select" IS 'reserved word';
COMMENT ON CONSTRAINT parent_sel_key ON "App Data".parent IS 'unique sel';
COMMENT ON INDEX public.log_at_idx IS 'recent';
COMMENT ON TRIGGER log_touch ON public.log IS 'touch';
COMMENT ON POLICY p_sel ON "App Data".parent IS 'policy';
COMMENT ON FUNCTION "App Data".touch() IS 'trigger fn';
COMMENT ON TYPE "App Data".mood IS 'moods';
COMMENT ON VIEW "App Data".v IS 'view';
COMMENT ON COLUMN "App Data".v.id IS 'view col';
COMMENT ON SEQUENCE "App Data".counter IS 'seq';
