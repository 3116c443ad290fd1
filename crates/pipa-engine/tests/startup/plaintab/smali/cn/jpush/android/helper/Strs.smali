.class public final Lcn/jpush/android/helper/Strs;
.super Ljava/lang/Object;
.source "Strs.java"

# static final String[] z = { a("utf-8"), a("push"), a("heartbeat") };
# a(s) = s.trim(): a String-to-String helper without any XOR loop.

.field public static final z:[Ljava/lang/String;

.method static constructor <clinit>()V
    .registers 4
    const/4 v0, 3
    new-array v0, v0, [Ljava/lang/String;
    const/4 v1, 0
    const-string v2, "utf-8"
    invoke-static {v2}, Lcn/jpush/android/helper/Strs;->a(Ljava/lang/String;)Ljava/lang/String;
    move-result-object v2
    aput-object v2, v0, v1
    const/4 v1, 1
    const-string v2, "push"
    invoke-static {v2}, Lcn/jpush/android/helper/Strs;->a(Ljava/lang/String;)Ljava/lang/String;
    move-result-object v2
    aput-object v2, v0, v1
    const/4 v1, 2
    const-string v2, "heartbeat"
    invoke-static {v2}, Lcn/jpush/android/helper/Strs;->a(Ljava/lang/String;)Ljava/lang/String;
    move-result-object v2
    aput-object v2, v0, v1
    sput-object v0, Lcn/jpush/android/helper/Strs;->z:[Ljava/lang/String;
    return-void
.end method

.method private static a(Ljava/lang/String;)Ljava/lang/String;
    .registers 2
    invoke-virtual {p0}, Ljava/lang/String;->trim()Ljava/lang/String;
    move-result-object v0
    return-object v0
.end method
