CREATE TABLE public.hot (id int PRIMARY KEY, n int)
    WITH (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.05);
CREATE TABLE public.quiet (id int);
CREATE TABLE public.plain (id int, body text)
    WITH (autovacuum_vacuum_scale_factor = 0.2, toast.autovacuum_enabled = false);
