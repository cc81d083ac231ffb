CREATE SEQUENCE public.ticket_seq;
CREATE TABLE public.ticket (
    id int PRIMARY KEY,
    kind text DEFAULT 'a',
    n int DEFAULT 1,
    created_at timestamptz,
    ref bigint
);
