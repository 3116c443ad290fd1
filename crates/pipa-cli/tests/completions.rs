//! `pipa completions SHELL` and `pipa man`, generated from the argument
//! definitions (clap_complete, clap_mangen): each names every subcommand;
//! the bash script is valid bash (`bash -n`), the man page is roff that
//! `man -l` would read (`.TH pipa 1`).

mod common;

use common::pipa;

const SUBCOMMANDS: [&str; 7] = [
    "scan",
    "inspect",
    "explain",
    "policy",
    "kb",
    "questionnaire",
    "diff",
];

fn out(args: &[&str]) -> String {
    let o = pipa(args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).expect("utf-8")
}

#[test]
fn completions_for_each_shell_name_every_subcommand() {
    for (shell, marker) in [
        ("bash", "_pipa()"),
        ("zsh", "#compdef pipa"),
        ("fish", "complete -c pipa"),
    ] {
        let s = out(&["completions", shell]);
        assert!(s.contains(marker), "{shell}");
        for sub in SUBCOMMANDS {
            assert!(s.contains(sub), "{shell}: {sub}");
        }
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("pipa.bash");
    std::fs::write(&f, out(&["completions", "bash"])).expect("write");
    let st = std::process::Command::new("bash")
        .arg("-n")
        .arg(&f)
        .status()
        .expect("bash");
    assert!(st.success(), "bash -n rejects the completion script");
    let o = pipa(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_man_page_is_roff_with_every_subcommand() {
    let s = out(&["man"]);
    assert!(s.contains(".TH pipa 1"), "{}", &s[..200.min(s.len())]);
    assert!(s.contains(".SH NAME") && s.contains(".SH SUBCOMMANDS"));
    for sub in SUBCOMMANDS {
        assert!(s.contains(&format!("pipa\\-{sub}")), "{sub}");
    }
}
