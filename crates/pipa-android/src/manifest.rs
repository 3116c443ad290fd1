//! The AndroidManifest.xml model: what the package declares, with every
//! reference resolved through resources.arsc and every default applied the way
//! the platform applies it.

use crate::axml::{Element, Value, XmlDocument};
use crate::resolve::Resolver;
use pipa_core::{AnomalySink, Severity};
use serde::Serialize;

/// The component kinds of an Android application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComponentKind {
    /// `<activity>`
    Activity,
    /// `<activity-alias>`
    ActivityAlias,
    /// `<service>`
    Service,
    /// `<receiver>`
    Receiver,
    /// `<provider>`
    Provider,
}

impl ComponentKind {
    fn from_tag(tag: &str) -> Option<Self> {
        Some(match tag {
            "activity" => ComponentKind::Activity,
            "activity-alias" => ComponentKind::ActivityAlias,
            "service" => ComponentKind::Service,
            "receiver" => ComponentKind::Receiver,
            "provider" => ComponentKind::Provider,
            _ => return None,
        })
    }

    /// The manifest tag of this kind.
    pub fn tag(self) -> &'static str {
        match self {
            ComponentKind::Activity => "activity",
            ComponentKind::ActivityAlias => "activity-alias",
            ComponentKind::Service => "service",
            ComponentKind::Receiver => "receiver",
            ComponentKind::Provider => "provider",
        }
    }
}

/// Why a component is (or is not) reachable by other apps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExportedReason {
    /// `android:exported` is set.
    Explicit,
    /// Not set, and the component has an intent filter (exported by default before API 31).
    IntentFilter,
    /// Not set, no intent filter: not exported.
    Default,
    /// A provider in an app targeting API 16 or lower: exported by default.
    LegacyProvider,
}

/// One `<uses-permission>` / `<uses-permission-sdk-23>` element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsesPermission {
    /// Permission name, e.g. `android.permission.READ_PHONE_STATE`.
    pub name: String,
    /// `android:maxSdkVersion`, when given.
    pub max_sdk: Option<i64>,
    /// True for `<uses-permission-sdk-23>` (requested on API 23+ only).
    pub sdk23: bool,
    /// `android:usesPermissionFlags` (e.g. neverForLocation = 0x10000), when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flags: Option<i64>,
}

/// A `<permission>` the app defines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PermissionDecl {
    /// Permission name.
    pub name: String,
    /// `android:protectionLevel` as text (`normal`, `dangerous`, `signature`, …).
    pub protection_level: String,
}

/// `<meta-data>`: name and value (resolved through resources where it is a reference).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetaData {
    /// `android:name`.
    pub name: String,
    /// The resolved `android:value`, or for `android:resource` the resource's name/path.
    pub value: Option<String>,
    /// `android:resource` as `@type/name` when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
}

/// `<data>` of an intent filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IntentData {
    /// Fields as given (`scheme`, `host`, `port`, `path`, `pathPrefix`, `pathPattern`, `mimeType`).
    #[serde(flatten)]
    pub fields: std::collections::BTreeMap<String, String>,
}

/// One `<intent-filter>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IntentFilter {
    /// `<action android:name>` values.
    pub actions: Vec<String>,
    /// `<category android:name>` values.
    pub categories: Vec<String>,
    /// `<data>` elements.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<IntentData>,
    /// `android:priority` when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
}

impl IntentFilter {
    /// The URL schemes of this filter's `<data>` elements.
    pub fn schemes(&self) -> impl Iterator<Item = &str> {
        self.data
            .iter()
            .filter_map(|d| d.fields.get("scheme").map(String::as_str))
    }
}

