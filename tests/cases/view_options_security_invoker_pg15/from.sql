CREATE TABLE public.secret (id int PRIMARY KEY, owner text, body text);
CREATE VIEW public.secret_a AS SELECT id, body FROM public.secret;
CREATE VIEW public.secret_b WITH (security_invoker = true) AS SELECT id FROM public.secret;
