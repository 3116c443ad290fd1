//! Reader of Android binary XML (`AndroidManifest.xml`, `res/xml/*.xml`).
//!
//! It follows AOSP's `ResXMLTree::setTo` / `ResXMLParser::nextNode`
//! (`libs/androidfw/ResourceTypes.cpp`) so that a file reads the way the
//! device reads it, and records every trick it meets as an `axml.*` anomaly:
//!
//! * attribute names come from the resource-ID map before the string pool
//!   (packers put fake names in the pool);
//! * string pools with an inflated `stringCount`, a gap before the data, or
//!   out-of-range indices;
//! * odd `attributeStart` / `attributeSize`, extra or duplicate attributes;
//! * unknown chunks (skipped by their size), overrunning sizes (clamped);
//! * a wrong file type or a missing XML header.
//!
//! The tree is built with an explicit stack and capped by
//! [`Limits::max_xml_elements`] and a fixed nesting depth, so no input can
//! exhaust the stack or memory.

pub(crate) mod pool;
pub(crate) mod value;

#[cfg(test)]
pub(crate) mod tests;

use crate::attrs;
use pipa_core::{AnomalySink, Limits, Severity};
use pool::{Origin, StringPool, u8_at, u16_at, u32_at};
use std::collections::HashSet;
pub use value::Value;

/// The `android:` namespace URI.
pub const ANDROID_NS: &str = "http://schemas.android.com/apk/res/android";

/// Deepest element nesting kept; deeper subtrees are skipped (anomaly).
pub const MAX_DEPTH: usize = 256;

const RES_STRING_POOL_TYPE: u16 = 0x0001;
const RES_XML_TYPE: u16 = 0x0003;
const RES_XML_START_NAMESPACE_TYPE: u16 = 0x0100;
const RES_XML_END_NAMESPACE_TYPE: u16 = 0x0101;
const RES_XML_START_ELEMENT_TYPE: u16 = 0x0102;
const RES_XML_END_ELEMENT_TYPE: u16 = 0x0103;
const RES_XML_CDATA_TYPE: u16 = 0x0104;
/// Most character data kept per element.
const MAX_TEXT: usize = 64 * 1024;
const RES_XML_LAST_CHUNK_TYPE: u16 = 0x017f;
const RES_XML_RESOURCE_MAP_TYPE: u16 = 0x0180;
const NO_INDEX: u32 = 0xffff_ffff;

/// Why a binary XML file could not be read at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AxmlError {
    /// The file is plain-text XML, not binary XML.
    #[error("file is text XML, not Android binary XML")]
    TextXml,
    /// Too short to hold a chunk header.
    #[error("file too short for binary XML ({0} bytes)")]
    TooShort(usize),
    /// No element could be found.
    #[error("no XML element found in binary XML")]
    NoRoot,
}

/// A namespace declared in the document (`xmlns:prefix="uri"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Namespace {
    /// The prefix, e.g. `android`.
    pub prefix: String,
    /// The URI, e.g. [`ANDROID_NS`].
    pub uri: String,
}

/// A parsed binary XML document.
#[derive(Debug, Clone, PartialEq)]
pub struct XmlDocument {
    /// The root element (for a manifest, `<manifest>`).
    pub root: Element,
    /// Namespaces in order of declaration.
    pub namespaces: Vec<Namespace>,
    /// True when the string pool is UTF-8 (aapt2 default), false for UTF-16.
    pub utf8_strings: bool,
}

/// One element.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    /// Local name, e.g. `activity`.
    pub name: String,
    /// Namespace URI, if any.
    pub namespace: Option<String>,
    /// Attributes in file order.
    pub attributes: Vec<Attribute>,
    /// Child elements in file order.
    pub children: Vec<Element>,
    /// Source line recorded by the compiler.
    pub line: u32,
    /// Character data directly inside this element (CDATA nodes, concatenated),
    /// e.g. the host name of a network-security-config `<domain>`. Capped at 64 KiB.
    pub text: String,
}

/// One attribute.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// Namespace URI, if any.
    pub namespace: Option<String>,
    /// The name Android sees: the framework name of [`Self::resource_id`]
    /// when the id is a known framework attribute, else the pooled string.
    pub name: String,
    /// The name string in the pool (may be a decoy; see `axml.attr_name_mismatch`).
    pub pooled_name: String,
    /// The attribute's resource id from the resource map, if any.
    pub resource_id: Option<u32>,
    /// The raw string value, if the compiler kept one.
    pub raw: Option<String>,
    /// The typed value.
    pub value: Value,
    /// `Res_value::dataType` as stored.
    pub data_type: u8,
    /// `Res_value::data` as stored.
    pub data: u32,
}

