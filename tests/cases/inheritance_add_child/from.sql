CREATE TABLE public.vehicle (
    id int NOT NULL,
    name text,
    CONSTRAINT vehicle_id_check CHECK (id > 0)
);
