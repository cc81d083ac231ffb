CREATE TABLE public.word (
    id int PRIMARY KEY,
    a text COLLATE "C",
    b text,
    c varchar(10) COLLATE "POSIX"
);
CREATE INDEX word_a_idx ON public.word (a);