impl Attribute {
    /// True for an attribute Android resolves as a framework attribute (by id).
    pub fn is_framework(&self) -> bool {
        self.resource_id.is_some_and(attrs::is_framework_id)
    }
}

impl Element {
    /// The `android:`-namespace attribute with framework name `name`, e.g.
    /// `"name"`, `"exported"`, `"minSdkVersion"`. Identified the way Android
    /// does, by resource id: an attribute whose pooled name merely reads
    /// `name` without the framework id is not returned.
    pub fn android_attr(&self, name: &str) -> Option<&Attribute> {
        if let Some(id) = attrs::id_of(name)
            && let Some(a) = self.attributes.iter().find(|a| a.resource_id == Some(id))
        {
            return Some(a);
        }
        // Attributes newer than the embedded table: framework id, pooled name.
        self.attributes
            .iter()
            .find(|a| a.is_framework() && a.name == name)
    }

    /// The attribute without namespace named `name`, e.g. the manifest's `package`.
    pub fn attr(&self, name: &str) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|a| a.namespace.is_none() && a.resource_id.is_none() && a.name == name)
            .or_else(|| {
                self.attributes
                    .iter()
                    .find(|a| a.namespace.is_none() && a.name == name)
            })
    }

    /// Child elements named `name`.
    pub fn children_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Number of elements in this subtree (including `self`).
    pub fn subtree_len(&self) -> usize {
        let mut n = 0;
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            n += 1;
            stack.extend(e.children.iter());
        }
        n
    }

    /// Every element of the subtree in document order, with its depth (root 0).
    pub fn walk(&self) -> Vec<(usize, &Element)> {
        let mut out = Vec::new();
        let mut stack = vec![(0usize, self)];
        while let Some((d, e)) = stack.pop() {
            out.push((d, e));
            for c in e.children.iter().rev() {
                stack.push((d + 1, c));
            }
        }
        out
    }
}

impl XmlDocument {
    /// Readable text XML (like `aapt dump xmltree`, but as XML), for debugging.
    pub fn to_xml_string(&self) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        let prefix_of = |uri: &str| -> String {
            self.namespaces
                .iter()
                .rev()
                .find(|n| n.uri == uri)
                .map(|n| n.prefix.clone())
                .unwrap_or_else(|| {
                    if uri == ANDROID_NS {
                        "android".to_owned()
                    } else {
                        format!("ns{}", uri.len())
                    }
                })
        };
        let qname = |ns: &Option<String>, name: &str| -> String {
            match ns {
                Some(u) if !u.is_empty() => format!("{}:{name}", prefix_of(u)),
                _ => name.to_owned(),
            }
        };
        // (element, depth, opened?)
        let mut stack: Vec<(&Element, usize, bool)> = vec![(&self.root, 0, false)];
        while let Some((e, depth, opened)) = stack.pop() {
            let indent = "  ".repeat(depth);
            let tag = qname(&e.namespace, &e.name);
            if opened {
                out.push_str(&format!("{indent}</{tag}>\n"));
                continue;
            }
            out.push_str(&format!("{indent}<{tag}"));
            if depth == 0 {
                for n in &self.namespaces {
                    out.push_str(&format!(" xmlns:{}=\"{}\"", n.prefix, escape(&n.uri)));
                }
            }
            for a in &e.attributes {
                out.push_str(&format!(
                    " {}=\"{}\"",
                    qname(&a.namespace, &a.name),
                    escape(&a.value.to_string())
                ));
            }
            if e.children.is_empty() && e.text.is_empty() {
                out.push_str("/>\n");
            } else if e.children.is_empty() {
                out.push_str(&format!(">{}</{tag}>\n", escape(&e.text)));
            } else {
                out.push_str(">\n");
                if !e.text.trim().is_empty() {
                    out.push_str(&format!("{indent}  {}\n", escape(e.text.trim())));
                }
                stack.push((e, depth, true));
                for c in e.children.iter().rev() {
                    stack.push((c, depth + 1, false));
                }
            }
        }
        out
    }
}

fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\n' => o.push_str("&#10;"),
            c if (c as u32) < 0x20 && c != '\t' => o.push_str(&format!("&#{};", c as u32)),
            c => o.push(c),
        }
    }
    o
}

/// True when `data` looks like text XML (optional BOM / whitespace, then `<`).
pub fn is_text_xml(data: &[u8]) -> bool {
    let d = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    if d.starts_with(b"\xff\xfe<") || d.starts_with(b"\xfe\xff\0<") {
        return true;
    }
    let d = d.trim_ascii_start();
    d.first() == Some(&b'<')
}

struct Parser<'a, 's> {
    data: &'a [u8],
    loc: &'a str,
    sink: &'s mut AnomalySink,
    pool: StringPool<'a>,
    res_ids: Vec<u32>,
    bad_strings: usize,
}

impl Parser<'_, '_> {
    fn warn(&mut self, code: &'static str, sev: Severity, msg: impl Into<String>) {
        self.sink.add(code, sev, self.loc, msg);
    }

    /// String `idx` or "" (anomaly) when it cannot be read.
    fn string(&mut self, idx: u32, what: &str) -> String {
        match self.pool.get(idx) {
            Ok(s) => s,
            Err(e) => {
                self.bad_strings += 1;
                if self.bad_strings <= 20 {
                    let msg = format!("{what}: string #{idx}: {}; read as empty", e.describe());
                    self.warn("axml.bad_string_index", Severity::Warning, msg);
                }
                String::new()
            }
        }
    }

    fn opt_string(&mut self, idx: u32, what: &str) -> Option<String> {
        (idx != NO_INDEX).then(|| self.string(idx, what))
    }
}

/// Reads a chunk header at `pos`: (type, headerSize, size).
fn chunk_header(data: &[u8], pos: usize) -> Option<(u16, usize, usize)> {
    Some((
        u16_at(data, pos)?,
        u16_at(data, pos + 2)? as usize,
        u32_at(data, pos + 4)? as usize,
    ))
}

/// The chunk header at `pos`, its size clamped to the data (`axml.chunk_overrun`);
/// `None` at the end of the data or when the header is unusable
/// (`axml.bad_chunk`: Android stops there too). `what` names it in messages.
fn checked_chunk(p: &mut Parser<'_, '_>, pos: usize, what: &str) -> Option<(u16, usize, usize)> {
    let (ty, hs, size) = chunk_header(p.data, pos)?;
    let remaining = p.data.len().saturating_sub(pos);
    let size = if size > remaining {
        p.warn(
            "axml.chunk_overrun",
            Severity::Error,
            format!("{what} {ty:#06x} at {pos:#x} claims {size:#x} bytes, only {remaining:#x} left; clamped"),
        );
        remaining
    } else {
        size
    };
    if size < 8 || hs < 8 || hs > size {
        p.warn(
            "axml.bad_chunk",
            Severity::Error,
            format!("{what} {ty:#06x} at {pos:#x} has header size {hs:#x} and size {size:#x}; stopped (Android stops here too)"),
        );
        return None;
    }
    Some((ty, hs, size))
}

