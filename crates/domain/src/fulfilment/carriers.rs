//! The carriers a vendor can ship with, under the ids the tracking service
//! (Delivery Tracker) knows them by, and the shape of their tracking numbers.

/// A parcel carrier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Carrier {
    /// The tracking service's id (`kr.cjlogistics`).
    pub id: &'static str,
    pub name: &'static str,
    /// How many digits its tracking numbers have.
    digits: &'static [usize],
}

pub const CARRIERS: &[Carrier] = &[
    Carrier {
        id: "kr.cjlogistics",
        name: "CJ Logistics",
        digits: &[10, 12],
    },
    Carrier {
        id: "kr.epost",
        name: "Korea Post",
        digits: &[13],
    },
    Carrier {
        id: "kr.hanjin",
        name: "Hanjin",
        digits: &[10, 12],
    },
    Carrier {
        id: "kr.lotte",
        name: "Lotte Global Logistics",
        digits: &[12],
    },
    Carrier {
        id: "kr.logen",
        name: "Logen",
        digits: &[11],
    },
    Carrier {
        id: "kr.cupost",
        name: "CU Post",
        digits: &[10, 11, 12],
    },
    Carrier {
        id: "kr.cvsnet",
        name: "GS Postbox",
        digits: &[10, 11, 12],
    },
];

/// Why a tracking number is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackingNumberError {
    UnknownCarrier,
    /// Not the carrier's number of digits.
    InvalidFormat,
}

impl Carrier {
    pub fn find(id: &str) -> Option<Carrier> {
        CARRIERS.iter().copied().find(|carrier| carrier.id == id)
    }

    /// The number as the carrier prints it, without the spaces and dashes
    /// people type; refused unless it has one of the carrier's lengths.
    pub fn tracking_number(&self, typed: &str) -> Result<String, TrackingNumberError> {
        let number: String = typed.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if number.bytes().all(|b| b.is_ascii_digit()) && self.digits.contains(&number.len()) {
            Ok(number)
        } else {
            Err(TrackingNumberError::InvalidFormat)
        }
    }
}

/// The carrier `id` and its normalised tracking number.
pub fn parse(id: &str, typed: &str) -> Result<(Carrier, String), TrackingNumberError> {
    let carrier = Carrier::find(id).ok_or(TrackingNumberError::UnknownCarrier)?;
    Ok((carrier, carrier.tracking_number(typed)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_and_checks_numbers() {
        assert_eq!(
            parse("kr.cjlogistics", "6012-3456-7890"),
            Ok((CARRIERS[0], "601234567890".to_owned()))
        );
        assert_eq!(
            parse("kr.epost", "123456789012"),
            Err(TrackingNumberError::InvalidFormat)
        );
        assert_eq!(
            parse("kr.logen", "1234567890A"),
            Err(TrackingNumberError::InvalidFormat)
        );
        assert_eq!(
            parse("us.fedex", "123456789012"),
            Err(TrackingNumberError::UnknownCarrier)
        );
    }

    #[test]
    fn ids_are_unique() {
        for (i, carrier) in CARRIERS.iter().enumerate() {
            assert!(CARRIERS[i + 1..].iter().all(|other| other.id != carrier.id));
        }
    }
}
