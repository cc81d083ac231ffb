CREATE TABLE public.account (
    id int PRIMARY KEY,
    name text NOT NULL
);
