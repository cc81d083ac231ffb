CREATE FUNCTION public.add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT a + b + 0 $$;
CREATE FUNCTION public.greet(name text) RETURNS text LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET work_mem = '64MB'
    AS $$ BEGIN RETURN 'hello, ' || name || '!'; END $$;
CREATE FUNCTION public.sq(x int) RETURNS int LANGUAGE sql IMMUTABLE RETURN x * x + 1;
CREATE VIEW public.greeting AS SELECT public.greet('world') AS g, public.add(1, 2) AS s;
