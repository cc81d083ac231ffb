CREATE TABLE public.ledger (id int PRIMARY KEY, amount numeric(12,2));
CREATE FUNCTION public.check_balance() RETURNS trigger LANGUAGE plpgsql
    AS $$ BEGIN RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER ledger_balance AFTER INSERT ON public.ledger
    FOR EACH ROW EXECUTE FUNCTION public.check_balance();
