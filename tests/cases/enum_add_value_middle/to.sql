CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy', 'ecstatic');
CREATE TABLE public.diary (id int PRIMARY KEY, mood public.mood);
