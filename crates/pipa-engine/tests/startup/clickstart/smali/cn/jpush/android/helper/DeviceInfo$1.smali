.class final Lcn/jpush/android/helper/DeviceInfo$1;
.super Ljava/lang/Object;
.source "DeviceInfo.java"

# implements LocationListener

.implements Landroid/location/LocationListener;

.method constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public onLocationChanged(Landroid/location/Location;)V
    .registers 2
    return-void
.end method

.method public onProviderDisabled(Ljava/lang/String;)V
    .registers 2
    return-void
.end method

.method public onProviderEnabled(Ljava/lang/String;)V
    .registers 2
    return-void
.end method

.method public onStatusChanged(Ljava/lang/String;ILandroid/os/Bundle;)V
    .registers 4
    return-void
.end method
