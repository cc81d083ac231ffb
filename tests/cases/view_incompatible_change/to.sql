CREATE TABLE public.stat (id int PRIMARY KEY, n int, label text);
CREATE VIEW public.stat_v AS SELECT id, n::bigint AS n, label FROM public.stat;
CREATE VIEW public.stat_n AS SELECT id, n FROM public.stat_v WHERE n > 0;
