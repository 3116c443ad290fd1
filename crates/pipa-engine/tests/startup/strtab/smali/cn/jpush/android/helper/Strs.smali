.class public final Lcn/jpush/android/helper/Strs;
.super Ljava/lang/Object;
.source "Strs.java"

# static final String[] z = { a("fdq%*v|v*fidvv*k`q*ridk5*daaw`vv"),
#     a("b`quwju%wj+v`wldikj"), a("b`qA`slf`La") };
# a(s): every char XOR 5 — "cat /sys/class/net/wlan0/address",
# "getprop ro.serialno", "getDeviceId".

.field public static final z:[Ljava/lang/String;

.method static constructor <clinit>()V
    .registers 4
    const/4 v0, 3
    new-array v0, v0, [Ljava/lang/String;
    const/4 v1, 0
    const-string v2, "fdq%*v|v*fidvv*k`q*ridk5*daaw`vv"
    invoke-static {v2}, Lcn/jpush/android/helper/Strs;->a(Ljava/lang/String;)Ljava/lang/String;
    move-result-object v2
    aput-object v2, v0, v1
    const/4 v1, 1
    const-string v2, "b`quwju%wj+v`wldikj"
    invoke-static {v2}, Lcn/jpush/android/helper/Strs;->a(Ljava/lang/String;)Ljava/lang/String;
    move-result-object v2
    aput-object v2, v0, v1
    const/4 v1, 2
    const-string v2, "b`qA`slf`La"
    invoke-static {v2}, Lcn/jpush/android/helper/Strs;->a(Ljava/lang/String;)Ljava/lang/String;
    move-result-object v2
    aput-object v2, v0, v1
    sput-object v0, Lcn/jpush/android/helper/Strs;->z:[Ljava/lang/String;
    return-void
.end method

.method private static a(Ljava/lang/String;)Ljava/lang/String;
    .registers 5
    invoke-virtual {p0}, Ljava/lang/String;->toCharArray()[C
    move-result-object v0
    const/4 v1, 0
    :loop
    array-length v2, v0
    if-ge v1, v2, :done
    aget-char v2, v0, v1
    xor-int/lit8 v2, v2, 0x5
    int-to-char v2, v2
    aput-char v2, v0, v1
    add-int/lit8 v1, v1, 0x1
    goto :loop
    :done
    new-instance v2, Ljava/lang/String;
    invoke-direct {v2, v0}, Ljava/lang/String;-><init>([C)V
    return-object v2
.end method
