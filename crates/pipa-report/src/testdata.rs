//! A hand-made assessment and knowledge base for the renderers' tests.

use pipa_core::{Anomaly, Severity as AnomalySeverity};
use pipa_engine::*;
use pipa_kb::{Kb, PiType, Rule, Source, Status, Text};

fn text(zh: &str, en: &str) -> Text {
    Text {
        zh: zh.into(),
        en: en.into(),
    }
}

/// The 31 item ids of 191, in order.
pub fn ids_191() -> Vec<String> {
    let per_category = [4, 4, 8, 6, 3, 6];
    let mut v = Vec::new();
    for (c, n) in per_category.iter().enumerate() {
        for i in 1..=*n {
            v.push(format!("191-{}.{}", c + 1, i));
        }
    }
    v
}

/// A knowledge base with all 31 items (synthetic texts), PIPL-51 and two PI types.
pub fn kb() -> Kb {
    let mut kb = Kb::default();
    kb.sources.push(Source {
        id: "191".into(),
        title: "App违法违规收集使用个人信息行为认定方法".into(),
        issuer: "国家互联网信息办公室秘书局".into(),
        date: "2019-11-28".into(),
        url: "http://www.cac.gov.cn/2019-12/27/c_1578986455686625.htm".into(),
        read_at: String::new(),
        licence: String::new(),
    });
    kb.sources.push(Source {
        id: "PIPL".into(),
        title: "中华人民共和国个人信息保护法".into(),
        issuer: String::new(),
        date: "2021-08-20".into(),
        url: String::new(),
        read_at: String::new(),
        licence: String::new(),
    });
    for id in ids_191() {
        kb.rules.push(Rule {
            id: id.clone(),
            source: "191".into(),
            category: None,
            title: text(&format!("条目{id}"), &format!("Item {id}")),
            text_zh: format!("认定条文{id}；"),
            gloss_en: format!("Gloss of {id}."),
            verbatim: true,
            status: Status::Verified,
            evidence: vec![],
            check: Some(text("检查权限", "Checks permissions")),
            manual: Some(text("人工查看界面", "Look at the UI")),
            remediation: Some(text("在首次运行时征得同意", "Ask for consent at first run")),
            related: vec![],
        });
    }
    kb.rules.push(Rule {
        id: "PIPL-51".into(),
        source: "PIPL".into(),
        category: None,
        title: text("安全保护义务", "Security measures"),
        text_zh: "个人信息处理者应当……采取相应的加密、去标识化等安全技术措施".into(),
        gloss_en: "Handlers must take security measures.".into(),
        verbatim: false,
        status: Status::Partial,
        evidence: vec![],
        check: None,
        manual: None,
        remediation: None,
        related: vec![],
    });
    for (id, zh, en) in [
        ("location", "位置信息", "Location"),
        ("device_id", "设备标识符", "Device identifiers"),
        ("sms", "短信", "SMS"),
    ] {
        kb.pi_types.push(PiType {
            id: id.into(),
            name: text(zh, en),
            sensitive: id == "location",
            weight: match id {
                "device_id" => 100,
                "location" => 90,
                _ => 85,
            },
            description: text("", ""),
        });
    }
    kb
}

