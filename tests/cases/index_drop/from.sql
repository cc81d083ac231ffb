CREATE TABLE public.t (id int PRIMARY KEY, a int, b text, c timestamptz);
CREATE INDEX t_a_idx ON public.t (a);
CREATE UNIQUE INDEX t_b_lower_idx ON public.t (lower(b));
CREATE INDEX t_c_idx ON public.t (c DESC) WHERE a IS NOT NULL;
