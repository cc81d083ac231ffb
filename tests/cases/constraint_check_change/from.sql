CREATE TABLE public.measure (
    id int PRIMARY KEY,
    n int,
    m text,
    CONSTRAINT measure_n_check CHECK (n > 0),
    CONSTRAINT measure_n_max CHECK (n < 100),
    CONSTRAINT measure_m_check CHECK (m IS NOT NULL)
);