/// An activity, alias, service, receiver or provider.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Component {
    /// Kind of component.
    pub kind: ComponentKind,
    /// Fully qualified class name (relative names expanded with the package).
    pub name: String,
    /// Whether other apps can reach it.
    pub exported: bool,
    /// Why [`Self::exported`] has its value.
    pub exported_reason: ExportedReason,
    /// `android:enabled` (default true).
    pub enabled: bool,
    /// `android:permission` (required of callers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permission: Option<String>,
    /// Provider `android:readPermission`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_permission: Option<String>,
    /// Provider `android:writePermission`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub write_permission: Option<String>,
    /// Provider authorities (`;`-separated in the manifest).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authorities: Vec<String>,
    /// Provider `android:grantUriPermissions`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant_uri_permissions: Option<bool>,
    /// `android:process` (the application's process when not set).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub process: Option<String>,
    /// Activity-alias `android:targetActivity`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_activity: Option<String>,
    /// Service `android:foregroundServiceType` as given (flags) when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub foreground_service_type: Option<i64>,
    /// `android:directBootAware`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub direct_boot_aware: bool,
    /// Intent filters.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub intent_filters: Vec<IntentFilter>,
    /// `<meta-data>` children.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub meta_data: Vec<MetaData>,
}

/// `<queries>`: what the app asks to see of other apps (package visibility, API 30+).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Queries {
    /// `<package android:name>`.
    pub packages: Vec<String>,
    /// `<intent>` elements.
    pub intents: Vec<IntentFilter>,
    /// `<provider android:authorities>`.
    pub providers: Vec<String>,
}

impl Queries {
    fn is_empty(&self) -> bool {
        self.packages.is_empty() && self.intents.is_empty() && self.providers.is_empty()
    }
}

/// Flags of `<application>` that matter for personal-information protection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppFlags {
    /// `android:debuggable` (default false).
    pub debuggable: bool,
    /// `android:allowBackup` (default true).
    pub allow_backup: bool,
    /// `android:usesCleartextTraffic`: explicit value, else the platform default
    /// (true when targetSdk < 28).
    pub uses_cleartext_traffic: bool,
    /// Whether `usesCleartextTraffic` was set explicitly.
    pub uses_cleartext_traffic_explicit: bool,
    /// `android:networkSecurityConfig` resolved to a path (e.g. `res/xml/network_security_config.xml`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_security_config: Option<String>,
    /// `android:requestLegacyExternalStorage`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_legacy_external_storage: Option<bool>,
    /// `android:extractNativeLibs`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extract_native_libs: Option<bool>,
    /// `android:testOnly`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub test_only: bool,
}

/// The decoded manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Manifest {
    /// `package`.
    pub package: String,
    /// `android:versionCode` (with `versionCodeMajor` in the high 32 bits).
    pub version_code: Option<i64>,
    /// `android:versionName` (resolved).
    pub version_name: Option<String>,
    /// `<uses-sdk android:minSdkVersion>` (default 1).
    pub min_sdk: i64,
    /// `<uses-sdk android:targetSdkVersion>` (default: min_sdk).
    pub target_sdk: i64,
    /// `<uses-sdk android:maxSdkVersion>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_sdk: Option<i64>,
    /// `android:compileSdkVersion` on `<manifest>` (newer toolchains).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compile_sdk: Option<i64>,
    /// Application label, resolved through resources.
    pub label: Option<String>,
    /// `<application android:name>` (fully qualified).
    pub application_class: Option<String>,
    /// `<application android:appComponentFactory>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_component_factory: Option<String>,
    /// `<application android:process>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub process: Option<String>,
    /// `android:sharedUserId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shared_user_id: Option<String>,
    /// Application flags.
    pub flags: AppFlags,
    /// Requested permissions, in manifest order.
    pub permissions: Vec<UsesPermission>,
    /// Permissions the app defines.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub declared_permissions: Vec<PermissionDecl>,
    /// `<uses-feature android:name>` (with required=false noted).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
    /// Components in manifest order.
    pub components: Vec<Component>,
    /// `<application>`-level meta-data.
    pub meta_data: Vec<MetaData>,
    /// `<queries>`.
    #[serde(skip_serializing_if = "Queries::is_empty")]
    pub queries: Queries,
}

