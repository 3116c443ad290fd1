.class public Lcn/jpush/android/api/JPushInterface;
.super Ljava/lang/Object;
.source "JPushInterface.java"

# Stub of JPush's public API (so the SDK's package has several classes).
# Neither init nor any compliant-init API is called by the fixture app.

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static getRegistrationID(Landroid/content/Context;)Ljava/lang/String;
    .registers 2
    const-string v0, ""
    return-object v0
.end method
