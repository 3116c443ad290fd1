.class public Lcom/umeng/commonsdk/statistics/DeviceConfig;
.super Ljava/lang/Object;
.source "DeviceConfig.java"

.method public static getAndroidId(Landroid/content/Context;)Ljava/lang/String;
    .registers 2
    invoke-virtual {p0}, Landroid/content/Context;->getContentResolver()Landroid/content/ContentResolver;
    move-result-object v0
    const-string v1, "android_id"
    invoke-static {v0, v1}, Landroid/provider/Settings$Secure;->getString(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;
    move-result-object v0
    return-object v0
.end method