impl Manifest {
    /// Builds the model from a decoded AXML document; references are resolved with `res`.
    /// Missing or malformed parts become anomalies, not errors, except a root that is
    /// not `<manifest>` at all.
    pub fn from_xml(
        doc: &XmlDocument,
        res: &dyn Resolver,
        sink: &mut AnomalySink,
    ) -> Result<Manifest, String> {
        let root = &doc.root;
        if root.name != "manifest" {
            return Err(format!("root element is <{}>, not <manifest>", root.name));
        }
        let ctx = Ctx { res };
        let package = match root.attr("package").and_then(|a| ctx.text(&a.value)) {
            Some(p) if !p.is_empty() => p,
            _ => {
                sink.add(
                    "manifest.no_package",
                    Severity::Error,
                    "AndroidManifest.xml",
                    "<manifest> has no package attribute",
                );
                String::new()
            }
        };
        let version_code = {
            let minor = ctx.int(root, "versionCode");
            let major = ctx.int(root, "versionCodeMajor");
            match (major, minor) {
                (None, None) => None,
                (major, minor) => {
                    Some((major.unwrap_or(0) << 32) | (minor.unwrap_or(0) & 0xffff_ffff))
                }
            }
        };
        let version_name = ctx.string(root, "versionName");
        let compile_sdk = ctx.int(root, "compileSdkVersion");
        let shared_user_id = ctx.string(root, "sharedUserId");

        let mut min_sdk = None;
        let mut target_sdk = None;
        let mut max_sdk = None;
        for e in root.children_named("uses-sdk") {
            min_sdk = min_sdk.or_else(|| ctx.sdk_level(e, "minSdkVersion"));
            target_sdk = target_sdk.or_else(|| ctx.sdk_level(e, "targetSdkVersion"));
            max_sdk = max_sdk.or_else(|| ctx.int(e, "maxSdkVersion"));
        }
        let min_sdk = min_sdk.unwrap_or(1);
        let target_sdk = target_sdk.unwrap_or(min_sdk);

        let mut permissions = Vec::new();
        let mut declared_permissions = Vec::new();
        let mut features = Vec::new();
        let mut queries = Queries::default();
        for e in &root.children {
            match e.name.as_str() {
                "uses-permission" | "uses-permission-sdk-23" | "uses-permission-sdk-m" => {
                    match ctx.string(e, "name") {
                        Some(name) => permissions.push(UsesPermission {
                            name,
                            max_sdk: ctx.int(e, "maxSdkVersion"),
                            sdk23: e.name != "uses-permission",
                            flags: ctx.int(e, "usesPermissionFlags"),
                        }),
                        None => sink.add(
                            "manifest.nameless",
                            Severity::Warning,
                            format!("AndroidManifest.xml line {}", e.line),
                            format!("<{}> without android:name", e.name),
                        ),
                    }
                }
                "permission" => {
                    if let Some(name) = ctx.string(e, "name") {
                        let level = e
                            .android_attr("protectionLevel")
                            .and_then(|a| match &a.value {
                                Value::Int(v) => Some(protection_level_text(*v as u32)),
                                Value::Hex(v) => Some(protection_level_text(*v)),
                                v => ctx.text(v),
                            })
                            .unwrap_or_else(|| "normal".to_string());
                        declared_permissions.push(PermissionDecl {
                            name,
                            protection_level: level,
                        });
                    }
                }
                "uses-feature" => {
                    if let Some(name) = ctx.string(e, "name") {
                        let required = ctx.bool(e, "required").unwrap_or(true);
                        features.push(if required {
                            name
                        } else {
                            format!("{name} (not required)")
                        });
                    }
                }
                "queries" => read_queries(&ctx, e, &mut queries),
                _ => {}
            }
        }

        let apps: Vec<&Element> = root.children_named("application").collect();
        if apps.len() > 1 {
            sink.add(
                "manifest.multiple_application",
                Severity::Warning,
                "AndroidManifest.xml",
                format!(
                    "{} <application> elements; Android uses the first",
                    apps.len()
                ),
            );
        }
        let mut components = Vec::new();
        let mut meta_data = Vec::new();
        let mut label = None;
        let mut application_class = None;
        let mut app_component_factory = None;
        let mut process = None;
        let mut flags = AppFlags {
            debuggable: false,
            allow_backup: true,
            uses_cleartext_traffic: target_sdk < 28,
            uses_cleartext_traffic_explicit: false,
            network_security_config: None,
            request_legacy_external_storage: None,
            extract_native_libs: None,
            test_only: false,
        };
        if let Some(app) = apps.first() {
            label = ctx.string(app, "label");
            application_class = ctx
                .string(app, "name")
                .map(|n| qualify(&package, &n, sink, app.line));
            app_component_factory = ctx
                .string(app, "appComponentFactory")
                .map(|n| qualify(&package, &n, sink, app.line));
            process = ctx.string(app, "process");
            flags.debuggable = ctx.bool(app, "debuggable").unwrap_or(false);
            flags.allow_backup = ctx.bool(app, "allowBackup").unwrap_or(true);
            if let Some(v) = ctx.bool(app, "usesCleartextTraffic") {
                flags.uses_cleartext_traffic = v;
                flags.uses_cleartext_traffic_explicit = true;
            }
            flags.network_security_config = app
                .android_attr("networkSecurityConfig")
                .and_then(|a| ctx.resource_path(&a.value));
            flags.request_legacy_external_storage = ctx.bool(app, "requestLegacyExternalStorage");
            flags.extract_native_libs = ctx.bool(app, "extractNativeLibs");
            flags.test_only = ctx.bool(app, "testOnly").unwrap_or(false);
            for c in &app.children {
                if c.name == "meta-data" {
                    if let Some(m) = read_meta(&ctx, c) {
                        meta_data.push(m);
                    }
                    continue;
                }
                let Some(kind) = ComponentKind::from_tag(&c.name) else {
                    continue;
                };
                match read_component(&ctx, kind, c, &package, target_sdk, sink) {
                    Some(comp) => components.push(comp),
                    None => sink.add(
                        "manifest.nameless",
                        Severity::Warning,
                        format!("AndroidManifest.xml line {}", c.line),
                        format!("<{}> without android:name", c.name),
                    ),
                }
            }
        } else {
            sink.add(
                "manifest.no_application",
                Severity::Info,
                "AndroidManifest.xml",
                "no <application> element",
            );
        }

        Ok(Manifest {
            package,
            version_code,
            version_name,
            min_sdk,
            target_sdk,
            max_sdk,
            compile_sdk,
            label,
            application_class,
            app_component_factory,
            process,
            shared_user_id,
            flags,
            permissions,
            declared_permissions,
            features,
            components,
            meta_data,
            queries,
        })
    }

