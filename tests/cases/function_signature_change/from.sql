CREATE FUNCTION public.f(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;
CREATE FUNCTION public.g(x int) RETURNS int LANGUAGE sql AS $$ SELECT x * 2 $$;
CREATE FUNCTION public.h(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;
CREATE FUNCTION public.h(a text) RETURNS text LANGUAGE sql AS $$ SELECT a $$;
CREATE FUNCTION public.k(a int, OUT x int, OUT y text) LANGUAGE sql AS $$ SELECT a, a::text $$;
