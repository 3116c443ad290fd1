.class public Lcn/jpush/android/service/PushService;
.super Landroid/app/Service;
.source "PushService.java"

# onCreate arms the heartbeat alarm; every start collects the device data
# and returns START_NOT_STICKY (2): no sticky restart.

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Service;-><init>()V
    return-void
.end method

.method public onBind(Landroid/content/Intent;)Landroid/os/IBinder;
    .registers 3
    const/4 v0, 0
    return-object v0
.end method

.method public onCreate()V
    .registers 1
    invoke-super {p0}, Landroid/app/Service;->onCreate()V
    invoke-static {p0}, Lcn/jpush/android/helper/AlarmHelper;->scheduleHeartbeat(Landroid/content/Context;)V
    return-void
.end method

.method public onStartCommand(Landroid/content/Intent;II)I
    .registers 5
    invoke-static {p0}, Lcn/jpush/android/helper/DeviceInfo;->collect(Landroid/content/Context;)V
    const/4 v0, 2
    return v0
.end method
