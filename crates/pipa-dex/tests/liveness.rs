//! Liveness on a small hand-written program (assembled with Debian's
//! `smali`): what a root class, `new-instance`, `const-class`, a string
//! naming a class, a static call, a static initialiser and an
//! `invoke-custom`-free lambda-style callback make live, and what stays dead.
//! Skipped with a notice when `smali` is missing.

use pipa_core::AnomalySink;
use pipa_dex::{CallGraph, CallGraphOptions, CodeIndex, LiveRoots, parse_dex_file};
use pipa_testkit::{have_tool, run_ok};
use std::path::Path;
use std::process::Command;

/// (file, smali) of the program.
const CLASSES: &[(&str, &str)] = &[
    (
        "Main",
        r#".class public Lp/Main;
.super Lp/Base;
.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Lp/Base;-><init>()V
    return-void
.end method
.method public onCreate()V
    .registers 2
    new-instance v0, Lp/Task;
    invoke-direct {v0}, Lp/Task;-><init>()V
    const-class v0, Lp/Named;
    invoke-static {}, Lp/Util;->used()V
    const-string v0, "p.ByName"
    return-void
.end method
"#,
    ),
    (
        "Base",
        r#".class public Lp/Base;
.super Landroid/app/Activity;
.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method
.method public inherited()V
    .registers 1
    return-void
.end method
"#,
    ),
    (
        "Task",
        r#".class public Lp/Task;
.super Ljava/lang/Object;
.implements Ljava/lang/Runnable;
.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method
.method public run()V
    .registers 1
    invoke-static {}, Lp/Deep;->go()V
    return-void
.end method
"#,
    ),
    (
        "Deep",
        r#".class public Lp/Deep;
.super Ljava/lang/Object;
.method static constructor <clinit>()V
    .registers 0
    return-void
.end method
.method public static go()V
    .registers 0
    return-void
.end method
.method public static notCalled()V
    .registers 0
    return-void
.end method
"#,
    ),
    (
        "Named",
        r#".class public Lp/Named;
.super Ljava/lang/Object;
.method public callback()V
    .registers 1
    return-void
.end method
"#,
    ),
    (
        "ByName",
        r#".class public Lp/ByName;
.super Ljava/lang/Object;
.method public callback()V
    .registers 1
    return-void
.end method
"#,
    ),
    (
        "Util",
        r#".class public Lp/Util;
.super Ljava/lang/Object;
.method public static used()V
    .registers 0
    return-void
.end method
.method public static unused()V
    .registers 0
    invoke-static {}, Lp/Dead;->record()V
    return-void
.end method
"#,
    ),
    (
        "Dead",
        r#".class public Lp/Dead;
.super Ljava/lang/Object;
.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method
.method public static record()V
    .registers 1
    new-instance v0, Lp/DeadToo;
    invoke-direct {v0}, Lp/DeadToo;-><init>()V
    return-void
.end method
"#,
    ),
    (
        "DeadToo",
        r#".class public Lp/DeadToo;
.super Ljava/lang/Object;
.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method
"#,
    ),
];

fn build() -> Option<Vec<u8>> {
    if !have_tool("smali") {
        println!("notice: smali absent; liveness test skipped");
        return None;
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("liveness");
    let _ = std::fs::remove_dir_all(&dir);
    let src = dir.join("src/p");
    std::fs::create_dir_all(&src).expect("mkdir");
    for (name, text) in CLASSES {
        std::fs::write(src.join(format!("{name}.smali")), text).expect("write smali");
    }
    let dex = dir.join("classes.dex");
    run_ok(
        Command::new("smali")
            .arg("assemble")
            .arg("-o")
            .arg(&dex)
            .arg(dir.join("src")),
    );
    Some(std::fs::read(&dex).expect("read dex"))
}

#[test]
fn liveness_follows_roots_instances_names_and_calls() {
    let Some(bytes) = build() else { return };
    let mut sink = AnomalySink::default();
    let dexes = parse_dex_file(&bytes, "classes.dex", &mut sink).expect("parse");
    let index = CodeIndex::build(dexes, &mut sink);
    let opts = CallGraphOptions {
        async_types: vec![("Ljava/lang/Runnable;".into(), vec!["run".into()])],
        ..CallGraphOptions::default()
    };
    let g = CallGraph::build(&index, &opts);
    let node = |class: &str, name: &str| -> u32 {
        let t = g.find_type(class).expect(class);
        *g.methods_named(t, name).first().expect(name)
    };
    let live = |roots: &LiveRoots, class: &str, name: &str| -> bool {
        g.liveness(&index, roots).is_live(node(class, name))
    };
    let roots = LiveRoots {
        classes: vec!["p.Main".into()],
        string_pool: true,
    };
    let l = g.liveness(&index, &roots);
    // The root and its superclass, all methods.
    assert!(l.is_live(node("Lp/Main;", "onCreate")));
    assert!(l.is_live(node("Lp/Base;", "inherited")));
    // new-instance: the callback the platform runs.
    assert!(l.is_live(node("Lp/Task;", "run")));
    // A call from live code, and the static initialiser of its class.
    assert!(l.is_live(node("Lp/Deep;", "go")));
    assert!(l.is_live(node("Lp/Deep;", "<clinit>")));
    assert!(!l.is_live(node("Lp/Deep;", "notCalled")));
    // const-class and a string naming the class.
    assert!(l.is_live(node("Lp/Named;", "callback")));
    assert!(l.is_live(node("Lp/ByName;", "callback")));
    // A static method called makes only itself live, not its siblings.
    assert!(l.is_live(node("Lp/Util;", "used")));
    assert!(!l.is_live(node("Lp/Util;", "unused")));
    // Dead code and what only dead code instantiates.
    assert!(!l.is_live(node("Lp/Dead;", "record")));
    assert!(!l.is_live(node("Lp/DeadToo;", "<init>")));
    assert!(!l.is_class_live(g.find_type("Lp/DeadToo;").expect("type")));
    let st = l.stats();
    assert_eq!(st.methods as usize, g.len());
    assert!(st.live_methods < st.methods);

    // Without the string pool, the class named only by a string is dead.
    let no_strings = LiveRoots {
        classes: vec!["p.Main".into()],
        string_pool: false,
    };
    assert!(!live(&no_strings, "Lp/ByName;", "callback"));
    // Without roots, nothing is live; a root deep in the program makes what
    // it reaches live.
    let none = LiveRoots::default();
    assert!(!live(&none, "Lp/Main;", "onCreate"));
    let dead_root = LiveRoots {
        classes: vec!["Lp/Dead;".into()],
        string_pool: false,
    };
    assert!(live(&dead_root, "Lp/DeadToo;", "<init>"));
    assert!(!live(&dead_root, "Lp/Main;", "onCreate"));
    // Out of range: unknown counts as live.
    assert!(l.is_live(u32::MAX - 1));
}
