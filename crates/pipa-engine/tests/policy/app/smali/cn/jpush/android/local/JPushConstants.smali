.class public Lcn/jpush/android/local/JPushConstants;
.super Ljava/lang/Object;
.source "JPushConstants.java"

# Stub: JPush's constants (its version string, the catalogue's version clue).

.field public static final SDK_VERSION_NAME:Ljava/lang/String; = "5.2.0"
.field public static initialized:Z

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static version()Ljava/lang/String;
    .registers 1
    const-string v0, "5.2.0"
    return-object v0
.end method
