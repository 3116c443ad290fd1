.class public Lcom/umeng/commonsdk/UMConfigure;
.super Ljava/lang/Object;
.source "UMConfigure.java"

# Stub of Umeng's U-Common entry (catalogue id umeng.common): preInit
# (pre_init), init (init: reads the device id through DeviceConfig),
# submitPolicyGrantResult (consent).

.field private static sAgreed:Z

.method private constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static preInit(Landroid/content/Context;Ljava/lang/String;Ljava/lang/String;)V
    .registers 3
    return-void
.end method

.method public static init(Landroid/content/Context;Ljava/lang/String;Ljava/lang/String;ILjava/lang/String;)V
    .registers 5
    invoke-static {p0}, Lcom/umeng/commonsdk/statistics/DeviceConfig;->getAndroidId(Landroid/content/Context;)Ljava/lang/String;
    return-void
.end method

.method public static submitPolicyGrantResult(Landroid/content/Context;Z)V
    .registers 2
    sput-boolean p1, Lcom/umeng/commonsdk/UMConfigure;->sAgreed:Z
    return-void
.end method
