CREATE TABLE public.orders (id int PRIMARY KEY, status text NOT NULL, amount numeric(10,2));
CREATE MATERIALIZED VIEW public.order_stats AS
    SELECT status, count(*) AS n, sum(amount) AS total FROM public.orders GROUP BY status;
CREATE UNIQUE INDEX order_stats_status_idx ON public.order_stats (status);
CREATE INDEX order_stats_total_idx ON public.order_stats (total DESC);
