.class public Lcn/jpush/android/service/InitProvider;
.super Landroid/content/ContentProvider;
.source "InitProvider.java"

# Stub of JPush's init provider: onCreate runs at process start, before any
# Activity, and reads the IMEI through the SDK's own helper.

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/content/ContentProvider;-><init>()V
    return-void
.end method

.method public onCreate()Z
    .registers 2
    invoke-virtual {p0}, Lcn/jpush/android/service/InitProvider;->getContext()Landroid/content/Context;
    move-result-object v0
    invoke-static {v0}, Lcn/jpush/android/helper/DeviceInfo;->imei(Landroid/content/Context;)Ljava/lang/String;
    const/4 v0, 1
    return v0
.end method
