//! The typed model of the knowledge-base files.

use serde::{Deserialize, Serialize};

/// A text in Simplified Chinese with its English beside it.
///
/// Unknown keys are refused: in a YAML flow mapping (`{zh: …, en: …}`) an
/// unquoted comma ends the value, so `en: Foo Co., Ltd.` would otherwise load
/// as `Foo Co` with a stray key `Ltd.` silently dropped. Quote such values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Simplified Chinese (the authoritative text).
    pub zh: String,
    /// English.
    pub en: String,
}

/// The whole knowledge base.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Kb {
    /// Documents everything else cites (`kb/sources.yaml`).
    pub sources: Vec<Source>,
    /// The PI vocabulary (`kb/pi_types.yaml`).
    pub pi_types: Vec<PiType>,
    /// Legal items (`kb/rules.yaml`).
    pub rules: Vec<Rule>,
    /// Android permissions (`kb/permissions.yaml`).
    pub permissions: Vec<Permission>,
    /// Sensitive APIs (`kb/apis.yaml`).
    pub apis: Vec<Api>,
    /// Third-party SDKs (`kb/sdks/*.yaml`), extension records merged in.
    pub sdks: Vec<Sdk>,
    /// What runs without the user: entry points, async hops, self-start
    /// triggers, consent checks, associated launch (`kb/startup.yaml`).
    pub startup: Startup,
    /// How policies are read (`kb/policy.yaml`).
    pub policy: PolicyLexicon,
    /// Policy words for PI types, permissions and SDKs (`kb/policy_terms.yaml`).
    pub policy_terms: PolicyTerms,
    /// The 39 app types and their necessary PI (`kb/app_types.yaml`).
    pub app_types: Vec<AppType>,
    /// The self-assessment questions no package can answer
    /// (`kb/questionnaire.yaml`).
    pub questions: Vec<Question>,
}

/// `kb/questionnaire.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    /// The questions, in item order.
    pub questions: Vec<Question>,
}

/// The verdict a `no` answer gives an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IfNo {
    /// The developer states the behaviour the item names.
    Violation,
    /// The item needs a judgement the answer cannot settle.
    Risk,
}

/// One question of the self-assessment questionnaire, phrased so that
/// `yes` is what the item requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable id (`191-1.3.four-taps`): item id plus a word.
    pub id: String,
    /// The item of 191 it decides.
    pub item: String,
    /// The verdict of a `no`.
    pub if_no: IfNo,
    /// Source ids (`kb/sources.yaml`).
    #[serde(default)]
    pub sources: Vec<String>,
    /// The question.
    pub question: Text,
    /// Why it matters (the item it stands for).
    pub why: Text,
    /// What a `yes` must name in its note (a screenshot, a path, a test
    /// record); a `yes` with an empty note is shown as unproven.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<Text>,
}

/// `kb/startup.yaml`: the platform knowledge of the reachability analysis.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Startup {
    /// Methods the system runs per entry kind (`application`, `provider`,
    /// `initializer`, `receiver`, `service`).
    pub entry_methods: std::collections::BTreeMap<String, Vec<String>>,
    /// Background classes without a manifest entry of their own (workers).
    pub job_types: Vec<TypeMethods>,
    /// Calls that start a component given by class literal.
    pub component_start_apis: Vec<ClassMethod>,
    /// Types whose construction runs callbacks later.
    pub async_types: Vec<AsyncType>,
    /// Types whose methods run while the user uses the app.
    pub ui_types: Vec<String>,
    /// Broadcasts the system sends on its own.
    pub system_broadcasts: Vec<Trigger>,
    /// Service actions that keep an app alive (sync adapters, authenticators).
    pub keep_alive_services: Vec<Trigger>,
    /// Calls that schedule the app to run again later.
    pub periodic_apis: Vec<PeriodicApi>,
    /// Words (any case) in string constants that name a stored consent flag.
    pub consent_key_words: Vec<String>,
    /// Method names that start, bind or broadcast to a component.
    pub launch_apis: Vec<String>,
    /// Calls that name a package, component or URL to start.
    pub target_apis: Vec<ClassMethod>,
    /// First segments of package names that name another app.
    pub package_roots: Vec<String>,
    /// Phone makers' device-identifier (OAID) service packages.
    pub id_service_packages: Vec<String>,
    /// URL schemes that do not name another app.
    pub standard_schemes: Vec<String>,
    /// How apps ask for runtime permissions: the request methods and the
    /// callback the system calls with the user's answer (a request made
    /// from that callback asks again after a refusal).
    #[serde(default)]
    pub permission_requests: PermissionRequests,
}

/// Runtime-permission requests (`kb/startup.yaml: permission_requests`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermissionRequests {
    /// Method names that show the system permission dialog, any class
    /// (`requestPermissions` of Activity, Fragment, ActivityCompat).
    pub request_methods: Vec<String>,
    /// Callbacks that receive the user's answer (`onRequestPermissionsResult`).
    pub result_callbacks: Vec<String>,
}

/// A base type and the methods the system runs on its subclasses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeMethods {
    /// Type descriptor.
    #[serde(rename = "type")]
    pub type_: String,
    /// Method names.
    pub methods: Vec<String>,
}

/// A type whose objects run callbacks once handed over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AsyncType {
    /// Type descriptor.
    #[serde(rename = "type")]
    pub type_: String,
    /// Callback method names.
    pub callbacks: Vec<String>,
}

