//! The page's global allocator: small blocks are recycled through per-size
//! free lists in front of the standard wasm allocator (dlmalloc).
//!
//! Every command allocates and frees a handful of small blocks (its argument
//! vectors, keys, replies). dlmalloc handles each with bin searches and
//! boundary tags, which in wasm costs several times what a native malloc
//! does; that was a good part of the engine's wasm/native slowdown. Here a
//! block of up to [`MAX_SMALL`] bytes is rounded up to a multiple of
//! [`GRANULE`]; freeing one pushes it on its size class's list (up to
//! [`KEEP_PER_CLASS`] blocks, beyond which they go back to dlmalloc), and
//! allocating pops one, both in a few instructions.
//!
//! Sound only without threads: the lists live in an `UnsafeCell` that every
//! call reaches without a lock. That is wasm32-unknown-unknown without the
//! `atomics` feature, the only configuration this module is compiled for.
//!
//! Invariants:
//! - a block's size class follows from its `Layout` alone, and Rust hands
//!   `dealloc` and `realloc` the layout the block was allocated with, so a
//!   small block always returns to the list it came from;
//! - every small block comes from dlmalloc with the class's own layout
//!   (`class_layout`), so one that leaves the lists goes back with it.

// Only the wasm build registers the allocator; elsewhere the module is built
// for its unit tests.
#![cfg_attr(
    not(all(target_arch = "wasm32", not(target_feature = "atomics"))),
    allow(dead_code)
)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::UnsafeCell;
use std::ptr;

/// Size classes are multiples of this, which is also their alignment.
const GRANULE: usize = 16;
/// The largest block served from the lists.
const MAX_SMALL: usize = 256;
const CLASSES: usize = MAX_SMALL / GRANULE;
/// Free blocks kept per class (at most 1 MiB in all).
const KEEP_PER_CLASS: u32 = 4096;

pub(crate) struct SmallBlocks {
    lists: UnsafeCell<[FreeList; CLASSES]>,
}

#[derive(Clone, Copy)]
struct FreeList {
    /// The first free block; each free block starts with the next one's address.
    head: *mut u8,
    len: u32,
}

// SAFETY: wasm32 without the atomics feature has exactly one thread, so the
// lists are never reached from two threads. (On other targets the type is
// not `Sync`, so it can't be a global allocator there.)
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
unsafe impl Sync for SmallBlocks {}

impl SmallBlocks {
    pub(crate) const fn new() -> SmallBlocks {
        SmallBlocks {
            lists: UnsafeCell::new(
                [FreeList {
                    head: ptr::null_mut(),
                    len: 0,
                }; CLASSES],
            ),
        }
    }
}

impl Default for SmallBlocks {
    fn default() -> Self {
        SmallBlocks::new()
    }
}

/// The size class of a layout, if it is small.
#[inline]
fn class_of(layout: Layout) -> Option<usize> {
    let size = layout.size();
    (size > 0 && size <= MAX_SMALL && layout.align() <= GRANULE).then(|| (size - 1) / GRANULE)
}

/// The layout every block of `class` is allocated from dlmalloc with.
#[inline]
fn class_layout(class: usize) -> Layout {
    // SAFETY: the size is a non-zero multiple of GRANULE, at most MAX_SMALL,
    // and GRANULE is a power of two.
    unsafe { Layout::from_size_align_unchecked((class + 1) * GRANULE, GRANULE) }
}

// SAFETY: small blocks come from `System` with their class's layout, which
// is at least as big and as aligned as the caller's; a freed block is either
// kept (the list owns it) or returned with that same layout.
unsafe impl GlobalAlloc for SmallBlocks {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class_of(layout) else {
            return System.alloc(layout);
        };
        let list = &mut (*self.lists.get())[class];
        let block = list.head;
        if block.is_null() {
            return System.alloc(class_layout(class));
        }
        list.head = block.cast::<*mut u8>().read();
        list.len -= 1;
        block
    }

    #[inline]
    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        let Some(class) = class_of(layout) else {
            return System.dealloc(block, layout);
        };
        let list = &mut (*self.lists.get())[class];
        if list.len >= KEEP_PER_CLASS {
            return System.dealloc(block, class_layout(class));
        }
        // Blocks are GRANULE-aligned and at least GRANULE bytes: room for a pointer.
        block.cast::<*mut u8>().write(list.head);
        list.head = block;
        list.len += 1;
    }

    #[inline]
    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        match (class_of(layout), class_of(new_layout)) {
            (None, None) => System.realloc(block, layout, new_size),
            // The block already has room for the new size.
            (Some(old), Some(new)) if old == new => block,
            _ => {
                let moved = self.alloc(new_layout);
                if !moved.is_null() {
                    ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                    self.dealloc(block, layout);
                }
                moved
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_fall_into_classes_of_sixteen_bytes() {
        let layout = |size, align| Layout::from_size_align(size, align).unwrap();
        assert_eq!(class_of(layout(1, 1)), Some(0));
        assert_eq!(class_of(layout(16, 8)), Some(0));
        assert_eq!(class_of(layout(17, 1)), Some(1));
        assert_eq!(class_of(layout(256, 16)), Some(15));
        assert_eq!(class_of(layout(257, 1)), None);
        assert_eq!(class_of(layout(32, 32)), None);
        assert_eq!(class_of(layout(0, 1)), None);
        assert_eq!(class_layout(15).size(), 256);
    }
}
