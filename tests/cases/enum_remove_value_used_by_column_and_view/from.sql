CREATE TYPE public.priority AS ENUM ('low', 'medium', 'high');
CREATE TABLE public.task (
    id int PRIMARY KEY,
    prio public.priority NOT NULL DEFAULT 'low'
);
CREATE VIEW public.urgent_task AS SELECT id, prio FROM public.task WHERE prio = 'high';
