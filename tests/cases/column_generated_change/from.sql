CREATE TABLE public.line (
    id int PRIMARY KEY,
    price numeric(10,2) NOT NULL,
    qty int NOT NULL,
    total numeric(12,2) GENERATED ALWAYS AS (price * qty) STORED,
    label text GENERATED ALWAYS AS ('#' || id::text) STORED,
    doubled int
);