    /// Components of one kind.
    pub fn components_of(&self, kind: ComponentKind) -> impl Iterator<Item = &Component> {
        self.components.iter().filter(move |c| c.kind == kind)
    }

    /// Requested permission names, deduplicated, in first-seen order.
    pub fn permission_names(&self) -> Vec<&str> {
        let mut seen = std::collections::HashSet::new();
        self.permissions
            .iter()
            .map(|p| p.name.as_str())
            .filter(|n| seen.insert(*n))
            .collect()
    }
}

/// Resolution of attribute values, with the resources the package carries.
struct Ctx<'r> {
    res: &'r dyn Resolver,
}

impl Ctx<'_> {
    /// Any value as text: strings as they are, references resolved to strings,
    /// numbers in decimal.
    fn text(&self, v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Reference(id) => self
                .res
                .string(*id)
                .or_else(|| Some(format!("@0x{id:08x}"))),
            Value::Int(i) => Some(i.to_string()),
            Value::Hex(h) => Some(format!("0x{h:x}")),
            Value::Bool(b) => Some(b.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Null => None,
            other => Some(format!("{other:?}")),
        }
    }

    fn string(&self, e: &Element, name: &str) -> Option<String> {
        e.android_attr(name).and_then(|a| self.text(&a.value))
    }

    fn int(&self, e: &Element, name: &str) -> Option<i64> {
        let a = e.android_attr(name)?;
        match &a.value {
            Value::Reference(id) => self.res.int(*id),
            Value::String(s) => s.trim().parse().ok(),
            v => v.as_int(),
        }
    }

    /// SDK levels may be codenames ("Q", "Tiramisu") in preview builds: those
    /// count as the next level, which we cannot know; keep None.
    fn sdk_level(&self, e: &Element, name: &str) -> Option<i64> {
        self.int(e, name)
    }

    fn bool(&self, e: &Element, name: &str) -> Option<bool> {
        let a = e.android_attr(name)?;
        match &a.value {
            Value::Reference(id) => self.res.boolean(*id),
            Value::String(s) => match s.trim() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            v => v.as_bool(),
        }
    }

    /// A resource reference as the file path it names (`res/xml/x.xml`), or `@type/name`.
    fn resource_path(&self, v: &Value) -> Option<String> {
        match v {
            Value::Reference(id) => self
                .res
                .string(*id)
                .or_else(|| self.res.name(*id).map(|n| format!("@{n}")))
                .or_else(|| Some(format!("@0x{id:08x}"))),
            Value::String(s) => Some(s.clone()),
            _ => None,
        }
    }
}

