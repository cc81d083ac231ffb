CREATE TABLE public.payment (id int PRIMARY KEY, amount numeric(12,2) NOT NULL);
CREATE VIEW public.payment_v AS SELECT id, amount FROM public.payment;
CREATE VIEW public.payment_dbl AS SELECT id, amount * 2 AS dbl FROM public.payment_v;
