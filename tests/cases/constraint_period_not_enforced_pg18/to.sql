-- PostgreSQL 18's forms of keys, which the server prints: WITHOUT OVERLAPS, PERIOD and
-- NOT ENFORCED. Their key columns are named by the inspector all the same.
CREATE EXTENSION btree_gist;
CREATE TABLE public.room (
    id int,
    valid tstzrange,
    "Name" text,
    CONSTRAINT room_pk PRIMARY KEY (id, valid WITHOUT OVERLAPS),
    CONSTRAINT room_name_key UNIQUE ("Name", valid WITHOUT OVERLAPS)
);
CREATE TABLE public.booking (
    id int PRIMARY KEY,
    room_id int,
    during tstzrange,
    CONSTRAINT booking_room_fk FOREIGN KEY (room_id, PERIOD during)
        REFERENCES public.room (id, PERIOD valid),
    CONSTRAINT booking_self_fk FOREIGN KEY (id) REFERENCES public.booking (id) NOT ENFORCED
);
