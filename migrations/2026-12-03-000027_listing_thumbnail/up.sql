-- List cards show a product's first image. Its key is kept beside the other
-- listing figures so a list page reads it without a lookup per row; a
-- trigger keeps it right whoever changes the images.
ALTER TABLE product_stats ADD COLUMN thumbnail_key TEXT;

CREATE FUNCTION refresh_thumbnail_key() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed UUID := CASE WHEN TG_OP = 'DELETE' THEN OLD.product_id ELSE NEW.product_id END;
BEGIN
    UPDATE product_stats SET thumbnail_key = (
        SELECT object_key FROM product_images WHERE product_id = changed ORDER BY position LIMIT 1)
    WHERE product_id = changed;
    IF TG_OP = 'UPDATE' AND OLD.product_id <> NEW.product_id THEN
        UPDATE product_stats SET thumbnail_key = (
            SELECT object_key FROM product_images WHERE product_id = OLD.product_id ORDER BY position LIMIT 1)
        WHERE product_id = OLD.product_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER product_images_refresh_thumbnail
    AFTER INSERT OR UPDATE OR DELETE ON product_images
    FOR EACH ROW EXECUTE FUNCTION refresh_thumbnail_key();

UPDATE product_stats st SET thumbnail_key = (
    SELECT object_key FROM product_images i WHERE i.product_id = st.product_id ORDER BY position LIMIT 1);
