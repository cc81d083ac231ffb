CREATE FUNCTION public.add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE
    AS $$ SELECT a + b $$;
CREATE FUNCTION public.greet(name text) RETURNS text LANGUAGE plpgsql
    AS $$ BEGIN RETURN 'hi ' || name; END $$;
CREATE FUNCTION public.sq(x int) RETURNS int LANGUAGE sql IMMUTABLE RETURN x * x;
CREATE VIEW public.greeting AS SELECT public.greet('world') AS g, public.add(1, 2) AS s;
