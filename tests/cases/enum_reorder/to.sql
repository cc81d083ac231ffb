CREATE TYPE public.size AS ENUM ('large', 'medium', 'small');
CREATE TABLE public.shirt (id int PRIMARY KEY, size public.size DEFAULT 'medium');
CREATE INDEX shirt_size_idx ON public.shirt (size);
