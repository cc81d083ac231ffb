CREATE TABLE public.t (id int NOT NULL, b int);
CREATE SEQUENCE public.t_id_seq;
CREATE SEQUENCE public.b_seq OWNED BY public.t.b;
ALTER TABLE public.t ALTER COLUMN id SET DEFAULT nextval('public.t_id_seq');
