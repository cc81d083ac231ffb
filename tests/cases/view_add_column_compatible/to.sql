CREATE TABLE public.person (id int PRIMARY KEY, name text, email text);
CREATE VIEW public.person_v AS SELECT id, name, email FROM public.person;
CREATE VIEW public.person_ids AS SELECT id FROM public.person_v;
