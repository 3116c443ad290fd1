//! `ResTable_config`: the configuration a resource value applies to.

use crate::axml::pool::{u8_at, u16_at, u32_at};
use std::fmt;

/// A resource configuration (qualifiers), decoded from `ResTable_config`.
/// Fields absent from a short config read as 0 ("any").
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Config {
    /// Mobile country code.
    pub mcc: u16,
    /// Mobile network code.
    pub mnc: u16,
    /// Language, e.g. `zh` (empty for any); 3-letter codes unpacked.
    pub language: String,
    /// Region, e.g. `CN` (empty for any).
    pub region: String,
    /// `port`=1, `land`=2, `square`=3.
    pub orientation: u8,
    /// Touchscreen kind.
    pub touchscreen: u8,
    /// Screen density in dpi (0 any, 0xfffe anydpi, 0xffff nodpi).
    pub density: u16,
    /// Keyboard kind.
    pub keyboard: u8,
    /// Navigation kind.
    pub navigation: u8,
    /// Keyboard/navigation hidden flags.
    pub input_flags: u8,
    /// Screen width in pixels.
    pub screen_width: u16,
    /// Screen height in pixels.
    pub screen_height: u16,
    /// Minimum platform version (`-vN`).
    pub sdk_version: u16,
    /// Minor platform version.
    pub minor_version: u16,
    /// Screen size, long, layout direction.
    pub screen_layout: u8,
    /// UI mode type and night mode.
    pub ui_mode: u8,
    /// `swNdp`.
    pub smallest_screen_width_dp: u16,
    /// `wNdp`.
    pub screen_width_dp: u16,
    /// `hNdp`.
    pub screen_height_dp: u16,
    /// Locale script, e.g. `Hans`.
    pub script: String,
    /// Locale variant.
    pub variant: String,
    /// Round screen.
    pub screen_layout2: u8,
    /// Wide colour gamut / HDR.
    pub color_mode: u8,
}

fn unpack(b0: u8, b1: u8, base: u8) -> String {
    if b0 == 0 {
        return String::new();
    }
    if b0 & 0x80 != 0 {
        // 1xxxxxyy yyyzzzzz: three 5-bit letters.
        let first = b1 & 0x1f;
        let second = ((b1 & 0xe0) >> 5) | ((b0 & 0x03) << 3);
        let third = (b0 & 0x7c) >> 2;
        [first, second, third]
            .iter()
            .map(|&c| (base.wrapping_add(c)) as char)
            .collect()
    } else {
        [b0, b1]
            .iter()
            .filter(|&&c| c != 0)
            .map(|&c| c as char)
            .collect()
    }
}

fn ascii(bytes: &[u8]) -> String {
    bytes
        .iter()
        .take_while(|&&c| c != 0)
        .map(|&c| if c.is_ascii_graphic() { c as char } else { '?' })
        .collect()
}

impl Config {
    /// Decodes a `ResTable_config` starting at `data[0]` (its `size` field).
    pub(crate) fn parse(data: &[u8]) -> Config {
        let size = u32_at(data, 0).unwrap_or(0) as usize;
        let mut buf = [0u8; 64];
        let n = size.min(buf.len()).min(data.len());
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), data.get(..n)) {
            dst.copy_from_slice(src);
        }
        let b = &buf[..];
        let g8 = |o| u8_at(b, o).unwrap_or(0);
        let g16 = |o| u16_at(b, o).unwrap_or(0);
        Config {
            mcc: g16(4),
            mnc: g16(6),
            language: unpack(g8(8), g8(9), b'a'),
            region: unpack(g8(10), g8(11), b'0'),
            orientation: g8(12),
            touchscreen: g8(13),
            density: g16(14),
            keyboard: g8(16),
            navigation: g8(17),
            input_flags: g8(18),
            screen_width: g16(20),
            screen_height: g16(22),
            sdk_version: g16(24),
            minor_version: g16(26),
            screen_layout: g8(28),
            ui_mode: g8(29),
            smallest_screen_width_dp: g16(30),
            screen_width_dp: g16(32),
            screen_height_dp: g16(34),
            script: ascii(b.get(36..40).unwrap_or_default()),
            variant: ascii(b.get(40..48).unwrap_or_default()),
            screen_layout2: g8(48),
            color_mode: g8(49),
        }
    }

    /// True for the default configuration (no qualifier).
    pub fn is_default(&self) -> bool {
        *self == Config::default()
    }

    /// The locale as aapt writes it: `zh-rCN`, `b+zh+Hans+CN`, or "" for any.
    pub fn locale(&self) -> String {
        if self.language.is_empty() && self.region.is_empty() {
            return String::new();
        }
        if self.script.is_empty() && self.variant.is_empty() {
            if self.region.is_empty() {
                self.language.clone()
            } else if self.language.is_empty() {
                format!("r{}", self.region)
            } else {
                format!("{}-r{}", self.language, self.region)
            }
        } else {
            let mut s = format!("b+{}", self.language);
            for part in [&self.script, &self.region, &self.variant] {
                if !part.is_empty() {
                    s.push('+');
                    s.push_str(part);
                }
            }
            s
        }
    }
}

