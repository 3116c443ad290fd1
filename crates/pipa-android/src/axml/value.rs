//! Typed values (`Res_value`) as found in binary XML and resources.arsc.

use std::fmt;

pub(crate) const TYPE_NULL: u8 = 0x00;
pub(crate) const TYPE_REFERENCE: u8 = 0x01;
pub(crate) const TYPE_ATTRIBUTE: u8 = 0x02;
pub(crate) const TYPE_STRING: u8 = 0x03;
pub(crate) const TYPE_FLOAT: u8 = 0x04;
pub(crate) const TYPE_DIMENSION: u8 = 0x05;
pub(crate) const TYPE_FRACTION: u8 = 0x06;
pub(crate) const TYPE_DYNAMIC_REFERENCE: u8 = 0x07;
pub(crate) const TYPE_DYNAMIC_ATTRIBUTE: u8 = 0x08;
pub(crate) const TYPE_INT_DEC: u8 = 0x10;
pub(crate) const TYPE_INT_HEX: u8 = 0x11;
pub(crate) const TYPE_INT_BOOLEAN: u8 = 0x12;
pub(crate) const TYPE_FIRST_COLOR: u8 = 0x1c;
pub(crate) const TYPE_LAST_COLOR: u8 = 0x1f;

/// A typed attribute value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string (`TYPE_STRING`).
    String(String),
    /// A resource reference `@0x7f…` (`TYPE_REFERENCE`, `TYPE_DYNAMIC_REFERENCE`).
    Reference(u32),
    /// A theme attribute reference `?0x…` (`TYPE_ATTRIBUTE`, `TYPE_DYNAMIC_ATTRIBUTE`).
    AttributeRef(u32),
    /// A decimal integer (`TYPE_INT_DEC`).
    Int(i32),
    /// A hexadecimal integer (`TYPE_INT_HEX`), e.g. flags.
    Hex(u32),
    /// A boolean (`TYPE_INT_BOOLEAN`; any non-zero data is true).
    Bool(bool),
    /// A float (`TYPE_FLOAT`).
    Float(f32),
    /// A packed dimension (`TYPE_DIMENSION`), e.g. `16dp`.
    Dimension(u32),
    /// A packed fraction (`TYPE_FRACTION`), e.g. `50%`.
    Fraction(u32),
    /// A colour `#aarrggbb` (`TYPE_INT_COLOR_*`).
    Color(u32),
    /// `TYPE_NULL` (`@null` or empty).
    Null,
    /// Any other type.
    Other {
        /// `Res_value::dataType`.
        data_type: u8,
        /// `Res_value::data`.
        data: u32,
    },
}

impl Value {
    /// Builds a non-string value from its type and data (strings need the pool).
    pub fn from_typed(data_type: u8, data: u32) -> Value {
        match data_type {
            TYPE_NULL => Value::Null,
            TYPE_REFERENCE | TYPE_DYNAMIC_REFERENCE => Value::Reference(data),
            TYPE_ATTRIBUTE | TYPE_DYNAMIC_ATTRIBUTE => Value::AttributeRef(data),
            TYPE_FLOAT => Value::Float(f32::from_bits(data)),
            TYPE_DIMENSION => Value::Dimension(data),
            TYPE_FRACTION => Value::Fraction(data),
            TYPE_INT_DEC => Value::Int(data as i32),
            TYPE_INT_HEX => Value::Hex(data),
            TYPE_INT_BOOLEAN => Value::Bool(data != 0),
            TYPE_FIRST_COLOR..=TYPE_LAST_COLOR => Value::Color(data),
            _ => Value::Other { data_type, data },
        }
    }

    /// As Android's `XmlUtils.convertValueToBoolean` / `TypedArray.getBoolean`:
    /// booleans, integers (non-zero), and the strings `true`/`false`/digits.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::Int(i) => Some(*i != 0),
            Value::Hex(h) => Some(*h != 0),
            Value::String(s) => {
                let t = s.trim();
                if t.eq_ignore_ascii_case("true") {
                    Some(true)
                } else if t.eq_ignore_ascii_case("false") {
                    Some(false)
                } else {
                    parse_int(t).map(|i| i != 0)
                }
            }
            _ => None,
        }
    }

    /// Integers, hex integers (as unsigned), booleans (0/1) and numeric strings.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i as i64),
            Value::Hex(h) => Some(*h as i64),
            Value::Bool(b) => Some(*b as i64),
            Value::String(s) => parse_int(s.trim()),
            _ => None,
        }
    }

    /// The string of a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The referenced resource id of a reference.
    pub fn as_reference(&self) -> Option<u32> {
        match self {
            Value::Reference(r) => Some(*r),
            _ => None,
        }
    }
}

fn parse_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let v = if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()?
    } else {
        body.parse::<i64>().ok()?
    };
    Some(if neg { -v } else { v })
}

/// `TypedValue.complexToFloat`.
fn complex_to_float(data: u32) -> f32 {
    const MULTS: [f32; 4] = [
        1.0 / 256.0,
        1.0 / 32768.0,
        1.0 / 8_388_608.0,
        1.0 / 2_147_483_648.0,
    ];
    let mantissa = (data & 0xffff_ff00) as i32 as f32;
    let radix = ((data >> 4) & 3) as usize;
    mantissa * MULTS.get(radix).copied().unwrap_or(1.0)
}

impl fmt::Display for Value {
    /// Text like aapt/apktool would write in source XML.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(s) => f.write_str(s),
            Value::Reference(0) => f.write_str("@null"),
            Value::Reference(r) => write!(f, "@{r:#010x}"),
            Value::AttributeRef(r) => write!(f, "?{r:#010x}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Hex(h) => write!(f, "{h:#x}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::Dimension(d) => {
                let unit = match d & 0xf {
                    0 => "px",
                    1 => "dp",
                    2 => "sp",
                    3 => "pt",
                    4 => "in",
                    5 => "mm",
                    _ => "?",
                };
                write!(f, "{}{unit}", complex_to_float(*d))
            }
            Value::Fraction(d) => {
                let unit = if d & 0xf == 1 { "%p" } else { "%" };
                write!(f, "{}{unit}", complex_to_float(*d) * 100.0)
            }
            Value::Color(c) => write!(f, "#{c:08x}"),
            Value::Null => f.write_str(""),
            Value::Other { data_type, data } => write!(f, "(type {data_type:#x}){data:#x}"),
        }
    }
}
