.class public Lcn/jpush/android/api/JPushInterface;
.super Ljava/lang/Object;
.source "JPushInterface.java"

# Stub of JPush's public API (catalogue id jiguang.jpush). init only sets a
# flag: nothing is read or sent.

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static init(Landroid/content/Context;)V
    .registers 2
    const/4 v0, 0x1
    sput-boolean v0, Lcn/jpush/android/local/JPushConstants;->initialized:Z
    return-void
.end method

.method public static setDebugMode(Z)V
    .registers 1
    return-void
.end method

.method public static getRegistrationID(Landroid/content/Context;)Ljava/lang/String;
    .registers 2
    const-string v0, ""
    return-object v0
.end method
