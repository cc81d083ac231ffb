CREATE DOMAIN public.posint AS integer DEFAULT 1
    CONSTRAINT posint_check CHECK (VALUE > 0);
CREATE DOMAIN public.code AS text NOT NULL
    CONSTRAINT code_len CHECK (length(VALUE) = 3);
CREATE TABLE public.item (id int PRIMARY KEY, qty public.posint, c public.code);
