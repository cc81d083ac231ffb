CREATE TYPE public.mood AS ENUM ('sad', 'happy');
CREATE TABLE public.diary (id int PRIMARY KEY, mood public.mood);
