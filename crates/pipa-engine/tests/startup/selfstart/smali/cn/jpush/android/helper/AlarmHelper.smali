.class public Lcn/jpush/android/helper/AlarmHelper;
.super Ljava/lang/Object;
.source "AlarmHelper.java"

# PendingIntent pi = PendingIntent.getService(ctx, 0, new Intent(ctx, PushService.class), 0);
# ((AlarmManager) ctx.getSystemService("alarm")).setInexactRepeating(
#         ELAPSED_REALTIME_WAKEUP, SystemClock.elapsedRealtime(), 900000L, pi);

.method public static scheduleHeartbeat(Landroid/content/Context;)V
    .registers 10
    new-instance v0, Landroid/content/Intent;
    const-class v1, Lcn/jpush/android/service/PushService;
    invoke-direct {v0, p0, v1}, Landroid/content/Intent;-><init>(Landroid/content/Context;Ljava/lang/Class;)V
    const/4 v1, 0
    invoke-static {p0, v1, v0, v1}, Landroid/app/PendingIntent;->getService(Landroid/content/Context;ILandroid/content/Intent;I)Landroid/app/PendingIntent;
    move-result-object v8
    const-string v0, "alarm"
    invoke-virtual {p0, v0}, Landroid/content/Context;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    check-cast v0, Landroid/app/AlarmManager;
    const/4 v1, 2
    invoke-static {}, Landroid/os/SystemClock;->elapsedRealtime()J
    move-result-wide v2
    const-wide/32 v4, 900000
    move-object v6, v8
    invoke-virtual/range {v0 .. v6}, Landroid/app/AlarmManager;->setInexactRepeating(IJJLandroid/app/PendingIntent;)V
    return-void
.end method
