.class public Lcom/tencent/bugly/crashreport/CrashReport;
.super Ljava/lang/Object;
.source "CrashReport.java"

# Stub of Bugly's entry (catalogue id tencent.bugly): initCrashReport (init).

.method public static initCrashReport(Landroid/content/Context;Ljava/lang/String;Z)V
    .registers 3
    invoke-static {p0}, Lcom/tencent/bugly/BuglyStrategy;->deviceModel(Landroid/content/Context;)Ljava/lang/String;
    return-void
.end method
