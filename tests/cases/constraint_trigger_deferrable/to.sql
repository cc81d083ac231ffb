CREATE TABLE public.ledger (id int PRIMARY KEY, amount numeric(12,2));
CREATE FUNCTION public.check_balance() RETURNS trigger LANGUAGE plpgsql
    AS $$ BEGIN RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER ledger_balance AFTER INSERT OR UPDATE ON public.ledger
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION public.check_balance();
CREATE CONSTRAINT TRIGGER ledger_amount AFTER UPDATE OF amount ON public.ledger
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW WHEN (NEW.amount < 0) EXECUTE FUNCTION public.check_balance();
