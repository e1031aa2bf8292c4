//! Sets: an intset (sorted integers) while every member is an integer and there are
//! at most `set-max-intset-entries` of them, then a hashtable for good.

use super::Limits;
use crate::db::Map;
use crate::num;

#[derive(Clone, Debug)]
pub enum Set {
    Ints(Vec<i64>),
    Table(Map<Vec<u8>, ()>),
}

impl Default for Set {
    fn default() -> Self {
        Set::Ints(Vec::new())
    }
}

/// Redis's `isSdsRepresentableAsLongLong`: the member is an intset candidate.
fn as_int(member: &[u8]) -> Option<i64> {
    num::parse_i64(member)
}

impl Set {
    /// An empty set of the encoding the first member calls for.
    pub fn for_member(first: &[u8]) -> Set {
        if as_int(first).is_some() {
            Set::Ints(Vec::new())
        } else {
            Set::Table(Map::default())
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Set::Ints(v) => v.len(),
            Set::Table(m) => m.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn encoding(&self) -> &'static str {
        match self {
            Set::Ints(_) => "intset",
            Set::Table(_) => "hashtable",
        }
    }

    fn convert_to_table(&mut self) {
        if let Set::Ints(v) = self {
            let mut m = Map::default();
            m.reserve(v.len());
            for i in v.iter() {
                m.insert(i.to_string().into_bytes(), ());
            }
            *self = Set::Table(m);
        }
    }

    pub fn contains(&self, member: &[u8]) -> bool {
        match self {
            Set::Ints(v) => as_int(member).is_some_and(|i| v.binary_search(&i).is_ok()),
            Set::Table(m) => m.contains_key(member),
        }
    }

    /// Adds a member; returns true if it was new.
    pub fn add(&mut self, member: &[u8], limits: &Limits) -> bool {
        if let Set::Ints(v) = self {
            if let Some(i) = as_int(member) {
                match v.binary_search(&i) {
                    Ok(_) => return false,
                    Err(pos) => {
                        if v.len() < limits.set_intset_entries {
                            v.insert(pos, i);
                            return true;
                        }
                    }
                }
            }
            self.convert_to_table();
        }
        match self {
            Set::Table(m) => m.insert(member.to_vec(), ()).is_none(),
            Set::Ints(_) => false,
        }
    }

    pub fn remove(&mut self, member: &[u8]) -> bool {
        match self {
            Set::Ints(v) => match as_int(member).map(|i| v.binary_search(&i)) {
                Some(Ok(pos)) => {
                    v.remove(pos);
                    true
                }
                _ => false,
            },
            Set::Table(m) => m.swap_remove(member).is_some(),
        }
    }

    /// The member at position `i` (for random picks); O(1).
    pub fn get_index(&self, i: usize) -> Option<Vec<u8>> {
        match self {
            Set::Ints(v) => v.get(i).map(|n| n.to_string().into_bytes()),
            Set::Table(m) => m.get_index(i).map(|(k, _)| k.clone()),
        }
    }

    pub fn members(&self) -> Vec<Vec<u8>> {
        match self {
            Set::Ints(v) => v.iter().map(|n| n.to_string().into_bytes()).collect(),
            Set::Table(m) => m.keys().cloned().collect(),
        }
    }

    /// Builds a set from members, choosing the encoding as SADD one by one would.
    pub fn from_members<'a>(members: impl IntoIterator<Item = &'a [u8]>, limits: &Limits) -> Set {
        let mut s = Set::Ints(Vec::new());
        for m in members {
            s.add(m, limits);
        }
        s
    }
}
