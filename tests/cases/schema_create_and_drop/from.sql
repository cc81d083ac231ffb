CREATE SCHEMA legacy;
CREATE TYPE legacy.kind AS ENUM ('a', 'b');
CREATE TABLE legacy.old_thing (id int PRIMARY KEY, kind legacy.kind);
CREATE TABLE public.keep (id int PRIMARY KEY);