/// An assessment: 1 violation, 2 risks, 1 manual, 1 not applicable, 26 passes.
pub fn sample() -> Assessment {
    let findings = vec![
        Finding {
            id: "policy.none".into(),
            rule_ids: vec!["191-1.1".into()],
            verdict: Verdict::Risk,
            severity: Severity::High,
            title: text("未发现隐私政策", "No privacy policy found"),
            description: text(
                "安装包中没有隐私政策。",
                "The package has no privacy policy.",
            ),
            evidence: vec![Evidence::Note {
                text: text("未找到隐私政策文件或链接", "No policy file or URL found"),
            }],
            remediation: text(
                "在首次运行时展示隐私政策。",
                "Show a privacy policy at first run.",
            ),
        },
        Finding {
            id: "perm.dangerous".into(),
            rule_ids: vec!["191-3.1".into()],
            verdict: Verdict::Risk,
            severity: Severity::High,
            title: text("申请危险权限", "Dangerous permissions requested"),
            description: text("应用申请读取短信。", "The app asks to read SMS."),
            evidence: vec![
                Evidence::Manifest {
                    element: "uses-permission".into(),
                    name: Some("android.permission.READ_SMS".into()),
                    detail: None,
                },
                Evidence::Code {
                    api: "android.location.LocationManager.getLastKnownLocation".into(),
                    caller: "Lcom/x/Y;->m()V".into(),
                    dex: "classes.dex".into(),
                    offset: 0x12,
                    subject: "app".into(),
                },
            ],
            remediation: text("征得同意后再申请。", "Ask only after consent."),
        },
        Finding {
            id: "perm.purpose".into(),
            rule_ids: vec!["191-2.3".into()],
            verdict: Verdict::Manual,
            severity: Severity::Medium,
            title: text("权限需说明目的", "Permissions need a stated purpose"),
            description: text("", "Check the purpose statements."),
            evidence: vec![Evidence::Manifest {
                element: "uses-permission".into(),
                name: Some("android.permission.READ_SMS".into()),
                detail: None,
            }],
            remediation: text("逐项说明目的。", "State each purpose."),
        },
        Finding {
            id: "perm.legacy_target".into(),
            rule_ids: vec!["191-3.3".into()],
            verdict: Verdict::Violation,
            severity: Severity::High,
            title: text("目标版本低于23", "targetSdkVersion below 23"),
            description: text(
                "安装即授予危险权限。",
                "Dangerous permissions granted at install.",
            ),
            evidence: vec![Evidence::Manifest {
                element: "uses-sdk".into(),
                name: None,
                detail: Some("android:targetSdkVersion=\"22\"".into()),
            }],
            remediation: text(
                "将 targetSdkVersion 提高到 23 以上。",
                "Raise targetSdkVersion to 23+.",
            ),
        },
        Finding {
            id: "sec.allow_backup".into(),
            rule_ids: vec!["PIPL-51".into()],
            verdict: Verdict::Risk,
            severity: Severity::Low,
            title: text("允许备份", "allowBackup is on"),
            description: text("", ""),
            evidence: vec![Evidence::File {
                path: "AndroidManifest.xml".into(),
                detail: Some("android:allowBackup=\"true\"".into()),
            }],
            remediation: text("关闭备份。", "Turn backup off."),
        },
        Finding {
            id: "before_consent.app".into(),
            rule_ids: vec!["191-3.1".into()],
            verdict: Verdict::Risk,
            severity: Severity::High,
            title: text(
                "启动即可能收集个人信息（同意前）",
                "PI may be collected at start-up",
            ),
            description: text(
                "启动路径上读取设备标识。",
                "A device id is read on start-up.",
            ),
            evidence: vec![Evidence::Chain {
                entry: "application".into(),
                component: "com.example.app.App".into(),
                steps: vec![
                    "Lcom/example/app/App;->onCreate()V".into(),
                    "Lcom/example/app/App$1;->run()V".into(),
                ],
                hops: vec!["async".into()],
                target: "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;"
                    .into(),
                dex: "classes.dex".into(),
                offset: 6,
                subject: "app".into(),
                gated: false,
            }],
            remediation: text("同意后再读取。", "Read it after consent."),
        },
    ];
    let items = ids_191()
        .into_iter()
        .map(|id| {
            let (verdict, findings, note) = match id.as_str() {
                "191-1.1" => (Verdict::Risk, vec![0], None),
                "191-3.1" => (Verdict::Risk, vec![1], None),
                "191-2.3" => (Verdict::Manual, vec![2], None),
                "191-3.3" => (Verdict::Violation, vec![3], None),
                "191-6.6" => (
                    Verdict::NotApplicable,
                    vec![],
                    Some(text("无账号功能", "No accounts")),
                ),
                _ => (Verdict::Pass, vec![], None),
            };
            ItemResult {
                id,
                verdict,
                findings,
                note,
                statements: Vec::new(),
                by_statement: false,
                declared: None,
            }
        })
        .collect();
    Assessment {
        schema: SCHEMA,
        scanned_at: "2026-01-01T00:00:00Z".into(),
        tool: Tool {
            name: "pipa".into(),
            version: "0.1.0".into(),
            kb_version: "0+kb.0".into(),
        },
        input: Input {
            path: "app.apk".into(),
            sha256: "ab".repeat(32),
            kind: "apk".into(),
            signers: vec![pipa_engine::SignerCert {
                schemes: vec!["v1".into(), "v2".into()],
                sha256: "cd".repeat(32),
                subject: Some("CN=Example Dev, O=Example Co, C=CN".into()),
            }],
        },
        app: AppInfo {
            platform: "android".into(),
            id: "com.example.app".into(),
            name: Some("示例".into()),
            version_name: Some("1.2".into()),
            version_code: Some(12),
            min_sdk: 21,
            target_sdk: 22,
            first_party: vec!["com.example.*".into()],
            first_party_basis: Vec::new(),
        },
        reachability: Default::default(),
        coverage: Default::default(),
        answers: None,
        baseline: None,
        permissions: vec![PermissionUse {
            name: "android.permission.READ_SMS".into(),
            pi_types: vec!["sms".into()],
            dangerous: true,
            protection: "dangerous".into(),
            max_sdk: None,
        }],
        api_uses: vec![
            ApiUse {
                api: "android.location.LocationManager.getLastKnownLocation".into(),
                api_id: "location.last_known".into(),
                pi_type: "location".into(),
                caller: "Lcom/x/Y;->m()V".into(),
                dex: "classes.dex".into(),
                offset: 0x12,
                subject: "app".into(),
                reach: SiteReach::Live,
                permission: SitePermission::Declared,
                effect: pipa_engine::SiteEffect::Collects,
            },
            ApiUse {
                api: "android.telephony.TelephonyManager.getDeviceId".into(),
                api_id: "telephony.get_device_id".into(),
                pi_type: "device_id".into(),
                caller: "Lcom/umeng/A;->b()V".into(),
                dex: "classes2.dex".into(),
                offset: 4,
                subject: "sdk:umeng".into(),
                reach: SiteReach::Live,
                permission: SitePermission::Declared,
                effect: pipa_engine::SiteEffect::Collects,
            },
        ],
        sdks: vec![],
        policy: None,
        category: None,
        items,
        findings,
        priorities: Vec::new(),
        caveats: Vec::new(),
        anomalies: vec![Anomaly::new(
            "zip.junk_prefix",
            AnomalySeverity::Warning,
            "app.apk",
            "16 bytes before the first entry",
        )],
        timings: TimingSummary::default(),
    }
}