fn protection_level_text(v: u32) -> String {
    let base = match v & 0xf {
        0 => "normal",
        1 => "dangerous",
        2 => "signature",
        3 => "signatureOrSystem",
        4 => "internal",
        _ => "unknown",
    };
    let mut s = base.to_string();
    const FLAGS: &[(u32, &str)] = &[
        (0x10, "privileged"),
        (0x20, "development"),
        (0x40, "appop"),
        (0x80, "pre23"),
        (0x100, "installer"),
        (0x200, "verifier"),
        (0x400, "preinstalled"),
        (0x800, "setup"),
        (0x1000, "instant"),
        (0x2000, "runtime"),
        (0x4000, "oem"),
        (0x8000, "vendorPrivileged"),
        (0x10000, "textClassifier"),
    ];
    for (bit, name) in FLAGS {
        if v & bit != 0 {
            s.push('|');
            s.push_str(name);
        }
    }
    s
}

/// Expands a component class name the way PackageParser does: a leading dot or
/// no dot at all means relative to the package.
fn qualify(package: &str, name: &str, sink: &mut AnomalySink, line: u32) -> String {
    let name = name.trim();
    if name.is_empty() {
        sink.add(
            "manifest.empty_class_name",
            Severity::Warning,
            format!("AndroidManifest.xml line {line}"),
            "empty class name",
        );
        return String::new();
    }
    if let Some(rest) = name.strip_prefix('.') {
        format!("{package}.{rest}")
    } else if !name.contains('.') {
        format!("{package}.{name}")
    } else {
        name.to_string()
    }
}

fn read_meta(ctx: &Ctx<'_>, e: &Element) -> Option<MetaData> {
    let name = ctx.string(e, "name")?;
    let resource = e.android_attr("resource").and_then(|a| match &a.value {
        Value::Reference(id) => ctx
            .res
            .name(*id)
            .map(|n| format!("@{n}"))
            .or_else(|| Some(format!("@0x{id:08x}"))),
        Value::String(s) => Some(s.clone()),
        _ => None,
    });
    let value = match e.android_attr("value") {
        Some(a) => ctx.text(&a.value),
        None => e
            .android_attr("resource")
            .and_then(|a| ctx.resource_path(&a.value)),
    };
    Some(MetaData {
        name,
        value,
        resource,
    })
}

