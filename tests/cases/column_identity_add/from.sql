CREATE TABLE public.widget (
    id int NOT NULL,
    n bigint NOT NULL,
    m int GENERATED ALWAYS AS IDENTITY,
    label text
);
