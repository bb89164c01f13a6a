//! The category hierarchy: at most [`MAX_DEPTH`] levels, siblings ordered by
//! display order then name, an inactive category hiding its whole subtree.

use std::collections::HashMap;

use serde::Serialize;

/// Top-level categories have depth 1; the database enforces the same limit.
pub const MAX_DEPTH: u8 = 3;

/// One category as stored: a flat row with a parent link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryRecord {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub slug: String,
    pub name: String,
    pub display_order: i32,
    pub is_active: bool,
}

/// A category with its visible children, as shoppers browse it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryNode {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub depth: u8,
    pub display_order: i32,
    pub children: Vec<CategoryNode>,
}

/// Builds the visible forest from flat rows.
///
/// Rows whose parent is missing, inactive, or deeper than [`MAX_DEPTH`] are left
/// out with their descendants: shoppers never see a category they cannot reach
/// from the top.
pub fn build_visible_tree(records: &[CategoryRecord]) -> Vec<CategoryNode> {
    let mut children_of: HashMap<Option<i64>, Vec<&CategoryRecord>> = HashMap::new();
    for record in records.iter().filter(|r| r.is_active) {
        children_of
            .entry(record.parent_id)
            .or_default()
            .push(record);
    }
    for siblings in children_of.values_mut() {
        siblings.sort_by(|a, b| {
            (a.display_order, &a.name, a.id).cmp(&(b.display_order, &b.name, b.id))
        });
    }
    assemble(&children_of, None, 1)
}

fn assemble(
    children_of: &HashMap<Option<i64>, Vec<&CategoryRecord>>,
    parent: Option<i64>,
    depth: u8,
) -> Vec<CategoryNode> {
    if depth > MAX_DEPTH {
        return Vec::new();
    }
    children_of
        .get(&parent)
        .map(|siblings| {
            siblings
                .iter()
                .map(|record| CategoryNode {
                    id: record.id,
                    slug: record.slug.clone(),
                    name: record.name.clone(),
                    depth,
                    display_order: record.display_order,
                    children: assemble(children_of, Some(record.id), depth + 1),
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn record(id: i64, parent_id: Option<i64>, order: i32, active: bool) -> CategoryRecord {
        CategoryRecord {
            id,
            parent_id,
            slug: format!("c{id}"),
            name: format!("Category {id}"),
            display_order: order,
            is_active: active,
        }
    }

    fn ids(nodes: &[CategoryNode]) -> Vec<i64> {
        nodes.iter().map(|n| n.id).collect()
    }

    #[test]
    fn nests_children_under_parents_in_display_order() {
        let tree = build_visible_tree(&[
            record(1, None, 2, true),
            record(2, None, 1, true),
            record(3, Some(1), 5, true),
            record(4, Some(1), 0, true),
            record(5, Some(4), 0, true),
        ]);
        assert_eq!(ids(&tree), vec![2, 1]);
        assert_eq!(ids(&tree[1].children), vec![4, 3]);
        assert_eq!(ids(&tree[1].children[0].children), vec![5]);
        assert_eq!(tree[1].children[0].children[0].depth, 3);
    }

    #[test]
    fn inactive_category_hides_its_subtree() {
        let tree = build_visible_tree(&[
            record(1, None, 0, true),
            record(2, Some(1), 0, false),
            record(3, Some(2), 0, true),
        ]);
        assert_eq!(ids(&tree), vec![1]);
        assert!(tree[0].children.is_empty());
    }

    #[test]
    fn orphans_and_levels_below_the_limit_are_not_shown() {
        let tree = build_visible_tree(&[
            record(1, None, 0, true),
            record(2, Some(1), 0, true),
            record(3, Some(2), 0, true),
            record(4, Some(3), 0, true),
            record(9, Some(42), 0, true),
        ]);
        assert_eq!(ids(&tree), vec![1]);
        assert!(tree[0].children[0].children[0].children.is_empty());
    }

    fn count(nodes: &[CategoryNode]) -> usize {
        nodes.iter().map(|n| 1 + count(&n.children)).sum()
    }

    fn assert_shape(nodes: &[CategoryNode], depth: u8) {
        for pair in nodes.windows(2) {
            assert!(
                (pair[0].display_order, &pair[0].name) <= (pair[1].display_order, &pair[1].name)
            );
        }
        for node in nodes {
            assert_eq!(node.depth, depth);
            assert!(node.depth <= MAX_DEPTH);
            assert_shape(&node.children, depth + 1);
        }
    }

    proptest! {
        /// Random forests (parents always earlier ids, so no cycles): every visible
        /// node is active, reachable, correctly ordered and within the depth limit,
        /// and an all-active forest of depth <= 3 loses nothing.
        #[test]
        fn visible_tree_is_well_formed(
            specs in prop::collection::vec((0usize..8, -3i32..3, prop::bool::weighted(0.8)), 1..40)
        ) {
            let mut records = Vec::new();
            let mut depth_of = HashMap::new();
            for (index, (parent_pick, order, active)) in specs.iter().enumerate() {
                let id = index as i64 + 1;
                let parent = if index == 0 || *parent_pick == 0 {
                    None
                } else {
                    Some((*parent_pick as i64 - 1) % id.max(1) + 1).filter(|p| *p < id)
                };
                let depth = parent.map_or(1, |p| depth_of[&p] + 1);
                depth_of.insert(id, depth);
                records.push(record(id, parent, *order, *active));
            }
            let tree = build_visible_tree(&records);
            assert_shape(&tree, 1);

            let by_id: HashMap<i64, &CategoryRecord> = records.iter().map(|r| (r.id, r)).collect();
            let expected = records.iter().filter(|r| {
                let mut current = Some(r.id);
                let mut visible = depth_of[&r.id] <= i32::from(MAX_DEPTH);
                while let Some(id) = current {
                    visible &= by_id[&id].is_active;
                    current = by_id[&id].parent_id;
                }
                visible
            }).count();
            prop_assert_eq!(count(&tree), expected);
        }
    }
}
