//! The Dalvik opcode table (from the public Dalvik bytecode spec): name,
//! instruction format, width in 16-bit code units and the kind of pool index
//! an instruction refers to, for all 256 opcodes.

/// Instruction format (the spec's format id, e.g. `35c`), prefixed with `F`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Format {
    F10t,
    F10x,
    F11n,
    F11x,
    F12x,
    F20t,
    F21c,
    F21h,
    F21s,
    F21t,
    F22b,
    F22c,
    F22s,
    F22t,
    F22x,
    F23x,
    F30t,
    F31c,
    F31i,
    F31t,
    F32x,
    F35c,
    F3rc,
    F45cc,
    F4rcc,
    F51l,
}

impl Format {
    /// Width of an instruction of this format in 16-bit code units.
    pub const fn width(self) -> u8 {
        match self {
            Format::F10t => 1,
            Format::F10x => 1,
            Format::F11n => 1,
            Format::F11x => 1,
            Format::F12x => 1,
            Format::F20t => 2,
            Format::F21c => 2,
            Format::F21h => 2,
            Format::F21s => 2,
            Format::F21t => 2,
            Format::F22b => 2,
            Format::F22c => 2,
            Format::F22s => 2,
            Format::F22t => 2,
            Format::F22x => 2,
            Format::F23x => 2,
            Format::F30t => 3,
            Format::F31c => 3,
            Format::F31i => 3,
            Format::F31t => 3,
            Format::F32x => 3,
            Format::F35c => 3,
            Format::F3rc => 3,
            Format::F45cc => 4,
            Format::F4rcc => 4,
            Format::F51l => 5,
        }
    }
}

/// What the index operand of an instruction refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexKind {
    /// No pool index.
    None,
    /// `string_ids` index.
    String,
    /// `type_ids` index.
    Type,
    /// `field_ids` index.
    Field,
    /// `method_ids` index.
    Method,
    /// `method_ids` index plus a `proto_ids` index (invoke-polymorphic).
    MethodAndProto,
    /// Call site index (invoke-custom).
    CallSite,
    /// Method handle index.
    MethodHandle,
    /// `proto_ids` index.
    Proto,
}

/// Static facts about one opcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpInfo {
    /// Mnemonic as printed by dexdump/smali, e.g. `invoke-virtual`.
    pub name: &'static str,
    /// Instruction format.
    pub format: Format,
    /// Kind of pool index it carries.
    pub index: IndexKind,
}

impl OpInfo {
    /// Width in code units.
    pub const fn width(&self) -> u8 {
        self.format.width()
    }
}

/// Facts about `opcode`.
#[inline]
pub fn op_info(opcode: u8) -> &'static OpInfo {
    &OPS[opcode as usize]
}

/// True for the invoke family (0x6e-0x72, 0x74-0x78, 0xfa-0xfd).
#[inline]
pub const fn is_invoke(opcode: u8) -> bool {
    matches!(opcode, 0x6e..=0x72 | 0x74..=0x78 | 0xfa..=0xfd)
}

/// True for the static field reads (`sget`, `sget-wide`, … 0x60-0x66).
#[inline]
pub const fn is_sget(opcode: u8) -> bool {
    matches!(opcode, 0x60..=0x66)
}

macro_rules! op {
    ($n:expr, $f:ident, $k:ident) => {
        OpInfo {
            name: $n,
            format: Format::$f,
            index: IndexKind::$k,
        }
    };
}

