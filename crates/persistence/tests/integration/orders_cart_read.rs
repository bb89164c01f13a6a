//! The cart read keeps its plan: a cart edit (cart and one more SKU) and a
//! checkout (cart alone) share a connection, and neither makes PostgreSQL
//! plan the join anew at every execution.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use persistence::orders::sellable;
use testkit::TestDb;
use uuid::Uuid;

/// PostgreSQL plans a prepared statement for its first five executions,
/// then keeps a generic plan if that is not dearer than the custom ones.
const CUSTOM_PLANS_BEFORE_CHOOSING: i64 = 5;

#[derive(QueryableByName)]
struct PlanCount {
    #[diesel(sql_type = Text)]
    statement: String,
    #[diesel(sql_type = BigInt)]
    custom_plans: i64,
}

async fn a_cart_with_two_lines(db: &TestDb) -> (String, Uuid) {
    let seller = Uuid::new_v4();
    let product = Uuid::new_v4();
    let (in_cart, other, added) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    let cart = Uuid::new_v4();
    let fixtures = [
        format!("INSERT INTO sellers (id, name, status) VALUES ('{seller}', 'Seller', 'approved')"),
        "INSERT INTO categories (name, slug, depth) VALUES ('Tops', 'tops', 1)".to_owned(),
        format!(
            "INSERT INTO products (id, seller_id, category_id, name, status)
             VALUES ('{product}', '{seller}', (SELECT max(id) FROM categories), 'Shirt', 'on_sale')"
        ),
        format!(
            "INSERT INTO skus (id, product_id, seller_id, code, option_values, list_price, on_hand)
             SELECT id, '{product}', '{seller}', 'S-' || n, ARRAY['size ' || n], 10000, 5
             FROM unnest(ARRAY['{in_cart}', '{other}', '{added}']::uuid[]) WITH ORDINALITY AS t(id, n)"
        ),
        format!("INSERT INTO carts (id, owner) VALUES ('{cart}', 'guest:reader')"),
        format!(
            "INSERT INTO cart_items (id, cart_id, sku_id, quantity, price_seen)
             SELECT gen_random_uuid(), '{cart}', id, 1, 10000
             FROM unnest(ARRAY['{in_cart}', '{other}']::uuid[]) AS t(id)"
        ),
    ];
    for fixture in fixtures {
        db.run_sql(&fixture).await.unwrap();
    }
    ("guest:reader".to_owned(), added)
}

async fn custom_plans(mut conn: &AsyncPgConnection) -> Vec<PlanCount> {
    diesel::sql_query(
        "SELECT statement, custom_plans FROM pg_prepared_statements \
         WHERE statement LIKE '%FROM cart_items%' \
           AND statement NOT LIKE '%pg_prepared_statements%' ORDER BY statement",
    )
    .load(&mut conn)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_cart_edit_and_a_checkout_on_one_connection_keep_their_plans() {
    let db = TestDb::new().await;
    let (owner, added) = a_cart_with_two_lines(&db).await;
    let conn = db.conn().await;
    for _ in 0..2 * CUSTOM_PLANS_BEFORE_CHOOSING {
        let alone = sellable::cart(&conn, &owner, None).await.unwrap();
        assert_eq!((alone.lines.len(), alone.items.len()), (2, 2));
    }
    for _ in 0..2 * CUSTOM_PLANS_BEFORE_CHOOSING {
        let with_added = sellable::cart(&conn, &owner, Some(added)).await.unwrap();
        assert_eq!((with_added.lines.len(), with_added.items.len()), (2, 3));
        assert!(with_added.items.contains_key(&added));
        assert!(!with_added.lines.iter().any(|line| line.sku_id == added));
    }
    let counts = custom_plans(&conn).await;
    // One text per case: a plan kept for a text serving both would be
    // dearer than a plan made for "no SKU besides", and PostgreSQL then
    // plans that text anew at every execution (seen under the checkout
    // benchmark, at 1.2 ms a plan).
    assert_eq!(counts.len(), 2, "a kept statement for each case");
    for count in counts {
        assert!(
            count.custom_plans <= CUSTOM_PLANS_BEFORE_CHOOSING,
            "planned {} times: {}",
            count.custom_plans,
            count.statement
        );
    }
}
