//! The terminal rendering of `pipa inspect`: Chinese labels first, English beside.

use crate::inspect::InspectReport;
use pipa_android::manifest::{Component, ComponentKind, IntentFilter};
use pipa_scan::mib;
use std::fmt::Write;

/// Renders the report as a human summary.
pub fn text(r: &InspectReport) -> String {
    let mut s = String::new();
    let m = &r.manifest;
    let _ = writeln!(
        s,
        "文件 File          {}  ({}, sha256 {})",
        r.file.path,
        mib(r.file.size),
        r.file.sha256
    );
    let _ = writeln!(s, "包名 Package       {}", m.package);
    let _ = writeln!(
        s,
        "名称 Label         {}",
        m.label.as_deref().unwrap_or("—")
    );
    let _ = writeln!(
        s,
        "版本 Version       {} ({})",
        m.version_name.as_deref().unwrap_or("—"),
        m.version_code
            .map(|v| v.to_string())
            .as_deref()
            .unwrap_or("—")
    );
    let _ = writeln!(
        s,
        "SDK                min {} · target {}{}{}",
        m.min_sdk,
        m.target_sdk,
        m.max_sdk.map(|v| format!(" · max {v}")).unwrap_or_default(),
        m.compile_sdk
            .map(|v| format!(" · compile {v}"))
            .unwrap_or_default()
    );
    let schemes = if r.signing.schemes.is_empty() {
        "无 none (unsigned)".to_string()
    } else {
        r.signing.schemes.join(", ")
    };
    let _ = writeln!(s, "签名 Signing       {schemes}");
    for c in &r.signing.certificates_sha256 {
        let _ = writeln!(s, "                   cert sha256 {c}");
    }
    let _ = writeln!(
        s,
        "应用类 App class   {}",
        m.application_class.as_deref().unwrap_or("—")
    );
    if let Some(p) = &m.process {
        let _ = writeln!(s, "进程 Process       {p}");
    }
    let f = &m.flags;
    let _ = writeln!(
        s,
        "标志 Flags         debuggable={} allowBackup={} usesCleartextTraffic={}{} networkSecurityConfig={}{}",
        f.debuggable,
        f.allow_backup,
        f.uses_cleartext_traffic,
        if f.uses_cleartext_traffic_explicit {
            ""
        } else {
            " (default)"
        },
        f.network_security_config.as_deref().unwrap_or("—"),
        if f.test_only { " testOnly=true" } else { "" }
    );
    if let Some(n) = &r.network_security_config {
        let _ = writeln!(
            s,
            "                   base cleartext={} trust={} domain-configs={}{}",
            n.base_cleartext_permitted
                .map(|b| b.to_string())
                .as_deref()
                .unwrap_or("—"),
            if n.base_trust_anchors.is_empty() {
                "—".to_string()
            } else {
                n.base_trust_anchors.join("+")
            },
            n.domain_configs.len(),
            if n.trusts_user_cas() {
                " · 信任用户证书 trusts user CAs"
            } else {
                ""
            }
        );
    }

    let _ = writeln!(s, "\n权限 Permissions ({})", m.permissions.len());
    for p in &m.permissions {
        let _ = writeln!(
            s,
            "  {}{}{}",
            p.name,
            p.max_sdk
                .map(|v| format!("  maxSdkVersion={v}"))
                .unwrap_or_default(),
            if p.sdk23 {
                "  (uses-permission-sdk-23)"
            } else {
                ""
            }
        );
    }
    if !m.declared_permissions.is_empty() {
        let _ = writeln!(
            s,
            "\n自定义权限 Declared permissions ({})",
            m.declared_permissions.len()
        );
        for p in &m.declared_permissions {
            let _ = writeln!(s, "  {}  [{}]", p.name, p.protection_level);
        }
    }

    let count = |k| m.components_of(k).count();
    let exported = m.components.iter().filter(|c| c.exported).count();
    let _ = writeln!(
        s,
        "\n组件 Components: {} activities, {} aliases, {} services, {} receivers, {} providers; {} exported 导出",
        count(ComponentKind::Activity),
        count(ComponentKind::ActivityAlias),
        count(ComponentKind::Service),
        count(ComponentKind::Receiver),
        count(ComponentKind::Provider),
        exported
    );
    for c in &m.components {
        component(&mut s, c);
    }

    if !m.meta_data.is_empty() {
        let _ = writeln!(s, "\n元数据 Meta-data ({})", m.meta_data.len());
        for md in &m.meta_data {
            let _ = writeln!(s, "  {} = {}", md.name, md.value.as_deref().unwrap_or("—"));
        }
    }
    let q = &m.queries;
    if !(q.packages.is_empty() && q.intents.is_empty() && q.providers.is_empty()) {
        let _ = writeln!(s, "\n可见性查询 Queries");
        for p in &q.packages {
            let _ = writeln!(s, "  package {p}");
        }
        for i in &q.intents {
            let _ = writeln!(s, "  intent {}", filter_line(i));
        }
        for p in &q.providers {
            let _ = writeln!(s, "  provider {p}");
        }
    }
    if !m.features.is_empty() {
        let _ = writeln!(s, "\n硬件特性 Features: {}", m.features.join(", "));
    }

    let nlibs: usize = r.native_libs.values().map(Vec::len).sum();
    let _ = writeln!(s, "\n原生库 Native libraries ({nlibs})");
    for (abi, libs) in &r.native_libs {
        let names: Vec<&str> = libs.iter().map(|l| l.name.as_str()).collect();
        let _ = writeln!(s, "  {abi}: {}", names.join(", "));
    }
    let _ = writeln!(s, "\n资源文件 Assets ({})", r.assets.len());
    for a in r.assets.iter().take(50) {
        let _ = writeln!(s, "  {a}");
    }
    if r.assets.len() > 50 {
        let _ = writeln!(
            s,
            "  … {} more (--format json lists all)",
            r.assets.len() - 50
        );
    }
    if !r.other_code.is_empty() {
        let _ = writeln!(
            s,
            "\n其他代码文件 Other code files (not loaded by the runtime)"
        );
        for a in &r.other_code {
            let _ = writeln!(s, "  {a}");
        }
    }

    let _ = writeln!(s, "\nDEX ({})", r.dex.len());
    for d in &r.dex {
        match &d.error {
            Some(e) => {
                let _ = writeln!(s, "  {:<14} 损坏 damaged: {e}", d.name);
            }
            None => {
                let _ = writeln!(
                    s,
                    "  {:<14} v{:03} {:>7} classes {:>8} methods {:>8} with code {:>9} invokes  {}{}",
                    d.name,
                    d.version,
                    d.classes,
                    d.method_ids,
                    d.methods_with_code,
                    d.invokes,
                    mib(d.size),
                    if d.checksum_ok { "" } else { "  checksum ✗" }
                );
            }
        }
    }
    let _ = writeln!(
        s,
        "  code index: {} invoke, {} const-string, {} sget, {} new-instance sites",
        r.code_index.invoke_sites,
        r.code_index.const_string_sites,
        r.code_index.sget_sites,
        r.code_index.new_instance_sites
    );

    let _ = writeln!(s, "\n异常 Anomalies ({})", r.anomalies.len());
    for a in &r.anomalies {
        let _ = writeln!(s, "  {a}");
    }
    if r.anomalies_dropped > 0 {
        let _ = writeln!(s, "  … {} more not kept", r.anomalies_dropped);
    }
    s
}

