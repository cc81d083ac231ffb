CREATE TABLE public.audit (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, msg text NOT NULL);
CREATE PROCEDURE public.bump(IN step int, INOUT n int DEFAULT 0)
    LANGUAGE plpgsql AS $$ BEGIN n := n + step; END $$;
CREATE PROCEDURE public.log_msg(m text)
    LANGUAGE sql BEGIN ATOMIC INSERT INTO public.audit (msg) VALUES (m); END;
CREATE PROCEDURE public.noop() LANGUAGE sql AS $$ SELECT 1 $$;
