CREATE TABLE public.slot (
    id int PRIMARY KEY,
    a int,
    b int,
    CONSTRAINT slot_a_key UNIQUE NULLS NOT DISTINCT (a)
);
CREATE UNIQUE INDEX slot_b_idx ON public.slot (b) NULLS NOT DISTINCT;
