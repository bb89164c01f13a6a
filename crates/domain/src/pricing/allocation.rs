//! Largest-remainder allocation: an order-level amount spread over lines in
//! proportion to their amounts, exact to the minor unit.
//!
//! Each line first gets the floor of its exact share; the units left over go
//! one each to the lines with the largest fractional remainders (ties: the
//! larger line, then the smaller key). The keys make the result independent of
//! the order the lines come in; the weights double as caps, so no line ever
//! takes more than its own amount.

/// Why an amount cannot be spread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AllocationError {
    #[error("amounts must not be negative")]
    Negative,
    #[error("the amount exceeds the lines it is spread over")]
    ExceedsLines,
}

/// Shares of `total` (minor units) over `lines` (`(key, amount)`), in the
/// order of `lines`. Keys must be distinct.
pub fn allocate<K: Ord>(total: i64, lines: &[(K, i64)]) -> Result<Vec<i64>, AllocationError> {
    if total < 0 || lines.iter().any(|(_, weight)| *weight < 0) {
        return Err(AllocationError::Negative);
    }
    let weight_sum: i128 = lines.iter().map(|(_, weight)| i128::from(*weight)).sum();
    if i128::from(total) > weight_sum {
        return Err(AllocationError::ExceedsLines);
    }
    if total == 0 {
        return Ok(vec![0; lines.len()]);
    }
    let total = i128::from(total);
    let mut shares = Vec::with_capacity(lines.len());
    let mut remainders = Vec::with_capacity(lines.len());
    for (index, (_, weight)) in lines.iter().enumerate() {
        let exact = total * i128::from(*weight);
        shares.push(exact / weight_sum);
        remainders.push((exact % weight_sum, *weight, index));
    }
    let mut left = total - shares.iter().sum::<i128>();
    // Largest remainder first, then the larger line, then the smaller key.
    remainders.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then_with(|| lines[a.2].0.cmp(&lines[b.2].0))
    });
    for (_, _, index) in remainders {
        if left == 0 {
            break;
        }
        shares[index] += 1;
        left -= 1;
    }
    // Each share is at most its weight (≤ i64::MAX), so this cannot fail.
    Ok(shares
        .into_iter()
        .map(|share| i64::try_from(share).unwrap_or(i64::MAX))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn splits_in_proportion_and_gives_leftovers_to_the_largest_remainders() {
        // 1000 over 1:1:1 → 333.33 each; the one unit left goes to key 1.
        assert_eq!(
            allocate(1000, &[(1, 1000), (2, 1000), (3, 1000)]),
            Ok(vec![334, 333, 333])
        );
        // 5000 over 30000 and 10000 → 3750 and 1250 exactly.
        assert_eq!(
            allocate(5000, &[(1, 30000), (2, 10000)]),
            Ok(vec![3750, 1250])
        );
        // 10 over 3 and 7 → 3 and 7: never more than a line's own amount.
        assert_eq!(allocate(10, &[(1, 3), (2, 7)]), Ok(vec![3, 7]));
    }

    #[test]
    fn refuses_more_than_the_lines_hold_and_negative_amounts() {
        assert_eq!(
            allocate(11, &[(1, 3), (2, 7)]),
            Err(AllocationError::ExceedsLines)
        );
        assert_eq!(allocate(-1, &[(1, 3)]), Err(AllocationError::Negative));
        assert_eq!(allocate(0, &[(1, -3)]), Err(AllocationError::Negative));
        assert_eq!(allocate::<u8>(0, &[]), Ok(vec![]));
    }

    #[test]
    fn zero_weight_lines_get_nothing() {
        assert_eq!(allocate(5, &[(1, 0), (2, 5), (3, 0)]), Ok(vec![0, 5, 0]));
    }

    fn lines_and_total() -> impl Strategy<Value = (Vec<(u32, i64)>, i64)> {
        prop::collection::vec(0_i64..5_000_000, 1..12).prop_flat_map(|weights| {
            let sum: i64 = weights.iter().sum();
            let lines: Vec<(u32, i64)> = weights
                .into_iter()
                .enumerate()
                .map(|(i, w)| (u32::try_from(i).unwrap_or(u32::MAX), w))
                .collect();
            (Just(lines), 0..=sum)
        })
    }

    proptest! {
        #[test]
        fn shares_sum_exactly_and_stay_within_each_line((lines, total) in lines_and_total()) {
            let shares = allocate(total, &lines).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(shares.iter().sum::<i64>(), total);
            for (share, (_, weight)) in shares.iter().zip(&lines) {
                prop_assert!(*share >= 0);
                prop_assert!(share <= weight);
            }
        }

        #[test]
        fn shares_are_within_one_unit_of_the_exact_proportion((lines, total) in lines_and_total()) {
            let shares = allocate(total, &lines).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let sum: i128 = lines.iter().map(|(_, w)| i128::from(*w)).sum();
            for (share, (_, weight)) in shares.iter().zip(&lines) {
                if sum == 0 { continue; }
                let floor = i128::from(total) * i128::from(*weight) / sum;
                prop_assert!(i128::from(*share) == floor || i128::from(*share) == floor + 1);
            }
        }

        #[test]
        fn the_order_of_lines_does_not_change_any_share(
            (lines, total) in lines_and_total(),
            seed in any::<u64>(),
        ) {
            let shares = allocate(total, &lines).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let mut shuffled: Vec<((u32, i64), i64)> = lines.iter().copied().zip(shares).collect();
            // A deterministic shuffle from the seed.
            let mut state = seed | 1;
            for i in (1..shuffled.len()).rev() {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17;
                let j = usize::try_from(state % (i as u64 + 1)).unwrap_or(0);
                shuffled.swap(i, j);
            }
            let reordered: Vec<(u32, i64)> = shuffled.iter().map(|(line, _)| *line).collect();
            let again = allocate(total, &reordered).map_err(|e| TestCaseError::fail(e.to_string()))?;
            for ((_, expected), got) in shuffled.iter().zip(again) {
                prop_assert_eq!(*expected, got);
            }
        }
    }
}
