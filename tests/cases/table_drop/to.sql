CREATE TABLE public.parent (id int PRIMARY KEY, name text);