/// An intent action that starts the app without the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    /// The action.
    pub action: String,
    /// Finding group (`boot`, `broadcast`, `sync`).
    pub group: String,
    /// Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
    /// The highest `targetSdkVersion` at which the system still delivers
    /// this broadcast to a receiver declared in the manifest (`0`: never,
    /// only to receivers registered at run time); absent: any target
    /// (explicit or exempt broadcasts). Source: aosp-docs (Android 7.0 and
    /// 8.0 behaviour changes, implicit broadcast exceptions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest_max_target: Option<i64>,
}

impl Trigger {
    /// Whether the system starts a receiver declared in the manifest of an
    /// app targeting `target_sdk` for this broadcast.
    pub fn delivered_to_manifest(&self, target_sdk: i64) -> bool {
        self.manifest_max_target.is_none_or(|max| target_sdk <= max)
    }
}

/// A call that schedules the app to run again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodicApi {
    /// Class descriptor.
    pub class: String,
    /// Method name.
    pub method: String,
    /// Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
}

/// A method of a class (any prototype).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassMethod {
    /// Class descriptor.
    pub class: String,
    /// Method name.
    pub method: String,
}

/// A document a rule, permission or API entry comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Stable id (`191`, `164`, `PIPL`, `GBT35273`, `TC260-PERM`, `camille`, `aosp-docs`, …).
    pub id: String,
    /// Title (Chinese for Chinese documents).
    pub title: String,
    /// Issuer.
    #[serde(default)]
    pub issuer: String,
    /// Date signed, published or of the commit read.
    #[serde(default)]
    pub date: String,
    /// Official address where one exists.
    #[serde(default)]
    pub url: String,
    /// Where the text was actually read (mirror, commit) — see `../shared/regs/SOURCES.md`.
    #[serde(default)]
    pub read_at: String,
    /// Licence of the material, for code/data lists.
    #[serde(default)]
    pub licence: String,
}

impl Source {
    /// Issuer and date, those that are given, for one line of citation.
    pub fn issuer_and_date(&self) -> Vec<&str> {
        [self.issuer.as_str(), self.date.as_str()]
            .into_iter()
            .filter(|x| !x.is_empty())
            .collect()
    }
}

/// One personal-information type of the shared vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PiType {
    /// Stable id, snake_case (`device_id`, `location`, `contacts`, `app_list`, …).
    pub id: String,
    /// Name.
    pub name: Text,
    /// Sensitive personal information under PIPL Art. 28 (and GB/T 35273 Annex B).
    pub sensitive: bool,
    /// How much collecting it weighs for a regulator, 1–100 (device
    /// identifiers 100, device information 20): ranks the "what to fix
    /// first" block and evidence. 0 when not given.
    #[serde(default)]
    pub weight: u32,
    /// What it covers.
    pub description: Text,
}

/// How far a text can be trusted (see `../shared/regs/SOURCES.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Official text, or an official repost, was read.
    Verified,
    /// Official wording for a fragment only.
    Partial,
    /// Our own summary of a secondary source.
    Paraphrase,
    /// Not checked against a source: do not encode as a hard rule.
    Unverified,
}

/// What kind of input can decide an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    /// The package itself (manifest, code, SDKs).
    Static,
    /// Runtime instrumentation (hooks, traffic, UI automation).
    Dynamic,
    /// The privacy-policy text.
    PolicyText,
    /// A person (back end, process, UI judgement).
    Manual,
}

/// A legal item a check stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Rule id (`191-3.1`, `164-1.2`, `PIPL-28`, `GBT35273-6.3`).
    pub id: String,
    /// Source document id (see [`Source`]).
    pub source: String,
    /// Category heading of the document, where it has one.
    #[serde(default)]
    pub category: Option<Text>,
    /// Short title.
    pub title: Text,
    /// The legal text in Chinese.
    pub text_zh: String,
    /// An English gloss of the text (ours, not an official translation).
    pub gloss_en: String,
    /// True when `text_zh` is character for character the source's text.
    pub verbatim: bool,
    /// Trust in the text.
    pub status: Status,
    /// Which inputs can decide it.
    #[serde(default)]
    pub evidence: Vec<EvidenceKind>,
    /// What pipa checks for this item, and from what.
    #[serde(default)]
    pub check: Option<Text>,
    /// For items pipa cannot decide: what a person must check, and how.
    #[serde(default)]
    pub manual: Option<Text>,
    /// How to comply.
    #[serde(default)]
    pub remediation: Option<Text>,
    /// Related rule ids.
    #[serde(default)]
    pub related: Vec<String>,
}

/// Protection class of an Android permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Protection {
    /// Runtime ("dangerous") permission: granted by the user at run time (API 23+).
    Dangerous,
    /// Special access granted in system settings (appop), e.g. SYSTEM_ALERT_WINDOW.
    Special,
    /// Normal: granted at install.
    Normal,
    /// Signature / privileged: not grantable to ordinary apps.
    Signature,
    /// A phone maker's or an app store's own permission.
    Vendor,
}

