CREATE TABLE public.line (
    id int PRIMARY KEY,
    price numeric(10,2) NOT NULL,
    qty int NOT NULL,
    total numeric(12,2) GENERATED ALWAYS AS (price * qty * 1.2) STORED,
    label text,
    doubled int GENERATED ALWAYS AS (qty * 2) STORED
);