/// Parses binary XML. `location` names the file in anomalies.
pub fn parse_xml(
    data: &[u8],
    location: &str,
    limits: &Limits,
    sink: &mut AnomalySink,
) -> Result<XmlDocument, AxmlError> {
    if is_text_xml(data) {
        return Err(AxmlError::TextXml);
    }
    let Some((ftype, fhs, fsize)) = chunk_header(data, 0) else {
        return Err(AxmlError::TooShort(data.len()));
    };
    // Where the child chunks start and where the document ends.
    let (mut start, mut end) = (fhs, fsize);
    let looks_like_child = ftype == RES_STRING_POOL_TYPE
        || ftype == RES_XML_RESOURCE_MAP_TYPE
        || (RES_XML_START_NAMESPACE_TYPE..=RES_XML_LAST_CHUNK_TYPE).contains(&ftype);
    if looks_like_child {
        sink.add(
            "axml.missing_xml_header",
            Severity::Error,
            location,
            format!("file starts with chunk type {ftype:#06x}, not the XML header; read as a bare chunk sequence (Android rejects it)"),
        );
        start = 0;
        end = data.len();
    } else {
        if ftype != RES_XML_TYPE {
            sink.add(
                "axml.bad_file_type",
                Severity::Warning,
                location,
                format!(
                    "file chunk type {ftype:#06x}, expected 0x0003 (Android does not check it)"
                ),
            );
        }
        if fhs < 8 || fhs > fsize.min(data.len()) {
            sink.add(
                "axml.bad_header_size",
                Severity::Error,
                location,
                format!("XML header size {fhs:#x} (file size field {fsize:#x}); Android rejects it, read from offset 8"),
            );
            start = 8;
        }
        if fsize > data.len() {
            sink.add(
                "axml.size_overrun",
                Severity::Error,
                location,
                format!("XML size field {fsize:#x} beyond the {:#x} bytes present; clamped (Android rejects it)", data.len()),
            );
            end = data.len();
        } else if fsize < data.len() {
            sink.add(
                "axml.trailing_data",
                Severity::Info,
                location,
                format!("{} bytes after the XML document", data.len() - fsize),
            );
        }
        if end < start {
            end = data.len();
        }
    }
    let data = data.get(..end).unwrap_or(data);
    let mut p = Parser {
        data,
        loc: location,
        sink,
        pool: StringPool::default(),
        res_ids: Vec::new(),
        bad_strings: 0,
    };

    // Phase 1: string pool, resource map, up to the first XML node.
    let mut pos = start;
    let mut first_node = None;
    let mut pools = 0usize;
    while let Some((ty, hs, size)) = checked_chunk(&mut p, pos, "chunk") {
        if (hs | size) & 3 != 0 {
            p.warn(
                "axml.unaligned_chunk",
                Severity::Warning,
                format!("chunk {ty:#06x} at {pos:#x}: sizes {hs:#x}/{size:#x} not 4-aligned (Android rejects it)"),
            );
        }
        let chunk = data.get(pos..pos + size).unwrap_or_default();
        match ty {
            RES_STRING_POOL_TYPE => {
                pools += 1;
                if pools > 1 {
                    p.warn(
                        "axml.multiple_string_pools",
                        Severity::Warning,
                        format!(
                            "another string pool at {pos:#x}; the last one is used, as on Android"
                        ),
                    );
                }
                p.pool = StringPool::parse(chunk, Origin::Axml, location, p.sink);
            }
            RES_XML_RESOURCE_MAP_TYPE => {
                let body = chunk.get(hs..).unwrap_or_default();
                p.res_ids = body
                    .chunks_exact(4)
                    .map(|c| u32_at(c, 0).unwrap_or(0))
                    .collect();
            }
            RES_XML_START_NAMESPACE_TYPE..=RES_XML_LAST_CHUNK_TYPE => {
                first_node = Some(pos);
                break;
            }
            _ => {
                p.warn(
                    "axml.unknown_chunk",
                    Severity::Warning,
                    format!("unknown chunk type {ty:#06x} ({size} bytes) at {pos:#x}; skipped"),
                );
            }
        }
        pos += size;
    }
    let Some(first) = first_node else {
        return Err(AxmlError::NoRoot);
    };
    if pools == 0 {
        p.warn(
            "axml.no_string_pool",
            Severity::Error,
            "no string pool before the first XML node",
        );
    }
    let utf8_strings = p.pool.is_utf8();

    // Phase 2: the node stream.
    let mut namespaces = Vec::new();
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut elements = 0usize;
    let mut skip_depth = 0usize; // open elements beyond MAX_DEPTH
    let mut after_root_reported = false;
    let mut extra_end_reported = false;
    let mut pos = first;
    while let Some((ty, hs, size)) = checked_chunk(&mut p, pos, "node") {
        let next = pos + size;
        let min_ext = match ty {
            RES_XML_START_NAMESPACE_TYPE | RES_XML_END_NAMESPACE_TYPE => 8,
            RES_XML_START_ELEMENT_TYPE => 20,
            RES_XML_END_ELEMENT_TYPE => 8,
            RES_XML_CDATA_TYPE => 12,
            _ => {
                p.warn(
                    "axml.unknown_chunk",
                    Severity::Warning,
                    format!("unknown node type {ty:#06x} ({size} bytes) at {pos:#x}; skipped as Android does"),
                );
                pos = next;
                continue;
            }
        };
        if hs < 16 {
            p.warn(
                "axml.bad_chunk",
                Severity::Error,
                format!("node {ty:#06x} at {pos:#x} header size {hs:#x} < 16; stopped"),
            );
            break;
        }
        if hs != 16 {
            p.warn(
                "axml.odd_node_header",
                Severity::Warning,
                format!("node {ty:#06x} at {pos:#x} header size {hs:#x} (normally 0x10); followed"),
            );
        }
        if size - hs < min_ext {
            p.warn(
                "axml.bad_chunk",
                Severity::Error,
                format!(
                    "node {ty:#06x} at {pos:#x} too small ({size:#x} bytes) for its body; stopped"
                ),
            );
            break;
        }
        let line = u32_at(data, pos + 8).unwrap_or(0);
        let ext = pos + hs;
        match ty {
            RES_XML_START_NAMESPACE_TYPE => {
                let prefix = u32_at(data, ext).unwrap_or(NO_INDEX);
                let uri = u32_at(data, ext + 4).unwrap_or(NO_INDEX);
                let prefix = p.opt_string(prefix, "namespace prefix").unwrap_or_default();
                let uri = p.opt_string(uri, "namespace uri").unwrap_or_default();
                if namespaces.len() < 1000 {
                    namespaces.push(Namespace { prefix, uri });
                }
            }
            RES_XML_END_NAMESPACE_TYPE => {}
            RES_XML_CDATA_TYPE => {
                // ResXMLTree_cdataExt: the text's string index, then a typed value.
                if let Some(el) = stack.last_mut()
                    && skip_depth == 0
                    && el.text.len() < MAX_TEXT
                    && let Some(t) =
                        p.opt_string(u32_at(data, ext).unwrap_or(NO_INDEX), "character data")
                {
                    let room = MAX_TEXT - el.text.len();
                    let mut cut = t.len().min(room);
                    while !t.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    el.text.push_str(&t[..cut]);
                }
            }
            RES_XML_START_ELEMENT_TYPE => {
                if root.is_some() {
                    if !after_root_reported {
                        after_root_reported = true;
                        p.warn(
                            "axml.multiple_roots",
                            Severity::Warning,
                            format!("element at {pos:#x} after the root element closed; ignored (Android's manifest parser stops at the root's end)"),
                        );
                    }
                } else if stack.len() >= MAX_DEPTH || skip_depth > 0 {
                    if skip_depth == 0 {
                        p.warn(
                            "axml.too_deep",
                            Severity::Error,
                            format!("elements nested deeper than {MAX_DEPTH} at {pos:#x}; subtree skipped"),
                        );
                    }
                    skip_depth += 1;
                } else {
                    elements += 1;
                    if elements > limits.max_xml_elements {
                        p.warn(
                            "axml.too_many_elements",
                            Severity::Error,
                            format!(
                                "more than {} elements; rest of the document ignored",
                                limits.max_xml_elements
                            ),
                        );
                        break;
                    }
                    let el = read_element(&mut p, pos, ext, size - hs, line);
                    stack.push(el);
                }
            }
            RES_XML_END_ELEMENT_TYPE => {
                if skip_depth > 0 {
                    skip_depth -= 1;
                } else if let Some(el) = stack.pop() {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(el),
                        None => root = Some(el),
                    }
                } else if !extra_end_reported && root.is_none() {
                    extra_end_reported = true;
                    p.warn(
                        "axml.unbalanced_end",
                        Severity::Warning,
                        format!("end element at {pos:#x} without a start; ignored"),
                    );
                }
            }
            _ => {}
        }
        pos = next;
    }
    if !stack.is_empty() {
        p.warn(
            "axml.unclosed_elements",
            Severity::Warning,
            format!(
                "{} elements not closed at the end of the document; closed",
                stack.len()
            ),
        );
        while let Some(el) = stack.pop() {
            match stack.last_mut() {
                Some(parent) => parent.children.push(el),
                None => root = Some(el),
            }
        }
    }
    if p.bad_strings > 20 {
        let msg = format!("{} unreadable string references in total", p.bad_strings);
        p.warn("axml.bad_string_index", Severity::Warning, msg);
    }
    let root = root.ok_or(AxmlError::NoRoot)?;
    Ok(XmlDocument {
        root,
        namespaces,
        utf8_strings,
    })
}

