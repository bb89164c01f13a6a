//! The demo catalog: for each demo vendor, two brands and forty listed
//! products (colour × size SKUs, some on sale, some sold out) over the
//! demo categories, plus some views so `sort=popular` has something to
//! sort. Generated from a fixed seed, so every machine gets the same shop;
//! a vendor that already has products is left as it is.

use diesel_async::AsyncConnection;
use persistence::StoreError;
use persistence::catalog::products::{self, NewProduct, NewSku};
use persistence::catalog::{brands, categories, popularity};
use persistence::sellers::vendors;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::accounts::{DEMO_SELLER_NAME, DEMO_VENDORS};
use app::{AppError, Context};

pub const PRODUCTS_PER_VENDOR: usize = 40;

/// What the catalog seed created.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CatalogReport {
    pub brands: usize,
    pub products: usize,
    pub skus: usize,
    pub images: usize,
}

/// (leaf category slug, Korean item name, English item name, lowest price in thousands of won, price spread).
const ITEMS: &[(&str, &str, &str, u32, u32)] = &[
    ("women-dresses", "원피스", "dress", 49, 150),
    ("women-knitwear", "니트 스웨터", "knit sweater", 39, 120),
    ("women-outerwear", "코트", "coat", 129, 360),
    ("women-sneakers", "스니커즈", "sneakers", 59, 120),
    ("women-boots", "부츠", "boots", 89, 200),
    ("women-bags", "토트백", "tote bag", 69, 300),
    ("men-shirts", "셔츠", "shirt", 39, 80),
    ("men-denim", "데님 팬츠", "denim jeans", 59, 140),
    ("men-outerwear", "자켓", "jacket", 99, 300),
    ("men-sneakers", "러닝화", "running shoes", 69, 130),
    ("men-loafers", "로퍼", "loafers", 89, 160),
    ("jewelry", "실버 링", "silver ring", 29, 90),
    ("watches", "손목시계", "watch", 99, 400),
];

const STYLES: &[(&str, &str)] = &[
    ("오버핏", "oversized"),
    ("슬림핏", "slim-fit"),
    ("캐시미어", "cashmere"),
    ("린넨", "linen"),
    ("셀비지", "selvedge"),
    ("울 블렌드", "wool-blend"),
    ("오가닉 코튼", "organic cotton"),
    ("빈티지", "vintage"),
    ("미니멀", "minimal"),
    ("클래식", "classic"),
];

const COLOURS: &[&str] = &["Black", "Ivory", "Navy", "Charcoal", "Camel", "Indigo"];
const SIZES: &[&str] = &["S", "M", "L", "XL"];

/// A small swatch per colour (64×64 PNG), shared by the demo products.
const COLOUR_IMAGES: &[(&str, &[u8])] = &[
    ("Black", include_bytes!("../demo-images/black.png")),
    ("Ivory", include_bytes!("../demo-images/ivory.png")),
    ("Navy", include_bytes!("../demo-images/navy.png")),
    ("Charcoal", include_bytes!("../demo-images/charcoal.png")),
    ("Camel", include_bytes!("../demo-images/camel.png")),
    ("Indigo", include_bytes!("../demo-images/indigo.png")),
];

fn swatch_key(colour: &str) -> String {
    format!("demo/images/{}.png", colour.to_ascii_lowercase())
}

fn slug_of(name: &str) -> String {
    name.to_ascii_lowercase().replace(' ', "-")
}

