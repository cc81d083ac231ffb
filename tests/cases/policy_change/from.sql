CREATE TABLE public.doc (id int PRIMARY KEY, owner text NOT NULL, body text);
ALTER TABLE public.doc ENABLE ROW LEVEL SECURITY;
CREATE POLICY p_expr ON public.doc FOR SELECT USING (id > 0);
CREATE POLICY p_cmd ON public.doc FOR SELECT USING (true);
CREATE POLICY p_kind ON public.doc FOR DELETE USING (owner = current_user);
CREATE POLICY p_old ON public.doc FOR INSERT WITH CHECK (body IS NOT NULL);
