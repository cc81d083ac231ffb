CREATE TABLE public.secret (id int PRIMARY KEY, owner text, body text);
CREATE VIEW public.secret_a WITH (security_barrier = true) AS
    SELECT id, body FROM public.secret WHERE owner = current_user;
CREATE VIEW public.secret_b AS SELECT id FROM public.secret WHERE id > 0;
