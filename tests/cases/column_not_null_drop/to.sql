CREATE TABLE public.person (
    id int PRIMARY KEY,
    name text,
    age int DEFAULT 0,
    nickname text NOT NULL
);
