CREATE EXTENSION btree_gist;
CREATE TABLE public.room (
    id int,
    valid tstzrange,
    CONSTRAINT room_pk PRIMARY KEY (id, valid WITHOUT OVERLAPS)
);
