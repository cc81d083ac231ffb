CREATE FUNCTION public.next_code() RETURNS int LANGUAGE sql VOLATILE AS $$ SELECT 42 $$;
CREATE FUNCTION public.is_ok(n int) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT n > 0 $$;
CREATE TABLE public.thing (
    id int PRIMARY KEY,
    code int DEFAULT public.next_code(),
    n int,
    CONSTRAINT thing_n_check CHECK (public.is_ok(n))
);
