//! Issue 24: what a policy really declares. Short policies written here, one
//! per cause of a wrong claim the issue lists, each with exactly the PI types
//! it must declare — and a positive twin that must still be claimed.

use pipa_policy::{Format, Lexicon, PolicyReport, analyse_bytes};
use std::collections::BTreeSet;

/// A policy of `body` under `heading`, as Markdown.
fn policy(heading: &str, body: &str) -> PolicyReport {
    let text = format!(
        "# 示例应用隐私政策\n\n更新日期：2026年1月1日\n\n## {heading}\n\n{body}\n\n## 十、如何联系我们\n\n如您对本政策有任何疑问，可发送邮件至 privacy@example.com 与我们联系。\n"
    );
    analyse_bytes(
        "roles.md",
        text.as_bytes(),
        Some(Format::Markdown),
        Lexicon::embedded(),
    )
    .unwrap_or_else(|e| panic!("{body}: {e}"))
    .report
}

fn declared(r: &PolicyReport) -> BTreeSet<&str> {
    r.pi_types.iter().map(|d| d.pi_type.as_str()).collect()
}

/// Under a collection heading (the hardest place: the heading's role speaks
/// for sentences without their own) and under a neutral one.
const COLLECT: &str = "一、我们如何收集和使用您的个人信息";
const OTHER: &str = "九、其他";

fn check(body: &str, expected: &[&str]) {
    for h in [COLLECT, OTHER] {
        let r = policy(h, body);
        let want: BTreeSet<&str> = expected.iter().copied().collect();
        assert_eq!(declared(&r), want, "under {h:?}: {body}");
    }
}

#[test]
fn cause_1_definitions_declare_nothing() {
    check(
        "个人信息：指以电子或者其他方式记录的与已识别或者可识别的自然人有关的各种信息，如联系人信息（通讯录）、软件列表、通话记录。",
        &[],
    );
    check(
        "敏感个人信息是指一旦泄露或者非法使用，容易导致自然人的人格尊严受到侵害的个人信息，包括生物识别、医疗健康、金融账户、行踪轨迹等信息。",
        &[],
    );
    // Twin: a collection statement.
    check(
        "经您授权，我们会收集您的通讯录，用于添加好友。",
        &["contacts"],
    );
}

#[test]
fn cause_2_contact_with_the_company_is_no_call_log() {
    check(
        "当您与我们联系时，我们可能会保存您的通话记录和内容，以便帮助您解决问题。",
        &[],
    );
    check(
        "为实现来电识别功能，我们会读取您的通话记录。",
        &["call_log"],
    );
}

#[test]
fn cause_3_liability_and_security_clauses() {
    check(
        "请勿向他人透露付款码，因采用拍照等任何手段造成付款码外泄的，责任自负。",
        &[],
    );
    check("病毒和恶意程序可能威胁你的终端设备信息。", &[]);
    check(
        "当您使用扫码功能时，我们会请求相机权限以便拍照。",
        &["camera"],
    );
}

#[test]
fn cause_4_other_senses_of_a_word() {
    check("如需变更联系人或联系电话，请在设置中修改。", &[]);
    check(
        "账户注销后，未使用的余额（包括书券、优惠券）将被清空。",
        &[],
    );
    check("根据监管部门的通知内容，我们会调整本政策。", &[]);
    check("我们建议您养成良好的网络浏览习惯。", &[]);
    // Twins.
    check("经您授权，我们会读取您的手机联系人。", &["contacts"]);
    check("为完成提现，我们会收集您的银行卡号。", &["financial"]);
    check("我们会记录您的浏览记录，用于推荐内容。", &["app_usage"]);
}

#[test]
fn cause_5_channels_the_company_uses() {
    check("请确保您的手机可正常接收短信。", &[]);
    check("本政策更新时，我们会以公告、短信息等方式通知您。", &[]);
    check("为自动填写短信中的验证码，我们会读取您的短信。", &["sms"]);
}

#[test]
fn cause_6_carrier_words_are_no_device_ids() {
    check("我们会获取您SIM卡的所属运营商，用于判断网络。", &[]);
    check("我们会收集您的SIM卡序列号（ICCID）。", &["device_id"]);
}

