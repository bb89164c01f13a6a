DROP TABLE product_view_days;
DROP TABLE restock_subscriptions;
DROP TABLE wishlist_items;
