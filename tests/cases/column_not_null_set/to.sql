CREATE TABLE public.person (
    id int PRIMARY KEY,
    name text NOT NULL,
    age int NOT NULL DEFAULT 0,
    nickname text
);