/// Reads a start-element node; `ext` is the `ResXMLTree_attrExt` offset,
/// `body` the bytes from `ext` to the end of the node.
fn read_element(p: &mut Parser<'_, '_>, pos: usize, ext: usize, body: usize, line: u32) -> Element {
    let data = p.data;
    let ns = u32_at(data, ext).unwrap_or(NO_INDEX);
    let name = u32_at(data, ext + 4).unwrap_or(NO_INDEX);
    let attr_start = u16_at(data, ext + 8).unwrap_or(20) as usize;
    let attr_size = u16_at(data, ext + 10).unwrap_or(20) as usize;
    let attr_count = u16_at(data, ext + 12).unwrap_or(0) as usize;
    let namespace = p.opt_string(ns, "element namespace");
    let name = p.string(name, "element name");
    if attr_start != 20 {
        p.warn(
            "axml.odd_attribute_start",
            Severity::Warning,
            format!("<{name}> at {pos:#x}: attributeStart {attr_start:#x} (normally 0x14); followed as Android does"),
        );
    }
    if attr_size != 20 && attr_count > 0 {
        p.warn(
            "axml.odd_attribute_size",
            Severity::Warning,
            format!("<{name}> at {pos:#x}: attributeSize {attr_size:#x} (normally 0x14); followed as Android does"),
        );
    }
    if attr_start + attr_size * attr_count > body {
        p.warn(
            "axml.attributes_overrun",
            Severity::Error,
            format!("<{name}> at {pos:#x}: {attr_count} attributes of {attr_size:#x} bytes from {attr_start:#x} overrun the node ({body:#x} bytes); Android rejects the document"),
        );
    }
    let mut attributes = Vec::with_capacity(attr_count.min(64));
    let mut seen: HashSet<(Option<String>, String, Option<u32>)> = HashSet::new();
    for i in 0..attr_count {
        let a = ext + attr_start + attr_size * i;
        let (Some(ans), Some(aname), Some(araw), Some(dtype), Some(dval)) = (
            u32_at(data, a),
            u32_at(data, a + 4),
            u32_at(data, a + 8),
            u8_at(data, a + 15),
            u32_at(data, a + 16),
        ) else {
            p.warn(
                "axml.attributes_overrun",
                Severity::Error,
                format!(
                    "<{name}> at {pos:#x}: attribute {i} beyond the end of the file; {} read",
                    attributes.len()
                ),
            );
            break;
        };
        let attr = read_attribute(p, &name, ans, aname, araw, dtype, dval);
        let key = (attr.namespace.clone(), attr.name.clone(), attr.resource_id);
        if !seen.insert(key) {
            p.warn(
                "axml.duplicate_attribute",
                Severity::Warning,
                format!(
                    "<{name}> at {pos:#x}: attribute {} appears more than once",
                    attr.name
                ),
            );
        }
        attributes.push(attr);
    }
    Element {
        name,
        namespace,
        attributes,
        children: Vec::new(),
        text: String::new(),
        line,
    }
}

