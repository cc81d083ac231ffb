CREATE TABLE public.team (
    id int PRIMARY KEY,
    captain_id int
);
CREATE TABLE public.player (
    id int PRIMARY KEY,
    team_id int REFERENCES public.team (id),
    mentor_id int REFERENCES public.player (id) ON DELETE SET NULL
);
ALTER TABLE public.team ADD CONSTRAINT team_captain_id_fkey
    FOREIGN KEY (captain_id) REFERENCES public.player (id) DEFERRABLE INITIALLY DEFERRED;
