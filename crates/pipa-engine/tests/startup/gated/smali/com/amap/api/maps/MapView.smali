.class public Lcom/amap/api/maps/MapView;
.super Ljava/lang/Object;
.source "MapView.java"

# Stub class of the AMap 3D map SDK (so the SDK's package has several classes).

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public getMap()Lcom/amap/api/maps/AMap;
    .registers 2
    new-instance v0, Lcom/amap/api/maps/AMap;
    invoke-direct {v0}, Lcom/amap/api/maps/AMap;-><init>()V
    return-object v0
.end method
