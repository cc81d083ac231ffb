CREATE TABLE public.person (
    id int PRIMARY KEY,
    name text,
    age int,
    nickname text
);
