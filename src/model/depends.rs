//! The dependency list of a model, stored compactly.
//!
//! A large catalog records hundreds of thousands of dependencies between a few tens of
//! thousands of objects. Each identity is stored once (sorted) and the pairs are pairs of
//! indexes (sorted), so the list takes a fraction of the memory of a set of identity pairs
//! while iterating, comparing and serializing exactly like one.

use super::ObjectId;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// `(dependent, referenced)` pairs between objects, without duplicates, in order.
#[derive(Debug, Clone, Default)]
pub struct Depends {
    /// Every identity named by a pair, sorted, once.
    ids: Vec<ObjectId>,
    /// Index pairs into `ids`, sorted, once.
    pairs: Vec<(u32, u32)>,
}

impl Depends {
    /// The pairs, in `(dependent, referenced)` order.
    pub fn iter(&self) -> impl Iterator<Item = (&ObjectId, &ObjectId)> {
        self.pairs
            .iter()
            .map(|&(a, b)| (&self.ids[a as usize], &self.ids[b as usize]))
    }

    /// The identities named by the pairs, sorted, each once.
    pub fn ids(&self) -> &[ObjectId] {
        &self.ids
    }

    /// The pairs as indexes into [`Depends::ids`], sorted.
    pub fn index_pairs(&self) -> &[(u32, u32)] {
        &self.pairs
    }

    /// Number of pairs.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether there is no pair.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Whether `(a, b)` is recorded.
    pub fn contains(&self, a: &ObjectId, b: &ObjectId) -> bool {
        match (self.ids.binary_search(a), self.ids.binary_search(b)) {
            (Ok(a), Ok(b)) => self.pairs.binary_search(&(a as u32, b as u32)).is_ok(),
            _ => false,
        }
    }

    /// Adds one pair. Rebuilds the list: for a few pairs; build large lists with
    /// [`FromIterator`].
    pub fn insert(&mut self, a: ObjectId, b: ObjectId) {
        let mut all: Vec<(ObjectId, ObjectId)> =
            self.iter().map(|(x, y)| (x.clone(), y.clone())).collect();
        all.push((a, b));
        *self = all.into_iter().collect();
    }

    /// Builds the list from identities and pairs of indexes into them. Identities may repeat
    /// (several catalog objects with one identity) and need not be sorted; pairs may repeat.
    /// Identities no pair names are dropped.
    pub fn from_parts(mut ids: Vec<ObjectId>, pairs: Vec<(u32, u32)>) -> Self {
        let mut order: Vec<u32> = (0..ids.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| ids[a as usize].cmp(&ids[b as usize]));
        // Each identity's index among the distinct ones, in sorted order.
        let mut remap = vec![0u32; ids.len()];
        let mut rank = 0u32;
        for k in 0..order.len() {
            if k > 0 && ids[order[k] as usize] != ids[order[k - 1] as usize] {
                rank += 1;
            }
            remap[order[k] as usize] = rank;
        }
        // Sorted in place, so that the identities (about 8 MB at 5,000 tables, at the
        // moment a read peaks) are not held twice.
        permute(&mut ids, &mut order);
        ids.dedup();
        let mut pairs: Vec<(u32, u32)> = pairs
            .into_iter()
            .map(|(a, b)| (remap[a as usize], remap[b as usize]))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let mut d = Depends { ids, pairs };
        d.compact();
        d.ids.shrink_to_fit();
        d.pairs.shrink_to_fit();
        d
    }

    /// Keeps the pairs for which `keep` returns true.
    pub fn retain(&mut self, mut keep: impl FnMut(&ObjectId, &ObjectId) -> bool) {
        let ids = &self.ids;
        self.pairs
            .retain(|&(a, b)| keep(&ids[a as usize], &ids[b as usize]));
        self.compact();
    }

    /// Drops identities no pair names any more, renumbering the pairs (order is kept, as
    /// both lists stay sorted).
    fn compact(&mut self) {
        let mut used = vec![false; self.ids.len()];
        for &(a, b) in &self.pairs {
            used[a as usize] = true;
            used[b as usize] = true;
        }
        let mut new_index = vec![0u32; self.ids.len()];
        let mut next = 0u32;
        for (i, u) in used.iter().enumerate() {
            new_index[i] = next;
            if *u {
                next += 1;
            }
        }
        let mut i = 0;
        self.ids.retain(|_| {
            let keep = used[i];
            i += 1;
            keep
        });
        for p in &mut self.pairs {
            *p = (new_index[p.0 as usize], new_index[p.1 as usize]);
        }
    }
}

