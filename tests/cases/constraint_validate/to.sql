CREATE TABLE public.parent (id int PRIMARY KEY);
CREATE TABLE public.child (id int PRIMARY KEY, parent_id int, qty int);
ALTER TABLE public.child ADD CONSTRAINT child_parent_id_fkey
    FOREIGN KEY (parent_id) REFERENCES public.parent (id);
ALTER TABLE public.child ADD CONSTRAINT child_qty_check CHECK (qty > 0);
