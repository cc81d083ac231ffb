CREATE TABLE public.sale (id int NOT NULL, region text NOT NULL, amount numeric(10,2)) PARTITION BY LIST (region);
CREATE TABLE public.sale_eu PARTITION OF public.sale FOR VALUES IN ('de', 'fr');
CREATE TABLE public.sale_us PARTITION OF public.sale FOR VALUES IN ('us');
CREATE TABLE public.sale_apac PARTITION OF public.sale FOR VALUES IN ('jp', 'au');
CREATE TABLE public.sale_other PARTITION OF public.sale DEFAULT;