impl FromIterator<(ObjectId, ObjectId)> for Depends {
    fn from_iter<I: IntoIterator<Item = (ObjectId, ObjectId)>>(iter: I) -> Self {
        // Every endpoint with its slot (2 × pair + side), sorted once: identities are moved,
        // never copied or searched for.
        let mut ends: Vec<(ObjectId, u32)> = Vec::new();
        for (k, (a, b)) in iter.into_iter().enumerate() {
            ends.push((a, 2 * k as u32));
            ends.push((b, 2 * k as u32 + 1));
        }
        ends.sort_unstable_by(|x, y| x.0.cmp(&y.0));
        let mut slots = vec![0u32; ends.len()];
        let mut ids: Vec<ObjectId> = Vec::new();
        for (id, slot) in ends {
            if ids.last() != Some(&id) {
                ids.push(id);
            }
            slots[slot as usize] = (ids.len() - 1) as u32;
        }
        ids.shrink_to_fit();
        let mut pairs: Vec<(u32, u32)> = slots.chunks_exact(2).map(|c| (c[0], c[1])).collect();
        pairs.sort_unstable();
        pairs.dedup();
        pairs.shrink_to_fit();
        Depends { ids, pairs }
    }
}

impl PartialEq for Depends {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Depends {}

impl Serialize for Depends {
    /// As a sequence of pairs, like a set of pairs.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Depends {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Vec::<(ObjectId, ObjectId)>::deserialize(d)?
            .into_iter()
            .collect())
    }
}

/// Rearranges `items` so that position `k` holds the item that was at `order[k]` (a
/// permutation), by swaps along its cycles; `order` is used up.
fn permute<T>(items: &mut [T], order: &mut [u32]) {
    const PLACED: u32 = u32::MAX;
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != PLACED {
            let from = order[at] as usize;
            order[at] = PLACED;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ObjectKind, QualName};
    use std::collections::BTreeSet;

    fn table(n: &str) -> ObjectId {
        ObjectId::of(ObjectKind::Table, &QualName::new("s", n))
    }

    #[test]
    fn behaves_like_a_set_of_pairs() {
        let raw = vec![
            (table("c"), table("a")),
            (table("b"), table("a")),
            (table("c"), table("a")),
            (ObjectId::schema("s"), table("z")),
            (table("a"), ObjectId::schema("s")),
        ];
        let set: BTreeSet<(ObjectId, ObjectId)> = raw.iter().cloned().collect();
        let mut d: Depends = raw.into_iter().collect();
        assert_eq!(d.len(), set.len());
        assert!(d.iter().eq(set.iter().map(|(a, b)| (a, b))));
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            serde_json::to_string(&set).unwrap()
        );
        let back: Depends = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
        assert_eq!(back, d);
        assert!(d.contains(&table("b"), &table("a")));
        assert!(!d.contains(&table("a"), &table("b")));

        d.retain(|a, b| *a != table("c") && *b != table("z"));
        let kept: BTreeSet<(ObjectId, ObjectId)> = set
            .iter()
            .filter(|(a, b)| *a != table("c") && *b != table("z"))
            .cloned()
            .collect();
        assert!(d.iter().eq(kept.iter().map(|(a, b)| (a, b))));
        assert!(
            !d.ids.contains(&table("z")),
            "unused identities are dropped"
        );
        let parts = Depends::from_parts(
            vec![
                table("c"),
                table("a"),
                table("b"),
                table("a"),
                table("unused"),
            ],
            vec![(0, 1), (2, 3), (0, 3), (2, 1)],
        );
        let expected: Depends = vec![(table("c"), table("a")), (table("b"), table("a"))]
            .into_iter()
            .collect();
        assert_eq!(parts, expected);
        assert_eq!(
            parts.ids(),
            expected.ids(),
            "repeated and unused identities"
        );
        d.insert(table("y"), table("a"));
        assert!(d.contains(&table("y"), &table("a")));
        assert_eq!(d.len(), kept.len() + 1);
    }

    #[test]
    fn from_parts_sorts_long_cycles_and_repeats_in_place() {
        // 97 identities in a scrambled order (a multiplicative step modulo a prime makes
        // long permutation cycles), each of them twice, and pairs between them.
        let names: Vec<String> = (0..97).map(|i| format!("t{:02}", (i * 31) % 97)).collect();
        let mut ids: Vec<ObjectId> = names.iter().map(|n| table(n)).collect();
        ids.extend(names.iter().rev().map(|n| table(n)));
        let pairs: Vec<(u32, u32)> = (0..ids.len() as u32)
            .map(|i| (i, (i * 7 + 3) % ids.len() as u32))
            .collect();
        let expected: BTreeSet<(ObjectId, ObjectId)> = pairs
            .iter()
            .map(|&(a, b)| (ids[a as usize].clone(), ids[b as usize].clone()))
            .collect();
        let d = Depends::from_parts(ids, pairs);
        assert!(d.iter().eq(expected.iter().map(|(a, b)| (a, b))));
        assert!(d.ids().windows(2).all(|w| w[0] < w[1]), "sorted, each once");
    }

    #[test]
    fn permute_places_every_item() {
        let mut items: Vec<u32> = (0..50).map(|i| i * 10).collect();
        let mut order: Vec<u32> = (0..50).map(|i| (i * 17 + 5) % 50).collect();
        let want: Vec<u32> = order.iter().map(|&i| items[i as usize]).collect();
        permute(&mut items, &mut order);
        assert_eq!(items, want);
    }
}
