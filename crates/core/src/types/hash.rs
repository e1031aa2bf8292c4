//! Hashes: a listpack (insertion-ordered, small) that converts for good to a
//! hashtable once it has more than `hash-max-listpack-entries` fields or a field or
//! value longer than `hash-max-listpack-value` bytes.

use super::Limits;
use crate::bytes::Bytes;
use crate::db::Map;

#[derive(Clone, Debug, Default)]
pub struct Hash {
    /// Fields and values, inline when short (see [`Bytes`]).
    pub map: Map<Bytes, Bytes>,
    /// Still a listpack: field order is insertion order, deletions keep it.
    pub listpack: bool,
}

impl Hash {
    pub fn new() -> Hash {
        Hash {
            map: Map::default(),
            listpack: true,
        }
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn encoding(&self) -> &'static str {
        if self.listpack {
            "listpack"
        } else {
            "hashtable"
        }
    }

    /// Converts to a hashtable if adding `field`/`value` breaks the listpack limits.
    fn check(&mut self, field: &[u8], value: &[u8], limits: &Limits) {
        if self.listpack
            && (field.len() > limits.hash_value
                || value.len() > limits.hash_value
                || self.map.len() + usize::from(!self.map.contains_key(field))
                    > limits.hash_entries)
        {
            self.listpack = false;
        }
    }

    /// Sets a field; returns true if it is new.
    pub fn set(&mut self, field: Vec<u8>, value: Vec<u8>, limits: &Limits) -> bool {
        self.check(&field, &value, limits);
        self.map
            .insert(Bytes::from(field), Bytes::from(value))
            .is_none()
    }

    pub fn get(&self, field: &[u8]) -> Option<&[u8]> {
        self.map.get(field).map(Bytes::as_bytes)
    }

    pub fn remove(&mut self, field: &[u8]) -> bool {
        if self.listpack {
            self.map.shift_remove(field).is_some()
        } else {
            self.map.swap_remove(field).is_some()
        }
    }

    pub fn get_index(&self, i: usize) -> Option<(&[u8], &[u8])> {
        self.map
            .get_index(i)
            .map(|(f, v)| (f.as_bytes(), v.as_bytes()))
    }

    /// Fields and values in the encoding's order.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &[u8])> {
        self.map.iter().map(|(f, v)| (f.as_bytes(), v.as_bytes()))
    }
}
