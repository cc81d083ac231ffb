CREATE TABLE public.item (
    id int PRIMARY KEY,
    code integer,
    flag boolean NOT NULL DEFAULT true,
    price numeric(10,2)
);
