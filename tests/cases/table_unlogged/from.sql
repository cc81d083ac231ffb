CREATE TABLE public.cache (key text PRIMARY KEY, value jsonb);
CREATE UNLOGGED TABLE public.staging (id int PRIMARY KEY, payload text);
CREATE INDEX staging_payload_idx ON public.staging (payload);