fn read_attribute(
    p: &mut Parser<'_, '_>,
    element: &str,
    ns: u32,
    name_idx: u32,
    raw: u32,
    dtype: u8,
    data: u32,
) -> Attribute {
    let namespace = p.opt_string(ns, "attribute namespace");
    let pooled_name = p.string(name_idx, "attribute name");
    let resource_id = p
        .res_ids
        .get(name_idx as usize)
        .copied()
        .filter(|&id| id != 0);
    let name = match resource_id.and_then(attrs::name_of) {
        Some(real) => {
            if real != pooled_name {
                p.warn(
                    "axml.attr_name_mismatch",
                    Severity::Warning,
                    format!("<{element}>: attribute {:#010x} is android:{real} but the string pool says {pooled_name:?}; the id wins on Android", resource_id.unwrap_or(0)),
                );
            }
            real.to_owned()
        }
        None => pooled_name.clone(),
    };
    if resource_id.is_none() && namespace.as_deref() == Some(ANDROID_NS) {
        p.warn(
            "axml.android_attr_without_id",
            Severity::Warning,
            format!("<{element}>: android:{name} has no resource id; Android's attribute lookup ignores it"),
        );
    }
    let raw = p.opt_string(raw, "attribute raw value");
    let value = match dtype {
        value::TYPE_STRING => Value::String(p.string(data, "attribute string value")),
        _ => Value::from_typed(dtype, data),
    };
    Attribute {
        namespace,
        name,
        pooled_name,
        resource_id,
        raw,
        value,
        data_type: dtype,
        data,
    }
}
