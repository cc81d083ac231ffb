CREATE TYPE public.address AS (street text, city text, zip int);
CREATE TYPE public.point3 AS (x int, y int);
CREATE TABLE public.place (id int PRIMARY KEY, loc public.point3);
