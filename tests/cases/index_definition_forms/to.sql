-- Index forms whose definitions the inspector composes itself or leaves to pg_get_indexdef:
-- orderings, quoting, INCLUDE, partial, methods, storage parameters, operator classes with
-- and without options, collations, domains, enums, arrays, partitioned parents, matviews.
CREATE DOMAIN public.code AS text CHECK (VALUE <> '');
CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE public."Mixed Table" (
    id int PRIMARY KEY,
    "select" text NOT NULL,
    "Camel" int,
    name varchar(40),
    c text COLLATE "C",
    tags text[],
    doc tsvector,
    at timestamptz DEFAULT now(),
    code public.code,
    mood public.mood DEFAULT 'ok',
    n numeric(10,2) DEFAULT 0.5,
    label text DEFAULT 'it''s'
);
CREATE INDEX "Mixed Table_select_idx" ON public."Mixed Table" ("select");
CREATE INDEX mt_asc_nulls_first ON public."Mixed Table" ("Camel" NULLS FIRST, id);
CREATE INDEX mt_desc ON public."Mixed Table" ("Camel" DESC, at DESC NULLS LAST, n ASC);
CREATE INDEX mt_desc_nulls_first ON public."Mixed Table" ("Camel" DESC NULLS FIRST);
CREATE UNIQUE INDEX mt_unique_include ON public."Mixed Table" ("select", "Camel")
    INCLUDE (name, "at") WHERE "Camel" > 0 AND name IS NOT NULL;
CREATE INDEX mt_hash ON public."Mixed Table" USING hash ("select");
CREATE INDEX mt_brin ON public."Mixed Table" USING brin (at);
CREATE INDEX mt_gin_array ON public."Mixed Table" USING gin (tags);
CREATE INDEX mt_gist_options ON public."Mixed Table" USING gist (doc tsvector_ops (siglen = 100));
CREATE INDEX mt_fillfactor ON public."Mixed Table" (n) WITH (fillfactor = 70);
CREATE INDEX mt_varchar ON public."Mixed Table" (name);
CREATE INDEX mt_collate_own ON public."Mixed Table" (c);
CREATE INDEX mt_collate_other ON public."Mixed Table" (c COLLATE "POSIX");
CREATE INDEX mt_opclass ON public."Mixed Table" ("select" text_pattern_ops);
CREATE INDEX mt_domain ON public."Mixed Table" (code);
CREATE INDEX mt_enum ON public."Mixed Table" (mood, id DESC);
CREATE INDEX mt_expression ON public."Mixed Table" (lower("select"), ("Camel" + 1));
CREATE INDEX "index" ON public."Mixed Table" (id) WHERE label <> 'x';
CREATE TABLE public.measure (
    id bigint GENERATED ALWAYS AS IDENTITY,
    at date NOT NULL,
    v int
) PARTITION BY RANGE (at);
CREATE TABLE public.measure_2026 PARTITION OF public.measure
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX measure_at_v ON public.measure (at, v DESC);
CREATE MATERIALIZED VIEW public.mood_counts AS
    SELECT mood, count(*) AS n FROM public."Mixed Table" GROUP BY mood;
CREATE UNIQUE INDEX mood_counts_mood ON public.mood_counts (mood);
CREATE INDEX mood_counts_n ON public.mood_counts (n DESC);
