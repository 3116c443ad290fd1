.class public Lcom/tencent/bugly/Bugly;
.super Ljava/lang/Object;
.source "Bugly.java"

.field public static final SDK_IS_DEV:Z = false
