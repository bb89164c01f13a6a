//! Reviews: who may write one, what it may say, and how a reviewer is shown.

/// Stars a review gives.
pub const RATING_RANGE: std::ops::RangeInclusive<i16> = 1..=5;
/// Characters of a review's text.
pub const MAX_BODY_CHARS: usize = 2000;
/// Characters of a vendor's reply.
pub const MAX_REPLY_CHARS: usize = 1000;
/// Photos one review may carry.
pub const MAX_PHOTOS: usize = 5;

/// Only what reached the buyer can be reviewed: a product order delivered,
/// or confirmed by the buyer afterwards.
pub fn is_reviewable(product_order_status: &str) -> bool {
    matches!(product_order_status, "delivered" | "confirmed")
}

/// A reviewer as other shoppers see them: the first character of the name,
/// then two stars ("김**", "K**"); an unreadable or empty name is "***".
pub fn masked_reviewer(name: Option<&str>) -> String {
    match name.and_then(|n| n.trim().chars().next()) {
        Some(first) => format!("{first}**"),
        None => "***".to_owned(),
    }
}

/// The average of `count` ratings summing to `sum`, to one decimal place;
/// `None` without ratings.
pub fn average_rating(sum: i64, count: i64) -> Option<f64> {
    #[expect(clippy::cast_precision_loss, reason = "sums of ratings are small")]
    (count > 0).then(|| ((sum as f64) / (count as f64) * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_delivered_or_confirmed_lines_are_reviewable() {
        for status in ["delivered", "confirmed"] {
            assert!(is_reviewable(status), "{status}");
        }
        for status in ["pending_payment", "paid", "shipped", "cancelled", "expired"] {
            assert!(!is_reviewable(status), "{status}");
        }
    }

    #[test]
    fn reviewers_show_their_first_character_only() {
        assert_eq!(masked_reviewer(Some("김민지")), "김**");
        assert_eq!(masked_reviewer(Some(" Kim Minji")), "K**");
        assert_eq!(masked_reviewer(Some("")), "***");
        assert_eq!(masked_reviewer(None), "***");
    }

    #[test]
    fn averages_round_to_one_decimal() {
        assert_eq!(average_rating(0, 0), None);
        assert_eq!(average_rating(14, 3), Some(4.7));
        assert_eq!(average_rating(5, 1), Some(5.0));
    }
}
