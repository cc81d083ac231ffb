CREATE TYPE public.size AS ENUM ('small', 'medium', 'large');
CREATE TABLE public.shirt (id int PRIMARY KEY, size public.size DEFAULT 'medium');
CREATE INDEX shirt_size_idx ON public.shirt (size);
