CREATE SCHEMA "Ref";
CREATE TABLE "Ref"."user" (
    gone int,
    "order" int,
    "Key" text,
    CONSTRAINT user_pk PRIMARY KEY ("order", "Key")
);
ALTER TABLE "Ref"."user" DROP COLUMN gone;
CREATE TABLE public.acct (
    id int PRIMARY KEY,
    "user" int,
    "Key" text
);