/// An Android permission and the personal information it gives access to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Permission {
    /// Full name, e.g. `android.permission.READ_PHONE_STATE`.
    pub name: String,
    /// Protection class.
    pub protection: Protection,
    /// Android permission group (`PHONE`, `LOCATION`, …), where it has one.
    #[serde(default)]
    pub group: Option<String>,
    /// Chinese name as users see it (e.g. 电话, 位置).
    pub name_zh: String,
    /// What it allows, in both languages.
    pub description: Text,
    /// PI types it gives access to (ids from `pi_types.yaml`).
    #[serde(default)]
    pub pi_types: Vec<String>,
    /// Needs a purpose statement when requested (191-2.3): it can collect PI.
    #[serde(default)]
    pub purpose_required: bool,
    /// First API level, where relevant.
    #[serde(default)]
    pub since_api: Option<u32>,
    /// Source ids.
    #[serde(default)]
    pub sources: Vec<String>,
    /// Trust in the entry where it is less than a platform fact read in a cited
    /// source (e.g. vendor permissions named from SDK manifests); absent = verified.
    #[serde(default)]
    pub status: Option<Status>,
}

/// What an API entry matches in the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiKind {
    /// Invocations of a method (any overload when `descriptor` is absent).
    Method,
    /// Static field reads (`sget*`), e.g. `Build.SERIAL`.
    StaticField,
    /// A `const-string` equal to `value` (content URIs, setting keys, intent actions).
    String,
}

/// What a call does with personal information.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiEffect {
    /// Reads personal information (the default): collection.
    #[default]
    Read,
    /// Sends data the app supplies (an SMS): not collection.
    Send,
    /// Returns a place (a storage path, a content URI) and reads nothing
    /// itself: not collection.
    Locate,
    /// Asks about one named target (a package, the handlers of one intent):
    /// not an enumeration, unless the calling code shows one (see
    /// `enumerates_when`, `probe_min`).
    Lookup,
}

/// A sensitive API: where in the code PI is collected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Api {
    /// Stable id, e.g. `telephony.get_device_id`.
    pub id: String,
    /// What is matched.
    pub kind: ApiKind,
    /// Java class name, dotted, nested classes with `$` (`android.provider.Settings$Secure`);
    /// empty for `string` entries.
    #[serde(default)]
    pub class: String,
    /// Method or field name; empty for `string` entries.
    #[serde(default)]
    pub member: String,
    /// Method prototype `(params)ret` or field type in smali form; absent = any.
    #[serde(default)]
    pub descriptor: Option<String>,
    /// For `string` entries the exact constant; for methods, a constant the
    /// calling method must also load for the call to count (e.g. `android_id`
    /// for `Settings$Secure.getString`).
    #[serde(default)]
    pub value: Option<String>,
    /// The PI type collected (id from `pi_types.yaml`).
    pub pi_type: String,
    /// Permissions the call needs (any of them), if any.
    #[serde(default)]
    pub permissions: Vec<String>,
    /// The call also works, in some mode, without any of `permissions`
    /// (scoped storage: an app's own media; `getAccounts` on Android 8+
    /// for accounts visible to the app): a missing permission does not
    /// make it fail.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub permission_optional: bool,
    /// What the call does (`read` when absent); only reads are collection.
    #[serde(default, skip_serializing_if = "is_read")]
    pub effect: ApiEffect,
    /// For `lookup` entries: constants that, loaded by the calling method
    /// (or, when it receives the argument, by a method calling it), make the
    /// call an enumeration (`android.intent.category.LAUNCHER`). When the
    /// list is given and no constant names the target, the call is taken
    /// to enumerate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enumerates_when: Vec<String>,
    /// For `lookup` entries: a calling method that loads package names of
    /// other apps from at least this many publishers (`com.tencent`) probes
    /// which apps are installed (collection of part of the app list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probe_min: Option<u32>,
    /// Methods (`android.os.Process.myPid`) whose call in the same calling
    /// method shows the call looks for the app's own data (its own process).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub own_when_calls: Vec<String>,
    /// Calls on the `Intent` the call is given that limit it to one app or
    /// one component (`android.content.Intent.setPackage`; one overload with
    /// its prototype: `android.content.Intent.<init>(Landroid/content/Context;Ljava/lang/Class;)V`).
    /// When the calling method, in the straight-line code before the call,
    /// makes them on that intent, none with an argument a constant null (or
    /// every caller of a static helper does on the intent it passes), the
    /// call looks up that one app, whatever the entry's `effect` and
    /// `enumerates_when` say.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intent_limited_by: Vec<String>,
    /// From this Android API level on, the call returns nothing personal
    /// beyond the app's own data (own processes, a constant MAC address):
    /// an app whose `minSdkVersion` is at least this collects nothing with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_pi_from_api: Option<i64>,
    /// Topic tags the checks use: `clipboard_read`, `app_list`, `recording`,
    /// `camera`, `biometric`, `screen_capture`, `location`, `device_id`, …
    #[serde(default)]
    pub tags: Vec<String>,
    /// What it does.
    pub description: Text,
    /// The less intrusive way to the same end, for the fix (OAID instead of
    /// the IMEI): a sentence, its source among `sources`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternative: Option<Text>,
    /// Source ids (API lists it appears in, platform docs).
    #[serde(default)]
    pub sources: Vec<String>,
    /// Trust in the entry where it is less than a platform fact read in a cited
    /// source (e.g. vendor SDK classes); absent = verified.
    #[serde(default)]
    pub status: Option<Status>,
}

fn is_read(e: &ApiEffect) -> bool {
    *e == ApiEffect::Read
}

impl Api {
    /// The class as a dex type descriptor: `Landroid/provider/Settings$Secure;`.
    pub fn class_descriptor(&self) -> String {
        format!("L{};", self.class.replace('.', "/"))
    }

