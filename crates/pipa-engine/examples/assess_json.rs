//! Prints the assessment of one APK as JSON (a development aid; the CLI is
//! `pipa scan`): `cargo run --release -p pipa-engine --example assess_json -- app.apk`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: assess_json APP.apk");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    let apk = match pipa_android::Apk::parse(&bytes, pipa_core::Limits::default()) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut sink = pipa_core::AnomalySink::default();
    let blobs = apk.read_dex();
    let mut dexes = Vec::new();
    for (name, blob) in &blobs {
        if let Ok(blob) = blob
            && let Ok(ds) = pipa_dex::parse_dex_file(blob, name, &mut sink)
        {
            dexes.extend(ds);
        }
    }
    let index = pipa_dex::CodeIndex::build_parallel(dexes, &mut sink);
    let input = pipa_engine::ScanInput {
        path: path.clone(),
        sha256: String::new(),
        apk: &apk,
        index: &index,
        anomalies: apk.anomalies().0,
        policy: None,
        category: None,
        first_party: Vec::new(),
    };
    let a = pipa_engine::assess(&input, pipa_kb::Kb::embedded());
    match serde_json::to_string_pretty(&a) {
        Ok(s) => {
            println!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}
