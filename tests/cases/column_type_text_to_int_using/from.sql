CREATE TABLE public.item (
    id int PRIMARY KEY,
    code text,
    flag text NOT NULL DEFAULT 'true',
    price varchar(20)
);
