CREATE TABLE public.account (
    id int PRIMARY KEY,
    name text NOT NULL,
    legacy_code varchar(10),
    note text DEFAULT 'none'
);
CREATE INDEX account_legacy_code_idx ON public.account (legacy_code);
