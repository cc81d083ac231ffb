CREATE FUNCTION public.f(a int, b int DEFAULT 0) RETURNS int LANGUAGE sql AS $$ SELECT a + b $$;
CREATE FUNCTION public.g(y int) RETURNS bigint LANGUAGE sql AS $$ SELECT y::bigint * 2 $$;
CREATE FUNCTION public.h(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;
CREATE FUNCTION public.h(a int, b text) RETURNS text LANGUAGE sql AS $$ SELECT b || a $$;
CREATE FUNCTION public.k(a int) RETURNS TABLE (x int, y text, z boolean) LANGUAGE sql
    AS $$ SELECT a, a::text, a > 0 $$;
