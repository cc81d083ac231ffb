CREATE TABLE public.users (
    id int PRIMARY KEY,
    email text NOT NULL,
    name text,
    created_at timestamptz,
    active boolean NOT NULL DEFAULT true
);
CREATE INDEX users_active_created_idx ON public.users (created_at DESC NULLS LAST) INCLUDE (name) WHERE active;
CREATE UNIQUE INDEX users_email_lower_idx ON public.users (lower(email));
CREATE INDEX users_name_pattern_idx ON public.users (name text_pattern_ops);
CREATE INDEX users_name_c_idx ON public.users (name COLLATE "C" NULLS FIRST, id DESC);
