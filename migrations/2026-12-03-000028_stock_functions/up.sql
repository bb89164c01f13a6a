-- Taking and giving back stock, each in one round trip. The SKU rows are
-- what concurrent orders wait for, and a row lock lasts until the commit:
-- with one statement per SKU, every round trip after the first lock was
-- spent holding it. These functions lock the rows in id order (the one
-- lock order of every transaction touching several SKUs) and run one
-- conditional UPDATE per SKU, each with a fresh snapshot, as the
-- statements did when the application sent them one by one.

-- Reserves quantities[i] of sku_ids[i] where that many are available;
-- answers what each reserved SKU has available after. A SKU missing from
-- the answer had not enough.
CREATE FUNCTION reserve_stock(sku_ids uuid[], quantities integer[])
RETURNS TABLE (sku_id uuid, available integer)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    wanted record;
BEGIN
    FOR wanted IN
        SELECT w.id, w.quantity FROM unnest(sku_ids, quantities) AS w (id, quantity) ORDER BY w.id
    LOOP
        RETURN QUERY
            UPDATE skus SET reserved = skus.reserved + wanted.quantity
            WHERE skus.id = wanted.id AND skus.on_hand - skus.reserved >= wanted.quantity
            RETURNING skus.id, skus.on_hand - skus.reserved;
    END LOOP;
END
$$;

-- Ends the held reservations of an order: committed, the units leave stock
-- (a `sold` ledger entry each); otherwise they become available again.
-- Answers per SKU what is available after and the quantity the holds had.
CREATE FUNCTION finish_holds(order_id uuid, committed boolean, ledger_reference text)
RETURNS TABLE (sku_id uuid, available integer, quantity integer)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    held record;
    after record;
BEGIN
    FOR held IN
        WITH ended AS (
            UPDATE inventory_reservations r
            SET state = CASE WHEN committed THEN 'committed' ELSE 'released' END
            WHERE r.purchase_order_id = order_id AND r.state = 'held'
            RETURNING r.sku_id, r.quantity)
        SELECT e.sku_id AS id, sum(e.quantity)::integer AS quantity
        FROM ended e GROUP BY e.sku_id ORDER BY e.sku_id
    LOOP
        UPDATE skus
        SET on_hand = skus.on_hand - CASE WHEN committed THEN held.quantity ELSE 0 END,
            reserved = skus.reserved - held.quantity
        WHERE skus.id = held.id
        RETURNING skus.on_hand, skus.reserved INTO after;
        IF committed THEN
            INSERT INTO inventory_movements (sku_id, delta, reason, reference, on_hand_after)
            VALUES (held.id, -held.quantity, 'sold', ledger_reference, after.on_hand);
        END IF;
        sku_id := held.id;
        available := after.on_hand - after.reserved;
        quantity := held.quantity;
        RETURN NEXT;
    END LOOP;
END
$$;
