CREATE TABLE public.parent (id int PRIMARY KEY, name text);
CREATE TABLE public.child (
    id int PRIMARY KEY,
    parent_id int NOT NULL REFERENCES public.parent (id)
);
CREATE INDEX child_parent_id_idx ON public.child (parent_id);
CREATE VIEW public.child_names AS
    SELECT c.id, p.name FROM public.child c JOIN public.parent p ON p.id = c.parent_id;
