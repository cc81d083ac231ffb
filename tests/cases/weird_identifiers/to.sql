CREATE SCHEMA "CamelCase";
CREATE TYPE "CamelCase"."a""b" AS ENUM ('x y', 'it''s', 'ünï');
CREATE TABLE "CamelCase"."my table" (
    "Id" int PRIMARY KEY,
    "from" text NOT NULL DEFAULT 'a''b',
    "select" "CamelCase"."a""b",
    "ünïcödé" int,
    "a""b" text
);
CREATE TABLE public."table" (
    "select" int,
    "CamelCase" text,
    CONSTRAINT "check" CHECK ("select" > 0)
);
CREATE INDEX "my index" ON "CamelCase"."my table" ("from", "ünïcödé");
CREATE VIEW "CamelCase"."View ""quoted""" AS SELECT "Id", "from" FROM "CamelCase"."my table";
COMMENT ON COLUMN "CamelCase"."my table"."from" IS 'it''s "from"';
