CREATE DOMAIN public.posint AS integer DEFAULT 10
    CONSTRAINT posint_check CHECK (VALUE >= 0)
    CONSTRAINT posint_max CHECK (VALUE < 1000);
CREATE DOMAIN public.code AS text DEFAULT 'AAA'
    CONSTRAINT code_len CHECK (length(VALUE) BETWEEN 2 AND 4);
CREATE TABLE public.item (id int PRIMARY KEY, qty public.posint, c public.code);
