DROP TABLE inventory_movements;
DROP TABLE price_history;
DROP FUNCTION ledger_append_only();
DROP TABLE skus;
DROP TABLE product_options;
DROP TABLE product_stats;
DROP TABLE products;
DROP TABLE brands;
