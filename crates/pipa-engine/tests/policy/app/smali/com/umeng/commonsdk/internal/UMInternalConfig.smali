.class public final Lcom/umeng/commonsdk/internal/UMInternalConfig;
.super Ljava/lang/Object;
.source "UMInternalConfig.java"

# Stub: where the Umeng common SDK keeps its app key and channel.

.field public static appKey:Ljava/lang/String;
.field public static channel:Ljava/lang/String;
.field public static started:Z

.method private constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static remember(Ljava/lang/String;Ljava/lang/String;)V
    .registers 2
    sput-object p0, Lcom/umeng/commonsdk/internal/UMInternalConfig;->appKey:Ljava/lang/String;
    sput-object p1, Lcom/umeng/commonsdk/internal/UMInternalConfig;->channel:Ljava/lang/String;
    return-void
.end method
