.class public Lcn/jpush/android/ui/PushActivity;
.super Landroid/app/Activity;
.source "PushActivity.java"

# Stub of JPush's rich-push Activity (a catalogue component of jiguang.jpush,
# declared in the manifest). Shows nothing.

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .registers 2
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V
    invoke-virtual {p0}, Lcn/jpush/android/ui/PushActivity;->finish()V
    return-void
.end method