    /// `android.telephony.TelephonyManager.getDeviceId` (or the string value).
    pub fn display_name(&self) -> String {
        match self.kind {
            ApiKind::String => self.value.clone().unwrap_or_default(),
            _ => format!("{}.{}", self.class, self.member),
        }
    }
}

/// What an SDK is for (the 第三方SDK清单 groups by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SdkCategory {
    /// Push notifications (including phone makers' push channels).
    Push,
    /// Usage statistics, attribution, A/B tests.
    Analytics,
    /// Advertising and ad mediation.
    Ads,
    /// Maps and navigation.
    Map,
    /// Positioning.
    Location,
    /// Third-party login, one-click (carrier) login.
    Login,
    /// Sharing to social apps.
    Share,
    /// Payment.
    Payment,
    /// Crash reporting.
    CrashReporting,
    /// Performance monitoring (APM).
    Apm,
    /// Risk control, device fingerprinting, anti-fraud.
    RiskControl,
    /// Face / real-name verification, liveness, OCR of ID cards.
    IdentityVerification,
    /// Instant messaging.
    Im,
    /// Real-time audio/video.
    Rtc,
    /// Media players, editors, image pickers.
    Media,
    /// App hardening, anti-tamper, security.
    Security,
    /// Hot fix, plugin frameworks, dynamic code.
    Hotfix,
    /// Embedded browser engines and mini-program containers.
    Webview,
    /// Customer service.
    CustomerService,
    /// Speech recognition and synthesis.
    Speech,
    /// Cloud storage, CDN, HTTP DNS, upgrade services.
    Cloud,
    /// Cross-platform app frameworks (Flutter, React Native, Unity, …).
    Framework,
    /// General-purpose libraries that do not collect PI on their own.
    Library,
    /// Anything else.
    Other,
}

impl SdkCategory {
    /// Every category, in report order.
    pub const ALL: [SdkCategory; 24] = [
        SdkCategory::Push,
        SdkCategory::Analytics,
        SdkCategory::Ads,
        SdkCategory::Map,
        SdkCategory::Location,
        SdkCategory::Login,
        SdkCategory::Share,
        SdkCategory::Payment,
        SdkCategory::CrashReporting,
        SdkCategory::Apm,
        SdkCategory::RiskControl,
        SdkCategory::IdentityVerification,
        SdkCategory::Im,
        SdkCategory::Rtc,
        SdkCategory::Media,
        SdkCategory::Security,
        SdkCategory::Hotfix,
        SdkCategory::Webview,
        SdkCategory::CustomerService,
        SdkCategory::Speech,
        SdkCategory::Cloud,
        SdkCategory::Framework,
        SdkCategory::Library,
        SdkCategory::Other,
    ];

    /// Stable snake_case name (as in the YAML and JSON).
    pub fn as_str(self) -> &'static str {
        self.names().0
    }

    /// Chinese name.
    pub fn zh(self) -> &'static str {
        self.names().1
    }

    /// English name.
    pub fn en(self) -> &'static str {
        self.names().2
    }

    fn names(self) -> (&'static str, &'static str, &'static str) {
        match self {
            SdkCategory::Push => ("push", "消息推送", "Push"),
            SdkCategory::Analytics => ("analytics", "统计分析", "Analytics"),
            SdkCategory::Ads => ("ads", "广告", "Advertising"),
            SdkCategory::Map => ("map", "地图", "Maps"),
            SdkCategory::Location => ("location", "定位", "Location"),
            SdkCategory::Login => ("login", "第三方登录", "Login"),
            SdkCategory::Share => ("share", "社会化分享", "Sharing"),
            SdkCategory::Payment => ("payment", "支付", "Payment"),
            SdkCategory::CrashReporting => ("crash_reporting", "崩溃上报", "Crash reporting"),
            SdkCategory::Apm => ("apm", "性能监控", "Performance monitoring"),
            SdkCategory::RiskControl => ("risk_control", "风控反欺诈", "Risk control"),
            SdkCategory::IdentityVerification => (
                "identity_verification",
                "身份认证/人脸识别",
                "Identity verification",
            ),
            SdkCategory::Im => ("im", "即时通讯", "Instant messaging"),
            SdkCategory::Rtc => ("rtc", "实时音视频", "Real-time audio/video"),
            SdkCategory::Media => ("media", "音视频/图片", "Media"),
            SdkCategory::Security => ("security", "安全加固", "Security/hardening"),
            SdkCategory::Hotfix => ("hotfix", "热修复/插件化", "Hot fix/plugins"),
            SdkCategory::Webview => ("webview", "浏览器内核/小程序容器", "WebView/containers"),
            SdkCategory::CustomerService => ("customer_service", "客服", "Customer service"),
            SdkCategory::Speech => ("speech", "语音", "Speech"),
            SdkCategory::Cloud => ("cloud", "云服务", "Cloud services"),
            SdkCategory::Framework => ("framework", "开发框架", "App framework"),
            SdkCategory::Library => ("library", "通用库", "Library"),
            SdkCategory::Other => ("other", "其他", "Other"),
        }
    }
}

