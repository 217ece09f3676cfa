//! The process's memory allocator: the system's, until a long job asks for
//! mimalloc.
//!
//! A build allocates and frees millions of small blocks (tokens, terms,
//! statements, documents) on several threads. glibc's allocator was 7% of a
//! 20,000-page build's CPU, and mimalloc with transparent huge pages took the
//! build to 0.87-0.92x its time (BENCHMARKS.md, "Build"). A one-query process
//! lives a few milliseconds, and there mimalloc cost more than it saved: its
//! arena's set-up and first pages were 110 more page faults, +4% on every
//! kind of query (+16% with the huge pages that pay in a build). So the process starts on the system's allocator and
//! [`Heap::use_mimalloc`] switches it for the commands that pay (a build).
//!
//! After the switch, new blocks come from mimalloc; a block freed or grown
//! goes back to whichever allocator made it, which mimalloc tells by address
//! ([`mi_is_in_heap_region`]). The switch only ever goes one way, so before
//! it no block can be mimalloc's and the lookup is skipped.
//!
//! An allocator is `unsafe` code by nature (raw blocks, foreign calls): this
//! module allows it, as serve's open-file limit does, and nothing else here
//! needs it.
#![allow(
    unsafe_code,
    reason = "a global allocator hands out raw blocks and calls mimalloc's C functions"
)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, Ordering};

use libmimalloc_sys::{
    mi_free, mi_is_in_heap_region, mi_malloc_aligned, mi_realloc_aligned, mi_zalloc_aligned,
};

/// The system's allocator, or mimalloc once switched.
pub struct Heap {
    mimalloc: AtomicBool,
}

impl Heap {
    /// A heap on the system's allocator.
    pub const fn new() -> Heap {
        Heap {
            mimalloc: AtomicBool::new(false),
        }
    }

    /// New blocks come from mimalloc from now on, on every thread.
    pub fn use_mimalloc(&self) {
        self.mimalloc.store(true, Ordering::Release);
    }

    fn on_mimalloc(&self) -> bool {
        self.mimalloc.load(Ordering::Acquire)
    }

    /// Whether mimalloc made `ptr`. A thread that holds a block of
    /// mimalloc's saw the switch (the block was handed over after it).
    fn owns(&self, ptr: *mut u8) -> bool {
        // SAFETY: the lookup reads mimalloc's page map and accepts any address.
        self.on_mimalloc() && unsafe { mi_is_in_heap_region(ptr as *const c_void) }
    }
}

impl Default for Heap {
    fn default() -> Heap {
        Heap::new()
    }
}

// SAFETY: every block is freed and grown by the allocator that made it
// (`owns`), and both allocators honour the layout's size and alignment.
unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if self.on_mimalloc() {
            mi_malloc_aligned(layout.size(), layout.align()).cast()
        } else {
            System.alloc(layout)
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if self.on_mimalloc() {
            mi_zalloc_aligned(layout.size(), layout.align()).cast()
        } else {
            System.alloc_zeroed(layout)
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if self.owns(ptr) {
            mi_free(ptr.cast());
        } else {
            System.dealloc(ptr, layout);
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if self.owns(ptr) {
            mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
        } else {
            System.realloc(ptr, layout, new_size)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks made before and after the switch, small and large, grown and
    /// freed after it: each goes back to its own allocator (a block freed
    /// by the wrong one would abort the test process), and keeps its bytes.
    #[test]
    fn blocks_from_before_and_after_the_switch_go_back_to_their_own_allocator() {
        let heap = Heap::new();
        // Up to 32 MB: past mimalloc's small and large size classes, a
        // block of its own (a merge's document map is such a block).
        let sizes = [8, 100, 4096, 1 << 20, 32 << 20];
        let fill = |ptr: *mut u8, size: usize, byte: u8| unsafe {
            std::ptr::write_bytes(ptr, byte, size);
        };
        let mut blocks = Vec::new();
        for (made_on_mimalloc, byte) in [(false, 0xa1u8), (true, 0xb2)] {
            if made_on_mimalloc {
                heap.use_mimalloc();
            }
            for &size in &sizes {
                let layout = Layout::from_size_align(size, 16).unwrap();
                let ptr = unsafe { heap.alloc(layout) };
                assert!(!ptr.is_null());
                assert_eq!(ptr as usize % 16, 0);
                fill(ptr, size, byte);
                assert_eq!(heap.owns(ptr), made_on_mimalloc, "size {size}");
                blocks.push((ptr, layout, byte));
            }
        }
        for (ptr, layout, byte) in blocks {
            let grown = unsafe { heap.realloc(ptr, layout, layout.size() * 3) };
            assert!(!grown.is_null());
            let kept = unsafe { std::slice::from_raw_parts(grown, layout.size()) };
            assert!(kept.iter().all(|&b| b == byte), "{} bytes", layout.size());
            let grown_layout = Layout::from_size_align(layout.size() * 3, 16).unwrap();
            unsafe { heap.dealloc(grown, grown_layout) };
        }
    }

    #[test]
    fn zeroed_blocks_are_zero_on_either_allocator() {
        let heap = Heap::new();
        let layout = Layout::from_size_align(1000, 8).unwrap();
        for _ in 0..2 {
            let ptr = unsafe { heap.alloc_zeroed(layout) };
            let bytes = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            assert!(bytes.iter().all(|&b| b == 0));
            unsafe { heap.dealloc(ptr, layout) };
            heap.use_mimalloc();
        }
    }
}
