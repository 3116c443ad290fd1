.class public Lcom/umeng/commonsdk/UMConfigure;
.super Ljava/lang/Object;
.source "UMConfigure.java"

# Stub of the Umeng common SDK's entry (catalogue id umeng.common). preInit
# and init only remember their arguments: nothing is read or sent.

.field public static final DEVICE_TYPE_PHONE:I = 0x1
.field public static final DEVICE_TYPE_BOX:I = 0x2

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static preInit(Landroid/content/Context;Ljava/lang/String;Ljava/lang/String;)V
    .registers 3
    invoke-static {p1, p2}, Lcom/umeng/commonsdk/internal/UMInternalConfig;->remember(Ljava/lang/String;Ljava/lang/String;)V
    return-void
.end method

.method public static init(Landroid/content/Context;Ljava/lang/String;Ljava/lang/String;ILjava/lang/String;)V
    .registers 5
    invoke-static {p1, p2}, Lcom/umeng/commonsdk/internal/UMInternalConfig;->remember(Ljava/lang/String;Ljava/lang/String;)V
    const/4 v0, 0x1
    sput-boolean v0, Lcom/umeng/commonsdk/internal/UMInternalConfig;->started:Z
    return-void
.end method

.method public static submitPolicyGrantResult(Landroid/content/Context;Z)V
    .registers 2
    return-void
.end method

.method public static setLogEnabled(Z)V
    .registers 1
    return-void
.end method
