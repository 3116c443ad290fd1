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
}
