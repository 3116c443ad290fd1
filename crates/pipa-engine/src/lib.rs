//! The assessment engine: turns an app model into facts, runs one check per
//! legal item, and produces the [`Assessment`]. Knows nothing about bytes
//! (format crates) or rendering (renderers read the `Assessment` only).

#![warn(missing_docs)]

pub mod model;

pub use model::*;
