DROP FUNCTION finish_holds(uuid, boolean, text);
DROP FUNCTION reserve_stock(uuid[], integer[]);
