CREATE TABLE public.hot (id int PRIMARY KEY, n int) WITH (fillfactor = 70);
CREATE TABLE public.quiet (id int) WITH (autovacuum_enabled = false);
CREATE TABLE public.plain (id int, body text);
