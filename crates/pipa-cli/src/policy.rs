//! `pipa policy --explain`: why a PI type is declared or not.

use pipa_policy::Policy;

/// `pipa policy --explain TYPE`: the sentences that made a claim of
/// `pi_type` (role, governing verb, term) and those that nearly did, with
/// the reason they did not (a role that declares nothing, no governing verb,
/// another sense of the word, a heading, a question).
pub fn explain(p: &Policy, pi_type: &str) -> String {
    use std::fmt::Write as _;
    let doc = &p.document;
    let r = &p.report;
    let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::new();
    let decl = r.pi_types.iter().find(|d| d.pi_type == pi_type);
    let denied = r.pi_denied.iter().find(|d| d.pi_type == pi_type);
    let verdict = match (decl, denied) {
        (Some(_), _) => "声明收集 (declared)",
        (None, Some(_)) => "声明不收集 (denied)",
        (None, None) => "未声明 (not declared)",
    };
    let _ = writeln!(out, "{pi_type}: {verdict}");
    if let Some(d) = decl {
        let _ = writeln!(out, "\n声明的句子 (claims; at most six sentences):");
        // One entry per sentence, role and verb: a list sentence names
        // several terms of the type under one verb.
        let mut groups: Vec<(&pipa_policy::Claim, String, Vec<&str>)> = Vec::new();
        for c in &d.claims {
            let verb = c
                .verb
                .map(|[a, b]| doc.slice(a, b).to_string())
                .unwrap_or_else(|| "—（标题或列举 heading/list）".to_string());
            let term = doc.slice(c.term[0], c.term[1]);
            match groups
                .iter_mut()
                .find(|(g, v, _)| g.sentence == c.sentence && g.role == c.role && *v == verb)
            {
                Some((_, _, terms)) => {
                    if !terms.contains(&term) {
                        terms.push(term);
                    }
                }
                None => groups.push((c, verb, vec![term])),
            }
        }
        for (c, verb, terms) in groups {
            let _ = writeln!(
                out,
                "- 角色 role: {} | 动词 verb: {} | 词 term: {}\n  {}",
                c.role,
                verb,
                terms.join("、"),
                one_line(doc.slice(c.sentence[0], c.sentence[1]))
            );
        }
    }
    if let Some(d) = denied {
        let _ = writeln!(out, "\n否认的句子 (denials):");
        for s in &d.evidence {
            let _ = writeln!(out, "- {}", one_line(&s.text));
        }
    }
    let near: Vec<_> = r
        .near_misses
        .iter()
        .filter(|n| n.pi_type == pi_type)
        .collect();
    if !near.is_empty() {
        let _ = writeln!(out, "\n未成为声明的提及 (near misses):");
        for n in near {
            let _ = writeln!(
                out,
                "- 原因 reason: {} | 词 term: {}\n  {}",
                n.reason,
                doc.slice(n.term[0], n.term[1]),
                one_line(doc.slice(n.sentence[0], n.sentence[1]))
            );
        }
    }
    if decl.is_none() && denied.is_none() && r.near_misses.iter().all(|n| n.pi_type != pi_type) {
        let _ = writeln!(
            out,
            "（政策中没有这一类型的词 no term of this type in the policy）"
        );
    }
    out
}
