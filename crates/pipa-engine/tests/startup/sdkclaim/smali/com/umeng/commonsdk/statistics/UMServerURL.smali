.class public final Lcom/umeng/commonsdk/statistics/UMServerURL;
.super Ljava/lang/Object;
.source "UMServerURL.java"

.field public static final DEFAULT_URL:Ljava/lang/String; = "https://ulogs.umeng.com"
