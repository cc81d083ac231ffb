CREATE TABLE public.keep (id int PRIMARY KEY);
CREATE SCHEMA fresh;
CREATE TABLE fresh.new_thing (id int PRIMARY KEY, keep_id int REFERENCES public.keep (id));
COMMENT ON SCHEMA fresh IS 'new schema';
