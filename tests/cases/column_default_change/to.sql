CREATE SEQUENCE public.ticket_seq;
CREATE TABLE public.ticket (
    id int PRIMARY KEY,
    kind text DEFAULT 'b',
    n int,
    created_at timestamptz DEFAULT now(),
    ref bigint DEFAULT nextval('public.ticket_seq')
);
