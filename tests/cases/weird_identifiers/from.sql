CREATE SCHEMA "CamelCase";
CREATE TABLE "CamelCase"."my table" ("Id" int PRIMARY KEY, "from" text);
