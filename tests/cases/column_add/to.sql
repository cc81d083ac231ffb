CREATE TABLE public.account (
    id int PRIMARY KEY,
    name text NOT NULL DEFAULT '',
    created_at timestamptz DEFAULT now(),
    score numeric(6,2)
);
