CREATE TABLE public.t (id int NOT NULL, b int);
CREATE SEQUENCE public.t_id_seq OWNED BY public.t.id;
CREATE SEQUENCE public.b_seq;
ALTER TABLE public.t ALTER COLUMN id SET DEFAULT nextval('public.t_id_seq');
