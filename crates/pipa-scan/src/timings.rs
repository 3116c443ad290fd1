//! `--timings`: wall time and peak heap per stage, plus the process's peak RSS.
//!
//! Heap figures come from a counting global allocator (relaxed atomics, a few
//! nanoseconds per allocation); the peak is reset at the start of each stage so
//! that each stage reports its own high-water mark.

use serde::Serialize;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// The global allocator of the `pipa` binary: the system allocator, counted.
pub struct CountingAlloc;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grow(by: usize) {
    let now = CURRENT.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every method forwards to `System` unchanged; the counters are plain atomics.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grow(new_size - layout.size());
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

/// One measured stage.
#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    /// Stage name (`read`, `zip`, `manifest`, …).
    pub stage: &'static str,
    /// Wall time in milliseconds.
    pub ms: f64,
    /// Heap in use at the end of the stage, bytes.
    pub heap_end: usize,
    /// Highest heap in use during the stage, bytes.
    pub heap_peak: usize,
    /// Ran on another thread beside the stages that follow it: its time is
    /// not part of the total.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub overlapped: bool,
}

/// Collects stages in order.
#[derive(Debug, Default, Serialize)]
pub struct Timings {
    /// The stages, in the order they ran.
    pub stages: Vec<Stage>,
    /// Total wall time, ms.
    pub total_ms: f64,
    /// Highest heap in use over the run, bytes.
    pub heap_peak: usize,
    /// Peak resident set size of the process (VmHWM), bytes, where the OS tells.
    pub peak_rss: Option<u64>,
}

impl Timings {
    /// Runs `f` as stage `name`, recording its wall time and heap.
    pub fn stage<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        PEAK.store(CURRENT.load(Ordering::Relaxed), Ordering::Relaxed);
        let t = Instant::now();
        let out = f();
        let ms = t.elapsed().as_secs_f64() * 1e3;
        let peak = PEAK.load(Ordering::Relaxed);
        self.heap_peak = self.heap_peak.max(peak);
        self.total_ms += ms;
        self.stages.push(Stage {
            stage: name,
            ms,
            heap_end: CURRENT.load(Ordering::Relaxed),
            heap_peak: peak,
            overlapped: false,
        });
        out
    }

    /// Records stage `name` that ran on another thread for `ms`, overlapping
    /// the stages recorded after it (not added to the total).
    pub fn overlapped(&mut self, name: &'static str, ms: f64) {
        self.stages.push(Stage {
            stage: name,
            ms,
            heap_end: CURRENT.load(Ordering::Relaxed),
            heap_peak: PEAK.load(Ordering::Relaxed),
            overlapped: true,
        });
    }

    /// Fills in the process-wide figures.
    pub fn finish(&mut self) {
        self.peak_rss = peak_rss();
    }

    /// A table for the terminal.
    pub fn render(&self) -> String {
        let mut s = String::from("stage              wall ms   heap end   heap peak\n");
        for st in &self.stages {
            s.push_str(&format!(
                "{:<16} {:>9.1} {:>10} {:>11}\n",
                st.stage,
                st.ms,
                mib(st.heap_end as u64),
                mib(st.heap_peak as u64)
            ));
        }
        s.push_str(&format!(
            "{:<16} {:>9.1} {:>10} {:>11}\n",
            "total",
            self.total_ms,
            "",
            mib(self.heap_peak as u64)
        ));
        if let Some(rss) = self.peak_rss {
            s.push_str(&format!("peak RSS (VmHWM): {}\n", mib(rss)));
        }
        s
    }
}

/// Bytes as MiB with one decimal.
pub fn mib(b: u64) -> String {
    format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0))
}

fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
