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
CREATE TABLE public.measure (
    id bigint GENERATED ALWAYS AS IDENTITY,
    at date NOT NULL,
    v int
) PARTITION BY RANGE (at);
CREATE TABLE public.measure_2026 PARTITION OF public.measure
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
