CREATE TABLE public.doc (id int PRIMARY KEY, owner text NOT NULL, body text);
ALTER TABLE public.doc ENABLE ROW LEVEL SECURITY;
CREATE POLICY p_expr ON public.doc FOR SELECT USING (id > 10);
CREATE POLICY p_cmd ON public.doc FOR ALL USING (true) WITH CHECK (owner <> '');
CREATE POLICY p_kind ON public.doc AS RESTRICTIVE FOR DELETE USING (owner = current_user);
CREATE POLICY p_new ON public.doc FOR UPDATE USING (owner = current_user AND id > 0);
