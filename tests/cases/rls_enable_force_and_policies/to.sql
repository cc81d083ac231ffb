CREATE TABLE public.doc (id int PRIMARY KEY, owner text NOT NULL, body text);
CREATE TABLE public.note (id int PRIMARY KEY, body text);
ALTER TABLE public.doc ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.doc FORCE ROW LEVEL SECURITY;
ALTER TABLE public.note ENABLE ROW LEVEL SECURITY;
CREATE POLICY doc_read ON public.doc FOR SELECT USING (true);
CREATE POLICY doc_own ON public.doc AS RESTRICTIVE FOR UPDATE TO PUBLIC
    USING (owner = current_user) WITH CHECK (owner = current_user);
CREATE POLICY doc_insert ON public.doc FOR INSERT WITH CHECK (length(body) < 1000);
CREATE POLICY note_all ON public.note USING (id > 0);
