CREATE TYPE public.status AS ENUM ('new', 'active', 'done');
CREATE TABLE public.job (id int PRIMARY KEY, status public.status NOT NULL DEFAULT 'active');
