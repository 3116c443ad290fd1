//! Small helpers for bilingual texts.

use pipa_kb::Text;

/// A text from its Chinese and English forms.
pub(crate) fn t(zh: impl Into<String>, en: impl Into<String>) -> Text {
    Text {
        zh: zh.into(),
        en: en.into(),
    }
}

/// `one` when `n` is 1, else `many` ("1 call site", "2 call sites"); the
/// report's views use it too.
pub fn plural<'s>(n: impl TryInto<u64>, one: &'s str, many: &'s str) -> &'s str {
    if n.try_into().ok() == Some(1) {
        one
    } else {
        many
    }
}

/// `a` followed by `b` (a space between the English parts, none in Chinese).
pub(crate) fn join(a: &Text, b: &Text) -> Text {
    t(format!("{}{}", a.zh, b.zh), format!("{} {}", a.en, b.en))
}

/// Up to `n` items joined with `、`/`, `, with “等 N 项” when there are more.
pub(crate) fn list(items: &[String], n: usize) -> Text {
    let shown: Vec<&str> = items.iter().take(n).map(String::as_str).collect();
    let more = items.len().saturating_sub(n);
    if more == 0 {
        t(shown.join("、"), shown.join(", "))
    } else {
        t(
            format!("{} 等 {} 项", shown.join("、"), items.len()),
            format!("{} and {more} more", shown.join(", ")),
        )
    }
}

/// A subject (`app`, `sdk:<id>`, `unknown-third-party`) as a policy or a
/// report names it: an SDK by its published name and vendor from the
/// knowledge base (`友盟同欣（北京）科技有限公司的友盟+基础组件库（U-Common）`
/// / `Umeng Common (UMConfigure) by Umeng (Alibaba Group)`), never by its
/// catalogue id (unless the catalogue no longer has it).
pub fn subject_text(kb: &pipa_kb::Kb, subject: &str) -> Text {
    match subject {
        "app" => t("App 自身代码", "the app's own code"),
        s if s.starts_with("sdk:") => {
            let id = &s[4..];
            match kb.sdk(id) {
                Some(x) if x.vendor.zh.is_empty() || x.vendor.zh == x.name.zh => {
                    t(x.name.zh.clone(), x.name.en.clone())
                }
                // Not in brackets: the name often has some, and the
                // subject is often said inside brackets itself.
                Some(x) => t(
                    format!("{}的{}", x.vendor.zh, x.name.zh),
                    format!("{} by {}", x.name.en, x.vendor.en),
                ),
                None => t(id, id),
            }
        }
        _ => t("未识别的第三方代码", "unattributed third-party code"),
    }
}

/// [`subject_text`] of each subject, once each, in their order.
pub(crate) fn subjects_text(kb: &pipa_kb::Kb, subjects: &[String]) -> Vec<Text> {
    let mut out: Vec<Text> = Vec::new();
    for s in subjects {
        let x = subject_text(kb, s);
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

/// A subject list joined per language (`、` / `, `).
pub(crate) fn join_texts(v: &[Text]) -> Text {
    let zh: Vec<&str> = v.iter().map(|x| x.zh.as_str()).collect();
    let en: Vec<&str> = v.iter().map(|x| x.en.as_str()).collect();
    t(zh.join("、"), en.join(", "))
}

/// An API as prose names it: `android.telephony.TelephonyManager.getDeviceId`
/// → `TelephonyManager.getDeviceId` (the evidence keeps the full name); a
/// path (`/sys/class/net/wlan0/address`) or URI as it is.
pub(crate) fn short_dotted(api: &str) -> String {
    if api.starts_with('/') || api.contains("://") {
        return api.to_string();
    }
    let mut parts = api.rsplitn(3, '.');
    let m = parts.next().unwrap_or(api);
    match parts.next() {
        Some(c) => format!("{c}.{m}"),
        None => m.to_string(),
    }
}

/// `Lcom/x/Y;->m(I)V` → `com.x.Y.m`.
pub(crate) fn dotted_method(smali: &str) -> String {
    let (class, name) = pipa_kb::class_and_method(smali).unwrap_or(("", smali));
    let name = name.split('(').next().unwrap_or(name);
    let class = class
        .trim_start_matches('L')
        .trim_end_matches(';')
        .replace('/', ".");
    if class.is_empty() {
        name.to_string()
    } else {
        format!("{class}.{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_caps_and_counts() {
        let v: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        assert_eq!(list(&v, 5).en, "a, b, c");
        assert_eq!(list(&v, 2).zh, "a、b 等 3 项");
        assert_eq!(list(&v, 2).en, "a, b and 1 more");
    }

    #[test]
    fn subjects_are_named_by_name_and_vendor_not_id() {
        let kb = pipa_kb::Kb::embedded();
        let x = subject_text(kb, "sdk:umeng.common");
        let k = kb.sdk("umeng.common").expect("catalogued");
        assert!(
            x.zh.contains(&k.name.zh) && x.zh.contains(&k.vendor.zh),
            "{x:?}"
        );
        assert!(
            x.en.contains(&k.name.en) && x.en.contains(&k.vendor.en),
            "{x:?}"
        );
        assert!(!x.zh.contains("umeng.common") && !x.en.contains("umeng.common"));
        assert_eq!(subject_text(kb, "app").en, "the app's own code");
        // An id the catalogue does not have is shown as it is.
        assert_eq!(subject_text(kb, "sdk:gone.sdk").en, "gone.sdk");
    }
}
