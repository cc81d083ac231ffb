CREATE TABLE public.parent (
    id bigint PRIMARY KEY,
    n bigint NOT NULL DEFAULT 0
);
CREATE TABLE public.child (
    id int PRIMARY KEY,
    parent_id bigint REFERENCES public.parent (id)
);
CREATE INDEX parent_n_idx ON public.parent (n);
