CREATE TABLE public.event (id int NOT NULL, at date NOT NULL, body text) PARTITION BY RANGE (at);
CREATE INDEX event_at_idx ON public.event (at);
CREATE TABLE public.event_2024 PARTITION OF public.event
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