#[test]
fn cause_7_overlay_permission_collects_nothing() {
    check("悬浮窗权限：用于部分手机开启悬浮窗显示歌词。", &[]);
    check("开启录屏功能时，我们会收集您的屏幕内容。", &["screen"]);
}

#[test]
fn cause_8_negation_and_de_identification() {
    check("去标识化处理后的信息无法与您的真实身份相关联。", &[]);
    check("我们不会收集您的通话记录。", &[]);
    check(
        "为完成实名认证，我们会收集您的真实身份信息。",
        &["identity"],
    );
}

#[test]
fn cause_9_conditional_boilerplate_about_children() {
    check(
        "对于经父母同意而收集未成年人个人信息的情况，我们只会在受到法律允许、父母或监护人明确同意时使用。",
        &[],
    );
    check(
        "我们仅在取得监护人同意的前提下收集和使用不满十四周岁未成年人的个人信息。",
        &[],
    );
    check(
        "本应用面向学龄儿童，我们会收集儿童个人信息中的年级，用于推荐课程。",
        &["minor"],
    );
}

#[test]
fn term_internal_words_are_no_verbs() {
    // 记录 in 通话记录 and 使用 in 使用情况 govern nothing.
    check("通话记录页面的使用情况说明见下文。", &[]);
}

#[test]
fn a_heading_role_covers_the_sentences_under_it() {
    // Rights section: 访问 is the user's right, not collection.
    let r = policy("五、您的权利", "您可以访问、更正您的手机号和通讯录。");
    assert!(declared(&r).is_empty(), "{:?}", declared(&r));
    // Collection section: a bare list item is declared by its heading.
    let r = policy(COLLECT, "- 设备信息：设备型号、IMEI。");
    assert_eq!(declared(&r), BTreeSet::from(["device_id", "device_info"]));
    let r = policy(OTHER, "- 设备信息：设备型号、IMEI。");
    assert!(declared(&r).is_empty(), "{:?}", declared(&r));
}

#[test]
fn claims_carry_role_verb_and_term() {
    let r = policy(OTHER, "为实现来电识别功能，我们会读取您的通话记录。");
    let d = r
        .pi_types
        .iter()
        .find(|d| d.pi_type == "call_log")
        .expect("call_log");
    let c = d.claims.first().expect("a claim");
    assert_eq!(c.role, "collection");
    let text: Vec<char> = d.evidence[0].text.chars().collect();
    let s0 = d.evidence[0].start;
    let slice = |[a, b]: [usize; 2]| text[a - s0..b - s0].iter().collect::<String>();
    assert_eq!(slice(c.verb.expect("a verb")), "读取");
    assert_eq!(slice(c.term), "通话记录");
    // And the near misses say why a mention made no claim.
    let r = policy(OTHER, "当您与我们联系时，我们可能会保存您的通话记录。");
    assert!(
        r.near_misses
            .iter()
            .any(|m| m.pi_type == "call_log" && m.reason == "sense:与我们联系"),
        "{:?}",
        r.near_misses
    );
}

#[test]
fn gold_set_errors_title_lines_updates_bookings_metadata_recordings() {
    // A numbered title set as a list item declares nothing.
    check("* 六、我们如何处理儿童的个人信息", &[]);
    // A promise about future updates is conditional.
    check(
        "如您继续使用我们的服务，表示同意接受修订后的本政策的内容，但是如果更新的内容需要获取您通讯录、地理位置等个人敏感信息，仍会再次以显著方式征求您的同意。",
        &[],
    );
    // A booking's contact person is no address book (联系人手机号 is one
    // `not` phrase of contacts, so it gives no phone number either; the
    // guest's identity card is declared).
    check(
        "在您预订酒店时，需提供入住人姓名、入住人身份证、联系人姓名、联系人手机号、联系人邮件等信息。",
        &["identity"],
    );
    // Metadata of shared photos is not the camera; customer-service
    // recordings are not the microphone.
    check(
        "我们会收集您通过我们的服务分享的内容所包含的信息（元数据），例如拍摄或上传的共享照片的日期、时间或地点。",
        &["media"],
    );
    check(
        "您接听和拨打我们的客服电话可能会被录音，我们可能会使用通话录音来监控客服服务质量。",
        &[],
    );
}

