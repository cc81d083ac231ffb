CREATE TABLE public.stock (id int PRIMARY KEY, qty int NOT NULL);
CREATE VIEW public.stock_pos AS SELECT id, qty FROM public.stock WHERE qty > 0;
CREATE VIEW public.stock_big AS SELECT id, qty FROM public.stock WHERE qty > 100
    WITH LOCAL CHECK OPTION;