/// What in a package shows that an SDK is embedded. Every list is matched in
/// one multi-pattern pass per evidence kind (see `pipa-engine`'s SDK
/// detection); an SDK is found when any of them matches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkSignatures {
    /// Java packages or classes, dotted (`com.umeng.commonsdk`): a class
    /// matches when its name equals one or lies under it (`.` or `$` follows).
    #[serde(default)]
    pub dex: Vec<String>,
    /// Manifest component classes (activity, service, receiver, provider),
    /// full dotted names. These survive R8/ProGuard renaming: the system
    /// starts components by name.
    #[serde(default)]
    pub components: Vec<String>,
    /// Regular expressions over manifest component class names, for families
    /// of generated names (`com\.bytedance\.sdk\.openadsdk\.stub\.activity\..*`).
    #[serde(default)]
    pub components_regex: Vec<String>,
    /// `<meta-data android:name>` keys (`UMENG_APPKEY`, `JPUSH_APPKEY`).
    #[serde(default)]
    pub meta_data: Vec<String>,
    /// Native library file names (`libjcore.so`), matched in any `lib/<abi>/`.
    #[serde(default)]
    pub native: Vec<String>,
    /// Regular expressions over native library file names (`libBugly.*\.so`).
    #[serde(default)]
    pub native_regex: Vec<String>,
    /// Package entry paths or path prefixes ending in `/` (`assets/jiguang/`).
    #[serde(default)]
    pub assets: Vec<String>,
    /// Host names the SDK talks to (`umeng.com` also matches `alog.umeng.com`),
    /// found in the code's string constants.
    #[serde(default)]
    pub hosts: Vec<String>,
    /// Classes that only the SDK's own build defines, dotted: its entry
    /// points that survive shrinking (the API the host app calls, kept by
    /// the SDK's consumer ProGuard rules), e.g. `com.tencent.tauth.Tencent`.
    /// Not a signature by itself: when the list is not empty, classes under
    /// the `dex` prefixes and the entry's own components count as its code
    /// only if one of these classes is defined too. Another vendor's stubs
    /// under the SDK's names (Umeng Share's `com.tencent.tauth.AuthActivity`,
    /// which calls Umeng's own QQ client) then make no row. Each class lies
    /// under one of the `dex` prefixes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub core_classes: Vec<String>,
}

impl SdkSignatures {
    /// No signature at all.
    pub fn is_empty(&self) -> bool {
        self.dex.is_empty()
            && self.components.is_empty()
            && self.components_regex.is_empty()
            && self.meta_data.is_empty()
            && self.native.is_empty()
            && self.native_regex.is_empty()
            && self.assets.is_empty()
            && self.hosts.is_empty()
    }

    /// Adds the signatures of `other` that are not already here.
    pub fn merge(&mut self, other: &SdkSignatures) {
        fn add(to: &mut Vec<String>, from: &[String]) {
            for s in from {
                if !to.contains(s) {
                    to.push(s.clone());
                }
            }
        }
        add(&mut self.dex, &other.dex);
        add(&mut self.components, &other.components);
        add(&mut self.components_regex, &other.components_regex);
        add(&mut self.meta_data, &other.meta_data);
        add(&mut self.native, &other.native);
        add(&mut self.native_regex, &other.native_regex);
        add(&mut self.assets, &other.assets);
        add(&mut self.hosts, &other.hosts);
        add(&mut self.core_classes, &other.core_classes);
    }
}

/// What an SDK's start-up API is for, which decides when the host app may
/// call it (the SDK vendors' compliance guides: 友盟+合规指南, Bugly, 极光 …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InitRole {
    /// Pre-initialisation: may run before the user consents; collects and
    /// sends nothing (`UMConfigure.preInit`).
    PreInit,
    /// The real initialisation: starts collection, so it must wait for the
    /// user's consent (`UMConfigure.init`, `CrashReport.initCrashReport`).
    Init,
    /// Tells the SDK the user's decision (`UMConfigure.submitPolicyGrantResult`,
    /// `JCollectionAuth.setAuth`, `AMapLocationClient.updatePrivacyAgree`).
    Consent,
    /// Turns one kind of collection off or on (`UMConfigure.enableImeiCollection`).
    Switch,
}

impl InitRole {
    /// The data name (`pre_init`, `init`, `consent`, `switch`).
    pub fn as_str(self) -> &'static str {
        match self {
            InitRole::PreInit => "pre_init",
            InitRole::Init => "init",
            InitRole::Consent => "consent",
            InitRole::Switch => "switch",
        }
    }

    /// Safe to call before the user consents (pre-init, the consent signal, switches).
    pub fn safe_before_consent(self) -> bool {
        !matches!(self, InitRole::Init)
    }

    /// Chinese and English name for reports.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            InitRole::PreInit => (
                "预初始化（同意前可调用）",
                "pre-init (allowed before consent)",
            ),
            InitRole::Init => ("正式初始化（须在同意后）", "init (only after consent)"),
            InitRole::Consent => ("同意结果接口", "consent signal"),
            InitRole::Switch => ("采集开关", "collection switch"),
        }
    }
}

/// An API an SDK offers for compliant initialisation, with its role: the
/// pre-init that may run at start-up, the real init that must wait for
/// consent, the consent signal, and switches that turn collection off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompliantInit {
    /// The method, smali form without prototype: `Lcom/umeng/commonsdk/UMConfigure;->preInit`
    /// (`<init>` for a constructor).
    pub api: String,
    /// When the host app may call it.
    pub role: InitRole,
    /// A consent API whose boolean parameter is the user's decision: a
    /// constant `true` tells the SDK the user agreed. Called so on a
    /// start-up path without a consent check, it claims a consent nobody
    /// gave.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub agrees_with_true: bool,
    /// What it does and how to use it.
    pub description: Text,
}

/// `Lcom/x/Y;->init` or `Lcom/x/Y;->init(I)V` → (`Lcom/x/Y;`, `init`).
pub fn class_and_method(api: &str) -> Option<(&str, &str)> {
    let (class, name) = api.split_once("->")?;
    Some((class, name.split('(').next().unwrap_or(name)))
}

