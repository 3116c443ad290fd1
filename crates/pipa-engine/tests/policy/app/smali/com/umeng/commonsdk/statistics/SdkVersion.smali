.class public Lcom/umeng/commonsdk/statistics/SdkVersion;
.super Ljava/lang/Object;
.source "SdkVersion.java"

# Stub: the Umeng common SDK's version constant (catalogue version field).

.field public static final SDK_VERSION:Ljava/lang/String; = "9.6.8"

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method
