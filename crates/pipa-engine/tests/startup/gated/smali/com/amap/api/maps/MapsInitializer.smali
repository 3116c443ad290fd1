.class public final Lcom/amap/api/maps/MapsInitializer;
.super Ljava/lang/Object;
.source "MapsInitializer.java"

# Stub of the AMap 3D map SDK's initialiser (catalogue id amap.map3d).
# initialize is the SDK's init; updatePrivacyShow/updatePrivacyAgree are its
# compliant-init APIs, defined here but never called by the fixture app.

.field private static sContext:Landroid/content/Context;
.field private static sAgreed:Z

.method private constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static initialize(Landroid/content/Context;)V
    .registers 1
    sput-object p0, Lcom/amap/api/maps/MapsInitializer;->sContext:Landroid/content/Context;
    return-void
.end method

.method public static updatePrivacyShow(Landroid/content/Context;ZZ)V
    .registers 3
    return-void
.end method

.method public static updatePrivacyAgree(Landroid/content/Context;Z)V
    .registers 2
    sput-boolean p1, Lcom/amap/api/maps/MapsInitializer;->sAgreed:Z
    return-void
.end method