/// Where an SDK's version can be read in a package: exactly one of the
/// fields is given (a YAML map with one key, `- field: …`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionSource {
    /// A static final String field with a constant value, smali form
    /// `Lcn/jpush/android/api/JPushInterface;->VERSION` (type optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// A string constant loaded in a class's methods that matches a pattern.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub string: Option<VersionString>,
    /// A `<meta-data>` value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta_data: Option<String>,
    /// A package entry whose text is the version
    /// (`META-INF/com.google.firebase_firebase-messaging.version`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

/// One generation of an SDK (`Sdk::generations`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkGeneration {
    /// What it is and which versions it covers, as the binaries showed.
    pub name: Text,
    /// What only this generation (among those listed after it) defines: a
    /// class `Lx/Y;` or a method `Lx/Y;->name` (a class the dex defines,
    /// with a method of that name).
    pub marker: String,
    /// This generation offers no API that may run before consent (an older
    /// version without the pre-init or consent API the entry lists).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_compliant_init: bool,
}

impl VersionSource {
    /// How many of the alternatives are given (the data tests require one).
    pub fn kinds(&self) -> usize {
        usize::from(self.field.is_some())
            + usize::from(self.string.is_some())
            + usize::from(self.meta_data.is_some())
            + usize::from(self.file.is_some())
    }
}

/// A version read from the string constants of one class.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionString {
    /// The class, smali descriptor (`Lcom/tencent/bugly/crashreport/CrashReport;`).
    pub class: String,
    /// A regular expression; the first capture group (or the whole match) is the version.
    pub pattern: String,
}

/// One third-party SDK of the catalogue (`kb/sdks/*.yaml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sdk {
    /// Stable id, `vendor.product` in lower case (`jiguang.jpush`, `tencent.bugly`).
    pub id: String,
    /// True for a record that only adds signatures to the entry of the same
    /// id (the generated `libchecker.yaml` extends curated entries this way).
    #[serde(default)]
    pub extends: bool,
    /// Product name (`极光推送` / `JPush`).
    #[serde(default)]
    pub name: Text,
    /// Vendor (`深圳市和讯华谷信息技术有限公司（极光）` / `Aurora Mobile`).
    #[serde(default)]
    pub vendor: Text,
    /// What it is for.
    #[serde(default = "SdkCategory::other")]
    pub category: SdkCategory,
    /// Product website.
    #[serde(default)]
    pub website: String,
    /// The SDK's own privacy policy (what the host app must link to).
    #[serde(default)]
    pub privacy_policy: String,
    /// Detection signatures.
    #[serde(default)]
    pub signatures: SdkSignatures,
    /// PI types the vendor says the SDK collects (ids from `pi_types.yaml`).
    #[serde(default)]
    pub collects: Vec<String>,
    /// Where the vendor says so (its privacy policy or compliance guide, a URL).
    #[serde(default)]
    pub collects_source: String,
    /// Compliant-initialisation APIs, each with its role (pre-init, init,
    /// consent signal, switch).
    #[serde(default)]
    pub compliant_init: Vec<CompliantInit>,
    /// The SDK (in the versions the catalogue covers) has no way to start
    /// without collecting: the host app must not call it at all before consent.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_compliant_init: bool,
    /// The vendor's compliance (合规) integration guide the roles come from.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub compliance_guide: String,
    /// Permissions the SDK asks the host app to request.
    #[serde(default)]
    pub permissions: Vec<String>,
    /// Where its version can be read.
    #[serde(default)]
    pub version: Vec<VersionSource>,
    /// Generations whose code differs in a way that matters (one has the
    /// consent API, an older one has none), newest first: the first whose
    /// marker the dex defines is the one embedded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub generations: Vec<SdkGeneration>,
    /// LibChecker-Rules labels this entry stands for (the generator folds
    /// their signatures into this entry).
    #[serde(default)]
    pub libchecker: Vec<String>,
    /// Source ids.
    #[serde(default)]
    pub sources: Vec<String>,
    /// Trust in the entry; absent = the signatures were checked against the
    /// SDK's binaries or official integration guide.
    #[serde(default)]
    pub status: Option<Status>,
}

impl SdkCategory {
    fn other() -> SdkCategory {
        SdkCategory::Other
    }
}

/// `kb/policy_terms.yaml`: the words policies use for PI types, permissions
/// and SDKs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyTerms {
    /// Words a policy uses for each PI type.
    pub pi_terms: Vec<PiTerms>,
    /// Words a policy uses for Android permissions (相机, 位置, 存储 …).
    pub permission_terms: Vec<PermissionTerms>,
    /// Names policies give catalogue SDKs besides the catalogue's own names
    /// (友盟+, 极光, 个推 …).
    #[serde(default)]
    pub sdk_aliases: Vec<SdkAlias>,
    /// Source ids.
    #[serde(default)]
    pub sources: Vec<String>,
}

