CREATE TABLE public.account (id int PRIMARY KEY, updated_at timestamptz);
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql
    AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE TRIGGER t_disabled BEFORE UPDATE ON public.account FOR EACH ROW EXECUTE FUNCTION public.touch();
CREATE TRIGGER t_always BEFORE INSERT ON public.account FOR EACH ROW EXECUTE FUNCTION public.touch();
CREATE TRIGGER t_replica BEFORE DELETE ON public.account FOR EACH ROW EXECUTE FUNCTION public.touch();
ALTER TABLE public.account DISABLE TRIGGER t_disabled;
ALTER TABLE public.account ENABLE ALWAYS TRIGGER t_always;
ALTER TABLE public.account ENABLE REPLICA TRIGGER t_replica;
