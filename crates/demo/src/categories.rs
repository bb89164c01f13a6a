//! The demo category tree.

use diesel_async::AsyncPgConnection;
use persistence::catalog::categories::{self, NewCategory};

/// (slug, name, children) of the demo category tree.
type Tree = &'static [(
    &'static str,
    &'static str,
    &'static [(
        &'static str,
        &'static str,
        &'static [(&'static str, &'static str)],
    )],
)];

const CATEGORIES: Tree = &[
    (
        "women",
        "Women",
        &[
            (
                "women-clothing",
                "Clothing",
                &[
                    ("women-dresses", "Dresses"),
                    ("women-knitwear", "Knitwear"),
                    ("women-outerwear", "Outerwear"),
                ],
            ),
            (
                "women-shoes",
                "Shoes",
                &[("women-sneakers", "Sneakers"), ("women-boots", "Boots")],
            ),
            ("women-bags", "Bags", &[]),
        ],
    ),
    (
        "men",
        "Men",
        &[
            (
                "men-clothing",
                "Clothing",
                &[
                    ("men-shirts", "Shirts"),
                    ("men-denim", "Denim"),
                    ("men-outerwear", "Outerwear"),
                ],
            ),
            (
                "men-shoes",
                "Shoes",
                &[("men-sneakers", "Sneakers"), ("men-loafers", "Loafers")],
            ),
        ],
    ),
    (
        "accessories",
        "Accessories",
        &[("jewelry", "Jewelry", &[]), ("watches", "Watches", &[])],
    ),
];

pub(crate) async fn seed_categories(
    conn: &mut AsyncPgConnection,
) -> Result<usize, persistence::StoreError> {
    let mut created = 0;
    for (order, (slug, name, children)) in (0..).zip(CATEGORIES.iter()) {
        let (top, new) = ensure(conn, None, slug, name, order).await?;
        created += usize::from(new);
        for (order, (slug, name, leaves)) in (0..).zip(children.iter()) {
            let (middle, new) = ensure(conn, Some(top), slug, name, order).await?;
            created += usize::from(new);
            for (order, (slug, name)) in (0..).zip(leaves.iter()) {
                created += usize::from(ensure(conn, Some(middle), slug, name, order).await?.1);
            }
        }
    }
    Ok(created)
}

async fn ensure(
    conn: &mut AsyncPgConnection,
    parent_id: Option<i64>,
    slug: &str,
    name: &str,
    display_order: i32,
) -> Result<(i64, bool), persistence::StoreError> {
    if let Some(id) = categories::find_id_by_slug(conn, slug).await? {
        return Ok((id, false));
    }
    let new = NewCategory {
        parent_id,
        slug,
        name,
        display_order,
        is_active: true,
    };
    Ok((categories::insert(conn, &new).await?, true))
}