/// `kb/policy.yaml`: how pipa reads a privacy policy — the words that make a
/// sentence a declaration, a denial or an open list, and the elements a
/// policy must contain with the signals that show each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyLexicon {
    /// Verbs of collection (收集, 获取, 采集 …): a sentence with one declares
    /// what it names.
    pub collect_words: Vec<String>,
    /// Words that turn a sentence into a denial (不会收集, 不获取 …).
    pub negation_words: Vec<String>,
    /// Words that leave an enumeration open (等, 例如, 包括但不限于 …), which
    /// the 2019 self-assessment guide forbids in PI lists.
    pub vague_words: Vec<String>,
    /// Words that mark sensitive PI (个人敏感信息, 敏感个人信息 …).
    pub sensitive_markers: Vec<String>,
    /// Words that introduce a third party or SDK (第三方, SDK, 合作方 …).
    pub third_party_words: Vec<String>,
    /// Words that make a permission word an explanation of the permission
    /// (权限, 授权, 开启 …).
    pub permission_words: Vec<String>,
    /// Words that make a number of days a time limit for answering users
    /// (回复, 答复, 处理 …).
    pub response_words: Vec<String>,
    /// Longer words that contain a cue word but are not cues (等级 has 等,
    /// 平等 too): matched first, then ignored.
    #[serde(default)]
    pub ignore_words: Vec<String>,
    /// Collection verbs so common outside collection (使用, 记录, 识别) that
    /// they govern a PI term only right before it (`weak_window` characters).
    #[serde(default)]
    pub weak_collect_words: Vec<String>,
    /// How far (characters) a collection verb may stand before the PI term
    /// it governs; a weak one [`Self::weak_collect_words`].
    #[serde(default)]
    pub govern_window: usize,
    /// Window of the weak collection verbs.
    #[serde(default)]
    pub weak_window: usize,
    /// Words before a PI term that move its verb after it (将您的手机号提供给,
    /// 对您的位置信息进行处理): with one, a collection verb after the term (in
    /// the same clause, within `govern_window`) governs it.
    #[serde(default)]
    pub verb_after_markers: Vec<String>,
    /// Enumerations: a PI term within `enumeration_gap` characters after a
    /// claimed term of the same clause (设备型号、操作系统版本) is governed by
    /// the same verb, unless a word of `enumeration_breaks` stands between.
    #[serde(default)]
    pub enumeration_gap: usize,
    /// Words that end an enumeration (用于, 以便: a purpose follows).
    #[serde(default)]
    pub enumeration_breaks: Vec<String>,
    /// Words that open a sentence continuing the enumeration of the one
    /// before (例如您的搜索查询内容…).
    #[serde(default)]
    pub continuation_words: Vec<String>,
    /// Verbs that stand after their object (进行收集, 创建账号), each group
    /// with the words one of which must stand before the object in the same
    /// sentence (将/对/把 …进行收集; 通过手机号创建账号). Such a verb governs
    /// a PI term before it in the same sentence, across `；` but not `。`.
    #[serde(default)]
    pub post_verbs: Vec<PostVerbs>,
    /// Words that refer back to the PI just named (此类信息, 该信息): a
    /// collection verb (or 提供) right before one governs the PI terms before
    /// it in the same sentence (手机号码属于敏感信息，收集此类信息是为了…).
    #[serde(default)]
    pub refer_back_words: Vec<String>,
    /// Words that open a purpose (用于, 以便, 为了): a PI term after one, in
    /// the same comma-delimited phrase, is part of the purpose, not governed
    /// by a verb before the purpose word (收集此类信息是为了证实您的真实身份).
    #[serde(default)]
    pub purpose_words: Vec<String>,
    /// Roles of sentences and headings that declare no PI (definition,
    /// rights, security …) and the words that show each, in priority order.
    #[serde(default)]
    pub sentence_roles: Vec<SentenceRole>,
    /// The elements of `privacy_policy_elements.yaml` and what shows each.
    pub elements: Vec<PolicyElement>,
    /// Source ids.
    #[serde(default)]
    pub sources: Vec<String>,
    /// What a text needs to be taken as a privacy policy (`pipa policy`
    /// refuses others unless `--force`).
    #[serde(default)]
    pub recognition: PolicyRecognition,
}

/// Verbs after their object and the words that mark the object before them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostVerbs {
    /// The verbs (进行收集, 创建账号).
    pub verbs: Vec<String>,
    /// Words one of which must stand before the object (将, 对; 通过); none:
    /// any object before the verb (被收集).
    pub markers: Vec<String>,
}

/// The test that a text is a privacy policy: long enough, using enough of a
/// policy's vocabulary, and naming itself a policy (in a heading or its
/// opening) or using much of that vocabulary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyRecognition {
    /// Fewest characters of text.
    pub min_chars: usize,
    /// Fewest distinct terms of `terms`.
    pub min_terms: usize,
    /// Distinct terms of `terms` that make up for a missing title.
    pub untitled_terms: usize,
    /// Characters from the start in which a title counts (besides headings).
    pub title_within: usize,
    /// Names of a policy (隐私政策, 个人信息保护政策, privacy policy …).
    pub titles: Vec<String>,
    /// A policy's vocabulary (个人信息, 收集, 共享, 删除, 联系我们 …),
    /// matched case-insensitively.
    pub terms: Vec<String>,
    /// Words of a text that speaks to its user (您, 你, 我们, you): a
    /// policy does, a law or an article about policies does not.
    pub voice: Vec<String>,
    /// Fewest occurrences of `voice` words, all added up.
    pub min_voice: usize,
    /// Where the figures and words come from.
    #[serde(default)]
    pub source: String,
}

