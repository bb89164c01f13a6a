//! Demo reviews (demo only; documented in docs/demo-data.md): a few demo
//! members each buy ten products through the real cart, checkout and test
//! payment, their lines are marked delivered (where fulfilment would leave
//! them), and they review them; vendors answer some. Generated from a fixed
//! seed; a reviewer who already exists is left as they are.

use persistence::orders::purchase_orders::{self, status};
use rust_decimal::Decimal;
use uuid::Uuid;

use app::kernel::principals::Buyer;
use app::orders::checkout::{CheckoutRequest, Delivery, Selection};
use app::{AppError, Context};

/// (email, name) of the demo reviewers; they sign in with the demo
/// shopper's password.
pub const DEMO_REVIEWERS: &[(&str, &str)] = &[
    ("reviewer1@demo.marketplace.localhost", "김서연"),
    ("reviewer2@demo.marketplace.localhost", "이준호"),
    ("reviewer3@demo.marketplace.localhost", "박지민"),
    ("reviewer4@demo.marketplace.localhost", "최유나"),
    ("reviewer5@demo.marketplace.localhost", "정민수"),
    ("reviewer6@demo.marketplace.localhost", "Emily Clark"),
];
const PURCHASES_PER_REVIEWER: usize = 10;

/// Texts by rating (index 0: one star).
const TEXTS: [&[&str]; 5] = [
    &[
        "사이즈가 표기와 많이 달라요. Runs two sizes small.",
        "실밥이 풀려서 왔어요. Arrived with loose stitching.",
    ],
    &["색이 사진보다 어두워요. Darker than the photos."],
    &[
        "무난해요. 가격 대비 괜찮습니다. Decent for the price.",
        "배송은 빨랐는데 소재가 조금 얇아요. Fast delivery, thin fabric.",
    ],
    &[
        "핏이 예쁘고 편해요. Nice fit, comfortable.",
        "색감이 사진과 같아요. Colour matches the photos.",
        "한 치수 크게 주문하세요. Order one size up.",
    ],
    &[
        "정말 마음에 들어요! 재구매 의사 있어요. Love it, would buy again.",
        "소재가 고급스럽고 마감이 깔끔해요. Premium material, clean finish.",
        "선물용으로 샀는데 포장도 좋았어요. Bought as a gift; lovely packaging.",
    ],
];
const REPLY: &str = "소중한 후기 감사합니다! Thank you for your review.";

/// Returns how many reviews were written.
pub async fn seed(context: &Context, password_hash: &str) -> Result<usize, AppError> {
    let mut conn = context.db.get().await?;
    let available = i32::try_from(DEMO_REVIEWERS.len()).unwrap_or(i32::MAX);
    let mut skus =
        persistence::catalog::products::one_sellable_sku_per_product(&mut conn, available).await?;
    drop(conn);
    // Product ids are random; SKU codes make the picks the same everywhere.
    skus.sort_unstable();
    let skus: Vec<Uuid> = skus.into_iter().map(|(_, id)| id).collect();
    if skus.len() < PURCHASES_PER_REVIEWER || !context.checkout.test_payments {
        return Ok(0);
    }
    let mut written = 0;
    for (index, (email, name)) in (0_u64..).zip(DEMO_REVIEWERS) {
        let Some(user_id) =
            crate::accounts::ensure_member(context, email, name, password_hash).await?
        else {
            continue;
        };
        let buyer = Buyer::Member(user_id);
        let mut rng = fastrand::Rng::with_seed(0x4E71_E700 + index);
        let mut picked = Vec::with_capacity(PURCHASES_PER_REVIEWER);
        while picked.len() < PURCHASES_PER_REVIEWER {
            let sku = skus[rng.usize(..skus.len())];
            if !picked.contains(&sku) {
                picked.push(sku);
            }
        }
        for sku in &picked {
            app::orders::cart::add(context, &buyer, false, *sku, 1).await?;
        }
        let created = app::orders::checkout::checkout(
            context,
            &buyer,
            false,
            "demo-reviews",
            CheckoutRequest {
                selection: Selection {
                    points: Decimal::ZERO,
                    cash: Decimal::ZERO,
                    ..Selection::default()
                },
                delivery: Delivery {
                    orderer_name: (*name).to_owned(),
                    orderer_phone: "010-0000-0000".to_owned(),
                    orderer_email: None,
                    recipient_name: (*name).to_owned(),
                    recipient_phone: "010-0000-0000".to_owned(),
                    postal_code: "06236".to_owned(),
                    address_line1: "123 Teheran-ro, Gangnam-gu, Seoul".to_owned(),
                    address_line2: String::new(),
                },
            },
        )
        .await?;
        app::orders::test_payment::confirm(context, &buyer, created.purchase_order_id).await?;
        let mut conn = context.db.get().await?;
        purchase_orders::advance_product_orders(
            &mut conn,
            created.purchase_order_id,
            &[status::PAID],
            status::DELIVERED,
        )
        .await?;
        let (_, lines) = purchase_orders::tiers_of(&mut conn, &[created.purchase_order_id]).await?;
        drop(conn);
        for line in lines {
            // Mostly content buyers, as in a real shop.
            let rating: i16 = [5, 5, 5, 5, 4, 4, 4, 3, 2, 1][rng.usize(..10)];
            let texts = TEXTS[usize::try_from(rating - 1).unwrap_or(0)];
            let review = app::catalog::reviews::write(
                context,
                user_id,
                app::catalog::reviews::WriteReview {
                    product_order_id: line.id,
                    rating,
                    text: texts[rng.usize(..texts.len())].to_owned(),
                    photo_ids: Vec::new(),
                },
            )
            .await?;
            written += 1;
            if rng.u8(..3) == 0 {
                answer(context, line.seller_id, review.row.id).await?;
            }
        }
    }
    Ok(written)
}

/// The vendor's owner answers a review.
async fn answer(context: &Context, seller_id: Uuid, review_id: Uuid) -> Result<(), AppError> {
    let mut conn = context.db.get().await?;
    let Some(owner) = persistence::sellers::vendors::owner_of(&mut conn, seller_id).await? else {
        return Ok(());
    };
    persistence::catalog::reviews::reply(&mut conn, seller_id, review_id, REPLY, owner).await?;
    Ok(())
}
