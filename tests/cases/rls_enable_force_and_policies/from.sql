CREATE TABLE public.doc (id int PRIMARY KEY, owner text NOT NULL, body text);
CREATE TABLE public.note (id int PRIMARY KEY, body text);
