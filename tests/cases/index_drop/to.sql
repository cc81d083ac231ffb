CREATE TABLE public.t (id int PRIMARY KEY, a int, b text, c timestamptz);
