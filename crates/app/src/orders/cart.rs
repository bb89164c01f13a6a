//! Carts: lines by SKU, shown with current prices, stock and each vendor's
//! shipping fee; a guest's cart merges into the member's on login.

use std::collections::BTreeMap;

use chrono::Utc;
use diesel_async::AsyncConnection;
use domain::catalog::product::{Pricing, ProductStatus};
use domain::sellers::shipping::ShippingPolicy;
use futures_util::future::try_join;
use persistence::AsyncPgConnection;
use persistence::infra::pipelined;
use persistence::orders::carts;
use persistence::orders::carts::CartItemRow;
use persistence::orders::sellable::{self, CartWithSkus, Sellable};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::catalog::browse::StockState;
use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;
use crate::kernel::principals::Buyer;
use crate::{AppError, Context};

/// The most of one SKU a cart line holds.
pub const MAX_LINE_QUANTITY: i32 = 999;
/// The most lines a cart holds.
pub const MAX_LINES: usize = 100;

pub struct CartLine {
    pub id: Uuid,
    pub sku_id: Uuid,
    pub product_id: Uuid,
    pub product_name: String,
    pub option_values: Vec<String>,
    pub quantity: i32,
    pub unit_list_price: Decimal,
    pub unit_price: Decimal,
    /// The unit price when the line was last added or changed.
    pub price_seen: Decimal,
    pub stock_state: StockState,
    /// On sale, vendor approved, and enough stock for the quantity.
    pub purchasable: bool,
    pub line_amount: Decimal,
}

pub struct SellerGroup {
    pub seller_id: Uuid,
    pub seller_name: String,
    pub lines: Vec<CartLine>,
    /// The purchasable lines' amount at current prices.
    pub items_amount: Decimal,
    /// What shipping this group would cost to a mainland address.
    pub shipping_fee: Decimal,
}

pub struct CartView {
    pub groups: Vec<SellerGroup>,
    pub items_amount: Decimal,
    pub shipping_fee: Decimal,
    pub total: Decimal,
}

/// A SKU that can be bought now: listed product, approved vendor.
pub(crate) fn is_on_sale(item: &Sellable) -> bool {
    ProductStatus::parse(&item.product.status) == Some(ProductStatus::OnSale)
        && item.seller.status == "approved"
}

pub(crate) fn pricing(item: &Sellable) -> Pricing {
    Pricing {
        list_price: item.sku.list_price,
        sale_price: item.sku.sale_price,
        sale_starts_at: item.sku.sale_starts_at,
        sale_ends_at: item.sku.sale_ends_at,
    }
}

pub(crate) fn shipping_policy(item: &Sellable) -> ShippingPolicy {
    ShippingPolicy {
        base_fee: item.seller.shipping_base_fee,
        free_shipping_threshold: item.seller.free_shipping_threshold,
        remote_area_surcharge: item.seller.remote_area_surcharge,
        return_fee: item.seller.return_fee,
    }
}

pub(crate) fn available(item: &Sellable) -> i32 {
    item.sku.on_hand - item.sku.reserved
}

/// The most of this SKU one order may hold now: its product's limit, the
/// stock available, and the line limit.
fn quantity_cap(item: &Sellable) -> i32 {
    item.product
        .max_per_order
        .unwrap_or(MAX_LINE_QUANTITY)
        .min(available(item))
        .min(MAX_LINE_QUANTITY)
}

fn check_quantity(quantity: i32) -> Result<(), AppError> {
    if (1..=MAX_LINE_QUANTITY).contains(&quantity) {
        Ok(())
    } else {
        Err(AppError::invalid(
            "quantity",
            FieldCode::OutOfRange,
            format!("must be between 1 and {MAX_LINE_QUANTITY}"),
        ))
    }
}

async fn load_one(conn: &mut AsyncPgConnection, sku_id: Uuid) -> Result<Sellable, AppError> {
    sellable::load(conn, &[sku_id])
        .await?
        .into_iter()
        .next()
        .filter(is_on_sale)
        .ok_or(AppError::NotFound { resource: "sku" })
}

/// Refuses a quantity the product or the stock cannot give.
fn check_available(item: &Sellable, quantity: i32, adult: bool) -> Result<(), AppError> {
    if item.product.adult_only && !adult {
        return Err(AppError::Forbidden {
            code: ProblemCode::AdultVerificationRequired,
        });
    }
    if let Some(limit) = item.product.max_per_order
        && quantity > limit
    {
        return Err(AppError::invalid(
            "quantity",
            FieldCode::MaxPerOrder,
            format!("at most {limit} of this product per order"),
        ));
    }
    if quantity > available(item) {
        return Err(AppError::Conflict {
            code: ProblemCode::StockInsufficient,
            message: format!("only {} left", available(item).max(0)),
        });
    }
    Ok(())
}