pub async fn seed(context: &Context) -> Result<CatalogReport, AppError> {
    let mut report = CatalogReport::default();
    let vendors =
        std::iter::once(DEMO_SELLER_NAME).chain(DEMO_VENDORS.iter().map(|(name, ..)| *name));
    let mut conn = context.db.get().await?;
    let mut leaves = Vec::new();
    for (slug, ..) in ITEMS {
        let id = categories::find_id_by_slug(&mut conn, slug)
            .await?
            .ok_or_else(|| AppError::internal(format!("demo category {slug} missing")))?;
        leaves.push(id);
    }
    let existing_brands = brands::list(&mut conn, false).await?;
    let mut swatches_stored = false;
    for (index, vendor) in (0_u64..).zip(vendors) {
        let Some(seller_id) = vendors::find_id_by_name(&mut conn, vendor).await? else {
            continue;
        };
        if vendors::product_count(&mut conn, seller_id).await? > 0 {
            continue;
        }
        let owner = vendors::owner_of(&mut conn, seller_id)
            .await?
            .ok_or_else(|| AppError::internal(format!("demo vendor {vendor} has no owner")))?;
        let brand_base = vendor.trim_end_matches(" Works");
        let mut brand_ids = Vec::new();
        for name in [brand_base.to_owned(), format!("{brand_base} Studio")] {
            let slug = slug_of(&name);
            let id = match existing_brands.iter().find(|b| b.slug == slug) {
                Some(b) => b.id,
                None => {
                    report.brands += 1;
                    brands::insert(&mut conn, &slug, &name).await?.id
                }
            };
            brand_ids.push(id);
        }
        if !swatches_stored {
            for (colour, bytes) in COLOUR_IMAGES {
                context
                    .objects
                    .put(&swatch_key(colour), bytes::Bytes::from_static(bytes))
                    .await?;
            }
            swatches_stored = true;
        }
        let mut rng = fastrand::Rng::with_seed(0x5EED_0000 + index);
        let mut views = Vec::new();
        conn.transaction(async |conn| {
            for n in 0..PRODUCTS_PER_VENDOR {
                let item_index = rng.usize(..ITEMS.len());
                let (_, item_ko, item_en, low, spread) = ITEMS[item_index];
                let (style_ko, style_en) = STYLES[rng.usize(..STYLES.len())];
                let id = Uuid::new_v4();
                let colours = rng.usize(2..=3);
                let sizes = if item_index >= 11 { 1 } else { 2 };
                let first_colour = rng.usize(..COLOURS.len());
                let colour_values: Vec<String> = (0..colours)
                    .map(|c| COLOURS[(first_colour + c) % COLOURS.len()].to_owned())
                    .collect();
                let size_values: Vec<String> = SIZES.iter().skip(rng.usize(..=1)).take(sizes).map(|s| (*s).to_owned()).collect();
                let list_price = Decimal::from((low + rng.u32(..=spread)) * 1000);
                let on_sale = rng.u8(..4) == 0;
                let mut new_skus = Vec::new();
                for colour in &colour_values {
                    for size in &size_values {
                        let sold_out = rng.u8(..10) == 0;
                        new_skus.push(NewSku {
                            id: Uuid::new_v4(),
                            product_id: id,
                            seller_id,
                            code: format!("{}-{n:03}-{}-{size}", slug_of(brand_base).to_ascii_uppercase(), &colour[..3].to_ascii_uppercase()),
                            option_values: vec![colour.clone(), size.clone()],
                            list_price,
                            sale_price: on_sale.then(|| domain::money::Currency::Krw.round(list_price * Decimal::new(8, 1))),
                            sale_starts_at: None,
                            sale_ends_at: None,
                            on_hand: if sold_out { 0 } else { rng.i32(1..=50) },
                        });
                    }
                }
                let name = format!("{style_ko} {item_ko}");
                let description = format!(
                    "{vendor}의 {style_ko} {item_ko}. A {style_en} {item_en} made in Korea; see the size guide for fit."
                );
                report.skus += new_skus.len();
                products::insert(
                    conn,
                    NewProduct {
                        id,
                        seller_id,
                        category_id: leaves[item_index],
                        brand_id: Some(brand_ids[n % 2]),
                        name: &name,
                        description: &description,
                        adult_only: false,
                        max_per_order: Some(5),
                        min_price: list_price,
                    },
                    &[
                        ("Colour".to_owned(), colour_values.clone()),
                        ("Size".to_owned(), size_values.clone()),
                    ],
                    &new_skus,
                    owner,
                )
                .await?;
                products::moderate(conn, id, "on_sale", None).await?;
                let swatch = &colour_values[0];
                persistence::catalog::product_images::insert(
                    conn,
                    &persistence::catalog::product_images::ImageRow {
                        id: Uuid::new_v4(),
                        product_id: id,
                        position: 0,
                        object_key: swatch_key(swatch),
                        content_type: "image/png".into(),
                        size_bytes: COLOUR_IMAGES
                            .iter()
                            .find(|(c, _)| c == swatch)
                            .map_or(1, |(_, b)| i32::try_from(b.len()).unwrap_or(1)),
                    },
                )
                .await?;
                report.images += 1;
                views.push((id, i64::from(rng.u16(..500))));
                report.products += 1;
            }
            popularity::add_views(conn, &views).await?;
            Ok::<_, StoreError>(())
        })
        .await?;
    }
    if report.products > 0 {
        popularity::recompute_popularity(&mut conn).await?;
        persistence::catalog::listing::analyze(&mut conn).await?;
    }
    Ok(report)
}
