//! resources.arsc: parse, then look resources up by id and by name.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pipa_android::arsc;
use pipa_core::AnomalySink;

fuzz_target!(|data: &[u8]| {
    let mut sink = AnomalySink::default();
    let Ok(table) = arsc::parse_arsc(data, "resources.arsc", &mut sink) else {
        return;
    };
    let _ = table.string_count();
    let mut ids = vec![0, u32::MAX, 0x7f01_0000, 0x0101_0000];
    for (pkg, _) in table.packages() {
        for ty in 0..4u32 {
            for entry in 0..4u32 {
                ids.push((pkg << 24) | (ty << 16) | entry);
            }
        }
    }
    for id in ids {
        let _ = table.name_of(id);
        let _ = table.values(id);
        let _ = table.resolve(id);
        let _ = table.resolve_string(id);
        let _ = table.spec_flags(id);
    }
    let _ = table.id_of("string", "app_name");
    let _ = table.id_of("mipmap", "ic_launcher");
});
