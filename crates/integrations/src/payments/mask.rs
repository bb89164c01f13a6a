//! Provider answers are kept for every step of a payment; before they are,
//! secrets and personal data in them are replaced.

use serde_json::Value;

/// Keys whose values never reach our tables (compared without case, `_`
/// or `-`): credentials, virtual-account secrets, card and account
/// numbers, and the payer's personal data.
const MASKED_KEYS: &[&str] = &[
    "secret",
    "accesstoken",
    "refreshtoken",
    "billingkey",
    "cardnumber",
    "number",
    "accountnumber",
    "refundreceiveaccount",
    "customername",
    "customeremail",
    "customermobilephone",
    "emailaddress",
    "payer",
    "name",
    "phone",
    "address",
    "shipping",
];

pub const MASK: &str = "***";

/// `value` with every masked key's value replaced by `***`, at any depth.
pub fn mask(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, inner)| {
                    let masked = if is_masked(key) {
                        Value::String(MASK.into())
                    } else {
                        mask(inner)
                    };
                    (key.clone(), masked)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(mask).collect()),
        other => other.clone(),
    }
}

fn is_masked(key: &str) -> bool {
    let normalized: String = key
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    MASKED_KEYS.contains(&normalized.as_str())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn secrets_and_personal_data_are_replaced_at_any_depth() {
        let answer = json!({
            "paymentKey": "pk_1", "secret": "ps_secret", "totalAmount": 1000,
            "card": { "number": "40000000****109*", "issuerCode": "4V" },
            "virtualAccount": { "accountNumber": "X6505636518308", "bankCode": "20", "customerName": "Kim" },
            "cancels": [{ "refundReceiveAccount": { "bank": "20" }, "cancelAmount": 500 }],
            "access_token": "A21AA", "payer": { "email_address": "p@example.com" },
        });
        let masked = mask(&answer);
        assert_eq!(masked["paymentKey"], "pk_1");
        assert_eq!(masked["totalAmount"], 1000);
        assert_eq!(masked["secret"], MASK);
        assert_eq!(masked["card"]["number"], MASK);
        assert_eq!(masked["card"]["issuerCode"], "4V");
        assert_eq!(masked["virtualAccount"]["accountNumber"], MASK);
        assert_eq!(masked["virtualAccount"]["customerName"], MASK);
        assert_eq!(masked["cancels"][0]["refundReceiveAccount"], MASK);
        assert_eq!(masked["cancels"][0]["cancelAmount"], 500);
        assert_eq!(masked["access_token"], MASK);
        assert_eq!(masked["payer"], MASK);
    }
}
