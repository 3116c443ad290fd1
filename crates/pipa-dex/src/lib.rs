//! Zero-copy DEX reader and code index (in progress).