/// The caller's cart.
pub async fn view(context: &Context, buyer: &Buyer) -> Result<CartView, AppError> {
    let mut conn = context.db.get().await?;
    assemble(&mut conn, &buyer.key()).await
}

/// Adds `quantity` of a SKU (to the line already there, if any). The cart
/// is read once, in the transaction, and answered from what was read.
pub async fn add(
    context: &Context,
    buyer: &Buyer,
    adult: bool,
    sku_id: Uuid,
    quantity: i32,
) -> Result<CartView, AppError> {
    check_quantity(quantity)?;
    let owner = buyer.key();
    let mut conn = context.db.get().await?;
    // Sent together with BEGIN; the read runs after the lock (ADR 0011).
    let first = async |shared: &AsyncPgConnection| {
        try_join(
            carts::lock_or_create(shared, &owner),
            sellable::cart(shared, &owner, Some(sku_id)),
        )
        .await
        .map_err(AppError::from)
    };
    pipelined::transaction(&mut conn, first, async |conn, (cart_id, cart)| {
        let CartWithSkus { mut lines, items } = cart;
        let existing = lines.iter().position(|l| l.sku_id == sku_id);
        if existing.is_none() && lines.len() >= MAX_LINES {
            return Err(AppError::Conflict {
                code: ProblemCode::CartFull,
                message: format!("a cart holds at most {MAX_LINES} lines"),
            });
        }
        let item = items
            .get(&sku_id)
            .filter(|item| is_on_sale(item))
            .ok_or(AppError::NotFound { resource: "sku" })?;
        let total = existing.map_or(0, |at| lines[at].quantity) + quantity;
        check_quantity(total)?;
        check_available(item, total, adult)?;
        let price = pricing(item).effective_at(Utc::now());
        let line = carts::put_line(conn, cart_id, sku_id, total, price).await?;
        match existing {
            Some(at) => lines[at] = line,
            None => lines.push(line),
        }
        Ok::<_, AppError>(view_of(lines, &items))
    })
    .await
}

/// Sets one line's quantity.
pub async fn set_quantity(
    context: &Context,
    buyer: &Buyer,
    adult: bool,
    item_id: Uuid,
    quantity: i32,
) -> Result<CartView, AppError> {
    check_quantity(quantity)?;
    let owner = buyer.key();
    let mut conn = context.db.get().await?;
    let line = carts::find_line(&mut conn, &owner, item_id)
        .await?
        .ok_or(AppError::NotFound {
            resource: "cart item",
        })?;
    let item = load_one(&mut conn, line.sku_id).await?;
    check_available(&item, quantity, adult)?;
    let price = pricing(&item).effective_at(Utc::now());
    if !carts::set_quantity(&mut conn, &owner, item_id, quantity, price).await? {
        return Err(AppError::NotFound {
            resource: "cart item",
        });
    }
    assemble(&mut conn, &owner).await
}

/// Removes one line.
pub async fn remove(context: &Context, buyer: &Buyer, item_id: Uuid) -> Result<CartView, AppError> {
    let owner = buyer.key();
    let mut conn = context.db.get().await?;
    if !carts::remove_line(&mut conn, &owner, item_id).await? {
        return Err(AppError::NotFound {
            resource: "cart item",
        });
    }
    assemble(&mut conn, &owner).await
}