fn component(s: &mut String, c: &Component) {
    let exported = if c.exported {
        format!("exported({:?})", c.exported_reason).to_lowercase()
    } else {
        "not exported".to_string()
    };
    let mut extras = Vec::new();
    if !c.enabled {
        extras.push("disabled".to_string());
    }
    if let Some(p) = &c.permission {
        extras.push(format!("permission={p}"));
    }
    if let Some(p) = &c.read_permission {
        extras.push(format!("readPermission={p}"));
    }
    if let Some(p) = &c.write_permission {
        extras.push(format!("writePermission={p}"));
    }
    if !c.authorities.is_empty() {
        extras.push(format!("authorities={}", c.authorities.join(";")));
    }
    if let Some(p) = &c.process {
        extras.push(format!("process={p}"));
    }
    if let Some(t) = &c.target_activity {
        extras.push(format!("target={t}"));
    }
    let _ = writeln!(
        s,
        "  {:<9} {}  {}{}{}",
        c.kind.tag(),
        c.name,
        exported,
        if extras.is_empty() { "" } else { "  " },
        extras.join(" ")
    );
    for f in &c.intent_filters {
        let _ = writeln!(s, "      filter {}", filter_line(f));
    }
    for md in &c.meta_data {
        let _ = writeln!(
            s,
            "      meta {} = {}",
            md.name,
            md.value.as_deref().unwrap_or("—")
        );
    }
}

fn filter_line(f: &IntentFilter) -> String {
    let mut parts = Vec::new();
    if !f.actions.is_empty() {
        parts.push(format!("action {}", f.actions.join(", ")));
    }
    if !f.categories.is_empty() {
        parts.push(format!("category {}", f.categories.join(", ")));
    }
    let schemes: Vec<&str> = f.schemes().collect();
    if !schemes.is_empty() {
        parts.push(format!("scheme {}", schemes.join(", ")));
    }
    for d in &f.data {
        let rest: Vec<String> = d
            .fields
            .iter()
            .filter(|(k, _)| k.as_str() != "scheme")
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if !rest.is_empty() {
            parts.push(rest.join(" "));
        }
    }
    if let Some(p) = f.priority {
        parts.push(format!("priority {p}"));
    }
    parts.join("; ")
}