/// The table, indexed by opcode.
pub static OPS: [OpInfo; 256] = [
    op!("nop", F10x, None),                                 // 00
    op!("move", F12x, None),                                // 01
    op!("move/from16", F22x, None),                         // 02
    op!("move/16", F32x, None),                             // 03
    op!("move-wide", F12x, None),                           // 04
    op!("move-wide/from16", F22x, None),                    // 05
    op!("move-wide/16", F32x, None),                        // 06
    op!("move-object", F12x, None),                         // 07
    op!("move-object/from16", F22x, None),                  // 08
    op!("move-object/16", F32x, None),                      // 09
    op!("move-result", F11x, None),                         // 0a
    op!("move-result-wide", F11x, None),                    // 0b
    op!("move-result-object", F11x, None),                  // 0c
    op!("move-exception", F11x, None),                      // 0d
    op!("return-void", F10x, None),                         // 0e
    op!("return", F11x, None),                              // 0f
    op!("return-wide", F11x, None),                         // 10
    op!("return-object", F11x, None),                       // 11
    op!("const/4", F11n, None),                             // 12
    op!("const/16", F21s, None),                            // 13
    op!("const", F31i, None),                               // 14
    op!("const/high16", F21h, None),                        // 15
    op!("const-wide/16", F21s, None),                       // 16
    op!("const-wide/32", F31i, None),                       // 17
    op!("const-wide", F51l, None),                          // 18
    op!("const-wide/high16", F21h, None),                   // 19
    op!("const-string", F21c, String),                      // 1a
    op!("const-string/jumbo", F31c, String),                // 1b
    op!("const-class", F21c, Type),                         // 1c
    op!("monitor-enter", F11x, None),                       // 1d
    op!("monitor-exit", F11x, None),                        // 1e
    op!("check-cast", F21c, Type),                          // 1f
    op!("instance-of", F22c, Type),                         // 20
    op!("array-length", F12x, None),                        // 21
    op!("new-instance", F21c, Type),                        // 22
    op!("new-array", F22c, Type),                           // 23
    op!("filled-new-array", F35c, Type),                    // 24
    op!("filled-new-array/range", F3rc, Type),              // 25
    op!("fill-array-data", F31t, None),                     // 26
    op!("throw", F11x, None),                               // 27
    op!("goto", F10t, None),                                // 28
    op!("goto/16", F20t, None),                             // 29
    op!("goto/32", F30t, None),                             // 2a
    op!("packed-switch", F31t, None),                       // 2b
    op!("sparse-switch", F31t, None),                       // 2c
    op!("cmpl-float", F23x, None),                          // 2d
    op!("cmpg-float", F23x, None),                          // 2e
    op!("cmpl-double", F23x, None),                         // 2f
    op!("cmpg-double", F23x, None),                         // 30
    op!("cmp-long", F23x, None),                            // 31
    op!("if-eq", F22t, None),                               // 32
    op!("if-ne", F22t, None),                               // 33
    op!("if-lt", F22t, None),                               // 34
    op!("if-ge", F22t, None),                               // 35
    op!("if-gt", F22t, None),                               // 36
    op!("if-le", F22t, None),                               // 37
    op!("if-eqz", F21t, None),                              // 38
    op!("if-nez", F21t, None),                              // 39
    op!("if-ltz", F21t, None),                              // 3a
    op!("if-gez", F21t, None),                              // 3b
    op!("if-gtz", F21t, None),                              // 3c
    op!("if-lez", F21t, None),                              // 3d
    op!("unused-3e", F10x, None),                           // 3e
    op!("unused-3f", F10x, None),                           // 3f
    op!("unused-40", F10x, None),                           // 40
    op!("unused-41", F10x, None),                           // 41
    op!("unused-42", F10x, None),                           // 42
    op!("unused-43", F10x, None),                           // 43
    op!("aget", F23x, None),                                // 44
    op!("aget-wide", F23x, None),                           // 45
    op!("aget-object", F23x, None),                         // 46
    op!("aget-boolean", F23x, None),                        // 47
    op!("aget-byte", F23x, None),                           // 48
    op!("aget-char", F23x, None),                           // 49
    op!("aget-short", F23x, None),                          // 4a
    op!("aput", F23x, None),                                // 4b
    op!("aput-wide", F23x, None),                           // 4c
    op!("aput-object", F23x, None),                         // 4d
    op!("aput-boolean", F23x, None),                        // 4e
    op!("aput-byte", F23x, None),                           // 4f
    op!("aput-char", F23x, None),                           // 50
    op!("aput-short", F23x, None),                          // 51
    op!("iget", F22c, Field),                               // 52
    op!("iget-wide", F22c, Field),                          // 53
    op!("iget-object", F22c, Field),                        // 54
    op!("iget-boolean", F22c, Field),                       // 55
    op!("iget-byte", F22c, Field),                          // 56
    op!("iget-char", F22c, Field),                          // 57
    op!("iget-short", F22c, Field),                         // 58
    op!("iput", F22c, Field),                               // 59
    op!("iput-wide", F22c, Field),                          // 5a
    op!("iput-object", F22c, Field),                        // 5b
    op!("iput-boolean", F22c, Field),                       // 5c
    op!("iput-byte", F22c, Field),                          // 5d
    op!("iput-char", F22c, Field),                          // 5e
    op!("iput-short", F22c, Field),                         // 5f
    op!("sget", F21c, Field),                               // 60
    op!("sget-wide", F21c, Field),                          // 61
    op!("sget-object", F21c, Field),                        // 62
    op!("sget-boolean", F21c, Field),                       // 63
    op!("sget-byte", F21c, Field),                          // 64
    op!("sget-char", F21c, Field),                          // 65
    op!("sget-short", F21c, Field),                         // 66
    op!("sput", F21c, Field),                               // 67
    op!("sput-wide", F21c, Field),                          // 68
    op!("sput-object", F21c, Field),                        // 69
    op!("sput-boolean", F21c, Field),                       // 6a
    op!("sput-byte", F21c, Field),                          // 6b
    op!("sput-char", F21c, Field),                          // 6c
    op!("sput-short", F21c, Field),                         // 6d
    op!("invoke-virtual", F35c, Method),                    // 6e
    op!("invoke-super", F35c, Method),                      // 6f
    op!("invoke-direct", F35c, Method),                     // 70
    op!("invoke-static", F35c, Method),                     // 71
    op!("invoke-interface", F35c, Method),                  // 72
    op!("unused-73", F10x, None),                           // 73
    op!("invoke-virtual/range", F3rc, Method),              // 74
    op!("invoke-super/range", F3rc, Method),                // 75
    op!("invoke-direct/range", F3rc, Method),               // 76
    op!("invoke-static/range", F3rc, Method),               // 77
    op!("invoke-interface/range", F3rc, Method),            // 78
    op!("unused-79", F10x, None),                           // 79
    op!("unused-7a", F10x, None),                           // 7a
    op!("neg-int", F12x, None),                             // 7b
    op!("not-int", F12x, None),                             // 7c
    op!("neg-long", F12x, None),                            // 7d
    op!("not-long", F12x, None),                            // 7e
    op!("neg-float", F12x, None),                           // 7f
    op!("neg-double", F12x, None),                          // 80
    op!("int-to-long", F12x, None),                         // 81
    op!("int-to-float", F12x, None),                        // 82
    op!("int-to-double", F12x, None),                       // 83
    op!("long-to-int", F12x, None),                         // 84
    op!("long-to-float", F12x, None),                       // 85
    op!("long-to-double", F12x, None),                      // 86
    op!("float-to-int", F12x, None),                        // 87
    op!("float-to-long", F12x, None),                       // 88
    op!("float-to-double", F12x, None),                     // 89
    op!("double-to-int", F12x, None),                       // 8a
    op!("double-to-long", F12x, None),                      // 8b
    op!("double-to-float", F12x, None),                     // 8c
    op!("int-to-byte", F12x, None),                         // 8d
    op!("int-to-char", F12x, None),                         // 8e
    op!("int-to-short", F12x, None),                        // 8f
    op!("add-int", F23x, None),                             // 90
    op!("sub-int", F23x, None),                             // 91
    op!("mul-int", F23x, None),                             // 92
    op!("div-int", F23x, None),                             // 93
    op!("rem-int", F23x, None),                             // 94
    op!("and-int", F23x, None),                             // 95
    op!("or-int", F23x, None),                              // 96
    op!("xor-int", F23x, None),                             // 97
    op!("shl-int", F23x, None),                             // 98
    op!("shr-int", F23x, None),                             // 99
    op!("ushr-int", F23x, None),                            // 9a
    op!("add-long", F23x, None),                            // 9b
    op!("sub-long", F23x, None),                            // 9c
    op!("mul-long", F23x, None),                            // 9d
    op!("div-long", F23x, None),                            // 9e
    op!("rem-long", F23x, None),                            // 9f
    op!("and-long", F23x, None),                            // a0
    op!("or-long", F23x, None),                             // a1
    op!("xor-long", F23x, None),                            // a2
    op!("shl-long", F23x, None),                            // a3
    op!("shr-long", F23x, None),                            // a4
    op!("ushr-long", F23x, None),                           // a5
    op!("add-float", F23x, None),                           // a6
    op!("sub-float", F23x, None),                           // a7
    op!("mul-float", F23x, None),                           // a8
    op!("div-float", F23x, None),                           // a9
    op!("rem-float", F23x, None),                           // aa
    op!("add-double", F23x, None),                          // ab
    op!("sub-double", F23x, None),                          // ac
    op!("mul-double", F23x, None),                          // ad
    op!("div-double", F23x, None),                          // ae
    op!("rem-double", F23x, None),                          // af
    op!("add-int/2addr", F12x, None),                       // b0
    op!("sub-int/2addr", F12x, None),                       // b1
    op!("mul-int/2addr", F12x, None),                       // b2
    op!("div-int/2addr", F12x, None),                       // b3
    op!("rem-int/2addr", F12x, None),                       // b4
    op!("and-int/2addr", F12x, None),                       // b5
    op!("or-int/2addr", F12x, None),                        // b6
    op!("xor-int/2addr", F12x, None),                       // b7
    op!("shl-int/2addr", F12x, None),                       // b8
    op!("shr-int/2addr", F12x, None),                       // b9
    op!("ushr-int/2addr", F12x, None),                      // ba
    op!("add-long/2addr", F12x, None),                      // bb
    op!("sub-long/2addr", F12x, None),                      // bc
    op!("mul-long/2addr", F12x, None),                      // bd
    op!("div-long/2addr", F12x, None),                      // be
    op!("rem-long/2addr", F12x, None),                      // bf
    op!("and-long/2addr", F12x, None),                      // c0
    op!("or-long/2addr", F12x, None),                       // c1
    op!("xor-long/2addr", F12x, None),                      // c2
    op!("shl-long/2addr", F12x, None),                      // c3
    op!("shr-long/2addr", F12x, None),                      // c4
    op!("ushr-long/2addr", F12x, None),                     // c5
    op!("add-float/2addr", F12x, None),                     // c6
    op!("sub-float/2addr", F12x, None),                     // c7
    op!("mul-float/2addr", F12x, None),                     // c8
    op!("div-float/2addr", F12x, None),                     // c9
    op!("rem-float/2addr", F12x, None),                     // ca
    op!("add-double/2addr", F12x, None),                    // cb
    op!("sub-double/2addr", F12x, None),                    // cc
    op!("mul-double/2addr", F12x, None),                    // cd
    op!("div-double/2addr", F12x, None),                    // ce
    op!("rem-double/2addr", F12x, None),                    // cf
    op!("add-int/lit16", F22s, None),                       // d0
    op!("rsub-int", F22s, None),                            // d1
    op!("mul-int/lit16", F22s, None),                       // d2
    op!("div-int/lit16", F22s, None),                       // d3
    op!("rem-int/lit16", F22s, None),                       // d4
    op!("and-int/lit16", F22s, None),                       // d5
    op!("or-int/lit16", F22s, None),                        // d6
    op!("xor-int/lit16", F22s, None),                       // d7
    op!("add-int/lit8", F22b, None),                        // d8
    op!("rsub-int/lit8", F22b, None),                       // d9
    op!("mul-int/lit8", F22b, None),                        // da
    op!("div-int/lit8", F22b, None),                        // db
    op!("rem-int/lit8", F22b, None),                        // dc
    op!("and-int/lit8", F22b, None),                        // dd
    op!("or-int/lit8", F22b, None),                         // de
    op!("xor-int/lit8", F22b, None),                        // df
    op!("shl-int/lit8", F22b, None),                        // e0
    op!("shr-int/lit8", F22b, None),                        // e1
    op!("ushr-int/lit8", F22b, None),                       // e2
    op!("unused-e3", F10x, None),                           // e3
    op!("unused-e4", F10x, None),                           // e4
    op!("unused-e5", F10x, None),                           // e5
    op!("unused-e6", F10x, None),                           // e6
    op!("unused-e7", F10x, None),                           // e7
    op!("unused-e8", F10x, None),                           // e8
    op!("unused-e9", F10x, None),                           // e9
    op!("unused-ea", F10x, None),                           // ea
    op!("unused-eb", F10x, None),                           // eb
    op!("unused-ec", F10x, None),                           // ec
    op!("unused-ed", F10x, None),                           // ed
    op!("unused-ee", F10x, None),                           // ee
    op!("unused-ef", F10x, None),                           // ef
    op!("unused-f0", F10x, None),                           // f0
    op!("unused-f1", F10x, None),                           // f1
    op!("unused-f2", F10x, None),                           // f2
    op!("unused-f3", F10x, None),                           // f3
    op!("unused-f4", F10x, None),                           // f4
    op!("unused-f5", F10x, None),                           // f5
    op!("unused-f6", F10x, None),                           // f6
    op!("unused-f7", F10x, None),                           // f7
    op!("unused-f8", F10x, None),                           // f8
    op!("unused-f9", F10x, None),                           // f9
    op!("invoke-polymorphic", F45cc, MethodAndProto),       // fa
    op!("invoke-polymorphic/range", F4rcc, MethodAndProto), // fb
    op!("invoke-custom", F35c, CallSite),                   // fc
    op!("invoke-custom/range", F3rc, CallSite),             // fd
    op!("const-method-handle", F21c, MethodHandle),         // fe
    op!("const-method-type", F21c, Proto),                  // ff
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spot_checks() {
        assert_eq!(op_info(0x6e).name, "invoke-virtual");
        assert_eq!(op_info(0x6e).width(), 3);
        assert_eq!(op_info(0x18).width(), 5);
        assert_eq!(op_info(0x1b).width(), 3);
        assert_eq!(op_info(0xfa).width(), 4);
        assert_eq!(op_info(0xfb).index, IndexKind::MethodAndProto);
        assert_eq!(op_info(0xfc).index, IndexKind::CallSite);
        assert_eq!(op_info(0xfe).index, IndexKind::MethodHandle);
        assert_eq!(op_info(0xff).index, IndexKind::Proto);
        assert_eq!(op_info(0x66).name, "sget-short");
        assert_eq!(op_info(0xe2).name, "ushr-int/lit8");
        assert_eq!(op_info(0xd1).name, "rsub-int");
        assert!(OPS.iter().all(|o| (1..=5).contains(&o.width())));
    }
}