/// Moves a guest's cart into a member's: the same SKU adds up (capped by the
/// stock and the product's limit per order), other lines are added, lines
/// that can no longer be bought are dropped. Returns how many lines merged.
pub async fn merge_guest_cart(
    context: &Context,
    guest_subject: &str,
    member_id: Uuid,
) -> Result<usize, AppError> {
    let owner = member_id.to_string();
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        let guest_lines = carts::take(conn, guest_subject).await?;
        if guest_lines.is_empty() {
            return Ok(0);
        }
        let cart_id = carts::lock_or_create(conn, &owner).await?;
        let ids: Vec<Uuid> = guest_lines.iter().map(|l| l.sku_id).collect();
        let items: BTreeMap<Uuid, Sellable> = sellable::load(conn, &ids)
            .await?
            .into_iter()
            .filter(is_on_sale)
            .map(|item| (item.sku.id, item))
            .collect();
        let mut line_count = carts::items(conn, &owner).await?.len();
        let mut merged = 0;
        for line in guest_lines {
            let Some(item) = items.get(&line.sku_id) else {
                continue;
            };
            let existing = carts::line_of_sku(conn, cart_id, line.sku_id).await?;
            if existing.is_none() && line_count >= MAX_LINES {
                continue;
            }
            let wanted = existing.as_ref().map_or(0, |l| l.quantity) + line.quantity;
            let quantity = wanted.min(quantity_cap(item));
            if quantity < 1 {
                continue;
            }
            let price = pricing(item).effective_at(Utc::now());
            carts::put_line(conn, cart_id, line.sku_id, quantity, price).await?;
            if existing.is_none() {
                line_count += 1;
            }
            merged += 1;
        }
        Ok::<_, AppError>(merged)
    })
    .await
}

/// After a login on this device: moves the cart of the guest session that
/// preceded it into the member's. A guest token that does not verify (expired,
/// another device) is ignored: the login itself stands.
pub async fn merge_on_login(
    context: &Context,
    guest_access_token: &str,
    member_access_token: &str,
    device_id: Uuid,
) -> Result<usize, AppError> {
    use crate::kernel::principals::authenticate;
    let audience = auth::Audience::Service;
    let Ok(guest) = authenticate(context, audience, guest_access_token, device_id).await else {
        return Ok(0);
    };
    let Ok(Buyer::Guest(guest_subject)) = Buyer::of(&guest) else {
        return Ok(0);
    };
    let member = authenticate(context, audience, member_access_token, device_id)
        .await
        .map_err(|_| AppError::internal("a token just issued did not verify"))?;
    let Buyer::Member(member_id) = Buyer::of(&member)? else {
        return Ok(0);
    };
    merge_guest_cart(context, &guest_subject, member_id).await
}

async fn assemble(conn: &mut AsyncPgConnection, owner: &str) -> Result<CartView, AppError> {
    let CartWithSkus { lines, items } = sellable::cart(conn, owner, None).await?;
    Ok(view_of(lines, &items))
}

/// The cart as shown: lines grouped by vendor at current prices.
fn view_of(lines: Vec<CartItemRow>, items: &BTreeMap<Uuid, Sellable>) -> CartView {
    let now = Utc::now();
    let mut groups: Vec<SellerGroup> = Vec::new();
    let mut policies = Vec::new();
    for line in lines {
        let Some(item) = items.get(&line.sku_id) else {
            continue;
        };
        let unit_price = pricing(item).effective_at(now);
        let purchasable = is_on_sale(item)
            && available(item) >= line.quantity
            && item
                .product
                .max_per_order
                .is_none_or(|m| line.quantity <= m);
        let cart_line = CartLine {
            id: line.id,
            sku_id: line.sku_id,
            product_id: item.sku.product_id,
            product_name: item.product.name.clone(),
            option_values: item.sku.option_values.iter().flatten().cloned().collect(),
            quantity: line.quantity,
            unit_list_price: item.sku.list_price,
            unit_price,
            price_seen: line.price_seen,
            stock_state: StockState::of_available(available(item)),
            purchasable,
            line_amount: unit_price * Decimal::from(line.quantity),
        };
        match groups
            .iter_mut()
            .find(|g| g.seller_id == item.sku.seller_id)
        {
            Some(group) => group.lines.push(cart_line),
            None => {
                policies.push(shipping_policy(item));
                groups.push(SellerGroup {
                    seller_id: item.sku.seller_id,
                    seller_name: item.seller.name.clone(),
                    lines: vec![cart_line],
                    items_amount: Decimal::ZERO,
                    shipping_fee: Decimal::ZERO,
                });
            }
        }
    }
    for (group, policy) in groups.iter_mut().zip(&policies) {
        group.items_amount = group
            .lines
            .iter()
            .filter(|l| l.purchasable)
            .map(|l| l.line_amount)
            .sum();
        if group.lines.iter().any(|l| l.purchasable) {
            group.shipping_fee = policy.fee(group.items_amount, false);
        }
    }
    let items_amount = groups.iter().map(|g| g.items_amount).sum();
    let shipping_fee = groups.iter().map(|g| g.shipping_fee).sum();
    CartView {
        groups,
        items_amount,
        shipping_fee,
        total: items_amount + shipping_fee,
    }
}
