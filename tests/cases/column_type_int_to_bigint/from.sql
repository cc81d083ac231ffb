CREATE TABLE public.parent (
    id int PRIMARY KEY,
    n int NOT NULL DEFAULT 0
);
CREATE TABLE public.child (
    id int PRIMARY KEY,
    parent_id int REFERENCES public.parent (id)
);
CREATE INDEX parent_n_idx ON public.parent (n);
