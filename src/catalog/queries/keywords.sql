-- The server's keywords that an identifier must be quoted to be (all but the unreserved
-- ones): the inspector quotes the column names it composes into constraint definitions as
-- quote_ident would, and the keywords differ between server versions.
SELECT word FROM pg_catalog.pg_get_keywords() WHERE catcode <> 'U'
