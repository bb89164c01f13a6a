DROP TRIGGER product_images_refresh_thumbnail ON product_images;
DROP FUNCTION refresh_thumbnail_key();
ALTER TABLE product_stats DROP COLUMN thumbnail_key;