/// [`sample`] with three SDKs: Umeng analytics (high, initialized, compliant
/// init used), JPush (medium, not initialized, observes a type its vendor does
/// not declare, compliant init not used, catalogue entry unverified) and
/// Pangle (low: a host string only).
pub fn with_sdks() -> Assessment {
    let mut a = sample();
    a.sdks = vec![
        SdkUse {
            id: "umeng.analytics".into(),
            name: text("友盟统计", "Umeng Analytics"),
            vendor: text("友盟同欣（北京）科技有限公司", "Umeng+"),
            category: "analytics".into(),
            category_name: text("统计分析", "Analytics"),
            confidence: "high".into(),
            presence: "code".into(),
            score: 0.99,
            version: Some("9.4.7".into()),
            initialized: true,
            startup: None,
            init_evidence: vec![Evidence::Code {
                api: "Lcom/umeng/commonsdk/UMConfigure;->init".into(),
                caller: "Lcom/example/app/App;->onCreate()V".into(),
                dex: "classes.dex".into(),
                offset: 0x20,
                subject: "app".into(),
            }],
            classes: 210,
            collects: vec!["device_id".into(), "location".into()],
            observed_pi: vec!["device_id".into()],
            api_sites: 1,
            compliant_init: vec![CompliantInitUse {
                api: "Lcom/umeng/commonsdk/UMConfigure;->preInit".into(),
                role: pipa_kb::InitRole::PreInit,
                agrees_with_true: false,
                used: true,
                at_startup: Some("ungated".into()),
                description: text("同意前预初始化", "Pre-initialise before consent"),
            }],
            compliant_init_used: Some(true),
            no_compliant_init: false,
            compliance_guide: None,
            website: Some("https://www.umeng.com".into()),
            privacy_policy: Some("https://www.umeng.com/page/policy".into()),
            catalogue_status: None,
            evidence: vec![
                Evidence::Package {
                    prefix: "com.umeng.analytics".into(),
                    classes: 210,
                    examples: vec!["com.umeng.analytics.MobclickAgent".into()],
                },
                Evidence::Manifest {
                    element: "meta-data".into(),
                    name: Some("UMENG_APPKEY".into()),
                    detail: None,
                },
            ],
        },
        SdkUse {
            id: "jiguang.jpush".into(),
            name: text("极光推送", "JPush"),
            vendor: text(
                "深圳市和讯华谷信息技术有限公司（极光）",
                "Aurora Mobile (Jiguang)",
            ),
            category: "push".into(),
            category_name: text("推送", "Push"),
            confidence: "medium".into(),
            presence: "code".into(),
            score: 0.7,
            version: None,
            initialized: false,
            startup: None,
            init_evidence: vec![],
            classes: 12,
            collects: vec!["device_id".into()],
            observed_pi: vec!["device_id".into(), "location".into()],
            api_sites: 3,
            compliant_init: vec![CompliantInitUse {
                api: "Lcn/jpush/android/api/JPushInterface;->setAuth".into(),
                role: pipa_kb::InitRole::Consent,
                agrees_with_true: true,
                used: false,
                at_startup: None,
                description: text("用户同意后再授权", "Authorise after consent"),
            }],
            compliant_init_used: Some(false),
            no_compliant_init: false,
            compliance_guide: None,
            website: None,
            privacy_policy: Some("https://www.jiguang.cn/license/privacy".into()),
            catalogue_status: Some("unverified".into()),
            evidence: vec![Evidence::Manifest {
                element: "service".into(),
                name: Some("cn.jpush.android.service.PushService".into()),
                detail: None,
            }],
        },
        SdkUse {
            id: "bytedance.pangle".into(),
            name: text("穿山甲", "Pangle"),
            vendor: text("北京巨量引擎网络技术有限公司", "Ocean Engine"),
            category: "ads".into(),
            category_name: text("广告", "Advertising"),
            confidence: "low".into(),
            presence: "traces_only".into(),
            score: 0.2,
            version: None,
            initialized: false,
            startup: None,
            init_evidence: vec![],
            classes: 0,
            collects: vec!["device_id".into(), "location".into()],
            observed_pi: vec![],
            api_sites: 0,
            compliant_init: vec![],
            compliant_init_used: None,
            no_compliant_init: false,
            compliance_guide: None,
            website: None,
            privacy_policy: None,
            catalogue_status: None,
            evidence: vec![Evidence::String {
                value: "https://api-access.pangle.io".into(),
                locations: vec!["Lcom/example/app/Ads;->load()V".into()],
            }],
        },
    ];
    a
}

/// The long terminal form (`pipa scan --details`).
pub fn terminal_long(a: &Assessment, lang: crate::Lang) -> String {
    crate::terminal_with(
        a,
        &kb(),
        crate::TerminalOptions {
            lang,
            details: true,
            ..crate::TerminalOptions::default()
        },
    )
}
