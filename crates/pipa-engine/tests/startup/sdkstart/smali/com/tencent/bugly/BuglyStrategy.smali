.class public Lcom/tencent/bugly/BuglyStrategy;
.super Ljava/lang/Object;
.source "BuglyStrategy.java"

.method public static deviceModel(Landroid/content/Context;)Ljava/lang/String;
    .registers 2
    sget-object v0, Landroid/os/Build;->MODEL:Ljava/lang/String;
    return-object v0
.end method
