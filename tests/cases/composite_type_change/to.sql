CREATE TYPE public.address AS (street text, city varchar(80), country text);
CREATE TYPE public.point3 AS (x int, y int, z int);
CREATE TABLE public.place (id int PRIMARY KEY, loc public.point3);
