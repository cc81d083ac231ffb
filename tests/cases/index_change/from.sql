CREATE TABLE public.t (id int PRIMARY KEY, a int, b int, c int, d text);
CREATE INDEX t_a_idx ON public.t (a);
CREATE UNIQUE INDEX t_b_key ON public.t (b);
CREATE INDEX t_c_idx ON public.t (c) WHERE c > 0;
CREATE INDEX t_d_idx ON public.t (d);
