CREATE TABLE categories (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_id     BIGINT REFERENCES categories (id) ON DELETE RESTRICT,
    slug          TEXT NOT NULL CONSTRAINT categories_slug_key UNIQUE
                  CONSTRAINT categories_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 64),
    name          TEXT NOT NULL CONSTRAINT categories_name_length CHECK (length(name) BETWEEN 1 AND 100),
    -- Derived from the parent by trigger; top level is 1.
    depth         SMALLINT NOT NULL CONSTRAINT categories_depth_limit CHECK (depth BETWEEN 1 AND 3),
    display_order INTEGER NOT NULL DEFAULT 0,
    is_active     BOOLEAN NOT NULL DEFAULT TRUE,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT categories_not_own_parent CHECK (parent_id IS DISTINCT FROM id)
);

CREATE INDEX categories_parent_order_idx ON categories (parent_id, display_order);

-- Depth always follows the parent. A category that has children cannot move,
-- which keeps every subtree within the depth limit and makes cycles impossible.
CREATE FUNCTION categories_derive_depth() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.parent_id IS DISTINCT FROM OLD.parent_id
       AND EXISTS (SELECT 1 FROM categories WHERE parent_id = OLD.id) THEN
        RAISE EXCEPTION 'category % has children and cannot move', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'categories_move_with_children';
    END IF;
    IF NEW.parent_id IS NULL THEN
        NEW.depth := 1;
    ELSE
        SELECT depth + 1 INTO NEW.depth FROM categories WHERE id = NEW.parent_id;
        -- A missing parent is reported by the foreign key.
        NEW.depth := coalesce(NEW.depth, 1);
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER categories_derive_depth
    BEFORE INSERT OR UPDATE OF parent_id ON categories
    FOR EACH ROW EXECUTE FUNCTION categories_derive_depth();

CREATE TRIGGER categories_set_updated_at
    BEFORE UPDATE ON categories
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
