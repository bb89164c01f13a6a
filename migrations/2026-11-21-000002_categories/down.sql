DROP TABLE categories;
DROP FUNCTION categories_derive_depth();