/// The second round of the gold set (issue 24): each new reading with its
/// twin.
#[test]
fn verbs_after_their_object_and_words_referring_back() {
    // 对…进行收集 across the clauses of one sentence.
    check(
        "我们可能会对您的网络身份标识信息（包括IP地址）；设备信息（包括设备型号、IMEI）进行收集。",
        &["account", "device_id", "device_info", "network"],
    );
    // The passive, and its denial.
    check("您发布的照片会存储在我们的服务器中。", &["media"]);
    check("您的通讯录不会被收集。", &[]);
    // 通过手机号创建账号.
    // (Creating an account declares one: the guide’s 注册账号即声明.)
    check("您可以通过手机号创建账号。", &["account", "phone_number"]);
    // A word referring back to the term after a verb.
    check(
        "手机号码属于敏感信息，收集此类信息是为了满足网络实名制要求。",
        &["phone_number"],
    );
    check("手机号码属于敏感信息，请您妥善保管。", &[]);
}

#[test]
fn purposes_permissions_and_lines() {
    // A term inside the purpose of another collection.
    check(
        "SDK需要读取您的IMEI信息，用于推送通知栏消息。",
        &["device_id"],
    );
    // (语音 is part of the purpose; 存储权限 alone names no PI type.)
    check(
        "我们需要访问您的设备存储权限以便加载天气语音播报功能所必须的素材。",
        &[],
    );
    // A permission named with its use; its twin in a rights clause.
    check(
        "麦克风权限、摄像头权限：用于视频通话。",
        &["audio", "camera"],
    );
    check("您可以在系统设置中关闭相关权限，例如摄像头权限。", &[]);
    // A line broken inside its sentence continues it.
    check(
        "我们可能会在企业用户的指示下收集你主动提供的\n\n**人脸图像信息或指纹特征值信息** 。",
        &["biometric"],
    );
    // A verbless sentence of prose declares nothing; an item list does.
    let r = policy(
        COLLECT,
        "录音在被保留一段时间后会自动删除，除非由于合法利益需要为场景的保留。",
    );
    assert_eq!(declared(&r), BTreeSet::new());
    let r = policy(COLLECT, "设备信息：设备型号、操作系统版本。");
    assert_eq!(declared(&r), BTreeSet::from(["device_info"]));
    // Un-numbered lines after a lead-in, joined by `；`.
    check(
        "我们会收集以下信息：\n\n设备型号、操作系统版本；\n\nIP地址。",
        &["device_info", "network"],
    );
}

#[test]
fn definitions_that_collect_warnings_and_denials_in_security_clauses() {
    // A policy's own category defined with 采集 declares; the user's 访问
    // in a definition does not.
    check(
        "日志信息：指您使用我们的服务时，系统可能通过Cookies自动采集的技术信息，包括IP地址、设备型号。",
        &["device_info", "network"],
    );
    check(
        "Cookies是指一种技术，当使用者访问设有Cookies装置的本网站时，Cookies便负责记录您的浏览习惯、消费习惯甚至信用记录。",
        &[],
    );
    // A warning about what the user shares is no collection.
    check(
        "您在评价时选择上传包含个人信息的图片，可能会泄露您的个人信息。",
        &[],
    );
    // A denial in a de-identification clause is a denial.
    let r = policy(
        OTHER,
        "除非依照规定对数据做去标识化处理，否则我们不会将您的个人身份信息与提供广告服务的合作伙伴共享。",
    );
    assert_eq!(declared(&r), BTreeSet::new());
    let denied: BTreeSet<&str> = r.pi_denied.iter().map(|d| d.pi_type.as_str()).collect();
    assert_eq!(denied, BTreeSet::from(["identity"]));
    // A sense carries into the verbless sentence after it.
    check(
        "您拨打客服电话可能会被录音。录音在被保留一段时间后会自动删除。",
        &[],
    );
}