impl fmt::Display for Config {
    /// Qualifiers joined with `-` like aapt (`zh-rCN`, `hdpi-v4`), or `default`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut q: Vec<String> = Vec::new();
        if self.mcc != 0 {
            q.push(format!("mcc{}", self.mcc));
        }
        if self.mnc != 0 {
            q.push(format!("mnc{}", self.mnc));
        }
        let loc = self.locale();
        if !loc.is_empty() {
            q.push(loc);
        }
        match self.screen_layout & 0xc0 {
            0x40 => q.push("ldltr".into()),
            0x80 => q.push("ldrtl".into()),
            _ => {}
        }
        if self.smallest_screen_width_dp != 0 {
            q.push(format!("sw{}dp", self.smallest_screen_width_dp));
        }
        if self.screen_width_dp != 0 {
            q.push(format!("w{}dp", self.screen_width_dp));
        }
        if self.screen_height_dp != 0 {
            q.push(format!("h{}dp", self.screen_height_dp));
        }
        let pick = |v: u8, names: &[(u8, &str)]| -> Option<String> {
            names
                .iter()
                .find(|(k, _)| *k == v)
                .map(|(_, n)| (*n).to_owned())
        };
        q.extend(pick(
            self.screen_layout & 0x0f,
            &[(1, "small"), (2, "normal"), (3, "large"), (4, "xlarge")],
        ));
        q.extend(pick(
            self.screen_layout & 0x30,
            &[(0x10, "notlong"), (0x20, "long")],
        ));
        q.extend(pick(
            self.screen_layout2 & 0x03,
            &[(1, "notround"), (2, "round")],
        ));
        q.extend(pick(
            self.color_mode & 0x03,
            &[(1, "nowidecg"), (2, "widecg")],
        ));
        q.extend(pick(self.color_mode & 0x0c, &[(4, "lowdr"), (8, "highdr")]));
        q.extend(pick(
            self.orientation,
            &[(1, "port"), (2, "land"), (3, "square")],
        ));
        q.extend(pick(
            self.ui_mode & 0x0f,
            &[
                (2, "desk"),
                (3, "car"),
                (4, "television"),
                (5, "appliance"),
                (6, "watch"),
                (7, "vrheadset"),
            ],
        ));
        q.extend(pick(
            self.ui_mode & 0x30,
            &[(0x10, "notnight"), (0x20, "night")],
        ));
        match self.density {
            0 => {}
            120 => q.push("ldpi".into()),
            160 => q.push("mdpi".into()),
            213 => q.push("tvdpi".into()),
            240 => q.push("hdpi".into()),
            320 => q.push("xhdpi".into()),
            480 => q.push("xxhdpi".into()),
            640 => q.push("xxxhdpi".into()),
            0xfffe => q.push("anydpi".into()),
            0xffff => q.push("nodpi".into()),
            d => q.push(format!("{d}dpi")),
        }
        q.extend(pick(
            self.touchscreen,
            &[(1, "notouch"), (2, "stylus"), (3, "finger")],
        ));
        q.extend(pick(
            self.input_flags & 0x03,
            &[(1, "keysexposed"), (2, "keyshidden"), (3, "keyssoft")],
        ));
        q.extend(pick(
            self.keyboard,
            &[(1, "nokeys"), (2, "qwerty"), (3, "12key")],
        ));
        q.extend(pick(
            self.input_flags & 0x0c,
            &[(4, "navexposed"), (8, "navhidden")],
        ));
        q.extend(pick(
            self.navigation,
            &[(1, "nonav"), (2, "dpad"), (3, "trackball"), (4, "wheel")],
        ));
        if self.screen_width != 0 || self.screen_height != 0 {
            q.push(format!("{}x{}", self.screen_width, self.screen_height));
        }
        if self.sdk_version != 0 {
            if self.minor_version != 0 {
                q.push(format!("v{}.{}", self.sdk_version, self.minor_version));
            } else {
                q.push(format!("v{}", self.sdk_version));
            }
        }
        if q.is_empty() {
            f.write_str("default")
        } else {
            f.write_str(&q.join("-"))
        }
    }
}
