.class public Lcom/amap/api/maps/AMap;
.super Ljava/lang/Object;
.source "AMap.java"

# Stub class of the AMap 3D map SDK (so the SDK's package has several classes).

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method
