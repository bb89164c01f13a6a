//! What one staff member may do to another's access. A member grants, takes
//! away or edits only permissions they hold themselves, never on their own
//! account or a role they hold, and acts (roles, second-factor reset,
//! disabling) only on a colleague who holds no more than they do — so no
//! chain of steps lets anyone end with more than the most anyone started
//! with.

use std::collections::BTreeSet;

/// Why a change of access is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The caller acts on their own account or on a role they hold.
    OwnAccess,
    /// The change involves a permission the caller does not hold.
    NotHeld(String),
}

/// Permissions, as held by someone or granted by a role.
pub type Permissions = BTreeSet<String>;

/// A permission in `involved` that `held` lacks, if any.
fn first_lacking(held: &Permissions, involved: &Permissions) -> Result<(), Refusal> {
    match involved.difference(held).next() {
        Some(permission) => Err(Refusal::NotHeld(permission.clone())),
        None => Ok(()),
    }
}

/// Whether a caller holding `held` may act on a colleague holding `target`
/// (disable them, reset their second factor, change their roles).
pub fn may_act_on(
    held: &Permissions,
    target: &Permissions,
    own_account: bool,
) -> Result<(), Refusal> {
    if own_account {
        return Err(Refusal::OwnAccess);
    }
    first_lacking(held, target)
}

/// Whether a caller holding `held` may change a set of permissions from
/// `before` to `after` (a colleague's roles, a role's permissions, an
/// invitation's roles from nothing): everything added or taken away must be
/// theirs to give.
pub fn may_change(
    held: &Permissions,
    before: &Permissions,
    after: &Permissions,
) -> Result<(), Refusal> {
    let changed: Permissions = before.symmetric_difference(after).cloned().collect();
    first_lacking(held, &changed)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn set(names: &[&str]) -> Permissions {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn the_caller_gives_and_takes_only_what_they_hold() {
        let held = set(&["staff.manage", "audit.read"]);
        assert_eq!(may_change(&held, &set(&[]), &set(&["audit.read"])), Ok(()));
        assert_eq!(
            may_change(&held, &set(&[]), &set(&["audit.read", "roles.manage"])),
            Err(Refusal::NotHeld("roles.manage".into()))
        );
        assert_eq!(
            may_change(&held, &set(&["users.personal_data.read"]), &set(&[])),
            Err(Refusal::NotHeld("users.personal_data.read".into()))
        );
        // What stays as it was needs no holding.
        assert_eq!(
            may_change(&held, &set(&["partners.read"]), &set(&["partners.read"])),
            Ok(())
        );
    }

    #[test]
    fn never_on_oneself_nor_on_someone_who_holds_more() {
        let held = set(&["staff.manage"]);
        assert_eq!(may_act_on(&held, &set(&[]), true), Err(Refusal::OwnAccess));
        assert_eq!(
            may_act_on(&held, &set(&["staff.manage", "audit.read"]), false),
            Err(Refusal::NotHeld("audit.read".into()))
        );
        assert_eq!(may_act_on(&held, &set(&["staff.manage"]), false), Ok(()));
    }

    const ALL: [&str; 5] = ["a", "b", "c", "d", "e"];

    fn permissions() -> impl Strategy<Value = Permissions> {
        prop::collection::btree_set(prop::sample::select(ALL.to_vec()), 0..=ALL.len())
            .prop_map(|names| names.into_iter().map(str::to_owned).collect())
    }

    proptest! {
        /// Members grant one another whatever the rules let them, in any
        /// order: nobody ever ends up holding a permission that nobody held
        /// at the start.
        #[test]
        fn no_sequence_of_grants_creates_a_permission(
            start in prop::collection::vec(permissions(), 2..5),
            steps in prop::collection::vec((0_usize..5, 0_usize..5, permissions()), 0..40),
        ) {
            let mut members = start.clone();
            let ever: Permissions = start.iter().flatten().cloned().collect();
            for (actor, target, wanted) in steps {
                let (actor, target) = (actor % members.len(), target % members.len());
                let held = members[actor].clone();
                let allowed = may_act_on(&held, &members[target], actor == target)
                    .and_then(|()| may_change(&held, &members[target], &wanted));
                if allowed.is_ok() {
                    members[target] = wanted;
                }
                for member in &members {
                    prop_assert!(member.is_subset(&ever), "{member:?} beyond {ever:?}");
                }
            }
        }

        /// Whoever a member may act on holds nothing the member lacks.
        #[test]
        fn acting_on_someone_needs_all_they_hold(held in permissions(), target in permissions()) {
            prop_assert_eq!(may_act_on(&held, &target, false).is_ok(), target.is_subset(&held));
        }
    }
}