/// A role of a sentence or heading and the words that show it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SentenceRole {
    /// `definition`, `rights`, `security`, `contact_channel`, `conditional`,
    /// `purpose`, `collection`, `sharing`.
    pub role: String,
    /// Whether a sentence of this role declares the PI it names.
    pub declares: bool,
    /// Whether a collection verb (not a weak one) that governs a term
    /// overrides this role for that term (由我们的客服人员通知您 does not
    /// stop 我们会收集您的手机号 in the same sentence).
    #[serde(default)]
    pub verb_wins: bool,
    /// When the role comes from a heading only (not from the sentence's own
    /// words), a strong collection verb governing the term outweighs it.
    #[serde(default)]
    pub heading_verb_wins: bool,
    /// Whether a negation before a term outweighs this role: the term is
    /// denied, not merely left undeclared (我们不会将您的个人身份信息与合作
    /// 伙伴共享 in a de-identification clause).
    #[serde(default)]
    pub negation_wins: bool,
    /// With `verb_wins`: only verbs containing one of these words win (a
    /// definition's 收集/采集, not the 访问 or 上传 of its user).
    #[serde(default)]
    pub winning_verbs: Vec<String>,
    /// Words that give a sentence this role.
    #[serde(default)]
    pub any: Vec<String>,
    /// Words that give a heading this role (it then applies to the
    /// sentences under it that have no role of their own).
    #[serde(default)]
    pub heading: Vec<String>,
}

/// Terms of one PI type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PiTerms {
    /// PI type id (`pi_types.yaml`).
    pub pi_type: String,
    /// Chinese terms (and English ones where policies use them: IMEI, GPS).
    pub terms: Vec<String>,
    /// Terms that contain a term above but mean something else (定位 in 定位问题).
    #[serde(default)]
    pub not: Vec<String>,
    /// Words that, in the same sentence, give every term above another
    /// sense (客服 makes 通话记录 a customer-service record).
    #[serde(default)]
    pub not_with: Vec<String>,
}

/// Terms of a group of permissions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermissionTerms {
    /// What the policy says (相机, 摄像头).
    pub terms: Vec<String>,
    /// The permissions they explain.
    pub permissions: Vec<String>,
}

/// More names of one catalogue SDK.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkAlias {
    /// Catalogue id (`umeng.common`).
    pub sdk: String,
    /// Names as policies write them.
    pub names: Vec<String>,
}

/// One element a policy must contain and the signals that show it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyElement {
    /// `PP-01` … `PP-16`.
    pub id: String,
    /// Its name.
    pub name: Text,
    /// Legal bases (rule ids of `rules.yaml` / `pipl_articles`), most binding first.
    #[serde(default)]
    pub basis: Vec<String>,
    /// Items of 191 a missing element stands for.
    #[serde(default)]
    pub rules_191: Vec<String>,
    /// How far the text alone can decide it: `text` (the text decides),
    /// `text+manual` (the text shows part; a person checks the rest),
    /// `manual` (only a person can tell), `miniprogram` (mini programs only).
    pub decided_by: String,
    /// What a person must check beyond the text.
    #[serde(default)]
    pub manual: Option<Text>,
    /// The id of a signal that must be found for the element to apply at
    /// all (e.g. personalised push mentioned); otherwise `not_applicable`.
    #[serde(default)]
    pub applies_if: Option<String>,
    /// The signals: the element passes when every required one is found.
    pub signals: Vec<PolicySignal>,
}

/// One thing a sentence can show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySignal {
    /// Stable id (`contact_email`).
    pub id: String,
    /// Its name.
    pub name: Text,
    /// Phrases, any of which in a sentence shows it.
    #[serde(default)]
    pub any: Vec<String>,
    /// And one of these must also be in the same sentence (e.g. a right and
    /// a way to exercise it).
    #[serde(default)]
    pub with: Vec<String>,
    /// A regular expression over the sentence, instead of or besides `any`.
    #[serde(default)]
    pub regex: Option<String>,
    /// A check the code makes instead of phrases: `operator`, `contact`,
    /// `date`, `pi_declared`, `no_vague_pi`, `sensitive_marked`,
    /// `third_party_named`, `time_limit_15`, `simplified_chinese`.
    #[serde(default)]
    pub computed: Option<String>,
    /// Needed for `pass`; optional signals are reported when found.
    #[serde(default = "yes")]
    pub required: bool,
    /// Items of 191 a missing signal stands for, where narrower than the
    /// element's (withdrawal of consent → 191-3.8).
    #[serde(default)]
    pub rules_191: Vec<String>,
}

fn yes() -> bool {
    true
}

/// `kb/app_types.yaml`: the 39 common app types of the 2021 rule on necessary
/// PI (国信办秘字〔2021〕14号) and what each may collect.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppType {
    /// 1 … 39, the order of Art. 5.
    pub seq: u32,
    /// Stable id (`map_navigation`).
    pub id: String,
    /// Its name (地图导航类).
    pub name: Text,
    /// Other names users may type (地图导航, 地图, 导航).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The basic function (定位和导航).
    pub basic_function: Text,
    /// The necessary PI, clause by clause.
    #[serde(default)]
    pub necessary: Vec<NecessaryPi>,
    /// The rule says no PI is needed for the basic function.
    pub no_pi_required: bool,
    /// Source ids.
    #[serde(default)]
    pub sources: Vec<String>,
}

/// One clause of necessary PI.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NecessaryPi {
    /// The rule's wording (verbatim).
    pub text: String,
    /// The PI types it covers (`pi_types.yaml`).
    pub pi_types: Vec<String>,
    /// Where the mapping is a judgement, why.
    #[serde(default)]
    pub note: Option<String>,
}
