CREATE TABLE public.word (
    id int PRIMARY KEY,
    a text COLLATE "POSIX",
    b text COLLATE "C",
    c varchar(10)
);
CREATE INDEX word_a_idx ON public.word (a);
