CREATE TABLE public.users (
    id int PRIMARY KEY,
    email text NOT NULL,
    name text,
    created_at timestamptz,
    active boolean NOT NULL DEFAULT true
);