fn read_filter(ctx: &Ctx<'_>, e: &Element) -> IntentFilter {
    let mut f = IntentFilter {
        priority: ctx.int(e, "priority"),
        ..IntentFilter::default()
    };
    for c in &e.children {
        match c.name.as_str() {
            "action" => f.actions.extend(ctx.string(c, "name")),
            "category" => f.categories.extend(ctx.string(c, "name")),
            "data" => {
                let mut d = IntentData::default();
                for key in [
                    "scheme",
                    "host",
                    "port",
                    "path",
                    "pathPrefix",
                    "pathPattern",
                    "pathSuffix",
                    "pathAdvancedPattern",
                    "mimeType",
                ] {
                    if let Some(v) = ctx.string(c, key) {
                        d.fields.insert(key.to_string(), v);
                    }
                }
                if !d.fields.is_empty() {
                    f.data.push(d);
                }
            }
            _ => {}
        }
    }
    f
}

fn read_queries(ctx: &Ctx<'_>, e: &Element, q: &mut Queries) {
    for c in &e.children {
        match c.name.as_str() {
            "package" => q.packages.extend(ctx.string(c, "name")),
            "intent" => q.intents.push(read_filter(ctx, c)),
            "provider" => {
                if let Some(a) = ctx.string(c, "authorities") {
                    q.providers
                        .extend(a.split(';').map(str::trim).map(String::from));
                }
            }
            _ => {}
        }
    }
}

fn read_component(
    ctx: &Ctx<'_>,
    kind: ComponentKind,
    e: &Element,
    package: &str,
    target_sdk: i64,
    sink: &mut AnomalySink,
) -> Option<Component> {
    let name = qualify(package, &ctx.string(e, "name")?, sink, e.line);
    let intent_filters: Vec<IntentFilter> = e
        .children_named("intent-filter")
        .map(|f| read_filter(ctx, f))
        .collect();
    let meta_data = e
        .children_named("meta-data")
        .filter_map(|m| read_meta(ctx, m))
        .collect();
    let (exported, exported_reason) = match ctx.bool(e, "exported") {
        Some(v) => (v, ExportedReason::Explicit),
        None if kind == ComponentKind::Provider && target_sdk <= 16 => {
            (true, ExportedReason::LegacyProvider)
        }
        None if !intent_filters.is_empty() && kind != ComponentKind::Provider => {
            if target_sdk >= 31 {
                // Android 12 refuses to install such an app; record it.
                sink.add(
                    "manifest.implicit_export_api31",
                    Severity::Warning,
                    format!("AndroidManifest.xml line {}", e.line),
                    format!(
                        "{name} has intent filters but no android:exported with targetSdk {target_sdk}"
                    ),
                );
            }
            (true, ExportedReason::IntentFilter)
        }
        None => (false, ExportedReason::Default),
    };
    let authorities = if kind == ComponentKind::Provider {
        ctx.string(e, "authorities")
            .map(|a| {
                a.split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    Some(Component {
        kind,
        name,
        exported,
        exported_reason,
        enabled: ctx.bool(e, "enabled").unwrap_or(true),
        permission: ctx.string(e, "permission"),
        read_permission: ctx.string(e, "readPermission"),
        write_permission: ctx.string(e, "writePermission"),
        authorities,
        grant_uri_permissions: ctx.bool(e, "grantUriPermissions"),
        process: ctx.string(e, "process"),
        target_activity: ctx
            .string(e, "targetActivity")
            .map(|t| qualify(package, &t, sink, e.line)),
        foreground_service_type: ctx.int(e, "foregroundServiceType"),
        direct_boot_aware: ctx.bool(e, "directBootAware").unwrap_or(false),
        intent_filters,
        meta_data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualifies_like_package_parser() {
        let mut s = AnomalySink::default();
        assert_eq!(qualify("a.b", ".X", &mut s, 1), "a.b.X");
        assert_eq!(qualify("a.b", "X", &mut s, 1), "a.b.X");
        assert_eq!(qualify("a.b", "c.d.X", &mut s, 1), "c.d.X");
        assert!(s.is_empty());
        assert_eq!(qualify("a.b", " ", &mut s, 1), "");
        assert_eq!(s.items().len(), 1);
    }

    #[test]
    fn protection_levels() {
        assert_eq!(protection_level_text(1), "dangerous");
        assert_eq!(protection_level_text(0x12), "signature|privileged");
    }
}
