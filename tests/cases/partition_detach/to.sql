CREATE TABLE public.metric (id int, at date, val double precision) PARTITION BY RANGE (at);
CREATE TABLE public.metric_2023 (id int, at date, val double precision);
CREATE TABLE public.metric_2024 PARTITION OF public.metric
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
