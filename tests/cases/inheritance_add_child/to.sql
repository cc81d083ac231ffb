CREATE TABLE public.vehicle (
    id int NOT NULL,
    name text,
    CONSTRAINT vehicle_id_check CHECK (id > 0)
);
CREATE TABLE public.car (wheels int DEFAULT 4) INHERITS (public.vehicle);
CREATE TABLE public.boat (draft numeric(4,1)) INHERITS (public.vehicle);
